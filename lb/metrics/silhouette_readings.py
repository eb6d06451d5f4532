"""The silhouette of a run's test latents under readings of the Latent Boost paper's Table 5.

Table 5 gives Fashion-MNIST silhouettes of 0.347 (baseline), 0.375 (Magnet) and 0.395 (Latent
Boost), "calculated on the models' latent representation without compression from the unseen
test dataset"; Eq 12 defines s(i) from a(i) and b(i) but names no distance, and the text also
says the scores were computed "for the previously discussed latent representations in Figure 3"
(the t-SNE grid). Per run, on the saved test latents (``test_outputs.npz``, the network in
``eval()`` mode), this module computes:

- ``euclidean``: Eq 12 with the Euclidean distance on the full latent, the report's reading (the
  run's ``silhouette.json``);
- ``cosine``: Eq 12 with the cosine distance on the full latent;
- ``tsne`` (with ``--tsne``): Eq 12, Euclidean, on the 2-D t-SNE embedding of Figure 3
  (:func:`lb.figures.tsne.embed`, the same settings and seed), the reading the caption's
  "without compression" rules out; slow (about a minute per 10,000 points on one thread).

``python -m lb.metrics.silhouette_readings RUN_DIR ... [--tsne] [--seed S]`` prints one Markdown
row per run (docs/silhouette.md uses it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from lb.metrics.silhouette import silhouette_score

READINGS = ("euclidean", "cosine")


def readings(latent: np.ndarray, labels: np.ndarray, tsne_seed: int | None = None) -> dict:
    """The readings of the module docstring for one run's test latents (N × d) and labels;
    ``tsne`` only when ``tsne_seed`` is given."""
    out = {r: silhouette_score(latent, labels, metric=r) for r in READINGS}
    if tsne_seed is not None:
        from lb.figures.tsne import embed

        out["tsne"] = silhouette_score(embed(latent, tsne_seed), labels)
    return out


def main(argv: list[str] | None = None) -> int:
    from lb.errors import LBError
    from lb.figures.tsne import TSNE_SEED
    from lb.run_outputs import load_test_latents

    parser = argparse.ArgumentParser(
        prog="python -m lb.metrics.silhouette_readings", description=__doc__
    )
    parser.add_argument("run_dirs", nargs="+", type=Path, help="run directories")
    parser.add_argument("--tsne", action="store_true", help="also the t-SNE reading (slow)")
    parser.add_argument("--seed", type=int, default=TSNE_SEED, help="t-SNE seed (Figure 3's)")
    args = parser.parse_args(argv)
    columns = (*READINGS, "tsne") if args.tsne else READINGS
    print("| run | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for run_dir in args.run_dirs:
        try:
            latent, labels = load_test_latents(run_dir / "test_outputs.npz")
            values = readings(latent, labels, args.seed if args.tsne else None)
        except (LBError, ValueError, OSError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        print(f"| {run_dir} | " + " | ".join(f"{values[c]:.3f}" for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
