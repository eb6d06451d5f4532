"""A small CNN for the embedded 8×8 ``digits`` dataset (demo and tests; not in the paper).

Conv2d(1→16, 3×3, pad 1) + ReLU + MaxPool 2 (16×4×4), Conv2d(16→32, 3×3, pad 1) + ReLU +
MaxPool 2 (32×2×2), Flatten (128), Linear(128→32) + ReLU = the 32-d latent, Linear(32→K).
Like the paper's models, the latent is the last representation before the output layer.
"""

from __future__ import annotations

import torch
from torch import nn

LATENT_DIM = 32


class DigitsCNN(nn.Module):
    """``forward(x: B×1×8×8) -> (logits B×K, latent B×32)``."""

    latent_dim = LATENT_DIM

    def __init__(self, num_classes: int = 10, in_channels: int = 1) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 16, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(32 * 2 * 2, LATENT_DIM),
            nn.ReLU(inplace=True),
        )
        self.classifier = nn.Linear(LATENT_DIM, num_classes)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        latent = self.features(x)
        return self.classifier(latent), latent
