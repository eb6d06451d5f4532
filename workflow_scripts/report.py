"""Snakemake adapter: the HTML report (rules ``render_report`` and ``render_report_partial``).

:func:`lb.report.build.build_report` from the tables and the figure files of rules/figures.smk
(the partial report, ``params.partial``: the partial tables and the figures of rule
``figures_partial``; absent cells read "missing").
"""

import sys
from pathlib import Path

from lb.errors import LBError
from lb.report.build import build_report


def main(smk) -> None:
    p = smk.params
    results = Path(smk.output.html).parents[1]  # RESULTS/report/<name>.html
    template_dir = Path(smk.input.templates[0]).parent  # <checkout>/report/templates
    # The VAE section only when the study is on (and, in a partial report, its context exists):
    # then VAE_CONTEXT of rules/vae.smk is among the inputs.
    vae_context = next((f for f in smk.input.vae if Path(f).name == "vae_context.json"), None)
    common = {
        "summary_csv": smk.input.summary,
        "runs_csv": smk.input.runs,
        "out_html": smk.output.html,
        "config": smk.config,
        "results_dir": results,
        "expected_runs": p.expected,
        "vae_context": vae_context,
        "published_tvae": smk.input.published_tvae,
        "made_by": p.made_by,
        "template_dir": template_dir,
        "repo_dir": template_dir.parents[1],
        "config_name": p.config_name,
    }
    # The figures' file stems are their names (lb.vocabulary.FIGURE_NAMES).
    figures = {Path(f).stem: f for f in smk.input.figures}
    figure_data = {Path(f).stem: f for f in smk.input.figure_data}
    written = {} if p.partial else {
        "claims_csv": smk.output.claims, "provenance_json": smk.output.provenance
    }  # fmt: skip
    try:
        build_report(
            **common, figures=figures, figure_data=figure_data, partial=p.partial, **written
        )
    except LBError as err:
        sys.exit(f"{type(err).__name__}: {err}")
    with open(smk.log[0], "w", encoding="utf-8") as log:
        kind = "partial report" if p.partial else "report"
        print(f"{kind} written to {smk.output.html} (VAE section: {bool(vae_context)})", file=log)


main(snakemake)  # noqa: F821 (the object Snakemake injects)
