"""lb.stats.comparison against scipy.stats called directly, on hand-made seeds."""

import math

import numpy as np
import pytest
from scipy import stats

from lb.stats import (
    compare_proportion,
    compare_seeds,
    compare_summaries,
    compare_to_value,
    is_finite,
)
from lb.stats.comparison import BINOMIAL, PAIRED, WELCH, WELCH_SUMMARIES
from lb.stats.power import t_power


def test_paired_when_every_seed_is_on_both_sides():
    left = {0: 91.0, 1: 91.6, 2: 90.9}
    right = {2: 88.7, 0: 88.5, 1: 89.1}  # order does not matter: pairs by seed
    c = compare_seeds(left, right)
    ref = stats.ttest_rel([91.0, 91.6, 90.9], [88.5, 89.1, 88.7])
    ci = ref.confidence_interval(0.95)
    assert c.test == PAIRED and c.n == "3"
    assert c.delta == pytest.approx(np.mean([2.5, 2.5, 2.2]))
    assert (c.ci_low, c.ci_high, c.p_value) == pytest.approx((ci.low, ci.high, ref.pvalue))
    assert c.ci_low > 0


def test_welch_when_the_seeds_do_not_pair():
    left = {0: 1.0, 1: 2.0, 2: 3.5}
    right = {0: 0.5, 1: 1.0, 3: 2.0, 4: 4.0}
    c = compare_seeds(left, right)
    ref = stats.ttest_ind([1.0, 2.0, 3.5], [0.5, 1.0, 2.0, 4.0], equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert c.test == WELCH and c.n == "3 vs 4"
    assert (c.ci_low, c.ci_high, c.p_value) == pytest.approx((ci.low, ci.high, ref.pvalue))
    assert c.ci_low < 0 < c.ci_high


def test_one_seed_has_no_interval():
    c = compare_seeds({0: 90.0}, {0: 88.0})
    assert c.delta == 2.0 and not c.has_interval and c.p_value is None
    assert "one seed" in c.reason
    unpaired = compare_seeds({0: 90.0, 1: 91.0}, {2: 88.0})
    assert unpaired.test == WELCH and not unpaired.has_interval and "one seed" in unpaired.reason


def test_no_variation_between_seeds_has_no_interval():
    c = compare_seeds({0: 12, 1: 12, 2: 12}, {0: 12, 1: 12, 2: 12})
    assert c.delta == 0 and not c.has_interval and "no variation" in c.reason


def test_the_papers_summaries_through_ttest_ind_from_stats():
    # the Latent Boost paper, Table 4, Fashion-MNIST accuracy: LB 90.86 ± 0.21 vs baseline
    # 88.59 ± 0.15, five seeds each
    c = compare_summaries(90.86, 0.21, 5, 88.59, 0.15, 5)
    ref = stats.ttest_ind_from_stats(90.86, 0.21, 5, 88.59, 0.15, 5, equal_var=False)
    assert c.test == WELCH_SUMMARIES and c.n == "5 vs 5"
    assert c.p_value == pytest.approx(ref.pvalue)
    # the interval equals the one scipy's Welch ttest_ind gives on raw data with these
    # summaries: build two samples with exactly these means and sample stds
    z = np.array([-1.2, -0.4, 0.1, 0.5, 1.0])
    z = (z - z.mean()) / z.std(ddof=1)
    a, b = 90.86 + 0.21 * z, 88.59 + 0.15 * z[::-1]
    raw = stats.ttest_ind(a, b, equal_var=False)
    ci = raw.confidence_interval(0.95)
    assert (c.ci_low, c.ci_high) == pytest.approx((ci.low, ci.high))
    assert raw.pvalue == pytest.approx(ref.pvalue)
    # without a spread (Table 5's best trial) there is no interval
    assert not compare_summaries(0.395, None, 5, 0.347, None, 5).has_interval


def test_one_sample_and_binomial_against_scipy():
    c = compare_to_value([0.97, 0.975, 0.96], 0.95)
    ref = stats.ttest_1samp([0.97, 0.975, 0.96], 0.95)
    ci = ref.confidence_interval(0.95)
    assert (c.ci_low, c.ci_high, c.p_value) == pytest.approx(
        (ci.low - 0.95, ci.high - 0.95, ref.pvalue)
    )
    b = compare_proportion(9748, 10000, 0.95)
    ref = stats.binomtest(9748, 10000, 0.95)
    ci = ref.proportion_ci(0.95, method="exact")
    assert b.test == BINOMIAL and b.n == "10000"
    assert (b.ci_low, b.ci_high, b.p_value) == pytest.approx(
        (ci.low - 0.95, ci.high - 0.95, ref.pvalue)
    )


def test_the_detectable_difference_has_80_percent_power():
    c = compare_seeds({0: 1.0, 1: 2.0, 2: 3.5}, {0: 0.9, 1: 1.0, 2: 2.0})
    se = np.std([0.1, 1.0, 1.5], ddof=1) / math.sqrt(3)
    assert t_power(c.detectable, se, 2) == pytest.approx(0.8, abs=1e-6)
    # power at δ = 0 is α
    assert t_power(0.0, se, 2) == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, True), (-2.5, True), (np.float32(0.0), True), ("0.25", True), (None, False),
     (math.nan, False), (math.inf, False), (-math.inf, False), ("", False), ("n/a", False),
     ([1.0], False)],
)  # fmt: skip
def test_is_finite_is_true_for_real_finite_numbers_only(value, expected):
    assert is_finite(value) is expected


def test_non_finite_seed_values_are_left_out_before_the_test_is_chosen():
    paired = compare_seeds({0: 1.0, 1: math.nan, 2: 3.0, 3: 2.5}, {0: 0.5, 2: 2.0, 3: 2.0})
    assert (paired.n, paired.delta) == ("3", pytest.approx((0.5 + 1.0 + 0.5) / 3))
    welch = compare_seeds({0: 1.0, 1: 2.0, 2: 3.0}, {0: 0.5, 1: None, 2: 2.0})
    assert (welch.n, welch.delta) == ("3 vs 2", pytest.approx(2.0 - 1.25))
