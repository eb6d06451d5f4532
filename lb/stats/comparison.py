"""One difference, tested: the test's name, n, the difference, its 95 % confidence interval,
the two-sided p-value and the smallest difference this test could have detected (:mod:`power`).

Every number comes from scipy.stats:

- :func:`compare_seeds`: our runs. The paper keeps seed s fixed across methods, so runs pair by
  seed: ``ttest_rel`` when both sides have exactly the same seeds (≥ 2), Welch's ``ttest_ind``
  (``equal_var=False``) otherwise (≥ 2 seeds on each side); the interval is the result's
  ``confidence_interval(0.95)``.
- :func:`compare_summaries`: the paper's numbers, given only as mean ± std over n runs:
  ``ttest_ind_from_stats`` (Welch). scipy gives that result no interval, so it is
  Δ ± t_{0.975, df}·SE with Welch's SE = √(s₁²/n₁ + s₂²/n₂) and Welch–Satterthwaite df, the
  interval Welch's ``ttest_ind`` itself reports.
- :func:`compare_to_value`: several seeds against a fixed threshold, ``ttest_1samp``.
- :func:`compare_proportion`: a count out of n test images against a proportion, the exact
  ``binomtest`` with its Clopper–Pearson interval (``proportion_ci(method="exact")``).

No interval (``reason`` says why) with one seed, a published value without a spread, or no
variation at all between seeds; the verdict is then "inconclusive".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

from lb.stats.power import binomial_detectable, t_detectable

CONFIDENCE = 0.95

PAIRED, WELCH, WELCH_SUMMARIES = "paired t", "Welch t", "Welch t (summaries)"
NO_TEST = "no test"
ONE_SAMPLE, BINOMIAL = "one-sample t", "exact binomial"


@dataclass(frozen=True)
class Comparison:
    """``delta`` = left − right (or value − reference); interval and p-value two-sided."""

    test: str
    n: str  # "3" (pairs, seeds or images), "3 vs 2" (two independent groups)
    delta: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    detectable: float | None = None  # smallest |Δ| detectable at 80 % power
    reason: str = ""  # why there is no interval

    @property
    def has_interval(self) -> bool:
        return is_finite(self.ci_low) and is_finite(self.ci_high)


def is_finite(x) -> bool:
    """True for a real, finite number; False for None, NaN, ±inf and anything not a number."""
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _clean(values: Mapping) -> dict:
    return {int(k): float(v) for k, v in values.items() if is_finite(v)}


def compare_seeds(left: Mapping[int, float], right: Mapping[int, float]) -> Comparison:
    """left − right over seeds (seed -> value): paired t when the seeds match, else Welch."""
    left, right = _clean(left), _clean(right)
    if not left or not right:
        raise ValueError("compare_seeds: each side needs at least one value")
    if set(left) == set(right):
        seeds = sorted(left)
        a = np.array([left[s] for s in seeds])
        b = np.array([right[s] for s in seeds])
        n, delta = len(seeds), float(np.mean(a - b))
        if n < 2:
            return Comparison(PAIRED, "1", delta, reason="one seed: no interval")
        diffs = a - b
        if np.all(diffs == diffs[0]):
            return Comparison(PAIRED, str(n), delta, reason="no variation between seeds: "
                              "every seed has the same difference")  # fmt: skip
        res = stats.ttest_rel(a, b)
        ci = res.confidence_interval(CONFIDENCE)
        se = float(np.std(diffs, ddof=1) / math.sqrt(n))
        return Comparison(PAIRED, str(n), delta, float(ci.low), float(ci.high),
                          float(res.pvalue), t_detectable(se, n - 1))  # fmt: skip
    a, b = np.array(list(left.values())), np.array(list(right.values()))
    n_text = f"{len(a)} vs {len(b)}"
    delta = float(a.mean() - b.mean())
    if min(len(a), len(b)) < 2:
        return Comparison(WELCH, n_text, delta, reason="one seed on a side: no interval")
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    if va + vb == 0:
        return Comparison(WELCH, n_text, delta, reason="no variation between seeds")
    res = stats.ttest_ind(a, b, equal_var=False)
    ci = res.confidence_interval(CONFIDENCE)
    return Comparison(WELCH, n_text, delta, float(ci.low), float(ci.high), float(res.pvalue),
                      t_detectable(math.sqrt(va + vb), float(res.df)))  # fmt: skip


def welch_df(v1: float, n1: int, v2: float, n2: int) -> float:
    """Welch–Satterthwaite degrees of freedom from the squared standard errors v = s²/n."""
    return (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))


def compare_summaries(
    mean1: float, std1: float | None, n1: int, mean2: float, std2: float | None, n2: int
) -> Comparison:
    """Welch's t-test of mean1 − mean2 from published mean ± std (sample std) over n runs."""
    n_text = f"{int(n1)} vs {int(n2)}"
    delta = float(mean1) - float(mean2)
    if not (is_finite(std1) and is_finite(std2)) or min(n1, n2) < 2:
        return Comparison(NO_TEST, n_text, delta,
                          reason="no spread given (one value per method): no interval")  # fmt: skip
    v1, v2 = float(std1) ** 2 / n1, float(std2) ** 2 / n2
    if v1 + v2 == 0:
        return Comparison(WELCH_SUMMARIES, n_text, delta, reason="both standard deviations are 0")
    res = stats.ttest_ind_from_stats(mean1, std1, n1, mean2, std2, n2, equal_var=False)
    se, df = math.sqrt(v1 + v2), welch_df(v1, n1, v2, n2)
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, df)) * se
    return Comparison(WELCH_SUMMARIES, n_text, delta, delta - half, delta + half,
                      float(res.pvalue), t_detectable(se, df))  # fmt: skip


def compare_to_value(values: Iterable[float], value: float) -> Comparison:
    """mean(values) − value with a one-sample t-test over the values (seeds)."""
    v = np.array([float(x) for x in values if is_finite(x)])
    if len(v) == 0:
        raise ValueError("compare_to_value: no values")
    delta = float(v.mean() - value)
    if len(v) < 2:
        return Comparison(ONE_SAMPLE, "1", delta, reason="one seed: no interval")
    if np.all(v == v[0]):
        return Comparison(ONE_SAMPLE, str(len(v)), delta, reason="no variation between seeds")
    res = stats.ttest_1samp(v, value)
    ci = res.confidence_interval(CONFIDENCE)
    se = float(v.std(ddof=1) / math.sqrt(len(v)))
    low, high = float(ci.low) - value, float(ci.high) - value
    return Comparison(ONE_SAMPLE, str(len(v)), delta, low, high, float(res.pvalue),
                      t_detectable(se, len(v) - 1))  # fmt: skip


def compare_proportion(k: int, n: int, p0: float) -> Comparison:
    """k/n − p0 with the exact binomial test and its Clopper–Pearson interval (shifted by p0)."""
    k, n = int(k), int(n)
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"compare_proportion: need 0 <= k <= n and n > 0, got k={k}, n={n}")
    res = stats.binomtest(k, n, p0)
    ci = res.proportion_ci(CONFIDENCE, method="exact")
    return Comparison(BINOMIAL, str(n), k / n - p0, float(ci.low) - p0, float(ci.high) - p0,
                      float(res.pvalue), binomial_detectable(n, p0))  # fmt: skip
