"""Snakemake adapter (rule ``vae_context``): the report's VAE context, ``vae_context.json`` ->
:func:`lb.tvae.context.build_context`. Figure paths in it are relative to the results folder
(``params.results``)."""

from lb.tvae.config import VAEConfig
from lb.tvae.context import ContextInputs, build_context
from lb.workflow.adapter import run_job


def main(smk) -> None:
    inputs = ContextInputs(
        summaries=list(smk.input.summaries),
        run_metrics={
            "cnn": list(smk.input.cnn_metrics),
            "triplet": list(smk.input.triplet_metrics),
            "vanilla": list(smk.input.vanilla_metrics),
        },
        figures_json=smk.input.figures_info,
        paper_csv=smk.input.paper,
    )
    run_job(
        smk,
        lambda log: build_context(
            VAEConfig.from_plain(smk.params.settings),
            inputs,
            smk.params.results,
            smk.output.context,
            smk.output.agreement,
        ),
    )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
