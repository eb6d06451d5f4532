"""The tidy tables' columns and their checked reader and writer: lb.tables."""

import pandas as pd
import pytest

from lb.errors import DataError
from lb.tables import (
    RUNS_COLUMNS,
    SUMMARY_COLUMNS,
    read_runs,
    read_summary,
    require_columns,
    table4_runs,
    write_runs,
    write_summary,
)


def summary_row(**overrides):
    row = {"table": "table4", "dataset": "digits", "method": "magnet", "lam": "best",
           "metric": "accuracy", "mean": 95.0, "std": 0.5, "n": 2, "n_expected": 3,
           "paper_mean": None, "paper_std": None, "diff": None}  # fmt: skip
    return row | overrides


def test_bad_summary_names_file_and_column(tmp_path):
    path = tmp_path / "summary.csv"
    pd.DataFrame({"table": ["table2"], "dataset": ["digits"]}).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"summary.csv: missing column\(s\) method, lam"):
        read_summary(path)
    with pytest.raises(DataError, match="not found"):
        read_summary(tmp_path / "nope.csv")


def test_a_summary_without_n_expected_is_refused_in_one_line(tmp_path):
    path = tmp_path / "summary.csv"
    pd.DataFrame([summary_row()]).drop(columns="n_expected").to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        read_summary(path)
    assert str(err.value).count("\n") == 0
    assert f"{path}: missing column(s) n_expected" in str(err.value)


def test_summary_round_trip_types_and_order(tmp_path):
    path = tmp_path / "summary.csv"
    shuffled = pd.DataFrame([summary_row(lam="0.50", table="table2")])[
        list(reversed(SUMMARY_COLUMNS))
    ]
    write_summary(shuffled, path)
    assert list(pd.read_csv(path).columns) == list(SUMMARY_COLUMNS)
    back = read_summary(path)
    assert back.loc[0, "lam"] == "0.5" and back.loc[0, "n_expected"] == 3
    assert back["n"].dtype.kind == "i" and back["n_expected"].dtype.kind == "i"


def test_runs_writer_refuses_a_table_without_its_columns(tmp_path):
    with pytest.raises(DataError, match=r"runs table: missing column\(s\) .*run_dir"):
        write_runs(pd.DataFrame({"dataset": ["digits"]}), tmp_path / "runs.csv")
    assert not (tmp_path / "runs.csv").exists()
    row = dict.fromkeys(RUNS_COLUMNS, 1) | {"lam": "0.5", "device": "cpu", "run_dir": "r"}
    write_runs(pd.DataFrame([row]), tmp_path / "runs.csv")
    assert read_runs(tmp_path / "runs.csv").loc[0, "lam"] == 0.5


def test_require_columns_names_source_and_fix():
    df = pd.DataFrame({"a": [1]})
    assert require_columns(df, ["a"], "x.csv") is df
    with pytest.raises(DataError, match=r"^x.csv: missing column\(s\) b, c; do this$"):
        require_columns(df, ["a", "b", "c"], "x.csv", fix="do this")


def runs_frame(rows):
    return pd.DataFrame(rows, columns=["dataset", "method", "lam", "seed", "accuracy", "run_dir"])


def test_table4_runs_keep_baseline_and_best_lambda():
    runs = runs_frame([
        ("digits", "baseline", "0", 0, 90, "a"), ("digits", "magnet", "0.5", 0, 91, "b"),
        ("digits", "magnet", "0.25", 0, 92, "c"), ("mnist", "magnet", "0.5", 0, 93, "d"),
    ])  # fmt: skip
    kept = table4_runs(runs, {"digits": 0.5})
    assert list(kept["run_dir"]) == ["a", "b"]  # mnist has no best λ: only a baseline would stay
