"""VGG-16 for 32×32 CIFAR images (Section 3.3; latent: the 512-d conv output).

Built from torchvision's own VGG-16 definition: the convolutional part is
``torchvision.models.vgg.make_layers(cfgs["D"])`` (13 3×3 convolutions with ReLU, 5 max-pools;
no batch norm, as in the paper's description), and the classifier keeps torchvision's three
fully connected layers ``Linear(·→4096) ReLU Dropout(0.5) Linear(4096→4096) ReLU Dropout(0.5)
Linear(4096→K)``. The one adaptation to 32×32 inputs: the five pools leave a 512×1×1 map, so
torchvision's ``AdaptiveAvgPool2d((7, 7))`` (which would copy that pixel 49 times) is dropped and
the first classifier layer takes the 512 features. Those 512 features, flattened, are the latent
("just before the classification section"). Weights are initialised exactly as torchvision does
(Kaiming-normal fan-out convolutions, N(0, 0.01) linear weights, zero biases); never pretrained.
The module names (``features.*``, ``classifier.*``) are torchvision's. torchvision is imported
when a VGG16 is built, not with this module (it costs a job that does not need it ~1.6 s).
"""

from __future__ import annotations

import torch
from torch import nn

LATENT_DIM = 512


class VGG16(nn.Module):
    """``forward(x: B×3×32×32) -> (logits B×K, latent B×512)``."""

    latent_dim = LATENT_DIM

    def __init__(self, num_classes: int = 10, dropout: float = 0.5, hidden: int = 4096) -> None:
        from torchvision.models.vgg import cfgs, make_layers

        super().__init__()
        self.features = make_layers(cfgs["D"], batch_norm=False)
        self.classifier = nn.Sequential(
            nn.Linear(LATENT_DIM, hidden),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(hidden, num_classes),
        )
        for m in self.modules():  # torchvision.models.vgg.VGG.__init__'s initialisation
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.constant_(m.bias, 0)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        latent = torch.flatten(self.features(x), 1)
        return self.classifier(latent), latent
