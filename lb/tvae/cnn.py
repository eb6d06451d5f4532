"""Step 1 of the triplet-VAE study: the CNN under test.

It is trained with the lb trainer (:func:`lb.training.train_run`, method ``baseline``:
cross-entropy only) on the study's images; the trainer holds out 10 % of them for its scheduler
and early stopping, and every epoch runs (patience ≥ epochs). Its outputs are the trainer's
(``metrics.json``, ``history.csv``, ``test_outputs.npz``, ``model.pt``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from lb.data import get_spec
from lb.errors import DataError
from lb.tvae.config import CNNSettings
from lb.tvae.data import DataOptions

Log = Callable[[str], Any]


@dataclasses.dataclass(frozen=True)
class Machine:
    """Where a training runs: ``device`` (lb.device.pick_device) and torch threads."""

    device: str = "auto"
    num_threads: int | None = None


def cnn_run_config(s: CNNSettings, seed: int, options: DataOptions, machine: Machine = Machine()):
    """The lb trainer's :class:`~lb.training.RunConfig` of the CNN under test."""
    from lb.training import RunConfig

    return RunConfig(
        dataset=s.dataset,
        model=s.cnn_model,
        method="baseline",
        lam=0.0,
        seed=seed,
        batch_size=s.cnn_batch_size,
        lr=s.cnn_lr,
        max_epochs=s.cnn_epochs,
        warmup_epochs=0,  # val_fraction and the LR schedule: the config's defaults (RunConfig's)
        early_stopping_patience=max(20, s.cnn_epochs),
        data_root=options.root,
        download=options.download,
        cache_dir=options.cache_dir,
        device=machine.device,
        train_limit=s.train_limit,
        test_limit=s.test_limit,
        num_threads=machine.num_threads,
    )


def train_cnn(
    s: CNNSettings,
    seed: int,
    out_dir: str | Path,
    checkpoint_path: str | Path,
    options: DataOptions,
    log: Log = print,
    machine: Machine = Machine(),
) -> dict:
    """Train the CNN under test into ``out_dir``; returns the trainer's metrics."""
    from lb.training import train_run

    return train_run(cnn_run_config(s, seed, options, machine), out_dir, checkpoint_path, log=log)


def load_cnn(model_name: str, dataset: str, cnn_dir: str | Path) -> torch.nn.Module:
    """The trained CNN from ``cnn_dir/model.pt``, in eval mode on the CPU."""
    from lb.models import build_model

    model = build_model(model_name, get_spec(dataset))
    path = Path(cnn_dir) / "model.pt"
    if not path.exists():
        raise DataError(f"{path}: missing CNN weights; train the VAE study's CNN first")
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model.eval()


def check_test_labels(cnn_dir: str | Path, y_test: np.ndarray) -> None:
    """The CNN's saved test labels must be the study's (same dataset and ``test_limit``)."""
    with np.load(Path(cnn_dir) / "test_outputs.npz") as f:
        labels = f["label"]
    if labels.shape != y_test.shape or not np.array_equal(labels, y_test):
        raise DataError(
            f"{cnn_dir}/test_outputs.npz: its test labels differ from the study's test set; "
            "train that CNN again with the same vae.dataset/test_limit"
        )


@torch.no_grad()
def cnn_probabilities(
    model: torch.nn.Module, images01: torch.Tensor, spec, batch_size: int = 1024
) -> np.ndarray:
    """Softmax probabilities of the CNN for float images in [0, 1] (normalised as in training)."""
    mean = torch.tensor(spec.mean, dtype=torch.float32).view(1, -1, 1, 1)
    std = torch.tensor(spec.std, dtype=torch.float32).view(1, -1, 1, 1)
    out = []
    for i in range(0, images01.shape[0], batch_size):
        x = (images01[i : i + batch_size].float() - mean) / std
        logits, _ = model(x)
        out.append(torch.softmax(logits.double(), dim=1))
    return torch.cat(out).numpy()
