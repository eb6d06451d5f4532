"""The workflow's tidy tables: their columns and a checked reader and writer for each.

``tables/runs.csv`` (one row per run) and ``tables/summary.csv`` (one row per cell of Tables 2-5
and the ablation block) are written by the aggregation (:mod:`lb.workflow.aggregate`, which
documents what each column holds) and read by the figures and the report. A file without one of
the columns is refused with one line naming the file and the columns.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import pandas as pd

from lb import io
from lb.errors import DataError
from lb.vocabulary import format_lam, is_table4_run

RUNS_COLUMNS = (
    "dataset", "model", "method", "lam", "seed", "accuracy", "micro_f1", "macro_f1", "epochs",
    "best_epoch", "silhouette", "wall_seconds", "device", "run_dir",
)  # fmt: skip
SUMMARY_COLUMNS = (
    "table", "dataset", "method", "lam", "metric", "mean", "std", "n", "n_expected", "paper_mean",
    "paper_std", "diff",
)  # fmt: skip
NUMERIC_SUMMARY = ("mean", "std", "n", "n_expected", "paper_mean", "paper_std", "diff")
NUMERIC_RUNS = ("lam", "seed", "accuracy", "micro_f1", "macro_f1", "epochs", "silhouette")
#: The columns a figure needs of a runs table (the figure rules build one from metrics.json).
FIGURE_RUN_COLUMNS = ("dataset", "method", "lam", "seed", "accuracy", "run_dir")

_FIX = "delete it and rerun the workflow, which writes it again"


def require_columns(
    df: pd.DataFrame, columns: Iterable[str], source: str, fix: str = _FIX
) -> pd.DataFrame:
    """``df`` unchanged, or DataError naming ``source`` and the missing columns."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{source}: missing column(s) {', '.join(missing)}; {fix}")
    return df


def _read(path: str | os.PathLike, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype={"lam": str, "run_dir": str, "device": str})
    except FileNotFoundError as err:
        raise DataError(f"{path}: {what} not found; run the workflow first") from err
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: not a readable CSV ({err}); {_FIX}") from err
    return require_columns(df, columns, str(path))


def read_summary(path: str | os.PathLike) -> pd.DataFrame:
    """``summary.csv`` with numeric columns as floats, ``n`` and ``n_expected`` as int and
    ``lam`` normalised to the run-directory spelling (``f"{lam:g}"``, or ``best``)."""
    return normalise_summary(_read(path, SUMMARY_COLUMNS, "summary table"), str(path))


def normalise_summary(df: pd.DataFrame, source: str = "summary") -> pd.DataFrame:
    """A summary table (read or built in memory) checked and typed like :func:`read_summary`."""
    df = require_columns(df, SUMMARY_COLUMNS, source).copy()
    for col in NUMERIC_SUMMARY:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    for col in ("n", "n_expected"):
        if df[col].isna().any():
            raise DataError(f"{source}: column {col} has empty cells; every cell needs a count")
        df[col] = df[col].astype(int)
    df["lam"] = df["lam"].map(format_lam)
    return df


def read_runs(path: str | os.PathLike) -> pd.DataFrame:
    """``runs.csv`` with numeric metric columns (an empty silhouette stays NaN)."""
    df = _read(path, RUNS_COLUMNS, "runs table")
    for col in NUMERIC_RUNS:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return df


def write_runs(runs: pd.DataFrame, path: str | os.PathLike) -> None:
    """``runs.csv`` (atomically), its columns in :data:`RUNS_COLUMNS` order."""
    io.write_csv(require_columns(runs, RUNS_COLUMNS, "runs table")[list(RUNS_COLUMNS)], path)


def write_summary(summary: pd.DataFrame, path: str | os.PathLike) -> None:
    """``summary.csv`` (atomically), its columns in :data:`SUMMARY_COLUMNS` order."""
    summary = require_columns(summary, SUMMARY_COLUMNS, "summary table")
    io.write_csv(summary[list(SUMMARY_COLUMNS)], path)


def table4_runs(runs: pd.DataFrame, best_lams: Mapping[str, float]) -> pd.DataFrame:
    """The rows of a runs table at their Table-4 λ (:func:`lb.vocabulary.is_table4_run`): the
    baseline at λ = 0, every other method at ``best_lams[dataset]`` (datasets without a best λ
    keep only their baseline). The runs of Tables 4, 5, the ablation block and the figures."""
    runs = require_columns(runs, ("dataset", "method", "lam"), "runs table")
    keep = [
        is_table4_run(r.dataset, r.method, r.lam, best_lams)
        for r in runs[["dataset", "method", "lam"]].itertuples(index=False)
    ]
    return runs[pd.Series(keep, index=runs.index, dtype=bool)].reset_index(drop=True)


def best_trials(runs: pd.DataFrame) -> pd.DataFrame:
    """The best trial of each (dataset, method): the run with the highest test accuracy, ties to
    the lowest seed (Table 5 and Figure 3 of the Latent Boost paper; docs/contracts.md). Runs
    without an accuracy are never chosen; a (dataset, method) without one has no row. Expects
    runs at one λ per (dataset, method), e.g. the output of :func:`table4_runs`."""
    order = ["dataset", "method", "accuracy", "seed"]
    ranked = runs.dropna(subset=["accuracy"]).sort_values(
        order, ascending=[True, True, False, True], kind="stable"
    )
    return ranked.groupby(["dataset", "method"], sort=False).head(1).reset_index(drop=True)
