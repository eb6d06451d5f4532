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
"""

from __future__ import annotations

import importlib
import pickle
from pathlib import Path

import numpy as np
import torch
from torchvision.datasets import CIFAR10, CIFAR100

from lb.data.files import FIX_HINT, first_line, md5_file, missing_message
from lb.data.specs import DatasetSpec
from lb.data.tensor_cache import cached_tensors
from lb.errors import DataError

TORCHVISION_CLASSES: dict[str, type[CIFAR10]] = {"cifar10": CIFAR10, "cifar100": CIFAR100}


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


def _present_files(cls: type[CIFAR10], folder: Path) -> tuple[list[str], list[str], str]:
    """The train files present (in torchvision's order), the test files, the meta file name.

    CIFAR-10 needs at least ``data_batch_1``; every other listed file is required.
    """
    train = [name for name, _ in cls.train_list if (folder / name).is_file()]
    if cls is CIFAR10:
        required = ["data_batch_1", *(name for name, _ in cls.test_list), cls.meta["filename"]]
    else:
        required = [
            *(name for name, _ in cls.train_list),
            *(name for name, _ in cls.test_list),
            cls.meta["filename"],
        ]
    missing = [name for name in required if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(folder / missing[0])
    return train, [name for name, _ in cls.test_list], cls.meta["filename"]


def unchecked_class(cls: type[CIFAR10], train: list[str], test: list[str]) -> type[CIFAR10]:
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
    cls = TORCHVISION_CLASSES[spec.name]
    unchecked = unchecked_class(cls, train, test)
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
    cls = TORCHVISION_CLASSES[spec.name]
    folder = root / cls.base_folder
    if download:
        try:
            cls(str(root), train=True, download=True)
        except Exception as err:
            raise DataError(
                f"{spec.name}: download into {folder} failed ({first_line(err)}); check network "
                "access and that data_root is writable, or put the files there by hand"
            ) from err
    try:
        train, test, meta = _present_files(cls, folder)
    except FileNotFoundError as err:
        raise DataError(
            missing_message(spec.name, Path(err.args[0]), f"{cls.base_folder}/")
        ) from None

    files = [*train, *test, meta]
    fingerprint = {name: md5_file(folder / name) for name in files}
    known = {name: md5 for name, md5 in (*cls.train_list, *cls.test_list)}
    known[cls.meta["filename"]] = cls.meta["md5"]
    exact = len(train) == len(cls.train_list) and all(
        fingerprint[name] == known[name] for name in files
    )

    def decode() -> dict[str, torch.Tensor]:
        for name in files:
            _check_batch_file(folder / name, spec)
        return _decode(spec, root, folder, train, test, meta)

    tensors, cached = cached_tensors(cache_dir, spec.name, fingerprint, decode)
    check = "md5 = torchvision's" if exact else "md5 differs from torchvision's full set, unchecked"
    batches = ", ".join(train)
    if len(train) < len(cls.train_list):
        batches += f" only: {len(train)} of {len(cls.train_list)} training files, a subset"
    origin = f"{folder} ({batches}; {check})"
    return tensors, origin + ("; decoded tensors from cache" if cached else "")
