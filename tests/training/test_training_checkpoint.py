"""Checkpoint helpers: RNG capture/restore through a weights-only load, refusal of a checkpoint
made with other settings or other library code."""

import random

import numpy as np
import pytest
import torch

from lb.errors import ConfigError, LBError
from lb.training.checkpoint import (
    capture_rng,
    config_differences,
    load_checkpoint,
    restore_rng,
    save_checkpoint,
    training_code_version,
)
from lb.training.config import RunConfig

BASE = dict(dataset="digits", model="digits_cnn", method="magnet", lam=0.5, seed=3)


def _draws(gen):
    return (
        torch.rand(3).tolist(),
        torch.rand(3, generator=gen).tolist(),
        random.random(),
        np.random.random(),  # noqa: NPY002 - the global state is what is checkpointed
    )


def test_rng_states_survive_a_weights_only_round_trip(tmp_path):
    cfg = RunConfig(**BASE)
    gen = torch.Generator().manual_seed(11)
    torch.manual_seed(1)
    random.seed(2)
    np.random.seed(3)  # noqa: NPY002
    np.random.normal()  # noqa: NPY002 - leaves a cached gaussian in the state
    _draws(gen)
    save_checkpoint({"config": cfg.to_dict(), "rng": capture_rng({"train": gen})}, tmp_path / "c")
    expected = _draws(gen)
    expected_gauss = np.random.normal()  # noqa: NPY002

    other = torch.Generator().manual_seed(99)
    torch.manual_seed(123)
    random.seed(5)
    np.random.seed(7)  # noqa: NPY002
    state = load_checkpoint(tmp_path / "c", cfg)  # torch.load(weights_only=True) inside
    restore_rng(state["rng"], {"train": other})
    assert _draws(other) == expected
    assert np.random.normal() == expected_gauss  # noqa: NPY002


def test_missing_checkpoint_is_none(tmp_path):
    assert load_checkpoint(tmp_path / "absent.pt", RunConfig(**BASE)) is None


def test_a_checkpoint_of_other_settings_is_refused_in_one_line(tmp_path):
    path = tmp_path / "c.pt"
    saved = RunConfig(**BASE)
    save_checkpoint({"config": saved.to_dict()}, path)
    with pytest.raises(ConfigError) as info:
        load_checkpoint(path, RunConfig(**{**BASE, "lam": 0.75}, max_epochs=7))
    message = str(info.value)
    assert "lam: 0.5 != 0.75" in message and f"max_epochs: {saved.max_epochs} != 7" in message
    assert str(path) in message and "\n" not in message
    # the data location and the thread count may change between invocations
    moved = RunConfig(
        **BASE, data_root="/elsewhere", cache_dir="/tmp/x", download=True, num_threads=3
    )
    assert load_checkpoint(path, moved)["config"]["seed"] == 3
    assert config_differences(RunConfig(**BASE).to_dict(), moved) == []


def test_a_checkpoint_of_other_library_code_is_refused_in_one_line(tmp_path, monkeypatch):
    path = tmp_path / "c.pt"
    cfg = RunConfig(**BASE)
    save_checkpoint({"config": cfg.to_dict()}, path)
    made_by = training_code_version()
    assert torch.load(path, weights_only=True)["code"] == made_by
    assert load_checkpoint(path, cfg) is not None
    monkeypatch.setattr("lb.training.checkpoint.training_code_version", lambda: "f" * 64)
    with pytest.raises(ConfigError) as info:
        load_checkpoint(path, cfg)
    message = str(info.value)
    assert f"library code of lb.training: {made_by[:12]} != ffffffffffff" in message
    assert str(path) in message and "\n" not in message


def test_a_checkpoint_without_a_code_version_counts_as_other_code(tmp_path):
    path = tmp_path / "c.pt"
    cfg = RunConfig(**BASE)
    torch.save({"format": 1, "config": cfg.to_dict()}, path)
    with pytest.raises(ConfigError, match=r"library code of lb.training: none \(older file\)"):
        load_checkpoint(path, cfg)


def test_unreadable_checkpoint_says_what_to_do(tmp_path):
    path = tmp_path / "c.pt"
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(LBError, match="delete it") as info:
        load_checkpoint(path, RunConfig(**BASE))
    assert "\n" not in str(info.value)


def test_checkpoint_with_arbitrary_objects_is_not_unpickled(tmp_path):
    path = tmp_path / "c.pt"
    torch.save({"format": 1, "config": RunConfig(**BASE).to_dict(), "x": _Evil()}, path)
    with pytest.raises(LBError, match="cannot read checkpoint"):
        load_checkpoint(path, RunConfig(**BASE))


class _Evil:
    pass
