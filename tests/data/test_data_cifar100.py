"""CIFAR-100 (not available offline): small files in the real cifar-100-python format.

The files are written like the original ones: Python-2 protocol-2 pickles whose strings are py2
``str`` opcodes (so ``pickle.load(f, encoding="latin1")``, as torchvision calls it, gives str keys)
and the images as a channel-planar uint8 ``N×3072`` numpy array.
"""

import struct

import numpy as np
import pytest
import torch

from lb.data import DATASETS, load_dataset
from lb.errors import DataError


class _Global:
    def __init__(self, module: bytes, name: bytes):
        self.module, self.name = module, name


class _Dtype:
    """Stands for ``np.dtype(np.uint8)`` inside :func:`py2_pickle`."""


def py2_pickle(obj) -> bytes:
    """A protocol-2 pickle as Python 2 writes it: bytes become py2 ``str`` opcodes (``U``/``T``),
    numpy arrays use numpy's ``_reconstruct`` + ``__setstate__`` (as in the real batches)."""
    out = bytearray(b"\x80\x02")

    def w(x):
        if isinstance(x, _Global):
            out.extend(b"c" + x.module + b"\n" + x.name + b"\n")
        elif x is None:
            out.extend(b"N")
        elif isinstance(x, bool):
            out.extend(b"\x88" if x else b"\x89")
        elif isinstance(x, int):
            if 0 <= x < 256:
                out.extend(b"K" + bytes([x]))
            elif 0 <= x < 65536:
                out.extend(b"M" + struct.pack("<H", x))
            else:
                out.extend(b"J" + struct.pack("<i", x))
        elif isinstance(x, bytes):
            out.extend(b"U" + bytes([len(x)]) if len(x) < 256 else b"T" + struct.pack("<i", len(x)))
            out.extend(x)
        elif isinstance(x, tuple):
            out.extend(b"(")
            for v in x:
                w(v)
            out.extend(b"t")
        elif isinstance(x, list):
            out.extend(b"](")
            for v in x:
                w(v)
            out.extend(b"e")
        elif isinstance(x, dict):
            out.extend(b"}(")
            for k, v in x.items():
                w(k)
                w(v)
            out.extend(b"u")
        elif isinstance(x, _Dtype):
            w(_Global(b"numpy", b"dtype"))
            w((b"u1", False, True))
            out.extend(b"R")
            w((3, b"|", None, None, None, -1, -1, 0))
            out.extend(b"b")
        elif isinstance(x, np.ndarray):
            assert x.dtype == np.uint8 and x.flags.c_contiguous
            w(_Global(b"numpy.core.multiarray", b"_reconstruct"))
            w((_Global(b"numpy", b"ndarray"), (0,), b"b"))
            out.extend(b"R")
            w((1, tuple(int(n) for n in x.shape), _Dtype(), False, x.tobytes()))
            out.extend(b"b")
        else:
            raise TypeError(type(x))

    w(obj)
    out.extend(b".")
    return bytes(out)


def write_cifar100(folder, n_train=60, n_test=30, seed=0, drop_label=False):
    """Write ``train``, ``test`` and ``meta`` like the real cifar-100-python; return the arrays."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for name, n in (("train", n_train), ("test", n_test)):
        data = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
        fine = [int(v) for v in rng.integers(0, 100, size=n)]
        entry = {
            b"filenames": [b"img_%05d.png" % i for i in range(n)],
            b"batch_label": name.encode(),
            b"fine_labels": fine[:-1] if drop_label else fine,
            b"coarse_labels": [f // 5 for f in fine],
            b"data": data,
        }
        (folder / name).write_bytes(py2_pickle(entry))
        arrays[name] = (data, fine)
    meta = {
        b"fine_label_names": [c.encode() for c in DATASETS["cifar100"].class_names],
        b"coarse_label_names": [b"superclass_%d" % i for i in range(20)],
    }
    (folder / "meta").write_bytes(py2_pickle(meta))
    return arrays


def test_data_cifar100_writer_matches_the_real_format(tmp_path):
    import pickle
    import pickletools

    arrays = write_cifar100(tmp_path / "cifar-100-python", n_train=4, n_test=2)
    for encoding, key in (("latin1", "data"), ("bytes", b"data")):
        with open(tmp_path / "cifar-100-python" / "train", "rb") as handle:
            entry = pickle.load(handle, encoding=encoding)
        assert np.array_equal(entry[key], arrays["train"][0])
    blob = (tmp_path / "cifar-100-python" / "train").read_bytes()
    opcodes = {op.name for op, _, _ in pickletools.genops(blob)}
    assert "SHORT_BINSTRING" in opcodes and not opcodes & {"BINUNICODE", "SHORT_BINBYTES"}
    with open(tmp_path / "cifar-100-python" / "meta", "rb") as handle:
        meta = pickle.load(handle, encoding="latin1")
    assert meta["fine_label_names"][:2] == ["apple", "aquarium_fish"]


def test_data_cifar100_loads_real_format_files(tmp_path):
    arrays = write_cifar100(tmp_path / "root" / "cifar-100-python")
    data = load_dataset("cifar100", root=tmp_path / "root", cache_dir=tmp_path / "cache")
    assert data.train_x.shape == (60, 3, 32, 32) and data.test_x.shape == (30, 3, 32, 32)
    assert data.train_x.dtype == torch.uint8 and data.test_y.dtype == torch.int64
    train_data, train_fine = arrays["train"]
    assert torch.equal(data.train_x, torch.from_numpy(train_data.reshape(60, 3, 32, 32)))
    assert data.train_y.tolist() == train_fine and data.test_y.tolist() == arrays["test"][1]
    assert "found 60 train / 30 test images" in data.message and "md5 differs" in data.message
    assert data.spec.num_classes == 100


def test_data_cifar100_label_count_mismatch_is_reported(tmp_path):
    write_cifar100(tmp_path / "cifar-100-python", drop_label=True)
    with pytest.raises(
        DataError, match=r"cifar-100-python/train is corrupt \(data \(60, 3072\), 59"
    ):
        load_dataset("cifar100", root=tmp_path, cache_dir=tmp_path / "cache")
