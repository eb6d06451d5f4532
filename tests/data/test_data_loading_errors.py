"""Missing, truncated and corrupt files: one-line DataErrors naming the file and the fix."""

import os
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from torchvision.datasets import CIFAR10, MNIST

from lb.data import load_dataset, resolve_cache_dir, resolve_data_root
from lb.errors import ConfigError, DataError

SHARED = Path(
    os.environ.get("LB_TEST_DATA_ROOT", Path(__file__).resolve().parents[3] / "shared/data")
)
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no offline data at {SHARED}")

IDX_NAMES = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]


def _one_line_error(call, *needles):
    with pytest.raises(DataError) as err:
        call()
    message = str(err.value)
    assert "\n" not in message
    for needle in needles:
        assert str(needle) in message, (needle, message)
    return message


def _write_idx(path, array):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(
        f">{array.ndim}I", *array.shape
    )
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def _tiny_idx_root(root, folder="FashionMNIST", n_train=12, n_test=5):
    raw = root / folder / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    _write_idx(raw / IDX_NAMES[0], rng.integers(0, 256, (n_train, 28, 28)))
    _write_idx(raw / IDX_NAMES[1], np.arange(n_train) % 10)
    _write_idx(raw / IDX_NAMES[2], rng.integers(0, 256, (n_test, 28, 28)))
    _write_idx(raw / IDX_NAMES[3], np.arange(n_test) % 10)
    return raw


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fashion_mnist", "FashionMNIST/raw/train-images-idx3-ubyte"),
        ("mnist", "MNIST/raw/train-images-idx3-ubyte"),
        ("cifar10", "cifar-10-batches-py/data_batch_1"),
        ("cifar100", "cifar-100-python/train"),
    ],
)
def test_data_missing_files_name_the_path_and_the_fix(tmp_path, name, expected):
    _one_line_error(
        lambda: load_dataset(name, root=tmp_path / "nowhere", cache_dir=tmp_path / "cache"),
        tmp_path / "nowhere" / expected,
        "download: true",
        "LB_DATA_ROOT",
    )


def test_data_mixed_idx_layout_is_reported(tmp_path):
    raw = _tiny_idx_root(tmp_path / "root")
    (raw / IDX_NAMES[0]).rename(raw / f"{IDX_NAMES[0]}.gz")  # one file only as .gz
    _one_line_error(
        lambda: load_dataset("fashion_mnist", root=tmp_path / "root", cache_dir=tmp_path / "c"),
        raw,
        "mixes decompressed and .gz files",
    )


def test_data_unknown_dataset_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown name 'svhn'"):
        load_dataset("svhn")


