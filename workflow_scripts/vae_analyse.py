"""Snakemake adapter (rule ``vae_analyse``): SVMs, agreement, top-K and traversals of one seed ->
:func:`lb.tvae.analysis.analyse`."""

from pathlib import Path

from lb.tvae.analysis import StudyDirs, analyse
from lb.tvae.config import AnalysisSettings
from lb.tvae.data import DataOptions
from lb.workflow.adapter import run_job


def main(smk) -> None:
    dirs = StudyDirs(
        cnn=Path(smk.input.cnn_model).parent,
        triplet=Path(smk.input.triplet_latents).parent,
        vanilla=Path(smk.input.vanilla_latents).parent,
    )
    run_job(
        smk,
        lambda log: analyse(
            AnalysisSettings.from_params(smk.params.settings),
            int(smk.wildcards.seed),
            dirs,
            Path(smk.output.summary).parent,
            DataOptions.from_config(smk.config),
            log=log,
        ),
    )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
