"""``load_dataset``: any dataset of :data:`lb.data.specs.DATASETS` as in-memory uint8 tensors."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import torch

from lb.data.cifar import load_cifar
from lb.data.digits import load_digits_tensors
from lb.data.idx import load_idx
from lb.data.paths import resolve_cache_dir, resolve_data_root
from lb.data.specs import DatasetSpec, get_spec
from lb.errors import DataError

log = logging.getLogger("lb.data")


@dataclass
class LoadedDataset:
    """A whole dataset in memory.

    ``train_x``/``test_x``: uint8 ``N×C×H×W`` (CPU); ``train_y``/``test_y``: int64 ``N``.
    ``source`` says where the data came from; ``message`` is the one-line report
    (``"fashion_mnist: found 60000 train / 10000 test images in ..."``), also logged.
    """

    spec: DatasetSpec
    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    source: str

    @property
    def num_train(self) -> int:
        return int(self.train_y.numel())

    @property
    def num_test(self) -> int:
        return int(self.test_y.numel())

    @property
    def message(self) -> str:
        return (
            f"{self.spec.name}: found {self.num_train} train / {self.num_test} test images "
            f"in {self.source}"
        )


def check_tensors(spec: DatasetSpec, tensors: dict[str, torch.Tensor], source: str) -> None:
    """Raise a one-line :class:`DataError` unless the tensors have the spec's shapes and labels."""
    shape = (spec.channels, spec.image_size, spec.image_size)
    for split in ("train", "test"):
        x, y = tensors[f"{split}_x"], tensors[f"{split}_y"]
        problem = None
        if x.dtype != torch.uint8 or x.dim() != 4 or tuple(x.shape[1:]) != shape:
            problem = f"{split} images are {x.dtype} {tuple(x.shape)}, expected uint8 N×{shape}"
        elif y.dtype != torch.int64 or y.dim() != 1 or y.numel() != x.shape[0]:
            problem = f"{x.shape[0]} {split} images but {y.numel()} labels"
        elif x.shape[0] == 0:
            problem = f"no {split} images"
        elif int(y.min()) < 0 or int(y.max()) >= spec.num_classes:
            problem = f"{split} labels outside 0..{spec.num_classes - 1}"
        if problem:
            raise DataError(
                f"{spec.name}: data in {source} is corrupt ({problem}); replace the files, or "
                "set `download: true` in the config"
            )


def load_dataset(
    name: str,
    root: str | os.PathLike | None = None,
    download: bool = False,
    cache_dir: str | os.PathLike | None = None,
) -> LoadedDataset:
    """Load dataset ``name`` whole into uint8/int64 CPU tensors (see :class:`LoadedDataset`).

    ``root``: the torchvision data root (see :func:`resolve_data_root`); ``download``: let
    torchvision download what is missing; ``cache_dir``: decompressed files and decoded tensors
    (see :func:`resolve_cache_dir`). ``digits`` needs neither root nor cache. Raises
    :class:`lb.errors.ConfigError` for an unknown name and :class:`lb.errors.DataError` (one line,
    naming the expected file and the fix) for missing, truncated or corrupt files.
    """
    spec = get_spec(name)
    if name == "digits":
        tensors = load_digits_tensors()
        source = "scikit-learn's bundled load_digits (fixed 75/25 stratified split)"
    else:
        data_root = resolve_data_root(root)
        cache = resolve_cache_dir(cache_dir)
        loader = load_idx if name in ("mnist", "fashion_mnist") else load_cifar
        tensors, source = loader(spec, data_root, bool(download), cache)
    check_tensors(spec, tensors, source)
    dataset = LoadedDataset(spec=spec, source=source, **tensors)
    log.info("%s", dataset.message)
    return dataset
