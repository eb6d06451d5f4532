"""The training runs a configuration asks for, and the one place that names their directories.

A run is one (dataset, model, method, λ, seed) training job. The paper's tables share runs (the
baseline of Table 2 is the baseline of Tables 4 and 5, Latent Boost at the best λ is in Tables 3,
4 and 5), so :func:`enumerate_runs` lists every run once, in a fixed order: experiments in config
order; within each, Table 2, Table 3, Table 4, Table 5, then the ablation block; seeds last.

With the paper's grid (``config.yaml``) that is, per dataset, 1 baseline + 4 losses × 3 λ
(Table 2) + 11 λ of Latent Boost (Table 3) + Latent Boost without PCA at the best λ (Table 4; the
other Table 4/5 cells are already in Tables 2–3) = 25 runs, plus 1 ablation run = 26; × 3 datasets ×
5 seeds = 390 training jobs (375 without the ablation).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lb.run_outputs import RUN_OUTPUTS
from lb.vocabulary import (
    BASELINE,  # noqa: F401 (lb.workflow.config imports it from here)
    BEST,
    best_lambda_of,
    format_lam,
)

#: Tables whose runs sit at each experiment's ``best_lambda`` (the baseline at λ = 0).
BEST_LAMBDA_TABLES = ("table4", "table5")
#: Tables that list λ values explicitly (``method -> [λ, ...]``).
LAMBDA_GRID_TABLES = ("table2", "table3")


@dataclass(frozen=True, order=True)
class Run:
    """One training job. ``experiment`` is the config key the run comes from."""

    experiment: str
    dataset: str
    model: str
    method: str
    lam: float
    seed: int

    @property
    def lam_str(self) -> str:
        return format_lam(self.lam)

    @property
    def dir(self) -> str:
        """The run's directory relative to the results directory (see :func:`run_dir`)."""
        return run_dir(self)

    @property
    def key(self) -> tuple[str, str, str, int]:
        """(dataset, method, λ string, seed): what the Snakemake wildcards carry."""
        return (self.dataset, self.method, self.lam_str, self.seed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "experiment": self.experiment,
            "dataset": self.dataset,
            "model": self.model,
            "method": self.method,
            "lam": self.lam,
            "seed": self.seed,
            "run_dir": self.dir,
        }


def run_dir(run: Run) -> str:
    """``runs/{dataset}/{method}/lambda{lam}/seed{seed}`` (relative to the results directory)."""
    return f"runs/{run.dataset}/{run.method}/lambda{format_lam(run.lam)}/seed{run.seed}"


def checkpoint_name(run: Run) -> str:
    """``checkpoints/{dataset}/{method}/lambda{lam}/seed{seed}.pt`` (relative to the results dir).

    The resume state lives outside the run directory: Snakemake deletes the outputs of a failed
    job, and the checkpoint must survive that to be resumed.
    """
    return f"checkpoints/{run.dataset}/{run.method}/lambda{format_lam(run.lam)}/seed{run.seed}.pt"


def table_cells(config: Mapping[str, Any], experiment: str) -> Iterator[tuple[str, str, float]]:
    """(table, method, λ) of every configured cell of ``experiment``, in table order.

    The ablation block is reported as table ``ablation`` when ``ablation.enabled`` is true.
    """
    best = config["experiments"][experiment]["best_lambda"]
    tables = config.get("tables", {})
    for table in LAMBDA_GRID_TABLES:
        for method, lams in tables.get(table, {}).items():
            for lam in lams:
                yield table, method, float(lam)
    for table in BEST_LAMBDA_TABLES:
        for method in tables.get(table, []):
            yield table, method, best_lambda_of(method, best)
    ablation = config.get("ablation", {})
    if ablation.get("enabled", False):
        for method in ablation.get("methods", []):
            yield "ablation", method, best_lambda_of(method, best)


def enumerate_runs(config: Mapping[str, Any]) -> list[Run]:
    """Every distinct training run of a validated config (no run twice), in a fixed order."""
    runs: dict[tuple, Run] = {}
    for name, exp in config["experiments"].items():
        seen: list[tuple[str, float]] = []
        for _table, method, lam in table_cells(config, name):
            if (method, lam) not in seen:
                seen.append((method, lam))
        for method, lam in seen:
            for seed in config["seeds"]:
                run = Run(name, exp["dataset"], exp["model"], method, lam, int(seed))
                runs.setdefault(run.key, run)
    return list(runs.values())


def aggregation_spec(config: Mapping[str, Any]) -> dict:
    """Everything the aggregation needs from a validated config, as plain data in a fixed order.

    It is the ``params`` of the aggregate rules, so it holds only what changes the tables: the
    runs, the configured cells and the seeds (not the training settings: their effect reaches
    the tables through the run files).
    """
    cells = []
    for name, exp in config["experiments"].items():
        for table, method, lam in table_cells(config, name):
            label = BEST if table in BEST_LAMBDA_TABLES or table == "ablation" else None
            cell = {
                "table": table,
                "dataset": exp["dataset"],
                "method": method,
                "lam": label or format_lam(lam),
                "run_lam": format_lam(lam),
            }
            if cell not in cells:
                cells.append(cell)
    runs = [
        {k: v for k, v in run.as_dict().items() if k != "experiment"}
        for run in enumerate_runs(config)
    ]
    return {"seeds": [int(s) for s in config["seeds"]], "runs": runs, "cells": cells}


def outputs_complete(directory: str | os.PathLike) -> bool:
    """True when every training output (:data:`RUN_OUTPUTS`) exists in ``directory``."""
    return all((Path(directory) / name).is_file() for name in RUN_OUTPUTS)


def run_is_complete(results_dir: str | os.PathLike, run_dir: str) -> bool:
    """True when every training output of the run exists (a partial report uses only those)."""
    return outputs_complete(Path(results_dir) / run_dir)
