"""What a training run writes into its directory (:data:`RUN_OUTPUTS`: written by
``lb.training``, declared as a training job's outputs by the workflow, checked by
:mod:`lb.workflow.runs`), and the reader of its ``test_outputs.npz``: the test-set latent
vectors (float32, N×d), their labels (int64, N) and logits (float32, N×K).

Light on purpose (numpy is imported inside the reader): the workflow imports it while Snakemake
parses the rules.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from lb.errors import DataError

if TYPE_CHECKING:
    import numpy as np

RUN_OUTPUTS = ("metrics.json", "history.csv", "test_outputs.npz", "model.pt")


def load_test_latents(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """``(latent, label)`` from a run's ``test_outputs.npz``; DataError naming the file if bad."""
    import numpy as np

    try:
        with np.load(path) as npz:
            latent, label = np.asarray(npz["latent"]), np.asarray(npz["label"])
    except (OSError, KeyError, ValueError) as err:
        raise DataError(
            f"{path}: cannot read latent/label ({err}); re-run its training rule"
        ) from err
    if latent.ndim != 2 or label.shape != (latent.shape[0],):
        raise DataError(f"{path}: latent {latent.shape} and label {label.shape} do not match")
    return latent, label
