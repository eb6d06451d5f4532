"""Contrastive, triplet and N-pair losses from pytorch-metric-learning with Table 1's settings.

The paper's preliminary experiment (Section 3.4, Table 1) uses the library classes with

- ``ContrastiveLoss(pos_margin=0.0, neg_margin=1.0)``
- ``TripletMarginLoss(margin=0.05, triplets_per_anchor="all")``
- ``NPairsLoss(reducer=MeanReducer())``

and everything else at the library's defaults. The losses are not rewritten here; this module only
wraps them so they share the ``forward(embeddings, labels)`` / ``set_epoch`` interface of the
other distance losses. What the defaults imply, read from the installed source
(pytorch-metric-learning 2.9.0):

**Contrastive** (Eq 1 differs in form). Distance ``LpDistance(p=2, power=1,
normalize_embeddings=True)``: the plain (not squared) Euclidean distance d_ij between L2-normalised
embeddings (so d ∈ [0, 2]). Pairs: all ordered pairs i ≠ j in the batch (each unordered pair
twice). Per-pair losses: positive pairs relu(d_ij − pos_margin), negative pairs
relu(neg_margin − d_ij) — not squared, unlike Eq 1. Reducer: ``AvgNonZeroReducer`` applied to the
positive and to the negative pair losses separately (mean over the pairs whose loss is > 0), the
two means summed (``MultipleReducers``); 0 when a sub-loss has no non-zero pair. No 1/(2N).

**Triplet** (Eq 2). Distance ``LpDistance(p=2, power=1, normalize_embeddings=True)`` as above.
Triplets: all (a, p, n) with y_a = y_p, a ≠ p, y_n ≠ y_a. Per-triplet loss
relu(d_ap − d_an + margin) with ``swap=False``, ``smooth_loss=False``. Reducer:
``AvgNonZeroReducer`` (mean over triplets with loss > 0, 0 if none).

**N-pair** (Eq 3). Distance ``DotProductSimilarity(normalize_embeddings=True)``: cosine
similarity. Pairs: for every label with at least two samples in the batch, one (anchor,
positive) pair — the first two samples of that label in batch order (``np.unique`` on all
positive pairs, deterministic). With P such pairs, loss_i = cross-entropy of row i of the P×P
similarity matrix S_ij = cos(f_{a_i}, f_{p_j}) with target i, which is Eq 3 with the other
labels' positives as negatives. Reducer ``MeanReducer`` (the library's default for this loss
too): mean over the P pairs; 0 when P = 0.

No embedding regulariser in any of them. A batch without any valid pair/triplet gives the
library's ``sum(embeddings * 0)``: 0 with a grad_fn.

pytorch-metric-learning is imported when one of these losses is built, not with this module
(importing it costs a training job ~0.7 s, and only these three methods need it).
"""

from __future__ import annotations

import torch
from torch import nn

from lb.losses.validation import check_batch, check_epoch, check_real


def _pml_losses():
    """``pytorch_metric_learning.losses``, imported on first use."""
    from pytorch_metric_learning import losses

    return losses


class LibraryLoss(nn.Module):
    """A pytorch-metric-learning loss behind the ``forward(embeddings, labels)`` interface."""

    def __init__(self, loss: nn.Module):
        super().__init__()
        self.loss = loss

    def set_epoch(self, epoch: int, max_epochs: int) -> None:
        """No schedule in Table 1: checks the arguments and does nothing else."""
        check_epoch(epoch, max_epochs)

    def forward(self, embeddings: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        labels = check_batch(embeddings, labels)
        return self.loss(embeddings, labels)


class ContrastiveLoss(LibraryLoss):
    """``pytorch_metric_learning.losses.ContrastiveLoss`` with Table 1's margins (Eq 1)."""

    def __init__(self, pos_margin: float = 0.0, neg_margin: float = 1.0):
        pos_margin = check_real("pos_margin", pos_margin)
        neg_margin = check_real("neg_margin", neg_margin)
        super().__init__(
            _pml_losses().ContrastiveLoss(pos_margin=pos_margin, neg_margin=neg_margin)
        )


class TripletLoss(LibraryLoss):
    """``pytorch_metric_learning.losses.TripletMarginLoss`` with Table 1's settings (Eq 2)."""

    def __init__(self, margin: float = 0.05, triplets_per_anchor: int | str = "all"):
        margin = check_real("margin", margin)
        if triplets_per_anchor != "all" and (
            isinstance(triplets_per_anchor, bool)
            or not isinstance(triplets_per_anchor, int)
            or triplets_per_anchor < 1
        ):
            raise ValueError(
                f'triplets_per_anchor must be "all" or a positive integer, '
                f"got {triplets_per_anchor!r}"
            )
        super().__init__(
            _pml_losses().TripletMarginLoss(margin=margin, triplets_per_anchor=triplets_per_anchor)
        )


class NPairLoss(LibraryLoss):
    """``pytorch_metric_learning.losses.NPairsLoss`` with a ``MeanReducer`` (Eq 3, Table 1)."""

    def __init__(self):
        from pytorch_metric_learning.reducers import MeanReducer

        super().__init__(_pml_losses().NPairsLoss(reducer=MeanReducer()))
