"""CIFAR-10 and CIFAR-100 through torchvision's ``CIFAR10`` / ``CIFAR100`` classes.

The files are read with torchvision's own code (a subclass whose file lists name the files that
are present, with the md5 check turned off, as in ``../shared/data/README.md``). This is what
lets the offline CIFAR-10 *subset* (only ``data_batch_1``, 5,000 images, md5s differ from the full
set) and test files in the real ``cifar-100-python`` format be read. Whether the md5s match
torchvision's full set is reported, as are the image counts.

``download=True`` hands over to torchvision's stock class with ``download=True``: it downloads the
full archive into the data root unless the complete, md5-exact set is already there (so asking
for a download on top of the subset fetches the full CIFAR-10).

Corrupt or truncated batch files (unpicklable, wrong array sizes, label counts that differ from
image counts) give a one-line :class:`DataError` naming the file.

The batch files are pickles, and a pickle can call any Python function while it is read. Every
file is therefore first read by :class:`BatchUnpickler`, which admits only what a CIFAR batch
holds (plain containers, strings, numbers and NumPy arrays) and refuses any other global, so a
malicious file in the data root is reported as corrupt instead of run; torchvision's own
(unrestricted) reader only sees files that passed it.

torchvision is imported only to decode (a tensor-cache miss) or download: the folder, file names
and md5s come from :data:`CIFAR_FILES`, a copy of the torchvision classes' lists (a test checks
that it equals the installed torchvision's), so a job whose tensors are cached does not import
torchvision (~1.6 s).
"""

from __future__ import annotations

import importlib
import pickle
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

from lb.data.files import FIX_HINT, first_line, md5_file, missing_message
from lb.data.specs import DatasetSpec
from lb.data.tensor_cache import cached_tensors
from lb.errors import DataError


class CifarFiles(NamedTuple):
    """What a torchvision CIFAR class reads: its name, ``base_folder``, ``train_list`` and
    ``test_list`` (``[name, md5]``), and its ``meta`` file's name and md5."""

    class_name: str
    base_folder: str
    train_list: tuple[tuple[str, str], ...]
    test_list: tuple[tuple[str, str], ...]
    meta_filename: str
    meta_md5: str


CIFAR_FILES: dict[str, CifarFiles] = {
    "cifar10": CifarFiles(
        "CIFAR10",
        "cifar-10-batches-py",
        (
            ("data_batch_1", "c99cafc152244af753f735de768cd75f"),
            ("data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"),
            ("data_batch_3", "54ebc095f3ab1f0389bbae665268c751"),
            ("data_batch_4", "634d18415352ddfa80567beed471001a"),
            ("data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"),
        ),
        (("test_batch", "40351d587109b95175f43aff81a1287e"),),
        "batches.meta",
        "5ff9c542aee3614f3951f8cda6e48888",
    ),
    "cifar100": CifarFiles(
        "CIFAR100",
        "cifar-100-python",
        (("train", "16019d7e3df5f24257cddd939b257f8d"),),
        (("test", "f0ef6b0ae62326f3e7ffdfab6717acfc"),),
        "meta",
        "7973b15100ade9c7d40fb424638fde48",
    ),
}


def torchvision_class(dataset: str):
    """torchvision's ``CIFAR10`` / ``CIFAR100`` class of ``dataset`` (imports torchvision)."""
    from torchvision import datasets

    return getattr(datasets, CIFAR_FILES[dataset].class_name)


# The globals a pickled NumPy array needs (NumPy 1 writes numpy.core, NumPy 2 numpy._core).
_ARRAY_GLOBALS = {
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"),
}


