"""Magnet (Eq 4) and Latent Boost (Eqs 6–11) against independent float64 references.

The references below are written plainly with Python loops over classes and samples and NumPy's
SVD; they share no code with lb.losses. Batches are random and clustered, with several seeds,
d = 2…2048, 2…100 classes and singleton classes present.
"""

import math

import numpy as np
import pytest
import torch

from lb.losses import LatentBoostLoss, MagnetLoss, batch_pca


# ----------------------------------------------------------------------------- references
def ref_pca(x, threshold):
    """Eq 8 with NumPy's SVD of the centred batch; returns (projected, dim)."""
    xc = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(xc, full_matrices=False)
    s2 = s**2
    total = float(np.sum(s2))
    dim = min(x.shape)
    running = 0.0
    for i in range(len(s2)):
        running += s2[i]
        if total > 0 and running / total >= threshold:
            dim = i + 1
            break
    return xc @ vt[:dim].T, dim


def sqdist(a, b):
    return float(np.sum((a - b) ** 2))


def members_by_class(labels):
    out = {}
    for i, c in enumerate(labels):
        out.setdefault(int(c), []).append(i)
    return out


def ref_magnet(x, labels, alpha, eps=1e-8, hinge=True):
    members = members_by_class(labels)
    if len(members) < 2:
        return 0.0
    mu = {c: x[idx].mean(axis=0) for c, idx in members.items()}
    n = len(labels)
    var = sum(sqdist(x[i], mu[int(labels[i])]) for i in range(n)) / (n - 1)
    var = max(var, eps)
    total = 0.0
    for i in range(n):
        y = int(labels[i])
        num = math.exp(-sqdist(x[i], mu[y]) / (2 * var) - alpha)
        den = sum(math.exp(-sqdist(x[i], mu[c]) / (2 * var)) for c in members if c != y)
        loss = -math.log(num / den)
        total += max(loss, 0.0) if hinge else loss
    return total / n


def ref_latent_boost(
    x, labels, epoch, total_epochs, alpha0=1.0, beta0=1.0, threshold=0.95, use_pca=True, eps=1e-8,
    hinge=True,
):  # fmt: skip
    """Eq 11 literally: ratio = num/den, l = -log(ratio + eps), max(0, l) with the hinge;
    returns (loss, dim or None)."""
    members = members_by_class(labels)
    usable = [c for c, idx in members.items() if len(idx) >= 2]
    if len(usable) < 2:
        return 0.0, None
    dim = x.shape[1]
    if use_pca:
        x, dim = ref_pca(x, threshold)
    alpha = 1 + alpha0 * math.exp(-epoch / (1.05 * total_epochs))
    beta = max(beta0 * (1 - epoch / (0.2 * total_epochs)), eps)
    mu, var = {}, {}
    for c in usable:
        idx = members[c]
        mu[c] = x[idx].mean(axis=0)
        var[c] = max(sum(sqdist(x[i], mu[c]) for i in idx) / (len(idx) - 1), eps)
    losses = []
    for c in usable:
        for i in members[c]:
            num = math.exp(-sqdist(x[i], mu[c]) / (2 * var[c]) - alpha)
            den = sum(
                math.exp(-sqdist(x[i], mu[k]) / (2 * var[k]) * beta) for k in usable if k != c
            )
            loss = -math.log(num / den + eps)
            losses.append(max(loss, 0.0) if hinge else loss)
    return sum(losses) / len(losses), dim


# ----------------------------------------------------------------------------- batches
def clustered_batch(seed, n, d, k, singletons, spread=1.5, offset=3.0):
    """n samples of k classes (``singletons`` of them with one sample) around random centres."""
    rng = np.random.default_rng(seed)
    labels = list(range(singletons))  # classes 0..singletons-1 appear once
    rest = rng.integers(singletons, k, size=n - singletons)
    labels = np.concatenate([labels, rest]).astype(np.int64)
    rng.shuffle(labels)
    centres = rng.normal(size=(k, d)) * spread
    scales = rng.uniform(0.5, 1.5, size=(k, 1))  # different densities per class
    x = centres[labels] + rng.normal(size=(n, d)) * scales[labels] + offset
    return x, labels


