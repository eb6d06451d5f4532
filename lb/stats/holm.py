"""Holm's step-down adjustment of p-values (Holm 1979), for the family of claim tests.

With the m p-values sorted ascending, p_(1) ≤ … ≤ p_(m), the adjusted value of the i-th is
max_{j ≤ i} min(1, (m − j + 1)·p_(j)); rejecting where it is below α controls the family-wise
error rate at α. This is arithmetic on the p-values scipy computed; scipy itself offers only the
Benjamini–Hochberg/Yekutieli false-discovery-rate adjustment (``false_discovery_control``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-adjusted p-values in the input order; ``None``/NaN entries are not tests and stay
    ``None`` (m counts only the real p-values)."""
    real = [(p, i) for i, p in enumerate(p_values) if p is not None and not math.isnan(p)]
    out: list[float | None] = [None] * len(p_values)
    m = len(real)
    running = 0.0
    for rank, (p, i) in enumerate(sorted(real)):
        running = max(running, min(1.0, (m - rank) * float(p)))
        out[i] = running
    return out
