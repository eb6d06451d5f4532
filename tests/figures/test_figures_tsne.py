"""lb.figures.tsne.embed: openTSNE with its defaults and a fixed seed."""

import numpy as np
import pytest

from lb.figures import tsne


@pytest.fixture(scope="module")
def clusters():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), 20)
    return rng.normal(size=(60, 5)) + 6 * np.eye(5)[labels], labels


def test_shape_and_determinism(clusters):
    x, _ = clusters
    a, b = tsne.embed(x, seed=3), tsne.embed(x, seed=3)
    assert a.shape == (60, 2) and a.dtype == np.float64
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, tsne.embed(x, seed=4))


def test_one_thread_always(clusters, monkeypatch):
    """openTSNE's FFT gradients change with the thread count, so embed never uses more."""
    import openTSNE

    seen = []
    real = openTSNE.TSNE

    def spy(*args, **kwargs):
        seen.append(kwargs.get("n_jobs"))
        return real(*args, **kwargs)

    monkeypatch.setattr(openTSNE, "TSNE", spy)
    tsne.embed(clusters[0], seed=0)
    assert seen == [1]


def test_clusters_stay_apart(clusters):
    x, labels = clusters
    xy = tsne.embed(x, seed=0)
    centres = np.stack([xy[labels == k].mean(0) for k in range(3)])
    spread = max(np.linalg.norm(xy[labels == k] - centres[k], axis=1).mean() for k in range(3))
    gaps = [np.linalg.norm(centres[i] - centres[j]) for i in range(3) for j in range(i + 1, 3)]
    assert min(gaps) > 2 * spread


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.zeros(5), "2-D"),
        (np.zeros((3, 2)), "at least 4 rows"),
        (np.full((6, 2), np.nan), "NaN or inf"),
    ],
)
def test_bad_input(x, message):
    with pytest.raises(ValueError, match=message):
        tsne.embed(x, seed=0)
