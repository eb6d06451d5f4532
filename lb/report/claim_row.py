"""One tested statement of a claim (a row of the report's claim tables and of claims.csv), the
claim it belongs to, and the tidy table ``report/claims.csv``.

A row carries our comparison and the paper's (:class:`lb.stats.Comparison`: test, n, Δ, 95 %
interval, p, the smallest difference the test could have detected) and the Holm-adjusted p of
each within its family (all our tests / all the paper's tests of the report).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from lb.stats import HELD, INCONCLUSIVE, MISSING, NOT_HELD, NOT_RUN, Comparison
from lb.vocabulary import format_number

DECIDED = (HELD, NOT_HELD, INCONCLUSIVE)


def format_p(p: float | None) -> str:
    if p is None or not math.isfinite(p):
        return ""
    return f"{p:.3f}" if p >= 0.001 else f"{p:.1e}".replace("-", "−")


def stats_text(c: Comparison | None, metric: str, p_holm: float | None, verdict: str) -> str:
    """``Δ −0.87 [−2.04, +0.29], p 0.084 (Holm 0.50); paired t, n 3`` (+ the detectable
    difference when inconclusive, or why there is no interval)."""
    if c is None:
        return ""
    parts = [f"Δ {format_number(c.delta, metric, signed=True)}"]
    if c.has_interval:
        low = format_number(c.ci_low, metric, signed=True)
        high = format_number(c.ci_high, metric, signed=True)
        parts[0] += f" [{low}, {high}]"
        p = f", p {format_p(c.p_value)}"
        if p_holm is not None:
            p += f" (Holm {format_p(p_holm)})"
        parts[0] += p
    parts.append(f"{c.test}, n {c.n}")
    text = "; ".join(parts)
    if c.reason:
        text += f"; {c.reason}"
    elif verdict == INCONCLUSIVE and c.detectable is not None:
        text += f"; detectable |Δ| ≥ {format_number(c.detectable, metric)} (80 % power)"
    return text


@dataclass
class ClaimRow:
    scope: str  # dataset label or the study's name
    measure: str  # what is compared, e.g. "accuracy: LB vs baseline"
    ours: str  # our values in words
    paper: str  # the paper's values in words ("" when it has none)
    verdict: str
    paper_verdict: str
    note: str = ""
    metric: str = "accuracy"  # number format of Δ and the interval
    stats: Comparison | None = None
    paper_stats: Comparison | None = None
    p_holm: float | None = None
    paper_p_holm: float | None = None

    @property
    def stats_text(self) -> str:
        return stats_text(self.stats, self.metric, self.p_holm, self.verdict)

    @property
    def paper_stats_text(self) -> str:
        return stats_text(self.paper_stats, self.metric, self.paper_p_holm, self.paper_verdict)


@dataclass
class Claim:
    key: str
    title: str
    statement: str  # the paper's words
    source: str  # where in the papers
    rule: str  # how we test it
    rows: list[ClaimRow] = field(default_factory=list)

    @property
    def scope_note(self) -> str:
        """ "evaluated on 2 of 6; 4 not run or missing" when part of the rows has no data."""
        decided = sum(r.verdict in DECIDED for r in self.rows)
        absent = len(self.rows) - decided
        if not decided or not absent:
            return ""
        return f"evaluated on {decided} of {len(self.rows)}; {absent} not run or missing"

    @property
    def verdict(self) -> str:
        """Headline over the evaluated rows: their common verdict, else how many of each."""
        decided = [r.verdict for r in self.rows if r.verdict in DECIDED]
        if not decided:
            return MISSING if any(r.verdict == MISSING for r in self.rows) else NOT_RUN
        if len(set(decided)) == 1:
            return decided[0]
        counts = [f"{decided.count(v)} {v}" for v in DECIDED if v in decided]
        return f"mixed: {', '.join(counts)} of {len(decided)}"


def _num(x) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


STATS_FIELDS = ("test", "n", "delta", "ci_low", "ci_high", "p_value", "p_holm", "detectable")
CLAIM_COLUMNS = (
    "claim", "title", "claim_verdict", "scope", "measure", "ours", "verdict",
    *STATS_FIELDS, "paper", "paper_verdict", *(f"paper_{f}" for f in STATS_FIELDS),
    "note", "statement", "source", "rule",
)  # fmt: skip


def _stats_record(c: Comparison | None, p_holm: float | None, prefix: str = "") -> dict:
    if c is None:
        return {f"{prefix}{f}": None for f in STATS_FIELDS} | {f"{prefix}test": ""}
    return {
        f"{prefix}test": c.test,
        f"{prefix}n": c.n,
        f"{prefix}delta": _num(c.delta),
        f"{prefix}ci_low": _num(c.ci_low),
        f"{prefix}ci_high": _num(c.ci_high),
        f"{prefix}p_value": _num(c.p_value),
        f"{prefix}p_holm": _num(p_holm),
        f"{prefix}detectable": _num(c.detectable),
    }


def claims_table(claims: list[Claim]) -> pd.DataFrame:
    """The claims as a tidy table, one row per tested statement (``report/claims.csv``)."""
    records = []
    for c in claims:
        for r in c.rows:
            records.append({
                "claim": c.key, "title": c.title, "claim_verdict": c.verdict,
                "scope": r.scope, "measure": r.measure, "ours": r.ours, "verdict": r.verdict,
                **_stats_record(r.stats, r.p_holm),
                "paper": r.paper, "paper_verdict": r.paper_verdict,
                **_stats_record(r.paper_stats, r.paper_p_holm, "paper_"),
                "note": r.note, "statement": c.statement, "source": c.source, "rule": c.rule,
            })  # fmt: skip
    return pd.DataFrame.from_records(records, columns=list(CLAIM_COLUMNS))
