"""Step 3b of the triplet-VAE study: explaining the test images where the CNN and the SVM disagree
(cases 3–5 of Table 1; the triplet-VAE paper, Sect. 3.3).

For each such image: its K most probable answers by the averaged sum rule
(:func:`lb.tvae.agreement.top_k`; ``disagreements.csv``), and a traversal from its z^μ toward each
answer with both end-point rules of :mod:`lb.tvae.traversal` (``traversals.csv``, one row per
path). A few of them are the figure examples (:func:`choose_examples`): their paths, decoded,
go to ``examples.npz`` for :mod:`lb.tvae.figures`, taken from the same traversals.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from lb.tvae import svm as svm_mod
from lb.tvae import traversal as trav
from lb.tvae.cnn import cnn_probabilities
from lb.tvae.model import VAE
from lb.tvae.training import decode
from lb.tvae.vaes import save_npz

TRAVERSAL_COLUMNS = [
    "index", "rank", "target", "method", "reached", "moment", "steps", "path_length",
    "end_train_index", "svm_start", "cnn_start", "svm_end", "cnn_end",
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class LatentClassifiers:
    """The two classifiers on a latent point: the SVM directly, the CNN on its decoded image."""

    vae: VAE
    cnn: torch.nn.Module
    svm: object  # the calibrated linear SVM (lb.tvae.svm)
    spec: object  # the dataset spec (the CNN's normalisation)

    def svm_predict(self, z: np.ndarray) -> np.ndarray:
        return svm_mod.predict(self.svm, z)

    def cnn_predict(self, z: np.ndarray) -> np.ndarray:
        return cnn_probabilities(self.cnn, decode(self.vae, z), self.spec).argmax(axis=1)


@dataclasses.dataclass(frozen=True)
class TrainingLatents:
    """z^μ and labels of the training images; ``eligible``: both classifiers right (end points)."""

    z: np.ndarray
    y: np.ndarray
    eligible: np.ndarray


@dataclasses.dataclass(frozen=True)
class Disagreements:
    """The disagreeing test images (sorted indices), their z^μ and their K answers (M, K)."""

    index: np.ndarray
    z: np.ndarray
    targets: np.ndarray
    probs: np.ndarray


def top_k_table(d: Disagreements, y, y_cnn, y_svm, cases) -> pd.DataFrame:
    """``disagreements.csv``: per disagreeing image its label, both predictions, case, the rank
    of the label among the K answers (0: not among them) and the answers with probabilities."""
    i = d.index
    rows = {
        "index": i, "label": y[i], "cnn": y_cnn[i], "svm": y_svm[i], "case": cases[i],
        "label_rank": [
            int(np.flatnonzero(t == label)[0]) + 1 if label in t else 0
            for t, label in zip(d.targets, y[i], strict=True)
        ],
    }  # fmt: skip
    for r in range(d.targets.shape[1]):
        rows[f"top{r + 1}"] = d.targets[:, r]
        rows[f"top{r + 1}_prob"] = d.probs[:, r]
    return pd.DataFrame(rows)


def traverse_all(d: Disagreements, models: LatentClassifiers, train: TrainingLatents, steps: int):
    """Traverse from every disagreeing image toward each of its K answers with both end-point
    rules. Returns the tidy table (:data:`TRAVERSAL_COLUMNS`; rows: method, image, rank) and the
    :class:`~lb.tvae.traversal.TraversalOutcome` per method (rows: image, rank)."""
    k = d.targets.shape[1]
    src = np.repeat(d.index, k)
    z0 = np.repeat(d.z, k, axis=0)
    tgt = d.targets.reshape(-1)
    if len(src) == 0:
        return pd.DataFrame(columns=TRAVERSAL_COLUMNS), {}
    w, b = svm_mod.hyperplanes(models.svm)
    frames, outcomes = [], {}
    for method in trav.METHODS:
        if method == "nearest":
            z_end, end_index = trav.nearest_endpoints(z0, tgt, train.z, train.y, train.eligible)
        else:
            z_end, _ = trav.normal_endpoints(z0, tgt, w, b, train.z, train.y)
            end_index = np.full(len(src), -1)
        out = trav.traverse(z0, z_end, tgt, steps, models.svm_predict, models.cnn_predict)
        outcomes[method] = out
        frames.append(
            pd.DataFrame({
                "index": src, "rank": np.tile(np.arange(1, k + 1), len(d.index)),
                "target": tgt, "method": method, "reached": out.reached, "moment": out.moment,
                "steps": steps, "path_length": np.linalg.norm(z_end - z0, axis=1),
                "end_train_index": end_index,
                "svm_start": out.svm_pred[:, 0], "cnn_start": out.cnn_pred[:, 0],
                "svm_end": out.svm_pred[:, -1], "cnn_end": out.cnn_pred[:, -1],
            })
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True), outcomes


def choose_examples(indices: np.ndarray, cases: np.ndarray, n: int) -> list[int]:
    """Deterministic figure examples: the disagreeing test images (cases 3, 4, 5) taken round-robin
    over the cases in that order, lowest test index first within a case, until ``n`` are chosen."""
    queues = [sorted(int(i) for i in indices[cases == c]) for c in (3, 4, 5)]
    chosen: list[int] = []
    while len(chosen) < n and any(queues):
        for q in queues:
            if q and len(chosen) < n:
                chosen.append(q.pop(0))
    return chosen


def save_examples(path: Path, examples, d: Disagreements, outcomes, vae: VAE, labels) -> None:
    """``examples.npz`` for the chosen test images (``examples``, a subset of ``d.index``): per
    end-point rule ``{method}_images`` (n, K, ε+1, C, H, W) = G(z_j), ``{method}_svm`` /
    ``{method}_cnn`` (n, K, ε+1) and ``{method}_moment`` (n, K), cut from ``outcomes``; plus
    ``labels`` (``index``, ``label``, ``cnn``, ``svm``, ``case``, ``inputs``: per example),
    ``targets``/``probs`` (n, K) and ``steps``."""
    pos = np.searchsorted(d.index, np.asarray(examples, dtype=np.int64))
    n, k = len(pos), d.targets.shape[1]
    shape = tuple(labels["inputs"].shape[1:])
    steps = int(labels["steps"])
    rows = (pos[:, None] * k + np.arange(k)[None, :]).reshape(-1)
    arrays = {key: labels[key] for key in ("index", "label", "cnn", "svm", "case")}
    arrays |= {"targets": d.targets[pos], "probs": d.probs[pos]}
    arrays |= {"inputs": labels["inputs"], "steps": labels["steps"]}
    for method in trav.METHODS:
        if n:
            out = outcomes[method]
            images = decode(vae, out.z[rows].reshape(n * k * (steps + 1), -1)).numpy()
            arrays[f"{method}_images"] = images.reshape(n, k, steps + 1, *shape)
            arrays[f"{method}_svm"] = out.svm_pred[rows].reshape(n, k, steps + 1)
            arrays[f"{method}_cnn"] = out.cnn_pred[rows].reshape(n, k, steps + 1)
            arrays[f"{method}_moment"] = out.moment[rows].reshape(n, k)
        else:
            arrays[f"{method}_images"] = np.zeros((0, k, steps + 1, *shape), np.float32)
            arrays[f"{method}_svm"] = np.zeros((0, k, steps + 1), np.int64)
            arrays[f"{method}_cnn"] = np.zeros((0, k, steps + 1), np.int64)
            arrays[f"{method}_moment"] = np.zeros((0, k), np.int64)
    save_npz(path, **arrays)


def traversal_summary(table: pd.DataFrame) -> dict:
    """Per end-point rule: paths, fraction reached, mean moment l/ε of the reached ones."""
    out = {}
    for method in trav.METHODS:
        t = table[table["method"] == method]
        reached = t[t["reached"].astype(bool)]
        out[method] = {
            "paths": int(len(t)),
            "reached_fraction": float(len(reached) / len(t)) if len(t) else None,
            "mean_moment_fraction": float((reached["moment"] / reached["steps"]).mean())
            if len(reached)
            else None,
            "mean_path_length": float(t["path_length"].mean()) if len(t) else None,
        }
    return out
