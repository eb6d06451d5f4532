"""Batch PCA of Latent Boost (Section 4.1, Eqs 6–8).

``batch_pca(x, threshold)`` centres the batch ``x`` (m samples × n features), finds its principal
directions and squared singular values S_j², keeps the smallest number ``dim`` of leading
directions whose cumulative explained variance reaches the threshold T (Eq 8)::

    dim = min{ i : Σ_{j≤i} S_j² / Σ_j S_j² ≥ T },   or dim = min(m, n) if no such i exists

and projects the centred batch onto them (Eqs 6–7; centroids of the projected points are the
projected centroids, since the projection is linear). The denominator of Eq 8 sums to m−1 in the
paper; the centred batch has rank ≤ m−1, so summing over all j is the same. A batch with zero
total variance (all points identical) has no i satisfying Eq 8 and takes the ``else`` branch.

Gradient: the basis (principal directions) is detached; gradients flow through the projection
``(x − mean) @ W``. (Centring carries no gradient of consequence: distances are translation
invariant.)

Speed: the squared singular values and directions come from ``eigh`` of the smaller of the two
Gram matrices, chosen by shape — the n×n covariance Xcᵀ Xc when n ≤ m (directions are its
eigenvectors), else the m×m Gram Xc Xcᵀ (directions V = Xcᵀ U S⁻¹; the projection Xc V is then
(Xc X̄cᵀ) U S⁻¹, so the Gram product is the only n-sized product of the forward pass and its
gradient the only one of the backward pass); an SVD of the batch is never cheaper for these shapes.
The small k×k eigenproblem (k = min(m, n)) is solved in float64, the product formed in the input
dtype. Timings and the float32/float64 comparison: docs/performance.md, "Batch PCA".
The directions are cast back to the input dtype.
"""

from __future__ import annotations

import torch

from lb.losses.validation import check_real


def explained_variance_dim(squared_singular_values: torch.Tensor, threshold: float) -> int:
    """Eq 8: the number of leading components (values sorted descending) reaching ``threshold``."""
    s2 = squared_singular_values.clamp_min(0.0)
    k = s2.shape[0]
    total = s2.sum()
    if not bool(total > 0):
        return k
    ratio = torch.cumsum(s2, 0) / total
    reached = torch.nonzero(ratio >= threshold)
    return int(reached[0, 0]) + 1 if reached.numel() else k


def principal_directions(xc: torch.Tensor, threshold: float) -> tuple[torch.Tensor, int]:
    """Detached basis W (n × dim) of the top-``dim`` principal directions of the centred ``xc``
    (covariance route, for n ≤ m)."""
    xd = xc.detach()
    evals, evecs = torch.linalg.eigh((xd.T @ xd).double())
    evals, evecs = evals.flip(0), evecs.flip(1)
    dim = explained_variance_dim(evals, threshold)
    return evecs[:, :dim].to(xc.dtype), dim


def gram_projection(xc: torch.Tensor, threshold: float) -> tuple[torch.Tensor, int]:
    """Projection onto the top-``dim`` principal directions via the m×m Gram (for n > m).

    With Xc = U S Vᵀ the directions are V = Xcᵀ U S⁻¹ (detached), so the projection is
    Xc V = (Xc X̄cᵀ) U S⁻¹ with X̄c the detached batch: the Gram product, needed anyway for the
    eigenproblem, is the only n-sized product in the forward pass (and its gradient the only one
    in the backward pass).
    """
    m = xc.shape[0]
    gram = xc @ xc.detach().T
    evals, evecs = torch.linalg.eigh(gram.detach().double())
    evals, evecs = evals.flip(0), evecs.flip(1)
    dim = explained_variance_dim(evals, threshold)
    s2 = evals[:dim].clamp_min(0.0)
    # Directions with (numerically) zero singular value carry no variance: every point's
    # coordinate on them is 0 up to rounding and their gradient contribution is 0, so a zero
    # column is the exact limit and avoids dividing by ~0.
    floor = s2.max().clamp_min(torch.finfo(torch.float64).tiny) * m * torch.finfo(xc.dtype).eps
    inv_s = torch.where(s2 <= floor, torch.zeros_like(s2), s2.clamp_min(1e-300).rsqrt())
    return gram @ (evecs[:, :dim] * inv_s).to(xc.dtype), dim


def batch_pca(x: torch.Tensor, threshold: float) -> tuple[torch.Tensor, int]:
    """Project the centred batch onto its top principal directions (Eqs 6–8).

    Returns ``(projected, dim)``: ``projected`` is (m × dim) with gradient to ``x`` through the
    projection only; ``dim`` is the number of components kept for threshold T = ``threshold``.
    """
    threshold = check_real("threshold", threshold, low=0.0, low_open=True, high=1.0)
    if not isinstance(x, torch.Tensor) or x.dim() != 2 or not x.is_floating_point():
        raise ValueError("x must be a 2-D floating tensor (batch x features)")
    xc = x - x.detach().mean(0, keepdim=True)
    if x.shape[1] > x.shape[0]:
        return gram_projection(xc, threshold)
    w, dim = principal_directions(xc, threshold)
    return xc @ w, dim
