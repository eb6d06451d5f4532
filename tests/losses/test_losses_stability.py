"""No NaN/inf in value or gradient for extreme scales and degenerate batches; 0 with a grad_fn
when fewer than two usable classes; bad input raises a ValueError naming the argument."""

import pytest
import torch

from lb.losses import (
    ContrastiveLoss,
    LatentBoostLoss,
    MagnetLoss,
    NPairLoss,
    TripletLoss,
    batch_pca,
)


def all_losses():
    late = LatentBoostLoss()
    late.set_epoch(50, 100)  # beta at its floor eps
    return {
        "magnet": MagnetLoss(),
        "magnet_detached": MagnetLoss(variance_grad=False),
        "lb": LatentBoostLoss(),
        "lb_late": late,
        "lb_no_pca": LatentBoostLoss(use_pca=False),
        "lb_detached": LatentBoostLoss(variance_grad=False),
        "magnet_no_hinge": MagnetLoss(hinge=False),
        "lb_no_hinge": LatentBoostLoss(hinge=False),
        "contrastive": ContrastiveLoss(),
        "triplet": TripletLoss(),
        "npair": NPairLoss(),
    }


def value_and_grad(loss, x, y):
    z = x.clone().requires_grad_()
    value = loss(z, y)
    assert value.grad_fn is not None
    (grad,) = torch.autograd.grad(value, z)
    return value, grad


def assert_finite(value, grad):
    assert torch.isfinite(value).all(), value
    assert torch.isfinite(grad).all()


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3])
@pytest.mark.parametrize(
    "d, dtype",
    [
        (2, torch.float32),
        (2, torch.float64),
        (64, torch.float32),
        (64, torch.float64),
        (2048, torch.float32),
    ],
)
def test_finite_at_extreme_scales(d, dtype, scale):
    g = torch.Generator().manual_seed(d)
    y = torch.randint(0, 10, (128,), generator=g)
    centres = torch.randn(10, d, generator=g) * 2
    x = ((centres[y] + torch.randn(128, d, generator=g)) * scale).to(dtype)
    for name, loss in all_losses().items():
        value, grad = value_and_grad(loss, x, y)
        assert_finite(value, grad)
        # a hinged loss of 0 (every anchor past the margin) has no gradient by construction
        if name.startswith(("magnet", "lb")) and value.item() > 0:
            assert grad.abs().max() > 0, name
        if name.endswith("no_hinge"):
            assert grad.abs().max() > 0, name


def test_scale_invariance_of_magnet_and_latent_boost():
    """Eqs 4 and 11 divide squared distances by variances: scaling the latents by 1e-3 or 1e3
    leaves the value unchanged (a check that nothing is clamped or lost at those scales)."""
    g = torch.Generator().manual_seed(0)
    y = torch.randint(0, 10, (128,), generator=g)
    x = torch.randn(10, 64, generator=g)[y] * 2 + torch.randn(128, 64, generator=g)
    for name, loss in all_losses().items():
        if not name.startswith(("magnet", "lb")):
            continue
        ref = loss(x.double(), y).item()
        for scale in (1e-3, 1e3):
            assert loss(x * scale, y).item() == pytest.approx(ref, rel=1e-4), (name, scale)


@pytest.mark.parametrize("d", [3, 200])
def test_identical_points(d):
    y = torch.tensor([0, 0, 0, 1, 1, 2, 2, 2])
    x = torch.ones(8, d) * 0.5
    for loss in all_losses().values():
        assert_finite(*value_and_grad(loss, x, y))


def test_identical_points_within_classes():
    """Every class collapsed onto one point: variances hit the eps clamp."""
    y = torch.tensor([0, 0, 0, 1, 1, 2, 2, 2])
    x = torch.randn(3, 16)[y]
    for loss in all_losses().values():
        assert_finite(*value_and_grad(loss, x, y))


@pytest.mark.parametrize(
    "labels",
    [[4] * 6, [0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 1], [7]],
    ids=["single_class", "all_singletons", "one_usable_class", "one_sample"],
)
def test_fewer_than_two_usable_classes_give_zero_with_grad_fn(labels):
    y = torch.tensor(labels)
    x = torch.randn(len(labels), 12)
    magnet_has_negatives = len(set(labels)) >= 2
    for name, loss in all_losses().items():
        value, grad = value_and_grad(loss, x, y)
        assert_finite(value, grad)
        if name.startswith("lb") or (name.startswith("magnet") and not magnet_has_negatives):
            assert value.item() == 0.0
            assert torch.all(grad == 0)