@needs_shared
@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_data_bad_gz_fails_its_md5(tmp_path, damage):
    raw = tmp_path / "root" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in IDX_NAMES:
        (raw / f"{name}.gz").symlink_to(SHARED / "MNIST" / "raw" / f"{name}.gz")
    bad = raw / "train-labels-idx1-ubyte.gz"
    blob = bytearray(bad.read_bytes())
    bad.unlink()
    if damage == "truncate":
        blob = blob[: len(blob) // 2]
    else:
        blob[len(blob) // 2] ^= 0xFF
    bad.write_bytes(bytes(blob))
    _one_line_error(
        lambda: load_dataset("mnist", root=tmp_path / "root", cache_dir=tmp_path / "cache"),
        bad,
        "md5",
        "d53e105ee54ea40749a09fcbcd1e9432",
        "download: true",
    )
    assert not (tmp_path / "cache" / "tensors").exists()  # nothing half-written


def test_data_decompressed_idx_in_root_and_truncation(tmp_path):
    raw = _tiny_idx_root(tmp_path / "root")
    cache = tmp_path / "cache"
    data = load_dataset("fashion_mnist", root=tmp_path / "root", cache_dir=cache)
    assert data.train_x.shape == (12, 1, 28, 28) and data.test_y.tolist() == [0, 1, 2, 3, 4]
    assert "found 12 train / 5 test images" in data.message

    victim = raw / "t10k-images-idx3-ubyte"
    victim.write_bytes(victim.read_bytes()[:-100])
    _one_line_error(
        lambda: load_dataset("fashion_mnist", root=tmp_path / "root", cache_dir=cache),
        victim,
        "truncated",
        "download: true",
    )
    victim.write_bytes(b"GARBAGE!" * 20)
    _one_line_error(
        lambda: load_dataset("fashion_mnist", root=tmp_path / "root", cache_dir=cache),
        victim,
        "not an IDX uint8 file",
    )


def test_data_label_out_of_range_is_reported(tmp_path):
    raw = _tiny_idx_root(tmp_path / "root")
    _write_idx(raw / IDX_NAMES[1], np.full(12, 11))
    _one_line_error(
        lambda: load_dataset("fashion_mnist", root=tmp_path / "root", cache_dir=tmp_path / "c"),
        "train labels outside 0..9",
    )
    _write_idx(raw / IDX_NAMES[1], np.zeros(11))
    _one_line_error(
        lambda: load_dataset("fashion_mnist", root=tmp_path / "root", cache_dir=tmp_path / "c"),
        "12 train images but 11 labels",
    )


def test_data_damaged_tensor_cache_is_rebuilt(tmp_path):
    _tiny_idx_root(tmp_path / "root")
    cache = tmp_path / "cache"
    first = load_dataset("fashion_mnist", root=tmp_path / "root", cache_dir=cache)
    (pt,) = (cache / "tensors").glob("fashion_mnist-*.pt")
    pt.write_bytes(pt.read_bytes()[:50])
    again = load_dataset("fashion_mnist", root=tmp_path / "root", cache_dir=cache)
    assert "from cache" not in again.message and torch.equal(again.train_x, first.train_x)
    assert torch.equal(torch.load(pt, weights_only=True)["train_x"], first.train_x)
    third = load_dataset("fashion_mnist", root=tmp_path / "root", cache_dir=cache)
    assert "from cache" in third.message


@needs_shared
def test_data_damaged_decompressed_cache_file_is_extracted_again(tmp_path):
    cache = tmp_path / "cache"
    first = load_dataset("mnist", root=SHARED, cache_dir=cache)
    victim = cache / "torchvision" / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
    victim.write_bytes(victim.read_bytes()[:1000])
    shutil.rmtree(cache / "tensors")
    again = load_dataset("mnist", root=SHARED, cache_dir=cache)
    assert victim.stat().st_size == 8 + 10000
    assert torch.equal(again.test_y, first.test_y)


@needs_shared
def test_data_cifar10_truncated_and_corrupt_batches(tmp_path):
    folder = tmp_path / "root" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for name in ("data_batch_1", "test_batch", "batches.meta"):
        shutil.copy(SHARED / "cifar-10-batches-py" / name, folder / name)

    def load():
        return load_dataset("cifar10", root=tmp_path / "root", cache_dir=tmp_path / "cache")

    batch = folder / "data_batch_1"
    good = batch.read_bytes()
    batch.write_bytes(good[: len(good) // 3])
    _one_line_error(load, batch, "truncated or corrupt", "download: true")
    batch.write_bytes(good)
    test = folder / "test_batch"
    test.write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    _one_line_error(load, test, "truncated or corrupt")
    test.unlink()
    _one_line_error(load, test, "missing", "download: true")
    shutil.copy(SHARED / "cifar-10-batches-py" / "test_batch", test)
    (folder / "batches.meta").unlink()
    _one_line_error(load, folder / "batches.meta", "missing")


def test_data_failed_download_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(MNIST, "mirrors", ["http://127.0.0.1:9/"])
    _one_line_error(
        lambda: load_dataset("mnist", root=tmp_path, download=True, cache_dir=tmp_path / "c"),
        "download into",
        tmp_path / "MNIST" / "raw",
        "failed",
    )
    monkeypatch.setattr(CIFAR10, "url", "http://127.0.0.1:9/cifar-10-python.tar.gz")
    _one_line_error(
        lambda: load_dataset("cifar10", root=tmp_path, download=True, cache_dir=tmp_path / "c"),
        "download into",
        "failed",
    )


def test_data_root_and_cache_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv("LB_DATA_ROOT", raising=False)
    monkeypatch.delenv("LB_CACHE_DIR", raising=False)
    assert resolve_data_root() == Path("data")
    assert resolve_cache_dir() == Path.home() / ".cache" / "lb"
    monkeypatch.setenv("LB_DATA_ROOT", str(tmp_path / "env"))
    monkeypatch.setenv("LB_CACHE_DIR", str(tmp_path / "envcache"))
    assert resolve_data_root() == tmp_path / "env"
    assert resolve_cache_dir() == tmp_path / "envcache"
    assert resolve_data_root(tmp_path / "explicit") == tmp_path / "explicit"
    assert resolve_cache_dir(tmp_path / "c") == tmp_path / "c"
    # the environment variable is what load_dataset uses when no root is given
    _tiny_idx_root(tmp_path / "env")
    assert load_dataset("fashion_mnist").num_train == 12
    assert list((tmp_path / "envcache" / "tensors").glob("fashion_mnist-*.pt"))
