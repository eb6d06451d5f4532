"""The triplet-VAE loss (lb.tvae.loss) against hand computations in float64."""

import math

import pytest
import torch
from pytorch_metric_learning.distances import LpDistance
from pytorch_metric_learning.losses import TripletMarginLoss
from pytorch_metric_learning.reducers import MeanReducer

from lb.tvae.loss import TripletVAELoss, kl_standard_normal, reconstruction_nll, triplet_margin


def _bce(logit: float, x: float) -> float:
    p = 1.0 / (1.0 + math.exp(-logit))
    return -(x * math.log(p) + (1.0 - x) * math.log(1.0 - p))


def test_reconstruction_is_bernoulli_nll_summed_over_pixels():
    logits = torch.tensor(
        [[[[0.3, -1.2], [2.0, 0.0]]], [[[-0.5, 0.7], [1.5, -2.5]]]], dtype=torch.float64
    )
    x = torch.tensor([[[[0.0, 1.0], [0.25, 0.5]]], [[[1.0, 0.0], [0.9, 0.1]]]], dtype=torch.float64)
    got = reconstruction_nll(logits, x)
    want = [
        sum(
            _bce(lg, v)
            for lg, v in zip(logits[i].flatten().tolist(), x[i].flatten().tolist(), strict=True)
        )
        for i in range(2)
    ]
    assert got.tolist() == pytest.approx(want, rel=1e-12)


def test_kl_closed_form_by_hand():
    mu = torch.tensor([[0.5, -1.0], [0.0, 0.0]], dtype=torch.float64)
    logvar = torch.tensor([[math.log(2.0), math.log(0.5)], [0.0, 0.0]], dtype=torch.float64)
    # KL(N(m, s2) || N(0, 1)) = 0.5 * (s2 + m^2 - 1 - ln s2), summed over dimensions
    by_hand = 0.5 * (2.0 + 0.25 - 1 - math.log(2.0)) + 0.5 * (0.5 + 1.0 - 1 - math.log(0.5))
    assert kl_standard_normal(mu, logvar).tolist() == pytest.approx([by_hand, 0.0], abs=1e-12)


def test_triplet_term_by_hand_and_zero_when_margin_is_satisfied():
    za = torch.tensor([[0.0, 0.0], [0.0, 0.0]], dtype=torch.float64)
    zp = torch.tensor([[3.0, 4.0], [1.0, 0.0]], dtype=torch.float64)  # d_ap = 5, 1
    zn = torch.tensor([[0.0, 2.0], [0.0, 3.0]], dtype=torch.float64)  # d_an = 2, 3
    got = triplet_margin(za, zp, zn, margin=1.0)
    assert got.tolist() == pytest.approx([5.0 - 2.0 + 1.0, 0.0], abs=1e-12)
    # exactly on the margin (d_an = d_ap + phi) the hinge is zero, and so is its gradient
    za2 = torch.zeros(1, 2, dtype=torch.float64, requires_grad=True)
    zp2 = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
    zn2 = torch.tensor([[0.0, 2.5]], dtype=torch.float64)
    t = triplet_margin(za2, zp2, zn2, margin=1.0)
    assert t.item() == 0.0
    t.sum().backward()
    assert torch.count_nonzero(za2.grad) == 0


def test_total_is_recon_plus_beta_kl_plus_alpha_triplet():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(4, 1, 3, 3, generator=g, dtype=torch.float64)
    logits = torch.randn(4, 1, 3, 3, generator=g, dtype=torch.float64)
    mu, logvar = (
        torch.randn(4, 2, generator=g, dtype=torch.float64),
        torch.randn(4, 2, generator=g, dtype=torch.float64),
    )
    mp, mn = (
        torch.randn(4, 2, generator=g, dtype=torch.float64),
        torch.randn(4, 2, generator=g, dtype=torch.float64),
    )
    terms = TripletVAELoss(beta=0.7, alpha=2.5, margin=0.3)(x, logits, mu, logvar, mp, mn)
    recon = (
        sum(
            _bce(lg, v)
            for i in range(4)
            for lg, v in zip(logits[i].flatten().tolist(), x[i].flatten().tolist(), strict=True)
        )
        / 4
    )
    kl = (
        sum(
            0.5 * (math.exp(lv) + m * m - 1 - lv)
            for m, lv in zip(mu.flatten().tolist(), logvar.flatten().tolist(), strict=True)
        )
        / 4
    )
    trip = (
        sum(
            max(math.dist(a, p) - math.dist(a, n) + 0.3, 0.0)
            for a, p, n in zip(mu.tolist(), mp.tolist(), mn.tolist(), strict=True)
        )
        / 4
    )
    assert terms.recon.item() == pytest.approx(recon, rel=1e-12)
    assert terms.kl.item() == pytest.approx(kl, rel=1e-12)
    assert terms.triplet.item() == pytest.approx(trip, rel=1e-12)
    assert terms.total.item() == pytest.approx(recon + 0.7 * kl + 2.5 * trip, rel=1e-12)


def test_vanilla_vae_has_no_triplet_term():
    x = torch.rand(2, 1, 2, 2)
    terms = TripletVAELoss(beta=1.0, alpha=0.0)(
        x, torch.zeros(2, 1, 2, 2), torch.ones(2, 3), torch.zeros(2, 3)
    )
    assert terms.triplet is None
    assert terms.total.item() == pytest.approx(terms.recon.item() + terms.kl.item())


def test_alpha_needs_positives_and_negatives():
    with pytest.raises(ValueError, match="mu_pos"):
        TripletVAELoss(alpha=1.0)(
            torch.rand(2, 1, 2, 2), torch.zeros(2, 1, 2, 2), torch.ones(2, 3), torch.zeros(2, 3)
        )


def test_pml_triplet_loss_matches_only_when_configured_like_the_paper():
    """Why lb.tvae.loss does not use PML's TripletMarginLoss with its defaults."""
    g = torch.Generator().manual_seed(3)
    za, zp, zn = (torch.randn(6, 4, generator=g, dtype=torch.float64) * 2 for _ in range(3))
    ours = triplet_margin(za, zp, zn, margin=1.0).mean()
    emb = torch.cat([za, zp, zn])
    labels = torch.tensor([0, 1, 2, 3, 4, 5] * 3)
    idx = torch.arange(6)
    indices = (idx, idx + 6, idx + 12)
    configured = TripletMarginLoss(
        margin=1.0, distance=LpDistance(normalize_embeddings=False, p=2), reducer=MeanReducer()
    )(emb, labels, indices_tuple=indices)
    assert configured.item() == pytest.approx(ours.item(), rel=1e-9)
    default = TripletMarginLoss(margin=1.0)(emb, labels, indices_tuple=indices)
    assert (
        abs(default.item() - ours.item()) > 1e-3
    )  # unit-normalised embeddings, non-zero averaging
