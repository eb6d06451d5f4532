"""Snakemake adapter (rule ``vae_analyse``): SVMs, agreement, top-K and traversals of one seed ->
:func:`lb.tvae.study.analyse`."""

from pathlib import Path

from lb.tvae.config import check_vae_config
from lb.tvae.study import analyse, data_options
from lb.tvae.workflow import run_step


def main(smk) -> None:
    vae_cfg = check_vae_config(dict(smk.params.settings))
    run_step(
        smk,
        lambda log: analyse(
            vae_cfg,
            int(smk.wildcards.seed),
            Path(smk.input.cnn_model).parent,
            Path(smk.input.triplet_latents).parent,
            Path(smk.input.vanilla_latents).parent,
            Path(smk.output.summary).parent,
            data_options(smk.config),
            log=log,
        ),
    )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
