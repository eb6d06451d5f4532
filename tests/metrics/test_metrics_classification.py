"""accuracy, micro-F1 and macro-F1 against scikit-learn."""

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score, f1_score

from lb.metrics import accuracy, macro_f1, micro_f1


@pytest.mark.parametrize("seed", range(5))
def test_match_sklearn(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 100))
    y_true = rng.integers(0, k, size=500)
    y_pred = np.where(rng.random(500) < 0.7, y_true, rng.integers(0, k + 3, size=500))
    assert accuracy(y_true, y_pred) == pytest.approx(accuracy_score(y_true, y_pred), abs=1e-15)
    assert micro_f1(y_true, y_pred) == pytest.approx(
        f1_score(y_true, y_pred, average="micro"), abs=1e-12
    )
    assert macro_f1(y_true, y_pred) == pytest.approx(
        f1_score(y_true, y_pred, average="macro"), abs=1e-12
    )
    # single-label multiclass: micro-F1 is accuracy
    assert micro_f1(y_true, y_pred) == pytest.approx(accuracy(y_true, y_pred), abs=1e-12)


def test_tensor_inputs_and_ranges():
    y_true = torch.tensor([0, 1, 2, 2, 1])
    y_pred = torch.tensor([0, 2, 2, 2, 0])
    assert accuracy(y_true, y_pred) == pytest.approx(0.6)
    assert isinstance(macro_f1(y_true, y_pred), float)
    assert macro_f1(y_true, y_pred) == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert accuracy(y_true, y_true) == 1.0 and macro_f1(y_true, y_true) == 1.0


@pytest.mark.parametrize(
    "y_true, y_pred, name",
    [([0, 1], [0], "y_pred"), ([[0, 1]], [[0, 1]], "y_true"), ([], [], "y_true")],
)
def test_bad_input(y_true, y_pred, name):
    for fn in (accuracy, micro_f1, macro_f1):
        with pytest.raises(ValueError, match=name):
            fn(y_true, y_pred)
