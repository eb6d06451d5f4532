"""Snakemake adapter (rule ``vae_figures``): traversal, ΔU and t-SNE figures of the first seed ->
:func:`lb.tvae.figures.make_figures`."""

from pathlib import Path

from lb.tvae.figures import make_figures
from lb.workflow.adapter import run_job


def main(smk) -> None:
    run_job(
        smk,
        lambda log: make_figures(
            Path(smk.input.summary).parent,
            Path(smk.input.triplet_latents).parent,
            Path(smk.input.vanilla_latents).parent,
            Path(smk.output.info).parent,
        ),
    )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
