"""Tidy tables of a finished (or partial) grid: ``runs.csv`` and ``summary.csv``.

``runs.csv``: one row per training run that has results (columns :data:`lb.tables.RUNS_COLUMNS`).

``summary.csv``: long format, one row per cell of the paper's Tables 2-5 and of the ablation
block (columns :data:`lb.tables.SUMMARY_COLUMNS`), the union of the cells the config runs and the
cells the paper reports, so a config that runs only part of the grid (or only the digits demo)
still lists every published cell:

- ``lam`` is ``f"{λ:g}"`` in Tables 2-3 and ``best`` in Tables 4-5 and the ablation (the
  experiment's ``best_lambda``; the baseline at 0).
- Tables 2-4 and the ablation: ``mean`` and ``std`` over the seeds that have a value (``std`` is
  the sample standard deviation, ddof = 1, empty for n < 2 - the paper does not say which it
  used), ``n`` = number of those seeds.
- Table 5 and the ablation's ``silhouette``: the silhouette of the *best trial*
  (:func:`lb.tables.best_trials`: the seed with the highest test accuracy, ties to the lowest
  seed; the trial Figure 3 shows); ``std`` empty; ``n`` = number of seeds it was chosen from
  (Table 5 of the paper gives one value per cell, "best trial"). A best trial without a
  silhouette (a partial table) leaves the cell empty, ``n`` = 0.
- ``n_expected``: the number of seeds the config asks for in that cell (0 = the config does not
  run it: the report writes "not run"; 0 < n < n_expected only in a partial report: "missing").
  Computed here only; the report reads it.
- ``paper_mean``/``paper_std``: the published value (empty if the paper has none), ``diff`` =
  ``mean - paper_mean``. Nothing is ever filled in for a cell without results: ``mean`` stays
  empty and ``n`` is 0.

Metrics: accuracy in percent (0-100, as the paper), ``micro_f1``/``macro_f1`` in [0, 1],
``epochs`` = epochs trained (early stopping), ``silhouette`` in [-1, 1].
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lb.errors import DataError
from lb.published import read_latent_boost_tables
from lb.tables import RUNS_COLUMNS, SUMMARY_COLUMNS, best_trials, write_runs, write_summary
from lb.vocabulary import BEST, METRIC_LABELS, PAPER_DATASETS, format_lam
from lb.workflow import registries
from lb.workflow.runs import outputs_complete

TABLES = ("table2", "table3", "table4", "table5", "ablation")
#: Metrics per table (the paper's plus macro-F1, which it does not report).
TABLE_METRICS: dict[str, tuple[str, ...]] = {
    "table2": ("accuracy", "micro_f1", "macro_f1"),
    "table3": ("accuracy", "micro_f1", "macro_f1"),
    "table4": ("accuracy", "micro_f1", "macro_f1", "epochs"),
    "table5": ("silhouette",),
    "ablation": ("accuracy", "micro_f1", "macro_f1", "epochs", "silhouette"),
}
#: (table, metric) pairs reported as the best trial's value instead of a mean over seeds.
BEST_TRIAL = frozenset({("table5", "silhouette"), ("ablation", "silhouette")})
METRIC_ORDER = tuple(METRIC_LABELS)
_METRICS_KEYS = ("accuracy", "micro_f1", "macro_f1", "epochs", "best_epoch", "wall_seconds")


def run_files(
    spec_runs: Sequence[Mapping[str, Any]],
    metrics_paths: Sequence[str | os.PathLike],
    silhouette_paths: Sequence[str | os.PathLike] = (),
) -> dict[str, dict[str, Path]]:
    """Match the given ``metrics.json``/``silhouette.json`` paths to the runs of the spec.

    A file belongs to the run whose directory (``runs/...``, relative to the results dir) its
    parent directory ends with, so the paths may carry any prefix (results dir, storage). Returns
    ``run_dir -> {"metrics": path, "silhouette": path}`` (keys only for the files given).
    """
    known = {run["run_dir"] for run in spec_runs}
    files: dict[str, dict[str, Path]] = {}
    for kind, paths in (("metrics", metrics_paths), ("silhouette", silhouette_paths)):
        for path in map(Path, paths):
            run_dir = _matching_run_dir(path.parent.as_posix(), known)
            if run_dir is None:
                raise DataError(f"{path}: not the file of any run of this config")
            files.setdefault(run_dir, {})[kind] = path
    return files


def runs_table(
    spec: Mapping[str, Any],
    files: Mapping[str, Mapping[str, Path]],
    allow_missing: bool = False,
) -> pd.DataFrame:
    """One row per run of ``spec`` (in spec order) from its files (see :func:`run_files`).

    Without ``allow_missing`` every run needs both files. With it (the partial report) a run is
    left out unless all its training outputs exist now, and its silhouette may be empty.
    """
    rows = []
    for run in spec["runs"]:
        paths = files.get(run["run_dir"], {})
        if allow_missing:
            metrics = paths.get("metrics")
            if metrics is None or not outputs_complete(metrics.parent):
                continue
        row = read_run(run, paths.get("metrics"), paths.get("silhouette"), allow_missing)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(RUNS_COLUMNS))


def read_run(
    run: Mapping[str, Any],
    metrics_path: Path | None,
    silhouette_path: Path | None,
    allow_missing: bool = False,
) -> dict:
    """The runs.csv row of ``run`` from its metrics.json and silhouette.json.

    The metrics must name the same dataset, method, λ and seed as the run (a misplaced file is an
    error, not a result). With ``allow_missing`` a missing silhouette.json gives an empty value.
    """
    if metrics_path is None:
        raise DataError(f"{run['run_dir']}/metrics.json: not given to the aggregation")
    metrics = _read_json(metrics_path)
    for key, expected in (
        ("dataset", run["dataset"]),
        ("method", run["method"]),
        ("seed", run["seed"]),
    ):
        if key in metrics and metrics[key] != expected:
            raise DataError(
                f"{metrics_path}: {key} is {metrics[key]!r} but the run directory says "
                f"{expected!r}; delete the run directory and rerun"
            )
    if "lam" in metrics and not math.isclose(float(metrics["lam"]), float(run["lam"])):
        raise DataError(
            f"{metrics_path}: lam is {metrics['lam']!r} but the run directory says "
            f"{run['lam']!r}; delete the run directory and rerun"
        )
    missing = [k for k in _METRICS_KEYS if k not in metrics]
    if missing:
        raise DataError(
            f"{metrics_path}: missing key(s) {', '.join(missing)}; delete it and rerun the run"
        )
    silhouette = None
    if silhouette_path is not None and (silhouette_path.is_file() or not allow_missing):
        silhouette = _read_json(silhouette_path).get("silhouette")
        if isinstance(silhouette, bool) or not isinstance(silhouette, int | float):
            raise DataError(f"{silhouette_path}: no number under 'silhouette'; delete it and rerun")
    elif not allow_missing:
        raise DataError(f"{run['run_dir']}/silhouette.json: not given to the aggregation")
    return {
        "dataset": run["dataset"],
        "model": run["model"],
        "method": run["method"],
        "lam": format_lam(run["lam"]),
        "seed": int(run["seed"]),
        **{k: metrics[k] for k in _METRICS_KEYS},
        "silhouette": silhouette,
        "device": metrics.get("device", ""),
        "run_dir": run["run_dir"],
    }


def summary_table(
    spec: Mapping[str, Any], runs: pd.DataFrame, published: pd.DataFrame
) -> pd.DataFrame:
    """The long-format summary (see the module docstring) from a runs table and the paper."""
    paper = {
        (r.table, r.dataset, r.method, r.lam, r.metric): (r.mean, r.std)
        for r in published.itertuples(index=False)
    }
    configured = {}
    for cell in spec["cells"]:
        for metric in TABLE_METRICS[cell["table"]]:
            key = (cell["table"], cell["dataset"], cell["method"], cell["lam"], metric)
            configured[key] = cell["run_lam"]
    n_seeds = len(spec["seeds"])
    rows = []
    for key in sorted(set(paper) | set(configured), key=_cell_order):
        table, dataset, method, lam, metric = key
        mean = std = None
        n = n_expected = 0
        if key in configured:
            n_expected = n_seeds
            sel = runs[
                (runs["dataset"] == dataset)
                & (runs["method"] == method)
                & (runs["lam"] == configured[key])
            ]
            mean, std, n = _cell_value(sel, table, metric)
        paper_mean, paper_std = paper.get(key, (None, None))
        rows.append(
            {
                "table": table,
                "dataset": dataset,
                "method": method,
                "lam": lam,
                "metric": metric,
                "mean": mean,
                "std": std,
                "n": n,
                "n_expected": n_expected,
                "paper_mean": _none_if_nan(paper_mean),
                "paper_std": _none_if_nan(paper_std),
                "diff": None
                if mean is None or _none_if_nan(paper_mean) is None
                else mean - paper_mean,
            }
        )
    df = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for column in ("mean", "std", "paper_mean", "paper_std", "diff"):
        df[column] = df[column].astype(float)
    return df


def write_tables(
    spec: Mapping[str, Any],
    metrics_paths: Sequence[str | os.PathLike],
    silhouette_paths: Sequence[str | os.PathLike],
    published_csv: str | os.PathLike,
    runs_csv: str | os.PathLike,
    summary_csv: str | os.PathLike,
    allow_missing: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the runs, build both tables and write them atomically. Returns (runs, summary)."""
    files = run_files(spec["runs"], metrics_paths, silhouette_paths)
    runs = runs_table(spec, files, allow_missing=allow_missing)
    summary = summary_table(spec, runs, read_latent_boost_tables(published_csv))
    write_runs(runs, runs_csv)
    write_summary(summary, summary_csv)
    return runs, summary


