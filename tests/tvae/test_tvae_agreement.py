"""Agreement cases of Table 1 and the top-K answers (lb.tvae.agreement)."""

import numpy as np
import pytest

from lb.tvae.agreement import (
    CASE_DESCRIPTIONS,
    agreement_cases,
    agreement_table,
    averaged_probabilities,
    top_k,
)


def test_each_case_by_hand():
    y = np.array([1, 1, 1, 1, 1])
    cnn = np.array([1, 2, 2, 1, 2])
    svm = np.array([1, 2, 1, 3, 3])
    assert agreement_cases(y, cnn, svm).tolist() == [1, 2, 3, 4, 5]


def test_cases_partition_the_test_set():
    rng = np.random.default_rng(0)
    y, cnn, svm = (rng.integers(0, 4, 5000) for _ in range(3))
    cases = agreement_cases(y, cnn, svm)
    # every image has exactly one case, and each case is its definition
    definitions = {
        1: (svm == cnn) & (cnn == y),
        2: (svm == cnn) & (cnn != y),
        3: (svm == y) & (cnn != y),
        4: (cnn == y) & (svm != y),
        5: (svm != cnn) & (svm != y) & (cnn != y),
    }
    stacked = np.stack([definitions[k] for k in CASE_DESCRIPTIONS])
    assert np.all(stacked.sum(axis=0) == 1)
    for k, mask in definitions.items():
        assert np.array_equal(cases == k, mask)
    table = agreement_table(cases)
    assert table["count"].sum() == 5000
    assert table["fraction"].sum() == pytest.approx(1.0)
    assert table["case"].tolist() == [1, 2, 3, 4, 5]


def test_agreement_rejects_mismatched_inputs():
    with pytest.raises(ValueError):
        agreement_cases(np.array([1, 2]), np.array([1]), np.array([1, 2]))
    with pytest.raises(ValueError):
        agreement_table(np.array([1, 6]))


def test_top_k_of_the_averaged_probabilities():
    # binary fractions, so the ties below are exact
    p_cnn = np.array([[0.5, 0.25, 0.25], [0.25, 0.25, 0.5], [0.125, 0.75, 0.125]])
    p_svm = np.array([[0.25, 0.5, 0.25], [0.5, 0.25, 0.25], [0.125, 0.125, 0.75]])
    avg = averaged_probabilities(p_cnn, p_svm)
    assert avg.sum(axis=1) == pytest.approx([1.0, 1.0, 1.0])
    cls, prob = top_k(avg, 2)
    # averages [.375, .375, .25], [.375, .25, .375], [.125, .4375, .4375]: ties -> smaller index
    assert cls.tolist() == [[0, 1], [0, 2], [1, 2]]
    assert prob.ravel().tolist() == [0.375, 0.375, 0.375, 0.375, 0.4375, 0.4375]
