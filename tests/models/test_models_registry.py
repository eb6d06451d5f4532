"""The registry refuses models that do not fit the dataset, with one clear line."""

import dataclasses

import pytest

from lb.data import DATASETS
from lb.errors import ConfigError
from lb.models import DEFAULT_MODELS, MODELS, build_model


@pytest.mark.parametrize(
    ("model_name", "dataset", "words"),
    [
        ("vgg16", "fashion_mnist", ["vgg16", "fashion_mnist", "3-channel", "fashion_cnn"]),
        ("resnet50", "mnist", ["resnet50", "mnist", "3-channel"]),
        ("fashion_cnn", "cifar10", ["fashion_cnn", "cifar10", "1-channel", "vgg16, resnet50"]),
        ("fashion_cnn", "digits", ["fashion_cnn", "28×28", "8×8", "digits_cnn"]),
        ("digits_cnn", "mnist", ["digits_cnn", "8×8", "28×28", "fashion_cnn"]),
    ],
)
def test_models_registry_rejects_misfits(model_name, dataset, words):
    with pytest.raises(ConfigError) as err:
        build_model(model_name, DATASETS[dataset])
    message = str(err.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_models_registry_rejects_image_size_and_classes():
    odd_size = dataclasses.replace(DATASETS["cifar10"], name="cifar64", image_size=64)
    with pytest.raises(ConfigError, match="64×64"):
        build_model("vgg16", odd_size)
    one_class = dataclasses.replace(DATASETS["fashion_mnist"], name="single", num_classes=1)
    with pytest.raises(ConfigError, match="at least 2 classes"):
        build_model("fashion_cnn", one_class)


def test_models_registry_unknown_names():
    with pytest.raises(ConfigError, match="unknown name 'vgg19'.*vgg16"):
        build_model("vgg19", DATASETS["cifar10"])
    with pytest.raises(ConfigError, match="dataset: unknown name 'svhn'"):
        build_model("vgg16", "svhn")


def test_models_registry_info_and_default_pairs():
    assert set(MODELS) == {"digits_cnn", "fashion_cnn", "vgg16", "resnet50"}
    assert {n: i.latent_dim for n, i in MODELS.items()} == {
        "digits_cnn": 32,
        "fashion_cnn": 64,
        "vgg16": 512,
        "resnet50": 2048,
    }
    assert set(DEFAULT_MODELS) == set(DATASETS)
    for dataset, model_name in DEFAULT_MODELS.items():
        info = MODELS[model_name]
        assert info.in_channels == DATASETS[dataset].channels
        assert DATASETS[dataset].image_size in info.image_sizes


def test_models_registry_accepts_a_dataset_name():
    model = build_model("digits_cnn", "digits")
    assert model.classifier.out_features == 10
