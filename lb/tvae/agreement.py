"""CNN/SVM agreement and the top-K answers (the triplet-VAE paper, Sect. 3.2, Eq. 1, Table 1;
Sect. 3.3).

The five cases of Table 1 partition the test set (ŷ_S: SVM, ŷ_C: CNN, y: label):

1. ŷ_S = ŷ_C = y          both right
2. ŷ_S = ŷ_C ≠ y          both wrong, on the same class
3. ŷ_S = y ≠ ŷ_C          SVM right, CNN wrong
4. ŷ_C = y ≠ ŷ_S          CNN right, SVM wrong
5. ŷ_S ≠ ŷ_C, both ≠ y    both wrong, on different classes

Eq. 1's "Negative" comparisons (ŷ_C ≠ ŷ_S) are cases 3–5. For those the paper proposes the K most
probable answers by the "averaged sum rule" [12]: the mean of the CNN's softmax probabilities and
the SVM's Platt probabilities, sorted (ties broken by the smaller class index).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CASE_DESCRIPTIONS = {
    1: "svm == cnn == label",
    2: "svm == cnn != label",
    3: "svm == label != cnn",
    4: "cnn == label != svm",
    5: "svm != cnn, both != label",
}


def agreement_cases(y: np.ndarray, y_cnn: np.ndarray, y_svm: np.ndarray) -> np.ndarray:
    """The Table 1 case (1–5) of every test image, int64 (N,)."""
    y, y_cnn, y_svm = (np.asarray(a, dtype=np.int64) for a in (y, y_cnn, y_svm))
    if not (y.shape == y_cnn.shape == y_svm.shape) or y.ndim != 1:
        raise ValueError("agreement_cases: y, y_cnn and y_svm must be 1-D of the same length")
    agree = y_svm == y_cnn
    return np.select(
        [agree & (y_svm == y), agree, y_svm == y, y_cnn == y],
        [1, 2, 3, 4],
        default=5,
    ).astype(np.int64)


def agreement_table(cases: np.ndarray) -> pd.DataFrame:
    """Counts and fractions per case: columns ``case, description, count, fraction``."""
    cases = np.asarray(cases)
    counts = np.array([(cases == k).sum() for k in CASE_DESCRIPTIONS], dtype=np.int64)
    if counts.sum() != cases.size or cases.size == 0:
        raise ValueError("agreement_table: cases must be a non-empty array of values 1..5")
    return pd.DataFrame(
        {
            "case": list(CASE_DESCRIPTIONS),
            "description": list(CASE_DESCRIPTIONS.values()),
            "count": counts,
            "fraction": counts / cases.size,
        }
    )


def averaged_probabilities(p_cnn: np.ndarray, p_svm: np.ndarray) -> np.ndarray:
    """The averaged sum rule: (p_CNN + p_SVM) / 2, rows still summing to 1."""
    p_cnn = np.asarray(p_cnn, dtype=np.float64)
    p_svm = np.asarray(p_svm, dtype=np.float64)
    if p_cnn.shape != p_svm.shape:
        raise ValueError("averaged_probabilities: both probability arrays must have one shape")
    return 0.5 * (p_cnn + p_svm)


def top_k(probs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most probable classes per row and their probabilities, each (N, k)."""
    probs = np.asarray(probs, dtype=np.float64)
    order = np.argsort(-probs, axis=1, kind="stable")[:, :k]
    return order.astype(np.int64), np.take_along_axis(probs, order, axis=1)
