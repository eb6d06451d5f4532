"""Snakemake adapter (rule ``vae_context``): the report's VAE context, ``vae_context.json`` ->
:func:`lb.tvae.context.build_context`. Figure paths in it are relative to RESULTS, the directory
above ``vae/``."""

from pathlib import Path

from lb.tvae.config import check_vae_config
from lb.tvae.context import build_context
from lb.tvae.workflow import run_step


def main(smk) -> None:
    vae_cfg = check_vae_config(dict(smk.params.settings))
    run_step(
        smk,
        lambda log: build_context(
            vae_cfg,
            list(smk.input.summaries),
            {
                "cnn": list(smk.input.cnn_metrics),
                "triplet": list(smk.input.triplet_metrics),
                "vanilla": list(smk.input.vanilla_metrics),
            },
            smk.input.figures_info,
            smk.input.paper,
            Path(smk.output.context).parent.parent,  # RESULTS (context is RESULTS/vae/...)
            smk.output.context,
            smk.output.agreement,
        ),
    )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
