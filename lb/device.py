"""Device choice and seeding (same config + seed => same numbers on the CPU)."""

from __future__ import annotations

import os
import random

import numpy as np
import torch


def pick_device(requested: str = "auto") -> torch.device:
    """``auto``: CUDA when present, else the CPU; ``cpu``, ``cuda``, ``cuda:N`` are taken as is."""
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(requested)


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch (CPU and CUDA) and ask torch for deterministic kernels."""
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - seeds code that uses NumPy's global RNG
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    if torch.backends.cudnn.is_available():  # GPU only
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.deterministic = True
