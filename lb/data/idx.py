"""MNIST and Fashion-MNIST through torchvision's ``MNIST`` / ``FashionMNIST`` classes.

torchvision's ``download=False`` reads the *decompressed* IDX files in ``root/<Class>/raw/``.
Three layouts of the data root are handled:

1. the four decompressed IDX files are there: read them in place;
2. only the four ``.gz`` files are there (the read-only offline copy): their md5 must equal
   torchvision's ``resources``; they are decompressed (atomically) into
   ``cache_dir/torchvision/<Class>/raw/`` and read from there with ``download=False``;
3. neither: with ``download=True`` torchvision downloads and extracts into the data root,
   otherwise a one-line :class:`DataError` names the expected file.

Every IDX file's header is checked against its size before torchvision reads it, so a truncated
or corrupt file is reported by name. The decoded tensors are cached (:mod:`lb.data.tensor_cache`).

torchvision is imported only to decode (a tensor-cache miss) or download: the folder and file
names and the md5s come from :data:`IDX_FILES`, a copy of torchvision's ``resources`` (a test
checks that it equals the installed torchvision's), so a job whose tensors are cached does not
import torchvision (~1.6 s).
"""

from __future__ import annotations

import gzip
import shutil
import struct
from pathlib import Path
from typing import NamedTuple

import torch

from lb.data.files import FIX_HINT, first_line, md5_file, missing_message
from lb.data.specs import DatasetSpec
from lb.data.tensor_cache import cached_tensors
from lb.errors import DataError
from lb.io import atomic_path


class IdxFiles(NamedTuple):
    """A torchvision IDX dataset class's name (its folder) and ``resources`` (``.gz``, md5)."""

    class_name: str
    resources: tuple[tuple[str, str], ...]


IDX_FILES: dict[str, IdxFiles] = {
    "mnist": IdxFiles(
        "MNIST",
        (
            ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
            ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
            ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
        ),
    ),
    "fashion_mnist": IdxFiles(
        "FashionMNIST",
        (
            ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
            ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
            ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
        ),
    ),
}


def torchvision_class(dataset: str):
    """torchvision's ``MNIST`` / ``FashionMNIST`` class of ``dataset`` (imports torchvision)."""
    from torchvision import datasets

    return getattr(datasets, IDX_FILES[dataset].class_name)


def _idx_names(files: IdxFiles) -> list[tuple[str, str]]:
    """``[(decompressed name, md5 of the .gz)]`` from torchvision's ``resources``."""
    return [(gz_name.removesuffix(".gz"), md5) for gz_name, md5 in files.resources]