# seed, n, d, classes, singleton classes
CASES = [
    (0, 12, 2, 2, 0),
    (1, 40, 3, 5, 1),
    (2, 64, 16, 8, 2),
    (3, 128, 64, 10, 1),
    (4, 128, 512, 10, 2),
    (5, 128, 2048, 10, 1),
    (6, 200, 32, 100, 30),
    (7, 128, 2048, 100, 40),
]
EPOCHS = [(0, 100), (7, 100), (60, 100)]


def case_id(case):
    return "seed{}-n{}-d{}-k{}-s{}".format(*case)


@pytest.mark.parametrize("hinge", [True, False], ids=["hinge", "no_hinge"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_magnet_matches_reference(case, hinge):
    seed, n, d, k, singles = case
    x, y = clustered_batch(seed, n, d, k, singles)
    expected = ref_magnet(x, y, alpha=1.0, hinge=hinge)
    loss = MagnetLoss(alpha=1.0, hinge=hinge)
    got64 = loss(torch.tensor(x), torch.tensor(y)).item()
    got32 = loss(torch.tensor(x, dtype=torch.float32), torch.tensor(y)).item()
    assert got64 == pytest.approx(expected, rel=1e-10, abs=1e-10)
    assert got32 == pytest.approx(expected, rel=2e-5, abs=2e-5)


@pytest.mark.parametrize("hinge", [True, False], ids=["hinge", "no_hinge"])
@pytest.mark.parametrize("use_pca", [True, False], ids=["pca", "no_pca"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_latent_boost_matches_reference(case, use_pca, hinge):
    seed, n, d, k, singles = case
    x, y = clustered_batch(seed, n, d, k, singles)
    loss = LatentBoostLoss(use_pca=use_pca, hinge=hinge)
    for epoch, total in EPOCHS:
        expected, ref_dim = ref_latent_boost(x, y, epoch, total, use_pca=use_pca, hinge=hinge)
        loss.set_epoch(epoch, total)
        got64 = loss(torch.tensor(x), torch.tensor(y)).item()
        assert got64 == pytest.approx(expected, rel=1e-9, abs=1e-9)
        assert loss.last_dim == ref_dim
        got32 = loss(torch.tensor(x, dtype=torch.float32), torch.tensor(y)).item()
        assert got32 == pytest.approx(expected, rel=1e-4, abs=1e-4)
        assert loss.last_dim == ref_dim


def test_latent_boost_schedule_matches_eq10():
    loss = LatentBoostLoss(alpha0=0.7, beta0=2.0, eps=1e-8)
    assert (loss.alpha, loss.beta) == (pytest.approx(1.7), pytest.approx(2.0))
    for epoch, total in [(0, 50), (3, 50), (9, 50), (10, 50), (49, 50), (120, 200)]:
        loss.set_epoch(epoch, total)
        assert loss.alpha == pytest.approx(1 + 0.7 * math.exp(-epoch / (1.05 * total)))
        assert loss.beta == pytest.approx(max(2.0 * (1 - epoch / (0.2 * total)), 1e-8))
        assert isinstance(loss.alpha, float) and isinstance(loss.beta, float)
    loss.set_epoch(10, 50)
    assert loss.beta == 1e-8


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.95, 0.999, 1.0])
@pytest.mark.parametrize("shape", [(128, 64), (128, 2048), (30, 30), (8, 3)])
def test_batch_pca_matches_svd(shape, threshold):
    rng = np.random.default_rng(sum(shape))
    x = rng.normal(size=shape) @ np.diag(np.linspace(3.0, 0.1, shape[1])) + 2.0
    ref_proj, ref_dim = ref_pca(x, threshold)
    proj, dim = batch_pca(torch.tensor(x), threshold)
    if threshold < 1.0:
        assert dim == ref_dim
    # The subspace (hence all pairwise distances) is the same; the basis signs may differ.
    ref_gram = ref_proj @ ref_proj.T
    got_gram = (proj @ proj.T).numpy()
    scale = np.abs(ref_gram).max()
    assert np.abs(got_gram - ref_gram).max() <= 1e-9 * scale
    proj32, dim32 = batch_pca(torch.tensor(x, dtype=torch.float32), threshold)
    if threshold < 1.0:
        assert dim32 == ref_dim
    assert np.abs((proj32 @ proj32.T).double().numpy() - ref_gram).max() <= 2e-5 * scale


def test_pca_gradient_flows_through_projection_with_detached_basis():
    """LB with PCA has the gradient of LB w/o PCA applied to (x - mean) @ W with W constant."""
    x, y = clustered_batch(11, 60, 40, 6, 1)
    _, dim = ref_pca(x, 0.95)
    _, _, vt = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)
    basis = torch.tensor(vt[:dim].T)
    labels = torch.tensor(y)

    xa = torch.tensor(x, requires_grad=True)
    with_pca = LatentBoostLoss(use_pca=True)
    with_pca.set_epoch(2, 30)
    (grad_module,) = torch.autograd.grad(with_pca(xa, labels), xa)

    xb = torch.tensor(x, requires_grad=True)
    no_pca = LatentBoostLoss(use_pca=False)
    no_pca.set_epoch(2, 30)
    projected = (xb - xb.mean(0)) @ basis
    (grad_fixed,) = torch.autograd.grad(no_pca(projected, labels), xb)
    assert with_pca.last_dim == dim
    torch.testing.assert_close(grad_module, grad_fixed, rtol=1e-8, atol=1e-10)
    assert grad_module.abs().max() > 1e-3


def separated_batch(spread):
    """Four tight classes whose centres are ``spread`` apart: every anchor is far nearer its own
    centroid than any other, so the un-hinged per-anchor losses are negative."""
    rng = np.random.default_rng(21)
    labels = np.repeat(np.arange(4), 8)
    centres = rng.normal(size=(4, 6)) * spread
    return torch.tensor(centres[labels] + rng.normal(size=(32, 6)) * 0.1), torch.tensor(labels)


@pytest.mark.parametrize(
    "make_loss",
    [lambda h: MagnetLoss(hinge=h), lambda h: LatentBoostLoss(use_pca=False, hinge=h)],
    ids=["magnet", "latent_boost"],
)
def test_without_the_hinge_the_loss_is_unbounded_below(make_loss):
    """Pushing the clusters apart drives the literal (un-hinged) loss to -inf; the hinged loss
    is 0 with a zero gradient there (Rippel et al.'s {.}_+)."""
    free = [make_loss(False)(*separated_batch(spread)).item() for spread in (2.0, 4.0, 8.0)]
    assert free[0] < 0 and free[1] < 2 * free[0] and free[2] < 2 * free[1]
    x, y = separated_batch(8.0)
    x.requires_grad_()
    hinged = make_loss(True)(x, y)
    (grad,) = torch.autograd.grad(hinged, x)
    assert hinged.item() == 0.0 and grad.abs().max().item() == 0.0


@pytest.mark.parametrize(
    "name, spread", [("magnet", 2.0), ("latent_boost", 2.5)], ids=["magnet", "latent_boost"]
)
def test_the_hinge_clips_each_anchor_not_the_mean(name, spread):
    """Mixed batch (some anchors' losses negative, some positive): the hinged loss is the mean of
    the clipped per-anchor losses (float64 reference), above both the un-hinged mean and 0."""
    x, y = clustered_batch(3, 128, 64, 10, 1, spread=spread)
    if name == "magnet":
        hinged, free, ref = MagnetLoss(), MagnetLoss(hinge=False), ref_magnet(x, y, alpha=1.0)
    else:
        hinged, free = LatentBoostLoss(), LatentBoostLoss(hinge=False)
        ref = ref_latent_boost(x, y, 0, 10)[0]
    h = hinged(torch.tensor(x), torch.tensor(y)).item()
    f = free(torch.tensor(x), torch.tensor(y)).item()
    assert h == pytest.approx(ref, rel=1e-9)
    assert h > max(f, 0.0)
