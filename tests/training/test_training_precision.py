"""training.precision: fp32 (default) or bf16 autocast around the network's forward only.

This machine's CPU may lack bf16 instructions; then ``bf16`` is refused (tested below) and the
tests of bf16's numbers lift the refusal with ``monkeypatch`` (torch then emulates bf16: the same
numbers, only slower), since what they check (float32 losses and outputs, determinism) does not
depend on the instructions used.
"""

import json

import numpy as np
import pandas as pd
import pytest
import torch
from test_training_run import BASE, assert_same_results, read_outputs, run

from lb import device as lb_device
from lb.errors import ConfigError
from lb.training import RunConfig, train_run
from lb.training import trainer as trainer_module
from lb.training.__main__ import build_parser, config_from_args

TINY = {**BASE, "max_epochs": 2, "warmup_epochs": 1, "train_limit": 400, "test_limit": 200}


def cfg_for(**changes) -> RunConfig:
    return RunConfig(**{**TINY, **changes})


@pytest.fixture
def bf16_allowed(monkeypatch):
    """Let bf16 run on this CPU whatever its instructions (see the module docstring)."""
    monkeypatch.setattr(trainer_module, "bf16_unsupported", lambda _device: None)


def test_precision_defaults_to_fp32_and_is_part_of_the_identity():
    cfg = RunConfig(**BASE)
    assert cfg.precision == "fp32"
    assert cfg.identity()["precision"] == "fp32"
    assert RunConfig.from_dict({**cfg.to_dict(), "precision": "bf16"}).precision == "bf16"


@pytest.mark.parametrize("value", ["fp16", "BF16", None, 16])
def test_unknown_precision_is_a_one_line_config_error(value):
    with pytest.raises(ConfigError, match="precision must be one of fp32, bf16") as info:
        cfg_for(precision=value)
    assert "\n" not in str(info.value)


def test_cli_takes_precision():
    base = ["--dataset", "digits", "--model", "digits_cnn", "--method", "baseline"]
    base += ["--lam", "0", "--seed", "0", "--out", "x"]
    parser = build_parser()
    assert config_from_args(parser.parse_args(base)).precision == "fp32"
    assert config_from_args(parser.parse_args([*base, "--precision", "bf16"])).precision == "bf16"
    with pytest.raises(SystemExit):
        parser.parse_args([*base, "--precision", "fp16"])


def test_bf16_is_refused_before_training_exactly_where_torch_reports_no_support(tmp_path):
    reason = lb_device.bf16_unsupported(torch.device("cpu"))
    cfg = cfg_for(method="baseline", lam=0.0, precision="bf16", max_epochs=1, warmup_epochs=0)
    if reason is None:
        _, metrics = run(tmp_path, "ok", cfg)
        assert metrics["precision"] == "bf16"
        return
    logs = []
    with pytest.raises(ConfigError) as info:
        train_run(cfg, tmp_path / "r", tmp_path / "r.ckpt.pt", log=logs.append)
    message = str(info.value)
    assert "\n" not in message and "precision bf16" in message and "use precision fp32" in message
    assert logs == []  # stopped before any epoch
    assert not (tmp_path / "r.ckpt.pt").exists()
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())  # no output


def test_the_cpu_support_check_asks_onednn(monkeypatch):
    cpu = torch.device("cpu")
    monkeypatch.setattr(torch.backends.mkldnn, "is_available", lambda: False)
    assert "oneDNN" in lb_device.bf16_unsupported(cpu)
    monkeypatch.setattr(torch.backends.mkldnn, "is_available", lambda: True)
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: False)
    assert "no bf16 instructions" in lb_device.bf16_unsupported(cpu)
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True)
    assert lb_device.bf16_unsupported(cpu) is None
    assert "cpu and cuda only" in lb_device.bf16_unsupported(torch.device("mps"))


