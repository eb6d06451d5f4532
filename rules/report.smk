# The HTML report (docs/architecture.md): report/templates/*.j2 rendered with Jinja2 into one
# self-contained page, the paper's tables and figures beside ours; the templates are inputs, so
# editing one reruns only this rule. One definition, two scopes (common.smk's SCOPES):
# render_report writes RESULTS/report/report.html from the tables and figures of every run, and
# beside it claims.csv (the claims as the report states them) and provenance.json;
# render_report_partial writes RESULTS/report/report_partial.html from the partial tables and
# figures (target report_partial). The report only reads finished tables and figures.

import glob
import os

from lb.report.provenance import config_hash
from lb.run_outputs import RUN_OUTPUTS

REPORT_TEMPLATES = sorted(glob.glob(f"{workflow.basedir}/report/templates/*.j2"))
# What each scope's report writes, and the figures (and their data) it embeds.
REPORT_HTML = {"full": REPORT, "partial": PARTIAL_REPORT}
REPORT_OUTPUTS = {  # besides the page
    "full": {
        "claims": f"{RESULTS}/report/claims.csv",
        "provenance": f"{RESULTS}/report/provenance.json",
    },
    "partial": {},
}
REPORT_FIGURES = {
    "full": [f"{FIGURES_DIR}/{name}.png" for name in FIGURE_NAMES],
    "partial": rules.figures_partial.output.figures,
}
REPORT_FIGURE_DATA = {
    scope: [path[: -len(".png")] + ".csv" for path in paths]
    for scope, paths in REPORT_FIGURES.items()
}


for scope in SCOPES:

    rule:
        name:
            scoped_name("render_report", scope)
        input:
            **SCOPE_TABLES[scope],
            figures=REPORT_FIGURES[scope],
            figure_data=REPORT_FIGURE_DATA[scope],
            templates=REPORT_TEMPLATES,
            vae=report_vae_inputs(scope),
            published_tvae=PUBLISHED["tvae_agreement"],
        output:
            **REPORT_OUTPUTS[scope],
            html=report(
                REPORT_HTML[scope],
                caption="../report/captions/report.rst",
                category="Report",
            ),
        log:
            f"{RESULTS}/logs/{scoped_name('report', scope)}.log",
        conda:
            "../envs/analysis.yaml"
        resources:
            **JOB_RESOURCES["light"],
        params:
            code=library_code("report.py"),
            partial=scope == "partial",
            results=results_dir,
            expected=AGGREGATION_SPEC["runs"],
            # the config file(s) this run was started with, for the provenance footer
            config_name=config_file_names(),
            # the report names the config's hash: any config edit rerenders it
            config_hash=config_hash(config),
            made_by={
                "tables": {
                    "rule": scoped_name("aggregate", scope),
                    "script": "workflow_scripts/aggregate.py",
                },
                "report": {
                    "rule": scoped_name("render_report", scope),
                    "script": "workflow_scripts/report.py",
                },
                **FIGURE_MADE_BY[scope],
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
    *REPORT_FIGURES["full"],
    *REPORT_FIGURE_DATA["full"],
    *VAE_TARGETS,
    *rules.render_report.output,
]
