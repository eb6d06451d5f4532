"""Read and check the tidy CSVs the evaluate rule writes (docs/architecture.md, "Workflow
contracts"): ``tables/summary.csv`` (one row per cell of Tables 2-5 and the ablation block) and
``tables/runs.csv`` (one row per run)."""

from __future__ import annotations

import os

import pandas as pd

from lb.errors import DataError
from lb.vocabulary import format_lam

SUMMARY_COLUMNS = (
    "table", "dataset", "method", "lam", "metric", "mean", "std", "n", "paper_mean", "paper_std",
    "diff",
)  # fmt: skip
RUNS_COLUMNS = (
    "dataset", "model", "method", "lam", "seed", "accuracy", "micro_f1", "macro_f1", "epochs",
    "best_epoch", "silhouette", "wall_seconds", "device", "run_dir",
)  # fmt: skip
NUMERIC_SUMMARY = ("mean", "std", "n", "paper_mean", "paper_std", "diff")
NUMERIC_RUNS = ("lam", "seed", "accuracy", "micro_f1", "macro_f1", "epochs", "silhouette")


def _read(path: str | os.PathLike, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype={"lam": str, "run_dir": str, "device": str})
    except FileNotFoundError as err:
        raise DataError(f"{path}: {what} not found; run the evaluate rule first") from err
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: not a readable CSV ({err}); re-run the evaluate rule") from err
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}; re-run the evaluate rule")
    return df


def load_summary(path: str | os.PathLike) -> pd.DataFrame:
    """``summary.csv`` with numeric columns as floats, ``n`` as int and ``lam`` normalised to
    the run-directory spelling (``f"{lam:g}"``, or ``best``)."""
    df = _read(path, SUMMARY_COLUMNS, "summary table")
    return normalise_summary(df, str(path))


def normalise_summary(df: pd.DataFrame, source: str = "summary") -> pd.DataFrame:
    df = df.copy()
    for col in NUMERIC_SUMMARY:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    if df["n"].isna().any():
        raise DataError(f"{source}: column n has empty cells; every cell needs a run count")
    df["n"] = df["n"].astype(int)
    df["lam"] = df["lam"].map(format_lam)
    if "n_expected" in df.columns:
        df["n_expected"] = pd.to_numeric(df["n_expected"], errors="coerce")
    return df


def load_runs(path: str | os.PathLike) -> pd.DataFrame:
    """``runs.csv`` with numeric metric columns (an empty silhouette stays NaN)."""
    df = _read(path, RUNS_COLUMNS, "runs table")
    for col in NUMERIC_RUNS:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return df
