"""Which runs each figure shows: plain-Python constants and selection, no plotting imports.

rules/figures.smk reads these while Snakemake parses the workflow, so this module must stay
light (no numpy, pandas, matplotlib or seaborn): a dry-run of the paper's grid imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

FIGURE3_METHODS = ("baseline", "magnet", "latent_boost")
GRAD_METHODS = ("baseline", "magnet", "latent_boost", "latent_boost_detached_var")
CURVE_METHODS = (
    "baseline", "magnet", "latent_boost_no_pca", "latent_boost", "latent_boost_detached_var",
)  # fmt: skip
PCA_METHODS = ("latent_boost", "latent_boost_detached_var")


def best_lambdas(config: Mapping) -> dict[str, float]:
    """Dataset -> best λ (Table 4) from the config's ``experiments`` block."""
    return {
        str(exp["dataset"]): float(exp["best_lambda"])
        for exp in (config.get("experiments") or {}).values()
    }


def best_lambda_runs(runs: Iterable, best_lams: Mapping[str, float], methods=None) -> list:
    """The runs (objects with dataset, method, lam) of ``methods`` (all when None) at the
    Table 4 λ: the baseline at 0, every other method at ``best_lams[dataset]``. Used by
    rules/figures.smk on the config's ``RUNS``."""
    out = []
    for run in runs:
        if methods is not None and run.method not in methods:
            continue
        target = 0.0 if run.method == "baseline" else best_lams.get(run.dataset)
        if target is not None and f"{float(run.lam):g}" == f"{float(target):g}":
            out.append(run)
    return out
