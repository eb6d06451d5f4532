"""Analytic gradients of Magnet (Eq 4) and Latent Boost w/o PCA (Eq 11) against finite
differences (torch.autograd.gradcheck, float64). Finite differences move σ² too, so they apply to
``variance_grad=True`` only; the detached variant is checked against a loop reference in which
σ² is computed from a detached copy of the latents."""

import math

import pytest
import torch

from lb.losses import LatentBoostLoss, MagnetLoss


def small_batch(seed):
    g = torch.Generator().manual_seed(seed)
    labels = torch.tensor([0, 0, 0, 1, 1, 1, 1, 2, 2, 3])  # class 3 is a singleton
    centres = torch.randn(4, 5, generator=g, dtype=torch.float64) * 2
    x = centres[labels] + torch.randn(10, 5, generator=g, dtype=torch.float64)
    return x.requires_grad_(), labels


@pytest.mark.parametrize("hinge", [True, False], ids=["hinge", "no_hinge"])
@pytest.mark.parametrize("seed", [0, 1])
def test_magnet_gradcheck(seed, hinge):
    x, y = small_batch(seed)
    loss = MagnetLoss(alpha=1.0, variance_grad=True, hinge=hinge)
    assert torch.autograd.gradcheck(lambda z: loss(z, y), (x,), eps=1e-6, atol=1e-7)


@pytest.mark.parametrize("hinge", [True, False], ids=["hinge", "no_hinge"])
@pytest.mark.parametrize("epoch", [0, 5, 30])
@pytest.mark.parametrize("seed", [0, 1])
def test_latent_boost_without_pca_gradcheck(seed, epoch, hinge):
    x, y = small_batch(seed)
    loss = LatentBoostLoss(use_pca=False, variance_grad=True, hinge=hinge)
    loss.set_epoch(epoch, 40)
    assert torch.autograd.gradcheck(lambda z: loss(z, y), (x,), eps=1e-6, atol=1e-7)


def test_detached_variance_changes_the_gradient_not_the_value():
    x, y = small_batch(3)
    grads, values = [], []
    for variance_grad in (True, False):
        loss = LatentBoostLoss(use_pca=False, variance_grad=variance_grad)
        z = x.detach().clone().requires_grad_()
        value = loss(z, y)
        values.append(value.item())
        grads.append(torch.autograd.grad(value, z)[0])
    assert values[0] == values[1]
    assert (grads[0] - grads[1]).abs().max() > 1e-3


def loop_latent_boost(z, labels, alpha, beta, eps, detach_var, hinge):
    """Eq 11 with plain loops over classes and samples (torch float64, for autograd)."""
    classes = sorted({int(c) for c in labels})
    members = {c: [i for i in range(len(labels)) if int(labels[i]) == c] for c in classes}
    usable = [c for c in classes if len(members[c]) >= 2]
    mu, var = {}, {}
    for c in usable:
        mu[c] = z[members[c]].mean(0)
        source = z.detach() if detach_var else z
        centre = source[members[c]].mean(0)
        spread = sum(((source[i] - centre) ** 2).sum() for i in members[c])
        var[c] = torch.clamp(spread / (len(members[c]) - 1), min=eps)
    losses = []
    for c in usable:
        for i in members[c]:
            num = torch.exp(-((z[i] - mu[c]) ** 2).sum() / (2 * var[c]) - alpha)
            den = sum(
                torch.exp(-((z[i] - mu[k]) ** 2).sum() / (2 * var[k]) * beta)
                for k in usable
                if k != c
            )
            loss = -torch.log(num / den + eps)
            losses.append(torch.clamp(loss, min=0.0) if hinge else loss)
    return sum(losses) / len(losses)


def loop_magnet(z, labels, alpha, eps, detach_var, hinge):
    classes = sorted({int(c) for c in labels})
    members = {c: [i for i in range(len(labels)) if int(labels[i]) == c] for c in classes}
    mu = {c: z[members[c]].mean(0) for c in classes}
    source = z.detach() if detach_var else z
    centres = {c: source[members[c]].mean(0) for c in classes}
    n = len(labels)
    var = sum(((source[i] - centres[int(labels[i])]) ** 2).sum() for i in range(n)) / (n - 1)
    total = 0.0
    for i in range(n):
        y = int(labels[i])
        num = torch.exp(-((z[i] - mu[y]) ** 2).sum() / (2 * var) - alpha)
        den = sum(torch.exp(-((z[i] - mu[c]) ** 2).sum() / (2 * var)) for c in classes if c != y)
        loss = -torch.log(num / den)
        total = total + (torch.clamp(loss, min=0.0) if hinge else loss)
    return total / n


@pytest.mark.parametrize("hinge", [True, False], ids=["hinge", "no_hinge"])
@pytest.mark.parametrize("variance_grad", [True, False])
@pytest.mark.parametrize("epoch", [0, 5, 30])
def test_latent_boost_gradient_matches_loop_reference(variance_grad, epoch, hinge):
    x, y = small_batch(4)
    loss = LatentBoostLoss(use_pca=False, variance_grad=variance_grad, hinge=hinge)
    loss.set_epoch(epoch, 40)
    (got,) = torch.autograd.grad(loss(x, y), x)
    alpha = 1 + math.exp(-epoch / 42.0)
    beta = max(1 - epoch / 8.0, 1e-8)
    reference = loop_latent_boost(x, y, alpha, beta, 1e-8, not variance_grad, hinge)
    (want,) = torch.autograd.grad(reference, x)
    torch.testing.assert_close(got, want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("hinge", [True, False], ids=["hinge", "no_hinge"])
@pytest.mark.parametrize("variance_grad", [True, False])
def test_magnet_gradient_matches_loop_reference(variance_grad, hinge):
    x, y = small_batch(5)
    loss = MagnetLoss(alpha=1.0, variance_grad=variance_grad, hinge=hinge)
    (got,) = torch.autograd.grad(loss(x, y), x)
    (want,) = torch.autograd.grad(loop_magnet(x, y, 1.0, 1e-8, not variance_grad, hinge), x)
    torch.testing.assert_close(got, want, rtol=1e-9, atol=1e-12)
