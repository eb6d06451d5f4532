"""Tables 2-5 and the ablation laid out from a hand-written summary (contract format)."""

import math

import pandas as pd

from lb.report import layout
from lb.report.layout import CellSource
from lb.tables import normalise_summary

NAN = math.nan


def summary(rows):
    cols = ["table", "dataset", "method", "lam", "metric", "mean", "std", "n", "n_expected",
            "paper_mean", "paper_std", "diff"]  # fmt: skip
    return normalise_summary(pd.DataFrame(rows, columns=cols))


ROWS = [
    # paper-only cells (not run here)
    ("table2", "fashion_mnist", "baseline", "0.0", "accuracy", NAN, NAN, 0, 0, 88.59, 0.15, NAN),
    ("table2", "fashion_mnist", "magnet", "0.75", "accuracy", NAN, NAN, 0, 0, 89.52, 0.34, NAN),
    ("table2", "fashion_mnist", "baseline", "0.0", "micro_f1", NAN, NAN, 0, 0, 0.8867, 0.002, NAN),
    # our digits cells
    ("table2", "digits", "baseline", "0", "accuracy", 95.0, 0.5, 2, 2, NAN, NAN, NAN),
    ("table2", "digits", "baseline", "0", "macro_f1", 0.94, 0.01, 2, 2, NAN, NAN, NAN),
    ("table2", "digits", "magnet", "0.5", "accuracy", 96.0, 0.2, 2, 2, NAN, NAN, NAN),
    ("table2", "digits", "magnet", "0.25", "accuracy", NAN, NAN, 0, 2, NAN, NAN, NAN),
    ("table3", "digits", "latent_boost", "0.5", "accuracy", 97.0, 0.1, 2, 2, NAN, NAN, NAN),
    ("table4", "digits", "baseline", "best", "accuracy", 95.0, 0.5, 2, 2, NAN, NAN, NAN),
    ("table4", "digits", "latent_boost", "best", "accuracy", 97.0, 0.1, 2, 2, NAN, NAN, NAN),
    ("table4", "fashion_mnist", "baseline", "best", "accuracy", NAN, NAN, 0, 0, 88.59, 0.15, NAN),
    (
        "table4",
        "fashion_mnist",
        "latent_boost",
        "best",
        "accuracy",
        NAN,
        NAN,
        0,
        0,
        90.86,
        0.21,
        NAN,
    ),  # fmt: skip
    ("table5", "digits", "baseline", "best", "silhouette", 0.30, NAN, 2, 2, NAN, NAN, NAN),
    ("table5", "digits", "latent_boost", "best", "silhouette", 0.36, NAN, 2, 2, NAN, NAN, NAN),
    (
        "ablation",
        "digits",
        "latent_boost_detached_var",
        "best",
        "accuracy",
        96.5,
        0.3,
        2,
        2,
        NAN,
        NAN,
        NAN,
    ),  # fmt: skip
]


def source(rows=ROWS):
    return CellSource(summary(rows))


def test_table2_rows_follow_the_paper_order_and_datasets_we_ran_come_first():
    t = layout.table2(source())
    assert [c["dataset"] for c in t["columns"]] == ["digits", "fashion_mnist"]
    assert [(r["group"], r["lam"]) for r in t["rows"]] == [
        ("Baseline", "0"), ("Magnet", "0.25"), (None, "0.5"), (None, "0.75"),
    ]  # fmt: skip
    # macro-F1 only for the dataset we ran (the paper has none)
    assert t["columns"][0]["keys"] == ["accuracy", "micro_f1", "macro_f1"]
    assert t["columns"][1]["keys"] == ["accuracy", "micro_f1"]
    baseline = t["rows"][0]["cells"]
    assert baseline[0].ours == "95.00 ± 0.50"
    assert baseline[1].status == "not_run"  # no summary row and nothing expected: not run
    assert baseline[3].ours == "not run" and baseline[3].paper == "88.59 ± 0.15"


def test_table2_as_one_block_per_dataset():
    t = layout.table2(source())
    assert t["metric_keys"] == ["accuracy", "micro_f1", "macro_f1"]
    assert [b["dataset"] for b in t["blocks"]] == ["digits", "fashion_mnist"]
    digits, fashion = t["blocks"]
    assert [(r["group"], r["lam"]) for r in fashion["rows"]] == [
        (r["group"], r["lam"]) for r in t["rows"]
    ]
    # the same cells as the wide layout, none lost: digits' 3 metrics, fashion's 2 (+ no macro-F1)
    for i, row in enumerate(t["rows"]):
        assert digits["rows"][i]["cells"] == row["cells"][:3]
        assert fashion["rows"][i]["cells"] == [*row["cells"][3:5], None]
    assert fashion["rows"][0]["cells"][0].paper == "88.59 ± 0.15"


def test_missing_and_not_run_cells_in_table2():
    t = layout.table2(source())
    magnet_025 = t["rows"][1]["cells"]
    assert magnet_025[0].status == "missing"  # digits: expected (n_expected=2), no result
    magnet_075 = t["rows"][3]["cells"]
    assert magnet_075[0].status == "not_run"  # digits at 0.75: no row, nothing expected
    assert magnet_075[3].paper == "89.52 ± 0.34"


def test_table4_improvement_is_computed_for_ours_and_the_paper():
    t = layout.table4(source())
    acc = {r["group"]: r for r in t["rows"] if r["metric_key"] == "accuracy"}
    assert acc["Digits (8×8)"]["improvement_ours"] == "+2.11%"  # (97 − 95) / 95
    assert acc["Fashion MNIST"]["improvement_paper"] == "+2.56%"  # (90.86 − 88.59) / 88.59
    assert acc["Fashion MNIST"]["improvement_ours"] == ""


def test_table5_and_ablation():
    t5 = layout.table5(source())
    digits = t5["rows"][0]
    assert digits["cells"][0].ours == "0.300" and digits["cells"][2].ours == "0.360"
    assert digits["improvement_ours"] == "+20.00%"
    ab = layout.ablation(source())
    assert [r["group"] for r in ab["rows"] if r["group"]] == ["Digits (8×8)"]
    acc = ab["rows"][0]
    assert [c.ours for c in acc["cells"]] == ["95.00 ± 0.50", "97.00 ± 0.10", "96.50 ± 0.30"]
    assert acc["improvement_ours"] == "−0.52%"  # detached vs LB


def test_the_summary_n_expected_decides_missing_and_not_run():
    src = source()
    assert src.cell("table2", "digits", "magnet", "0.25", "accuracy").status == "missing"
    assert src.cell("table2", "digits", "npair", "0.25", "accuracy").status == "not_run"
    assert src.n_expected("digits", "latent_boost", "best") == 2
    assert src.n_expected("digits", "npair", "best") == 0
