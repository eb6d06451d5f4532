"""Magnet loss (Rippel et al. 2015), as written in Eq 4 of the Latent Boost paper.

With one cluster per class present in the batch (so the inner sum Σ_k of Eq 4 has K = 1 term),
d(·,·) the squared Euclidean distance, μ_c the batch mean of class c and the pooled variance

    σ² = Σ_n d(r_n, μ_{y_n}) / (N − 1)            (over all N samples, as in Rippel et al.)

the loss of anchor n with class y is

    l_n = d(r_n, μ_y) / (2σ²) + α + log Σ_{c≠y} exp(−d(r_n, μ_c) / (2σ²))

and the loss is the mean of max(0, l_n) over all anchors (``hinge=True``, default) or of l_n
(``hinge=False``). The hinge is Rippel et al.'s {·}_+; the paper's Eq 4 keeps its curly braces
but prints no "+". We read the braces as that hinge, because without it the loss is unbounded below:
l_n → −∞ as the other clusters move away relative to σ, so the distance term can grow without
limit instead of shaping the clusters (measured with Latent Boost, which inherits it:
docs/latent_boost_loss.md). Every class present counts, singletons included (a singleton is its
own centroid, d = 0). σ² is clamped below at
``eps`` so identical points do not divide by zero. A batch with fewer than two classes gives 0 with
a grad_fn (there is no negative class), so the trainer never branches. Computed in log space
(``logsumexp``) so nothing overflows.

``variance_grad``: ``True`` (default, the literal equation) keeps σ² inside the
computation graph; ``False`` detaches it (σ² is a batch statistic). With σ² in the graph the pull
term has no gradient at all: for the pooled variance,

    Σ_n d(r_n, μ_{y_n}) / (2σ²) = (N − 1)/2     for any latents (unless σ² is clamped at eps),

so without the hinge the mean over anchors of the first term is the constant (N − 1)/(2N) and only
the push term (the log-sum over other classes) moves the latents; with the hinge that holds while
no anchor is clipped (every l_n > 0). Latent Boost (``lb.losses.latent_boost``)
has the per-class version of this identity, where it matters more (see there).
"""

from __future__ import annotations

import torch
from torch import nn

from lb.losses.clusters import centroids, group_by_label, squared_distances
from lb.losses.validation import check_batch, check_bool, check_epoch, check_real, zero_loss


class MagnetLoss(nn.Module):
    """Eq 4 with the pooled variance; ``forward(embeddings, labels) -> scalar``."""

    def __init__(
        self, alpha: float = 1.0, variance_grad: bool = True, eps: float = 1e-8, hinge: bool = True
    ):
        super().__init__()
        self.alpha = check_real("alpha", alpha)
        self.variance_grad = check_bool("variance_grad", variance_grad)
        self.hinge = check_bool("hinge", hinge)
        self.eps = check_real("eps", eps, low=0.0, low_open=True)

    def set_epoch(self, epoch: int, max_epochs: int) -> None:
        """No schedule in Eq 4: checks the arguments and does nothing else."""
        check_epoch(epoch, max_epochs)

    def forward(self, embeddings: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        labels = check_batch(embeddings, labels)
        groups = group_by_label(labels, embeddings.dtype)
        if groups.counts.shape[0] < 2:
            return zero_loss(embeddings)
        n = embeddings.shape[0]
        mu = centroids(embeddings, groups)
        own, dist = squared_distances(embeddings, mu, groups)
        var = (own.sum() / (n - 1)).clamp_min(self.eps)
        if not self.variance_grad:
            var = var.detach()
        scale = 0.5 / var
        is_own = groups.onehot.T.bool()
        push = torch.logsumexp((-scale * dist).masked_fill(is_own, float("-inf")), dim=1)
        per_anchor = own * scale + self.alpha + push
        if self.hinge:
            per_anchor = per_anchor.clamp_min(0.0)
        return per_anchor.mean()

    def extra_repr(self) -> str:
        return (
            f"alpha={self.alpha}, variance_grad={self.variance_grad}, eps={self.eps}, "
            f"hinge={self.hinge}"
        )
