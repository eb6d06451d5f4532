"""Eq 5 (WeightedLoss / LossTerms) and the method registry (METHODS, build_distance_loss)."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lb.losses import (
    METHODS,
    ContrastiveLoss,
    LatentBoostLoss,
    LossTerms,
    MagnetLoss,
    NPairLoss,
    TripletLoss,
    WeightedLoss,
    build_distance_loss,
)


class CountingLoss(nn.Module):
    """A distance loss that records how often it is called."""

    def __init__(self):
        super().__init__()
        self.calls = 0

    def forward(self, latent, labels):
        self.calls += 1
        return latent.square().mean() * 3.0


def batch(seed=0):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(16, 4, generator=g, requires_grad=True)
    latent = torch.randn(16, 8, generator=g, requires_grad=True)
    labels = torch.randint(0, 4, (16,), generator=g)
    return logits, latent, labels


@pytest.mark.parametrize("lam", [0.1, 0.5, 0.75, 1.0])
def test_weighted_sum_is_eq5(lam):
    logits, latent, labels = batch()
    dist_loss = CountingLoss()
    terms = WeightedLoss(dist_loss, lam)(logits, latent, labels)
    assert isinstance(terms, LossTerms)
    ce = F.cross_entropy(logits, labels)
    dist = latent.square().mean() * 3.0
    torch.testing.assert_close(terms.ce, ce)
    torch.testing.assert_close(terms.dist, dist)
    torch.testing.assert_close(terms.total, lam * dist + (1 - lam) * ce)
    assert dist_loss.calls == 1
    terms.total.backward()
    assert latent.grad is not None and latent.grad.abs().max() > 0


def test_lambda_zero_does_not_compute_the_distance_loss():
    logits, latent, labels = batch()
    dist_loss = CountingLoss()
    weighted = WeightedLoss(dist_loss, 0.0)
    terms = weighted(logits, latent, labels)
    assert dist_loss.calls == 0
    assert terms.dist is None
    assert not weighted.uses_distance
    torch.testing.assert_close(terms.total, F.cross_entropy(logits, labels))


@pytest.mark.parametrize("lam", [0.0, 0.5])
def test_no_distance_loss_is_plain_cross_entropy(lam):
    logits, latent, labels = batch()
    terms = WeightedLoss(None, lam)(logits, latent, labels)
    assert terms.dist is None
    torch.testing.assert_close(terms.total, F.cross_entropy(logits, labels))
    torch.testing.assert_close(terms.ce, terms.total)


@pytest.mark.parametrize("lam", [-0.1, 1.5, float("nan"), "0.5", None])
def test_lambda_outside_unit_interval_names_lam(lam):
    with pytest.raises(ValueError, match="lam"):
        WeightedLoss(CountingLoss(), lam)


def test_bad_logits_or_labels():
    logits, latent, labels = batch()
    weighted = WeightedLoss(CountingLoss(), 0.5)
    with pytest.raises(ValueError, match="logits"):
        weighted(logits[0], latent, labels)
    with pytest.raises(ValueError, match="labels"):
        weighted(logits, latent, labels[:-1])


def test_weighted_loss_with_latent_boost_end_to_end():
    g = torch.Generator().manual_seed(1)
    labels = torch.arange(64) % 8
    latent = (
        torch.randn(8, 32, generator=g)[labels] + torch.randn(64, 32, generator=g)
    ).requires_grad_()
    logits = torch.randn(64, 8, generator=g, requires_grad=True)
    lb_loss = build_distance_loss("latent_boost")
    lb_loss.set_epoch(3, 50)
    terms = WeightedLoss(lb_loss, 0.75)(logits, latent, labels)
    torch.testing.assert_close(terms.total, 0.75 * lb_loss(latent, labels) + 0.25 * terms.ce)
    terms.total.backward()
    assert torch.isfinite(latent.grad).all() and latent.grad.abs().max() > 0


# ----------------------------------------------------------------------------- registry
def test_every_method_builds_with_defaults_and_accepts_set_epoch():
    expected = {
        "contrastive": ContrastiveLoss,
        "triplet": TripletLoss,
        "npair": NPairLoss,
        "magnet": MagnetLoss,
        "latent_boost": LatentBoostLoss,
        "latent_boost_no_pca": LatentBoostLoss,
        "latent_boost_detached_var": LatentBoostLoss,
    }
    assert METHODS == ("baseline", *expected)  # every registered method, in table order
    assert build_distance_loss("baseline") is None
    assert build_distance_loss("baseline", {"magnet": {"alpha": 2.0}}) is None
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(20, 6, generator=g), torch.arange(20) % 4
    for method, cls in expected.items():
        loss = build_distance_loss(method)
        assert type(loss) is cls, method
        loss.set_epoch(3, 10)
        assert torch.isfinite(loss(x, y))


def test_latent_boost_variants():
    params = {
        "latent_boost": {
            "alpha0": 0.5,
            "beta0": 2.0,
            "variance_threshold": 0.9,
            "eps": 1e-7,
            "variance_grad": True,
        }
    }
    full = build_distance_loss("latent_boost", params)
    no_pca = build_distance_loss("latent_boost_no_pca", params)
    detached = build_distance_loss("latent_boost_detached_var", params)
    for loss in (full, no_pca, detached):
        assert (loss.alpha0, loss.beta0, loss.variance_threshold, loss.eps) == (
            0.5,
            2.0,
            0.9,
            1e-7,
        )
    assert (full.use_pca, full.variance_grad) == (True, True)
    assert (no_pca.use_pca, no_pca.variance_grad) == (False, True)
    assert (detached.use_pca, detached.variance_grad) == (True, False)
    literal = build_distance_loss("latent_boost", {"latent_boost": {"variance_grad": False}})
    assert literal.variance_grad is False


def test_params_pass_through_and_missing_keys_default():
    magnet = build_distance_loss("magnet", {"magnet": {"alpha": 2.5}})
    assert (magnet.alpha, magnet.variance_grad, magnet.eps) == (2.5, True, 1e-8)
    contrastive = build_distance_loss("contrastive", {"contrastive": {"neg_margin": 0.5}})
    assert (contrastive.loss.pos_margin, contrastive.loss.neg_margin) == (0.0, 0.5)
    triplet = build_distance_loss("triplet", {"triplet": {"margin": 0.2}})
    assert (triplet.loss.margin, triplet.loss.triplets_per_anchor) == (0.2, "all")
    lb = build_distance_loss("latent_boost", {"latent_boost": {}, "npair": {}})
    assert (lb.alpha0, lb.beta0, lb.variance_threshold, lb.eps) == (1.0, 1.0, 0.95, 1e-8)


@pytest.mark.parametrize(
    "method, params, name",
    [
        ("magnet", {"magnet": {"alhpa": 1.0}}, "alhpa"),
        ("latent_boost", {"latent_boost": {"use_pca": False}}, "use_pca"),
        ("latent_boost", {"magnet": {"margin": 1.0}}, "margin"),  # checked in every family
        ("baseline", {"latentboost": {}}, "latentboost"),
        ("npair", {"npair": {"reducer": "mean"}}, "reducer"),
        ("latent_boost", {"latent_boost": {"variance_threshold": 1.2}}, "variance_threshold"),
        ("magnet", {"magnet": {"alpha": "one"}}, "alpha"),
        ("magent", None, "magent"),
        ("magnet", ["alpha"], "losses"),
    ],
)
def test_bad_params_name_the_key(method, params, name):
    with pytest.raises(ValueError, match=name):
        build_distance_loss(method, params)


def test_each_loss_defaults_to_the_config_schemas_settings():
    """A run without loss settings (``python -m lb.training`` without --loss-params) builds the
    same losses as the workflow, which passes the schema's ``losses:`` defaults."""
    import inspect

    from lb.config_schema import defaults
    from lb.losses.registry import FAMILIES

    for family, (cls, keys) in FAMILIES.items():
        schema = defaults("properties", "losses", "properties", family)
        signature = inspect.signature(cls.__init__).parameters
        assert {key: signature[key].default for key in keys} == schema, family
