"""Per-epoch training history: one row per epoch, the columns of docs/contracts.md.

Units and meaning of the columns (empty cell = not applicable):

- ``epoch``: 1-based epoch number (warm-up epochs included).
- ``ce``, ``dist``, ``total``: means over the epoch's batches of the cross-entropy, the
  *unweighted* distance term and the total loss of Eq 5 (``total = ce`` in warm-up epochs, which
  train with cross-entropy only). ``dist`` is empty for the baseline, for λ = 0 and in warm-up.
- ``val_accuracy``: accuracy on the held-out validation split after the epoch, in percent.
- ``lr``: the learning rate used during the epoch (before the scheduler's step).
- ``pca_dim``: mean over the epoch's batches of the PCA dimension of Eq 8
  (``LatentBoostLoss.last_dim``); empty for other losses.
- ``alpha``, ``beta``: the loss's α / β for the epoch (Eq 10); empty when the loss has none.
- ``dist_grad_norm``: mean over the measured batches of ‖∂dist/∂latent‖ (Frobenius norm over the
  batch's latent matrix); empty when ``dist`` is.
- ``seconds``: wall-clock seconds of the epoch (training + validation); the only column that
  differs between an interrupted-and-resumed run and an uninterrupted one.

pandas is imported when the history is written, not with this module (a training job would
otherwise import it before its first batch).
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any

from lb import io

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = (
    "epoch",
    "ce",
    "dist",
    "total",
    "val_accuracy",
    "lr",
    "pca_dim",
    "alpha",
    "beta",
    "dist_grad_norm",
    "seconds",
)

WALL_CLOCK_COLUMNS = ("seconds",)


def make_row(**values: Any) -> dict[str, Any]:
    """One history row with exactly :data:`COLUMNS` (missing ones None); rejects unknown keys."""
    unknown = set(values) - set(COLUMNS)
    if unknown:
        raise KeyError(f"unknown history column(s): {sorted(unknown)}")
    row = {name: values.get(name) for name in COLUMNS}
    for name, value in row.items():
        if value is not None and name != "epoch":
            row[name] = float(value)
    return row


def to_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The history as a DataFrame with columns in :data:`COLUMNS` order."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(COLUMNS))
    frame["epoch"] = frame["epoch"].astype("int64")
    for name in COLUMNS[1:]:
        frame[name] = frame[name].astype("float64")
    return frame


def write_history(rows: list[dict[str, Any]], path: str | os.PathLike) -> None:
    """Write the history CSV atomically; None/NaN become empty cells."""
    io.write_csv(to_frame(rows), path)


def mean_or_none(values: list[float]) -> float | None:
    """Mean of ``values`` (Python float arithmetic, order as given), None when empty."""
    if not values:
        return None
    return math.fsum(values) / len(values)
