"""Latent traversal toward a target class and the minimal change ΔU (the triplet-VAE paper,
Sect. 3.3, Figs 3–7).

From an input's z^μ_I we walk a straight line to an end point and sample it uniformly at
ε + 1 points z_j = z^μ_I + (j/ε)(z_end − z^μ_I), j = 0..ε (both ends included). Every point is
classified by the SVM directly and by the CNN on its decoded image G(z_j). The "moment" l is
the first j where both predict the target class; when no j does, the traversal is reported as
not reached (moment −1). Note that j = 0 is the *reconstruction* G(z^μ_I), not the input image,
so the CNN's answer at j = 0 can differ from its answer on the input.

The two end points of the paper:

(a) ``nearest``: the closest training point (Euclidean, in z^μ) of the target class that both
    classifiers predict correctly ("the closest point of that class ... that is predicted correctly
    i.e. the SVM and CNN agree", Sect. 4); if the class has no such point, the closest training
    point of the class.
(b) ``normal``: along the unit normal u_t = w_t / ‖w_t‖ of the target's one-vs-rest hyperplane
    f_t(z) = w_t·z + b_t, the direction in which f_t grows fastest ("a vector orthogonal to the
    hyper-plane fitted by the SVM towards the target class", Sect. 3.3). The paper gives no
    length; we go until f_t equals the median of f_t over the target class's training latents,
    i.e. L = max(0, (median f_t(Z_t) − f_t(z^μ_I)) / ‖w_t‖): the end point is as deep inside the
    target's side as a typical training image of that class. With one-vs-rest hyperplanes,
    moving along u_t also changes the other classes' f_j (by w_j·u_t per unit), so crossing
    f_t = 0 need not change the argmax; the sampled predictions show what actually happens.

ΔU_l = G(z_l) − G(z_0) (Fig. 6): positive part max(ΔU, 0) = ink added, negative part
max(−ΔU, 0) = ink removed; G(z_0) + pos, G(z_0) − neg and G(z_0) + ΔU = G(z_l) are the second
row of Fig. 6.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

METHODS = ("nearest", "normal")


def nearest_endpoints(
    z0: np.ndarray,
    targets: np.ndarray,
    z_train: np.ndarray,
    y_train: np.ndarray,
    eligible: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(a): for each row of ``z0`` (M, d) the closest training latent of class ``targets[i]``
    among the ``eligible`` ones (bool (N,), e.g. both classifiers right); falls back to every
    training point of the class when none is eligible. Returns (end points (M, d), indices (M,))."""
    z0 = np.asarray(z0, dtype=np.float64)
    z_train = np.asarray(z_train, dtype=np.float64)
    y_train = np.asarray(y_train)
    targets = np.asarray(targets, dtype=np.int64)
    if eligible is None:
        eligible = np.ones(len(y_train), dtype=bool)
    index = np.empty(len(z0), dtype=np.int64)
    for t in np.unique(targets):
        rows = np.flatnonzero(targets == t)
        cand = np.flatnonzero((y_train == t) & eligible)
        if cand.size == 0:
            cand = np.flatnonzero(y_train == t)
        if cand.size == 0:
            raise ValueError(f"nearest_endpoints: no training point of class {t}")
        a, c = z0[rows], z_train[cand]
        d2 = (a**2).sum(1)[:, None] - 2.0 * a @ c.T + (c**2).sum(1)[None, :]
        index[rows] = cand[np.argmin(d2, axis=1)]
    return z_train[index], index


