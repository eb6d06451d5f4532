"""Snakemake adapter (rule ``vae_cnn``): the CNN under test -> :func:`lb.tvae.cnn.train_cnn`."""

from pathlib import Path

from lb.tvae.cnn import Machine, train_cnn
from lb.tvae.config import CNNSettings
from lb.tvae.data import DataOptions
from lb.workflow.adapter import run_job


def main(smk) -> None:
    run_job(
        smk,
        lambda log: train_cnn(
            CNNSettings.from_params(smk.params.settings),
            int(smk.wildcards.seed),
            Path(smk.output.metrics).parent,
            smk.params.checkpoint,
            DataOptions.from_config(smk.config),
            log=log,
            machine=Machine(smk.config.get("device", "auto"), smk.params.num_threads),
        ),
    )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
