"""A sensitivity run's Latent Boost against the main run's baseline and Latent Boost: paired by
seed, the numbers from scipy.stats directly, Holm over the four tests, one-line errors."""

import subprocess
import sys

import pandas as pd
import pytest
from scipy import stats

from lb.errors import DataError
from lb.report.claim_row import CLAIM_COLUMNS
from lb.report.sensitivity import NAMES, sensitivity_table
from lb.stats import holm

BASE = {
    "baseline": {"accuracy": [90.7, 90.4, 90.6], "silhouette": [0.18, 0.17, 0.19],
                 "epochs": [121, 83, 84]},
    "latent_boost": {"accuracy": [90.9, 90.4, 90.7], "silhouette": [0.19, 0.19, 0.20],
                     "epochs": [95, 96, 133]},
}  # fmt: skip
VARIANT = {
    "accuracy": [91.4, 90.9, 91.3],
    "silhouette": [0.25, 0.22, 0.27],
    "epochs": [100, 62, 66],
}


def runs_csv(path, methods, dataset="fashion_mnist", seeds=(0, 1, 2)):
    rows = []
    for method, columns in methods.items():
        for i, seed in enumerate(seeds):
            row = {"dataset": dataset, "method": method, "seed": seed}
            row["lam"] = 0.0 if method == "baseline" else 0.75
            row |= {k: v[i] for k, v in columns.items()}
            rows.append(row)
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture
def files(tmp_path):
    base = runs_csv(tmp_path / "base.csv", BASE)
    variant = runs_csv(tmp_path / "variant.csv", {"latent_boost": VARIANT})
    return base, variant


def test_paired_by_seed_with_scipy_and_holm(files):
    table = sensitivity_table(*files, "E_total = 150")
    assert list(table.columns) == list(CLAIM_COLUMNS)
    assert list(table.claim) == ["a", "b", "c", "setting"]
    expected = []
    for metric, reference in (("accuracy", "baseline"), ("silhouette", "baseline"),
                              ("epochs", "baseline"), ("accuracy", "latent_boost")):  # fmt: skip
        res = stats.ttest_rel(VARIANT[metric], BASE[reference][metric])
        expected.append((metric, reference, res, res.confidence_interval(0.95)))
    for (metric, reference, res, ci), (_, row) in zip(expected, table.iterrows(), strict=True):
        assert row.measure == f"{metric}: LB (E_total = 150) vs {NAMES[reference]}"
        assert row.test == "paired t" and str(row.n) == "3"
        assert (row.ci_low, row.ci_high, row.p_value) == pytest.approx(
            (ci.low, ci.high, res.pvalue)
        )
    assert list(table.p_holm) == pytest.approx(holm([e[2].pvalue for e in expected]))
    # the variant is above the baseline in accuracy and silhouette in every seed, and trains
    # fewer epochs: (a) and (b) held, (c) held (claimed below 0)
    assert list(table.verdict[:3]) == ["held", "held", "held"]
    assert table.scope.unique().tolist() == ["Fashion MNIST"]


def test_the_command_writes_csv_and_markdown(files, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "lb.report.sensitivity", "--base", str(files[0]), "--variant",
           str(files[1]), "--label", "E_total = 150", "--out", str(out)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (out / "sensitivity.md").read_text() == proc.stdout
    assert proc.stdout.count("\n| ") == 4 and "LB (E_total = 150)" in proc.stdout
    assert len(pd.read_csv(out / "sensitivity.csv")) == 4


@pytest.mark.parametrize(
    ("variant_methods", "seeds", "message"),
    [
        ({"baseline": BASE["baseline"]}, (0, 1, 2), "no latent_boost runs"),
        ({"latent_boost": VARIANT}, (0, 1, 3), r"seeds \[3\] have no baseline"),
    ],
)
def test_bad_input_is_refused_naming_the_file(tmp_path, files, variant_methods, seeds, message):
    variant = runs_csv(tmp_path / "v.csv", variant_methods, seeds=seeds)
    with pytest.raises(DataError, match=message) as err:
        sensitivity_table(files[0], variant, "x")
    assert str(variant) in str(err.value)


def test_two_datasets_are_refused(tmp_path, files):
    variant = runs_csv(tmp_path / "v.csv", {"latent_boost": VARIANT}, dataset="cifar10")
    with pytest.raises(DataError, match="compare one dataset"):
        sensitivity_table(files[0], variant, "x")


def test_the_command_fails_in_one_line(tmp_path, files):
    cmd = [sys.executable, "-m", "lb.report.sensitivity", "--base", str(tmp_path / "none.csv"),
           "--variant", str(files[1]), "--label", "x"]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "none.csv: cannot read" in proc.stderr


def test_pairs_over_the_sensitivity_runs_seeds_when_the_main_run_has_more(tmp_path, files):
    """A main run with seeds 0-2 against a sensitivity row of seeds 0-1: n = 2, seed 2 left out."""
    two = {k: v[:2] for k, v in VARIANT.items()}
    variant = runs_csv(tmp_path / "v.csv", {"latent_boost": two}, seeds=(0, 1))
    table = sensitivity_table(files[0], variant, "x")
    res = stats.ttest_rel(two["accuracy"], BASE["baseline"]["accuracy"][:2])
    a = table[table.claim == "a"].iloc[0]
    assert str(a.n) == "2" and a.p_value == pytest.approx(res.pvalue)
