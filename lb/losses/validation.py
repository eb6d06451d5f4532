"""Argument checks shared by the losses: one-line ``ValueError`` naming the bad argument."""

from __future__ import annotations

import math
from numbers import Real

import torch


def check_batch(embeddings: object, labels: object) -> torch.Tensor:
    """Check a (embeddings, labels) batch and return ``labels`` on the embeddings' device.

    ``embeddings`` must be a finite floating 2-D tensor with at least one row, ``labels`` a 1-D
    integer tensor of the same length. Raises ``ValueError`` naming the argument otherwise.
    """
    if not isinstance(embeddings, torch.Tensor):
        raise ValueError(f"embeddings must be a torch.Tensor, got {type(embeddings).__name__}")
    if embeddings.dim() != 2:
        raise ValueError(
            f"embeddings must be 2-D (batch x features), got shape {tuple(embeddings.shape)}"
        )
    if not embeddings.is_floating_point():
        raise ValueError(f"embeddings must be a floating tensor, got dtype {embeddings.dtype}")
    if embeddings.shape[0] == 0 or embeddings.shape[1] == 0:
        raise ValueError(f"embeddings must not be empty, got shape {tuple(embeddings.shape)}")
    if not isinstance(labels, torch.Tensor):
        raise ValueError(f"labels must be a torch.Tensor, got {type(labels).__name__}")
    if labels.dim() != 1:
        raise ValueError(f"labels must be 1-D, got shape {tuple(labels.shape)}")
    if labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
        raise ValueError(f"labels must be an integer tensor, got dtype {labels.dtype}")
    if labels.shape[0] != embeddings.shape[0]:
        raise ValueError(
            f"labels has length {labels.shape[0]} but embeddings has {embeddings.shape[0]} rows"
        )
    # One cheap reduction first (NaN/inf propagate into the sum); only a non-finite sum, which
    # can also come from an overflow of finite values, needs the element-wise check.
    if not bool(torch.isfinite(embeddings.detach().sum())) and not bool(
        torch.isfinite(embeddings).all()
    ):
        raise ValueError("embeddings contain NaN or inf (check the model output / learning rate)")
    return labels.to(embeddings.device)


def check_real(
    name: str,
    value: object,
    *,
    low: float | None = None,
    low_open: bool = False,
    high: float | None = None,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float, or raise ``ValueError`` naming ``name`` if it is not a finite
    real number inside the given bounds (``low``/``high`` inclusive unless ``*_open``)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    v = float(value)
    if low is not None and (v < low or (low_open and v == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low:g}, got {v:g}")
    if high is not None and (v > high or (high_open and v == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high:g}, got {v:g}")
    return v


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` if it is a bool, else raise ``ValueError`` naming ``name``."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, got {value!r}")
    return value


def check_epoch(epoch: object, max_epochs: object, max_name: str = "max_epochs") -> tuple[int, int]:
    """Check ``set_epoch`` arguments: ``epoch >= 0`` and ``max_epochs >= 1`` integers (the
    latter named ``max_name`` in the error)."""
    for name, value, low in (("epoch", epoch, 0), (max_name, max_epochs, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(epoch), int(max_epochs)


def zero_loss(embeddings: torch.Tensor) -> torch.Tensor:
    """A scalar 0 that is connected to ``embeddings`` (has a grad_fn when they require grad),
    so the trainer can call ``backward`` without branching."""
    return (embeddings * 0.0).sum()
