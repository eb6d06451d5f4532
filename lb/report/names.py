"""Display names and number formats shared by the report and the figures.

One place that says how a method, dataset or metric is written for a reader, in the order the
paper's tables use (Tables 2-5 of seed 000_7c9a744aff6f7057.txt).
"""

from __future__ import annotations

#: The paper's datasets, in the column order of Tables 2-5.
PAPER_DATASETS = ("fashion_mnist", "cifar10", "cifar100")

DATASET_LABELS = {
    "digits": "Digits (8×8)",
    "mnist": "MNIST",
    "fashion_mnist": "Fashion MNIST",
    "cifar10": "CIFAR-10",
    "cifar100": "CIFAR-100",
}

METHOD_LABELS = {
    "baseline": "Baseline",
    "contrastive": "Contrast",
    "triplet": "Triplet",
    "npair": "N-pair",
    "magnet": "Magnet",
    "latent_boost": "Latent Boost",
    "latent_boost_no_pca": "Latent Boost w/o PCA",
    "latent_boost_detached_var": "Latent Boost, σ² detached",
}

#: Row order of Table 2 (loss type) and the method order of every other place.
METHOD_ORDER = tuple(METHOD_LABELS)

METRIC_LABELS = {
    "accuracy": "Accuracy (%)",
    "micro_f1": "Micro-F1",
    "macro_f1": "Macro-F1",
    "epochs": "Nr. Epochs",
    "silhouette": "Silhouette",
}

#: Decimal places per metric, as the paper prints them.
METRIC_DECIMALS = {"accuracy": 2, "micro_f1": 4, "macro_f1": 4, "epochs": 2, "silhouette": 3}


def dataset_label(name: str) -> str:
    return DATASET_LABELS.get(name, name)


def method_label(name: str) -> str:
    return METHOD_LABELS.get(name, name)


def metric_label(name: str) -> str:
    return METRIC_LABELS.get(name, name)


def format_lam(lam: float | str) -> str:
    """λ as the run directories write it (``f"{lam:g}"``); ``best`` stays ``best``."""
    if isinstance(lam, str):
        try:
            lam = float(lam)
        except ValueError:
            return lam
    return f"{lam:g}"


def format_number(value: float | None, metric: str, signed: bool = False) -> str:
    """``value`` with the paper's decimals for ``metric``; a real minus sign; '' for None/NaN."""
    if value is None or value != value:
        return ""
    decimals = METRIC_DECIMALS.get(metric, 4)
    text = f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"
    return text.replace("-", "−")


def dataset_order(names) -> list[str]:
    """The paper's datasets first (in its order), then any others (e.g. digits) alphabetically."""
    names = set(names)
    return [d for d in PAPER_DATASETS if d in names] + sorted(names - set(PAPER_DATASETS))


def method_order(names) -> list[str]:
    names = set(names)
    return [m for m in METHOD_ORDER if m in names] + sorted(names - set(METHOD_ORDER))
