"""ResNet-50 for 32×32 CIFAR images (Section 3.3; latent: 2048-d after average pooling).

torchvision's ``ResNet(Bottleneck, [3, 4, 6, 3])`` (the definition behind
``torchvision.models.resnet50``; never pretrained) with the usual CIFAR stem the paper describes
("a modified convolutional layer that accepts three input channels and employs a kernel size of
3 times 3, followed by batch normalization and ReLU"): ``conv1`` is a 3×3, stride-1, padding-1
convolution (64 channels, no bias, Kaiming-normal fan-out like torchvision's) and the initial
max-pool is removed, so a 32×32 input reaches ``layer4`` at 4×4. The latent is the flattened
output of the global average pool (2048-d), the input of ``fc``. Parameter names are
torchvision's.
"""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models.resnet import Bottleneck, ResNet

LATENT_DIM = 2048


class ResNet50(ResNet):
    """``forward(x: B×3×32×32) -> (logits B×K, latent B×2048)``."""

    latent_dim = LATENT_DIM

    def __init__(self, num_classes: int = 100) -> None:
        super().__init__(Bottleneck, [3, 4, 6, 3], num_classes=num_classes)
        self.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        nn.init.kaiming_normal_(self.conv1.weight, mode="fan_out", nonlinearity="relu")
        self.maxpool = nn.Identity()

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.maxpool(x)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        latent = torch.flatten(self.avgpool(x), 1)
        return self.fc(latent), latent
