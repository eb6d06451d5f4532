"""stratified_split: exact per-class proportions, disjoint cover, seeded."""

import numpy as np
import pytest
import torch

from lb.data import stratified_split


def _labels():
    rng = np.random.default_rng(0)
    counts = [500, 31, 7, 120, 1, 64]
    y = np.concatenate([np.full(c, k) for k, c in enumerate(counts)])
    return rng.permutation(y), counts


@pytest.mark.parametrize("fraction", [0.1, 0.2, 0.25, 0.5])
def test_data_split_proportions_and_cover(fraction):
    y, counts = _labels()
    train_idx, val_idx = stratified_split(y, fraction, seed=3)
    assert train_idx.dtype == val_idx.dtype == torch.int64
    both = torch.cat([train_idx, val_idx])
    assert torch.equal(torch.sort(both).values, torch.arange(len(y)))  # disjoint, complete
    assert torch.equal(train_idx, torch.sort(train_idx).values)
    assert len(val_idx) == int(np.floor(len(y) * fraction + 0.5))
    val_counts = np.bincount(y[val_idx.numpy()], minlength=len(counts))
    for c, (n_c, v_c) in enumerate(zip(counts, val_counts, strict=True)):
        assert abs(v_c - n_c * fraction) < 1.0, (c, n_c, v_c)
        assert v_c < n_c  # every class keeps a training sample (the 1-sample class too)


def test_data_split_is_seeded():
    y, _ = _labels()
    a = stratified_split(y, 0.2, seed=11)
    b = stratified_split(torch.as_tensor(y), 0.2, seed=11)
    c = stratified_split(y.tolist(), 0.2, seed=12)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[1], c[1])
    torch.manual_seed(999)  # the global RNG plays no part
    d = stratified_split(y, 0.2, seed=11)
    assert torch.equal(a[1], d[1])


def test_data_split_zero_fraction_and_bad_fraction():
    y, _ = _labels()
    train_idx, val_idx = stratified_split(y, 0.0, seed=0)
    assert len(val_idx) == 0 and len(train_idx) == len(y)
    for bad in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError, match="val_fraction"):
            stratified_split(y, bad, seed=0)


def test_data_stratified_subset_is_the_held_out_part_with_the_fixed_seed():
    from lb.data import SUBSET_SEED, stratified_subset

    y, counts = _labels()
    x = torch.arange(len(y)) * 10
    sub_x, sub_y = stratified_subset(x, torch.as_tensor(y), 100)
    _, keep = stratified_split(y, 100 / len(y), SUBSET_SEED)
    assert torch.equal(sub_x, x[keep]) and len(sub_y) == 100
    for limit in (None, len(y), len(y) + 5):
        same_x, _ = stratified_subset(x, torch.as_tensor(y), limit)
        assert same_x is x
