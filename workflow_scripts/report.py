"""Snakemake adapter: the HTML report (rule ``render_report`` in both scopes) ->
:func:`lb.report.build.build_report` from the tables and the finished figures given as input;
``params.partial``: the partial scope (absent cells read "missing"; no claims.csv or
provenance.json). The VAE section appears when the study's context is among the inputs."""

from pathlib import Path

from lb.report.build import build_report
from lb.workflow.adapter import run_job

smk = snakemake  # noqa: F821 (the object Snakemake injects)


def step(log):
    p = smk.params
    template_dir = Path(smk.input.templates[0]).parent  # <checkout>/report/templates
    vae_context = next((f for f in smk.input.vae if Path(f).name == "vae_context.json"), None)
    build_report(
        summary_csv=smk.input.summary,
        runs_csv=smk.input.runs,
        out_html=smk.output.html,
        config=smk.config,
        results_dir=p.results,
        expected_runs=p.expected,
        vae_context=vae_context,
        published_tvae=smk.input.published_tvae,
        made_by=p.made_by,
        template_dir=template_dir,
        repo_dir=template_dir.parents[1],
        config_name=p.config_name,
        # the figures' file stems are their names (lb.vocabulary.FIGURE_NAMES)
        figures={Path(f).stem: f for f in smk.input.figures},
        figure_data={Path(f).stem: f for f in smk.input.figure_data},
        partial=p.partial,
        claims_csv=smk.output.get("claims"),
        provenance_json=smk.output.get("provenance"),
    )
    kind = "partial report" if p.partial else "report"
    log(f"{kind} written to {smk.output.html} (VAE section: {bool(vae_context)})")


run_job(smk, step)
