"""Where datasets are read from (data root) and where derived files are cached (cache dir)."""

from __future__ import annotations

import os
from pathlib import Path


def resolve_data_root(root: str | os.PathLike | None = None) -> Path:
    """The data root: the explicit ``root`` > ``$LB_DATA_ROOT`` > ``./data``.

    It is the ``root`` of torchvision's dataset classes (``root/FashionMNIST/raw/...``,
    ``root/cifar-10-batches-py/...``) and may be read-only.
    """
    if root is not None and str(root) != "":
        return Path(root).expanduser()
    env = os.environ.get("LB_DATA_ROOT")
    if env:
        return Path(env).expanduser()
    return Path("data")


def resolve_cache_dir(cache_dir: str | os.PathLike | None = None) -> Path:
    """The writable cache: the explicit ``cache_dir`` > ``$LB_CACHE_DIR`` > ``~/.cache/lb``.

    It holds decompressed IDX files (when the data root has only the ``.gz`` files) and the
    decoded uint8 tensors of every dataset, so repeated runs do not decode again.
    """
    if cache_dir is not None and str(cache_dir) != "":
        return Path(cache_dir).expanduser()
    env = os.environ.get("LB_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "lb"
