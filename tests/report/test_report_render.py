"""The HTML report rendered from synthetic workflow files: ours beside the paper's numbers,
"not run" / "missing" cells, escaping, strictness, the optional VAE section, self-containment."""

import base64
import re
import shutil

import jinja2
import pandas as pd
import pytest
from report_synthetic import make_results, render_synthetic

from lb.errors import DataError
from lb.report import provenance
from lb.report.context import build_context, micro_f1_note
from lb.report.render import DEFAULT_TEMPLATE_DIR, render_html
from lb.tables import read_runs, read_summary

IMG_SRC = re.compile(r'<img src="([^"]*)"')


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    out = render_synthetic(tmp_path_factory.mktemp("full"))
    return out, out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    out = render_synthetic(tmp_path_factory.mktemp("partial"), partial=True)
    return out, out.read_text(encoding="utf-8")


def test_tables_2_to_5_and_sections_present(full):
    _, html = full
    for anchor in ("table2", "table3", "table4", "table5", "ablation", "claims", "beyond",
                   "figure3", "pca_dims", "learning_curves", "lambda_sweep", "grad_norm",
                   "provenance"):  # fmt: skip
        assert f'id="{anchor}"' in html, anchor
    assert "Partial report" not in html
    assert 'class="cell missing"' not in html
    # our verdicts: nothing missing (the paper's side may be: it gives no numbers for (d), (g))
    assert '<td class="ours-verdict"><span class="verdict missing">' not in html


def test_our_values_come_from_the_runs_and_sit_beside_the_papers(full):
    out, html = full
    runs = pd.read_csv(out.parents[1] / "tables" / "runs.csv")
    base = runs[(runs["method"] == "baseline")]["accuracy"]
    ours = f"{base.mean():.2f} ± {base.std(ddof=1):.2f}"
    assert ours in html
    summary = pd.read_csv(out.parents[1] / "tables" / "summary.csv")
    paper = summary[
        (summary["table"] == "table4")
        & (summary["dataset"] == "cifar10")
        & (summary["method"] == "latent_boost")
        & (summary["metric"] == "accuracy")
    ]
    assert f"paper {paper['paper_mean'].iloc[0]:.2f} ± {paper['paper_std'].iloc[0]:.2f}" in html
    assert "not run" in html  # the paper's datasets were not run by this config


def test_micro_f1_equals_accuracy_sentence(full):
    _, html = full
    assert "Micro-F1 equals accuracy" in html
    assert "largest\n|accuracy − 100·micro-F1| is 0.0000 percentage points" in html


def test_report_is_self_contained(full):
    _, html = full
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    sources = IMG_SRC.findall(html)
    assert len(sources) == 5
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")


def test_provenance_footer(full):
    _, html = full
    footer = html[html.index('<footer id="provenance">') :]
    assert re.search(r"[0-9a-f]{40}(\+dirty)?|unknown", footer)
    assert provenance.config_hash({"demo": True})[:12] in footer
    assert "torch 2." in footer and "UTC" in footer


def test_partial_report_marks_missing_cells(partial):
    _, html = partial
    assert "Partial report" in html
    assert 'class="cell missing"' in html  # latent_boost λ=0.25: expected, no run finished
    assert "n=2 of 3" in html  # magnet: one seed of three missing
    assert "runs/digits/latent_boost/lambda0.25/seed0" in html  # listed as missing


def test_autoescape_of_names_from_the_results(tmp_path):
    info = make_results(tmp_path)
    summary, runs = read_summary(info["summary"]), read_runs(info["runs"])
    evil = '<script>alert("x")</script>'
    summary["dataset"] = summary["dataset"].replace("digits", evil)
    runs["dataset"] = runs["dataset"].replace("digits", evil)
    ctx = build_context(summary, runs, {}, provenance.collect(None), partial=True,
                        config_name=evil)  # fmt: skip
    html = render_html(ctx)
    assert evil not in html and "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_strict_undefined_fails_loudly(tmp_path):
    info = make_results(tmp_path)
    ctx = build_context(read_summary(info["summary"]), read_runs(info["runs"]), {},
                        provenance.collect(None), partial=True)  # fmt: skip
    del ctx["claims"]
    with pytest.raises(jinja2.UndefinedError):
        render_html(ctx)


def test_missing_figure_is_an_error_unless_partial(tmp_path):
    info = make_results(tmp_path)
    args = (read_summary(info["summary"]), read_runs(info["runs"]), {}, provenance.collect(None))
    with pytest.raises(DataError, match="figure missing; run its figure rule first"):
        build_context(*args)
    made_by = {"figure3": {"rule": "draw_it", "script": "scripts/draw.py"}}
    with pytest.raises(DataError, match="figure missing; run rule draw_it first"):
        build_context(*args, made_by=made_by)
    html = render_html(build_context(*args, partial=True))
    assert "missing (its rule has not produced it yet)" in html
    assert "Made by rule" not in html  # the library names no rule of its own
    assert "Rendered by rule" not in html
    made_by["report"] = {"rule": "render_it", "script": "scripts/render.py"}
    html = render_html(build_context(*args, partial=True, made_by=made_by))
    assert "Made by rule <code>draw_it</code> (<code>scripts/draw.py</code>)" in html
    assert "Rendered by rule <code>render_it</code> (<code>scripts/render.py</code>)" in html


def test_vae_section_with_and_without_its_template(tmp_path):
    info = make_results(tmp_path)
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATE_DIR, templates)
    (templates / "_vae.html.j2").unlink(missing_ok=True)
    vae = {"dataset": "mnist", "claims": {}}
    ctx = build_context(read_summary(info["summary"]), read_runs(info["runs"]), {},
                        provenance.collect(None), partial=True, vae=vae)  # fmt: skip
    html = render_html(ctx, templates)
    assert "no <code>report/templates/_vae.html.j2</code>" in html
    (templates / "_vae.html.j2").write_text(
        '<section id="vae">VAE on {{ vae.dataset }}, {{ vae_images | length }} images</section>'
    )
    assert "VAE on mnist, 0 images" in render_html(ctx, templates)
    ctx["vae"] = None
    assert 'id="vae"' not in render_html(ctx, templates)


def test_micro_f1_note_finds_the_papers_largest_gap():
    summary = pd.DataFrame({
        "table": ["table3"] * 4, "dataset": ["cifar10"] * 4, "method": ["latent_boost"] * 4,
        "lam": ["0.6", "0.6", "0.1", "0.1"],
        "metric": ["accuracy", "micro_f1", "accuracy", "micro_f1"],
        "paper_mean": [87.43, 0.8598, 83.11, 0.8342],
    })  # fmt: skip
    runs = pd.DataFrame({"accuracy": [90.0, 91.0], "micro_f1": [0.9, 0.91]})
    note = micro_f1_note(runs, summary)
    assert note["ours_gap"] == "0.0000" and note["n_runs"] == 2
    assert note["paper_gap"] == "1.45"
    assert "(λ = 0.6)" in note["paper_example"]
