"""Reading a training run's ``test_outputs.npz`` (written by ``lb.training``): the test-set latent
vectors (float32, N×d), their labels (int64, N) and logits (float32, N×K)."""

from __future__ import annotations

import os

import numpy as np

from lb.errors import DataError


def load_test_latents(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """``(latent, label)`` from a run's ``test_outputs.npz``; DataError naming the file if bad."""
    try:
        with np.load(path) as npz:
            latent, label = np.asarray(npz["latent"]), np.asarray(npz["label"])
    except (OSError, KeyError, ValueError) as err:
        raise DataError(
            f"{path}: cannot read latent/label ({err}); re-run its training rule"
        ) from err
    if latent.ndim != 2 or label.shape != (latent.shape[0],):
        raise DataError(f"{path}: latent {latent.shape} and label {label.shape} do not match")
    return latent, label
