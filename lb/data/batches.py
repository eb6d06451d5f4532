"""In-memory mini-batches: a seeded permutation of indices over tensors held on the device."""

from __future__ import annotations

from collections.abc import Iterator

import torch

from lb.data.augment import random_crop_flip
from lb.data.specs import DatasetSpec


class BatchLoader:
    """Iterate ``(x, y)`` batches of a whole in-memory dataset.

    ``x_uint8`` (uint8 ``N×C×H×W``) and ``y`` (``N`` labels) are moved to ``device`` once. Each
    pass (epoch) draws a permutation from ``generator`` (``shuffle=True``; else the stored order),
    takes consecutive slices of ``batch_size`` indices (the last batch may be smaller; ``len()``
    is ``ceil(N / batch_size)``), optionally augments them (:func:`random_crop_flip`) and yields
    ``x`` as float32 ``(x / 255 - mean) / std`` with the spec's per-channel constants (the same
    numbers as torchvision's ``ToTensor`` + ``Normalize``) and ``y`` as int64, both on ``device``.

    ``generator`` must be a CPU ``torch.Generator`` when ``shuffle`` or ``augment`` is on: its
    state alone decides the batches, so saving and restoring it resumes the exact sequence.
    """

    def __init__(
        self,
        x_uint8: torch.Tensor,
        y: torch.Tensor,
        spec: DatasetSpec,
        batch_size: int,
        shuffle: bool = False,
        augment: bool = False,
        generator: torch.Generator | None = None,
        device: torch.device | str = "cpu",
    ) -> None:
        shape = (spec.channels, spec.image_size, spec.image_size)
        if x_uint8.dtype != torch.uint8 or x_uint8.dim() != 4 or tuple(x_uint8.shape[1:]) != shape:
            raise ValueError(
                f"BatchLoader: x must be uint8 N×{shape} for {spec.name}, "
                f"got {x_uint8.dtype} {tuple(x_uint8.shape)}"
            )
        y = torch.as_tensor(y)
        if y.dim() != 1 or y.numel() != x_uint8.shape[0]:
            raise ValueError(
                f"BatchLoader: {x_uint8.shape[0]} images but y has shape {tuple(y.shape)}"
            )
        if int(batch_size) < 1:
            raise ValueError(f"BatchLoader: batch_size must be >= 1, got {batch_size}")
        if (shuffle or augment) and generator is None:
            raise ValueError("BatchLoader: shuffle/augment need a seeded torch.Generator")
        self.device = torch.device(device)
        self.x = x_uint8.to(self.device)
        self.y = y.to(device=self.device, dtype=torch.int64)
        self.spec = spec
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.augment = bool(augment)
        self.generator = generator
        stats = {"dtype": torch.float32, "device": self.device}
        self.mean = torch.tensor(spec.mean, **stats).view(1, -1, 1, 1)
        self.std = torch.tensor(spec.std, **stats).view(1, -1, 1, 1)

    def __len__(self) -> int:
        return -(-self.x.shape[0] // self.batch_size)

    @property
    def num_samples(self) -> int:
        return int(self.x.shape[0])

    def normalise(self, x_uint8: torch.Tensor) -> torch.Tensor:
        """uint8 images -> float32 ``(x / 255 - mean) / std`` (torchvision's order of ops)."""
        return x_uint8.float().div_(255).sub_(self.mean).div_(self.std)

    def epoch_order(self) -> torch.Tensor:
        """The index order of the next pass (draws from the generator when shuffling)."""
        n = self.num_samples
        if self.shuffle:
            return torch.randperm(n, generator=self.generator).to(self.device)
        return torch.arange(n, device=self.device)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        order = self.epoch_order()
        for start in range(0, self.num_samples, self.batch_size):
            idx = order[start : start + self.batch_size]
            xb = self.x.index_select(0, idx)
            if self.augment:
                xb = random_crop_flip(xb, self.generator)
            yield self.normalise(xb), self.y.index_select(0, idx)
