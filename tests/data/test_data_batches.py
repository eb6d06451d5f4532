"""BatchLoader: every index once per epoch, seeded order, torchvision-equal normalisation."""

import dataclasses

import numpy as np
import pytest
import torch
import torchvision.transforms as T
from PIL import Image

from lb.data import DATASETS, BatchLoader, load_dataset


def _data(n=103, spec_name="cifar10", seed=0):
    spec = DATASETS[spec_name]
    g = torch.Generator().manual_seed(seed)
    shape = (n, spec.channels, spec.image_size, spec.image_size)
    return torch.randint(0, 256, shape, generator=g, dtype=torch.uint8), spec


@pytest.mark.parametrize("augment", [False, True])
def test_data_batches_cover_every_index_once_per_epoch(augment):
    x, spec = _data()
    ids = torch.arange(len(x))  # labels = indices, to see which samples came out
    loader = BatchLoader(
        x, ids, spec, batch_size=10, shuffle=True, augment=augment,
        generator=torch.Generator().manual_seed(0),
    )  # fmt: skip
    assert len(loader) == 11
    orders = []
    for _ in range(3):
        batches = list(loader)
        assert len(batches) == 11 and [len(b[1]) for b in batches] == [10] * 10 + [3]
        seen = torch.cat([yb for _, yb in batches])
        assert torch.equal(torch.sort(seen).values, ids)
        orders.append(seen)
        xb, yb = batches[0]
        assert xb.dtype == torch.float32 and yb.dtype == torch.int64
        assert xb.shape == (10, 3, 32, 32)
    assert not torch.equal(orders[0], orders[1])  # a new permutation every epoch


def test_data_batches_same_seed_same_batches():
    x, spec = _data()
    y = torch.arange(len(x)) % 10

    def run(seed):
        g = torch.Generator().manual_seed(seed)
        loader = BatchLoader(x, y, spec, 16, shuffle=True, augment=True, generator=g)
        return [b for _ in range(2) for b in loader]

    a, b, c = run(5), run(5), run(6)
    assert all(
        torch.equal(p[0], q[0]) and torch.equal(p[1], q[1]) for p, q in zip(a, b, strict=True)
    )
    assert not torch.equal(a[0][0], c[0][0])


def test_data_batches_resume_from_generator_state():
    x, spec = _data()
    y = torch.arange(len(x)) % 10
    g = torch.Generator().manual_seed(3)
    loader = BatchLoader(x, y, spec, 32, shuffle=True, augment=True, generator=g)
    list(loader)  # epoch 1
    state = g.get_state()
    epoch2 = list(loader)
    g2 = torch.Generator()
    g2.set_state(state)
    again = list(BatchLoader(x, y, spec, 32, shuffle=True, augment=True, generator=g2))
    assert all(torch.equal(p[0], q[0]) for p, q in zip(epoch2, again, strict=True))


def test_data_batches_without_shuffle_keep_order_and_match_torchvision_normalise():
    x, spec = _data(n=7)
    loader = BatchLoader(x, torch.zeros(7, dtype=torch.int64), spec, 4, shuffle=False)
    xb = torch.cat([b[0] for b in loader])
    to_tensor = T.Compose([T.ToTensor(), T.Normalize(spec.mean, spec.std)])
    for i in range(7):
        pil = Image.fromarray(x[i].permute(1, 2, 0).numpy())
        assert torch.allclose(xb[i], to_tensor(pil), atol=1e-6), i


def test_data_batches_real_digits_normalised_statistics():
    data = load_dataset("digits")
    loader = BatchLoader(data.train_x, data.train_y, data.spec, 2000, shuffle=False)
    (xb, yb), = list(loader)  # fmt: skip
    assert torch.equal(yb, data.train_y)
    # the spec's constants are the training split's statistics: normalised mean 0, std 1
    assert abs(xb.mean().item()) < 1e-3 and abs(xb.std(unbiased=False).item() - 1) < 1e-3


def test_data_batches_reject_bad_input():
    x, spec = _data(n=8)
    y = torch.zeros(8, dtype=torch.int64)
    with pytest.raises(ValueError, match="torch.Generator"):
        BatchLoader(x, y, spec, 4, shuffle=True)
    with pytest.raises(ValueError, match="uint8"):
        BatchLoader(x.float(), y, spec, 4)
    with pytest.raises(ValueError, match="uint8"):
        BatchLoader(x, y, dataclasses.replace(spec, channels=1), 4)
    with pytest.raises(ValueError, match="images but y"):
        BatchLoader(x, y[:5], spec, 4)
    with pytest.raises(ValueError, match="batch_size"):
        BatchLoader(x, y, spec, 0)


def test_data_batches_accept_numpy_labels():
    x, spec = _data(n=6)
    loader = BatchLoader(x, np.arange(6) % 10, spec, 6)
    assert next(iter(loader))[1].dtype == torch.int64
