"""The silhouette readings of Table 5: Euclidean and cosine on the full latent (scikit-learn as
the reference), Euclidean on Figure 3's t-SNE embedding; the command's rows and one-line error."""

import subprocess
import sys

import numpy as np
import pytest
from sklearn.metrics import silhouette_score as sklearn_silhouette

from lb.figures.tsne import TSNE_SEED, embed
from lb.metrics.silhouette_readings import readings


def latents(seed, n=240, d=16, k=4):
    """ReLU-like clustered latents (float32, n × d) and their labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, size=n)
    latent = np.maximum(rng.normal(size=(k, d))[labels] * 2 + rng.normal(size=(n, d)), 0)
    return latent.astype(np.float32), labels


def run_dir(tmp_path, seed):
    """A run directory holding only ``test_outputs.npz`` with :func:`latents` of ``seed``."""
    latent, labels = latents(seed)
    path = tmp_path / f"seed{seed}"
    path.mkdir()
    logits = np.zeros((len(labels), 4), np.float32)
    np.savez(path / "test_outputs.npz", latent=latent, label=labels, logits=logits)
    return path


def test_readings_equal_scikit_learn():
    latent, labels = latents(0)
    got = readings(latent, labels, tsne_seed=TSNE_SEED)
    assert got["euclidean"] == pytest.approx(sklearn_silhouette(latent, labels), abs=1e-5)
    cosine = sklearn_silhouette(latent, labels, metric="cosine")
    assert got["cosine"] == pytest.approx(cosine, abs=1e-5)
    xy = embed(latent, TSNE_SEED)
    assert got["tsne"] == pytest.approx(sklearn_silhouette(xy, labels), abs=1e-10)
    assert "tsne" not in readings(latent, labels)


def test_the_command_prints_a_row_per_run(tmp_path):
    dirs = [run_dir(tmp_path, seed) for seed in (0, 1)]
    cmd = [sys.executable, "-m", "lb.metrics.silhouette_readings", *map(str, dirs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "| run | euclidean | cosine |" and len(lines) == 4
    for line, seed in zip(lines[2:], (0, 1), strict=True):
        cells = line.strip("| ").split(" | ")
        latent, labels = latents(seed)
        expected = [sklearn_silhouette(latent, labels, metric=m) for m in ("euclidean", "cosine")]
        assert cells[0] == str(dirs[seed])
        assert [float(c) for c in cells[1:]] == pytest.approx(expected, abs=6e-4)  # 3 decimals


def test_a_run_without_test_outputs_is_one_line(tmp_path):
    cmd = [sys.executable, "-m", "lb.metrics.silhouette_readings", str(tmp_path / "none")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert "test_outputs.npz: cannot read" in proc.stderr
