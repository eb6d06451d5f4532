"""Short real training runs on the embedded digits dataset (digits_cnn)."""

import json
import math
import os

import numpy as np
import pandas as pd
import pytest
import torch

from lb import errors
from lb.data import load_dataset
from lb.errors import ConfigError, NonFiniteLossError, OutputError
from lb.losses import METHODS
from lb.losses.latent_boost import schedule
from lb.run_outputs import RUN_OUTPUTS
from lb.training import HISTORY_COLUMNS, RunConfig, train_run
from lb.training.faults import ENV_VAR

BASE = dict(
    dataset="digits",
    model="digits_cnn",
    method="latent_boost",
    lam=0.5,
    seed=0,
    batch_size=64,
    max_epochs=3,
    warmup_epochs=1,
    num_threads=1,  # tiny model: one thread is ~10x faster than two on a busy 2-core machine
)


def cfg_for(**changes) -> RunConfig:
    return RunConfig(**{**BASE, **changes})


def run(tmp_path, name, cfg, **kwargs):
    out = tmp_path / name
    metrics = train_run(cfg, out, tmp_path / f"{name}.ckpt.pt", log=lambda _m: None, **kwargs)
    return out, metrics


def read_outputs(out):
    metrics = json.loads((out / "metrics.json").read_text())
    history = pd.read_csv(out / "history.csv")
    with np.load(out / "test_outputs.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    weights = torch.load(out / "model.pt", weights_only=True)
    return metrics, history, arrays, weights


def assert_same_results(out_a, out_b):
    """Equal bit for bit, except the wall-clock values."""
    m_a, h_a, a_a, w_a = read_outputs(out_a)
    m_b, h_b, a_b, w_b = read_outputs(out_b)
    m_a.pop("wall_seconds")
    m_b.pop("wall_seconds")
    assert m_a == m_b
    pd.testing.assert_frame_equal(h_a.drop(columns="seconds"), h_b.drop(columns="seconds"))
    assert a_a.keys() == a_b.keys()
    for key in a_a:
        assert np.array_equal(a_a[key], a_b[key]), key
    assert w_a.keys() == w_b.keys()
    for key in w_a:
        assert torch.equal(w_a[key], w_b[key]), key


@pytest.mark.parametrize("method", METHODS)
def test_every_method_trains_and_writes_all_outputs(tmp_path, method):
    lam = 0.0 if method == "baseline" else 0.5
    cfg = cfg_for(method=method, lam=lam, max_epochs=2)
    out, metrics = run(tmp_path, method, cfg)
    assert sorted(p.name for p in out.iterdir()) == sorted(RUN_OUTPUTS)
    saved, history, arrays, weights = read_outputs(out)
    assert saved == metrics
    for key in ("accuracy", "micro_f1", "macro_f1", "epochs", "best_epoch", "wall_seconds"):
        assert key in metrics
    assert {k: metrics[k] for k in ("seed", "method", "lam", "dataset", "model")} == {
        "seed": 0,
        "method": method,
        "lam": lam,
        "dataset": "digits",
        "model": "digits_cnn",
    }
    assert metrics["device"] == "cpu"
    assert metrics["epochs"] == 2 and 1 <= metrics["best_epoch"] <= 2
    assert 0.0 <= metrics["accuracy"] <= 100.0 and metrics["accuracy"] > 30.0  # it learns
    assert 0.0 <= metrics["macro_f1"] <= 1.0
    # micro-F1 of single-label classification is the accuracy
    assert metrics["micro_f1"] == pytest.approx(metrics["accuracy"] / 100, abs=1e-12)
    assert list(history.columns) == list(HISTORY_COLUMNS)
    assert history["epoch"].tolist() == [1, 2]
    n_test = len(load_dataset("digits").test_y)
    assert arrays["latent"].dtype == np.float32 and arrays["latent"].shape == (n_test, 32)
    assert arrays["logits"].dtype == np.float32 and arrays["logits"].shape == (n_test, 10)
    assert arrays["label"].dtype == np.int64 and arrays["label"].shape == (n_test,)
    predicted = arrays["logits"].argmax(axis=1)
    assert 100 * np.mean(predicted == arrays["label"]) == pytest.approx(metrics["accuracy"])
    assert all(isinstance(v, torch.Tensor) for v in weights.values())
    distance_columns = history[["dist", "dist_grad_norm"]]
    if method == "baseline":
        assert distance_columns.isna().all().all()
    else:  # epoch 1 is warm-up, epoch 2 uses the distance term
        assert distance_columns.iloc[0].isna().all()
        assert (distance_columns.iloc[1] > 0).all()


def test_history_of_warmup_and_latent_boost_epochs(tmp_path):
    cfg = cfg_for(max_epochs=4, warmup_epochs=2)
    out, _ = run(tmp_path, "lb", cfg)
    h = pd.read_csv(out / "history.csv")
    warm, boost = h.iloc[:2], h.iloc[2:]
    for column in ("dist", "pca_dim", "alpha", "beta", "dist_grad_norm"):
        assert warm[column].isna().all(), column  # the distance term is not computed
        assert boost[column].notna().all(), column
    assert (warm["total"] == warm["ce"]).all()  # warm-up: plain cross-entropy
    # Eq 5 per batch, so also for the epoch means
    expected_total = 0.5 * boost["dist"] + 0.5 * boost["ce"]
    assert np.allclose(boost["total"], expected_total, rtol=1e-6)
    # Eq 10 with E = 0-based epoch index counting warm-up, E_total = max_epochs
    for _, row in boost.iterrows():
        alpha, beta = schedule(1.0, 1.0, int(row["epoch"]) - 1, 4, 1e-8)
        assert row["alpha"] == pytest.approx(alpha) and row["beta"] == pytest.approx(beta)
    assert ((boost["pca_dim"] >= 1) & (boost["pca_dim"] <= 32)).all()
    assert (h["val_accuracy"] > 0).all() and (h["val_accuracy"] <= 100).all()
    assert (h["lr"] == 1e-3).all()
    assert (h["seconds"] > 0).all()


@pytest.mark.parametrize("method", ["latent_boost", "latent_boost_detached_var"])
def test_the_schedule_uses_e_total_when_set_else_max_epochs(tmp_path, method):
    for e_total, length in ((None, 3), (20, 20)):
        params = {"latent_boost": {"e_total": e_total}}
        cfg = cfg_for(method=method, max_epochs=3, warmup_epochs=1, loss_params=params)
        out, _ = run(tmp_path, f"{method}-{e_total}", cfg)
        h = pd.read_csv(out / "history.csv")
        for _, row in h.iloc[1:].iterrows():  # epochs 2, 3: E = 1, 2
            epoch = int(row["epoch"]) - 1
            alpha = 1 + math.exp(-epoch / (1.05 * length))  # Eq 10, α0 = β0 = 1
            beta = max(1 - epoch / (0.2 * length), 1e-8)
            assert row["alpha"] == pytest.approx(alpha) and row["beta"] == pytest.approx(beta)


def test_gradient_norm_sampling_does_not_change_training(tmp_path):
    every, _ = run(tmp_path, "every", cfg_for(max_epochs=2))
    sparse, _ = run(tmp_path, "sparse", cfg_for(max_epochs=2, dist_grad_every=4))
    h1, h4 = pd.read_csv(every / "history.csv"), pd.read_csv(sparse / "history.csv")
    same = ["epoch", "ce", "dist", "total", "val_accuracy", "lr", "pca_dim", "alpha", "beta"]
    pd.testing.assert_frame_equal(h1[same], h4[same])
    # 19 batches: measured on all of them vs on batches 1, 5, 9, 13, 17: similar but not equal means
    assert h1["dist_grad_norm"].iloc[1] != h4["dist_grad_norm"].iloc[1]
    assert h4["dist_grad_norm"].iloc[1] == pytest.approx(h1["dist_grad_norm"].iloc[1], rel=0.5)


def test_same_seed_same_files_other_seed_differs(tmp_path):
    a, _ = run(tmp_path, "a", cfg_for())
    b, _ = run(tmp_path, "b", cfg_for())
    c, _ = run(tmp_path, "c", cfg_for(seed=1))
    assert_same_results(a, b)
    assert (a / "history.csv").read_text() != (c / "history.csv").read_text()
    with np.load(a / "test_outputs.npz") as na, np.load(c / "test_outputs.npz") as nc:
        assert not np.array_equal(na["latent"], nc["latent"])
        assert np.array_equal(na["label"], nc["label"])  # same test images, same order


class Interrupted(Exception):
    pass


def _interrupt_after(epoch_to_stop):
    def hook(epoch):
        if epoch == epoch_to_stop:
            raise Interrupted

    return hook


def test_interrupted_and_resumed_equals_uninterrupted(tmp_path):
    cfg = cfg_for(max_epochs=4, warmup_epochs=1)
    whole, _ = run(tmp_path, "whole", cfg)
    with pytest.raises(Interrupted):
        run(tmp_path, "parts", cfg, on_epoch_end=_interrupt_after(2))
    assert not (tmp_path / "parts" / "metrics.json").exists()
    state = torch.load(tmp_path / "parts.ckpt.pt", weights_only=True)
    assert state["epoch"] == 2 and not state["finished"] and len(state["history"]) == 2
    logs = []
    train_run(cfg, tmp_path / "parts", tmp_path / "parts.ckpt.pt", log=logs.append)
    assert "resuming" in logs[0] and "epoch 2" in logs[0]
    assert sum(" epoch " in line and "/4" in line for line in logs) == 2  # epochs 3 and 4 only
    assert_same_results(whole, tmp_path / "parts")


def test_a_finished_run_leaves_no_checkpoint_and_retrains_the_same_bytes(tmp_path):
    cfg = cfg_for(max_epochs=2)
    out, first = run(tmp_path, "r", cfg)
    assert not (tmp_path / "r.ckpt.pt").exists()  # deleted once the outputs were written
    assert not list(tmp_path.glob("r.ckpt.pt*"))  # nor its lock file
    before = {name: (out / name).read_bytes() for name in RUN_OUTPUTS}
    logs = []
    second = train_run(cfg, out, tmp_path / "r.ckpt.pt", log=logs.append)
    assert not any("resuming" in line or "finished run" in line for line in logs)
    first.pop("wall_seconds")
    second.pop("wall_seconds")
    assert first == second
    # model.pt and test_outputs.npz are byte-identical (saved through an open file: the zip
    # records no temporary file name)
    for name in ("model.pt", "test_outputs.npz"):
        assert (out / name).read_bytes() == before[name], name


def test_a_checkpoint_marked_finished_is_only_re_evaluated(tmp_path):
    """Interrupted after the last epoch, before the outputs: the rerun trains nothing."""
    cfg = cfg_for(max_epochs=2)
    with pytest.raises(Interrupted):
        run(tmp_path, "r", cfg, on_epoch_end=_interrupt_after(2))
    assert torch.load(tmp_path / "r.ckpt.pt", weights_only=True)["finished"]
    logs = []
    train_run(cfg, tmp_path / "r", tmp_path / "r.ckpt.pt", log=logs.append)
    assert "finished run, re-evaluating" in logs[0]
    assert not any(" epoch " in line and "/2 " in line for line in logs)
    assert not (tmp_path / "r.ckpt.pt").exists()
    whole, _ = run(tmp_path, "whole", cfg)
    assert_same_results(whole, tmp_path / "r")


def test_a_checkpoint_of_other_settings_is_deleted_and_the_run_starts_afresh(tmp_path):
    """Settings changed after a failed or interrupted run: its resume state is stale."""
    with pytest.raises(Interrupted):
        run(tmp_path, "r", cfg_for(max_epochs=3), on_epoch_end=_interrupt_after(1))
    changed = cfg_for(max_epochs=2, lam=0.25)
    logs = []
    train_run(changed, tmp_path / "r", tmp_path / "r.ckpt.pt", log=logs.append)
    assert "settings changed since checkpoint" in logs[0] and "starting afresh" in logs[0]
    assert "lam: 0.5 != 0.25" in logs[0] and "max_epochs: 3 != 2" in logs[0]
    assert not any("resuming" in line for line in logs)
    fresh, _ = run(tmp_path, "fresh", changed)
    assert_same_results(fresh, tmp_path / "r")


def test_a_checkpoint_of_other_library_code_is_deleted_and_the_run_starts_afresh(
    tmp_path, monkeypatch
):
    """The trainer's code was edited after an interrupted run: its weights are not resumed."""
    cfg = cfg_for(max_epochs=2)
    with pytest.raises(Interrupted):
        run(tmp_path, "r", cfg, on_epoch_end=_interrupt_after(1))
    monkeypatch.setattr("lb.training.checkpoint.training_code_version", lambda: "0" * 64)
    logs = []
    train_run(cfg, tmp_path / "r", tmp_path / "r.ckpt.pt", log=logs.append)
    assert "settings changed since checkpoint" in logs[0] and "starting afresh" in logs[0]
    assert "library code of lb.training:" in logs[0] and "!= 000000000000" in logs[0]
    assert not any("resuming" in line for line in logs)
    fresh, _ = run(tmp_path, "fresh", cfg)
    assert_same_results(fresh, tmp_path / "r")


def test_ctrl_c_is_one_line_naming_the_epoch_and_the_rerun_resumes(tmp_path):
    cfg = cfg_for(max_epochs=3)

    def ctrl_c(epoch):
        if epoch == 2:
            raise KeyboardInterrupt

    with pytest.raises(errors.Interrupted) as info:  # Ctrl-C, not this file's Interrupted
        run(tmp_path, "r", cfg, on_epoch_end=ctrl_c)
    # the hook runs after epoch 2's checkpoint, as if Ctrl-C came at the start of epoch 3
    assert str(info.value) == (
        f"[{cfg.label()}] interrupted at epoch 3; rerun resumes from epoch 2 "
        f"({tmp_path / 'r.ckpt.pt'})"
    )
    assert not (tmp_path / "r" / "metrics.json").exists()
    logs = []
    train_run(cfg, tmp_path / "r", tmp_path / "r.ckpt.pt", log=logs.append)
    assert "resuming" in logs[0] and "(epoch 2)" in logs[0]


def test_a_second_writer_of_the_same_run_is_refused_in_one_line(tmp_path):
    from lb.training.lock import lock_path, run_lock

    checkpoint = tmp_path / "r.ckpt.pt"
    with run_lock(lock_path(checkpoint), "first"):
        with pytest.raises(OutputError) as info:
            run(tmp_path, "r", cfg_for(max_epochs=2))
    message = str(info.value)
    assert "is being trained by another process" in message and "\n" not in message
    assert str(lock_path(checkpoint)) in message and f"pid {os.getpid()}" in message
    assert not (tmp_path / "r" / "metrics.json").exists()
    run(tmp_path, "r", cfg_for(max_epochs=2))  # released: the run goes ahead


def test_an_unusable_output_directory_is_one_line(tmp_path):
    with pytest.raises(
        OutputError, match=r"cannot create output directory /etc/passwd/x: .*ENOTDIR"
    ):
        train_run(cfg_for(), "/etc/passwd/x", tmp_path / "c.pt", log=lambda _m: None)


def test_early_stopping_and_plateau_scheduler(tmp_path):
    # With a negligible learning rate the validation accuracy cannot improve after epoch 1.
    cfg = cfg_for(
        method="baseline",
        lam=0.0,
        warmup_epochs=0,
        lr=1e-12,
        max_epochs=10,
        lr_patience=0,
        early_stopping_patience=3,
    )
    out, metrics = run(tmp_path, "es", cfg)
    h = pd.read_csv(out / "history.csv")
    assert metrics["epochs"] == 4 and metrics["best_epoch"] == 1
    assert h["val_accuracy"].nunique() == 1
    # patience 0: every epoch without improvement multiplies the lr by 0.2 for the next one
    assert h["lr"].tolist() == pytest.approx([1e-12, 1e-12, 2e-13, 4e-14], rel=1e-9)


@pytest.mark.parametrize(("where", "term"), [("2:3", "dist"), ("1:1", "ce"), ("3:2", "total")])
def test_non_finite_loss_names_epoch_batch_term_and_leaves_no_output(
    tmp_path, monkeypatch, where, term
):
    out = tmp_path / "nan"
    out.mkdir()
    for name in RUN_OUTPUTS:  # stale outputs of an earlier run must not survive either
        (out / name).write_text("stale")
    (out / "notes.txt").write_text("not ours")
    (out / ".metrics.json.abc123.tmp").write_text("left by a killed writer")
    monkeypatch.setenv(ENV_VAR, f"{where}:{term}")
    with pytest.raises(NonFiniteLossError) as info:
        train_run(cfg_for(max_epochs=3), out, tmp_path / "nan.ckpt.pt", log=lambda _m: None)
    epoch, batch = where.split(":")
    message = str(info.value)
    assert f"epoch {epoch}, batch {batch}/" in message
    assert f"'{term}'" in message and "nan" in message and "\n" not in message
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_non_finite_inf_is_reported_as_inf(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "2:1:dist:inf")
    with pytest.raises(NonFiniteLossError, match="'dist' is inf at epoch 2, batch 1/"):
        run(tmp_path, "inf", cfg_for(max_epochs=2))


def test_train_limit_keeps_a_stratified_subset(tmp_path):
    cfg = cfg_for(method="baseline", lam=0.0, warmup_epochs=0, max_epochs=1)
    logs = []
    limited = RunConfig(**{**cfg.to_dict(), "train_limit": 500, "test_limit": 200})
    train_run(limited, tmp_path / "l", tmp_path / "l.ckpt.pt", log=logs.append)
    assert "450 train / 50 val / 200 test images" in logs[0]
    with np.load(tmp_path / "l" / "test_outputs.npz") as npz:
        counts = np.bincount(npz["label"], minlength=10)
    assert counts.sum() == 200 and counts.min() >= 19 and counts.max() <= 21


def test_checkpoint_inside_out_dir_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="inside out_dir"):
        train_run(cfg_for(), tmp_path / "o", tmp_path / "o" / "c.pt", log=lambda _m: None)


