"""The whole study on a small slice of digits (lb.tvae.study, figures, context, the report partial).

One module-scoped run (CNN, triplet VAE, vanilla VAE, analysis, figures, context) shared by the
tests; a second analysis of the same inputs checks determinism.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lb.tvae import context, figures, study
from lb.tvae.config import check_vae_config

CFG = check_vae_config(
    {
        "dataset": "digits",
        "epochs": 4,
        "cnn_epochs": 3,
        "batch_size": 64,
        "latent_dim": 8,
        "train_limit": 400,
        "test_limit": 150,
        "traversal_steps": 6,
        "top_k": 2,
        "n_examples": 2,
        "tsne_points": 60,
        "seed": 0,
    }
)
DATA = study.DataOptions()
QUIET = lambda line: None  # noqa: E731
REPO = Path(__file__).resolve().parents[2]
PAPER = REPO / "report" / "published" / "tvae_agreement.csv"
if not PAPER.exists():  # the shared copy beside the project
    PAPER = REPO.parent / "shared" / "paper" / "tvae_agreement.csv"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("results") / "vae"  # RESULTS/vae, like the workflow
    study.train_cnn(CFG, 0, root / "cnn", root / "ckpt" / "cnn.pt", DATA, log=QUIET, num_threads=1)
    for kind in study.KINDS:
        study.train_study_vae(CFG, kind, 0, root / kind, DATA, log=QUIET)
    dirs = [root / "cnn", root / "triplet", root / "vanilla"]
    summary = study.analyse(CFG, 0, *dirs, root / "analysis", DATA, log=QUIET)
    info = figures.make_figures(
        root / "analysis", root / "triplet", root / "vanilla", root / "figures"
    )
    ctx = context.build_context(
        CFG,
        [root / "analysis" / "summary.json"],
        {k: [root / k / "metrics.json"] for k in ("cnn", "triplet", "vanilla")},
        root / "figures" / "figures.json",
        PAPER,
        root.parent,
        root / "vae_context.json",
        root / "agreement.csv",
    )
    return {"root": root, "summary": summary, "info": info, "context": ctx, "dirs": dirs}


def test_the_five_cases_partition_the_test_set(run):
    root = run["root"]
    pred = np.load(root / "analysis" / "predictions.npz")
    table = pd.read_csv(root / "analysis" / "agreement.csv")
    n = len(pred["label"])
    assert n == run["summary"]["n_test"] == table["count"].sum()
    assert table["fraction"].sum() == pytest.approx(1.0)
    y, c, s = pred["label"], pred["cnn_pred"], pred["svm_pred"]
    assert table.set_index("case")["count"][1] == np.sum((s == c) & (c == y))
    assert np.all(pred["svm_proba"].sum(axis=1) == pytest.approx(1.0))
    assert np.array_equal(pred["svm_pred"], pred["svm_proba"].argmax(axis=1))


def test_disagreements_have_top_k_answers_from_the_averaged_probabilities(run):
    root = run["root"]
    pred = np.load(root / "analysis" / "predictions.npz")
    dis = pd.read_csv(root / "analysis" / "disagreements.csv")
    assert np.array_equal(dis["index"], np.flatnonzero(pred["cnn_pred"] != pred["svm_pred"]))
    avg = (pred["cnn_proba"] + pred["svm_proba"]) / 2
    for r in dis.itertuples():
        assert r.top1 == np.argmax(avg[r.index]) and r.top1_prob == pytest.approx(
            avg[r.index].max()
        )
        assert r.top1_prob >= r.top2_prob


def test_traversal_moment_is_where_both_predict_the_target(run):
    ex = np.load(run["root"] / "analysis" / "examples.npz")
    assert len(ex["index"]) == min(2, run["summary"]["n_disagreeing"])
    for method in ("nearest", "normal"):
        svm, cnn, moment = ex[f"{method}_svm"], ex[f"{method}_cnn"], ex[f"{method}_moment"]
        for e in range(len(ex["index"])):
            for r in range(ex["targets"].shape[1]):
                both = (svm[e, r] == ex["targets"][e, r]) & (cnn[e, r] == ex["targets"][e, r])
                m = moment[e, r]
                if m >= 0:
                    assert both[m] and not both[:m].any()
                else:
                    assert not both.any()
    table = pd.read_csv(run["root"] / "analysis" / "traversals.csv")
    assert len(table) == 2 * 2 * run["summary"]["n_disagreeing"]
    assert set(table.loc[~table["reached"], "moment"]) <= {-1}


def test_analysis_is_deterministic(run, tmp_path):
    again = study.analyse(CFG, 0, *run["dirs"], tmp_path, DATA, log=QUIET)
    first = dict(run["summary"])
    for s in (first, again):
        s.pop("seconds")
        for kind in ("triplet", "vanilla"):
            s["separation"][kind].pop("svm_seconds")
    assert again == first
    a = np.load(run["root"] / "analysis" / "predictions.npz")
    b = np.load(tmp_path / "predictions.npz")
    for key in a.files:
        assert np.array_equal(a[key], b[key]), key


def test_retraining_gives_the_same_latents(run, tmp_path):
    study.train_study_vae(CFG, "triplet", 0, tmp_path, DATA, log=QUIET)
    a = study.load_latents(run["root"] / "triplet")
    b = study.load_latents(tmp_path)
    assert np.array_equal(a["test_mu"], b["test_mu"])


def test_context_claims_are_computed_from_the_numbers(run):
    ctx = run["context"]
    sep = run["summary"]["separation"]
    # the numbers only: the verdicts are lb.report.claims'
    assert not {"f", "g"} & set(ctx["claims"])
    case1 = run["summary"]["agreement"]["1"]
    assert ctx["claims"]["agreement_case1"]["mean"] == case1
    assert ctx["claims"]["agreement_case1"]["values"] == [case1]
    assert ctx["claims"]["svm_accuracy"]["triplet"]["mean"] == pytest.approx(
        100 * sep["triplet"]["svm_accuracy"]
    )
    on_disk = json.loads((run["root"] / "vae_context.json").read_text())
    assert on_disk["figures"]["tsne"] == "vae/figures/tsne.png"
    for rel in on_disk["figures"].values():
        assert (run["root"].parent / rel).is_file()
    assert [r["case"] for r in on_disk["agreement"]] == [1, 2, 3, 4, 5]


def test_the_report_partial_renders_with_the_figures(run):
    import pandas as pd

    from lb.report.build import vae_images
    from lb.report.claims import evaluate_claims
    from lb.report.expected import Expectation
    from lb.report.layout import CellSource
    from lb.report.render import make_environment

    ctx = json.loads((run["root"] / "vae_context.json").read_text())
    images = vae_images(ctx, run["root"].parent)
    no_tables = CellSource(pd.DataFrame(columns=["table", "dataset", "method", "lam", "metric"]),
                           Expectation(None, None))  # fmt: skip
    claims = evaluate_claims(no_tables, vae=ctx)
    html = (
        make_environment()
        .get_template("_vae.html.j2")
        .render(vae=ctx, vae_images=images, claims=claims)
    )
    assert html.count("data:image/png;base64,") == 4
    assert 'id="vae"' in html and "Table 1" in html
    assert f"{ctx['agreement'][0]['mean']:.4f}" in html
