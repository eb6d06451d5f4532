"""The vae: block: the schema's defaults and checks (through lb.workflow.config.load_config, as
the workflow meets them), read once into lb.tvae.config.VAEConfig; the steps' settings."""

import dataclasses
from pathlib import Path

import pytest

from lb.errors import ConfigError
from lb.tvae.config import (
    STEP_KEYS,
    AnalysisSettings,
    CNNSettings,
    DataSettings,
    VAEConfig,
    VAESettings,
    VAETraining,
    schema_defaults,
    step_settings,
)
from lb.workflow.config import load_config, read_yaml

REPO = Path(__file__).resolve().parents[2]


def vae_block(block):
    """configs/test.yaml with ``block`` as its vae: block, through load_config: the vae block."""
    cfg = read_yaml(REPO / "configs" / "test.yaml")
    cfg["vae"] = block
    return load_config(cfg)["vae"]


def test_defaults_come_from_the_schema_and_are_resolved_for_the_dataset():
    mnist = VAEConfig.defaults()
    assert mnist.dataset == "mnist" and mnist.hidden == (512, 256)
    assert mnist.cnn_model == "fashion_cnn" and mnist.seeds == (0,)
    assert mnist.alpha == schema_defaults()["alpha"]
    assert VAEConfig.from_plain(vae_block({})) == mnist
    digits = VAEConfig.from_plain(vae_block({"dataset": "digits"}))
    assert digits.hidden == (128, 64) and digits.cnn_model == "digits_cnn"
    assert vae_block({})["enabled"] is True


def test_seed_becomes_seeds_and_the_block_reads_back_unchanged():
    block = vae_block({"seed": 3, "alpha": 2})
    assert block["seeds"] == [3] and "seed" not in block and block["alpha"] == 2.0
    cfg = VAEConfig.from_plain(block)
    assert cfg.to_block() == block and VAEConfig.from_block(block) == cfg
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.alpha = 1.0


@pytest.mark.parametrize(
    ("block", "key"),
    [
        ({"epochz": 3}, "vae.epochz"),
        ({"dataset": "cifar10"}, "vae.dataset"),
        ({"latent_dim": 0}, "vae.latent_dim"),
        ({"epochs": 2.5}, "vae.epochs"),
        ({"batch_size": True}, "vae.batch_size"),
        ({"beta": -1}, "vae.beta"),
        ({"alpha": "x"}, "vae.alpha"),
        ({"margin": float("nan")}, "vae.margin"),
        ({"lr": float("inf")}, "vae.lr"),
        ({"lr": 0}, "vae.lr"),
        ({"seed": 1, "seeds": [1]}, "vae.seed"),
        ({"seeds": []}, "vae.seeds"),
        ({"seeds": [1, 1]}, "vae.seeds"),
        ({"seed": -1}, "vae.seed"),
        ({"top_k": 11}, "vae.top_k"),
        ({"hidden": [64, 0]}, "vae.hidden[1]"),
        ({"enabled": "yes"}, "vae.enabled"),
        ({"train_limit": 5}, "vae.train_limit"),
        ({"tsne_points": 10}, "vae.tsne_points"),
        ({"cnn_model": 3}, "vae.cnn_model"),
    ],
)
def test_bad_values_name_their_key_in_one_line(block, key):
    with pytest.raises(ConfigError) as err:
        vae_block(block)
    message = str(err.value)
    assert message.startswith(f"{key}:") and "\n" not in message


def test_each_step_reads_only_the_keys_it_depends_on():
    cfg = VAEConfig.from_plain(vae_block({"alpha": 3.0, "margin": 2.0, "dataset": "digits"}))
    assert "alpha" in step_settings(cfg, "triplet")
    assert not {"alpha", "margin"} & set(step_settings(cfg, "vanilla"))
    assert "latent_dim" not in step_settings(cfg, "cnn")
    assert set(STEP_KEYS["analysis"]) >= set(STEP_KEYS["cnn"]) | set(STEP_KEYS["triplet"])
    for step, cls in (
        ("cnn", CNNSettings),
        ("triplet", VAESettings),
        ("analysis", AnalysisSettings),
    ):
        assert {f.name for f in dataclasses.fields(cls)} <= set(STEP_KEYS[step])
    triplet = VAESettings.from_params(step_settings(cfg, "triplet"))
    vanilla = VAESettings.vanilla(step_settings(cfg, "vanilla"))
    assert (triplet.alpha, triplet.margin, triplet.hidden) == (3.0, 2.0, (128, 64))
    assert (vanilla.alpha, vanilla.margin) == (0.0, None)
    assert dataclasses.replace(vanilla, alpha=3.0, margin=2.0) == triplet
    with pytest.raises(KeyError):
        CNNSettings.from_params({"dataset": "digits"})


def test_a_vae_step_is_its_images_and_its_training():
    cfg = VAEConfig.from_plain(vae_block({"alpha": 3.0, "dataset": "digits"}))
    triplet = VAESettings.from_params(step_settings(cfg, "triplet"))
    assert isinstance(triplet, VAETraining) and isinstance(triplet, DataSettings)
    assert triplet.data == DataSettings("digits", cfg.train_limit, cfg.test_limit)
    training = VAETraining.of(cfg)
    assert training == VAETraining.of(cfg, alpha=3.0)
    assert {f.name: getattr(triplet, f.name) for f in dataclasses.fields(VAETraining)} == (
        dataclasses.asdict(training)
    )
    assert VAETraining.of(cfg, alpha=0.0, epochs=2).epochs == 2
