"""Device choice, seeding (same config + seed => same numbers on the CPU), the memory layout of
convolution networks and the precision (bf16 autocast) a device can run."""

from __future__ import annotations

import contextlib
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


def to_channels_last(module: torch.nn.Module, device: torch.device) -> torch.nn.Module:
    """``module`` on ``device`` with its 4-D (convolution) weights in ``torch.channels_last``.

    The trainer keeps convolution weights and image batches in the channels-last (NHWC) layout:
    oneDNN's CPU convolutions and max-pooling run faster in it (the ``memory_format`` benchmark),
    as do cuDNN's tensor-core kernels. Parameters of other ranks are only moved. The layout changes
    which kernels run, so the numbers differ in the last bits from a contiguous (NCHW) model;
    they are deterministic either way.
    """
    return module.to(device, memory_format=torch.channels_last)


def channels_last_batch(x: torch.Tensor) -> torch.Tensor:
    """An image batch (N×C×H×W) in ``torch.channels_last``; other tensors unchanged."""
    return x.contiguous(memory_format=torch.channels_last) if x.dim() == 4 else x


def bf16_unsupported(device: torch.device) -> str | None:
    """Why bfloat16 autocast cannot run fast on ``device`` (None when it can), asking torch.

    CPU: oneDNN must be available and report bf16 support
    (``torch.ops.mkldnn._is_mkldnn_bf16_supported``: AVX-512 with BF16 / AMX instructions or the
    AVX-512 subset oneDNN uses for bf16); without it torch emulates bf16 at a fraction of fp32
    speed. CUDA: ``torch.cuda.is_bf16_supported()`` (Ampere and newer). Other devices: none.
    """
    if device.type == "cpu":
        if not torch.backends.mkldnn.is_available():
            return "this torch build has no oneDNN (mkldnn)"
        supported = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", None)
        if supported is not None and not supported():
            return "this CPU has no bf16 instructions (oneDNN reports no bf16 support)"
        return None
    if device.type == "cuda":
        with torch.cuda.device(device):
            if not torch.cuda.is_bf16_supported():
                return f"GPU {torch.cuda.get_device_name(device)} does not support bf16"
        return None
    return f"bf16 autocast is supported on cpu and cuda only, not {device.type}"


def autocast(device: torch.device, precision: str):
    """The context the network's forward runs in: ``torch.autocast(device.type,
    dtype=torch.bfloat16)`` for ``bf16``, a no-op for ``fp32``."""
    if precision == "bf16":
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    if precision == "fp32":
        return contextlib.nullcontext()
    raise ValueError(f"precision must be fp32 or bf16, got {precision!r}")
