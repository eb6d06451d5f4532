"""Snakemake adapter: every figure from the runs complete now (rule ``figures_partial``) ->
:func:`lb.figures.build.make_partial` on the partial tables; the partial report embeds them."""

from pathlib import Path

from lb.figures.build import make_partial
from lb.workflow.adapter import run_job

smk = snakemake  # noqa: F821 (the object Snakemake injects)


def step(log):
    out_dir = Path(smk.output.figures[0]).parent
    paths = make_partial(
        smk.input.summary, smk.input.runs, smk.params.best_lambdas, smk.params.results, out_dir
    )
    log(f"{len(paths)} figures from the runs complete now in {out_dir}")


run_job(smk, step)
