"""Linear SVM with Platt scaling on latents (lb.tvae.svm)."""

import numpy as np
import pytest

from lb.tvae import svm


def _blobs(n=300, d=4, k=3, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3, (k, d))
    y = np.arange(n) % k
    return centres[y] + rng.normal(0, 1, (n, d)), y


def test_probabilities_sum_to_one_and_predict_is_their_argmax():
    z, y = _blobs()
    clf = svm.fit_svm(z, y, seed=0)
    zt, _ = _blobs(seed=1)
    p = svm.predict_proba(clf, zt)
    assert p.shape == (300, 3)
    assert np.all(p >= 0)
    assert p.sum(axis=1) == pytest.approx(np.ones(300), abs=1e-12)
    assert np.array_equal(svm.predict(clf, zt), p.argmax(axis=1))
    assert np.mean(svm.predict(clf, z) == y) > 0.9


def test_hyperplanes_are_the_refitted_linear_svm():
    z, y = _blobs()
    clf = svm.fit_svm(z, y, seed=0)
    w, b = svm.hyperplanes(clf)
    assert w.shape == (3, 4) and b.shape == (3,)
    est = clf.calibrated_classifiers_[0].estimator
    assert np.allclose(svm.decision_values(clf, z), est.decision_function(z))
    assert len(clf.calibrated_classifiers_) == 1  # ensemble=False: one set of hyperplanes


def test_same_seed_same_svm():
    z, y = _blobs()
    a = svm.predict_proba(svm.fit_svm(z, y, seed=3), z)
    b = svm.predict_proba(svm.fit_svm(z, y, seed=3), z)
    assert np.array_equal(a, b)


def test_binary_problem_gives_two_opposite_hyperplanes():
    z, y = _blobs(k=2)
    w, b = svm.hyperplanes(svm.fit_svm(z, y, seed=0))
    assert np.allclose(w[0], -w[1]) and np.allclose(b[0], -b[1])


def test_a_class_with_one_point_is_refused():
    z, y = _blobs()
    y = y.copy()
    y[0] = 7
    with pytest.raises(ValueError, match="at least 2"):
        svm.fit_svm(z, y, seed=0)
