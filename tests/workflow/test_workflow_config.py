"""lb.workflow.config: defaults, one-line errors naming the key, config source selection."""

import copy
from pathlib import Path

import pytest
import yaml

from lb.errors import ConfigError
from lb.losses import METHODS
from lb.workflow.config import (
    experiment_resources,
    experiment_training,
    load_config,
    parse_config_args,
    read_yaml,
    workflow_config,
)
from lb.workflow.runs import enumerate_runs

REPO = Path(__file__).resolve().parents[2]
TEST_CONFIG = REPO / "configs" / "test.yaml"


def base():
    return yaml.safe_load(TEST_CONFIG.read_text())


def error_of(cfg) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_shipped_configs_load(tmp_path, monkeypatch):
    monkeypatch.setenv("LB_DATA_ROOT", str(tmp_path))
    counts = {
        name: len(enumerate_runs(load_config(REPO / name)))
        for name in ("config.yaml", "configs/demo.yaml", "configs/test.yaml")
    }
    assert counts["config.yaml"] == 390
    assert 0 < counts["configs/test.yaml"] <= counts["configs/demo.yaml"] <= 30


def test_demo_runs_every_loss_and_the_vae(tmp_path):
    cfg = load_config(REPO / "configs" / "demo.yaml")
    methods = {r.method for r in enumerate_runs(cfg)}
    assert methods == set(METHODS)
    assert {r.dataset for r in enumerate_runs(cfg)} == {"digits"}
    assert cfg["vae"]["enabled"] is True
    assert len(cfg["seeds"]) == 2


def test_defaults_are_filled():
    cfg = load_config(
        {
            "experiments": {"d": {"dataset": "digits", "model": "digits_cnn", "best_lambda": 0.5}},
            "tables": {"table2": {"baseline": [0]}},
        }
    )
    assert cfg["results_dir"] == "results"
    assert cfg["seeds"] == [0, 1, 2, 3, 4]
    assert cfg["download"] is False and cfg["data_root"] is None and cfg["device"] == "auto"
    assert cfg["losses"]["latent_boost"] == {
        "alpha0": 1.0,
        "beta0": 1.0,
        "variance_threshold": 0.95,
        "eps": 1e-8,
        "variance_grad": True,
        "hinge": True,
        "e_total": None,  # E_total of Eq 10 = max_epochs
    }
    assert experiment_training(cfg, "d")["precision"] == "fp32"
    assert cfg["losses"]["magnet"]["alpha"] == 1.0 and cfg["losses"]["magnet"]["hinge"] is True
    assert cfg["losses"]["triplet"] == {"margin": 0.05, "triplets_per_anchor": "all"}
    assert cfg["ablation"] == {"enabled": True, "methods": ["latent_boost_detached_var"]}
    assert experiment_training(cfg, "d")["early_stopping_patience"] == 20
    assert experiment_resources(cfg, "d") == {"gpu": 0, "runtime": 60, "mem_mb": 4000, "threads": 1}


def test_experiment_overrides_top_level_training_and_resources():
    cfg = base()
    cfg["experiments"]["digits"]["training"] = {"lr": 0.01}
    cfg["experiments"]["digits"]["resources"] = {"gpu": 1}
    out = load_config(cfg)
    assert experiment_training(out, "digits")["lr"] == 0.01
    assert experiment_training(out, "digits")["batch_size"] == 64  # from the top level
    assert experiment_resources(out, "digits")["gpu"] == 1
    assert experiment_resources(out, "digits")["threads"] == 1


def test_every_training_key_is_a_run_setting_and_precision_can_be_overridden():
    """rules/common.smk passes every key of an experiment's training block to RunConfig."""
    from lb.training import RunConfig

    cfg = base()
    cfg["experiments"]["digits"]["training"] = {"precision": "bf16"}
    out = load_config(cfg)
    training = experiment_training(out, "digits")
    assert training["precision"] == "bf16"
    assert set(training) <= set(RunConfig.__dataclass_fields__)
    settings = {"dataset": "digits", "model": "digits_cnn", "method": "baseline", "lam": 0.0}
    assert RunConfig.from_dict({**settings, "seed": 0, **training}).precision == "bf16"


