"""The smallest difference a test could have detected: 80 % power at a two-sided α = 0.05.

For the t-tests this is the δ at which the noncentral t distribution with the test's degrees of
freedom and noncentrality δ/SE puts 80 % of its mass beyond the critical values ±t_{0.975, df}
(``scipy.stats.nct``; δ solved with ``scipy.optimize.brentq``). SE is the observed standard error
of the difference (standard deviation of the paired differences / √n, or Welch's
√(s₁²/n₁ + s₂²/n₂)), so the answer is "what this n with this spread could resolve", not a
prediction. For the binomial test it is the normal approximation
(z_{0.975} + z_{0.8})·√(p₀(1 − p₀)/n).
"""

from __future__ import annotations

import math

from scipy import optimize, stats

ALPHA = 0.05
POWER = 0.80


def t_power(delta: float, se: float, df: float, alpha: float = ALPHA) -> float:
    """Power of the two-sided t-test against a true difference ``delta``."""
    crit = stats.t.ppf(1 - alpha / 2, df)
    nc = delta / se
    # the far tail (against the sign of delta) is negligible and scipy returns NaN for it at
    # extreme noncentralities: count it as 0 there
    far = float(stats.nct.cdf(-crit, df, nc))
    return float(stats.nct.sf(crit, df, nc)) + (far if math.isfinite(far) else 0.0)


def t_detectable(se: float, df: float, power: float = POWER, alpha: float = ALPHA) -> float | None:
    """Smallest |δ| the two-sided t-test detects with ``power``; None when SE is 0 or not finite."""
    if not (se > 0 and math.isfinite(se) and df > 0):
        return None
    high = se
    while t_power(high, se, df, alpha) < power:
        high *= 2
    return float(optimize.brentq(lambda d: t_power(d, se, df, alpha) - power, 0.0, high))


def binomial_detectable(n: int, p0: float, power: float = POWER, alpha: float = ALPHA) -> float:
    """Smallest |p − p₀| the two-sided binomial test detects with ``power`` (normal approx.)."""
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return float(z * math.sqrt(p0 * (1 - p0) / n))
