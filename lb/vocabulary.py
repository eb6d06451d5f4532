"""The papers' vocabulary: how methods, datasets, metrics and figures are named and ordered, how
λ is written, and which λ a method has in Tables 4 and 5.

A leaf module (it imports nothing from lb), read by the workflow while Snakemake parses the rules,
by the aggregation, the figures and the report alike, so each of these contracts has one home.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The one method without a distance term; its λ is always 0.
BASELINE = "baseline"
#: The λ of a Table 4/5 (or ablation) cell in tables/summary.csv: the experiment's best λ.
BEST = "best"

#: The Latent Boost paper's datasets, in the column order of Tables 2-5.
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

#: The report's figures: file stem under ``{RESULTS}/figures/`` (PNG + data CSV) -> title.
FIGURE_TITLES = {
    "figure3": "Figure 3: t-SNE of the test-set latents, best trial per method",
    "pca_dims": "PCA dimension (Eq 8) over the epochs",
    "learning_curves": "Learning curves",
    "lambda_sweep": "λ sweeps: accuracy against λ, ours and the paper's",
    "grad_norm": "Distance-term gradient norm over the epochs",
}
FIGURE_NAMES = tuple(FIGURE_TITLES)


def dataset_label(name: str) -> str:
    return DATASET_LABELS.get(name, name)


def method_label(name: str) -> str:
    return METHOD_LABELS.get(name, name)


def metric_label(name: str) -> str:
    return METRIC_LABELS.get(name, name)


def dataset_order(names) -> list[str]:
    """The paper's datasets first (in its order), then any others (e.g. digits) alphabetically."""
    names = set(names)
    return [d for d in PAPER_DATASETS if d in names] + sorted(names - set(PAPER_DATASETS))


def method_order(names) -> list[str]:
    names = set(names)
    return [m for m in METHOD_ORDER if m in names] + sorted(names - set(METHOD_ORDER))


def format_lam(lam: float | str) -> str:
    """λ as run directories and tables write it: ``f"{lam:g}"`` (0.5 -> "0.5", 0.0 -> "0");
    a string that is not a number (``best``) stays as it is."""
    if isinstance(lam, str):
        try:
            lam = float(lam)
        except ValueError:
            return lam
    return f"{float(lam):g}"


def format_number(value: float | None, metric: str, signed: bool = False) -> str:
    """``value`` with the paper's decimals for ``metric``; a real minus sign; '' for None/NaN."""
    if value is None or value != value:
        return ""
    decimals = METRIC_DECIMALS.get(metric, 4)
    text = f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"
    return text.replace("-", "−")


def best_lambdas(config: Mapping) -> dict[str, float]:
    """Dataset -> best λ (Table 4) from the config's ``experiments`` block."""
    return {
        str(exp["dataset"]): float(exp["best_lambda"])
        for exp in (config.get("experiments") or {}).values()
    }


def best_lambda_of(method: str, best_lambda: float) -> float:
    """The Table-4 λ rule: in Tables 4, 5 and the ablation block the baseline runs at λ = 0 and
    every other method at its experiment's best λ."""
    return 0.0 if method == BASELINE else float(best_lambda)


def table4_lambda(dataset: str, method: str, best_lams: Mapping[str, float]) -> float | None:
    """:func:`best_lambda_of` for ``dataset``; None when its best λ is unknown (the baseline's
    λ is 0 regardless)."""
    if method == BASELINE:
        return 0.0
    if dataset not in best_lams:
        return None
    return best_lambda_of(method, best_lams[dataset])


def is_table4_run(dataset: str, method: str, lam, best_lams: Mapping[str, float]) -> bool:
    """True when a run at ``lam`` is the Table-4 run of ``method`` on ``dataset``."""
    target = table4_lambda(dataset, method, best_lams)
    return target is not None and format_lam(lam) == format_lam(target)