class BatchUnpickler(pickle.Unpickler):
    """Unpickles CIFAR batch files, refusing every global but NumPy's array constructors."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _ARRAY_GLOBALS:
            raise pickle.UnpicklingError(
                f"it names the Python global {module}.{name}, which a CIFAR batch never holds"
            )
        if module.startswith("numpy.core.") and hasattr(np, "_core"):
            module = "numpy._core." + module.removeprefix("numpy.core.")  # no deprecation warning
        return getattr(importlib.import_module(module), name)


def _present_files(files: CifarFiles, folder: Path) -> tuple[list[str], list[str], str]:
    """The train files present (in torchvision's order), the test files, the meta file name.

    CIFAR-10 needs at least ``data_batch_1``; every other listed file is required.
    """
    train = [name for name, _ in files.train_list if (folder / name).is_file()]
    if files.class_name == "CIFAR10":
        required = ["data_batch_1", *(name for name, _ in files.test_list), files.meta_filename]
    else:
        required = [
            *(name for name, _ in files.train_list),
            *(name for name, _ in files.test_list),
            files.meta_filename,
        ]
    missing = [name for name in required if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(folder / missing[0])
    return train, [name for name, _ in files.test_list], files.meta_filename


def unchecked_class(cls: type, train: list[str], test: list[str]) -> type:
    """``cls`` reading exactly these files, md5 check off (torchvision skips ``md5=None``)."""
    return type(
        f"{cls.__name__}Unchecked",
        (cls,),
        {
            "train_list": [[name, None] for name in train],
            "test_list": [[name, None] for name in test],
            "meta": {**cls.meta, "md5": None},
        },
    )


def _check_batch_file(path: Path, spec: DatasetSpec) -> None:
    """Unpickle one batch file as torchvision does and check its structure; DataError if bad."""
    hint = f"delete it and {FIX_HINT} with good files"
    try:
        with open(path, "rb") as handle:
            entry = BatchUnpickler(handle, encoding="latin1").load()
    except Exception as err:
        raise DataError(
            f"{spec.name}: {path} is truncated or corrupt ({first_line(err)}); {hint}"
        ) from err
    if not isinstance(entry, dict):
        raise DataError(f"{spec.name}: {path} is corrupt (not a CIFAR batch dict); {hint}")
    if "label_names" in entry or "fine_label_names" in entry:
        return
    data = entry.get("data")
    labels = entry.get("labels", entry.get("fine_labels"))
    row = spec.channels * spec.image_size * spec.image_size
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2:
        raise DataError(f"{spec.name}: {path} is corrupt (no uint8 'data' array); {hint}")
    if data.shape[1] != row or labels is None or len(labels) != data.shape[0]:
        raise DataError(
            f"{spec.name}: {path} is corrupt (data {tuple(data.shape)}, "
            f"{None if labels is None else len(labels)} labels; expected N×{row} and N labels); "
            f"{hint}"
        )


def _decode(
    spec: DatasetSpec, root: Path, folder: Path, train: list[str], test: list[str], meta: str
) -> dict[str, torch.Tensor]:
    unchecked = unchecked_class(torchvision_class(spec.name), train, test)
    out: dict[str, torch.Tensor] = {}
    for split, is_train in (("train", True), ("test", False)):
        try:
            ds = unchecked(str(root), train=is_train, download=False)
        except Exception as err:
            raise DataError(
                f"{spec.name}: torchvision could not read {folder} ({first_line(err)}); "
                f"{FIX_HINT} with good files"
            ) from err
        if len(ds.classes) != spec.num_classes:
            raise DataError(
                f"{spec.name}: {folder / meta} lists {len(ds.classes)} class names; "
                f"it is corrupt: {FIX_HINT} with good files"
            )
        x = torch.from_numpy(np.ascontiguousarray(ds.data.transpose(0, 3, 1, 2)))
        out[f"{split}_x"] = x
        out[f"{split}_y"] = torch.as_tensor(ds.targets, dtype=torch.int64)
    return out


def load_cifar(
    spec: DatasetSpec, root: Path, download: bool, cache_dir: Path
) -> tuple[dict[str, torch.Tensor], str]:
    """Decoded tensors of ``cifar10`` / ``cifar100`` and a phrase saying where they came from."""
    files = CIFAR_FILES[spec.name]
    folder = root / files.base_folder
    if download:
        try:
            torchvision_class(spec.name)(str(root), train=True, download=True)
        except Exception as err:
            raise DataError(
                f"{spec.name}: download into {folder} failed ({first_line(err)}); check network "
                "access and that data_root is writable, or put the files there by hand"
            ) from err
    try:
        train, test, meta = _present_files(files, folder)
    except FileNotFoundError as err:
        raise DataError(
            missing_message(spec.name, Path(err.args[0]), f"{files.base_folder}/")
        ) from None

    present = [*train, *test, meta]
    fingerprint = {name: md5_file(folder / name) for name in present}
    known = {name: md5 for name, md5 in (*files.train_list, *files.test_list)}
    known[files.meta_filename] = files.meta_md5
    exact = len(train) == len(files.train_list) and all(
        fingerprint[name] == known[name] for name in present
    )

    def decode() -> dict[str, torch.Tensor]:
        for name in present:
            _check_batch_file(folder / name, spec)
        return _decode(spec, root, folder, train, test, meta)

    tensors, cached = cached_tensors(cache_dir, spec.name, fingerprint, decode)
    check = "md5 = torchvision's" if exact else "md5 differs from torchvision's full set, unchecked"
    batches = ", ".join(train)
    if len(train) < len(files.train_list):
        batches += f" only: {len(train)} of {len(files.train_list)} training files, a subset"
    origin = f"{folder} ({batches}; {check})"
    return tensors, origin + ("; decoded tensors from cache" if cached else "")
