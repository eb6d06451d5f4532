"""Real data in ../shared/data: Fashion-MNIST, MNIST (.gz only, read-only), the CIFAR-10 subset."""

import gzip
import os
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

from lb.data import DATASETS, load_dataset

SHARED = Path(
    os.environ.get("LB_TEST_DATA_ROOT", Path(__file__).resolve().parents[3] / "shared/data")
)
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no offline data at {SHARED}")


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("lb-cache")


def _idx_images(path, count):
    with gzip.open(path, "rb") as handle:
        data = handle.read(16 + count * 784)
    return torch.from_numpy(
        np.frombuffer(data, np.uint8, offset=16).reshape(count, 1, 28, 28).copy()
    )


@pytest.mark.parametrize(
    ("name", "folder", "train_counts", "test_counts"),
    [
        ("fashion_mnist", "FashionMNIST", [6000] * 10, [1000] * 10),
        (
            "mnist",
            "MNIST",
            [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
            [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
        ),
    ],
)
def test_data_real_idx_datasets(cache, name, folder, train_counts, test_counts):
    data = load_dataset(name, root=SHARED, cache_dir=cache)
    assert data.train_x.shape == (60000, 1, 28, 28) and data.test_x.shape == (10000, 1, 28, 28)
    assert data.train_x.dtype == torch.uint8 and data.train_y.dtype == torch.int64
    assert torch.bincount(data.train_y).tolist() == train_counts
    assert torch.bincount(data.test_y).tolist() == test_counts
    assert "found 60000 train / 10000 test images" in data.message
    assert data.spec is DATASETS[name]
    # decompressed into the cache (the shared root is read-only), checked against the .gz itself
    raw = cache / "torchvision" / folder / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted(
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
         "t10k-labels-idx1-ubyte"]
    )  # fmt: skip
    assert (raw / "train-images-idx3-ubyte").stat().st_size == 16 + 60000 * 784
    reference = _idx_images(SHARED / folder / "raw" / "t10k-images-idx3-ubyte.gz", 50)
    assert torch.equal(data.test_x[:50], reference)
    # the decoded tensors are cached: the second load reads the .pt file (weights_only)
    again = load_dataset(name, root=SHARED, cache_dir=cache, download=True)
    assert "from cache" in again.message and "from cache" not in data.message
    assert torch.equal(again.train_x, data.train_x) and torch.equal(again.test_y, data.test_y)
    (pt,) = (cache / "tensors").glob(f"{name}-*.pt")
    assert set(torch.load(pt, weights_only=True)) == {"train_x", "train_y", "test_x", "test_y"}


def test_data_real_cifar10_subset(cache):
    data = load_dataset("cifar10", root=SHARED, cache_dir=cache)
    assert data.train_x.shape == (5000, 3, 32, 32) and data.test_x.shape == (1000, 3, 32, 32)
    assert torch.bincount(data.train_y).tolist() == [
        505,
        460,
        519,
        486,
        519,
        488,
        519,
        486,
        520,
        498,
    ]
    assert torch.bincount(data.test_y).tolist() == [103, 89, 100, 103, 90, 86, 112, 102, 106, 109]
    assert data.train_y[:10].tolist() == [6, 9, 9, 4, 1, 1, 2, 7, 8, 3]
    assert "found 5000 train / 1000 test images" in data.message
    assert "subset" in data.message and "md5 differs" in data.message
    # channel-planar rows (R 1024, G 1024, B 1024) become C×H×W
    with open(SHARED / "cifar-10-batches-py" / "test_batch", "rb") as handle:
        entry = pickle.load(handle, encoding="latin1")
    reference = torch.from_numpy(entry["data"][:20].reshape(20, 3, 32, 32).copy())
    assert torch.equal(data.test_x[:20], reference)


def test_data_real_normalisation_constants(cache):
    """The spec constants are the training-set statistics (subset: close to the full set's)."""
    for name, tol in (
        ("fashion_mnist", 6e-5),
        ("mnist", 6e-5),
        ("cifar10", 3e-3),
        ("digits", 6e-5),
    ):
        data = load_dataset(name, root=SHARED, cache_dir=cache)
        mean, std = [], []
        for c in range(data.spec.channels):  # exact statistics from the 256-bin histogram
            hist = torch.bincount(data.train_x[:, c].reshape(-1), minlength=256).double()
            values = torch.arange(256, dtype=torch.float64) / 255
            m = (hist * values).sum() / hist.sum()
            mean.append(m)
            std.append(((hist * (values - m) ** 2).sum() / hist.sum()).sqrt())
        mean, std = torch.stack(mean), torch.stack(std)
        assert torch.allclose(mean, torch.tensor(data.spec.mean, dtype=torch.float64), atol=tol)
        assert torch.allclose(std, torch.tensor(data.spec.std, dtype=torch.float64), atol=tol)
