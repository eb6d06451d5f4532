"""Step 3 of the triplet-VAE study: the analysis of one seed.

Linear SVMs with Platt scaling on both latent spaces (:mod:`lb.tvae.svm`, fitted on the training
latents z^μ) and their separation (test accuracy, silhouette of z^μ); the agreement table of the
CNN and the triplet VAE's SVM (Table 1, :mod:`lb.tvae.agreement`); the explanations of the
disagreeing test images (:mod:`lb.tvae.explanations`); the stratified t-SNE subset. Writes
``agreement.csv``, ``disagreements.csv``, ``traversals.csv``, ``examples.npz``,
``predictions.npz`` and ``summary.json``. The VAEs and the SVM use all the study's training
images; the CNN's saved test labels must match the study's test set.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from lb import io
from lb.data import stratified_split
from lb.errors import DataError
from lb.metrics import silhouette_score
from lb.tvae import agreement as agr
from lb.tvae import explanations as expl
from lb.tvae import svm as svm_mod
from lb.tvae.cnn import check_test_labels, cnn_probabilities, load_cnn
from lb.tvae.config import AnalysisSettings
from lb.tvae.data import DataOptions, StudyData, load_study_data, to_unit
from lb.tvae.vaes import KINDS, load_latents, load_vae, save_npz

Log = Callable[[str], Any]


@dataclasses.dataclass(frozen=True)
class StudyDirs:
    """The directories of one seed's trained models: the CNN and both VAEs."""

    cnn: Path
    triplet: Path
    vanilla: Path

    def vae(self, kind: str) -> Path:
        return self.triplet if kind == "triplet" else self.vanilla


@dataclasses.dataclass(frozen=True)
class Predictions:
    """Per test image: label, the CNN's and the triplet SVM's prediction and probabilities,
    and the Table 1 case."""

    y: np.ndarray
    y_cnn: np.ndarray
    p_cnn: np.ndarray
    y_svm: np.ndarray
    p_svm: np.ndarray
    cases: np.ndarray


def fit_svms(
    lat: dict, s: AnalysisSettings, seed: int, num_classes: int, log: Log
) -> tuple[dict, dict]:
    """The calibrated linear SVM of each VAE's latent space and its separation numbers."""
    svms, separation = {}, {}
    for kind in KINDS:
        z_train, y_train = lat[kind]["train_mu"], lat[kind]["train_y"]
        z_test, y_test = lat[kind]["test_mu"], lat[kind]["test_y"]
        t0 = time.perf_counter()
        clf = svm_mod.fit_svm(z_train, y_train, seed=seed, c=s.svm_c)
        if not np.array_equal(clf.classes_, np.arange(num_classes)):
            raise DataError(f"{kind}: the training subset lacks classes; raise vae.train_limit")
        svms[kind] = clf
        separation[kind] = {
            "svm_accuracy": float(np.mean(svm_mod.predict(clf, z_test) == y_test)),
            "svm_train_accuracy": float(np.mean(svm_mod.predict(clf, z_train) == y_train)),
            "silhouette": float(silhouette_score(torch.as_tensor(z_test), torch.as_tensor(y_test))),
            "svm_seconds": time.perf_counter() - t0,
        }
        log(
            f"vae {kind}: linear-SVM test accuracy {separation[kind]['svm_accuracy']:.4f}, "
            f"silhouette(z_mu, test) {separation[kind]['silhouette']:.4f}"
        )
    return svms, separation


def load_checked_latents(dirs: StudyDirs, d: StudyData) -> dict:
    """Both VAEs' ``latents.npz``, checked against the study's labels."""
    lat = {kind: load_latents(dirs.vae(kind)) for kind in KINDS}
    for kind in KINDS:
        if not np.array_equal(lat[kind]["test_y"], d.test_y.numpy()) or not np.array_equal(
            lat[kind]["train_y"], d.train_y.numpy()
        ):
            raise DataError(
                f"{kind} latents.npz: labels differ from the study's data; train the VAEs again"
            )
    return lat


def tsne_subset(y_test: np.ndarray, n: int | None, seed: int) -> np.ndarray:
    """The test images the t-SNE figure embeds: a stratified subset of ``n`` (None: all)."""
    if n is None or n >= len(y_test):
        return np.arange(len(y_test))
    return np.asarray(stratified_split(y_test, n / len(y_test), seed)[1])


@dataclasses.dataclass(frozen=True)
class Explained:
    """What :func:`explain` found: the tables it wrote, the figure examples, the training images
    eligible as ``nearest`` end points, and the traversals' seconds."""

    disagreements: pd.DataFrame
    traversals: pd.DataFrame
    examples: list[int]
    eligible: np.ndarray
    seconds: float


