"""Gather the per-epoch ``history.csv`` of many runs into one tidy DataFrame."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from lb.errors import DataError
from lb.figures.select import check_runs

HISTORY_COLUMNS = ("epoch", "val_accuracy", "total", "pca_dim", "beta", "dist_grad_norm")


def load_histories(
    runs: pd.DataFrame, results_dir: str | os.PathLike, skip_missing: bool = False
) -> pd.DataFrame:
    """Concatenate ``{results_dir}/{run_dir}/history.csv`` of every row of ``runs``.

    Each history row is tagged with the run's dataset, method, lam and seed. A missing history
    raises DataError naming the file, unless ``skip_missing`` (partial reports) drops that run.
    """
    runs = check_runs(runs)
    frames = []
    for row in runs.itertuples(index=False):
        path = Path(results_dir) / str(row.run_dir) / "history.csv"
        if not path.is_file():
            if skip_missing:
                continue
            raise DataError(f"{path}: history missing; re-run the training rule for this run")
        hist = pd.read_csv(path)
        absent = [c for c in HISTORY_COLUMNS if c not in hist.columns]
        if absent:
            raise DataError(f"{path}: missing column(s) {', '.join(absent)}; retrain this run")
        hist.insert(0, "seed", int(row.seed))
        hist.insert(0, "lam", float(row.lam))
        hist.insert(0, "method", row.method)
        hist.insert(0, "dataset", row.dataset)
        frames.append(hist)
    if not frames:
        return pd.DataFrame(columns=["dataset", "method", "lam", "seed", *HISTORY_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def per_epoch_summary(
    histories: pd.DataFrame, column: str, by=("dataset", "method")
) -> pd.DataFrame:
    """Mean, min, max and count over seeds of ``column`` per epoch and group ``by``.

    Runs that stopped early simply stop contributing: ``n`` says how many seeds an epoch's mean
    is over. Empty cells (NaN) are left out.
    """
    keep = histories.dropna(subset=[column])
    grouped = keep.groupby([*by, "epoch"])[column]
    out = grouped.agg(["mean", "min", "max", "count"]).rename(columns={"count": "n"})
    return out.reset_index()
