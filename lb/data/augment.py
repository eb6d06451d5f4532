"""CIFAR augmentation on whole batches: 4-pixel zero-pad random crop + horizontal flip.

The same distribution as torchvision's ``RandomCrop(32, padding=4)`` followed by
``RandomHorizontalFlip()`` on PIL images (zero fill, crop offsets uniform in ``0..8`` per axis,
flip with probability 1/2), done for a whole ``B×C×H×W`` batch with one padded gather, on the
batch's device. Random numbers come from the given CPU ``torch.Generator`` only (drawn in the
order: row offsets, column offsets, flips), so the same generator state gives the same batch.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

AUGMENTED_DATASETS = frozenset({"cifar10", "cifar100"})
"""Datasets the trainer augments by default (the paper's CIFAR setups)."""


def random_crop_flip(x: torch.Tensor, generator: torch.Generator, padding: int = 4) -> torch.Tensor:
    """A randomly shifted (zero-padded) and randomly mirrored copy of each image in ``x``.

    ``x``: ``B×C×H×W`` (uint8 or float, any device). Output: same shape, dtype and device.
    Crop and flip are one gather: output pixel ``(i, j)`` of image ``b`` is padded pixel
    ``(dy_b + i, dx_b + j)``, or ``(dy_b + i, dx_b + W - 1 - j)`` when ``b`` is flipped.
    """
    if x.dim() != 4:
        raise ValueError(f"random_crop_flip expects B×C×H×W, got shape {tuple(x.shape)}")
    b, c, h, w = x.shape
    dy = torch.randint(0, 2 * padding + 1, (b,), generator=generator)
    dx = torch.randint(0, 2 * padding + 1, (b,), generator=generator)
    flip = torch.randint(0, 2, (b,), generator=generator).bool()
    dy, dx, flip = dy.to(x.device), dx.to(x.device), flip.to(x.device)

    padded = F.pad(x, (padding, padding, padding, padding)) if padding else x
    wp = w + 2 * padding
    j = torch.arange(w, device=x.device)
    rows = dy[:, None] + torch.arange(h, device=x.device)  # B×H
    cols = dx[:, None] + torch.where(flip[:, None], w - 1 - j, j)  # B×W
    flat = (rows[:, :, None] * wp + cols[:, None, :]).reshape(b, 1, h * w).expand(b, c, h * w)
    return padded.reshape(b, c, -1).gather(2, flat).reshape(b, c, h, w)
