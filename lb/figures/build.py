"""File-level entry points for the figure rules: read what a figure needs, draw it, write the
PNG and the data it shows as CSV beside it.

Each figure is built from a table of runs (dataset, method, lam, seed, accuracy, run_dir): the
runs at the Table 4 λ (baseline at 0, every other method at the dataset's best λ), see
:func:`lb.tables.table4_runs`. The figure rules build that table from the runs' ``metrics.json``
(so a figure reruns only when its own runs change); the partial figures (:func:`make_partial`,
for the partial report) take it from the partial ``runs.csv``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from lb import io
from lb.errors import DataError
from lb.figures import grad_norm, lambda_sweep, learning_curves, pca_dims
from lb.figures.figure3 import compute_panels, panels_table, plot_figure3
from lb.figures.histories import load_histories
from lb.figures.select import best_trials, check_runs
from lb.figures.tsne import TSNE_SEED
from lb.tables import read_runs, read_summary, table4_runs
from lb.vocabulary import FIGURE_NAMES


def runs_from_metrics(
    runs: Iterable[Mapping], results_dir: str | os.PathLike, skip_missing: bool = False
) -> pd.DataFrame:
    """The runs table of ``runs`` (dicts with dataset, method, lam, seed, run_dir) with each
    run's test accuracy read from its ``metrics.json``; DataError naming a missing/bad file
    unless ``skip_missing`` drops that run."""
    rows = []
    for run in runs:
        path = Path(results_dir) / run["run_dir"] / "metrics.json"
        try:
            accuracy = float(json.loads(path.read_text(encoding="utf-8"))["accuracy"])
        except FileNotFoundError:
            if skip_missing:
                continue
            raise DataError(f"{path}: not found; run the training rule for this run") from None
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise DataError(
                f"{path}: no readable 'accuracy' ({err}); delete it and rerun"
            ) from None
        rows.append({k: run[k] for k in ("dataset", "method", "lam", "seed", "run_dir")}
                    | {"accuracy": accuracy})  # fmt: skip
    columns = ["dataset", "method", "lam", "seed", "run_dir", "accuracy"]
    return check_runs(pd.DataFrame(rows, columns=columns))


def make_figure3(runs: pd.DataFrame, results_dir, png, csv, seed: int = TSNE_SEED):
    """t-SNE grid of the best trial per method and dataset; CSV: the trials shown."""
    panels = compute_panels(best_trials(runs), results_dir, seed=seed)
    plot_figure3(panels, png)
    io.write_csv(panels_table(panels), csv)
    return panels


def make_pca_dims(runs: pd.DataFrame, results_dir, png, csv, skip_missing: bool = False):
    """PCA dimension per epoch; CSV: one row per (run, epoch) with a PCA dimension."""
    table = pca_dims.pca_dim_table(load_histories(runs, results_dir, skip_missing))
    pca_dims.plot_pca_dims(table, png)
    io.write_csv(table, csv)
    return table


def make_learning_curves(runs: pd.DataFrame, results_dir, png, csv, skip_missing: bool = False):
    """Validation accuracy and training loss per epoch; CSV: mean/min/max/n per epoch."""
    hist = load_histories(runs, results_dir, skip_missing)
    table = learning_curves.learning_curve_table(hist)
    learning_curves.plot_learning_curves(table, png)
    io.write_csv(table, csv)
    return table


def make_grad_norm(runs: pd.DataFrame, results_dir, png, csv, skip_missing: bool = False):
    """Distance-term gradient norm per epoch (beyond the paper); CSV: early/late medians per run."""
    hist = load_histories(runs, results_dir, skip_missing)
    hist = hist[hist["method"].isin(grad_norm.GRAD_METHODS)]
    grad_norm.plot_grad_norm(hist, png)
    table = grad_norm.grad_norm_table(hist)
    io.write_csv(table, csv)
    return table


def make_lambda_sweep(summary: pd.DataFrame, png, csv):
    """Accuracy against λ from the summary (Tables 2-3); CSV: the rows plotted."""
    table = lambda_sweep.sweep_table(summary)
    lambda_sweep.plot_lambda_sweep(table, png)
    io.write_csv(table, csv)
    return table


def make_figure(
    name: str,
    png,
    csv,
    results_dir: str | os.PathLike,
    runs: Iterable[Mapping] = (),
    summary_csv: str | os.PathLike | None = None,
) -> int:
    """One figure of :data:`lb.vocabulary.FIGURE_NAMES` by its name: ``lambda_sweep`` from the
    summary table at ``summary_csv``, every other one from ``runs`` (dicts with dataset, method,
    lam, seed, run_dir; see :func:`runs_from_metrics`) and their files below ``results_dir``.
    Returns the number of rows of the data it wrote to ``csv``."""
    if name == "lambda_sweep":
        return len(make_lambda_sweep(read_summary(summary_csv), png, csv))
    draw = {
        "figure3": make_figure3,
        "pca_dims": make_pca_dims,
        "learning_curves": make_learning_curves,
        "grad_norm": make_grad_norm,
    }
    if name not in draw:
        raise ValueError(f"no figure {name!r}; the figures are {', '.join(FIGURE_NAMES)}")
    return len(draw[name](runs_from_metrics(runs, results_dir), results_dir, png, csv))


def make_all(
    summary: pd.DataFrame,
    runs: pd.DataFrame,
    results_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    skip_missing: bool = False,
) -> dict[str, Path]:
    """Every figure into ``out_dir``; returns name -> PNG path."""
    out = Path(out_dir)
    paths = {name: out / f"{name}.png" for name in FIGURE_NAMES}
    csv = {name: out / f"{name}.csv" for name in FIGURE_NAMES}
    make_figure3(runs, results_dir, paths["figure3"], csv["figure3"])
    make_pca_dims(runs, results_dir, paths["pca_dims"], csv["pca_dims"], skip_missing)
    make_learning_curves(
        runs, results_dir, paths["learning_curves"], csv["learning_curves"], skip_missing
    )
    make_grad_norm(runs, results_dir, paths["grad_norm"], csv["grad_norm"], skip_missing)
    make_lambda_sweep(summary, paths["lambda_sweep"], csv["lambda_sweep"])
    return paths


def make_partial(
    summary_csv: str | os.PathLike,
    runs_csv: str | os.PathLike,
    best_lams: Mapping[str, float],
    results_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
) -> dict[str, Path]:
    """Every figure from the partial tables (the runs complete now) into ``out_dir``; a run
    whose history is gone is left out. Returns name -> PNG path."""
    runs = check_runs(table4_runs(read_runs(runs_csv), best_lams))
    return make_all(read_summary(summary_csv), runs, results_dir, out_dir, skip_missing=True)
