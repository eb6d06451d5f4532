"""The linear SVM on z^μ with Platt scaling (the triplet-VAE paper, Sect. 3.2 and 3.3).

``CalibratedClassifierCV(LinearSVC(C), method="sigmoid", ensemble=False)``:

- ``LinearSVC`` (liblinear, squared hinge, one-vs-rest for 10 classes) rather than
  ``SVC(kernel="linear")``: the same linear decision rule family, but it scales to 60,000 points.
- ``method="sigmoid"`` is Platt's method [16]: one sigmoid per class fitted on out-of-fold
  decision values (stratified k-fold, k = min(5, smallest class size)), then the per-class
  probabilities are normalised to sum to 1 (scikit-learn's one-vs-rest calibration).
- ``ensemble=False``: one LinearSVC refitted on all the training latents, so there is a single
  set of hyperplanes (w_k, b_k) for the traversal along the normal (:mod:`lb.tvae.traversal`).

The SVM's prediction ŷ_S is the class of highest calibrated probability (``predict``), the same
probabilities that enter the averaged answer of Sect. 3.3.
"""

from __future__ import annotations

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC


def fit_svm(z: np.ndarray, y: np.ndarray, seed: int, c: float = 1.0) -> CalibratedClassifierCV:
    """Fit the calibrated linear SVM on latents ``z`` (N, d) with labels ``y`` (N,)."""
    y = np.asarray(y)
    counts = np.bincount(y)
    smallest = int(counts[counts > 0].min())
    if smallest < 2:
        raise ValueError("fit_svm: every class needs at least 2 training points for calibration")
    svm = LinearSVC(C=c, random_state=seed, max_iter=10_000)
    clf = CalibratedClassifierCV(svm, method="sigmoid", cv=min(5, smallest), ensemble=False)
    clf.fit(np.asarray(z, dtype=np.float64), y)
    return clf


def hyperplanes(clf: CalibratedClassifierCV) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest hyperplanes of the fitted SVM: ``W`` (K, d), ``b`` (K,); f_k(z) = W[k]·z + b[k].

    Rows follow ``clf.classes_``. A binary problem (one hyperplane) is returned as two rows
    (−w, −b) and (w, b).
    """
    est = clf.calibrated_classifiers_[0].estimator
    w = np.asarray(est.coef_, dtype=np.float64)
    b = np.asarray(est.intercept_, dtype=np.float64)
    if w.shape[0] == 1:
        w = np.vstack([-w, w])
        b = np.concatenate([-b, b])
    return w, b


def decision_values(clf: CalibratedClassifierCV, z: np.ndarray) -> np.ndarray:
    """f_k(z) for every class, (N, K)."""
    w, b = hyperplanes(clf)
    return np.asarray(z, dtype=np.float64) @ w.T + b


def predict_proba(clf: CalibratedClassifierCV, z: np.ndarray) -> np.ndarray:
    """Platt-scaled class probabilities (N, K), rows summing to 1."""
    return clf.predict_proba(np.asarray(z, dtype=np.float64))


def predict(clf: CalibratedClassifierCV, z: np.ndarray) -> np.ndarray:
    """ŷ_S: the class of highest calibrated probability (int64, N)."""
    proba = predict_proba(clf, z)
    return np.asarray(clf.classes_)[np.argmax(proba, axis=1)].astype(np.int64)