def test_the_paper_fashion_mnist_config(tmp_path, monkeypatch):
    monkeypatch.setenv("LB_DATA_ROOT", str(tmp_path))
    cfg = load_config(REPO / "configs" / "paper_fmnist.yaml")
    runs = enumerate_runs(cfg)
    assert {(r.method, r.lam) for r in runs} == {
        ("baseline", 0.0),
        ("latent_boost", 0.75),
        ("latent_boost_detached_var", 0.75),
        ("magnet", 0.75),
        ("latent_boost_no_pca", 0.75),
    }
    assert len(runs) == 25 and {r.seed for r in runs} == {0, 1, 2, 3, 4}
    assert {(r.dataset, r.model) for r in runs} == {("fashion_mnist", "fashion_cnn")}
    training = experiment_training(cfg, "fashion_mnist")
    assert training["train_limit"] is None and training["test_limit"] is None
    assert (training["early_stopping_patience"], training["lr_factor"]) == (20, 0.2)
    assert (training["lr_patience"], training["max_epochs"]) == (10, 150)
    assert training["precision"] == "fp32"
    assert cfg["losses"]["latent_boost"]["e_total"] == 40
    assert cfg["vae"]["enabled"] is False
    assert cfg["results_dir"] == "results/paper_fmnist"


def test_the_e_total_sensitivity_config_differs_from_the_paper_run_only_where_it_says(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("LB_DATA_ROOT", str(tmp_path))
    main = load_config(REPO / "configs" / "paper_fmnist.yaml")
    sensitivity = load_config(REPO / "configs" / "paper_fmnist_etotal_max.yaml")
    runs = enumerate_runs(sensitivity)
    assert {(r.method, r.lam, r.seed) for r in runs} == {
        ("latent_boost", 0.75, s) for s in range(3)
    }
    assert sensitivity["losses"]["latent_boost"]["e_total"] is None  # reading (i): max_epochs
    assert sensitivity["results_dir"] != main["results_dir"]
    for key in ("training", "experiments", "device", "resources"):
        assert sensitivity[key] == main[key], key
    assert {k: v for k, v in sensitivity["losses"]["latent_boost"].items() if k != "e_total"} == {
        k: v for k, v in main["losses"]["latent_boost"].items() if k != "e_total"
    }


def test_input_is_not_modified():
    cfg = base()
    before = copy.deepcopy(cfg)
    load_config(cfg)
    assert cfg == before


def test_two_experiments_do_not_share_default_objects():
    cfg = base()
    cfg["experiments"]["mnist"] = {"dataset": "mnist", "model": "fashion_cnn", "best_lambda": 0.5}
    cfg["download"] = True
    out = load_config(cfg)
    out["experiments"]["digits"]["training"]["lr"] = 1.0
    assert "lr" not in out["experiments"]["mnist"]["training"]


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda c: c["training"].update(lrr=0.1), "training.lrr: unknown key; did you mean 'lr'?"),
        (lambda c: c["training"].update(lr="1e-3"), "training.lr: expected number"),
        (lambda c: c["training"].update(max_epochs=0), "training.max_epochs: 0 is less than"),
        (
            lambda c: c["experiments"]["digits"].update(training={"lr": -1}),
            "experiments.digits.training.lr:",
        ),
        (lambda c: c.update(seeds=[]), "seeds: must not be empty"),
        (
            lambda c: c["tables"]["table3"].update(latent_boost=[1.5]),
            "tables.table3.latent_boost[0]",
        ),
        (lambda c: c["tables"]["table2"].update(baseline=[0.5]), "tables.table2.baseline[0]"),
        (lambda c: c["experiments"]["digits"].update(model="vgg16"), "experiments.digits.model"),
        (lambda c: c["experiments"]["digits"].update(dataset="svhn"), "experiments.digits.dataset"),
        (lambda c: c["tables"].update(table4=["magnet", "arcface"]), "tables.table4[1]"),
        (
            lambda c: c.update(losses={"latent_boost": {"variance_threshold": 0}}),
            "losses.latent_boost.variance_threshold",
        ),
        (lambda c: c["experiments"]["digits"].pop("model"), "experiments.digits.model: missing"),
        (lambda c: c["training"].update(warmup_epochs=2), "training.warmup_epochs"),
        (lambda c: c.update(vae={"epochs": 0}), "vae.epochs"),
        (lambda c: c["training"].update(precision="fp16"), "training.precision"),
        (
            lambda c: c["experiments"]["digits"].update(training={"precision": "bf32"}),
            "experiments.digits.training.precision",
        ),
        (
            lambda c: c.update(losses={"latent_boost": {"e_total": 0}}),
            "losses.latent_boost.e_total",
        ),
        (
            lambda c: c.update(losses={"latent_boost": {"e_total": 40.5}}),
            "losses.latent_boost.e_total",
        ),
        (lambda c: c.update(losses={"magnet": {"e_total": 40}}), "losses.magnet.e_total"),
    ],
)
def test_errors_name_the_key(mutate, expected):
    cfg = base()
    mutate(cfg)
    assert expected in error_of(cfg)


