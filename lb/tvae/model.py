"""The VAE of the triplet-VAE paper (Sect. 3.1): F(x) ~ q(z|x), G(z) ~ p(x|z).

The paper does not give an architecture or a latent size. We use the fully connected Gaussian
encoder / Bernoulli decoder of Kingma & Welling (2014), the VAE the paper cites as [11]:

- encoder: flatten → Linear(D, h1) → ReLU → Linear(h1, h2) → ReLU → two heads Linear(h2, d)
  giving μ and log σ² (``mu``, ``logvar``);
- decoder: Linear(d, h2) → ReLU → Linear(h2, h1) → ReLU → Linear(h1, D), reshaped to the image;
  its output are the *logits* of independent Bernoulli pixels (pixel intensities in [0, 1]).

Defaults (``lb.tvae.config``): h = (512, 256), d = 16 for 28×28 MNIST; h = (128, 64), d = 16 for
8×8 digits. Fully connected rather than convolutional because the study must run on two CPU
cores (a conv VAE of similar quality costs about 5× more per image); d = 16 is small enough for a
linear SVM and linear traversals to be meaningful and large enough for recognisable
reconstructions (the paper's Figs 4–5 are t-SNE views, not a 2-D latent space).
"""

from __future__ import annotations

import math

import torch
from torch import nn


class VAE(nn.Module):
    """Gaussian-encoder, Bernoulli-decoder VAE for ``image_shape = (C, H, W)`` inputs in [0, 1]."""

    def __init__(
        self,
        image_shape: tuple[int, int, int],
        latent_dim: int = 16,
        hidden: tuple[int, ...] | list[int] = (512, 256),
    ) -> None:
        super().__init__()
        if latent_dim < 1 or not hidden:
            raise ValueError("VAE: latent_dim must be >= 1 and hidden must be non-empty")
        self.image_shape = tuple(int(s) for s in image_shape)
        self.latent_dim = int(latent_dim)
        self.hidden = tuple(int(h) for h in hidden)
        n_in = math.prod(self.image_shape)

        enc: list[nn.Module] = [nn.Flatten()]
        width = n_in
        for h in self.hidden:
            enc += [nn.Linear(width, h), nn.ReLU()]
            width = h
        self.encoder = nn.Sequential(*enc)
        self.mu_head = nn.Linear(width, self.latent_dim)
        self.logvar_head = nn.Linear(width, self.latent_dim)

        dec: list[nn.Module] = []
        width = self.latent_dim
        for h in reversed(self.hidden):
            dec += [nn.Linear(width, h), nn.ReLU()]
            width = h
        dec.append(nn.Linear(width, n_in))
        self.decoder = nn.Sequential(*dec)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``x`` (N, C, H, W) in [0, 1] → (μ, log σ²), each (N, d)."""
        h = self.encoder(x)
        return self.mu_head(h), self.logvar_head(h)

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        """``z`` (N, d) → Bernoulli logits (N, C, H, W)."""
        return self.decoder(z).view(z.shape[0], *self.image_shape)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """``z`` (N, d) → mean image G(z) = sigmoid(logits) in [0, 1], (N, C, H, W)."""
        return torch.sigmoid(self.decode_logits(z))

    def forward(
        self, x: torch.Tensor, sample: bool = True, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Return ``(mu, logvar, recon_logits)``.

        With ``sample`` the decoder sees z = μ + σ·ε, ε ~ N(0, I) drawn from ``generator``
        (reparameterisation); otherwise it sees z = μ (deterministic reconstruction).
        """
        mu, logvar = self.encode(x)
        if sample:
            eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype, device="cpu")
            z = mu + torch.exp(0.5 * logvar) * eps.to(mu.device)
        else:
            z = mu
        return mu, logvar, self.decode_logits(z)
