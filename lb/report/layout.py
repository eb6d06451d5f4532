"""Tables 2-5 of the Latent Boost paper and the ablation block, laid out like the paper's.

- Table 2: rows = loss type × λ (baseline at λ = 0), columns = dataset × metric; the report
  prints it as one block of rows per dataset (``blocks``), columns = metric, so that it fits a
  laptop's window without hiding the paper's numbers.
- Table 3: rows = λ of Latent Boost, columns = dataset × metric; printed like Table 2.
- Table 4: rows = dataset × metric (accuracy, micro-F1, macro-F1, epochs), columns = Baseline,
  Magnet, Latent Boost w/o PCA, Latent Boost (best λ), then the improvement of Latent Boost over
  the baseline in percent (ours and the paper's), as in the paper.
- Table 5: rows = dataset, columns = Baseline, Magnet, Latent Boost (best trial's silhouette),
  improvement.
- Ablation ("beyond the paper"): rows = dataset × metric, columns = Baseline, Latent
  Boost, Latent Boost with σ² detached.

Datasets: the paper's three first, then any other dataset the summary holds (e.g. digits).
Every cell comes from one row of summary.csv (:func:`lb.report.cells.make_cell`); a cell with no
row reads "not run".
"""

from __future__ import annotations

import math

import pandas as pd

from lb.report.cells import Cell, make_cell
from lb.vocabulary import (
    BEST,
    dataset_label,
    dataset_order,
    format_number,
    method_label,
    method_order,
    metric_label,
)

TABLE2_METRICS = ("accuracy", "micro_f1", "macro_f1")
TABLE4_METHODS = ("baseline", "magnet", "latent_boost_no_pca", "latent_boost")
TABLE4_METRICS = ("accuracy", "micro_f1", "macro_f1", "epochs")
TABLE5_METHODS = ("baseline", "magnet", "latent_boost")
ABLATION_METHODS = ("baseline", "latent_boost", "latent_boost_detached_var")
ABLATION_METRICS = ("accuracy", "micro_f1", "macro_f1", "epochs", "silhouette")


class CellSource:
    """Looks cells up in the summary (:func:`lb.tables.read_summary`); how many runs the config
    expects behind a cell is the summary's ``n_expected`` (0 for a cell it has no row of)."""

    def __init__(self, summary: pd.DataFrame):
        self._ran: dict[str, bool] = {}
        self.rows = {
            (r["table"], r["dataset"], r["method"], r["lam"], r["metric"]): r
            for r in summary.to_dict("records")
        }

    def row(self, table: str, dataset: str, method: str, lam: str, metric: str) -> dict | None:
        """The summary row behind a cell (None when the summary has none)."""
        return self.rows.get((table, dataset, method, lam, metric))

    def n_expected(self, dataset: str, method: str, lam: str) -> int:
        """The runs the config expects of ``method`` at ``lam`` (``best`` for the Table-4 λ) on
        ``dataset``: the largest ``n_expected`` of its cells in any table."""
        counts = [
            int(row["n_expected"])
            for (_t, d, m, cell_lam, _metric), row in self.rows.items()
            if (d, m, cell_lam) == (dataset, method, lam)
        ]
        return max(counts, default=0)

    def cell(self, table: str, dataset: str, method: str, lam: str, metric: str) -> Cell:
        row = self.rows.get((table, dataset, method, lam, metric))
        if row is None:
            return make_cell(metric, None, None, 0, None, None, 0)
        return make_cell(
            metric,
            row["mean"],
            row["std"],
            row["n"],
            row["paper_mean"],
            row["paper_std"],
            int(row["n_expected"]),
        )

    def datasets(self, *tables: str) -> list[str]:
        """Datasets of ``tables``: those this config ran or expects first, then the others
        (each group in the paper's order), so a demo's own dataset is the first column."""
        names = dataset_order({k[1] for k in self.rows if k[0] in tables})
        return [d for d in names if self.ran(d)] + [d for d in names if not self.ran(d)]

    def ran(self, dataset: str) -> bool:
        """Whether any cell of ``dataset`` has a run or is expected by the config."""
        if dataset not in self._ran:
            self._ran[dataset] = any(
                self.cell(*key).status != "not_run" for key in self.rows if key[1] == dataset
            )
        return self._ran[dataset]

    def keys(self, table: str):
        return [k for k in self.rows if k[0] == table]


def _lam_sort_key(lam: str) -> float:
    try:
        return float(lam)
    except ValueError:
        return math.inf


def _metrics_for(source: CellSource, dataset: str, tables: tuple[str, ...], wanted) -> list[str]:
    """Accuracy and micro-F1 always (the paper's); other metrics (macro-F1) only for datasets
    this config ran and only when the summary has them (the paper gives none)."""
    present = {k[4] for t in tables for k in source.keys(t) if k[1] == dataset}
    paper = ("accuracy", "micro_f1", "epochs")
    return [m for m in wanted if m in paper or (m in present and source.ran(dataset))]


def _columns(source: CellSource, datasets: list[str], table: str) -> list[dict]:
    columns = []
    for d in datasets:
        metrics = _metrics_for(source, d, (table,), TABLE2_METRICS)
        columns.append({
            "dataset": d, "label": dataset_label(d), "keys": metrics,
            "metrics": [metric_label(m) for m in metrics],
        })  # fmt: skip
    return columns