def test_yaml_text_number_hint():
    cfg = base()
    cfg["training"]["lr"] = "1e-3"
    assert "write 1.0e-3 or 0.001" in error_of(cfg)


def test_unreadable_data_root(tmp_path, monkeypatch):
    cfg = base()
    cfg["experiments"] = {
        "f": {"dataset": "fashion_mnist", "model": "fashion_cnn", "best_lambda": 0.5}
    }
    cfg["data_root"] = str(tmp_path / "nowhere")
    message = error_of(cfg)
    assert message.startswith("data_root: ") and "download: true" in message
    cfg["data_root"] = None
    monkeypatch.setenv("LB_DATA_ROOT", str(tmp_path / "nowhere"))
    assert "$LB_DATA_ROOT" in error_of(cfg)
    cfg["download"] = True
    load_config(cfg)  # downloading: the root is created on demand
    cfg["download"] = False
    cfg["data_root"] = str(tmp_path)
    load_config(cfg)


def test_digits_needs_no_data_root(tmp_path):
    cfg = base()
    cfg["data_root"] = str(tmp_path / "nowhere")
    load_config(cfg)


def test_read_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("seeds: [0, 1]\ntraining:\n  lr: [0.1\n  batch_size: 3\n")
    with pytest.raises(ConfigError) as info:
        read_yaml(path)
    message = str(info.value)
    assert message.startswith(f"{path}:") and "YAML syntax error" in message
    assert "\n" not in message
    line = int(message[len(str(path)) + 1 :].split(":")[0])
    assert 3 <= line <= 4
    with pytest.raises(ConfigError, match="not found"):
        read_yaml(tmp_path / "missing.yaml")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="mapping"):
        read_yaml(tmp_path / "list.yaml")


def test_parse_config_args_types_values():
    assert parse_config_args(["seeds=[0, 1]", "ablation={enabled: false}", "results_dir=out"]) == {
        "seeds": [0, 1],
        "ablation": {"enabled": False},
        "results_dir": "out",
    }
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_config_args(["seeds"])
    with pytest.raises(ConfigError, match="--config seeds"):
        parse_config_args(["seeds=[0, 1"])


def test_workflow_config_replaces_default_with_configfile(tmp_path, monkeypatch):
    monkeypatch.setenv("LB_DATA_ROOT", str(tmp_path))
    # no --configfile: the default (paper) config, --config merged on top
    cfg = workflow_config({"seeds": ["0"]}, [], ["seeds=[0]"])
    assert set(cfg["experiments"]) == {"fashion_mnist", "cifar10", "cifar100"}
    assert cfg["seeds"] == [0]
    assert len(enumerate_runs(cfg)) == 78
    # --configfile: it replaces the default instead of being merged into it
    cfg = workflow_config(base(), [str(TEST_CONFIG)], ["results_dir=elsewhere"])
    assert set(cfg["experiments"]) == {"digits"}
    assert cfg["results_dir"] == "elsewhere"
