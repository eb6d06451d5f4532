"""The Fashion-MNIST CNN of Section 3.3 (latent: the 64-d flattened conv features).

Section 3.3: "a convolutional layer that takes single-channel 28x28 images ... followed by ReLU
activation and max-pooling. ... two convolutional layers, with each followed by pooling and
dropout of 25% ... The resulting feature maps are flattened and passed through fully connected
layers. From the flattening layer, we extract the latent features" (64-d).

The text leaves the layer sizes open; chosen here (3×3 kernels, no padding, 2×2 max-pools):

=====================================  ===============
layer                                  output
=====================================  ===============
Conv2d(1→32, 3×3) + ReLU + MaxPool 2   32×13×13
Conv2d(32→64, 3×3) + ReLU + MaxPool 2  64×5×5, Dropout(0.25)
Conv2d(64→64, 3×3) + ReLU + MaxPool 2  64×1×1, Dropout(0.25)
Flatten                                64  (= latent)
Linear(64→128) + ReLU                  128
Linear(128→K)                          K logits
=====================================  ===============

Unpadded 3×3 convolutions and three 2×2 pools take 28×28 down to exactly 1×1, so the flattened
features are the 64 channels of the last convolution, the paper's latent size. The two later
convolutions are followed by ReLU like the first (the text names ReLU only once). "Fully
connected layers" (plural) is read as one hidden layer of 128 units and the output layer. The
latent is taken after the second dropout, i.e. exactly at the flattening layer; in ``eval()``
mode dropout is the identity, so test-set latents are deterministic.
"""

from __future__ import annotations

import torch
from torch import nn

LATENT_DIM = 64


class FashionCNN(nn.Module):
    """``forward(x: B×1×28×28) -> (logits B×K, latent B×64)``."""

    latent_dim = LATENT_DIM

    def __init__(self, num_classes: int = 10, in_channels: int = 1, hidden: int = 128) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 32, kernel_size=3),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, kernel_size=3),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Dropout(0.25),
            nn.Conv2d(64, LATENT_DIM, kernel_size=3),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Dropout(0.25),
        )
        self.classifier = nn.Sequential(
            nn.Linear(LATENT_DIM, hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        latent = torch.flatten(self.features(x), 1)
        return self.classifier(latent), latent
