"""The report rules' entry points on synthetic workflow files: lb.report.build."""

import json
import shutil

import pandas as pd
import pytest
from matplotlib.figure import Figure
from report_synthetic import make_results

from lb.errors import DataError
from lb.figures.build import make_partial
from lb.report.build import (
    build_report,
    load_vae_context,
    paper_agreement,
    vae_images,
)
from lb.report.render import DEFAULT_TEMPLATE_DIR
from lb.vocabulary import best_lambdas


def build_partial_report(*, summary_csv, runs_csv, config, results_dir, **kwargs):
    """What rules figures_partial and render_report_partial do: the figures from the partial
    tables, then the report from those files."""
    out = results_dir / "figures" / "partial"
    figures = make_partial(summary_csv, runs_csv, best_lambdas(config), results_dir, out)
    data = {name: out / f"{name}.csv" for name in figures}
    return build_report(
        summary_csv=summary_csv, runs_csv=runs_csv, config=config, results_dir=results_dir,
        figures=figures, figure_data=data, partial=True, **kwargs,
    )  # fmt: skip


CONFIG = {"experiments": {"digits": {"dataset": "digits", "model": "m", "best_lambda": 0.5}}}


def test_partial_report_from_the_runs_complete_now(tmp_path):
    info = make_results(tmp_path, drop=3)
    # a complete run whose history is gone still counts in the tables but not in the figures
    runs = pd.read_csv(info["runs"])
    gone = runs[runs["method"] == "latent_boost"]["run_dir"].iloc[0]
    (tmp_path / gone / "history.csv").unlink()
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATE_DIR, templates)
    (templates / "_vae.html.j2").write_text(
        '<section id="vae">{% for n, im in vae_images | dictsort %}'
        '<img src="{{ im.src }}" alt="{{ n }}">{% endfor %}</section>'
    )
    fig = Figure(figsize=(2, 2), dpi=40)
    fig.add_subplot().plot([1, 2])
    (tmp_path / "vae").mkdir()
    fig.savefig(tmp_path / "vae" / "tsne.png")
    (tmp_path / "vae" / "vae_context.json").write_text(json.dumps({
        "dataset": "digits", "figures": {"tsne": "vae/tsne.png"},
        "seeds": [0, 1],
        "claims": {"agreement_case1": {"mean": 0.97, "std": 0.0141, "n": 2,
                                       "values": [0.96, 0.98], "paper": 0.9586}},
    }))  # fmt: skip
    out = tmp_path / "report" / "report_partial.html"
    html = build_partial_report(
        summary_csv=info["summary"], runs_csv=info["runs"], out_html=out, config=CONFIG,
        results_dir=tmp_path, expected_runs=info["expected"],
        vae_context=tmp_path / "vae" / "vae_context.json", template_dir=templates,
        config_name="configs/demo.yaml",
    )  # fmt: skip
    assert out.read_text(encoding="utf-8") == html
    assert "Partial report" in html and 'class="cell missing"' in html
    assert html.count("<img ") == 6  # five report figures + the VAE figure
    assert 'alt="tsne"' in html
    assert "case 1 = 0.9700 ± 0.0141 (n=2)" in html
    assert "configs/demo.yaml" in html


def test_vae_context_errors(tmp_path):
    assert load_vae_context(None) is None and load_vae_context("") is None
    with pytest.raises(DataError, match="vae_context.json: not found"):
        load_vae_context(tmp_path / "vae_context.json")
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(DataError, match="expected a JSON object"):
        load_vae_context(tmp_path / "bad.json")
    with pytest.raises(DataError, match="figure not readable"):
        vae_images({"figures": {"x": "nope.png"}}, tmp_path)


def test_paper_agreement_from_the_published_table(tmp_path):
    path = tmp_path / "tvae_agreement.csv"
    pd.DataFrame({"case": [1, 2], "description": ["a", "b"], "fraction": [0.9586, 0.003]}).to_csv(
        path, index=False
    )
    assert paper_agreement(path) == {1: 0.9586, 2: 0.003}
    assert paper_agreement(tmp_path / "absent.csv") is None


def test_partial_report_before_any_run_finished(tmp_path):
    info = make_results(tmp_path)
    pd.read_csv(info["runs"]).iloc[:0].to_csv(info["runs"], index=False)
    summary = pd.read_csv(info["summary"])
    for column in ("mean", "std", "diff"):
        summary[column] = float("nan")
    summary["n"] = 0
    summary.to_csv(info["summary"], index=False)
    html = build_partial_report(
        summary_csv=info["summary"], runs_csv=info["runs"], out_html=tmp_path / "r.html",
        config=CONFIG, results_dir=tmp_path, expected_runs=info["expected"],
    )  # fmt: skip
    assert "Runs: 0 finished of 27 expected" in html
    assert html.count('class="cell missing"') > 20 and 'class="cell ok"' not in html
    assert "27 expected run(s) without results" in html


def test_max_epochs_by_dataset_with_an_experiment_override():
    from lb.report.build import max_epochs_by_dataset

    config = {
        "training": {"max_epochs": 12},
        "experiments": {
            "a": {"dataset": "digits", "model": "m", "best_lambda": 0.5},
            "b": {"dataset": "mnist", "model": "m", "best_lambda": 0.5,
                  "training": {"max_epochs": 30}},
        },
    }  # fmt: skip
    assert max_epochs_by_dataset(config) == {"digits": 12, "mnist": 30}
    assert max_epochs_by_dataset({}) == {}


def test_runs_whose_weights_come_from_the_warm_up_are_listed(tmp_path):
    from lb.report.context import warmup_best_runs

    info = make_results(tmp_path, drop=0)
    runs = pd.read_csv(info["runs"])
    assert warmup_best_runs(runs, {"digits": 5}) == []  # every synthetic run's best epoch is 20
    collapsed = runs.index[runs["method"] == "latent_boost"][0]
    baseline = runs.index[runs["method"] == "baseline"][0]
    runs.loc[[collapsed, baseline], "best_epoch"] = 5  # the baseline has no distance term
    runs.to_csv(info["runs"], index=False)
    listed = warmup_best_runs(runs, {"digits": 5})
    assert listed == [f"{runs.loc[collapsed, 'run_dir']}: best epoch 5 of "
                      f"{runs.loc[collapsed, 'epochs']}"]  # fmt: skip
    assert warmup_best_runs(runs, {"digits": 4}) == [] and warmup_best_runs(runs, None) == []
    config = {**CONFIG, "training": {"warmup_epochs": 5}}
    html = build_partial_report(
        summary_csv=info["summary"], runs_csv=info["runs"], out_html=tmp_path / "r.html",
        config=config, results_dir=tmp_path, expected_runs=info["expected"],
    )  # fmt: skip
    assert 'id="warmup-best"' in html and listed[0] in html
    assert "within the cross-entropy warm-up (epochs &le; 5)" in html
