"""Triplets for the triplet VAE (the triplet-VAE paper, Sect. 3.1): anchor x_a, positive x_p,
negative x_n.

The paper "precomputes triplets: an anchor, positive sample and negative sample ... x_a and x_p
are of the same class but not the same image, whereas x_n is from a different class". We draw
them at random (no hard or semi-hard mining, which the paper does not mention), afresh every
epoch from a seeded generator: every training image is an anchor once per epoch (in the epoch's
shuffled order); its positive is uniform over the *other* images of its class; its negative is
uniform over all images of the other classes. Vectorised: the images are sorted by class once,
so "another image of the same class" and "an image of another class" are offsets into contiguous
blocks.
"""

from __future__ import annotations

import torch


class TripletSampler:
    """Draws (positive, negative) indices for given anchor indices; labels are fixed at init."""

    def __init__(self, labels: torch.Tensor) -> None:
        labels = torch.as_tensor(labels, dtype=torch.int64).cpu()
        if labels.ndim != 1 or labels.numel() == 0:
            raise ValueError("TripletSampler: labels must be a non-empty 1-D tensor")
        if labels.min() < 0:
            raise ValueError("TripletSampler: labels must be >= 0")
        self.labels = labels
        self.n = labels.numel()
        self.order = torch.argsort(labels, stable=True)
        self.counts = torch.bincount(labels)
        self.starts = torch.cumsum(self.counts, 0) - self.counts
        rank = torch.empty_like(self.order)
        rank[self.order] = torch.arange(self.n) - self.starts[labels[self.order]]
        self.rank = rank  # position of each image inside its class block
        present = self.counts[self.counts > 0]
        if present.numel() < 2:
            raise ValueError("TripletSampler: need at least two classes for negatives")
        single = torch.nonzero(self.counts == 1).flatten().tolist()
        if single:
            raise ValueError(
                f"TripletSampler: class {single[0]} has a single training image, so it has no "
                "positive (raise vae.train_limit)"
            )

    def sample(
        self, anchors: torch.Tensor, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Return (positives, negatives), index tensors aligned with ``anchors``."""
        anchors = torch.as_tensor(anchors, dtype=torch.int64).cpu()
        c = self.labels[anchors]
        n_c = self.counts[c]
        start = self.starts[c]
        u = torch.rand((2, anchors.numel()), generator=generator, dtype=torch.float64)
        # positive: one of the n_c - 1 other images of the class (offset 1 .. n_c - 1 from self)
        r_pos = torch.minimum((u[0] * (n_c - 1)).long(), n_c - 2)
        pos = self.order[start + (self.rank[anchors] + 1 + r_pos) % n_c]
        # negative: one of the N - n_c images after the class block, wrapping around
        n_other = self.n - n_c
        r_neg = torch.minimum((u[1] * n_other).long(), n_other - 1)
        neg = self.order[(start + n_c + r_neg) % self.n]
        return pos, neg
