"""Benchmarks of the pipeline: speed measured as ratios, side by side, in one run.

``python -m bench`` runs every benchmark below and prints one markdown table plus a description
of the machine; ``python -m bench --only NAME ...`` runs some; ``--tiny`` is a smoke run (what
``tests/bench/test_bench_smoke.py`` does). Each benchmark is a module with
``run(tiny: bool = False) -> list[dict]``; every dict is one row of the table:

- ``benchmark``, ``case``: what was measured;
- ``ours``, ``baseline``: the two things compared (``baseline`` empty for absolute targets);
- ``ours_seconds``, ``baseline_seconds``: the times the ratio is made of (per step, per epoch,
  per run, as ``case`` says);
- ``ratio``: for a target ``>= R x`` the speed-up baseline / ours, for a target ``<= R x`` the time
  ratio ours / baseline, ``None`` for an absolute target (``<= S s``);
- ``target`` (text) and ``met`` (bool, or ``None`` when the row is informational);
- ``ratio_kind`` (optional): :data:`RATIO_TIME` or :data:`RATIO_SPEEDUP`, when the target's
  text does not say which the ratio is.

Any other key is a note on the row (the tables print it after the common columns).

Results and how they were measured: docs/performance.md. Benchmarks are not tests: nothing here
asserts a time.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"

# name -> (module, function); "demo" is long and runs only when asked for by name
BENCHMARKS: dict[str, tuple[str, str]] = {
    "training_step": ("bench.training_step", "run"),
    "precision": ("bench.precision", "run"),
    "memory_format": ("bench.memory_format", "run"),
    "job_start": ("bench.job_start", "run"),
    "losses": ("bench.losses", "run"),
    "batching": ("bench.batching", "run"),
    "silhouette": ("bench.silhouette", "run"),
    "tsne": ("bench.tsne", "run"),
    "workflow": ("bench.workflow", "run"),
    "demo": ("bench.workflow", "run_demo"),
}
DEFAULT_BENCHMARKS = tuple(name for name in BENCHMARKS if name != "demo")

RATIO_TIME = "time"  # ratio = ours / baseline (lower is better)
RATIO_SPEEDUP = "speed-up"  # ratio = baseline / ours (higher is better)
# the keys of a row that are columns of the tables; every other key is a note
ROW_KEYS = (
    "benchmark",
    "case",
    "ours",
    "baseline",
    "ours_seconds",
    "baseline_seconds",
    "ratio",
    "target",
    "met",
    "ratio_kind",
)


def data_root(root: str | os.PathLike | None = None) -> Path:
    """The data root (``root`` > ``$LB_DATA_ROOT`` > ``./data``), else the shared offline copy."""
    from lb.data import resolve_data_root

    chosen = resolve_data_root(root)
    if root is None and not chosen.exists() and SHARED_DATA.is_dir():
        return SHARED_DATA
    return chosen


def interleaved(candidates: dict[str, Callable[[], object]], repeats: int) -> dict[str, list]:
    """Time each callable ``repeats`` times, alternating between them (seconds per call).

    The order rotates every round, so a load spike from other processes on the machine hits
    every candidate alike; ratios are then taken per round (see :func:`median_ratio`).
    """
    names = list(candidates)
    times: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(repeats):
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            candidates[name]()
            times[name].append(time.perf_counter() - start)
    return times


def median_ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """Median over rounds of numerator[i] / denominator[i] (times of the same round)."""
    return statistics.median(a / b for a, b in zip(numerator, denominator, strict=True))


def row(
    benchmark: str,
    case: str,
    ours: str,
    baseline: str,
    ours_seconds: float,
    baseline_seconds: float | None,
    ratio: float | None,
    target: str,
    met: bool | None,
    **extra,
) -> dict:
    """One result row in the common format (see the module docstring)."""
    return {
        "benchmark": benchmark,
        "case": case,
        "ours": ours,
        "baseline": baseline,
        "ours_seconds": ours_seconds,
        "baseline_seconds": baseline_seconds,
        "ratio": ratio,
        "target": target,
        "met": met,
        **extra,
    }
