"""Which runs a figure shows: the best trial per method among the Table 4 runs
(:func:`lb.tables.table4_runs`).

Table 4 of the paper compares, per dataset, the baseline (λ = 0) with Magnet, Latent Boost w/o
PCA and Latent Boost at the dataset's best λ (0.75, 0.75, 0.5 in the paper; the config sets it).
Figure 3 and Table 5 use the *best trial* of each method there: the seed with the highest test
accuracy (ties: the lowest seed), as docs/contracts.md defines for table5.
"""

from __future__ import annotations

import pandas as pd

from lb import tables
from lb.tables import FIGURE_RUN_COLUMNS, require_columns

RUN_KEY = ("dataset", "method", "lam", "seed")


def check_runs(runs: pd.DataFrame, source: str = "runs.csv") -> pd.DataFrame:
    """``runs`` with the columns figures need, or DataError naming the missing column."""
    out = require_columns(runs, FIGURE_RUN_COLUMNS, source).copy()
    out["lam"] = out["lam"].astype(float)
    out["seed"] = out["seed"].astype(int)
    return out


def best_trials(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per (dataset, method): its best trial (:func:`lb.tables.best_trials`, the rule
    Table 5 uses too), from runs with the columns figures need."""
    return tables.best_trials(check_runs(runs))
