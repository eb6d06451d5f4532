"""Step 2 of the triplet-VAE study: the triplet VAE and the vanilla VAE (α = 0), trained the same
way (:mod:`lb.tvae.training`) on the study's training images. The triplet VAE's α comes from the
config; its default was chosen on a validation split of the training set, never the test set
(:mod:`lb.tvae.alpha_sweep`, docs/tvae_alpha.md).

Each writes ``model.pt``, ``latents.npz`` (z^μ and labels of the training and test images),
``history.csv`` and ``metrics.json`` into its directory.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from lb import io
from lb.errors import DataError
from lb.tvae.config import VAESettings
from lb.tvae.data import DataOptions, load_study_data, to_unit
from lb.tvae.model import VAE
from lb.tvae.training import encode_mu, train_vae

KINDS = ("triplet", "vanilla")
Log = Callable[[str], Any]


def train_study_vae(
    s: VAESettings,
    kind: str,
    seed: int,
    out_dir: str | Path,
    options: DataOptions,
    log: Log = print,
    device: str = "auto",
) -> dict:
    """Train the ``kind`` VAE and write its four files into ``out_dir``. Returns the metrics."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    out_dir = Path(out_dir)
    d = load_study_data(s.data, options)
    t0 = time.perf_counter()
    model, history = train_vae(to_unit(d.train_x), d.train_y, s, seed, device, log=log)
    train_seconds = time.perf_counter() - t0
    last = history.iloc[-1]
    metrics = {
        "kind": kind,
        "seed": seed,
        "alpha": s.alpha,
        "beta": s.beta,
        "margin": s.margin,
        "latent_dim": s.latent_dim,
        "epochs": s.epochs,
        "n_train": int(d.train_y.numel()),
        "n_test": int(d.test_y.numel()),
        "final_loss": float(last["loss"]),
        "final_recon": float(last["recon"]),
        "final_kl": float(last["kl"]),
        "final_triplet": None if kind == "vanilla" else float(last["triplet"]),
        "train_seconds": train_seconds,
    }
    save_vae(model, out_dir / "model.pt")
    save_npz(
        out_dir / "latents.npz",
        train_mu=encode_mu(model, to_unit(d.train_x)),
        train_y=d.train_y.numpy(),
        test_mu=encode_mu(model, to_unit(d.test_x)),
        test_y=d.test_y.numpy(),
    )
    io.write_csv(history, out_dir / "history.csv")
    io.write_json(out_dir / "metrics.json", metrics)
    return metrics


def save_vae(model: VAE, path: Path) -> None:
    state = {
        "state_dict": model.state_dict(),
        "image_shape": list(model.image_shape),
        "latent_dim": model.latent_dim,
        "hidden": list(model.hidden),
    }
    io.save_torch(state, path)


def load_vae(vae_dir: str | Path) -> VAE:
    path = Path(vae_dir) / "model.pt"
    if not path.exists():
        raise DataError(f"{path}: missing VAE weights; train the VAE study's VAEs first")
    state = torch.load(path, map_location="cpu", weights_only=True)
    model = VAE(tuple(state["image_shape"]), state["latent_dim"], tuple(state["hidden"]))
    model.load_state_dict(state["state_dict"])
    return model.eval()


def load_latents(vae_dir: str | Path) -> dict[str, np.ndarray]:
    with np.load(Path(vae_dir) / "latents.npz") as f:
        return {k: f[k] for k in f.files}


def save_npz(path: Path, **arrays) -> None:
    with io.atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
