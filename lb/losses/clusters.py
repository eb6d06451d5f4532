"""Per-class batch statistics shared by Magnet (Eq 4) and Latent Boost (Eqs 7, 9, 11).

All functions are vectorised over classes and samples; class sums use a one-hot matrix product
(deterministic on CPU and GPU, unlike ``index_add_`` on CUDA).
"""

from __future__ import annotations

from typing import NamedTuple

import torch


class ClassGroups(NamedTuple):
    """Labels re-indexed to ``0..K-1`` (sorted label order) with per-class sample counts."""

    index: torch.Tensor  # (N,) int64 class index of every sample
    counts: torch.Tensor  # (K,) int64 samples per class
    onehot: torch.Tensor  # (K, N) one-hot membership, in the embeddings' dtype


def group_by_label(labels: torch.Tensor, dtype: torch.dtype) -> ClassGroups:
    """Group a 1-D label tensor into the classes present in the batch."""
    _, index, counts = torch.unique(labels, sorted=True, return_inverse=True, return_counts=True)
    classes = torch.arange(counts.shape[0], device=labels.device)
    onehot = (classes[:, None] == index[None, :]).to(dtype)
    return ClassGroups(index, counts, onehot)


def keep_classes(x: torch.Tensor, groups: ClassGroups, keep: torch.Tensor):
    """Restrict ``x`` and ``groups`` to the classes where the boolean ``keep`` (K,) is true."""
    if bool(keep.all()):
        return x, groups
    rows = keep[groups.index]
    new_index = (torch.cumsum(keep.long(), 0) - 1)[groups.index[rows]]
    onehot = groups.onehot[keep][:, rows]
    return x[rows], ClassGroups(new_index, groups.counts[keep], onehot)


def centroids(x: torch.Tensor, groups: ClassGroups) -> torch.Tensor:
    """Class means μ_c (K, d) of the rows of ``x`` (Eq 7: computed in whatever space ``x`` is)."""
    return (groups.onehot @ x) / groups.counts.to(x.dtype)[:, None]


def squared_distances(x: torch.Tensor, mu: torch.Tensor, groups: ClassGroups):
    """Squared Euclidean distances of every sample to every centroid.

    Returns ``(own, all_)``: ``own`` (N,) = ‖x_n − μ_{y_n}‖² computed directly (no cancellation,
    exact zero for a singleton), and ``all_`` (N, K) = ‖x_n − μ_c‖² from the expansion
    ‖x‖² + ‖μ‖² − 2 x·μ after removing the (detached) batch mean, which keeps the norms at the
    scale of the spread and the cancellation error at float precision of the distances between
    different classes. ``all_`` is clamped at 0; its own-class entries are not meant to be used.
    """
    own = (x - mu[groups.index]).square().sum(1)
    shift = x.detach().mean(0, keepdim=True)
    xs, ms = x - shift, mu - shift
    all_ = xs.square().sum(1)[:, None] + ms.square().sum(1)[None, :] - 2.0 * (xs @ ms.T)
    return own, all_.clamp_min(0.0)