def test_distance_gradient_norm_matches_an_independent_computation(tmp_path):
    """Recompute ‖∂dist/∂latent‖ of the first Latent Boost batch with a separate backward."""
    # E_total = 10, so at E = 1 β = 0.5 is above its floor and the gradient is not ~0
    cfg = cfg_for(max_epochs=10, warmup_epochs=1, dist_grad_every=100)  # only batch 1 measured
    stop_before_epoch_2 = _interrupt_after(1)
    with pytest.raises(Interrupted):
        run(tmp_path, "g", cfg, on_epoch_end=stop_before_epoch_2)
    # Rebuild the state at the start of epoch 2 from the checkpoint and redo batch 1 by hand.
    from lb.data import BatchLoader, load_dataset, stratified_split
    from lb.losses import build_distance_loss
    from lb.models import build_model
    from lb.training import checkpoint as ckpt
    from lb.training.trainer import _TRAIN_STREAM, _derived_seed

    state = torch.load(tmp_path / "g.ckpt.pt", weights_only=True)
    data = load_dataset("digits")
    fit_idx, _ = stratified_split(data.train_y, cfg.val_fraction, cfg.seed)
    model = build_model("digits_cnn", data.spec)
    model.load_state_dict(state["model"])
    gen = torch.Generator().manual_seed(_derived_seed(cfg.seed, _TRAIN_STREAM))
    ckpt.restore_rng(state["rng"], {"train": gen})
    loader = BatchLoader(
        data.train_x[fit_idx], data.train_y[fit_idx], data.spec, cfg.batch_size, True, False, gen
    )
    x, y = next(iter(loader))
    model.train()
    _, latent = model(x)
    latent = latent.detach().requires_grad_(True)
    loss = build_distance_loss("latent_boost")
    loss.set_epoch(1, 10)
    loss(latent, y).backward()
    expected = float(latent.grad.norm())
    with pytest.raises(Interrupted):
        run(tmp_path, "g", cfg, on_epoch_end=_interrupt_after(2))
    measured = torch.load(tmp_path / "g.ckpt.pt", weights_only=True)["history"][1]["dist_grad_norm"]
    assert math.isfinite(measured) and measured == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(("device", "match"), [("gpu", "not a torch device"), ("cuda", "CUDA")])
