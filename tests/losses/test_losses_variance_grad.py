"""Beyond the paper: the per-class identity of Eq 9 and what it does to the gradient of Eq 11.

With σ²_c = Σ_{i∈c} ‖r_i − μ_c‖² / (|c| − 1) inside the graph, Σ_{i∈c} ‖r_i − μ_c‖² / (2σ²_c)
= (|c| − 1)/2 for any latents; once β = eps the Latent Boost loss is a constant up to O(eps)
and its gradient vanishes. With ``variance_grad=False`` it does not.
"""

import math

import numpy as np
import pytest
import torch

from lb.losses import LatentBoostLoss, MagnetLoss


def clustered(seed, n=128, d=64, k=10, dtype=torch.float32, uneven=False):
    """Gaussian classes around random centres (the variance-gradient probe: 128 x 64, 10 classes).
    ``uneven``: per-class spreads from 0 to 2, so some clusters are very tight."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % k
    y = y[torch.randperm(n, generator=g)]
    centres = torch.randn(k, d, generator=g) * 3
    spread = torch.rand(k, 1, generator=g) * 2 if uneven else torch.ones(k, 1)
    x = centres[y] + torch.randn(n, d, generator=g) * spread[y]
    return x.to(dtype), y


@pytest.mark.parametrize("seed", range(5))
def test_per_class_identity(seed):
    """Σ_{i∈c} ‖r_i − μ_c‖² / (2σ²_c) = (|c| − 1)/2, float64, plain loops, random batches."""
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(10, 200)), int(rng.integers(2, 300))
    labels = rng.integers(0, int(rng.integers(2, 30)), size=n)
    x = rng.normal(size=(n, d)) * rng.uniform(1e-2, 1e2) + rng.normal(size=d)
    for c in np.unique(labels):
        rows = x[labels == c]
        if len(rows) < 2:
            continue
        mu = rows.mean(axis=0)
        spread = sum(float(np.sum((r - mu) ** 2)) for r in rows)
        var = spread / (len(rows) - 1)
        total = sum(float(np.sum((r - mu) ** 2)) / (2 * var) for r in rows)
        assert total == pytest.approx((len(rows) - 1) / 2, rel=1e-12)


@pytest.mark.parametrize("use_pca", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_loss_at_beta_floor_is_the_constant_the_identity_predicts(seed, use_pca):
    """At β = eps, Eq 11 = α + log(K − 1) + Σ_c (|c| − 1)/(2N) up to O(eps) terms (the eps
    inside the log and β·b in the denominator), whatever the latents, for both variance_grad
    settings (the value is the same). With eps = 1e-12 the O(eps) terms are below 1e-7."""
    x, y = clustered(seed, dtype=torch.float64)
    other, _ = clustered(seed + 10, dtype=torch.float64)  # different latents, same labels
    y = y.clone()
    y[:3] = 10 + torch.arange(3)  # three singleton classes: not anchors, not centroids
    counts = torch.bincount(y)
    counts = counts[counts >= 2].double()
    n, k = counts.sum().item(), len(counts)
    for eps, tol in ((1e-8, 1e-3), (1e-12, 1e-7)):
        for variance_grad in (True, False):
            loss = LatentBoostLoss(use_pca=use_pca, variance_grad=variance_grad, eps=eps)
            loss.set_epoch(30, 100)
            assert loss.beta == eps
            expected = loss.alpha + math.log(k - 1) + ((counts - 1).sum() / (2 * n)).item()
            assert loss(x, y).item() == pytest.approx(expected, abs=tol)
            assert loss(other, y).item() == pytest.approx(expected, abs=tol)
            loss.set_epoch(0, 100)  # β = 1: the value depends on the latents
            assert abs(loss(x, y).item() - loss(other, y).item()) > 1e-2


def distance_grad_norm(loss, x, y):
    z = x.clone().requires_grad_()
    (grad,) = torch.autograd.grad(loss(z, y), z)
    return float(grad.norm())


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("use_pca", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_gradient_vanishes_once_beta_is_eps_with_variance_grad(seed, use_pca, dtype):
    x, y = clustered(seed, dtype=dtype)
    total = 100
    # Without the hinge (the literal Eq 11): these clustered batches are so well separated that
    # the hinge would clip every anchor at E = 0. Once β = eps the hinge is inactive (l_n > α > 0),
    # checked below with the default (hinged) loss.
    literal = LatentBoostLoss(use_pca=use_pca, variance_grad=True, hinge=False)
    detached = LatentBoostLoss(use_pca=use_pca, variance_grad=False, hinge=False)
    hinged = LatentBoostLoss(use_pca=use_pca, variance_grad=True)
    early = {}
    for loss in (literal, detached):
        loss.set_epoch(0, total)
        early[loss.variance_grad] = distance_grad_norm(loss, x, y)
        assert early[loss.variance_grad] > 1e-3
    for epoch in (20, 35, 99):  # β = max(1 − E/20, eps) = eps from E = 20 on
        literal.set_epoch(epoch, total)
        detached.set_epoch(epoch, total)
        assert literal.beta == detached.beta == 1e-8
        assert distance_grad_norm(literal, x, y) <= 1e-6 * early[True]
        assert distance_grad_norm(detached, x, y) >= 1e-2 * early[False]
        hinged.set_epoch(epoch, total)
        assert hinged(x, y).item() == literal(x, y).item()
        assert distance_grad_norm(hinged, x, y) <= 1e-6 * early[True]


@pytest.mark.parametrize("use_pca", [True, False])
def test_residual_gradient_at_beta_floor_is_order_eps(use_pca):
    """What is left of the gradient at β = eps is an O(eps) effect, not rounding: it shrinks
    in proportion to eps. It is largest for very tight clusters (b_{n,c} = ‖r'_n − μ'_c‖²/(2σ²_c)
    large), where eps·b is no longer tiny."""
    x, y = clustered(0, dtype=torch.float64, uneven=True)
    residual = {}
    for eps in (1e-8, 1e-10):
        loss = LatentBoostLoss(use_pca=use_pca, eps=eps)
        loss.set_epoch(50, 100)
        residual[eps] = distance_grad_norm(loss, x, y)
    assert residual[1e-8] / residual[1e-10] == pytest.approx(100.0, rel=0.05)


def test_magnet_pull_term_has_no_gradient_with_variance_grad():
    """Pooled-variance version of the identity: with σ² in the graph the gradient of Magnet is
    that of its push term alone; detaching σ² brings the pull term back."""
    x, y = clustered(3, n=40, d=6, k=4, dtype=torch.float64)

    def push_only(z):
        classes = sorted(set(y.tolist()))
        mu = {c: z[y == c].mean(0) for c in classes}
        var = sum(((z[i] - mu[int(y[i])]) ** 2).sum() for i in range(len(y))) / (len(y) - 1)
        terms = []
        for i in range(len(y)):
            others = [-((z[i] - mu[c]) ** 2).sum() / (2 * var) for c in classes if c != int(y[i])]
            terms.append(torch.logsumexp(torch.stack(others), 0))
        return torch.stack(terms).mean()

    def grad(fn):
        z = x.clone().requires_grad_()
        return torch.autograd.grad(fn(z), z)[0]

    push = grad(push_only)
    literal = grad(lambda z: MagnetLoss(hinge=False)(z, y))
    torch.testing.assert_close(literal, push, rtol=1e-9, atol=1e-12)
    detached = grad(lambda z: MagnetLoss(variance_grad=False, hinge=False)(z, y))
    assert (detached - push).abs().max() > 1e-3
