"""The weighted sum of a distance loss and cross-entropy (Eq 5).

    L_total = λ·L_dist + (1 − λ)·L_CE,   λ ∈ [0, 1]

``L_CE`` is the softmax cross-entropy of the logits averaged over the batch. With λ = 0 or no
distance loss (the baseline) the distance loss is not computed at all and ``dist`` is ``None``;
then ``total = ce`` (the baseline is plain cross-entropy whatever λ is given with it). With
λ = 1 the cross-entropy is still computed (and returned for logging) but has weight 0.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from lb.losses.validation import check_real


class LossTerms(NamedTuple):
    """The terms of Eq 5 for one batch: ``total`` (to backpropagate), ``ce`` and ``dist``."""

    total: torch.Tensor
    ce: torch.Tensor
    dist: torch.Tensor | None


class WeightedLoss(nn.Module):
    """Eq 5: ``forward(logits, latent, labels) -> LossTerms(total, ce, dist)``."""

    def __init__(self, distance_loss: nn.Module | None, lam: float):
        super().__init__()
        self.lam = check_real("lam", lam, low=0.0, high=1.0)
        self.distance_loss = distance_loss

    @property
    def uses_distance(self) -> bool:
        """Whether ``forward`` computes the distance term (λ > 0 and a distance loss given)."""
        return self.distance_loss is not None and self.lam > 0.0

    def forward(
        self, logits: torch.Tensor, latent: torch.Tensor, labels: torch.Tensor
    ) -> LossTerms:
        if not isinstance(logits, torch.Tensor) or logits.dim() != 2:
            raise ValueError("logits must be a 2-D tensor (batch x classes)")
        if not isinstance(labels, torch.Tensor) or labels.shape != logits.shape[:1]:
            raise ValueError(
                f"labels must be a 1-D tensor with one entry per row of logits "
                f"({logits.shape[0]}), got shape {tuple(getattr(labels, 'shape', ()))}"
            )
        ce = F.cross_entropy(logits, labels)
        if not self.uses_distance:
            return LossTerms(ce, ce, None)
        dist = self.distance_loss(latent, labels)
        return LossTerms(self.lam * dist + (1.0 - self.lam) * ce, ce, dist)

    def extra_repr(self) -> str:
        return f"lam={self.lam}"
