"""The claims as a Markdown table (lb.report.claims_markdown): the numbers of claims.csv, rows not
run left out, cells that cannot break the table."""

import subprocess
import sys

import pandas as pd
import pytest

from lb.report.claim_row import Claim, ClaimRow, claims_table
from lb.report.claims_markdown import HEADER, claims_markdown
from lb.stats import Comparison


def _claims() -> pd.DataFrame:
    held = ClaimRow(
        scope="Fashion MNIST",
        measure="accuracy: LB vs baseline",
        ours="LB 90.10 ± 0.20 (n=3) vs baseline 89.00 ± 0.30 (n=3)",
        paper="LB 90.86 ± 0.21 vs baseline 88.59 ± 0.15",
        verdict="held",
        paper_verdict="held",
        stats=Comparison("paired t", "3", 1.1, 0.25, 1.95, 0.0312),
        paper_stats=Comparison("Welch t (summaries)", "5 vs 5", 2.27, 2.0, 2.54, 1.5e-7),
        p_holm=0.0624,
    )
    inconclusive = ClaimRow(
        scope="Fashion MNIST",
        measure="accuracy: LB w/o PCA vs LB",
        ours="a | b",
        paper="",
        verdict="inconclusive",
        paper_verdict="missing",
        note="first line\nsecond line",
        stats=Comparison("paired t", "3", -0.227, -0.898, 0.444, 0.283, detectable=0.881),
    )
    not_run = ClaimRow("CIFAR-10", "accuracy: LB vs baseline", "", "", "not run", "held")
    claim = Claim("a", "title", "statement", "Section 5.1", "rule")
    claim.rows = [held, inconclusive, not_run]
    # through a CSV file, as a publication reads it
    return claims_table([claim])


def test_rows_carry_the_numbers_of_the_claims_table(tmp_path):
    path = tmp_path / "claims.csv"
    _claims().to_csv(path, index=False)
    lines = claims_markdown(pd.read_csv(path)).splitlines()
    assert lines[0] == "| " + " | ".join(HEADER) + " |"
    assert len(lines) == 4  # header, rule, two rows run; the CIFAR-10 row was not run
    held = lines[2].split(" | ")
    assert held[4] == "+1.10 [+0.250, +1.95]" and held[5] == "0.031" and held[6] == "0.062"
    assert held[7] == "paired t, n 3" and held[8] == "**held**"
    assert held[9] == "+2.27 [+2.00, +2.54], p 1.5e−07"
    cells = lines[3].split(" | ")
    assert cells[4] == "−0.227 [−0.898, +0.444]"
    assert cells[8] == "**inconclusive** (detectable 0.881)"
    assert "a \\| b" in lines[3] and "first line second line" in lines[3]
    assert all(line.count(" | ") == len(HEADER) - 1 for line in lines[2:])


def test_a_table_without_the_claim_columns_is_refused():
    with pytest.raises(ValueError, match="lacks column"):
        claims_markdown(pd.DataFrame({"claim": ["a"]}))


def test_the_command_prints_the_table_and_refuses_a_missing_file(tmp_path):
    path = tmp_path / "claims.csv"
    _claims().to_csv(path, index=False)
    cmd = [sys.executable, "-m", "lb.report.claims_markdown"]
    ok = subprocess.run([*cmd, str(path)], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout == claims_markdown(pd.read_csv(path))
    missing = subprocess.run([*cmd, str(tmp_path / "none.csv")], capture_output=True, text=True)
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "none.csv" in missing.stderr
