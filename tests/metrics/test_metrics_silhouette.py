"""lb.metrics.silhouette_score equals sklearn.metrics.silhouette_score (Euclidean and cosine)."""

import numpy as np
import pytest
import torch
from sklearn.metrics import silhouette_score as sklearn_silhouette

from lb.metrics import silhouette_score


def clustered(seed, n, d, k, spread=3.0, offset=0.0, singletons=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(singletons, k, size=n)
    labels[:singletons] = np.arange(singletons)
    centres = rng.normal(size=(k, d)) * spread
    x = centres[labels] + rng.normal(size=(n, d)) + offset
    return x, labels


@pytest.mark.parametrize(
    "seed, n, d, k, chunk",
    [
        (0, 1500, 32, 10, 1024),
        (1, 2000, 64, 100, 1024),
        (2, 1000, 512, 10, 300),  # several blocks, ragged last block
        (3, 700, 8, 100, 64),
    ],
)
def test_equals_sklearn_on_clustered_data(seed, n, d, k, chunk):
    x, y = clustered(seed, n, d, k)
    expected = sklearn_silhouette(x, y)
    assert silhouette_score(torch.tensor(x), torch.tensor(y), chunk_size=chunk) == pytest.approx(
        expected, abs=1e-10
    )
    x32 = x.astype(np.float32)
    got32 = silhouette_score(torch.tensor(x32), torch.tensor(y), chunk_size=chunk)
    assert abs(got32 - sklearn_silhouette(x32, y)) <= 1e-5


def test_chunk_size_does_not_change_the_result():
    x, y = clustered(4, 500, 16, 7)
    values = [silhouette_score(x, y, chunk_size=c) for c in (13, 100, 499, 500, 10_000)]
    assert max(values) - min(values) <= 1e-12


def test_singletons_offset_and_overlapping_clusters():
    """Singleton clusters count as 0 (as in sklearn); a large offset does not cost precision."""
    x, y = clustered(5, 400, 20, 30, spread=0.3, offset=1e3, singletons=5)
    assert silhouette_score(x.astype(np.float32), y) == pytest.approx(
        sklearn_silhouette(x, y), abs=1e-5
    )
    assert silhouette_score(x, y) == pytest.approx(sklearn_silhouette(x, y), abs=1e-10)


def test_duplicate_points_and_array_inputs():
    x = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [5.0, 5.0], [5.0, 6.0]])
    y = np.array([0, 0, 1, 1, 2, 2])
    assert silhouette_score(x, y) == pytest.approx(sklearn_silhouette(x, y), abs=1e-12)
    assert silhouette_score(x.tolist(), y.tolist()) == pytest.approx(sklearn_silhouette(x, y))


@pytest.mark.parametrize(
    "x, y, name",
    [
        (np.zeros(5), np.arange(5), "embeddings"),
        (np.zeros((5, 2)), np.arange(4), "labels"),
        (np.zeros((5, 2)), np.zeros(5), "labels"),  # one label
        (np.zeros((5, 2)), np.arange(5), "labels"),  # N labels
        (np.full((5, 2), np.nan), np.array([0, 0, 1, 1, 1]), "embeddings"),
    ],
)
def test_bad_input_names_the_argument(x, y, name):
    with pytest.raises(ValueError, match=name):
        silhouette_score(x, y)


def test_bad_chunk_size():
    x, y = clustered(6, 20, 2, 3)
    with pytest.raises(ValueError, match="chunk_size"):
        silhouette_score(x, y, chunk_size=0)


@pytest.mark.parametrize(
    "seed, n, d, k, chunk, offset",
    [(6, 1200, 32, 10, 500, 0.0), (7, 900, 64, 30, 256, 2.0), (8, 600, 8, 5, 1000, -1.0)],
)
def test_cosine_equals_sklearn(seed, n, d, k, chunk, offset):
    """Cosine distances; an offset changes the angles, so the score too (no centring)."""
    x, y = clustered(seed, n, d, k, offset=offset)
    expected = sklearn_silhouette(x, y, metric="cosine")
    got = silhouette_score(x, y, chunk_size=chunk, metric="cosine")
    assert got == pytest.approx(expected, abs=1e-10)
    x32 = x.astype(np.float32)
    got32 = silhouette_score(x32, y, chunk_size=chunk, metric="cosine")
    assert abs(got32 - sklearn_silhouette(x32, y, metric="cosine")) <= 1e-5
    assert abs(got - silhouette_score(x, y)) > 1e-3  # a different number from the Euclidean one


def test_cosine_ignores_the_length_of_each_row():
    x, y = clustered(9, 300, 16, 4)
    scale = np.random.default_rng(9).uniform(0.1, 10.0, size=(300, 1))
    assert silhouette_score(x * scale, y, metric="cosine") == pytest.approx(
        silhouette_score(x, y, metric="cosine"), abs=1e-12
    )


def test_an_unknown_metric_is_refused():
    x, y = clustered(10, 50, 4, 3)
    with pytest.raises(ValueError, match="metric must be one of euclidean, cosine"):
        silhouette_score(x, y, metric="manhattan")
