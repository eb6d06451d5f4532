"""lb.losses: the distance losses of the Latent Boost paper and the weighted sum (Eq 5).

One loss per module: ``magnet`` (Eq 4), ``latent_boost`` (Eqs 9–11) with ``pca`` (Eqs 6–8),
``library`` (contrastive / triplet / N-pair from pytorch-metric-learning, Table 1),
``weighted_sum`` (Eq 5) and ``registry`` (method names -> losses). See docs/contracts.md.
"""

from lb.losses.latent_boost import LatentBoostLoss
from lb.losses.library import ContrastiveLoss, NPairLoss, TripletLoss
from lb.losses.magnet import MagnetLoss
from lb.losses.pca import batch_pca
from lb.losses.registry import METHODS, build_distance_loss
from lb.losses.weighted_sum import LossTerms, WeightedLoss

__all__ = [
    "METHODS",
    "ContrastiveLoss",
    "LatentBoostLoss",
    "LossTerms",
    "MagnetLoss",
    "NPairLoss",
    "TripletLoss",
    "WeightedLoss",
    "batch_pca",
    "build_distance_loss",
]
