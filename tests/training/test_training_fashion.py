"""Real Fashion-MNIST (../shared/data) with the Section 3.3 CNN: one epoch, and a resume with
dropout (the global torch RNG must be restored too)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from lb.errors import Interrupted
from lb.training import RunConfig, train_run

DATA_ROOT = Path("/work/shared/data")

pytestmark = pytest.mark.skipif(
    not (DATA_ROOT / "FashionMNIST" / "raw" / "train-images-idx3-ubyte.gz").exists(),
    reason="offline Fashion-MNIST not present",
)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("lb_cache"))


def fashion_cfg(cache_dir, **changes):
    values = dict(
        dataset="fashion_mnist",
        model="fashion_cnn",
        method="latent_boost",
        lam=0.5,
        seed=0,
        batch_size=64,
        max_epochs=1,
        warmup_epochs=0,
        data_root=str(DATA_ROOT),
        cache_dir=cache_dir,
        train_limit=2000,
        test_limit=1000,
        num_threads=1,
    )
    return RunConfig(**{**values, **changes})


def test_one_epoch_on_real_fashion_mnist(tmp_path, cache_dir):
    logs = []
    metrics = train_run(
        fashion_cfg(cache_dir), tmp_path / "f", tmp_path / "f.ckpt.pt", log=logs.append
    )
    assert "1800 train / 200 val / 1000 test images" in logs[0]
    assert metrics["epochs"] == 1 and metrics["best_epoch"] == 1
    assert metrics["accuracy"] > 30.0  # 10 classes; one epoch of 29 batches already learns
    with np.load(tmp_path / "f" / "test_outputs.npz") as npz:
        assert npz["latent"].shape == (1000, 64)  # the paper's 64-d CNN latent
        assert npz["logits"].shape == (1000, 10)
        assert np.bincount(npz["label"]).tolist() == [100] * 10  # stratified subset
    h = pd.read_csv(tmp_path / "f" / "history.csv")
    row = h.iloc[0]
    assert 1 <= row["pca_dim"] <= 64 and row["dist_grad_norm"] > 0
    assert row["alpha"] == pytest.approx(2.0) and row["beta"] == pytest.approx(1.0)  # E = 0


def test_resume_with_dropout_equals_uninterrupted(tmp_path, cache_dir):
    cfg = fashion_cfg(cache_dir, max_epochs=3, train_limit=600, test_limit=200)
    train_run(cfg, tmp_path / "whole", tmp_path / "whole.ckpt.pt", log=lambda _m: None)

    def stop_after_first(epoch):
        if epoch == 1:
            raise KeyboardInterrupt

    with pytest.raises(Interrupted):  # what train_run makes of a KeyboardInterrupt
        train_run(
            cfg, tmp_path / "parts", tmp_path / "p.ckpt.pt", lambda _m: None, stop_after_first
        )
    train_run(cfg, tmp_path / "parts", tmp_path / "p.ckpt.pt", log=lambda _m: None)

    def load(name):
        metrics = json.loads((tmp_path / name / "metrics.json").read_text())
        metrics.pop("wall_seconds")
        history = pd.read_csv(tmp_path / name / "history.csv").drop(columns="seconds")
        weights = torch.load(tmp_path / name / "model.pt", weights_only=True)
        return metrics, history, weights

    m_w, h_w, w_w = load("whole")
    m_p, h_p, w_p = load("parts")
    assert m_w == m_p
    pd.testing.assert_frame_equal(h_w, h_p)
    assert all(torch.equal(w_w[k], w_p[k]) for k in w_w)
