"""Training the triplet VAE and the vanilla VAE "the same way" (the triplet-VAE paper, Sect. 3.1).

One epoch: the training images in a seeded random order, cut into batches of ``batch_size``
anchors; each anchor gets a positive and a negative from :class:`lb.tvae.triplets.TripletSampler`;
the loss is :class:`lb.tvae.loss.TripletVAELoss` (ELBO on the anchors + α·triplet on z^μ); Adam.

Determinism and a fair comparison: the model's initial weights, the anchor order, the triplets
and the reparameterisation noise each come from their own generator derived from ``seed``
(``numpy.random.SeedSequence(seed).spawn``). The vanilla VAE (α = 0) therefore starts from the
same weights and sees the same batches and the same noise as the triplet VAE; it only skips
encoding the positives and negatives, whose term has weight 0.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import torch

from lb.device import pick_device, seed_everything
from lb.errors import NonFiniteLossError
from lb.tvae.config import VAETraining
from lb.tvae.loss import TripletVAELoss
from lb.tvae.model import VAE
from lb.tvae.triplets import TripletSampler


def _seeds(seed: int) -> dict[str, int]:
    children = np.random.SeedSequence(seed).spawn(4)
    names = ("init", "order", "triplets", "noise")
    return {n: int(c.generate_state(1)[0]) for n, c in zip(names, children, strict=True)}


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def train_vae(
    x: torch.Tensor,
    y: torch.Tensor,
    cfg: VAETraining,
    seed: int,
    device: str = "auto",
    log: Callable[[str], None] = print,
) -> tuple[VAE, pd.DataFrame]:
    """Train a VAE as ``cfg`` says on images ``x`` (N, C, H, W, float in [0, 1]) with labels
    ``y`` (N,), seeded with ``seed``, on ``device`` (:func:`lb.device.pick_device`).

    Returns the model (in eval mode, on the CPU) and its history, one row per epoch with the
    batch-averaged ``loss, recon, kl, triplet`` (empty when α = 0), ``active_triplets`` (fraction
    of triplets violating the margin) and ``seconds``.
    """
    if x.ndim != 4 or x.shape[0] != y.shape[0]:
        raise ValueError("train_vae: x must be (N, C, H, W) with one label per image")
    if cfg.alpha > 0 and cfg.margin is None:
        raise ValueError("train_vae: a triplet term (alpha > 0) needs a margin")
    seeds = _seeds(seed)
    seed_everything(seed)
    device = pick_device(device)
    torch.manual_seed(seeds["init"])
    model = VAE(tuple(x.shape[1:]), cfg.latent_dim, tuple(cfg.hidden)).to(device)
    margin = 0.0 if cfg.margin is None else cfg.margin  # no margin: the vanilla VAE (alpha = 0)
    run = _Epochs(
        model=model,
        loss_fn=TripletVAELoss(beta=cfg.beta, alpha=cfg.alpha, margin=margin),
        optimiser=torch.optim.Adam(model.parameters(), lr=cfg.lr),
        x=x.to(device),
        cfg=cfg,
        seed=seed,
        device=device,
        g_noise=_generator(seeds["noise"]),
    )
    sampler = TripletSampler(y)
    g_order, g_triplets = _generator(seeds["order"]), _generator(seeds["triplets"])
    n = x.shape[0]
    rows = []
    for epoch in range(1, cfg.epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=g_order)
        pos_all, neg_all = sampler.sample(perm, g_triplets)  # drawn even when α = 0 (same streams)
        sums = run.epoch(epoch, perm, pos_all, neg_all)
        row = _history_row(epoch, sums, n, run.loss_fn.uses_triplets, time.perf_counter() - t0)
        rows.append(row)
        log(_epoch_line(cfg, row))
    return model.cpu().eval(), pd.DataFrame(rows)


def _history_row(epoch: int, sums: dict, n: int, uses_triplets: bool, seconds: float) -> dict:
    """One epoch's history row: the summed losses of ``sums`` averaged over the ``n`` images
    (triplet columns None without a triplet term)."""
    return {
        "epoch": epoch,
        "loss": sums["loss"] / n,
        "recon": sums["recon"] / n,
        "kl": sums["kl"] / n,
        "triplet": sums["triplet"] / n if uses_triplets else None,
        "active_triplets": sums["active"] / n if uses_triplets else None,
        "seconds": seconds,
    }


def _epoch_line(cfg: VAETraining, row: dict) -> str:
    trip = "" if row["triplet"] is None else f" triplet {row['triplet']:.4f}"
    return (
        f"vae alpha={cfg.alpha:g} epoch {row['epoch']}/{cfg.epochs}: loss {row['loss']:.3f} "
        f"recon {row['recon']:.3f} kl {row['kl']:.3f}{trip} ({row['seconds']:.1f} s)"
    )


@dataclasses.dataclass
class _Epochs:
    """One training epoch at a time: the model, its loss and optimiser, the images on the
    device and the generator of the reparameterisation noise."""

    model: VAE
    loss_fn: TripletVAELoss
    optimiser: torch.optim.Optimizer
    x: torch.Tensor
    cfg: VAETraining
    seed: int
    device: torch.device
    g_noise: torch.Generator

    def epoch(self, epoch: int, perm, pos_all, neg_all) -> dict[str, float]:
        """Every image of ``perm`` once as an anchor, in batches; returns the summed terms."""
        model, cfg, x = self.model, self.cfg, self.x
        model.train()
        sums = {"loss": 0.0, "recon": 0.0, "kl": 0.0, "triplet": 0.0, "active": 0.0}
        for start in range(0, x.shape[0], cfg.batch_size):
            a = perm[start : start + cfg.batch_size].to(self.device)
            b = a.numel()
            if self.loss_fn.uses_triplets:
                p = pos_all[start : start + b].to(self.device)
                q = neg_all[start : start + b].to(self.device)
                mu_all, logvar_all = model.encode(torch.cat([x[a], x[p], x[q]]))
                mu, mu_pos, mu_neg = mu_all.split(b)
                logvar = logvar_all[:b]
            else:
                mu, logvar = model.encode(x[a])
                mu_pos = mu_neg = None
            eps = torch.randn(mu.shape, generator=self.g_noise, dtype=mu.dtype).to(self.device)
            z = mu + torch.exp(0.5 * logvar) * eps
            terms = self.loss_fn(x[a], model.decode_logits(z), mu, logvar, mu_pos, mu_neg)
            if not torch.isfinite(terms.total):
                raise NonFiniteLossError(
                    f"vae: loss became {terms.total.item()} in epoch {epoch} "
                    f"(alpha={cfg.alpha}, seed={self.seed}); lower vae.lr"
                )
            self.optimiser.zero_grad(set_to_none=True)
            terms.total.backward()
            self.optimiser.step()
            sums["loss"] += terms.total.item() * b
            sums["recon"] += terms.recon.item() * b
            sums["kl"] += terms.kl.item() * b
            if terms.triplet is not None:
                sums["triplet"] += terms.triplet.item() * b
                with torch.no_grad():
                    d_ap = (mu - mu_pos).norm(dim=1)
                    d_an = (mu - mu_neg).norm(dim=1)
                    sums["active"] += (d_ap - d_an + self.loss_fn.margin > 0).sum().item()
        return sums


@torch.no_grad()
def encode_mu(model: VAE, x: torch.Tensor, batch_size: int = 2048) -> np.ndarray:
    """z^μ = F(x)_μ of every image (eval mode, CPU), float32 (N, d)."""
    model.eval()
    out = [model.encode(x[i : i + batch_size])[0] for i in range(0, x.shape[0], batch_size)]
    return torch.cat(out).numpy().astype(np.float32)


@torch.no_grad()
def decode(model: VAE, z: np.ndarray | torch.Tensor, batch_size: int = 2048) -> torch.Tensor:
    """G(z): mean images in [0, 1], float32 (N, C, H, W)."""
    model.eval()
    z = torch.as_tensor(np.asarray(z, dtype=np.float32))
    out = [model.decode(z[i : i + batch_size]) for i in range(0, z.shape[0], batch_size)]
    return torch.cat(out)
