"""The PCA-reading diagnostic: Eq 8 as trained, and the other readings on known spectra."""

import numpy as np
import pytest
import torch

from lb.losses.pca import batch_pca
from lb.metrics.pca_readings import (
    batch_components,
    components_for,
    main,
    reading_summary,
)


def test_components_for_counts_the_first_index_reaching_the_threshold():
    assert components_for(np.array([6.0, 3.0, 1.0]), 0.9) == 2
    assert components_for(np.array([6.0, 3.0, 1.0]), 0.91) == 3
    assert components_for(np.zeros(4), 0.95) == 4  # no variance: all (Eq 8's else branch)


@pytest.mark.parametrize("seed", range(5))
def test_eq8_reading_matches_the_training_pca(seed):
    gen = np.random.default_rng(seed)
    scales = gen.uniform(0.05, 3.0, size=64)
    x = np.maximum(gen.normal(size=(128, 64)) * scales, 0.0)  # ReLU-like latent
    _, dim = batch_pca(torch.from_numpy(x), 0.95)
    assert batch_components(x, "eq8") == dim


def test_readings_on_a_known_spectrum():
    # Orthogonal features with standard deviations 10, 1, 1, 1 (exactly, after centring).
    gen = np.random.default_rng(0)
    q, _ = np.linalg.qr(gen.normal(size=(200, 4)))
    q -= q.mean(axis=0)
    q, _ = np.linalg.qr(q)  # orthonormal and centred columns
    x = q * np.array([10.0, 1.0, 1.0, 1.0]) + 5.0
    # S² = 100, 1, 1, 1: 100/103 = 0.971 >= 0.95 -> 1 component
    assert batch_components(x, "eq8", 0.95) == 1
    # S = 10, 1, 1, 1: 10/13 = 0.77, 11/13 = 0.85, 12/13 = 0.92 -> 4 components
    assert batch_components(x, "singular_values", 0.95) == 4
    # standardised: four equal variances -> 4 components
    assert batch_components(x, "standardised", 0.95) == 4
    # uncentred: the mean 5·√200 dominates the first singular value
    assert batch_components(x, "uncentred", 0.95) == 1


def test_dead_units_count_as_inactive_and_carry_no_component():
    gen = np.random.default_rng(1)
    x = gen.normal(size=(512, 8))
    x[:, :3] = 0.0
    summary = reading_summary(x, batch_size=128)
    assert summary["active_units"] == 5
    assert summary["standardised"] == 5  # five equal-variance features need all five
    with pytest.raises(ValueError, match="unknown reading"):
        batch_components(x[:128], "whitened")


def test_cli_prints_a_row_per_run_and_one_line_for_a_bad_file(tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    gen = np.random.default_rng(2)
    np.savez(run / "test_outputs.npz", latent=gen.normal(size=(300, 16)).astype(np.float32),
             label=np.zeros(300, dtype=np.int64))  # fmt: skip
    assert main([str(run)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 3 and "| eq8 |" in out
    assert main([str(tmp_path / "missing")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "test_outputs.npz" in err


def test_training_mode_latents_are_deterministic_batches_of_the_trained_network(tmp_path, capsys):
    import json

    from lb.data import get_spec
    from lb.metrics.pca_readings import training_mode_latents
    from lb.models import build_model

    torch.manual_seed(0)
    model = build_model("digits_cnn", get_spec("digits"))
    torch.save(model.state_dict(), tmp_path / "model.pt")
    (tmp_path / "metrics.json").write_text(json.dumps({"dataset": "digits", "model": "digits_cnn"}))
    first = training_mode_latents(tmp_path, n_batches=3, batch_size=16)
    assert first.shape == (48, model.latent_dim) and first.dtype == np.float64
    np.testing.assert_array_equal(
        first, training_mode_latents(tmp_path, n_batches=3, batch_size=16)
    )
    assert main([str(tmp_path), "--training-mode", "--batch-size", "16"]) == 0
    assert f"| {tmp_path} |" in capsys.readouterr().out