def test_autocast_runs_the_forward_in_bf16_only_when_asked():
    layer = torch.nn.Linear(4, 3)
    x = torch.randn(2, 4)
    cpu = torch.device("cpu")
    with lb_device.autocast(cpu, "bf16"):
        assert layer(x).dtype == torch.bfloat16
    with lb_device.autocast(cpu, "fp32"):
        assert layer(x).dtype == torch.float32
    with pytest.raises(ValueError, match="precision"):
        lb_device.autocast(cpu, "fp16")


def test_bf16_runs_are_deterministic_float32_and_differ_from_fp32(tmp_path, bf16_allowed):
    a, metrics = run(tmp_path, "a", cfg_for(precision="bf16"))
    b, _ = run(tmp_path, "b", cfg_for(precision="bf16"))
    fp32, _ = run(tmp_path, "fp32", cfg_for())
    assert_same_results(a, b)  # same config and seed: same numbers and outputs, bit for bit
    assert metrics["precision"] == "bf16"
    assert json.loads((fp32 / "metrics.json").read_text())["precision"] == "fp32"
    _, history, arrays, weights = read_outputs(a)
    assert arrays["latent"].dtype == np.float32 and arrays["logits"].dtype == np.float32
    assert all(w.dtype in (torch.float32, torch.int64) for w in weights.values())
    assert history[["ce", "dist", "total"]].iloc[1].notna().all()  # epoch 2 has the distance term
    fp32_history = pd.read_csv(fp32 / "history.csv")
    assert not np.array_equal(history["ce"], fp32_history["ce"])  # bf16 did change the forward
    assert history["ce"].iloc[0] == pytest.approx(fp32_history["ce"].iloc[0], rel=0.05)


def test_the_losses_see_float32_under_bf16(tmp_path, bf16_allowed, monkeypatch):
    """The distance loss (PCA, variances) and the cross-entropy get float32 inputs."""
    from lb.losses import WeightedLoss

    seen = []
    original = WeightedLoss.forward

    def spy(self, logits, latent, labels):
        seen.append((logits.dtype, latent.dtype))
        return original(self, logits, latent, labels)

    monkeypatch.setattr(WeightedLoss, "forward", spy)
    run(tmp_path, "s", cfg_for(precision="bf16", max_epochs=2))
    assert seen and set(seen) == {(torch.float32, torch.float32)}


class _Stop(Exception):
    pass


def _stop_after_first_epoch(epoch):
    raise _Stop


def _interrupted_checkpoint(tmp_path, cfg):
    """Train ``cfg`` for one epoch and stop: the checkpoint of an unfinished run remains."""
    path = tmp_path / "r.ckpt.pt"
    with pytest.raises(_Stop):
        train_run(cfg, tmp_path / "r", path, log=lambda _: None,
                  on_epoch_end=_stop_after_first_epoch)  # fmt: skip
    assert path.exists()
    return path


def test_a_checkpoint_of_the_other_precision_is_not_resumed(tmp_path, bf16_allowed):
    fp32 = cfg_for(method="baseline", lam=0.0)
    path = _interrupted_checkpoint(tmp_path, fp32)
    logs = []
    bf16 = cfg_for(method="baseline", lam=0.0, precision="bf16")
    train_run(bf16, tmp_path / "r", path, log=logs.append)
    assert "precision: 'fp32' != 'bf16'" in logs[0] and "starting afresh" in logs[0]
    assert not any("resuming" in line for line in logs)
    fresh = tmp_path / "fresh"
    train_run(bf16, fresh / "r", fresh / "r.ckpt.pt", log=lambda _: None)
    assert_same_results(tmp_path / "r", fresh / "r")


def test_a_checkpoint_that_predates_precision_and_e_total_resumes_as_fp32(tmp_path, bf16_allowed):
    cfg = cfg_for(loss_params={"latent_boost": {"eps": 1e-8}})
    path = _interrupted_checkpoint(tmp_path, cfg)
    state = torch.load(path, weights_only=True)
    del state["config"]["precision"]  # as written before the key existed
    torch.save(state, path)
    logs = []
    newer = cfg_for(loss_params={"latent_boost": {"eps": 1e-8, "e_total": None}})
    train_run(newer, tmp_path / "r", path, log=logs.append)
    assert "resuming" in logs[0]
