"""lb.workflow.aggregate: runs.csv and summary.csv from synthetic run files."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from lb.errors import DataError
from lb.figures.select import best_trials as figure_best_trials
from lb.published import LATENT_BOOST_TABLES, read_latent_boost_tables
from lb.tables import RUNS_COLUMNS, SUMMARY_COLUMNS
from lb.workflow.aggregate import (
    run_files,
    runs_table,
    summary_table,
    write_tables,
)
from lb.workflow.config import load_config
from lb.workflow.runs import aggregation_spec

REPO = Path(__file__).resolve().parents[2]


def make_config(seeds=(0, 1, 2)):
    cfg = yaml.safe_load((REPO / "configs" / "test.yaml").read_text())
    cfg["seeds"] = list(seeds)
    return load_config(cfg)


def fake_metrics(run, accuracy):
    return {
        "accuracy": accuracy,
        "micro_f1": accuracy / 100,
        "macro_f1": accuracy / 100 - 0.01,
        "epochs": 10 + run["seed"],
        "best_epoch": 5,
        "wall_seconds": 1.5,
        "device": "cpu",
        "seed": run["seed"],
        "method": run["method"],
        "lam": run["lam"],
        "dataset": run["dataset"],
        "model": run["model"],
    }


def write_run(results, run, accuracy, silhouette, complete=True):
    """Write a run's files; metric values are chosen per test."""
    base = results / run["run_dir"]
    base.mkdir(parents=True, exist_ok=True)
    (base / "metrics.json").write_text(json.dumps(fake_metrics(run, accuracy)))
    if silhouette is not None:
        (base / "silhouette.json").write_text(json.dumps({"silhouette": silhouette}))
    if complete:
        for name in ("history.csv", "test_outputs.npz", "model.pt"):
            (base / name).write_text("")
    return base


def accuracy_of(run):
    return 50.0 + 10 * run["seed"] + (5 if run["method"] == "latent_boost" else 0)


def silhouette_of(run):
    return 0.1 * (3 - run["seed"])  # best accuracy (highest seed) has the lowest silhouette


@pytest.fixture()
def grid(tmp_path):
    spec = aggregation_spec(make_config())
    for run in spec["runs"]:
        write_run(tmp_path, run, accuracy_of(run), silhouette_of(run))
    metrics = [tmp_path / r["run_dir"] / "metrics.json" for r in spec["runs"]]
    silhouettes = [tmp_path / r["run_dir"] / "silhouette.json" for r in spec["runs"]]
    return spec, tmp_path, metrics, silhouettes


def test_runs_table_has_every_run(grid):
    spec, _, metrics, silhouettes = grid
    runs = runs_table(spec, run_files(spec["runs"], metrics, silhouettes))
    assert list(runs.columns) == list(RUNS_COLUMNS)
    assert len(runs) == len(spec["runs"]) == 15
    row = runs[(runs.method == "magnet") & (runs.seed == 2)].iloc[0]
    assert row.accuracy == 70.0 and row.lam == "0.5" and row.epochs == 12
    assert row.run_dir == "runs/digits/magnet/lambda0.5/seed2"
    assert math.isclose(row.silhouette, 0.1)


def test_summary_means_stds_and_best_trial(grid):
    spec, _, metrics, silhouettes = grid
    runs = runs_table(spec, run_files(spec["runs"], metrics, silhouettes))
    summary = summary_table(spec, runs, read_latent_boost_tables())
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    cell = summary.set_index(["table", "dataset", "method", "lam", "metric"])
    acc = cell.loc[("table2", "digits", "magnet", "0.5", "accuracy")]
    assert acc["mean"] == pytest.approx(60.0) and acc["n"] == 3 and acc["n_expected"] == 3
    assert acc["std"] == pytest.approx(10.0)  # sample std (ddof=1) of 50, 60, 70
    assert math.isnan(acc["paper_mean"]) and math.isnan(acc["diff"])
    epochs = cell.loc[("table4", "digits", "latent_boost", "best", "epochs")]
    assert epochs["mean"] == pytest.approx(11.0)
    base = cell.loc[("table4", "digits", "baseline", "best", "accuracy")]
    assert base["mean"] == pytest.approx(60.0)  # the baseline at lambda 0
    # Table 5: the silhouette of the best-accuracy seed (seed 2), not the best silhouette
    sil = cell.loc[("table5", "digits", "latent_boost", "best", "silhouette")]
    assert sil["mean"] == pytest.approx(0.1) and math.isnan(sil["std"]) and sil["n"] == 3
    abl = cell.loc[("ablation", "digits", "latent_boost_detached_var", "best", "silhouette")]
    assert abl["mean"] == pytest.approx(0.1)
    assert cell.loc[("ablation", "digits", "latent_boost_detached_var", "best", "epochs")]["n"] == 3


def test_table5_and_figure3_take_the_same_best_trial(grid):
    """The best trial is one rule (lb.tables.best_trials): when the best-accuracy seed has no
    silhouette (a partial table), Table 5's cell is empty, not another seed's silhouette."""
    spec, _, metrics, silhouettes = grid
    runs = runs_table(spec, run_files(spec["runs"], metrics, silhouettes))
    lb_runs = runs[(runs.method == "latent_boost") & (runs.lam == "0.5")]
    assert figure_best_trials(lb_runs)["seed"].tolist() == [2]
    runs.loc[lb_runs.index[lb_runs.seed == 2], "silhouette"] = float("nan")
    assert figure_best_trials(runs.loc[lb_runs.index])["seed"].tolist() == [2]
    cell = summary_table(spec, runs, read_latent_boost_tables()).set_index(
        ["table", "dataset", "method", "lam", "metric"]
    )
    sil = cell.loc[("table5", "digits", "latent_boost", "best", "silhouette")]
    assert math.isnan(sil["mean"]) and sil["n"] == 0 and sil["n_expected"] == 3


