"""Which runs a figure shows: the Table 4 runs, the best trial, the history table."""

import json

import pandas as pd
import pytest
from figures_synthetic import write_runs

from lb.errors import DataError
from lb.figures.build import runs_from_metrics
from lb.figures.histories import load_histories, per_epoch_summary
from lb.figures.select import best_trials, check_runs


def runs_frame(rows):
    return pd.DataFrame(rows, columns=["dataset", "method", "lam", "seed", "accuracy", "run_dir"])


def test_best_trial_is_highest_accuracy_then_lowest_seed():
    runs = runs_frame([
        ("digits", "magnet", 0.5, 0, 91.0, "s0"), ("digits", "magnet", 0.5, 1, 92.0, "s1"),
        ("digits", "magnet", 0.5, 2, 92.0, "s2"), ("digits", "baseline", 0, 3, 80.0, "b3"),
    ])  # fmt: skip
    best = best_trials(runs).set_index("method")["run_dir"].to_dict()
    assert best == {"magnet": "s1", "baseline": "b3"}


def test_check_runs_names_the_missing_column():
    with pytest.raises(DataError, match=r"runs.csv: missing column\(s\) accuracy, run_dir"):
        check_runs(pd.DataFrame(columns=["dataset", "method", "lam", "seed"]))


def test_runs_from_metrics_and_histories(tmp_path):
    runs = write_runs(tmp_path, seeds=(0,))
    dicts = runs.drop(columns="accuracy").to_dict("records")
    table = runs_from_metrics(dicts, tmp_path)
    assert list(table["accuracy"]) == list(runs["accuracy"])
    hist = load_histories(table, tmp_path)
    assert len(hist) == 8 * len(runs) and {"dataset", "seed", "pca_dim"} <= set(hist.columns)
    stats = per_epoch_summary(hist, "pca_dim")
    assert set(stats["method"]) == {
        "latent_boost",
        "latent_boost_detached_var",
        "latent_boost_no_pca",
    }
    # a missing run: error naming the file, or skipped for a partial report
    (tmp_path / dicts[0]["run_dir"] / "metrics.json").unlink()
    (tmp_path / dicts[0]["run_dir"] / "history.csv").unlink()
    with pytest.raises(DataError, match="metrics.json: not found"):
        runs_from_metrics(dicts, tmp_path)
    assert len(runs_from_metrics(dicts, tmp_path, skip_missing=True)) == len(dicts) - 1
    with pytest.raises(DataError, match="history.csv: history missing"):
        load_histories(table, tmp_path)
    assert len(load_histories(table, tmp_path, skip_missing=True)) == 8 * (len(runs) - 1)
    (tmp_path / dicts[1]["run_dir"] / "metrics.json").write_text(json.dumps({"acc": 1}))
    with pytest.raises(DataError, match="no readable 'accuracy'"):
        runs_from_metrics(dicts[1:], tmp_path)
