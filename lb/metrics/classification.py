"""Accuracy, micro-F1 and macro-F1 of single-label multiclass predictions.

Per class c: TP_c, FP_c, FN_c. Micro-F1 = 2ΣTP / (2ΣTP + ΣFP + ΣFN); for single-label multiclass
predictions every error is one FP and one FN, so micro-F1 equals accuracy exactly. (The paper's
tables report them as different numbers; the report shows both F1s and says this.) Macro-F1 is
the unweighted mean over classes of F1_c = 2TP_c / (2TP_c + FP_c + FN_c), over the classes that
occur in ``y_true`` or ``y_pred`` — the same as ``sklearn.metrics.f1_score(average="macro")``.
All values are floats in [0, 1].
"""

from __future__ import annotations

import numpy as np
import torch


def _labels(name: str, values) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    return arr


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    t, p = _labels("y_true", y_true), _labels("y_pred", y_pred)
    if t.shape != p.shape:
        raise ValueError(f"y_pred has length {p.shape[0]} but y_true has {t.shape[0]}")
    return t, p


def _confusion_counts(t: np.ndarray, p: np.ndarray):
    classes, inverse = np.unique(np.concatenate([t, p]), return_inverse=True)
    ti, pi = inverse[: t.size], inverse[t.size :]
    k = classes.size
    tp = np.bincount(ti[ti == pi], minlength=k).astype(np.float64)
    fp = np.bincount(pi, minlength=k) - tp
    fn = np.bincount(ti, minlength=k) - tp
    return tp, fp, fn


def accuracy(y_true, y_pred) -> float:
    """Fraction of correct predictions, in [0, 1]."""
    t, p = _pair(y_true, y_pred)
    return float(np.mean(t == p))


def micro_f1(y_true, y_pred) -> float:
    """Micro-averaged F1 (= accuracy for single-label multiclass), in [0, 1]."""
    tp, fp, fn = _confusion_counts(*_pair(y_true, y_pred))
    return float(2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum()))


def macro_f1(y_true, y_pred) -> float:
    """Unweighted mean of per-class F1 over classes present in ``y_true`` or ``y_pred``."""
    tp, fp, fn = _confusion_counts(*_pair(y_true, y_pred))
    return float(np.mean(2 * tp / (2 * tp + fp + fn)))
