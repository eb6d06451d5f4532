"""Every report figure is written as a valid PNG, from data and from no data at all."""

import numpy as np
import pandas as pd
import pytest
from figures_synthetic import write_runs
from PIL import Image

from lb.figures import build, grad_norm, lambda_sweep, learning_curves, pca_dims
from lb.figures.figure3 import Panel, plot_figure3
from lb.figures.histories import HISTORY_COLUMNS, load_histories
from lb.figures.shown import CURVE_METHODS, GRAD_METHODS, PCA_METHODS
from lb.vocabulary import FIGURE_NAMES


def assert_png(path, min_width=100):
    with Image.open(path) as im:
        im.verify()
    with Image.open(path) as im:
        assert im.format == "PNG" and im.size[0] >= min_width and im.size[1] >= 100
        # not blank: more than one colour
        assert len(np.unique(np.asarray(im.convert("L")))) > 1


@pytest.fixture(scope="module")
def histories(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    runs = write_runs(root)
    return load_histories(runs, root)


def test_history_figures(histories, tmp_path):
    pca_dims.plot_pca_dims(pca_dims.pca_dim_table(histories), tmp_path / "pca.png")
    table = learning_curves.learning_curve_table(histories)
    learning_curves.plot_learning_curves(table, tmp_path / "curves.png")
    grad_norm.plot_grad_norm(histories, tmp_path / "grad.png")
    for name in ("pca", "curves", "grad"):
        assert_png(tmp_path / f"{name}.png")


def test_figures_without_any_runs(tmp_path):
    empty = pd.DataFrame(columns=["dataset", "method", "lam", "seed", *HISTORY_COLUMNS])
    pca_dims.plot_pca_dims(pca_dims.pca_dim_table(empty), tmp_path / "pca.png")
    learning_curves.plot_learning_curves(
        learning_curves.learning_curve_table(empty), tmp_path / "curves.png"
    )
    grad_norm.plot_grad_norm(empty, tmp_path / "grad.png")
    plot_figure3([], tmp_path / "f3.png")
    empty_summary = pd.DataFrame(columns=["table", "dataset", "method", "lam", "metric", "mean",
                                          "std", "n", "paper_mean", "paper_std"])  # fmt: skip
    lambda_sweep.plot_lambda_sweep(lambda_sweep.sweep_table(empty_summary), tmp_path / "sweep.png")
    for name in ("pca", "curves", "grad", "f3", "sweep"):
        assert_png(tmp_path / f"{name}.png")


def test_figure3_grid_marks_methods_not_run(tmp_path):
    rng = np.random.default_rng(0)
    panel = Panel("digits", "baseline", 0.0, 1, 93.5, rng.normal(size=(40, 2)), np.arange(40) % 4)
    plot_figure3([panel], tmp_path / "f3.png")
    assert_png(tmp_path / "f3.png", min_width=300)


def test_lambda_sweep_ours_and_paper(tmp_path):
    rows = []
    for lam, ours, paper in ((0.25, 90.0, 89.0), (0.5, 91.0, 90.5)):
        rows.append(("table2", "fashion_mnist", "magnet", f"{lam:g}", "accuracy", ours, 0.2, 3,
                     paper, 0.1))  # fmt: skip
        rows.append(("table3", "fashion_mnist", "latent_boost", f"{lam:g}", "accuracy", ours + 1,
                     0.2, 3, paper + 1, 0.1))  # fmt: skip
    rows.append(("table2", "fashion_mnist", "baseline", "0", "accuracy", 88.0, 0.3, 3, 88.6, 0.1))
    rows.append(("table2", "cifar10", "magnet", "0.5", "accuracy", np.nan, np.nan, 0, 87.0, 0.1))
    rows.append(("table4", "fashion_mnist", "latent_boost", "best", "accuracy", 91, 0.1, 3, 90, 0))
    summary = pd.DataFrame(rows, columns=["table", "dataset", "method", "lam", "metric", "mean",
                                          "std", "n", "paper_mean", "paper_std"])  # fmt: skip
    table = lambda_sweep.sweep_table(summary)
    assert set(table["dataset"]) == {"fashion_mnist"}  # cifar10 was not run
    assert len(table) == 5 and table["lam"].dtype == float
    lambda_sweep.plot_lambda_sweep(table, tmp_path / "sweep.png")
    assert_png(tmp_path / "sweep.png")


def test_make_all_writes_every_figure_and_its_data(tmp_path):
    runs = write_runs(tmp_path / "results")
    summary = pd.DataFrame(columns=["table", "dataset", "method", "lam", "metric", "mean", "std",
                                    "n", "paper_mean", "paper_std"])  # fmt: skip
    paths = build.make_all(summary, runs, tmp_path / "results", tmp_path / "figs")
    assert sorted(paths) == sorted(FIGURE_NAMES)
    for name, png in paths.items():
        assert_png(png)
        assert (tmp_path / "figs" / f"{name}.csv").is_file()
    # each figure shows its own methods (lb.figures.shown), whatever runs it is given
    shown = {"pca_dims": PCA_METHODS, "learning_curves": CURVE_METHODS, "grad_norm": GRAD_METHODS}
    for name, methods in shown.items():
        assert set(pd.read_csv(tmp_path / "figs" / f"{name}.csv")["method"]) == set(methods), name
    trials = pd.read_csv(tmp_path / "figs" / "figure3.csv")
    # best trial = highest accuracy: seed 1 for every method
    assert set(trials["method"]) == {"baseline", "magnet", "latent_boost"}
    assert set(trials["seed"]) == {1} and set(trials["n_points"]) == {30}


def test_make_figure_by_name_matches_make_all(tmp_path):
    """What a figure rule draws (one figure by name from its runs' files) is what make_all
    draws for that figure."""
    results = tmp_path / "results"
    runs = write_runs(results)
    summary = pd.DataFrame(columns=["table", "dataset", "method", "lam", "metric", "mean", "std",
                                    "n", "paper_mean", "paper_std"])  # fmt: skip
    build.make_all(summary, runs, results, tmp_path / "all")
    shown = runs[["dataset", "method", "lam", "seed", "run_dir"]].to_dict("records")
    for name in ("figure3", "pca_dims", "learning_curves", "grad_norm"):
        png, csv = tmp_path / f"{name}.png", tmp_path / f"{name}.csv"
        rows = build.make_figure(name, png, csv, results, shown)
        assert_png(png)
        assert csv.read_bytes() == (tmp_path / "all" / f"{name}.csv").read_bytes(), name
        assert rows == len(pd.read_csv(csv)), name
    with pytest.raises(ValueError, match="no figure 'figure9'"):
        build.make_figure("figure9", tmp_path / "x.png", tmp_path / "x.csv", results, shown)