# --------------------------------------------------------------------------------------- helpers
def _cell_value(
    sel: pd.DataFrame, table: str, metric: str
) -> tuple[float | None, float | None, int]:
    if (table, metric) in BEST_TRIAL:
        # the trial Figure 3 shows; without its value the cell is missing, never another seed's
        best = best_trials(sel)
        if best.empty or pd.isna(best[metric].iloc[0]):
            return None, None, 0
        return float(best[metric].iloc[0]), None, int(sel["accuracy"].notna().sum())
    values = pd.to_numeric(sel[metric], errors="coerce").dropna().astype(float)
    if values.empty:
        return None, None, 0
    std = float(values.std(ddof=1)) if len(values) > 1 else None
    return float(values.mean()), std, len(values)


def _cell_order(key: tuple[str, str, str, str, str]) -> tuple:
    table, dataset, method, lam, metric = key
    methods = registries.METHODS
    return (
        TABLES.index(table) if table in TABLES else len(TABLES),
        table,
        (0, PAPER_DATASETS.index(dataset)) if dataset in PAPER_DATASETS else (1, 0),
        dataset,
        methods.index(method) if method in methods else len(methods),
        method,
        -1.0 if lam == BEST else float(lam),
        METRIC_ORDER.index(metric) if metric in METRIC_ORDER else len(METRIC_ORDER),
        metric,
    )


def _none_if_nan(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _read_json(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise DataError(f"{path}: not found; rerun the workflow to produce it") from None
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as err:
        reason = " ".join(str(err).split())
        raise DataError(f"{path}: unreadable ({reason}); delete it and rerun") from None
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object; delete it and rerun")
    return data


def _matching_run_dir(directory: str, known: set[str]) -> str | None:
    """The run directory (``runs/{dataset}/{method}/lambda{lam}/seed{s}``) ``directory`` ends in."""
    parts = directory.split("/")
    candidate = "/".join(parts[-5:])
    return candidate if candidate in known else None
