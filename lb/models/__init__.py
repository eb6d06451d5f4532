"""lb.models: the paper's networks; every ``forward(x)`` returns ``(logits, latent)``.

``ResNet50`` (a subclass of torchvision's ``ResNet``) is imported on first access, so that
importing lb.models does not import torchvision.
"""

from lb.models.digits_cnn import DigitsCNN
from lb.models.fashion_cnn import FashionCNN
from lb.models.registry import DEFAULT_MODELS, MODELS, ModelInfo, build_model
from lb.models.vgg import VGG16

__all__ = [
    "DEFAULT_MODELS",
    "MODELS",
    "DigitsCNN",
    "FashionCNN",
    "ModelInfo",
    "ResNet50",
    "VGG16",
    "build_model",
]


def __getattr__(name: str):
    if name == "ResNet50":
        from lb.models.resnet import ResNet50

        return ResNet50
    raise AttributeError(f"module 'lb.models' has no attribute {name!r}")
