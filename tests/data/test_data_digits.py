"""The embedded digits dataset: fixed stratified 75/25 split, uint8 0-255, no network."""

import numpy as np
import torch
from sklearn.datasets import load_digits

from lb.data import DATASETS, get_spec, load_dataset


def test_data_digits_fixed_stratified_split():
    torch.manual_seed(123)  # the split does not depend on any run seed
    a = load_dataset("digits")
    torch.manual_seed(456)
    b = load_dataset("digits")
    assert torch.equal(a.test_x, b.test_x) and torch.equal(a.train_y, b.train_y)
    assert a.train_x.shape == (1348, 1, 8, 8) and a.test_x.shape == (449, 1, 8, 8)
    assert a.train_x.dtype == torch.uint8 and a.train_y.dtype == torch.int64
    totals = np.bincount(load_digits().target)
    test_counts = torch.bincount(a.test_y, minlength=10).numpy()
    assert np.all(np.abs(test_counts - 0.25 * totals) < 1)
    assert np.array_equal(test_counts + torch.bincount(a.train_y, minlength=10).numpy(), totals)


def test_data_digits_pixels_are_scaled_sklearn_values():
    data = load_dataset("digits")
    bunch = load_digits()
    scaled = np.rint(bunch.images * 255 / 16).astype(np.uint8)
    # every loaded image is one of sklearn's, with its label
    lookup = {img.tobytes(): int(t) for img, t in zip(scaled, bunch.target, strict=True)}
    for x, y in zip(data.test_x[:50], data.test_y[:50], strict=True):
        assert lookup[x[0].numpy().tobytes()] == int(y)
    assert int(data.train_x.max()) == 255 and int(data.train_x.min()) == 0


def test_data_specs_are_consistent():
    assert set(DATASETS) == {"digits", "mnist", "fashion_mnist", "cifar10", "cifar100"}
    for name, spec in DATASETS.items():
        assert spec.name == name and get_spec(name) is spec
        assert len(spec.mean) == len(spec.std) == spec.channels
        assert len(spec.class_names) == len(set(spec.class_names)) == spec.num_classes
    assert DATASETS["cifar100"].class_names[:3] == ("apple", "aquarium_fish", "baby")
    assert (DATASETS["cifar10"].channels, DATASETS["cifar10"].image_size) == (3, 32)
