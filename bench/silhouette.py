"""Benchmark: ``lb.metrics.silhouette_score`` vs ``sklearn.metrics.silhouette_score``.

Side by side in one run on the same data: 10,000 clustered points in 512 dimensions, 10 classes,
float32 (the size of a test-set latent of the VGG-16 / CIFAR-10 runs), Euclidean. Times are
interleaved (``bench.interleaved``); the speed-up is the median over rounds of sklearn / ours.
``abs_diff`` is |ours − sklearn|. Target: ≥ 1.5× faster with
|Δ| ≤ 1e-5.

Run ``python -m bench.silhouette`` (``--tiny``: 1,000 × 64, one round).
"""

from __future__ import annotations

import argparse
import statistics

import torch
from sklearn.metrics import silhouette_score as sklearn_silhouette

from bench import interleaved, median_ratio, row
from bench.losses import markdown
from lb.metrics import silhouette_score

TARGET = 1.5
TOLERANCE = 1e-5


def clustered(n: int, d: int, k: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, k, (n,), generator=g)
    x = torch.randn(k, d, generator=g)[labels] * 1.5 + torch.randn(n, d, generator=g)
    return x, labels


def run(tiny: bool = False) -> list[dict]:
    """One row in the ``bench`` format."""
    n, d, k = (1_000, 64, 10) if tiny else (10_000, 512, 10)
    repeats = 1 if tiny else 3
    x, labels = clustered(n, d, k)
    x_np, labels_np = x.numpy(), labels.numpy()
    values = {}

    def ours():
        values["ours"] = silhouette_score(x, labels)

    def theirs():
        values["sklearn"] = float(sklearn_silhouette(x_np, labels_np))

    silhouette_score(x[:200], labels[:200])  # warm-up (first-call overheads)
    sklearn_silhouette(x_np[:200], labels_np[:200])
    times = interleaved({"ours": ours, "sklearn": theirs}, repeats)
    speedup = median_ratio(times["sklearn"], times["ours"])
    diff = abs(values["ours"] - values["sklearn"])
    return [
        row(
            "silhouette",
            f"silhouette, {n:,} x {d}, {k} classes, float32",
            "lb.metrics.silhouette_score",
            "sklearn.metrics.silhouette_score",
            statistics.median(times["ours"]),
            statistics.median(times["sklearn"]),
            speedup,
            f">= {TARGET:g}x, abs_diff <= {TOLERANCE:g}",
            speedup >= TARGET and diff <= TOLERANCE,
            abs_diff=diff,
            silhouette=values["ours"],
        )
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="smoke run (1,000 x 64, one round)")
    args = parser.parse_args(argv)
    print(markdown(run(tiny=args.tiny)))


if __name__ == "__main__":
    main()
