"""t-SNE of latent representations for Figure 3 (Section 5.2 of the Latent Boost paper).

The paper: "We utilized the TSNE according to best practices, keeping hyperparameters in its
standard initialization and fixing the random seed." We therefore use openTSNE with every
hyper-parameter at its default (perplexity 30, PCA initialisation, learning rate "auto",
early exaggeration 12 for 250 iterations, then 500 iterations, Barnes-Hut below 10,000 points
and FFT interpolation above) and set only ``random_state``. The same input and seed give the same
embedding; openTSNE's results do not depend on ``n_jobs`` for a fixed seed (checked in the tests).
"""

from __future__ import annotations

import numpy as np

#: Below this many points t-SNE runs single-threaded: thread start-up and synchronisation cost
#: more than they save there (and much more on a loaded machine).
PARALLEL_MIN_POINTS = 5000


def embed(x, seed: int, n_jobs: int = 1) -> np.ndarray:
    """Return the 2-D openTSNE embedding (float64, N×2) of the rows of ``x`` (N×d), seeded.

    ``n_jobs`` is an upper bound on openTSNE's threads; inputs with fewer than
    :data:`PARALLEL_MIN_POINTS` rows use one thread. The result does not depend on it.

    Raises ValueError naming ``x`` when it is not a finite 2-D array with at least 4 rows
    (t-SNE's default perplexity needs neighbours; openTSNE lowers the perplexity itself when
    N is small).
    """
    from openTSNE import TSNE

    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"x must be a 2-D array (N×d), got shape {arr.shape}")
    if arr.shape[0] < 4:
        raise ValueError(f"x needs at least 4 rows for t-SNE, got {arr.shape[0]}")
    if not np.isfinite(arr).all():
        raise ValueError("x contains NaN or inf; t-SNE needs finite latents")
    threads = 1 if arr.shape[0] < PARALLEL_MIN_POINTS else max(1, int(n_jobs))
    tsne = TSNE(n_components=2, random_state=int(seed), n_jobs=threads, verbose=False)
    return np.asarray(tsne.fit(arr), dtype=np.float64)
