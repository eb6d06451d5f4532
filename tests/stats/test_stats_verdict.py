"""The verdict rule on hand-made cases: interval above, below, across zero; one seed."""

import pytest

from lb.stats import HELD, INCONCLUSIVE, NOT_HELD, compare_seeds, verdict
from lb.stats.comparison import Comparison
from lb.stats.verdict import GREATER, LESS

ABOVE = compare_seeds({0: 91.0, 1: 91.6, 2: 90.9}, {0: 88.5, 1: 89.1, 2: 88.7})
BELOW = compare_seeds({0: 88.5, 1: 89.1, 2: 88.7}, {0: 91.0, 1: 91.6, 2: 90.9})
ACROSS = compare_seeds({0: 87.57, 1: 87.74, 2: 88.01}, {0: 88.79, 1: 88.08, 2: 89.07})


def test_interval_above_zero():
    assert ABOVE.ci_low > 0
    assert verdict(ABOVE, GREATER) == HELD
    assert verdict(ABOVE, LESS) == NOT_HELD


def test_interval_below_zero():
    assert BELOW.ci_high < 0
    assert verdict(BELOW, GREATER) == NOT_HELD
    assert verdict(BELOW, LESS) == HELD


def test_interval_across_zero_is_inconclusive_even_with_a_mean_difference():
    # the committed Fashion-MNIST runs: LB − baseline = −0.87 points, interval across zero
    assert ACROSS.delta < 0 < ACROSS.ci_high and ACROSS.ci_low < 0
    assert verdict(ACROSS, GREATER) == INCONCLUSIVE
    assert verdict(ACROSS, LESS) == INCONCLUSIVE
    assert ACROSS.detectable > abs(ACROSS.delta)


def test_one_seed_and_unpaired_one_seed_are_inconclusive():
    assert verdict(compare_seeds({0: 99.0}, {0: 1.0}), GREATER) == INCONCLUSIVE
    assert verdict(compare_seeds({0: 99.0, 1: 98.0}, {3: 1.0}), GREATER) == INCONCLUSIVE


def test_unpaired_seeds_decide_through_welch():
    c = compare_seeds({0: 91.0, 1: 91.6, 2: 90.9}, {3: 88.5, 4: 89.1, 5: 88.7})
    assert c.test == "Welch t" and verdict(c, GREATER) == HELD


def test_bad_side_is_an_error():
    with pytest.raises(ValueError, match="claimed"):
        verdict(Comparison("t", "2"), ">=")
