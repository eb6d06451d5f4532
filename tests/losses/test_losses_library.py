"""Contrastive, triplet and N-pair (Table 1) reproduce pytorch-metric-learning, and the defaults
documented in lb/losses/library.py are what the library computes (float64 loop references)."""

import math

import numpy as np
import pytest
import torch
from pytorch_metric_learning import losses as pml_losses
from pytorch_metric_learning import reducers as pml_reducers

from lb.losses import ContrastiveLoss, NPairLoss, TripletLoss


def batch(seed, n=24, d=8, k=5):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, k, (n,), generator=g)
    x = torch.randn(k, d, generator=g, dtype=torch.float64)[y] + torch.randn(
        n, d, generator=g, dtype=torch.float64
    )
    return x, y


def normalised_rows(x):
    x = x.numpy()
    return [row / math.sqrt(float(np.sum(row**2))) for row in x]


def euclid(a, b):
    return math.sqrt(float(np.sum((a - b) ** 2)))


def mean_of_positive(values):
    kept = [v for v in values if v > 0]
    return sum(kept) / len(kept) if kept else 0.0


def ref_contrastive(x, y, pos_margin=0.0, neg_margin=1.0):
    e, y = normalised_rows(x), y.tolist()
    pos, neg = [], []
    for i in range(len(y)):
        for j in range(len(y)):
            if i == j:
                continue
            d = euclid(e[i], e[j])
            if y[i] == y[j]:
                pos.append(max(d - pos_margin, 0.0))
            else:
                neg.append(max(neg_margin - d, 0.0))
    return mean_of_positive(pos) + mean_of_positive(neg)


def ref_triplet(x, y, margin=0.05):
    e, y = normalised_rows(x), y.tolist()
    losses = []
    for a in range(len(y)):
        for p in range(len(y)):
            if p == a or y[p] != y[a]:
                continue
            for n in range(len(y)):
                if y[n] != y[a]:
                    losses.append(max(euclid(e[a], e[p]) - euclid(e[a], e[n]) + margin, 0.0))
    return mean_of_positive(losses)


def ref_npair(x, y):
    e, y = normalised_rows(x), y.tolist()
    pairs = []
    for label in sorted(set(y)):
        idx = [i for i in range(len(y)) if y[i] == label]
        if len(idx) >= 2:
            pairs.append((idx[0], idx[1]))
    if not pairs:
        return 0.0
    total = 0.0
    for i, (a, _) in enumerate(pairs):
        sims = [float(np.dot(e[a], e[p])) for _, p in pairs]
        total += -sims[i] + math.log(sum(math.exp(s) for s in sims))
    return total / len(pairs)


CASES = [(seed, n, k) for seed, n, k in [(0, 24, 5), (1, 16, 2), (2, 30, 12), (3, 10, 10)]]


@pytest.mark.parametrize("seed, n, k", CASES)
def test_library_losses_match_loop_references(seed, n, k):
    x, y = batch(seed, n=n, k=k)
    assert ContrastiveLoss()(x, y).item() == pytest.approx(ref_contrastive(x, y), abs=1e-12)
    assert TripletLoss()(x, y).item() == pytest.approx(ref_triplet(x, y), abs=1e-12)
    assert NPairLoss()(x, y).item() == pytest.approx(ref_npair(x, y), abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_wrappers_reproduce_pytorch_metric_learning_with_table1_settings(seed):
    x, y = batch(seed, n=32, d=16, k=6)
    x32 = x.float()
    pairs = [
        (ContrastiveLoss(), pml_losses.ContrastiveLoss(pos_margin=0.0, neg_margin=1.0)),
        (TripletLoss(), pml_losses.TripletMarginLoss(margin=0.05, triplets_per_anchor="all")),
        (NPairLoss(), pml_losses.NPairsLoss(reducer=pml_reducers.MeanReducer())),
    ]
    for ours, theirs in pairs:
        za, zb = x32.clone().requires_grad_(), x32.clone().requires_grad_()
        va, vb = ours(za, y), theirs(zb, y)
        assert va.item() == vb.item()
        va.backward()
        vb.backward()
        assert torch.equal(za.grad, zb.grad)


def test_settings_are_passed_through():
    x, y = batch(5)
    assert ContrastiveLoss(0.1, 0.7)(x, y).item() == pytest.approx(
        ref_contrastive(x, y, pos_margin=0.1, neg_margin=0.7), abs=1e-12
    )
    assert TripletLoss(margin=0.3)(x, y).item() == pytest.approx(
        ref_triplet(x, y, margin=0.3), abs=1e-12
    )


def test_set_epoch_is_a_no_op():
    x, y = batch(6)
    for loss in (ContrastiveLoss(), TripletLoss(), NPairLoss()):
        before = loss(x, y).item()
        loss.set_epoch(17, 20)
        assert loss(x, y).item() == before
