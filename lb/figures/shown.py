"""Which runs each figure shows: plain-Python constants and selection, no plotting imports.

rules/figures.smk reads these while Snakemake parses the workflow, so this module must stay
light (no numpy, pandas, matplotlib or seaborn): a dry-run of the paper's grid imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lb.vocabulary import is_table4_run

FIGURE3_METHODS = ("baseline", "magnet", "latent_boost")
GRAD_METHODS = ("baseline", "magnet", "latent_boost", "latent_boost_detached_var")
CURVE_METHODS = (
    "baseline", "magnet", "latent_boost_no_pca", "latent_boost", "latent_boost_detached_var",
)  # fmt: skip
PCA_METHODS = ("latent_boost", "latent_boost_detached_var")


def best_lambda_runs(runs: Iterable, best_lams: Mapping[str, float], methods=None) -> list:
    """The runs (objects with dataset, method, lam) of ``methods`` (all when None) at their
    Table-4 λ (:func:`lb.vocabulary.is_table4_run`). Used by rules/figures.smk on the config's
    ``RUNS``."""
    return [
        run
        for run in runs
        if (methods is None or run.method in methods)
        and is_table4_run(run.dataset, run.method, run.lam, best_lams)
    ]
