"""lb.models: the paper's networks; every ``forward(x)`` returns ``(logits, latent)``."""

from lb.models.digits_cnn import DigitsCNN
from lb.models.fashion_cnn import FashionCNN
from lb.models.registry import DEFAULT_MODELS, MODELS, ModelInfo, build_model
from lb.models.resnet import ResNet50
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