def predict_test(cnn, clf, z_test: np.ndarray, d: StudyData) -> Predictions:
    """Both classifiers on the test images and the Table 1 case of each."""
    y = d.test_y.numpy()
    p_cnn = cnn_probabilities(cnn, to_unit(d.test_x), d.spec)
    y_cnn = p_cnn.argmax(axis=1)
    p_svm = svm_mod.predict_proba(clf, z_test)
    y_svm = svm_mod.predict(clf, z_test)
    return Predictions(y, y_cnn, p_cnn, y_svm, p_svm, agr.agreement_cases(y, y_cnn, y_svm))


def explain(
    pred: Predictions,
    models: expl.LatentClassifiers,
    lat: dict,
    d: StudyData,
    s: AnalysisSettings,
    out_dir: Path,
) -> Explained:
    """Top-K answers, traversals (end points among the training latents ``lat``) and the figure
    examples of the disagreeing test images; writes ``disagreements.csv``, ``traversals.csv``,
    ``examples.npz``."""
    top_cls, top_p = agr.top_k(agr.averaged_probabilities(pred.p_cnn, pred.p_svm), s.top_k)
    dis = np.flatnonzero(pred.y_cnn != pred.y_svm)
    dd = expl.Disagreements(dis, lat["test_mu"][dis], top_cls[dis], top_p[dis])
    disagreements = expl.top_k_table(dd, pred.y, pred.y_cnn, pred.y_svm, pred.cases)
    io.write_csv(disagreements, out_dir / "disagreements.csv")

    y_train = d.train_y.numpy()
    y_cnn_train = cnn_probabilities(models.cnn, to_unit(d.train_x), d.spec).argmax(axis=1)
    eligible = (models.svm_predict(lat["train_mu"]) == y_train) & (y_cnn_train == y_train)
    train = expl.TrainingLatents(lat["train_mu"], y_train, eligible)
    t0 = time.perf_counter()
    traversals, outcomes = expl.traverse_all(dd, models, train, s.traversal_steps)
    seconds = time.perf_counter() - t0
    io.write_csv(traversals, out_dir / "traversals.csv")

    examples = expl.choose_examples(dis, pred.cases[dis], s.n_examples)
    idx = np.asarray(examples, dtype=np.int64)
    shape = (d.spec.channels, d.spec.image_size, d.spec.image_size)
    labels = {
        "index": idx, "label": pred.y[idx], "cnn": pred.y_cnn[idx], "svm": pred.y_svm[idx],
        "case": pred.cases[idx], "steps": np.int64(s.traversal_steps),
        "inputs": to_unit(d.test_x)[torch.as_tensor(idx)].numpy().reshape(len(idx), *shape),
    }  # fmt: skip
    expl.save_examples(out_dir / "examples.npz", examples, dd, outcomes, models.vae, labels)
    return Explained(disagreements, traversals, examples, eligible, seconds)


def analyse(
    s: AnalysisSettings,
    seed: int,
    dirs: StudyDirs,
    out_dir: str | Path,
    options: DataOptions,
    log: Log = print,
) -> dict:
    """The analysis of one seed (module docstring); returns the summary (also written)."""
    out_dir = Path(out_dir)
    t_start = time.perf_counter()
    d = load_study_data(s.data, options)
    check_test_labels(dirs.cnn, d.test_y.numpy())
    lat = load_checked_latents(dirs, d)
    svms, separation = fit_svms(lat, s, seed, d.spec.num_classes, log)
    cnn = load_cnn(s.cnn_model, s.dataset, dirs.cnn)
    pred = predict_test(cnn, svms["triplet"], lat["triplet"]["test_mu"], d)
    table = agr.agreement_table(pred.cases)
    io.write_csv(table, out_dir / "agreement.csv")
    models = expl.LatentClassifiers(load_vae(dirs.triplet), cnn, svms["triplet"], d.spec)
    ex = explain(pred, models, lat["triplet"], d, s, out_dir)
    save_npz(
        out_dir / "predictions.npz",
        label=pred.y, cnn_pred=pred.y_cnn, cnn_proba=pred.p_cnn, svm_pred=pred.y_svm,
        svm_proba=pred.p_svm, case=pred.cases, train_eligible=ex.eligible,
        tsne_subset=tsne_subset(pred.y, s.tsne_points, seed),
    )  # fmt: skip
    summary = {
        "seed": seed,
        "dataset": s.dataset,
        "n_train": int(d.train_y.numel()),
        "n_test": int(len(pred.y)),
        "cnn_accuracy": float(np.mean(pred.y_cnn == pred.y)),
        "agreement": {str(r.case): float(r.fraction) for r in table.itertuples()},  # JSON keys
        "agreement_counts": {str(r.case): int(r.count) for r in table.itertuples()},
        "separation": separation,
        "n_disagreeing": int(len(ex.disagreements)),
        "topk_label_hit": float(np.mean(ex.disagreements["label_rank"] > 0))
        if len(ex.disagreements)
        else None,
        "traversal": expl.traversal_summary(ex.traversals),
        "examples": ex.examples,
        "seconds": {"traversal": ex.seconds, "total": time.perf_counter() - t_start},
    }
    io.write_json(out_dir / "summary.json", summary)
    return summary
