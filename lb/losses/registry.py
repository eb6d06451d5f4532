"""The training methods and the distance loss each one uses.

``METHODS`` are the rows of the paper's Tables 2 and 4 plus the σ²-detached ablation:

- ``baseline``: cross-entropy only (λ = 0 row), no distance loss (``None``)
- ``contrastive``, ``triplet``, ``npair``: pytorch-metric-learning with Table 1 settings
- ``magnet``: Eq 4 (``MagnetLoss``)
- ``latent_boost``: Eq 11 (``LatentBoostLoss``)
- ``latent_boost_no_pca``: Eq 11 without the PCA step ("Latent Boost w/o PCA", Table 4)
- ``latent_boost_detached_var``: Eq 11 with σ²_c detached (``variance_grad=False``)

``build_distance_loss(method, params)`` takes the config's ``losses:`` block, a dict keyed by loss
family (``contrastive``, ``triplet``, ``npair``, ``magnet``, ``latent_boost``) whose values are the
constructor keywords below. Missing families/keys take the defaults; an unknown family or key is
a ``ValueError`` naming it. All families are checked, not only the one the method uses, so a typo
is caught whichever method runs. The three Latent Boost methods share the ``latent_boost``
keys (``e_total`` of Eq 10 included); the ablation methods then force ``use_pca=False`` /
``variance_grad=False``.
"""

from __future__ import annotations

from collections.abc import Mapping

from torch import nn

from lb.losses.latent_boost import LatentBoostLoss
from lb.losses.library import ContrastiveLoss, NPairLoss, TripletLoss
from lb.losses.magnet import MagnetLoss

METHODS = (
    "baseline",
    "contrastive",
    "triplet",
    "npair",
    "magnet",
    "latent_boost",
    "latent_boost_no_pca",
    "latent_boost_detached_var",
)

# loss family -> (class, keys allowed in the config's ``losses.<family>`` block)
FAMILIES: dict[str, tuple[type[nn.Module], tuple[str, ...]]] = {
    "contrastive": (ContrastiveLoss, ("pos_margin", "neg_margin")),
    "triplet": (TripletLoss, ("margin", "triplets_per_anchor")),
    "npair": (NPairLoss, ()),
    "magnet": (MagnetLoss, ("alpha", "variance_grad", "eps", "hinge")),
    "latent_boost": (
        LatentBoostLoss,
        ("alpha0", "beta0", "variance_threshold", "eps", "variance_grad", "hinge", "e_total"),
    ),
}

# method -> (loss family, keywords the method forces)
METHOD_FAMILY: dict[str, tuple[str, dict] | None] = {
    "baseline": None,
    "contrastive": ("contrastive", {}),
    "triplet": ("triplet", {}),
    "npair": ("npair", {}),
    "magnet": ("magnet", {}),
    "latent_boost": ("latent_boost", {}),
    "latent_boost_no_pca": ("latent_boost", {"use_pca": False}),
    "latent_boost_detached_var": ("latent_boost", {"variance_grad": False}),
}


def check_loss_params(params: Mapping | None) -> dict[str, dict]:
    """Validate the ``losses:`` block: known families, known keys. Returns a plain dict copy."""
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise ValueError(f"losses must be a mapping of loss family to settings, got {params!r}")
    checked: dict[str, dict] = {}
    for family, values in params.items():
        if family not in FAMILIES:
            raise ValueError(
                f"losses.{family}: unknown loss family; expected one of {sorted(FAMILIES)}"
            )
        if values is None:
            values = {}
        if not isinstance(values, Mapping):
            raise ValueError(f"losses.{family} must be a mapping of settings, got {values!r}")
        allowed = FAMILIES[family][1]
        for key in values:
            if key not in allowed:
                raise ValueError(
                    f"losses.{family}.{key}: unknown setting; allowed: {list(allowed) or 'none'}"
                )
        checked[family] = dict(values)
    return checked


def build_distance_loss(method: str, params: Mapping | None = None) -> nn.Module | None:
    """The distance loss of ``method`` (``None`` for ``baseline``) built from ``params``."""
    if method not in METHOD_FAMILY:
        raise ValueError(f"method {method!r} is unknown; expected one of {list(METHODS)}")
    checked = check_loss_params(params)
    entry = METHOD_FAMILY[method]
    if entry is None:
        return None
    family, forced = entry
    cls = FAMILIES[family][0]
    kwargs = {**checked.get(family, {}), **forced}
    try:
        return cls(**kwargs)
    except ValueError as err:
        raise ValueError(f"losses.{family}: {err}") from None
