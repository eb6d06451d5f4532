"""Smoke test of the benchmarks: each runs at its tiny size so it does not rot.

No timing is asserted (benchmarks are not tests); only that every benchmark runs end to end and
returns well-formed rows that ``python -m bench`` can print. The demo runs as a dry-run here.
"""

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's bench/

import bench  # noqa: E402
from bench.__main__ import main, markdown, run_benchmarks  # noqa: E402

KEYS = {"benchmark", "case", "ours", "baseline", "ours_seconds", "baseline_seconds", "ratio"}


def _check_row(name: str, r: dict) -> None:
    assert KEYS | {"target", "met"} <= set(r), f"{name}: row lacks {KEYS - set(r)}"
    assert r["benchmark"] and r["case"] and r["ours"], r
    assert math.isfinite(r["ours_seconds"]) and r["ours_seconds"] > 0, r
    if r["baseline_seconds"] is not None:
        assert math.isfinite(r["baseline_seconds"]) and r["baseline_seconds"] > 0, r
    if r["ratio"] is not None:
        assert math.isfinite(r["ratio"]) and r["ratio"] > 0, r
    assert r["met"] in (True, False, None), r


@pytest.mark.parametrize("name", list(bench.BENCHMARKS))
def test_benchmark_runs_tiny(name):
    rows, _ = run_benchmarks([name], tiny=True, log=lambda *a, **k: None)
    assert rows, f"{name} returned no rows"
    assert not any(r.get("failed") for r in rows), rows
    for r in rows:
        _check_row(name, r)
    table = markdown(rows).splitlines()
    assert len(table) == 2 + len(rows)
    assert all(line.startswith("|") and line.endswith("|") for line in table)


def test_every_benchmark_is_in_the_default_run_but_demo():
    assert set(bench.DEFAULT_BENCHMARKS) == set(bench.BENCHMARKS) - {"demo"}


def test_unknown_benchmark_name_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--only", "no_such_benchmark"])
    assert exc.value.code == 2
    assert "no_such_benchmark" in capsys.readouterr().err


def test_a_failing_benchmark_becomes_a_failed_row(monkeypatch):
    monkeypatch.setitem(bench.BENCHMARKS, "broken", ("bench.no_such_module", "run"))
    rows, loads = run_benchmarks(["broken"], tiny=True, log=lambda *a, **k: None)
    assert len(rows) == 1 and rows[0]["failed"] and rows[0]["met"] is False
    assert "ModuleNotFoundError" in rows[0]["case"]
    assert "**NO**" in markdown(rows)
    assert len(loads) == 2


def test_ratios_are_labelled_by_direction():
    time_row = {"ratio": 1.02, "target": "<= 1.05x", "met": True, "ours_seconds": 1.0}
    speed_row = {"ratio": 12.0, "target": ">= 10x", "met": True, "ours_seconds": 1.0}
    table = markdown([time_row, speed_row])
    assert "1.020× the time" in table and "12.00× faster" in table


def test_interleaved_rotates_the_order_and_median_ratio_pairs_rounds():
    calls = []
    times = bench.interleaved({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, 4)
    assert calls == ["a", "b", "b", "a", "a", "b", "b", "a"]
    assert all(len(v) == 4 for v in times.values())
    assert bench.median_ratio([2.0, 4.0, 9.0], [1.0, 1.0, 3.0]) == 3.0
