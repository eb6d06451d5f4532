"""Snakemake adapter: silhouette of a run's test latents (rule ``silhouette``, Eq 12).

``lb.metrics.silhouette_score`` on ``latent``/``label`` of ``test_outputs.npz``; writes
``{"silhouette": float}``.
"""

import sys

import numpy as np
import torch

from lb.errors import LBError
from lb.io import write_json
from lb.metrics import silhouette_score


def main(smk) -> None:
    torch.set_num_threads(smk.threads)
    try:
        with np.load(smk.input.test_outputs) as arrays:
            latent, label = arrays["latent"], arrays["label"]
    except (OSError, KeyError, ValueError) as err:
        sys.exit(f"DataError: {smk.input.test_outputs}: unreadable test outputs ({err})")
    try:
        score = silhouette_score(torch.from_numpy(latent), torch.from_numpy(label))
    except (LBError, ValueError) as err:
        sys.exit(f"{type(err).__name__}: {smk.input.test_outputs}: {err}")
    write_json(smk.output[0], {"silhouette": float(score)})
    with open(smk.log[0], "w", encoding="utf-8") as log:
        print(f"silhouette {score:.6f}: {len(label)} test latents, {latent.shape[1]}-d", file=log)


main(snakemake)  # noqa: F821 (the object Snakemake injects)
