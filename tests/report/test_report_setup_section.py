"""The report's "Setup" section, lb.report.setup_section: our settings beside the papers'."""

from pathlib import Path

import pytest
from report_synthetic import make_results

from lb.report import setup_section
from lb.report.context import build_context
from lb.report.provenance import collect
from lb.report.render import render_report
from lb.tables import read_runs, read_summary
from lb.workflow.config import load_config

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_root(tmp_path, monkeypatch):
    monkeypatch.setenv("LB_DATA_ROOT", str(tmp_path))
    return tmp_path


def by_setting(rows):
    return {(r["study"], r["setting"]): r for r in rows}


def test_the_full_grid_matches_the_paper_where_the_paper_gives_a_value(data_root):
    rows = by_setting(setup_section.setup_rows(load_config(REPO / "config.yaml"), ["cuda"]))
    lb = "Latent Boost"
    assert rows[(lb, "seeds per setting")]["differs"] is False
    assert rows[(lb, "early stopping patience (validation accuracy)")]["differs"] is False
    assert rows[(lb, "learning-rate plateau: factor, patience")]["differs"] is False
    for dataset in ("Fashion MNIST", "CIFAR-10", "CIFAR-100"):
        assert rows[(lb, f"{dataset}: model, Table 4 λ")]["differs"] is False
    assert rows[(lb, "hardware")]["ours"] == "cuda"
    assert rows[(lb, "batch size")]["differs"] is None  # the paper gives none
    assert rows[("triplet VAE", "data")]["differs"] is False


def test_the_cpu_slice_says_what_differs(data_root):
    rows = by_setting(setup_section.setup_rows(load_config(REPO / "configs" / "cpu.yaml"), ["cpu"]))
    lb = "Latent Boost"
    assert rows[(lb, "seeds per setting")] == {
        "study": lb, "setting": "seeds per setting", "ours": "3 (0, 1, 2)", "paper": "5",
        "differs": True,
    }  # fmt: skip
    patience = rows[(lb, "early stopping patience (validation accuracy)")]
    assert (patience["ours"], patience["paper"], patience["differs"]) == ("3", "20", True)
    assert rows[(lb, "epochs")]["ours"] == "at most 12"
    e_total = rows[(lb, "E_total of Eq 10 (schedule of α, β)")]
    assert e_total["ours"] == "12 = max_epochs (reading (i): the run's maximum number of epochs)"
    assert "conventional training period" in e_total["paper"] and e_total["differs"] is None
    assert rows[(lb, "precision (network forward)")]["ours"] == "fp32"
    assert rows[(lb, "cross-entropy-only warm-up epochs")]["ours"] == "1"
    assert rows[(lb, "Fashion MNIST: model, Table 4 λ")]["differs"] is False
    assert not any(study == lb and "CIFAR" in setting for study, setting in rows)
    vae = rows[("triplet VAE", "CNN under test: model, epochs")]
    assert vae["ours"] == "fashion_cnn, 3"


def test_the_paper_fashion_mnist_run_states_e_total_reading_and_precision(data_root):
    rows = by_setting(setup_section.setup_rows(load_config(REPO / "configs" / "paper_fmnist.yaml")))
    lb = "Latent Boost"
    e_total = rows[(lb, "E_total of Eq 10 (schedule of α, β)")]["ours"]
    assert e_total.startswith("40 (reading (ii): the length of a conventional")
    assert "max_epochs 150" in e_total and "“after the first 20% of the conventional" in e_total
    assert rows[(lb, "precision (network forward)")]["ours"] == "fp32"
    assert rows[(lb, "epochs")]["ours"] == "at most 150"
    assert rows[(lb, "seeds per setting")]["differs"] is False
    assert rows[(lb, "early stopping patience (validation accuracy)")]["differs"] is False
    assert not any(study == "triplet VAE" for study, _ in rows)


def test_settings_that_differ_between_experiments_are_listed_per_dataset(data_root):
    config = load_config(REPO / "config.yaml")
    config["experiments"]["cifar10"]["training"] = {"precision": "bf16", "max_epochs": 80}
    config["losses"]["latent_boost"]["e_total"] = None
    rows = by_setting(setup_section.setup_rows(config))
    precision = rows[("Latent Boost", "precision (network forward)")]["ours"]
    assert precision == "Fashion MNIST: fp32; CIFAR-10: bf16; CIFAR-100: fp32"
    e_total = rows[("Latent Boost", "E_total of Eq 10 (schedule of α, β)")]["ours"]
    assert e_total.startswith("Fashion MNIST: 150 = max_epochs") and "CIFAR-10: 80 = max" in e_total


def test_a_dataset_outside_the_paper_and_no_vae(data_root):
    config = load_config(REPO / "configs" / "test.yaml")
    config["vae"]["enabled"] = False
    rows = setup_section.setup_rows(config)
    digits = [r for r in rows if r["setting"].startswith("Digits")]
    assert [(r["paper"], r["differs"]) for r in digits] == [("not in the paper", None)]
    assert not any(r["study"] == "triplet VAE" for r in rows)
    assert by_setting(rows)[("Latent Boost", "hardware")]["ours"] == "—"


def test_the_section_is_rendered_with_each_row(tmp_path, data_root):
    info = make_results(tmp_path)
    rows = setup_section.setup_rows(load_config(REPO / "configs" / "cpu.yaml"), ["cpu"])
    summary, runs = read_summary(info["summary"]), read_runs(info["runs"])
    context = build_context(summary, runs, {}, collect(None), setup=rows, partial=True)
    html = render_report(context, tmp_path / "report.html")
    start = html.index('<section id="setup">')
    section = html[start : html.index("</section>", start)]
    assert section.count("<tr>") == len(rows) + 1  # header + one per row
    assert section.count('class="tag differs"') == sum(bool(r["differs"]) for r in rows)
    assert "at most 12" in section and "12 = max_epochs (reading (i)" in section
    assert 'href="#setup"' in html
