"""Triplet sampling (lb.tvae.triplets): positive = same class, other image; negative = other."""

import pytest
import torch

from lb.tvae.triplets import TripletSampler


def test_positive_same_class_other_image_negative_other_class():
    labels = torch.tensor([0, 1, 2, 0, 1, 2, 2, 0, 1, 1, 0, 2, 2])
    sampler = TripletSampler(labels)
    g = torch.Generator().manual_seed(0)
    for _ in range(50):
        anchors = torch.randperm(len(labels), generator=g)
        pos, neg = sampler.sample(anchors, g)
        assert torch.equal(labels[pos], labels[anchors])
        assert torch.all(pos != anchors)
        assert torch.all(labels[neg] != labels[anchors])


def test_every_candidate_is_drawn():
    labels = torch.tensor([0, 0, 0, 1, 1, 2, 2])
    sampler = TripletSampler(labels)
    g = torch.Generator().manual_seed(1)
    anchors = torch.zeros(2000, dtype=torch.int64)  # image 0, class 0
    pos, neg = sampler.sample(anchors, g)
    assert set(pos.tolist()) == {1, 2}
    assert set(neg.tolist()) == {3, 4, 5, 6}


def test_same_generator_state_same_triplets():
    labels = torch.randint(0, 10, (500,), generator=torch.Generator().manual_seed(2))
    sampler = TripletSampler(labels)
    a = torch.arange(500)
    p1, n1 = sampler.sample(a, torch.Generator().manual_seed(7))
    p2, n2 = sampler.sample(a, torch.Generator().manual_seed(7))
    assert torch.equal(p1, p2) and torch.equal(n1, n2)


def test_class_with_one_image_has_no_positive():
    with pytest.raises(ValueError, match="class 2 has a single training image"):
        TripletSampler(torch.tensor([0, 0, 1, 1, 2]))


def test_one_class_has_no_negative():
    with pytest.raises(ValueError, match="two classes"):
        TripletSampler(torch.tensor([3, 3, 3]))
