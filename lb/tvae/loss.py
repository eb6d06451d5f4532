"""The triplet-VAE loss (the triplet-VAE paper, Sect. 3.1; the paper numbers no equation here):

    loss = −E_{z~q(z|x)}[log p(x|z)] + β · KL[q(z|x) ‖ N(0, I)]
           + α · max(‖z^μ_a − z^μ_p‖ − ‖z^μ_a − z^μ_n‖ + φ, 0)

Choices where the paper is silent:

- −E[log p(x|z)] is estimated with one reparameterised sample and a Bernoulli decoder: the binary
  cross-entropy between the pixel intensities in [0, 1] and the decoder's logits, *summed* over
  pixels (a proper log-likelihood per image, as in Kingma & Welling 2014).
- KL is the closed form for a diagonal Gaussian against N(0, I):
  ``−½ Σ_j (1 + log σ_j² − μ_j² − σ_j²)``, summed over latent dimensions.
- The ELBO terms are computed for the anchors of the batch (every training image is an anchor
  exactly once per epoch, :mod:`lb.tvae.training`), so the vanilla VAE (α = 0) is an ordinary VAE.
- The triplet term uses the encoder means z^μ of anchor, positive and negative (the paper's
  F(x)_μ) and the plain Euclidean norm (no normalisation).
- All three terms are per-image / per-triplet values averaged over the batch (the minibatch
  estimate of the per-example loss summed over the data set, divided by its size).

Why not pytorch-metric-learning's ``TripletMarginLoss``: with its defaults it is a different loss
— ``LpDistance(normalize_embeddings=True)`` puts the embeddings on the unit sphere, and the
``AvgNonZeroReducer`` averages only over triplets with a non-zero loss, so the term's weight
changes with the number of active triplets. Configured with ``LpDistance(normalize_embeddings=
False)``, ``MeanReducer()`` and explicit ``indices_tuple`` it computes the same number (the tests
check this), but it builds the full (3B × 3B) distance matrix with ``torch.cdist`` to read B
entries of it. Our triplets come as three aligned tensors, so the direct form below is shorter,
cheaper and exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


def reconstruction_nll(recon_logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """−log p(x|z) per image for a Bernoulli decoder: BCE(logits, x) summed over pixels, (N,)."""
    bce = F.binary_cross_entropy_with_logits(recon_logits, x, reduction="none")
    return bce.flatten(1).sum(dim=1)


def kl_standard_normal(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL[N(μ, diag σ²) ‖ N(0, I)] per row: −½ Σ (1 + log σ² − μ² − σ²), (N,)."""
    return -0.5 * (1.0 + logvar - mu.pow(2) - logvar.exp()).sum(dim=1)


def triplet_margin(
    z_a: torch.Tensor, z_p: torch.Tensor, z_n: torch.Tensor, margin: float
) -> torch.Tensor:
    """max(‖z_a − z_p‖ − ‖z_a − z_n‖ + φ, 0) per triplet (Sect. 3.1), (N,)."""
    d_ap = (z_a - z_p).norm(dim=1)
    d_an = (z_a - z_n).norm(dim=1)
    return torch.clamp(d_ap - d_an + margin, min=0.0)


@dataclass
class VAELossTerms:
    """Batch means of the loss and of its three terms (``triplet`` is None when α = 0)."""

    total: torch.Tensor
    recon: torch.Tensor
    kl: torch.Tensor
    triplet: torch.Tensor | None


class TripletVAELoss(nn.Module):
    """recon + β·KL + α·triplet (Sect. 3.1), batch-averaged; α = 0 gives the vanilla VAE's ELBO."""

    def __init__(self, beta: float = 1.0, alpha: float = 1.0, margin: float = 1.0) -> None:
        super().__init__()
        if beta < 0 or alpha < 0 or margin < 0:
            raise ValueError("TripletVAELoss: beta, alpha and margin must be >= 0")
        self.beta = float(beta)
        self.alpha = float(alpha)
        self.margin = float(margin)

    @property
    def uses_triplets(self) -> bool:
        return self.alpha > 0

    def forward(
        self,
        x: torch.Tensor,
        recon_logits: torch.Tensor,
        mu: torch.Tensor,
        logvar: torch.Tensor,
        mu_pos: torch.Tensor | None = None,
        mu_neg: torch.Tensor | None = None,
    ) -> VAELossTerms:
        """``x``, ``recon_logits``, ``mu``, ``logvar`` belong to the anchors; ``mu_pos``/``mu_neg``
        are the encoder means of their positives/negatives (needed only when α > 0)."""
        recon = reconstruction_nll(recon_logits, x).mean()
        kl = kl_standard_normal(mu, logvar).mean()
        total = recon + self.beta * kl
        triplet = None
        if self.uses_triplets:
            if mu_pos is None or mu_neg is None:
                raise ValueError("TripletVAELoss: alpha > 0 needs mu_pos and mu_neg")
            triplet = triplet_margin(mu, mu_pos, mu_neg, self.margin).mean()
            total = total + self.alpha * triplet
        return VAELossTerms(total=total, recon=recon, kl=kl, triplet=triplet)
