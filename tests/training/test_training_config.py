"""RunConfig checks, conversion and the parts of the trainer that need no training."""

import dataclasses
from pathlib import Path

import pytest

from lb.errors import ConfigError
from lb.training.config import MACHINE_KEYS, RunConfig
from lb.training.early_stopping import EarlyStopping
from lb.training.faults import ENV_VAR, injection_from_env
from lb.training.history import COLUMNS, make_row, to_frame, write_history

BASE = dict(dataset="digits", model="digits_cnn", method="latent_boost", lam=0.5, seed=0)
REPO = Path(__file__).resolve().parents[2]
LOCATION_KEYS = ("data_root", "download", "cache_dir", "device")  # top-level keys of the config


def workflow_settings(config) -> dict:
    """The RunConfig settings a workflow config gives every run: its ``training`` block and
    where the data is (as rules/common.smk and workflow_scripts/train.py pass them)."""
    return {**config["training"], **{key: config[key] for key in LOCATION_KEYS}}


def workflow_defaults() -> dict:
    """:func:`workflow_settings` of a config that sets none (the schema's defaults, filled in by
    the workflow's config loader)."""
    from lb.workflow.config import load_config

    experiment = {"dataset": "digits", "model": "digits_cnn", "best_lambda": 0.5}
    return workflow_settings(load_config({"experiments": {"digits": experiment}}, dry_run=True))


def test_the_defaults_are_the_workflow_configs():
    """A run built without settings (e.g. by ``python -m lb.training``) trains like a workflow
    run whose config sets none, and like one of the shipped config.yaml."""
    from lb.workflow.config import load_config

    defaults = {f.name: f.default for f in dataclasses.fields(RunConfig)}
    expected = workflow_defaults()
    assert {key: defaults[key] for key in expected} == expected
    assert (defaults["max_epochs"], defaults["warmup_epochs"]) == (150, 5)
    shipped = workflow_settings(load_config(REPO / "config.yaml", dry_run=True))
    assert shipped == expected, "config.yaml's training block and the schema's defaults differ"


def test_defaults_follow_the_paper():
    cfg = RunConfig(**BASE)
    assert cfg.lr_factor == 0.2  # "reduced the learning rate by factor 5"
    assert cfg.lr_patience == 10
    assert cfg.early_stopping_patience == 20
    assert cfg.device == "auto"
    assert cfg.train_limit is None and cfg.test_limit is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("lam", 1.5),
        ("lam", -0.1),
        ("lam", "0.5"),
        ("lam", float("nan")),
        ("seed", -1),
        ("seed", 1.0),
        ("seed", True),
        ("batch_size", 1),
        ("lr", 0.0),
        ("max_epochs", 0),
        ("warmup_epochs", -1),
        ("val_fraction", 0.0),
        ("val_fraction", 1.0),
        ("lr_factor", 1.0),
        ("lr_patience", -1),
        ("early_stopping_patience", 0),
        ("train_limit", 0),
        ("test_limit", 2.5),
        ("num_threads", 0),
        ("dist_grad_every", 0),
        ("download", "yes"),
        ("data_root", 3),
        ("loss_params", [1, 2]),
        ("loss_params", {"latent_boost": {"alpha0": object()}}),
        ("dataset", ""),
        ("dataset", "imagenet"),
        ("model", "resnet18"),
        ("method", "magnett"),
    ],
)
def test_bad_values_raise_one_line_naming_the_key(key, value):
    with pytest.raises(ConfigError) as info:
        RunConfig(**{**BASE, key: value})
    message = str(info.value)
    assert key in message
    assert "\n" not in message


def test_warmup_must_leave_epochs_for_the_distance_term():
    with pytest.raises(ConfigError, match="warmup_epochs"):
        RunConfig(**BASE, max_epochs=3, warmup_epochs=3)
    # ... but the baseline and λ = 0 never use it, so any warm-up is fine there
    RunConfig(**{**BASE, "method": "baseline", "lam": 0.0}, max_epochs=3, warmup_epochs=3)
    RunConfig(**{**BASE, "lam": 0.0}, max_epochs=3, warmup_epochs=5)


def test_ints_are_stored_as_floats_and_dict_round_trip():
    cfg = RunConfig(**{**BASE, "lam": 1}, lr=1)
    assert isinstance(cfg.lam, float) and isinstance(cfg.lr, float)
    assert RunConfig.from_dict(cfg.to_dict()) == cfg
    assert cfg == RunConfig(**{**BASE, "lam": 1.0}, lr=1.0)


def test_from_dict_rejects_unknown_and_missing_keys():
    with pytest.raises(ConfigError, match="unknown run setting.*lamda"):
        RunConfig.from_dict({**BASE, "lamda": 0.5})
    values = dict(BASE)
    del values["seed"]
    with pytest.raises(ConfigError, match="missing run setting.*seed"):
        RunConfig.from_dict(values)


def test_identity_leaves_out_only_data_location_and_threads():
    cfg = RunConfig(**BASE)
    names = {f.name for f in dataclasses.fields(RunConfig)}
    assert set(cfg.identity()) == names - MACHINE_KEYS
    assert MACHINE_KEYS == {"data_root", "download", "cache_dir", "num_threads"}


def test_early_stopping_counts_epochs_without_strict_improvement():
    stopper = EarlyStopping(patience=2)
    assert stopper.update(1, 50.0)
    assert not stopper.update(2, 50.0)  # a tie is no improvement
    assert not stopper.should_stop
    assert stopper.update(3, 60.0)
    assert not stopper.update(4, 10.0)
    assert not stopper.update(5, 59.0)
    assert stopper.should_stop
    assert (stopper.best_epoch, stopper.best_score) == (3, 60.0)
    clone = EarlyStopping(patience=7)
    clone.load_state_dict(stopper.state_dict())
    assert clone.state_dict() == stopper.state_dict()


def test_history_rows_have_exactly_the_contract_columns(tmp_path):
    assert COLUMNS == (
        "epoch",
        "ce",
        "dist",
        "total",
        "val_accuracy",
        "lr",
        "pca_dim",
        "alpha",
        "beta",
        "dist_grad_norm",
        "seconds",
    )
    rows = [make_row(epoch=1, ce=1.0, total=1.0, val_accuracy=50.0, lr=1e-3, seconds=0.5)]
    with pytest.raises(KeyError):
        make_row(epoch=2, accuracy=3.0)
    write_history(rows, tmp_path / "history.csv")
    lines = (tmp_path / "history.csv").read_text().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1] == "1,1.0,,1.0,50.0,0.001,,,,,0.5"  # empty cells where not applicable
    assert list(to_frame(rows).columns) == list(COLUMNS)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("2:3:dist", (2, 3, "dist", "nan")),
        ("1:1:ce:inf", (1, 1, "ce", "inf")),
        (" 4:10:total ", (4, 10, "total", "nan")),
    ],
)
def test_injection_variable_is_parsed(monkeypatch, raw, expected):
    monkeypatch.setenv(ENV_VAR, raw)
    injection = injection_from_env()
    if expected is None:
        assert injection is None
    else:
        assert (injection.epoch, injection.batch, injection.term) == expected[:3]
        assert str(injection.value) == expected[3]


@pytest.mark.parametrize("raw", ["2:3", "a:1:ce", "1:1:loss", "0:1:ce", "1:1:ce:zero", "1:1:1:1:1"])
def test_malformed_injection_variable_is_a_config_error(monkeypatch, raw):
    monkeypatch.setenv(ENV_VAR, raw)
    with pytest.raises(ConfigError, match=ENV_VAR):
        injection_from_env()
