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
- ``all_vectors``: Eq 8 once over all the vectors instead of per batch.

``active_units`` counts the latent features with non-zero variance over all vectors (a ReLU
unit that is zero on every image carries no variance under any reading). Everything is float64
NumPy, independent of the training code's torch implementation.

Which vectors: the saved test-set latents (``test_outputs.npz``, the network in ``eval()`` mode),
or, with ``--training-mode``, the latents Latent Boost itself sees: the run's trained network
(``model.pt``) in ``train()`` mode on batches of training images, so the dropout layers before
the latent are active, as in every training batch of Eq 8.

``python -m lb.metrics.pca_readings RUN_DIR ... [--training-mode]`` prints one markdown row per
run (docs/reproduction uses it for the PCA dimensions' discussion).
"""

from __future__ import annotations

import argparse
import json
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
    incomplete last batch dropped), plus ``all_vectors`` (Eq 8 once over every vector) and
    ``active_units``."""
    latent = np.asarray(latent, dtype=np.float64)
    if latent.ndim != 2 or latent.shape[0] < batch_size:
        raise ValueError(f"latent must be N×d with N >= batch_size, got {latent.shape}")
    order = np.random.default_rng(seed).permutation(latent.shape[0])
    return reading_summary_in_order(latent[order], batch_size, threshold)


def training_mode_latents(
    run_dir: Path, n_batches: int = 40, batch_size: int = 128, seed: int = 0
) -> np.ndarray:
    """Latents of ``n_batches`` shuffled training batches through the run's ``model.pt`` in
    ``train()`` mode (dropout on), concatenated batch after batch (so consecutive slices of
    ``batch_size`` rows are the batches)."""
    import torch

    from lb.data import BatchLoader, load_dataset
    from lb.models import build_model

    meta = json.loads((run_dir / "metrics.json").read_text())
    data = load_dataset(meta["dataset"])
    model = build_model(meta["model"], data.spec)
    model.load_state_dict(torch.load(run_dir / "model.pt", map_location="cpu", weights_only=True))
    model.train()
    n = n_batches * batch_size
    loader = BatchLoader(
        data.train_x[:n], data.train_y[:n], data.spec, batch_size, shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )  # fmt: skip
    torch.manual_seed(seed)  # the dropout masks
    with torch.no_grad():
        return torch.cat([model(x)[1] for x, _ in loader]).double().numpy()


def reading_summary_in_order(
    latent: np.ndarray, batch_size: int = 128, threshold: float = 0.95
) -> dict[str, float]:
    """:func:`reading_summary` over consecutive slices of ``batch_size`` rows (already batches)."""
    batches = [
        latent[i : i + batch_size] for i in range(0, len(latent) - batch_size + 1, batch_size)
    ]
    summary = {
        reading: float(np.mean([batch_components(b, reading, threshold) for b in batches]))
        for reading in READINGS
    }
    summary["all_vectors"] = float(batch_components(latent, "eq8", threshold))
    summary["active_units"] = float(np.count_nonzero(latent.std(axis=0) > 0))
    return summary


def main(argv: list[str] | None = None) -> int:
    from lb import config_schema
    from lb.errors import LBError
    from lb.run_outputs import load_test_latents

    batch_size = config_schema.defaults("$defs", "training_defaults")["batch_size"]
    latent_boost = config_schema.defaults("properties", "losses", "properties", "latent_boost")
    parser = argparse.ArgumentParser(prog="python -m lb.metrics.pca_readings", description=__doc__)
    parser.add_argument("run_dirs", nargs="+", type=Path, help="run directories")
    parser.add_argument("--batch-size", type=int, default=batch_size, help="the config's default")
    parser.add_argument(
        "--threshold",
        type=float,
        default=latent_boost["variance_threshold"],
        help="T of Eq 8 (the config's losses.latent_boost.variance_threshold)",
    )
    parser.add_argument(
        "--training-mode",
        action="store_true",
        help="latents of training batches through model.pt in train() mode (dropout on)",
    )
    args = parser.parse_args(argv)
    columns = (*READINGS, "all_vectors", "active_units")
    print("| run | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for run_dir in args.run_dirs:
        try:
            if args.training_mode:
                latent = training_mode_latents(run_dir, batch_size=args.batch_size)
                summary = reading_summary_in_order(latent, args.batch_size, args.threshold)
            else:
                latent, _ = load_test_latents(run_dir / "test_outputs.npz")
                summary = reading_summary(latent, args.batch_size, args.threshold)
        except (LBError, ValueError, OSError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        print(f"| {run_dir} | " + " | ".join(f"{summary[c]:.1f}" for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
