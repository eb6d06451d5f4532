"""Snakemake adapter (rule ``vae_train``): the triplet or the vanilla VAE ->
:func:`lb.tvae.study.train_study_vae`."""

from pathlib import Path

from lb.tvae.config import check_vae_config
from lb.tvae.study import data_options, train_study_vae
from lb.tvae.workflow import run_step


def main(smk) -> None:
    vae_cfg = check_vae_config(dict(smk.params.settings))
    run_step(
        smk,
        lambda log: train_study_vae(
            vae_cfg,
            smk.wildcards.vae_kind,
            int(smk.wildcards.seed),
            Path(smk.output.model).parent,
            data_options(smk.config),
            log=log,
            device=smk.config.get("device", "auto"),
        ),
    )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
