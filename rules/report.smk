# The HTML report (docs/architecture.md): report/templates/*.j2 rendered with Jinja2 into one
# self-contained RESULTS/report/report.html, the paper's tables and figures beside ours. The
# templates are inputs, so editing one reruns only this rule. render_report_partial renders
# RESULTS/report/report_partial.html from the runs complete now (target report_partial).
# Beside report.html: claims.csv (the claims as the report states them) and provenance.json.
# The script finds the results directory as the parent of the report directory, the templates
# and the checkout (for the git commit) from the template files.

import glob
import os

from lb.report.provenance import config_hash
from lb.workflow.runs import RUN_OUTPUTS, run_is_complete

REPORT_TEMPLATES = sorted(glob.glob(f"{workflow.basedir}/report/templates/*.j2"))
REPORT_FIGURES = {name: f"{FIGURES_DIR}/{name}.png" for name in FIGURE_NAMES}
REPORT_FIGURE_DATA = {
    name: path[: -len(".png")] + ".csv" for name, path in REPORT_FIGURES.items()
}
REPORT_PARAMS = {
    "expected": AGGREGATION_SPEC["runs"],
    # the config file(s) this run was started with, for the provenance footer
    "config_name": ", ".join(str(f) for f in workflow.overwrite_configfiles)
    or "config.yaml",
}


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
        claims=f"{RESULTS}/report/claims.csv",
        provenance=f"{RESULTS}/report/provenance.json",
    log:
        f"{RESULTS}/logs/report.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        **REPORT_PARAMS,
        # provenance.json and the report name the config's hash: any config edit rerenders it
        config_hash=config_hash(config),
        partial=False,
        made_by={
            "tables": {"rule": "aggregate", "script": "workflow_scripts/aggregate.py"},
            **FIGURE_MADE_BY,
        },
    script:
        "../workflow_scripts/report.py"


rule render_report_partial:
    input:
        summary=PARTIAL_TABLES["summary"],
        runs=PARTIAL_TABLES["runs"],
        figures=rules.figures_partial.output.figures,
        figure_data=rules.figures_partial.output.figure_data,
        templates=REPORT_TEMPLATES,
        vae=lambda wildcards: [p for p in VAE_REPORT_INPUTS if os.path.exists(p)],
        published_tvae=PUBLISHED["tvae_agreement"],
    output:
        html=PARTIAL_REPORT,
    log:
        f"{RESULTS}/logs/report_partial.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=60,
        mem_mb=8000,
    params:
        **REPORT_PARAMS,
        partial=True,
        made_by={
            "tables": {
                "rule": "aggregate_partial",
                "script": "workflow_scripts/aggregate.py",
            },
            **PARTIAL_FIGURE_MADE_BY,
        },
    script:
        "../workflow_scripts/report.py"


# The targets of `rule all`: the report and every file it depends on. Snakemake regenerates a
# missing target, but not a missing intermediate file while the files made from it are up to
# date (or while the metadata of a failed job says so), so a deleted metrics.json or figure would
# otherwise go unnoticed and the report would show numbers of files that no longer exist.
ALL_TARGETS = [
    *(
        run_path(run, name)
        for run in RUNS
        for name in (*RUN_OUTPUTS, "silhouette.json")
    ),
    *TABLES.values(),
    *REPORT_FIGURES.values(),
    *REPORT_FIGURE_DATA.values(),
    *VAE_TARGETS,
    *rules.render_report.output,
]
