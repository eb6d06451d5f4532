"""Latent traversal (lb.tvae.traversal): end points, sampling, the moment l, ΔU."""

import numpy as np
import pytest

from lb.tvae import traversal as trav


def test_path_points_are_uniform_and_include_both_ends():
    z0 = np.array([[0.0, 0.0], [1.0, 1.0]])
    z1 = np.array([[4.0, 0.0], [1.0, -3.0]])
    p = trav.path_points(z0, z1, 4)
    assert p.shape == (2, 5, 2)
    assert np.allclose(p[:, 0], z0) and np.allclose(p[:, -1], z1)
    assert np.allclose(np.diff(p, axis=1), (z1 - z0)[:, None, :] / 4)


def test_first_agreement():
    svm = np.array([[0, 1, 2, 2], [0, 2, 2, 2], [1, 1, 1, 1]])
    cnn = np.array([[0, 2, 1, 2], [2, 0, 2, 2], [0, 0, 0, 0]])
    assert trav.first_agreement(svm, cnn, np.array([2, 2, 1])).tolist() == [3, 2, -1]


def test_nearest_endpoint_is_the_closest_eligible_point_of_the_class():
    rng = np.random.default_rng(0)
    z_train = rng.normal(size=(200, 3))
    y_train = np.arange(200) % 4
    eligible = rng.random(200) > 0.3
    eligible[y_train == 3] = False  # class 3: nobody eligible -> every point of the class
    z0 = rng.normal(size=(12, 3))
    targets = np.arange(12) % 4
    end, idx = trav.nearest_endpoints(z0, targets, z_train, y_train, eligible)
    for i in range(12):
        cand = np.flatnonzero((y_train == targets[i]) & (eligible | (targets[i] == 3)))
        best = cand[np.argmin(np.linalg.norm(z_train[cand] - z0[i], axis=1))]
        assert idx[i] == best and np.allclose(end[i], z_train[best])


def test_normal_endpoint_moves_along_w_to_the_median_decision_value():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(3, 4))
    b = rng.normal(size=3)
    z_train = rng.normal(size=(90, 4)) * 2
    y_train = np.arange(90) % 3
    z0 = rng.normal(size=(6, 4)) - 5 * w[np.arange(6) % 3]  # far on the negative side
    targets = np.arange(6) % 3
    end, length = trav.normal_endpoints(z0, targets, w, b, z_train, y_train)
    for i, t in enumerate(targets):
        step = end[i] - z0[i]
        assert length[i] > 0
        assert np.allclose(step / np.linalg.norm(step), w[t] / np.linalg.norm(w[t]))
        median = np.median(z_train[y_train == t] @ w[t] + b[t])
        assert end[i] @ w[t] + b[t] == pytest.approx(median)
    # a start already beyond the median does not move
    deep = z0[:1] + 100 * w[0]
    end, length = trav.normal_endpoints(deep, np.array([0]), w, b, z_train, y_train)
    assert length[0] == 0 and np.allclose(end, deep)


def _linear_classifier(weights):
    return lambda z: np.argmax(z @ weights.T, axis=1)


def test_traverse_stops_where_both_classifiers_predict_the_target():
    # 2-D latent; SVM and "CNN" are different linear rules over 3 classes
    svm_w = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]])
    cnn_w = np.array([[1.0, 0.3], [-1.0, -0.2], [0.2, 1.0]])
    z0 = np.array([[-2.0, -2.0], [-2.0, -2.0], [3.0, 0.0]])
    z1 = np.array([[2.0, -2.0], [0.0, 5.0], [2.9, 0.1]])
    targets = np.array([0, 2, 2])
    out = trav.traverse(z0, z1, targets, 10, _linear_classifier(svm_w), _linear_classifier(cnn_w))
    assert out.svm_pred.shape == (3, 11) and out.cnn_pred.shape == (3, 11)
    for i, t in enumerate(targets):
        both = (out.svm_pred[i] == t) & (out.cnn_pred[i] == t)
        if out.moment[i] >= 0:
            assert both[out.moment[i]] and not both[: out.moment[i]].any()
            assert out.reached[i]
        else:
            assert not both.any() and not out.reached[i]
    assert out.moment[0] >= 1 and out.moment[1] >= 1
    assert out.moment[2] == -1  # the path never leaves class 0: reported as never reached


def test_delta_u_parts():
    rng = np.random.default_rng(2)
    start, moment = rng.random((1, 5, 5)), rng.random((1, 5, 5))
    parts = trav.delta_u(start, moment)
    assert np.allclose(parts["delta"], moment - start)
    assert np.all(parts["positive"] >= 0) and np.all(parts["negative"] >= 0)
    assert np.allclose(parts["positive"] - parts["negative"], parts["delta"])
    assert np.allclose(parts["recon_both"], moment)
    assert np.allclose(parts["recon_plus"] - parts["recon_minus"], np.abs(parts["delta"]))
