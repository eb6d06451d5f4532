"""The VAE (lb.tvae.model) and its training (lb.tvae.training): shapes, seeding, determinism."""

import dataclasses

import numpy as np
import pytest
import torch

from lb.tvae.config import VAETraining
from lb.tvae.model import VAE
from lb.tvae.training import decode, encode_mu, train_vae


@pytest.mark.parametrize(("shape", "hidden"), [((1, 28, 28), (512, 256)), ((1, 8, 8), (128, 64))])
def test_shapes(shape, hidden):
    torch.manual_seed(0)
    model = VAE(shape, latent_dim=16, hidden=hidden)
    x = torch.rand(5, *shape)
    mu, logvar, recon = model(x, generator=torch.Generator().manual_seed(0))
    assert mu.shape == logvar.shape == (5, 16)
    assert recon.shape == (5, *shape)
    img = model.decode(mu)
    assert img.shape == (5, *shape) and img.min() >= 0 and img.max() <= 1
    # without sampling the decoder sees mu
    _, _, recon_mu = model(x, sample=False)
    assert torch.equal(recon_mu, model.decode_logits(mu))


def _data(n=240, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 4
    protos = torch.rand(4, 1, 8, 8, generator=g)
    x = (protos[y] + 0.15 * torch.randn(n, 1, 8, 8, generator=g)).clamp(0, 1)
    return x, y


def _cfg(alpha, epochs=3):
    return VAETraining(
        latent_dim=4, hidden=(32, 16), beta=1.0, alpha=alpha, margin=1.0, epochs=epochs,
        batch_size=32, lr=3e-3,
    )  # fmt: skip


def test_same_seed_same_latents_other_seed_other_latents():
    x, y = _data()
    a, hist_a = train_vae(x, y, _cfg(1.0), 0, "cpu", log=lambda s: None)
    b, hist_b = train_vae(x, y, _cfg(1.0), 0, "cpu", log=lambda s: None)
    c, _ = train_vae(x, y, _cfg(1.0), 1, "cpu", log=lambda s: None)
    za, zb, zc = (encode_mu(m, x) for m in (a, b, c))
    assert np.array_equal(za, zb)
    assert not np.allclose(za, zc)
    assert hist_a.drop(columns="seconds").equals(hist_b.drop(columns="seconds"))
    assert np.array_equal(decode(a, za[:3]).numpy(), decode(b, zb[:3]).numpy())


def test_vanilla_and_triplet_start_from_the_same_weights_and_differ_only_by_alpha():
    x, y = _data()
    vanilla0, _ = train_vae(x, y, _cfg(0.0, epochs=0), 0, "cpu", log=lambda s: None)
    triplet0, _ = train_vae(x, y, _cfg(1.0, epochs=0), 0, "cpu", log=lambda s: None)
    for p, q in zip(vanilla0.parameters(), triplet0.parameters(), strict=True):
        assert torch.equal(p, q)
    vanilla, hv = train_vae(x, y, _cfg(0.0), 0, "cpu", log=lambda s: None)
    triplet, ht = train_vae(x, y, _cfg(1.0), 0, "cpu", log=lambda s: None)
    assert hv["triplet"].isna().all() and ht["triplet"].notna().all()
    assert not np.allclose(encode_mu(vanilla, x), encode_mu(triplet, x))


def test_the_vanilla_vae_needs_no_margin_and_a_triplet_term_does():
    x, y = _data()
    vanilla = dataclasses.replace(_cfg(0.0, epochs=1), margin=None)  # as VAESettings.vanilla
    a, _ = train_vae(x, y, vanilla, 0, "cpu", log=lambda s: None)
    b, _ = train_vae(x, y, _cfg(0.0, epochs=1), 0, "cpu", log=lambda s: None)
    assert np.array_equal(encode_mu(a, x), encode_mu(b, x))
    with pytest.raises(ValueError, match="needs a margin"):
        train_vae(x, y, dataclasses.replace(vanilla, alpha=1.0), 0, "cpu", log=lambda s: None)


def test_training_lowers_the_loss_and_the_triplet_term():
    x, y = _data()
    _, hist = train_vae(x, y, _cfg(1.0, epochs=8), 0, "cpu", log=lambda s: None)
    assert hist["loss"].iloc[-1] < hist["loss"].iloc[0]
    assert hist["triplet"].iloc[-1] < hist["triplet"].iloc[0]
    assert list(hist.columns) == [
        "epoch",
        "loss",
        "recon",
        "kl",
        "triplet",
        "active_triplets",
        "seconds",
    ]
