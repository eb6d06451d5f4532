"""lb.tvae.context on the digits study of conftest.py: the report's context and partial."""

import json

import pytest


def test_context_claims_are_computed_from_the_numbers(study):
    ctx = study["context"]
    sep = study["summary"]["separation"]
    # the numbers only: the verdicts are lb.report.claims'
    assert not {"f", "g"} & set(ctx["claims"])
    case1 = study["summary"]["agreement"]["1"]
    assert ctx["claims"]["agreement_case1"]["mean"] == case1
    assert ctx["claims"]["agreement_case1"]["values"] == [case1]
    assert ctx["claims"]["svm_accuracy"]["triplet"]["mean"] == pytest.approx(
        100 * sep["triplet"]["svm_accuracy"]
    )
    on_disk = json.loads((study["root"] / "vae_context.json").read_text())
    assert on_disk["figures"]["tsne"] == "vae/figures/tsne.png"
    for rel in on_disk["figures"].values():
        assert (study["root"].parent / rel).is_file()
    assert [r["case"] for r in on_disk["agreement"]] == [1, 2, 3, 4, 5]
    assert on_disk["settings"]["seeds"] == [0] and on_disk["settings"]["hidden"] == [128, 64]


def test_the_report_partial_renders_with_the_figures(study):
    import pandas as pd

    from lb.report.build import vae_images
    from lb.report.claims import evaluate_claims
    from lb.report.layout import CellSource
    from lb.report.render import make_environment

    ctx = json.loads((study["root"] / "vae_context.json").read_text())
    images = vae_images(ctx, study["root"].parent)
    no_tables = CellSource(pd.DataFrame(columns=["table", "dataset", "method", "lam", "metric"]))
    claims = evaluate_claims(no_tables, vae=ctx)
    html = (
        make_environment()
        .get_template("_vae.html.j2")
        .render(vae=ctx, vae_images=images, claims=claims)
    )
    assert html.count("data:image/png;base64,") == 4
    assert 'id="vae"' in html and "Table 1" in html
    assert f"{ctx['agreement'][0]['mean']:.4f}" in html
