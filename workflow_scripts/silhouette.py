"""Snakemake adapter: silhouette of a run's test latents (rule ``silhouette``, Eq 12) ->
:func:`lb.metrics.silhouette_score` on ``latent``/``label`` of ``test_outputs.npz``; writes
``{"silhouette": float}``."""

import torch

from lb.errors import DataError
from lb.io import write_json
from lb.metrics import silhouette_score
from lb.run_outputs import load_test_latents
from lb.workflow.adapter import run_job

smk = snakemake  # noqa: F821 (the object Snakemake injects)


def step(log):
    path = smk.input.test_outputs
    latent, label = load_test_latents(path)
    try:
        score = silhouette_score(torch.from_numpy(latent), torch.from_numpy(label))
    except ValueError as err:
        raise DataError(f"{path}: {err}") from None
    write_json(smk.output[0], {"silhouette": float(score)})
    log(f"silhouette {score:.6f}: {len(label)} test latents, {latent.shape[1]}-d")


run_job(smk, step)
