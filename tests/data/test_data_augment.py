"""Batch crop + flip: seeded, shape-preserving, equal to a per-image torchvision reference."""

import torch
import torchvision.transforms.functional as TF

from lb.data import random_crop_flip


def _batch(n=16, c=3, size=32, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, 256, (n, c, size, size), generator=g, dtype=torch.uint8)


def test_data_augment_seeded_and_shape_preserving():
    x = _batch()
    a = random_crop_flip(x, torch.Generator().manual_seed(1))
    b = random_crop_flip(x, torch.Generator().manual_seed(1))
    c = random_crop_flip(x, torch.Generator().manual_seed(2))
    assert a.shape == x.shape and a.dtype == x.dtype == torch.uint8
    assert torch.equal(a, b)
    assert not torch.equal(a, c)
    xf = x.float()
    assert torch.equal(random_crop_flip(xf, torch.Generator().manual_seed(1)), a.float())


def test_data_augment_matches_torchvision_crop_and_flip_per_image():
    """Replay the documented draws (rows, cols, flips) and crop each image with torchvision."""
    x = _batch(n=24, c=3, size=32, seed=4)
    out = random_crop_flip(x, torch.Generator().manual_seed(7), padding=4)
    g = torch.Generator().manual_seed(7)
    dy = torch.randint(0, 9, (24,), generator=g)
    dx = torch.randint(0, 9, (24,), generator=g)
    flip = torch.randint(0, 2, (24,), generator=g).bool()
    for i in range(24):
        padded = TF.pad(x[i], [4, 4, 4, 4], fill=0)
        expected = TF.crop(padded, int(dy[i]), int(dx[i]), 32, 32)
        if flip[i]:
            expected = TF.hflip(expected)
        assert torch.equal(out[i], expected), i


def test_data_augment_offsets_and_flips_cover_the_range():
    """One-pixel images of value 1 show where the crop window was; all 9×9 offsets occur."""
    n = 4000
    x = torch.zeros(n, 1, 9, 9, dtype=torch.uint8)
    x[:, :, 4, 4] = 1  # centre pixel
    x[:, :, 4, 0] = 2  # left edge marks a flip
    out = random_crop_flip(x, torch.Generator().manual_seed(0), padding=4)
    pos = out.reshape(n, -1).eq(1).float().argmax(1)
    rows, cols = pos // 9, pos % 9
    assert set(rows.tolist()) == set(range(9)) and set(cols.tolist()) == set(range(9))
    assert out.reshape(n, -1).eq(1).sum(1).eq(1).all()  # centre never cropped away
    # a flip puts the edge mark 4 px right of the centre instead of 4 px left
    # (the mark is inside the window exactly when the window's left offset is <= 4)
    present = out.reshape(n, -1).eq(2).any(1)
    edge = out.reshape(n, -1).eq(2).float().argmax(1) % 9
    shift = (edge - cols)[present]
    assert present.float().mean().item() > 0.4 and (shift.abs() == 4).all()
    assert 0.45 < (shift == 4).float().mean().item() < 0.55


def test_data_augment_grey_images():
    x = _batch(n=5, c=1, size=28)
    out = random_crop_flip(x, torch.Generator().manual_seed(0))
    assert out.shape == (5, 1, 28, 28)
