"""Seeded, stratified splits: the hold-out validation set (Section 3.3 of the Latent Boost paper)
and the fixed subset that ``train_limit`` / ``test_limit`` keep (:func:`stratified_subset`)."""

from __future__ import annotations

import math

import numpy as np
import torch

# The seed of :func:`stratified_subset`: fixed, so every run (and the triplet-VAE study) that
# limits a data set keeps the same images.
SUBSET_SEED = 0


def stratified_split(
    labels: torch.Tensor | np.ndarray | list[int], val_fraction: float, seed: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Split indices ``0..N-1`` into ``(train_idx, val_idx)``, both sorted int64 tensors.

    Every class gives ``val_fraction`` of its samples to the validation part: class ``c`` with
    ``n_c`` samples gives ``floor(n_c * f)`` and the remaining ``round(N * f) - Σ floor(n_c * f)``
    samples go one each to the classes with the largest fractional part ``n_c * f - floor(...)``
    (ties: lower class id), so the total is exactly ``round(N * f)`` (half up) and no class is off
    by more than one. A class never loses its last training sample to validation. Which samples
    of a class are held out is decided by ``torch.randperm`` with a CPU generator seeded with
    ``seed``: the same labels, fraction and seed give the same split on every machine.
    """
    y = torch.as_tensor(np.asarray(labels)).reshape(-1).to(torch.int64)
    if not 0.0 <= float(val_fraction) < 1.0:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction}")
    n = y.numel()
    generator = torch.Generator().manual_seed(int(seed))
    perm = torch.randperm(n, generator=generator)
    # A stable sort by label of the shuffled indices groups the classes (in class order) and keeps
    # the random order inside each class.
    order = perm[torch.sort(y[perm], stable=True).indices]
    _, counts = torch.unique(y, sorted=True, return_counts=True)

    exact = counts.to(torch.float64) * float(val_fraction)
    n_val = exact.floor().to(torch.int64)
    remaining = math.floor(n * float(val_fraction) + 0.5) - int(n_val.sum())
    if remaining > 0:
        largest = torch.sort(-(exact - n_val), stable=True).indices[:remaining]
        n_val[largest] += 1
    n_val = torch.minimum(n_val, counts - 1)

    starts = torch.cumsum(counts, 0) - counts
    rank = torch.arange(n) - torch.repeat_interleave(starts, counts)
    is_val = rank < torch.repeat_interleave(n_val, counts)
    return torch.sort(order[~is_val]).values, torch.sort(order[is_val]).values


def stratified_subset(
    x: torch.Tensor, y: torch.Tensor, limit: int | None, seed: int = SUBSET_SEED
) -> tuple[torch.Tensor, torch.Tensor]:
    """About ``limit`` images of ``(x, y)`` in the class proportions of ``y``, or everything when
    ``limit`` is None or not smaller than ``len(y)``.

    The kept images are the held-out part of :func:`stratified_split` with fraction
    ``limit / len(y)`` and ``seed`` (sorted indices), so the same data, limit and seed keep the
    same images wherever the subset is drawn.
    """
    if limit is None or limit >= len(y):
        return x, y
    _, keep = stratified_split(y, limit / len(y), seed)
    return x[keep], y[keep]
