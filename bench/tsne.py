"""Benchmark: t-SNE of 10,000 × 64 latents, ``lb.figures.tsne.embed`` vs scikit-learn.

Target: ``lb.figures.tsne.embed`` (openTSNE, every hyper-parameter at its default, as Figure 3
uses it) is at least 2× faster than ``sklearn.manifold.TSNE`` with its defaults
(``n_components=2``, perplexity 30, PCA initialisation, learning rate "auto", Barnes-Hut,
1,000 iterations), on the same input and seed.

Input: a realistic stand-in for a test set's CNN latents — 10 classes of 1,000 points in 64-d,
each class a Gaussian cloud around its own centre whose variance lives mostly in a class-specific
8-d subspace, three pairs of classes close together (like shirt / T-shirt / pullover in
Fashion-MNIST), followed by a ReLU (the latents of ``fashion_cnn`` are non-negative). Fixed seed.

Threads: ``embed`` always runs openTSNE on one thread (its FFT gradients change with the thread
count, see ``lb.figures.tsne``). Two rows: an equal budget of 1 thread (scikit-learn with
``n_jobs=1`` and its OpenMP gradient and BLAS limited to 1 thread through ``threadpoolctl``, the
same limit around ``embed``), and scikit-learn on all cores (its defaults, ``n_jobs=cores``)
against ``embed`` exactly as the workflow calls it. Runs of the two alternate; the ratio is the
median over rounds. Each row also gives both final KL divergences, so a faster result is not a
worse one.
"""

from __future__ import annotations

import os
import statistics

import numpy as np

from bench import interleaved, median_ratio, row

TARGET = 2.0
SEED = 0


def clustered_latents(n: int, d: int = 64, classes: int = 10, seed: int = SEED):
    """``(x float32 n×d, labels)``: the clustered, non-negative input described above."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 1.0, size=(classes, d)) * 2.0 + 1.0
    for a, b in ((0, 6), (2, 4), (5, 7)):  # three pairs of confusable classes
        centres[b] = centres[a] + rng.normal(0.0, 0.6, size=d)
    labels = np.arange(n) % classes
    rng.shuffle(labels)
    x = np.empty((n, d))
    for c in range(classes):
        idx = np.flatnonzero(labels == c)
        basis = rng.normal(0.0, 1.0, size=(8, d)) / np.sqrt(d) * 3.0
        x[idx] = (
            centres[c]
            + rng.normal(size=(idx.size, 8)) @ basis
            + rng.normal(0.0, 0.3, size=(idx.size, d))
        )
    return np.maximum(x, 0.0).astype(np.float32), labels


def _opentsne_kl(x: np.ndarray) -> float:
    """Final KL divergence of the openTSNE call :func:`lb.figures.tsne.embed` makes (untimed)."""
    from openTSNE import TSNE

    result = TSNE(n_components=2, random_state=SEED, n_jobs=1, verbose=False).fit(
        x.astype(np.float64)
    )
    return float(result.kl_divergence)


def run(tiny: bool = False) -> list[dict]:
    """Time both t-SNE implementations at 1 thread and at all cores (rows as in :mod:`bench`)."""
    from sklearn.manifold import TSNE as SkTSNE
    from threadpoolctl import threadpool_limits

    from lb.figures.tsne import embed

    n, rounds = (300, 1) if tiny else (10_000, 3)
    x, _ = clustered_latents(n)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows = []
    budgets = [1] if tiny else sorted({1, int(cores or 1)})
    for threads in budgets:
        sk_kl: list[float] = []
        limit = 1 if threads == 1 else None  # None: no limit (all cores)

        def ours(limit=limit):
            with threadpool_limits(limits=limit):
                embed(x, seed=SEED)

        def sklearn(threads=threads, limit=limit, sk_kl=sk_kl):
            with threadpool_limits(limits=limit):
                tsne = SkTSNE(n_components=2, random_state=SEED, n_jobs=threads)
                tsne.fit_transform(x)
            sk_kl.append(float(tsne.kl_divergence_))

        times = interleaved({"ours": ours, "sklearn": sklearn}, rounds)
        ratio = median_ratio(times["sklearn"], times["ours"])
        with threadpool_limits(limits=1):
            ours_kl = _opentsne_kl(x)
        budget = "1 thread each" if threads == 1 else f"sklearn on {threads} threads, ours on 1"
        rows.append(
            row(
                "tsne",
                f"{n:,} × 64 clustered latents (10 classes), {budget}; "
                f"median of {rounds} interleaved rounds",
                "lb.figures.tsne.embed (openTSNE defaults, 1 thread)",
                f"sklearn.manifold.TSNE defaults (n_jobs={threads})",
                statistics.median(times["ours"]),
                statistics.median(times["sklearn"]),
                ratio,
                f">= {TARGET:g}x",
                ratio >= TARGET,
                kl_ours=ours_kl,
                kl_baseline=sk_kl[-1],
            )
        )
    return rows


if __name__ == "__main__":
    from bench.__main__ import main

    main(["--only", "tsne"])
