"""Test hook: inject a non-finite loss to exercise the NaN/inf handling.

Set ``LB_INJECT_NONFINITE="EPOCH:BATCH:TERM"`` (e.g. ``"2:3:dist"``) in the environment of a
training run: at 1-based epoch EPOCH, 1-based batch BATCH, the loss term TERM (``ce``, ``dist``
or ``total``) is replaced by NaN (append ``:inf`` for +inf) before the finiteness check. This is
the only place that reads the variable. Unset (the normal case) it does nothing. A term that is
not computed at that point (``dist`` in a warm-up epoch or for the baseline) is not injected.
"""

from __future__ import annotations

import dataclasses
import os

from lb.errors import ConfigError

ENV_VAR = "LB_INJECT_NONFINITE"
TERMS = ("ce", "dist", "total")


@dataclasses.dataclass(frozen=True)
class Injection:
    epoch: int
    batch: int
    term: str
    value: float

    def applies(self, epoch: int, batch: int, term: str) -> bool:
        return (epoch, batch, term) == (self.epoch, self.batch, self.term)


def injection_from_env() -> Injection | None:
    """Parse :data:`ENV_VAR`; None when unset or empty."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return None
    parts = raw.split(":")
    try:
        if len(parts) not in (3, 4):
            raise ValueError
        epoch, batch, term = int(parts[0]), int(parts[1]), parts[2]
        kind = parts[3] if len(parts) == 4 else "nan"
        if term not in TERMS or kind not in ("nan", "inf") or epoch < 1 or batch < 1:
            raise ValueError
    except ValueError:
        raise ConfigError(
            f"{ENV_VAR}={raw!r} is not EPOCH:BATCH:TERM[:nan|inf] with TERM in "
            f"{', '.join(TERMS)} (e.g. 2:3:dist); unset it for normal runs"
        ) from None
    return Injection(epoch, batch, term, float(kind))
