"""The papers' vocabulary: lb.vocabulary (λ spelling, the Table-4 λ rule, names and orders)."""

from types import SimpleNamespace

import pytest

from lb.figures.shown import best_lambda_runs
from lb.vocabulary import (
    FIGURE_NAMES,
    FIGURE_TITLES,
    best_lambda_of,
    best_lambdas,
    dataset_order,
    format_lam,
    is_table4_run,
    method_order,
    table4_lambda,
)

CONFIG = {"experiments": {"digits": {"dataset": "digits", "model": "m", "best_lambda": 0.5}}}


@pytest.mark.parametrize(
    "lam, text",
    [(0.0, "0"), (0.5, "0.5"), (1.0, "1"), (0.25, "0.25"), (1e-5, "1e-05"), ("0.50", "0.5"),
     ("best", "best")],
)  # fmt: skip
def test_format_lam(lam, text):
    assert format_lam(lam) == text
    if text != "best":
        assert float(text) == float(lam)


def test_best_lambdas_from_the_config():
    assert best_lambdas(CONFIG) == {"digits": 0.5}
    assert best_lambdas({}) == {}


def test_table4_lambda_rule():
    assert best_lambda_of("baseline", 0.75) == 0.0
    assert best_lambda_of("magnet", 0.75) == 0.75
    assert table4_lambda("digits", "baseline", {}) == 0.0  # the baseline needs no best λ
    assert table4_lambda("digits", "magnet", {}) is None
    assert table4_lambda("digits", "magnet", {"digits": 0.5}) == 0.5
    assert is_table4_run("digits", "magnet", "0.5", {"digits": 0.5})
    assert not is_table4_run("digits", "magnet", 0.25, {"digits": 0.5})
    assert not is_table4_run("digits", "baseline", 0.5, {"digits": 0.5})


def test_the_config_runs_and_the_runs_table_select_alike():
    """rules/figures.smk (Run objects) and the report (a runs table) apply the same rule."""
    import pandas as pd

    from lb.tables import table4_runs

    rows = [("digits", "baseline", 0.0), ("digits", "magnet", 0.5), ("digits", "magnet", 0.25),
            ("mnist", "magnet", 0.5), ("mnist", "baseline", 0.0)]  # fmt: skip
    objects = [SimpleNamespace(dataset=d, method=m, lam=lam) for d, m, lam in rows]
    picked = [(r.dataset, r.method, r.lam) for r in best_lambda_runs(objects, {"digits": 0.5})]
    table = pd.DataFrame(
        [(d, m, lam, 0, 1.0, f"{d}/{m}/{lam}") for d, m, lam in rows],
        columns=["dataset", "method", "lam", "seed", "accuracy", "run_dir"],
    )
    kept = table4_runs(table, {"digits": 0.5})
    assert picked == list(zip(kept["dataset"], kept["method"], kept["lam"], strict=True))
    assert picked == [
        ("digits", "baseline", 0.0),
        ("digits", "magnet", 0.5),
        ("mnist", "baseline", 0.0),
    ]


def test_orders_and_figures():
    assert dataset_order(["digits", "cifar10", "fashion_mnist"]) == [
        "fashion_mnist",
        "cifar10",
        "digits",
    ]
    assert method_order(["zeta", "latent_boost", "baseline"]) == [
        "baseline",
        "latent_boost",
        "zeta",
    ]
    assert FIGURE_NAMES == tuple(FIGURE_TITLES) and "figure3" in FIGURE_NAMES


def test_vocabulary_is_a_leaf():
    """It imports nothing from lb (rules read it while Snakemake parses the workflow)."""
    import ast
    from pathlib import Path

    import lb.vocabulary

    tree = ast.parse(Path(lb.vocabulary.__file__).read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n == "lb" or n.startswith("lb.")]
