"""Snakemake adapter (rule ``vae_train``): the triplet or the vanilla VAE ->
:func:`lb.tvae.vaes.train_study_vae`."""

from pathlib import Path

from lb.tvae.config import VAESettings
from lb.tvae.data import DataOptions
from lb.tvae.vaes import train_study_vae
from lb.workflow.adapter import run_job


def main(smk) -> None:
    kind = smk.wildcards.vae_kind
    read = VAESettings.vanilla if kind == "vanilla" else VAESettings.from_params
    run_job(
        smk,
        lambda log: train_study_vae(
            read(smk.params.settings),
            kind,
            int(smk.wildcards.seed),
            Path(smk.output.model).parent,
            DataOptions.from_config(smk.config),
            log=log,
            device=smk.config.get("device", "auto"),
        ),
    )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