def normal_endpoints(
    z0: np.ndarray,
    targets: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    z_train: np.ndarray,
    y_train: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(b): z0 + L·u_t with u_t = w_t/‖w_t‖ and L as in the module docstring.
    Returns (end points (M, d), path lengths L (M,))."""
    z0 = np.asarray(z0, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    w = np.asarray(w, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    norms = np.linalg.norm(w, axis=1)
    if np.any(norms[targets] == 0):
        raise ValueError("normal_endpoints: a target hyperplane has a zero normal")
    f_train = np.asarray(z_train, dtype=np.float64) @ w.T + b
    y_train = np.asarray(y_train)
    ref = np.array(
        [
            np.median(f_train[y_train == k, k]) if np.any(y_train == k) else 0.0
            for k in range(len(w))
        ]
    )
    f0 = np.einsum("md,md->m", z0, w[targets]) + b[targets]
    length = np.maximum(0.0, (ref[targets] - f0) / norms[targets])
    u = w[targets] / norms[targets, None]
    return z0 + length[:, None] * u, length


def path_points(z0: np.ndarray, z_end: np.ndarray, steps: int) -> np.ndarray:
    """Uniform samples of the segments z0 → z_end: (M, steps + 1, d), both ends included."""
    if steps < 1:
        raise ValueError("path_points: steps must be >= 1")
    t = np.linspace(0.0, 1.0, steps + 1)[None, :, None]
    z0 = np.asarray(z0, dtype=np.float64)[:, None, :]
    return z0 + t * (np.asarray(z_end, dtype=np.float64)[:, None, :] - z0)


def first_agreement(svm_pred: np.ndarray, cnn_pred: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Moment l per path: the first step where SVM and CNN both predict the target, −1 if none."""
    hit = (np.asarray(svm_pred) == targets[:, None]) & (np.asarray(cnn_pred) == targets[:, None])
    return np.where(hit.any(axis=1), hit.argmax(axis=1), -1).astype(np.int64)


@dataclass
class TraversalOutcome:
    """Predictions along M paths of ε + 1 points and the moment l of each (−1: never reached)."""

    targets: np.ndarray  # (M,)
    z: np.ndarray  # (M, ε+1, d)
    svm_pred: np.ndarray  # (M, ε+1)
    cnn_pred: np.ndarray  # (M, ε+1)
    moment: np.ndarray  # (M,)

    @property
    def reached(self) -> np.ndarray:
        return self.moment >= 0


def traverse(
    z0: np.ndarray,
    z_end: np.ndarray,
    targets: np.ndarray,
    steps: int,
    svm_predict: Callable[[np.ndarray], np.ndarray],
    cnn_predict_latent: Callable[[np.ndarray], np.ndarray],
) -> TraversalOutcome:
    """Sample the paths and classify every point.

    ``svm_predict(z (K, d)) -> labels (K,)``; ``cnn_predict_latent(z (K, d)) -> labels (K,)``
    decodes the points and runs the CNN on the images (batched by the caller).
    """
    targets = np.asarray(targets, dtype=np.int64)
    z = path_points(z0, z_end, steps)
    m, s, d = z.shape
    flat = z.reshape(m * s, d)
    svm_pred = np.asarray(svm_predict(flat)).reshape(m, s)
    cnn_pred = np.asarray(cnn_predict_latent(flat)).reshape(m, s)
    return TraversalOutcome(
        targets=targets,
        z=z,
        svm_pred=svm_pred,
        cnn_pred=cnn_pred,
        moment=first_agreement(svm_pred, cnn_pred, targets),
    )


def delta_u(start_image: np.ndarray, moment_image: np.ndarray) -> dict[str, np.ndarray]:
    """ΔU = G(z_l) − G(z_0) and its parts (Fig. 6): ``delta``, ``positive`` = max(ΔU, 0),
    ``negative`` = max(−ΔU, 0), ``recon_plus`` = G(z_0) + pos, ``recon_minus`` = G(z_0) − neg,
    ``recon_both`` = G(z_0) + ΔU (= G(z_l))."""
    start = np.asarray(start_image, dtype=np.float64)
    delta = np.asarray(moment_image, dtype=np.float64) - start
    pos = np.maximum(delta, 0.0)
    neg = np.maximum(-delta, 0.0)
    return {
        "delta": delta,
        "positive": pos,
        "negative": neg,
        "recon_plus": start + pos,
        "recon_minus": start - neg,
        "recon_both": start + delta,
    }
