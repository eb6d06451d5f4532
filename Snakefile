# Latent Boost reproduction (docs/architecture.md): config -> one directory per training run ->
# per-run evaluation -> tidy tables -> figures -> report.
#
#   snakemake --cores 8 --use-conda                          # the paper's grid (config.yaml)
#   snakemake --cores 2 --configfile configs/demo.yaml       # the digits demo, minutes on a laptop
#   snakemake report_partial                                 # report from the runs done so far
#
# Snakemake puts this directory first on sys.path before it reads this file, so `lb` is this
# checkout's; rules/common.smk makes the jobs import it too.

import sys

from snakemake.utils import min_version

from lb.errors import LBError
from lb.workflow.config import workflow_config

min_version("9.0")


# The config, checked before any job (schemas/config.schema.yaml + lb.workflow.config): a bad
# key, type or value stops here with one line naming it. Without --configfile the paper's grid
# config.yaml is used; a --configfile replaces it (it is not merged into it). A dry run (-n)
# shows the plan without the datasets (with a warning).
try:
    _validated = workflow_config(
        config,
        workflow.overwrite_configfiles,
        workflow.config_settings.config_args,
        default_path=f"{workflow.basedir}/config.yaml",
        dry_run=workflow.output_settings.dryrun,
    )
except LBError as err:
    sys.exit(f"{type(err).__name__}: {err}")
config.clear()
config.update(_validated)


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/train.smk"
include: "rules/evaluate.smk"
include: "rules/figures.smk"
include: "rules/vae.smk"
include: "rules/report.smk"


# Targets and the light table jobs run where snakemake runs, also with a cluster executor.
localrules:
    all,
    report_partial,
    aggregate,
    aggregate_partial,


# The report and every file it depends on (ALL_TARGETS, rules/report.smk), so that a deleted
# intermediate file is made again.
rule all:
    input:
        ALL_TARGETS,


# The report from whatever runs are complete now (a failed run, or a grid still in flight:
# add --nolock while another snakemake is running); absent cells read "missing".
rule report_partial:
    input:
        PARTIAL_REPORT,
