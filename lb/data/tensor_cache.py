"""Cache of decoded datasets: one ``.pt`` file of uint8/int64 tensors per dataset and file set.

The file name carries a hash of the dataset name and the md5 of every source file, so a changed
source file never reuses a stale cache. Files are written atomically (:func:`lb.io.save_torch`)
and read with ``torch.load(weights_only=True)``. An unreadable cache file is decoded again and
replaced; an unwritable cache directory only costs the decode on the next run.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

import torch

from lb.io import save_torch

log = logging.getLogger("lb.data")

FORMAT_VERSION = 1
TENSOR_KEYS = ("train_x", "train_y", "test_x", "test_y")


def cache_path(cache_dir: Path, dataset: str, fingerprint: dict[str, str]) -> Path:
    """``cache_dir/tensors/{dataset}-{hash}.pt`` for a dataset and ``{file name: md5}``."""
    key = json.dumps(
        {"format": FORMAT_VERSION, "dataset": dataset, "files": fingerprint}, sort_keys=True
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return cache_dir / "tensors" / f"{dataset}-{digest}.pt"


def cached_tensors(
    cache_dir: Path,
    dataset: str,
    fingerprint: dict[str, str],
    decode: Callable[[], dict[str, torch.Tensor]],
) -> tuple[dict[str, torch.Tensor], bool]:
    """The decoded tensors from the cache, or from ``decode()`` (then stored).

    Returns ``(tensors, from_cache)``.
    """
    path = cache_path(cache_dir, dataset, fingerprint)
    if path.is_file():
        try:
            tensors = torch.load(path, map_location="cpu", weights_only=True)
            if isinstance(tensors, dict) and all(
                isinstance(tensors.get(k), torch.Tensor) for k in TENSOR_KEYS
            ):
                return {k: tensors[k] for k in TENSOR_KEYS}, True
            log.warning("%s: ignoring malformed tensor cache %s", dataset, path)
        except Exception as err:  # a damaged cache file is rebuilt, never trusted
            log.warning("%s: ignoring unreadable tensor cache %s (%s)", dataset, path, err)
    tensors = decode()
    try:
        save_torch({k: tensors[k].contiguous() for k in TENSOR_KEYS}, path)
    except OSError as err:
        log.warning("%s: could not write tensor cache %s (%s)", dataset, path, err)
    return tensors, False
