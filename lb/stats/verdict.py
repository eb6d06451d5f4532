"""The verdict on a claim from the 95 % confidence interval of its difference.

- **held**: the interval lies wholly on the side the claim states (above zero for "larger",
  below zero for "smaller");
- **did not hold**: it lies wholly on the other side;
- **inconclusive**: it covers zero, or there is no interval (one seed, no variation between
  seeds, a published value without a spread);
- **not run** / **missing**: no data: the config does not ask for the runs / it does but they
  have no result (decided by the caller, which knows the config).

A difference inside the noise is therefore never "held".
"""

from __future__ import annotations

from lb.stats.comparison import Comparison

HELD, NOT_HELD, INCONCLUSIVE = "held", "did not hold", "inconclusive"
NOT_RUN, MISSING = "not run", "missing"
VERDICTS = (HELD, NOT_HELD, INCONCLUSIVE, NOT_RUN, MISSING)

#: The side of zero a claim puts its difference on.
GREATER, LESS = "greater", "less"


def verdict(comparison: Comparison, claimed: str) -> str:
    """held / did not hold / inconclusive for ``comparison`` (difference = left − right) when the
    claim says the difference is ``claimed`` ("greater" or "less") than zero."""
    if claimed not in (GREATER, LESS):
        raise ValueError(f"claimed must be {GREATER!r} or {LESS!r}, not {claimed!r}")
    if not comparison.has_interval:
        return INCONCLUSIVE
    low, high = comparison.ci_low, comparison.ci_high
    above, below = low > 0, high < 0
    if claimed == LESS:
        above, below = below, above
    if above:
        return HELD
    if below:
        return NOT_HELD
    return INCONCLUSIVE