def check_idx_file(path: Path, dataset: str) -> None:
    """Raise :class:`DataError` unless ``path`` is an IDX uint8 file whose size fits its header."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(4)
        if len(head) < 4 or head[:2] != b"\0\0" or head[2] != 0x08 or not 1 <= head[3] <= 3:
            raise DataError(
                f"{dataset}: {path} is not an IDX uint8 file (corrupt); delete it and "
                f"{FIX_HINT} with good files"
            )
        ndim = head[3]
        dims_raw = handle.read(4 * ndim)
    if len(dims_raw) < 4 * ndim:
        raise DataError(f"{dataset}: {path} is truncated; delete it and {FIX_HINT} with good files")
    dims = struct.unpack(f">{ndim}I", dims_raw)
    count = 1
    for d in dims:
        count *= d
    expected = 4 + 4 * ndim + count
    if size != expected:
        state = "truncated" if size < expected else "corrupt (too long)"
        raise DataError(
            f"{dataset}: {path} is {state} ({size} bytes, header says {expected}); "
            f"delete it and {FIX_HINT} with good files"
        )


def _decompress(gz_path: Path, target: Path) -> None:
    with atomic_path(target) as tmp, gzip.open(gz_path, "rb") as src, open(tmp, "wb") as dst:
        shutil.copyfileobj(src, dst, length=1 << 20)


def _read_with_torchvision(
    tv_root: Path, names: list[str], dataset: str
) -> dict[str, torch.Tensor]:
    cls = torchvision_class(dataset)
    raw = tv_root / cls.__name__ / "raw"
    for name in names:
        check_idx_file(raw / name, dataset)
    out: dict[str, torch.Tensor] = {}
    for split, train in (("train", True), ("test", False)):
        try:
            ds = cls(str(tv_root), train=train, download=False)
        except Exception as err:  # torchvision asserts/RuntimeErrors -> one line
            raise DataError(
                f"{dataset}: torchvision could not read {raw} ({first_line(err)}); {FIX_HINT} "
                "with good files"
            ) from err
        out[f"{split}_x"] = ds.data.unsqueeze(1).contiguous()
        out[f"{split}_y"] = ds.targets.to(torch.int64)
    return out


def _download(root: Path, dataset: str) -> None:
    cls = torchvision_class(dataset)
    try:
        cls(str(root), train=True, download=True)
    except Exception as err:
        raise DataError(
            f"{dataset}: download into {root / cls.__name__ / 'raw'} failed ({first_line(err)}); "
            "check network access and that data_root is writable, or put the files there by hand"
        ) from err


def load_idx(
    spec: DatasetSpec, root: Path, download: bool, cache_dir: Path
) -> tuple[dict[str, torch.Tensor], str]:
    """Decoded tensors of ``mnist`` / ``fashion_mnist`` and a phrase saying where they came from."""
    files = IDX_FILES[spec.name]
    names = _idx_names(files)
    raw = root / files.class_name / "raw"
    layout = f"{files.class_name}/raw/ (the 4 IDX files, or their .gz)"

    plain = [raw / n for n, _ in names]
    gz = [raw / f"{n}.gz" for n, _ in names]
    bad_gz = None
    if all(p.is_file() for p in plain):
        mode = "plain"
    elif all(p.is_file() for p in gz):
        mode = "gz"
        for path, (_, expected_md5) in zip(gz, names, strict=True):
            got = md5_file(path)
            if got != expected_md5:
                bad_gz = (path, got, expected_md5)
                break
    else:
        mode = "missing"

    if mode == "missing" or bad_gz is not None:
        if not download:
            raise _unusable_files(spec.name, raw, plain, layout, bad_gz)
        _download(root, spec.name)
        mode = "plain"

    if mode == "plain":
        for path in plain:
            check_idx_file(path, spec.name)
        fingerprint = {p.name: md5_file(p) for p in plain}

        def decode() -> dict[str, torch.Tensor]:
            return _read_with_torchvision(root, [n for n, _ in names], spec.name)

        tensors, cached = cached_tensors(cache_dir, spec.name, fingerprint, decode)
        origin = f"{raw} (IDX files)"
    else:
        fingerprint = {p.name: md5 for p, (_, md5) in zip(gz, names, strict=True)}
        tv_root = cache_dir / "torchvision"
        cache_raw = tv_root / files.class_name / "raw"

        def decode() -> dict[str, torch.Tensor]:
            for (name, _), gz_path in zip(names, gz, strict=True):
                target = cache_raw / name
                try:
                    check_idx_file(target, spec.name)
                except (DataError, FileNotFoundError):
                    _decompress(gz_path, target)
            return _read_with_torchvision(tv_root, [n for n, _ in names], spec.name)

        tensors, cached = cached_tensors(cache_dir, spec.name, fingerprint, decode)
        origin = f"{raw} (.gz, md5 = torchvision's; decompressed into {cache_raw})"
    return tensors, origin + ("; decoded tensors from cache" if cached else "")


def _unusable_files(
    name: str, raw: Path, plain: list[Path], layout: str, bad_gz: tuple | None
) -> DataError:
    """Why the IDX files in ``raw`` cannot be read (without download): a .gz with the wrong md5
    (``bad_gz`` = path, its md5, torchvision's), a mix of plain and .gz files, or a missing one."""
    if bad_gz is not None:
        path, got, expected_md5 = bad_gz
        return DataError(
            f"{name}: {path} has md5 {got}, torchvision expects {expected_md5} "
            f"(truncated or corrupt); replace it, or {FIX_HINT} with good files"
        )
    missing = [p for p in plain if not p.is_file() and not _gz(p).is_file()]
    if not missing:
        return DataError(
            f"{name}: {raw} mixes decompressed and .gz files; torchvision needs all "
            f"four of one kind: complete them, or {FIX_HINT} that holds {layout}"
        )
    target = missing[0]
    return DataError(missing_message(name, f"{target} (or {target.name}.gz)", layout))


def _gz(path: Path) -> Path:
    return path.with_name(path.name + ".gz")