def test_summary_lists_every_paper_cell_with_its_value(grid):
    spec, _, metrics, silhouettes = grid
    runs = runs_table(spec, run_files(spec["runs"], metrics, silhouettes))
    paper = read_latent_boost_tables()
    summary = summary_table(spec, runs, paper)
    keys = ["table", "dataset", "method", "lam", "metric"]
    merged = paper.merge(summary, on=keys, how="left", suffixes=("_paper", ""))
    assert len(merged) == len(paper) == 189
    assert (merged["paper_mean"] == merged["mean_paper"]).all()
    # the digits config ran none of them: not run, never a number
    assert (merged["n"] == 0).all() and (merged["n_expected"] == 0).all()
    assert merged["mean"].isna().all() and merged["diff"].isna().all()
    row = summary[
        (summary.table == "table4") & (summary.dataset == "cifar100") & (summary.metric == "epochs")
    ]
    assert list(row.method) == ["baseline", "magnet", "latent_boost", "latent_boost_no_pca"]


def test_diff_is_ours_minus_paper(grid, tmp_path):
    spec, _, metrics, silhouettes = grid
    runs = runs_table(spec, run_files(spec["runs"], metrics, silhouettes))
    paper = pd.DataFrame(
        [["table2", "digits", "magnet", "0.5", "accuracy", 58.5, 0.1]],
        columns=["table", "dataset", "method", "lam", "metric", "mean", "std"],
    )
    summary = summary_table(spec, runs, paper).set_index(["table", "method", "lam", "metric"])
    row = summary.loc[("table2", "magnet", "0.5", "accuracy")]
    assert row["diff"] == pytest.approx(1.5) and row["paper_std"] == pytest.approx(0.1)


def test_partial_leaves_missing_runs_out_and_never_invents(grid):
    spec, results, metrics, silhouettes = grid
    # seed 1 of magnet failed (only metrics.json written), seed 2 has no silhouette yet
    failed = results / "runs/digits/magnet/lambda0.5/seed1"
    (failed / "model.pt").unlink()
    (results / "runs/digits/magnet/lambda0.5/seed2/silhouette.json").unlink()
    files = run_files(spec["runs"], metrics, silhouettes)
    with pytest.raises(DataError, match="silhouette.json"):
        runs_table(spec, files)
    runs = runs_table(spec, files, allow_missing=True)
    assert len(runs) == 14
    summary = summary_table(spec, runs, read_latent_boost_tables())
    cell = summary.set_index(["table", "dataset", "method", "lam", "metric"])
    acc = cell.loc[("table2", "digits", "magnet", "0.5", "accuracy")]
    assert acc["n"] == 2 and acc["n_expected"] == 3 and acc["mean"] == pytest.approx(60.0)
    sil = cell.loc[("table5", "digits", "magnet", "best", "silhouette")]
    # the best trial (seed 2, 70 %) has no silhouette yet: empty, not seed 0's 0.3
    assert sil["n"] == 0 and math.isnan(sil["mean"]) and sil["n_expected"] == 3


def test_partial_with_nothing_done(tmp_path):
    spec = aggregation_spec(make_config())
    runs_csv, summary_csv = tmp_path / "t" / "runs.csv", tmp_path / "t" / "summary.csv"
    runs, summary = write_tables(
        spec, [], [], LATENT_BOOST_TABLES, runs_csv, summary_csv, allow_missing=True
    )
    assert runs.empty and list(pd.read_csv(runs_csv).columns) == list(RUNS_COLUMNS)
    configured = summary[summary.n_expected > 0]
    assert len(configured) > 0 and (configured.n == 0).all() and configured["mean"].isna().all()


def test_write_tables_round_trip(grid, tmp_path):
    spec, _, metrics, silhouettes = grid
    out = tmp_path / "tables"
    write_tables(spec, metrics, silhouettes, LATENT_BOOST_TABLES, out / "r.csv", out / "s.csv")
    summary = pd.read_csv(out / "s.csv", dtype={"lam": str})
    assert set(summary.lam) >= {"best", "0", "0.5", "0.25", "0.75"}
    assert summary.n.dtype.kind == "i"
    assert not list(out.glob(".*.tmp"))


def test_misplaced_metrics_file_is_an_error(grid):
    spec, results, metrics, silhouettes = grid
    path = results / "runs/digits/magnet/lambda0.5/seed0/metrics.json"
    data = json.loads(path.read_text())
    data["seed"] = 7
    path.write_text(json.dumps(data))
    with pytest.raises(DataError, match="seed is 7"):
        runs_table(spec, run_files(spec["runs"], metrics, silhouettes))


def test_unknown_and_corrupt_files(grid, tmp_path):
    spec, results, metrics, silhouettes = grid
    with pytest.raises(DataError, match="not the file of any run"):
        run_files(spec["runs"], [tmp_path / "runs/digits/magnet/lambda0.3/seed0/metrics.json"])
    metrics[0].write_text("{not json")
    with pytest.raises(DataError, match="unreadable"):
        runs_table(spec, run_files(spec["runs"], metrics, silhouettes))
