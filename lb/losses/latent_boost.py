r"""Latent Boost loss (Sections 4–5, Eqs 6–11 of the Latent Boost paper).

Per batch (N samples, embeddings r_n, labels y_n):

1. **PCA (Eqs 6–8)**, when ``use_pca``: the whole batch is centred and projected onto its top
   ``dim`` principal directions, ``dim`` the smallest number of components reaching the cumulative
   explained variance ``variance_threshold`` T (else min(m, n)); see ``lb.losses.pca``. The basis
   is detached, gradients flow through the projection. ``use_pca=False`` skips this step
   ("Latent Boost w/o PCA", Table 4). The dimension used is kept in ``last_dim``.
2. **Usable classes.** A class with a single sample in the batch has no variance (Eq 9 divides by
   |c| − 1): it is neither an anchor nor a centroid. (PCA in step 1 still uses the whole batch.)
   With fewer than two usable classes the loss is 0 with a grad_fn.
3. **Per-class centroid and variance (Eq 9)**, unbiased and clamped below at ``eps``:
   μ'_c = mean of r'_i over i ∈ c,  σ²_c = max(Σ_{i∈c} ‖r'_i − μ'_c‖² / (|c| − 1), eps).
4. **Schedules (Eq 10)**, from ``set_epoch(E, max_epochs)``:
   α = 1 + α0·exp(−E / (1.05·E_total)),  β = max(β0·(1 − E / (0.2·E_total)), eps).
   E is the 0-based index of the epoch being trained (the first epoch has E = 0, so α = 1 + α0
   and β = β0). Before any ``set_epoch`` call E = 0. E_total is "the conventional training
   period" of the paper, which admits two readings: (i) the run's maximum number of epochs
   (``e_total=None``, the default: E_total = ``max_epochs``), or (ii) the length a conventional
   (cross-entropy only) training takes, e.g. the Latent Boost paper's Table 4 baseline mean on
   Fashion-MNIST, 40.67 epochs (``e_total=40``). :func:`schedule_length` is the one rule.
   Either way E_total is fixed before training; early stopping does not change it.
5. **Loss (Eq 11)**, for anchor n of class y, with b_{n,c} = ‖r'_n − μ'_c‖² / (2σ²_c) (each
   distance scaled by the variance of the cluster it is measured to — the paper's σ²_{C_k}; the
   anchor's own cluster in the numerator, cluster c in the denominator):

       ratio_n = exp(−b_{n,y} − α) / Σ_{c≠y} exp(−β·b_{n,c}),   l_n = −log(ratio_n + eps)

   and the loss is the mean of max(0, l_n) over the anchors (``hinge=True``, default), or of l_n
   (``hinge=False``). The hinge is the {·}_+ of Rippel et al.'s Magnet loss, which Eq 11 builds on
   (Eq 11 keeps the braces but prints no "+"); without it the loss is unbounded below. It is
   evaluated in log space, l_n = −logaddexp(−b_{n,y} − α − logsumexp_{c≠y}(−β·b_{n,c}), log eps),
   which equals the formula exactly and neither overflows nor underflows.

``variance_grad``: ``True`` (default) is the literal equations, σ²_c inside the computation graph;
``False`` detaches σ²_c (a batch statistic; method ``latent_boost_detached_var``). With σ²_c in the
graph the pull term's batch mean is the constant Σ_c (|c| − 1)/(2N) (an identity of Eq 9), so only
the push term moves the latents, and once β reaches eps the gradient vanishes to O(eps).
docs/latent_boost_loss.md has the derivation, the measurements and the hinge's story.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from lb.losses.clusters import centroids, group_by_label, keep_classes, squared_distances
from lb.losses.pca import batch_pca
from lb.losses.validation import check_batch, check_bool, check_epoch, check_real, zero_loss


def schedule_length(e_total: int | None, max_epochs: int) -> int:
    """E_total of Eq 10: ``e_total`` when given (reading (ii), a conventional training's
    length), else the run's ``max_epochs`` (reading (i))."""
    return max_epochs if e_total is None else e_total