def test_unusable_device_is_a_config_error(tmp_path, device, match):
    if match == "CUDA" and torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    with pytest.raises(ConfigError, match=match):
        run(tmp_path, "d", cfg_for(device=device))


def test_a_mapping_is_accepted_as_config(tmp_path):
    cfg = cfg_for(method="baseline", lam=0.0, max_epochs=1, warmup_epochs=0)
    out = tmp_path / "m"
    metrics = train_run(cfg.to_dict(), out, tmp_path / "m.ckpt.pt", log=lambda _m: None)
    assert metrics["epochs"] == 1 and (out / "metrics.json").exists()


def test_history_shows_the_issue_11_gradient_collapse(tmp_path):
    """Once β reaches its floor (E ≥ 0.2·E_total) the literal Latent Boost term has ~no gradient
    on the latent; with σ² detached it keeps pulling."""
    ratios = {}
    for method in ("latent_boost", "latent_boost_detached_var"):
        out, _ = run(tmp_path, method, cfg_for(method=method, max_epochs=3, warmup_epochs=0))
        h = pd.read_csv(out / "history.csv")
        assert h["beta"].tolist() == pytest.approx([1.0, 1e-8, 1e-8])  # E = 0, 1, 2 of 3
        ratios[method] = h["dist_grad_norm"].iloc[1:].max() / h["dist_grad_norm"].iloc[0]
    assert ratios["latent_boost"] < 1e-4
    assert ratios["latent_boost_detached_var"] > 1e-2
