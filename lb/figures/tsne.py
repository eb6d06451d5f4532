"""t-SNE of latent representations for Figure 3 (Section 5.2 of the Latent Boost paper).

The paper: "We utilized the TSNE according to best practices, keeping hyperparameters in its
standard initialization and fixing the random seed." We therefore use openTSNE with every
hyper-parameter at its default (perplexity 30, PCA initialisation, learning rate "auto",
early exaggeration 12 for 250 iterations, then 500 iterations, Barnes-Hut below 10,000 points
and FFT interpolation above) and set only ``random_state``, on one thread. The same input and
seed give the same embedding.
"""

from __future__ import annotations

import numpy as np

#: Figure 3's t-SNE seed (Section 5.2: "fixing the random seed").
TSNE_SEED = 0


def embed(x, seed: int) -> np.ndarray:
    """Return the 2-D openTSNE embedding (float64, N×2) of the rows of ``x`` (N×d), seeded.

    Always one thread: with openTSNE's FFT gradients (used from 10,000 points on) the embedding
    changes with the number of threads (measured: 10,000 × 16 points, 1 vs 2 threads, coordinates
    differ by up to 129), and Snakemake may give a job fewer threads than it asks for; one thread
    keeps the same seed giving the same figure.

    Raises ValueError naming ``x`` when it is not a finite 2-D array with at least 4 rows
    (openTSNE lowers the default perplexity itself when N is small).
    """
    from openTSNE import TSNE

    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"x must be a 2-D array (N×d), got shape {arr.shape}")
    if arr.shape[0] < 4:
        raise ValueError(f"x needs at least 4 rows for t-SNE, got {arr.shape[0]}")
    if not np.isfinite(arr).all():
        raise ValueError("x contains NaN or inf; t-SNE needs finite latents")
    tsne = TSNE(n_components=2, random_state=int(seed), n_jobs=1, verbose=False)
    return np.asarray(tsne.fit(arr), dtype=np.float64)
