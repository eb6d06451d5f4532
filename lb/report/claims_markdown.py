"""The claims of ``report/claims.csv`` as a Markdown table, for a publication's README.

``python -m lb.report.claims_markdown CLAIMS_CSV`` prints it; :mod:`lb.report.publish` and
:mod:`lb.report.rerender` write it as ``claims.md`` beside ``claims.csv``, so that a README
quoting the verdicts can take them from the same numbers the report states instead of retyping
them. One row per tested statement that was run (rows marked "not run" are left out): our Δ with
its 95 % interval, p, Holm's p, the test and n, the verdict; then the paper's own Δ, interval, p
and verdict, and the note. Numbers have three significant digits (the report formats each metric
with the paper's decimals).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

from lb import io
from lb.report.claim_row import CLAIM_COLUMNS, format_p
from lb.stats import INCONCLUSIVE, NOT_RUN

HEADER = (
    "claim",
    "scope",
    "measure",
    "ours",
    "Δ [95 % CI]",
    "p",
    "p_Holm",
    "test, n",
    "verdict",
    "paper: Δ [95 % CI], p",
    "paper's verdict",
    "note",
)


def _number(x, signed: bool = True) -> str:
    if x is None or not math.isfinite(float(x)):
        return ""
    text = f"{float(x):+#.3g}" if signed else f"{float(x):#.3g}"
    text = text.rstrip(".")
    return text.replace("-", "−")


def _interval(row: pd.Series, prefix: str = "") -> str:
    delta = _number(row[f"{prefix}delta"])
    low, high = _number(row[f"{prefix}ci_low"]), _number(row[f"{prefix}ci_high"])
    if delta and low and high:
        return f"{delta} [{low}, {high}]"
    return delta


def _count(n) -> str:
    """``n`` as the report writes it: "3", "5 vs 5" (pandas reads a column of "3"s as 3.0)."""
    if isinstance(n, float) and n.is_integer():
        return str(int(n))
    return _cell(n)


def _cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return str(text).replace("|", "\\|").replace("\n", " ")


def claims_markdown(claims: pd.DataFrame) -> str:
    """The Markdown table of ``claims`` (columns as :data:`CLAIM_COLUMNS`)."""
    missing = [c for c in CLAIM_COLUMNS if c not in claims.columns]
    if missing:
        raise ValueError(f"claims table lacks column(s) {missing}; render the report again")
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for _, row in claims[claims.verdict != NOT_RUN].iterrows():
        verdict = f"**{row.verdict}**"
        if row.verdict == INCONCLUSIVE and _number(row.detectable, signed=False):
            verdict += f" (detectable {_number(row.detectable, signed=False)})"
        test = f"{_cell(row.test)}, n {_count(row.n)}" if _cell(row.test) else ""
        paper = _interval(row, "paper_")
        if paper and format_p(row.paper_p_value):
            paper += f", p {format_p(row.paper_p_value)}"
        cells = (
            row.claim,
            row.scope,
            row.measure,
            row.ours,
            _interval(row),
            format_p(row.p_value),
            format_p(row.p_holm),
            test,
            verdict,
            paper or _cell(row.paper),
            row.paper_verdict,
            row.note,
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def write_claims_markdown(claims_csv: Path, out: Path) -> Path:
    """Write :func:`claims_markdown` of the file ``claims_csv`` to ``out`` (atomically)."""
    io.write_text(out, claims_markdown(pd.read_csv(claims_csv)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lb.report.claims_markdown", description=__doc__
    )
    parser.add_argument("claims", type=Path, help="a report's claims.csv")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(claims_markdown(pd.read_csv(args.claims)))
    except OSError as exc:
        print(
            f"{args.claims}: cannot read ({exc.strerror}); give a report's claims.csv",
            file=sys.stderr,
        )
        return 2
    except ValueError as exc:
        print(f"{args.claims}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
