"""The vae: block (lb.tvae.config.check_vae_config): defaults, one-line errors naming vae.<key>."""

import pytest

from lb.errors import ConfigError
from lb.tvae.config import DEFAULTS, STEP_KEYS, check_vae_config, step_settings


def test_defaults_filled_and_resolved_for_the_dataset():
    mnist = check_vae_config({})
    assert mnist["dataset"] == "mnist" and mnist["hidden"] == [512, 256]
    assert mnist["cnn_model"] == "fashion_cnn" and mnist["seeds"] == [0]
    digits = check_vae_config({"dataset": "digits"})
    assert digits["hidden"] == [128, 64] and digits["cnn_model"] == "digits_cnn"
    assert set(mnist) == set(DEFAULTS)
    assert check_vae_config(None)["enabled"] is True


def test_seed_becomes_seeds_and_checking_twice_changes_nothing():
    once = check_vae_config({"seed": 3, "alpha": 2})
    assert once["seeds"] == [3] and "seed" not in once and once["alpha"] == 2.0
    assert check_vae_config(once) == once


def test_input_is_not_modified():
    block = {"seed": 1}
    check_vae_config(block)
    assert block == {"seed": 1}


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
        ({"lr": 0}, "vae.lr"),
        ({"seed": 1, "seeds": [1]}, "vae.seed"),
        ({"seeds": []}, "vae.seeds"),
        ({"seeds": [1, 1]}, "vae.seeds"),
        ({"seed": -1}, "vae.seed"),
        ({"top_k": 11}, "vae.top_k"),
        ({"hidden": [64, 0]}, "vae.hidden"),
        ({"enabled": "yes"}, "vae.enabled"),
        ({"train_limit": 5}, "vae.train_limit"),
        ({"tsne_points": 10}, "vae.tsne_points"),
        ({"cnn_model": 3}, "vae.cnn_model"),
    ],
)
def test_bad_values_name_their_key_in_one_line(block, key):
    with pytest.raises(ConfigError) as err:
        check_vae_config(block)
    message = str(err.value)
    assert message.startswith(f"{key}:") and "\n" not in message


def test_step_settings_hold_only_what_a_step_depends_on():
    cfg = check_vae_config({"alpha": 3.0})
    assert "alpha" in step_settings(cfg, "triplet")
    assert "alpha" not in step_settings(cfg, "vanilla") and "margin" not in step_settings(
        cfg, "vanilla"
    )
    assert "latent_dim" not in step_settings(cfg, "cnn")
    assert set(STEP_KEYS["analysis"]) >= set(STEP_KEYS["cnn"]) | set(STEP_KEYS["vae"])
