"""How many principal components Eq 8 keeps under other readings of the Latent Boost paper's PCA.

The paper reports 45–50 components (falling to 40) for its 64-d Fashion-MNIST latent at
T = 0.95; Latent Boost as implemented here (``lb.losses.pca``) keeps fewer. This module counts,
on the same batches of latent vectors, the components each reading of Section 4.1 would keep:

- ``eq8``: Eq 8 as written and as trained here: the batch centred, cumulative S_j² over Σ S_j².
- ``singular_values``: the cumulative sum of the singular values S_j themselves (not squared),
  a common slip that flattens the spectrum and keeps more components.
- ``standardised``: every feature z-scored within the batch first (scikit-learn's
  ``StandardScaler`` before ``PCA``), which gives every active unit the same variance.
- ``uncentred``: the SVD of the raw batch (no centring), S² as in Eq 8.
- ``test_set``: Eq 8 once over all the vectors instead of per batch.

``active_units`` counts the latent features with non-zero variance over all vectors (a ReLU
unit that is zero on every image carries no variance under any reading). Everything is float64
NumPy, independent of the training code's torch implementation. ``python -m lb.metrics.pca_readings
RUN_DIR ...`` prints one markdown row per run from its ``test_outputs.npz``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

READINGS = ("eq8", "singular_values", "standardised", "uncentred")


def components_for(values: np.ndarray, threshold: float) -> int:
    """Smallest i with Σ_{j≤i} v_j / Σ_j v_j ≥ threshold (values sorted descending); all if none."""
    total = values.sum()
    if not total > 0:
        return len(values)
    reached = np.nonzero(np.cumsum(values) / total >= threshold - 1e-12)[0]
    return int(reached[0]) + 1 if reached.size else len(values)


def batch_components(batch: np.ndarray, reading: str, threshold: float = 0.95) -> int:
    """Components one batch (m × n) keeps at ``threshold`` under ``reading`` (see module doc)."""
    x = np.asarray(batch, dtype=np.float64)
    if reading == "uncentred":
        return components_for(np.linalg.svd(x, compute_uv=False) ** 2, threshold)
    x = x - x.mean(axis=0)
    if reading == "standardised":
        std = x.std(axis=0)
        x = np.divide(x, std, out=np.zeros_like(x), where=std > 0)
    s = np.linalg.svd(x, compute_uv=False)
    if reading == "singular_values":
        return components_for(s, threshold)
    if reading in ("eq8", "standardised"):
        return components_for(s**2, threshold)
    raise ValueError(f"unknown reading {reading!r}; one of {', '.join(READINGS)}")


def reading_summary(
    latent: np.ndarray, batch_size: int = 128, threshold: float = 0.95, seed: int = 0
) -> dict[str, float]:
    """Mean components per batch for each reading over shuffled batches of ``batch_size`` (the
    incomplete last batch dropped), plus ``test_set`` (Eq 8 over all vectors) and
    ``active_units``."""
    latent = np.asarray(latent, dtype=np.float64)
    if latent.ndim != 2 or latent.shape[0] < batch_size:
        raise ValueError(f"latent must be N×d with N >= batch_size, got {latent.shape}")
    order = np.random.default_rng(seed).permutation(latent.shape[0])
    n_batches = latent.shape[0] // batch_size
    batches = [latent[order[i * batch_size : (i + 1) * batch_size]] for i in range(n_batches)]
    summary = {
        reading: float(np.mean([batch_components(b, reading, threshold) for b in batches]))
        for reading in READINGS
    }
    summary["test_set"] = float(batch_components(latent, "eq8", threshold))
    summary["active_units"] = float(np.count_nonzero(latent.std(axis=0) > 0))
    return summary


def main(argv: list[str] | None = None) -> int:
    from lb.errors import LBError
    from lb.run_outputs import load_test_latents

    parser = argparse.ArgumentParser(prog="python -m lb.metrics.pca_readings", description=__doc__)
    parser.add_argument("run_dirs", nargs="+", type=Path, help="run directories")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threshold", type=float, default=0.95)
    args = parser.parse_args(argv)
    columns = (*READINGS, "test_set", "active_units")
    print("| run | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for run_dir in args.run_dirs:
        try:
            latent, _ = load_test_latents(run_dir / "test_outputs.npz")
            summary = reading_summary(latent, args.batch_size, args.threshold)
        except (LBError, ValueError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        print(f"| {run_dir} | " + " | ".join(f"{summary[c]:.1f}" for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