def test_all_singletons_magnet_is_defined():
    """Magnet's pooled variance counts every class: with all singletons every distance to the
    own centroid is 0, so σ² hits the eps clamp and the loss is finite."""
    y = torch.arange(6)
    value, grad = value_and_grad(MagnetLoss(), torch.randn(6, 4), y)
    assert_finite(value, grad)


def test_last_dim_reported():
    g = torch.Generator().manual_seed(0)
    y = torch.randint(0, 5, (64,), generator=g)
    x = torch.randn(64, 300, generator=g)
    loss = LatentBoostLoss(variance_threshold=0.95)
    loss(x, y)
    assert isinstance(loss.last_dim, int) and 1 <= loss.last_dim <= 64
    no_pca = LatentBoostLoss(use_pca=False)
    no_pca(x, y)
    assert no_pca.last_dim == 300
    full = LatentBoostLoss(variance_threshold=1.0)
    full(x, y)
    assert full.last_dim >= loss.last_dim


# ----------------------------------------------------------------------------- bad input
BAD_BATCHES = [
    (torch.randn(8), torch.zeros(8, dtype=torch.long), "embeddings"),
    (torch.randn(2, 4, 4), torch.zeros(2, dtype=torch.long), "embeddings"),
    (torch.randn(8, 3), torch.zeros(7, dtype=torch.long), "labels"),
    (torch.randn(8, 3), torch.zeros(8, 1, dtype=torch.long), "labels"),
    (torch.randn(8, 3), torch.zeros(8), "labels"),
    (torch.full((8, 3), float("nan")), torch.zeros(8, dtype=torch.long), "embeddings"),
    (torch.tensor([[1.0, float("inf")]] * 4), torch.zeros(4, dtype=torch.long), "embeddings"),
    (torch.zeros(8, 3, dtype=torch.long), torch.zeros(8, dtype=torch.long), "embeddings"),
    (torch.zeros(0, 3), torch.zeros(0, dtype=torch.long), "embeddings"),
]


@pytest.mark.parametrize("x, y, name", BAD_BATCHES)
def test_bad_batch_names_the_argument(x, y, name):
    for loss in all_losses().values():
        with pytest.raises(ValueError, match=name):
            loss(x, y)


@pytest.mark.parametrize(
    "cls, kwargs, name",
    [
        (LatentBoostLoss, {"variance_threshold": 0.0}, "variance_threshold"),
        (LatentBoostLoss, {"variance_threshold": 1.01}, "variance_threshold"),
        (LatentBoostLoss, {"variance_threshold": -0.5}, "variance_threshold"),
        (LatentBoostLoss, {"variance_threshold": float("nan")}, "variance_threshold"),
        (LatentBoostLoss, {"eps": 0.0}, "eps"),
        (LatentBoostLoss, {"beta0": -1.0}, "beta0"),
        (LatentBoostLoss, {"alpha0": "1"}, "alpha0"),
        (LatentBoostLoss, {"use_pca": 1}, "use_pca"),
        (LatentBoostLoss, {"variance_grad": "yes"}, "variance_grad"),
        (MagnetLoss, {"alpha": float("inf")}, "alpha"),
        (MagnetLoss, {"eps": -1e-8}, "eps"),
        (MagnetLoss, {"variance_grad": None}, "variance_grad"),
        (ContrastiveLoss, {"neg_margin": None}, "neg_margin"),
        (TripletLoss, {"margin": "big"}, "margin"),
        (TripletLoss, {"triplets_per_anchor": 0}, "triplets_per_anchor"),
    ],
)
def test_bad_settings_name_the_argument(cls, kwargs, name):
    with pytest.raises(ValueError, match=name):
        cls(**kwargs)


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5])
def test_batch_pca_threshold_outside_range(threshold):
    with pytest.raises(ValueError, match="threshold"):
        batch_pca(torch.randn(10, 4), threshold)


@pytest.mark.parametrize(
    "args, name", [((-1, 10), "epoch"), ((0, 0), "max_epochs"), ((1.5, 10), "epoch")]
)
def test_set_epoch_checks_arguments(args, name):
    for loss in all_losses().values():
        with pytest.raises(ValueError, match=name):
            loss.set_epoch(*args)
