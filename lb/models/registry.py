"""Model registry: name -> constructor, with a check that the model fits the dataset.

The ResNet-50 module subclasses torchvision's ``ResNet``, so it is imported only when a ResNet-50
is built: a job that trains another model does not import torchvision (~1.6 s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from torch import nn

from lb.data.specs import DatasetSpec, get_spec
from lb.errors import ConfigError
from lb.models.digits_cnn import DigitsCNN
from lb.models.fashion_cnn import FashionCNN
from lb.models.vgg import VGG16


def _resnet50(num_classes: int) -> nn.Module:
    from lb.models.resnet import ResNet50

    return ResNet50(num_classes)


@dataclass(frozen=True)
class ModelInfo:
    """What a model accepts: ``in_channels``-channel square images of a size in ``image_sizes``,
    any number of classes ≥ 2; ``forward`` returns ``(logits, latent)`` with ``latent_dim``."""

    name: str
    build: Callable[[int], nn.Module]
    latent_dim: int
    in_channels: int
    image_sizes: tuple[int, ...]
    description: str


MODELS: dict[str, ModelInfo] = {
    "digits_cnn": ModelInfo(
        "digits_cnn", DigitsCNN, 32, 1, (8,), "small CNN for the 8×8 digits demo"
    ),
    "fashion_cnn": ModelInfo(
        "fashion_cnn", FashionCNN, 64, 1, (28,), "Section 3.3 CNN (Fashion-MNIST / MNIST)"
    ),
    "vgg16": ModelInfo("vgg16", VGG16, 512, 3, (32,), "VGG-16 for 32×32 colour images (CIFAR)"),
    "resnet50": ModelInfo(
        "resnet50", _resnet50, 2048, 3, (32,), "ResNet-50, 3×3 stem, for 32×32 images (CIFAR)"
    ),
}

DEFAULT_MODELS: dict[str, str] = {
    "digits": "digits_cnn",
    "mnist": "fashion_cnn",
    "fashion_mnist": "fashion_cnn",
    "cifar10": "vgg16",
    "cifar100": "resnet50",
}
"""The paper's pairing (Section 3.3), plus the demo model for ``digits`` and MNIST on the CNN."""


def _fitting(spec: DatasetSpec) -> str:
    names = [
        n
        for n, info in MODELS.items()
        if info.in_channels == spec.channels and spec.image_size in info.image_sizes
    ]
    return ", ".join(names) if names else "none"


def build_model(name: str, spec: DatasetSpec | str) -> nn.Module:
    """A freshly initialised model ``name`` for dataset ``spec`` (a spec or a dataset name).

    Raises a one-line :class:`ConfigError` for an unknown name or when the model does not fit the
    dataset (channels, image size, number of classes).
    """
    if isinstance(spec, str):
        spec = get_spec(spec)
    info = MODELS.get(name)
    if info is None:
        raise ConfigError(f"model: unknown name {name!r}; choose one of {', '.join(MODELS)}")
    problem = None
    if spec.channels != info.in_channels:
        problem = f"takes {info.in_channels}-channel images, {spec.name} has {spec.channels}"
    elif spec.image_size not in info.image_sizes:
        sizes = "/".join(f"{s}×{s}" for s in info.image_sizes)
        problem = f"takes {sizes} images, {spec.name} has {spec.image_size}×{spec.image_size}"
    elif spec.num_classes < 2:
        problem = f"needs at least 2 classes, {spec.name} has {spec.num_classes}"
    if problem:
        raise ConfigError(
            f"model: {name} does not fit dataset {spec.name} ({problem}); "
            f"models that fit {spec.name}: {_fitting(spec)}"
        )
    return info.build(spec.num_classes)
