"""Snakemake adapter (rule ``vae_cnn``): the CNN under test -> :func:`lb.tvae.study.train_cnn`."""

from pathlib import Path

from lb.tvae.config import check_vae_config
from lb.tvae.study import data_options, train_cnn
from lb.tvae.workflow import run_step


def main(smk) -> None:
    vae_cfg = check_vae_config(dict(smk.params.settings))
    run_step(
        smk,
        lambda log: train_cnn(
            vae_cfg,
            int(smk.wildcards.seed),
            Path(smk.output.metrics).parent,
            smk.params.checkpoint,
            data_options(smk.config),
            log=log,
            device=smk.config.get("device", "auto"),
            num_threads=smk.params.num_threads,
        ),
    )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
