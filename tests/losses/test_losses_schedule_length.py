"""E_total of Eq 10 (``losses.latent_boost.e_total``): the α/β schedule follows ``e_total`` when
it is set and the run's ``max_epochs`` when it is None, for all three Latent Boost methods."""

import math

import pytest

from lb.losses import LatentBoostLoss, build_distance_loss
from lb.losses.latent_boost import schedule_length

LATENT_BOOST_METHODS = ("latent_boost", "latent_boost_no_pca", "latent_boost_detached_var")


def eq10(alpha0, beta0, epoch, e_total, eps):
    """Eq 10 written out independently: α = 1 + α0·exp(−E/(1.05·E_total)),
    β = max(β0·(1 − E/(0.2·E_total)), eps)."""
    return (
        1 + alpha0 * math.exp(-epoch / (1.05 * e_total)),
        max(beta0 * (1 - epoch / (0.2 * e_total)), eps),
    )


@pytest.mark.parametrize("method", LATENT_BOOST_METHODS)
@pytest.mark.parametrize("e_total", [None, 1, 7, 40])
def test_schedule_follows_e_total_else_max_epochs(method, e_total):
    params = {"latent_boost": {"alpha0": 0.7, "beta0": 1.3, "eps": 1e-6, "e_total": e_total}}
    loss = build_distance_loss(method, params)
    assert loss.e_total == e_total
    max_epochs = 150
    length = max_epochs if e_total is None else e_total
    for epoch in range(0, 60):
        loss.set_epoch(epoch, max_epochs)
        alpha, beta = eq10(0.7, 1.3, epoch, length, 1e-6)
        assert loss.total_epochs == length
        assert loss.alpha == pytest.approx(alpha, rel=1e-12)
        assert loss.beta == pytest.approx(beta, rel=1e-12, abs=0.0)


def test_with_e_total_40_beta_reaches_eps_at_epoch_8_whatever_max_epochs():
    loss = LatentBoostLoss(e_total=40)
    betas = {}
    for max_epochs in (12, 150):
        loss.set_epoch(7, max_epochs)
        betas[max_epochs, 7] = loss.beta
        loss.set_epoch(8, max_epochs)
        betas[max_epochs, 8] = loss.beta
    assert betas[12, 7] == betas[150, 7] == pytest.approx(1 - 7 / 8)
    assert betas[12, 8] == betas[150, 8] == 1e-8
    # the default (None) reads max_epochs: beta still positive at epoch 8 of 150
    default = LatentBoostLoss()
    default.set_epoch(8, 150)
    assert default.beta == pytest.approx(1 - 8 / 30)


def test_schedule_length_is_the_one_rule():
    assert schedule_length(None, 150) == 150
    assert schedule_length(40, 150) == 40
    assert schedule_length(200, 150) == 200  # a conventional training may be longer than the cap


@pytest.mark.parametrize("value", [0, -3, 1.5, 40.0, True, "40"])
def test_bad_e_total_is_a_value_error_naming_it(value):
    with pytest.raises(ValueError, match="e_total"):
        build_distance_loss("latent_boost", {"latent_boost": {"e_total": value}})


def test_e_total_belongs_to_the_latent_boost_block_only():
    with pytest.raises(ValueError, match="losses.magnet.e_total: unknown setting"):
        build_distance_loss("magnet", {"magnet": {"e_total": 40}})