def _blocks(columns: list[dict], rows: list[dict]) -> dict:
    """The same cells as one block of rows per dataset, columns = the metrics any dataset has
    (``None`` where a dataset has no such metric): ``{"metrics", "metric_keys", "blocks"}``."""
    keys = [m for m in TABLE2_METRICS if any(m in c["keys"] for c in columns)]
    blocks, start = [], 0
    for col in columns:
        width = len(col["keys"])
        block_rows = []
        for row in rows:
            mine = dict(zip(col["keys"], row["cells"][start : start + width], strict=True))
            block_rows.append({**row, "cells": [mine.get(k) for k in keys]})
        blocks.append({"dataset": col["dataset"], "label": col["label"], "rows": block_rows})
        start += width
    return {"metrics": [metric_label(k) for k in keys], "metric_keys": keys, "blocks": blocks}


def table2(source: CellSource) -> dict:
    """Table 2: baseline + contrastive/triplet/N-pair/Magnet × λ, per dataset × metric."""
    columns = _columns(source, source.datasets("table2"), "table2")
    groups = {}
    for _, _dataset, method, lam, _ in source.keys("table2"):
        groups.setdefault(method, set()).add(lam)
    rows = []
    for method in method_order(groups):
        lams = sorted(groups[method], key=_lam_sort_key)
        for i, lam in enumerate(lams):
            rows.append({
                "group": method_label(method) if i == 0 else None,
                "group_span": len(lams),
                "lam": lam,
                "cells": [
                    source.cell("table2", c["dataset"], method, lam, m)
                    for c in columns
                    for m in c["keys"]
                ],
            })  # fmt: skip
    return {"columns": columns, "rows": rows, **_blocks(columns, rows)}


def table3(source: CellSource) -> dict:
    """Table 3: Latent Boost at every λ, per dataset × metric."""
    columns = _columns(source, source.datasets("table3"), "table3")
    lams = sorted({k[3] for k in source.keys("table3")}, key=_lam_sort_key)
    rows = [
        {
            "group": None,
            "group_span": 1,
            "lam": lam,
            "cells": [
                source.cell("table3", c["dataset"], "latent_boost", lam, m)
                for c in columns
                for m in c["keys"]
            ],
        }
        for lam in lams
    ]
    return {"columns": columns, "rows": rows, **_blocks(columns, rows)}


def improvement(base: float | None, new: float | None) -> str:
    """(new − base) / |base| in percent, as the paper's Tables 4-5 ("Improvement (%)")."""
    if base is None or new is None or base == 0:
        return ""
    value = (new - base) / abs(base) * 100.0
    return format_number(value, "accuracy", signed=True) + "%"


def _block_rows(source, datasets, metrics_of, methods, block_of, compare) -> list[dict]:
    """Rows dataset × metric; ``metrics_of(dataset)`` lists a dataset's metrics,
    ``block_of(method, metric)`` names the summary table of a cell, and ``compare = (i, j)``:
    the improvement column compares cell j with cell i."""
    rows = []
    for dataset in datasets:
        metrics = metrics_of(dataset)
        for k, metric in enumerate(metrics):
            cells = [source.cell(block_of(m, metric), dataset, m, BEST, metric) for m in methods]
            base, top = cells[compare[0]], cells[compare[1]]
            rows.append({
                "group": dataset_label(dataset) if k == 0 else None,
                "group_span": len(metrics),
                "metric": metric_label(metric),
                "metric_key": metric,
                "cells": cells,
                "improvement_ours": improvement(base.mean, top.mean),
                "improvement_paper": improvement(base.paper_mean, top.paper_mean),
            })  # fmt: skip
    return rows


def table4(source: CellSource) -> dict:
    """Table 4: dataset × metric rows, Baseline / Magnet / LB w/o PCA / LB columns (best λ)."""
    datasets = source.datasets("table4")
    last = len(TABLE4_METHODS) - 1
    rows = _block_rows(
        source,
        datasets,
        lambda d: _metrics_for(source, d, ("table4",), TABLE4_METRICS),
        TABLE4_METHODS,
        lambda m, k: "table4",
        (0, last),
    )
    return {"methods": [method_label(m) for m in TABLE4_METHODS], "rows": rows}


def table5(source: CellSource) -> dict:
    """Table 5: silhouette of the best trial's test latents per dataset and method."""
    datasets = source.datasets("table5")
    last = len(TABLE5_METHODS) - 1
    rows = _block_rows(
        source, datasets, lambda d: ["silhouette"], TABLE5_METHODS, lambda m, k: "table5", (0, last)
    )
    return {"methods": [method_label(m) for m in TABLE5_METHODS], "rows": rows}


def ablation(source: CellSource) -> dict:
    """Latent Boost with σ² detached beside Baseline and Latent Boost of Table 4/5.

    Accuracy, F1 and epochs of Baseline/Latent Boost come from table4, their silhouette from
    table5 (best trial); every value of the ablation method from the ablation block. Only
    datasets where the ablation was expected or run are shown.
    """

    def block_of(method: str, metric: str) -> str:
        if method == "latent_boost_detached_var":
            return "ablation"
        return "table5" if metric == "silhouette" else "table4"

    datasets = []
    for dataset in source.datasets("ablation", "table4"):
        cells = [
            source.cell("ablation", dataset, "latent_boost_detached_var", BEST, m)
            for m in ABLATION_METRICS
        ]
        if any(c.status != "not_run" for c in cells):
            datasets.append(dataset)
    present = {k[4] for k in source.keys("ablation")} | {"accuracy", "epochs", "silhouette"}
    metrics = [m for m in ABLATION_METRICS if m in present]
    # improvement columns: detached σ² (2) against Latent Boost (1)
    rows = _block_rows(source, datasets, lambda d: metrics, ABLATION_METHODS, block_of, (1, 2))
    return {"methods": [method_label(m) for m in ABLATION_METHODS], "rows": rows}
