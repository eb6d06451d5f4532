# The HTML report (docs/architecture.md): report/templates/*.j2 rendered with Jinja2 into one
# self-contained RESULTS/report/report.html, the paper's tables and figures beside ours. The
# templates are inputs, so editing one reruns only this rule. render_report_partial renders
# RESULTS/report/report_partial.html from the runs complete now (target report_partial).

import glob
import os

from lb.workflow.runs import run_is_complete

REPORT_TEMPLATE_DIR = f"{workflow.basedir}/report/templates"
REPORT_TEMPLATES = sorted(glob.glob(f"{REPORT_TEMPLATE_DIR}/*.j2"))
REPORT_FIGURES = {
    name: f"{FIGURES_DIR}/{name}.png"
    for name in ("figure3", "pca_dims", "learning_curves", "lambda_sweep", "grad_norm")
}
REPORT_FIGURE_DATA = {
    name: path[: -len(".png")] + ".csv" for name, path in REPORT_FIGURES.items()
}
VAE_CONTEXT = f"{RESULTS}/vae/vae_context.json"
# The config file(s) this run was started with, for the provenance footer.
CONFIG_NAME = ", ".join(str(f) for f in workflow.overwrite_configfiles) or "config.yaml"


def report_params(partial):
    """What the report script needs besides its input files (all plain data)."""
    block = "aggregate_partial" if partial else "aggregate"
    return {
        "partial": partial,
        "results": RESULTS,
        "expected": AGGREGATION_SPEC["runs"],
        "vae_context": VAE_CONTEXT if VAE_CONTEXT in VAE_REPORT_INPUTS else "",
        "template_dir": REPORT_TEMPLATE_DIR,
        "repo": workflow.basedir,
        "config_name": CONFIG_NAME,
        "figures": REPORT_FIGURES,
        "figure_data": REPORT_FIGURE_DATA,
        "made_by": {
            "tables": {"rule": block, "script": "workflow_scripts/aggregate.py"},
        },
    }


def complete_figure_run_paths(name):
    """That file of every complete run at the Table 4 lambda (the partial report's figures)."""
    methods = {run.method for run in RUNS}
    return [
        run_path(run, name)
        for run in best_lambda_runs(methods)
        if run_is_complete(RESULTS, run.dir)
    ]


rule render_report:
    input:
        summary=TABLES["summary"],
        runs=TABLES["runs"],
        figures=list(REPORT_FIGURES.values()),
        figure_data=list(REPORT_FIGURE_DATA.values()),
        templates=REPORT_TEMPLATES,
        vae=VAE_REPORT_INPUTS,
        published_tvae=PUBLISHED["tvae_agreement"],
    output:
        html=report(
            REPORT,
            caption="../report/captions/report.rst",
            category="Report",
        ),
    log:
        f"{RESULTS}/logs/report.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        **report_params(partial=False),
    script:
        "../workflow_scripts/report.py"


rule render_report_partial:
    input:
        summary=PARTIAL_TABLES["summary"],
        runs=PARTIAL_TABLES["runs"],
        histories=lambda wildcards: complete_figure_run_paths("history.csv"),
        test_outputs=lambda wildcards: complete_figure_run_paths("test_outputs.npz"),
        templates=REPORT_TEMPLATES,
        vae=lambda wildcards: [p for p in VAE_REPORT_INPUTS if os.path.exists(p)],
        published_tvae=PUBLISHED["tvae_agreement"],
    output:
        html=PARTIAL_REPORT,
    log:
        f"{RESULTS}/logs/report_partial.log",
    conda:
        "../envs/analysis.yaml"
    threads: 2
    resources:
        runtime=60,
        mem_mb=8000,
    params:
        **report_params(partial=True),
    script:
        "../workflow_scripts/report.py"
