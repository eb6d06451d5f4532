"""Statistics behind the verdicts on the papers' claims (scipy.stats only).

comparison  one difference with its test, 95 % confidence interval, p-value and n
            (paired t, Welch t, Welch t from published summaries, one-sample t, exact binomial);
            is_finite, the one test of 'a real, finite number' the report's cells share
power       the smallest difference a test of this size could have detected (80 % power)
verdict     held / did not hold / inconclusive / not run / missing, from the interval
holm        Holm's step-down adjustment of a family of p-values
"""

from lb.stats.comparison import (
    Comparison,
    compare_proportion,
    compare_seeds,
    compare_summaries,
    compare_to_value,
    is_finite,
)
from lb.stats.holm import holm
from lb.stats.verdict import (
    HELD,
    INCONCLUSIVE,
    MISSING,
    NOT_HELD,
    NOT_RUN,
    VERDICTS,
    verdict,
)

__all__ = [
    "HELD", "INCONCLUSIVE", "MISSING", "NOT_HELD", "NOT_RUN", "VERDICTS", "Comparison",
    "compare_proportion", "compare_seeds", "compare_summaries", "compare_to_value", "holm",
    "is_finite", "verdict",
]  # fmt: skip
