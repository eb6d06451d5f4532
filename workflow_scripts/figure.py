"""Snakemake adapter: one figure of the report (the rules of rules/figures.smk) ->
:func:`lb.figures.build.make_figure` with ``params.figure`` (its name), ``params.runs`` (the runs
it shows) and ``params.results`` (the results folder); the λ sweep reads ``input.summary``."""

from lb.figures.build import make_figure
from lb.workflow.adapter import run_job

smk = snakemake  # noqa: F821 (the object Snakemake injects)


def step(log):
    p = smk.params
    summary = smk.input.get("summary")
    rows = make_figure(p.figure, smk.output.png, smk.output.csv, p.results, p.runs, summary)
    shown = f"{len(p.runs)} runs, " if p.runs else ""
    log(f"{p.figure}: {shown}{rows} data rows in {smk.output.csv}")


run_job(smk, step)
