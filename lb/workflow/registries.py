"""The library's names the config checks need, without importing torch.

The Snakefile validates the config on every invocation (``snakemake -n`` included), and importing
the library's own registries (``lb.data.DATASETS``, ``lb.models.MODELS``, ``lb.losses.METHODS``)
pulls in torch and torchvision: 3-7 s on the 2-core reference machine, more than the whole
dry-run budget of the 390-job grid (target: <= 5 s). So this module keeps the few facts the
checks use as plain data, and ``tests/workflow/test_workflow_registries.py`` compares every
entry with the real registries: adding a dataset, model or method to the library without adding
it here fails that test (and names this file).
"""

from __future__ import annotations

from typing import NamedTuple


class DatasetShape(NamedTuple):
    """From ``lb.data.DatasetSpec``: images are channels × image_size × image_size."""

    channels: int
    image_size: int
    num_classes: int


class ModelInput(NamedTuple):
    """From ``lb.models.ModelInfo``: the images a model takes."""

    in_channels: int
    image_sizes: tuple[int, ...]


#: ``lb.data.DATASETS`` (name -> shape).
DATASETS: dict[str, DatasetShape] = {
    "digits": DatasetShape(1, 8, 10),
    "mnist": DatasetShape(1, 28, 10),
    "fashion_mnist": DatasetShape(1, 28, 10),
    "cifar10": DatasetShape(3, 32, 10),
    "cifar100": DatasetShape(3, 32, 100),
}

#: Datasets that need no files under the data root (bundled with scikit-learn).
BUNDLED_DATASETS = frozenset({"digits"})

#: ``lb.models.MODELS`` (name -> accepted input).
MODELS: dict[str, ModelInput] = {
    "digits_cnn": ModelInput(1, (8,)),
    "fashion_cnn": ModelInput(1, (28,)),
    "vgg16": ModelInput(3, (32,)),
    "resnet50": ModelInput(3, (32,)),
}

#: ``lb.losses.registry.METHOD_FAMILY``: method -> the ``losses:`` block it reads (None: baseline).
#: The order is ``lb.losses.METHODS``.
METHOD_FAMILY: dict[str, str | None] = {
    "baseline": None,
    "contrastive": "contrastive",
    "triplet": "triplet",
    "npair": "npair",
    "magnet": "magnet",
    "latent_boost": "latent_boost",
    "latent_boost_no_pca": "latent_boost",
    "latent_boost_detached_var": "latent_boost",
}

METHODS: tuple[str, ...] = tuple(METHOD_FAMILY)


def model_misfit(model: str, dataset: str) -> str | None:
    """Why ``model`` cannot take ``dataset``'s images (None when it fits); names must be known."""
    info = MODELS[model]
    spec = DATASETS[dataset]
    if spec.channels != info.in_channels:
        return f"{model} takes {info.in_channels}-channel images, {dataset} has {spec.channels}"
    if spec.image_size not in info.image_sizes:
        sizes = "/".join(f"{s}x{s}" for s in info.image_sizes)
        return f"{model} takes {sizes} images, {dataset} has {spec.image_size}x{spec.image_size}"
    if spec.num_classes < 2:
        return f"{model} needs at least 2 classes, {dataset} has {spec.num_classes}"
    return None


def fitting_models(dataset: str) -> list[str]:
    """Names of the models that take ``dataset``'s images."""
    return [m for m in MODELS if model_misfit(m, dataset) is None]