def schedule(alpha0: float, beta0: float, epoch: int, total_epochs: int, eps: float):
    """Eq 10: ``(alpha, beta)`` for 0-based epoch ``epoch`` of ``total_epochs``."""
    alpha = 1.0 + alpha0 * math.exp(-epoch / (1.05 * total_epochs))
    beta = max(beta0 * (1.0 - epoch / (0.2 * total_epochs)), eps)
    return alpha, beta


class LatentBoostLoss(nn.Module):
    """Eq 11 with PCA (Eqs 6–8), per-class variance (Eq 9) and schedules (Eq 10).

    ``e_total``: E_total of Eq 10 (an integer >= 1), or None for the run's ``max_epochs`` (see
    the module docstring, step 4). Attributes for logging: ``last_dim`` (int, dimension used by
    the most recent batch with at least two usable classes; the full width without PCA; 0 before
    the first such batch), ``alpha`` and ``beta`` (floats, current Eq 10 values).
    """

    def __init__(
        self,
        alpha0: float = 1.0,
        beta0: float = 1.0,
        variance_threshold: float = 0.95,
        use_pca: bool = True,
        eps: float = 1e-8,
        variance_grad: bool = True,
        hinge: bool = True,
        e_total: int | None = None,
    ):
        super().__init__()
        self.alpha0 = check_real("alpha0", alpha0)
        self.beta0 = check_real("beta0", beta0, low=0.0)
        self.variance_threshold = check_real(
            "variance_threshold", variance_threshold, low=0.0, low_open=True, high=1.0
        )
        self.use_pca = check_bool("use_pca", use_pca)
        self.eps = check_real("eps", eps, low=0.0, low_open=True, high=1.0, high_open=True)
        self.variance_grad = check_bool("variance_grad", variance_grad)
        self.hinge = check_bool("hinge", hinge)
        if e_total is not None:
            check_epoch(0, e_total, max_name="e_total")
        self.e_total = e_total
        self.last_dim = 0
        self.set_epoch(0, 1)

    def set_epoch(self, epoch: int, max_epochs: int) -> None:
        """Set E (0-based epoch being trained) for Eq 10; E_total (``total_epochs``) is
        ``schedule_length(self.e_total, max_epochs)``."""
        self.epoch, max_epochs = check_epoch(epoch, max_epochs)
        self.total_epochs = schedule_length(self.e_total, max_epochs)
        self.alpha, self.beta = schedule(
            self.alpha0, self.beta0, self.epoch, self.total_epochs, self.eps
        )

    def forward(self, embeddings: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        labels = check_batch(embeddings, labels)
        groups = group_by_label(labels, embeddings.dtype)
        usable = groups.counts >= 2
        if int(usable.sum()) < 2:
            return zero_loss(embeddings)
        if self.use_pca:
            x, dim = batch_pca(embeddings, self.variance_threshold)
        else:
            x, dim = embeddings, embeddings.shape[1]
        self.last_dim = dim
        x, groups = keep_classes(x, groups, usable)
        mu = centroids(x, groups)
        own, dist = squared_distances(x, mu, groups)
        counts = groups.counts.to(x.dtype)
        var = ((groups.onehot @ own) / (counts - 1.0)).clamp_min(self.eps)
        if not self.variance_grad:
            var = var.detach()
        half_inv_var = 0.5 / var
        pull = own * half_inv_var[groups.index]
        is_own = groups.onehot.T.bool()
        push = (-self.beta * dist * half_inv_var).masked_fill(is_own, float("-inf"))
        log_ratio = -pull - self.alpha - torch.logsumexp(push, dim=1)
        log_eps = torch.tensor(math.log(self.eps), dtype=x.dtype, device=x.device)
        per_anchor = -torch.logaddexp(log_ratio, log_eps)
        if self.hinge:
            per_anchor = per_anchor.clamp_min(0.0)
        return per_anchor.mean()

    def extra_repr(self) -> str:
        return (
            f"alpha0={self.alpha0}, beta0={self.beta0}, "
            f"variance_threshold={self.variance_threshold}, use_pca={self.use_pca}, "
            f"eps={self.eps}, variance_grad={self.variance_grad}, hinge={self.hinge}, "
            f"e_total={self.e_total}"
        )
