"""Snakemake adapter: the tidy tables (rule ``aggregate`` in both scopes) ->
:func:`lb.workflow.aggregate.write_tables` with the runs and cells of ``params.spec`` and the run
files given as input; ``params.allow_missing`` (the partial scope) leaves out runs whose training
outputs are not all present at job time instead of failing."""

from lb.workflow.adapter import run_job
from lb.workflow.aggregate import write_tables

smk = snakemake  # noqa: F821 (the object Snakemake injects)


def step(log):
    runs, summary = write_tables(
        smk.params.spec,
        list(smk.input.metrics),
        list(smk.input.silhouette),
        smk.input.published,
        smk.output.runs,
        smk.output.summary,
        allow_missing=smk.params.allow_missing,
    )
    configured = summary[summary["n_expected"] > 0]
    missing = configured[configured["n"] < configured["n_expected"]]
    log(
        f"{len(runs)} of {len(smk.params.spec['runs'])} runs; {len(summary)} summary rows; "
        f"{len(configured)} configured cells, {len(missing)} with fewer seeds than configured"
    )


run_job(smk, step)
