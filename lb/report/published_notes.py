"""Where the published numbers contradict themselves, found by code (the report's "Notes on the
published numbers").

Input: the Latent Boost paper's Tables 2-5 as rows ``table, dataset, method, lam, metric, mean,
std`` (:func:`paper_cells` takes them from summary.csv's ``paper_mean``/``paper_std``, which
the aggregate rule copies from report/published) and the triplet-VAE paper's Table 1 (case ->
fraction). Each note names the cells and says why they cannot all be right:

- micro-F1 ≠ accuracy: for single-label multiclass prediction micro-F1 equals accuracy, so any
  difference beyond rounding (accuracy has 2 decimals in percent, micro-F1 4 in [0, 1]) is a
  contradiction; the note counts them;
- accuracy *below* its own micro-F1: the cells of Table 4 where it is, and the largest such gap
  anywhere (they cannot come from the same predictions);
- Table 4 against Tables 2/3: Table 4's cells repeat the best-λ cells of Table 2 (baseline,
  Magnet) and Table 3 (Latent Boost); the matching cell is the one with the same accuracy mean
  (no λ is typed in here). Where the same cell then has another mean or standard deviation, the
  note names both;
- the agreement table: its five cases partition the test set, so the fractions sum to 1.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from lb.stats import is_finite
from lb.vocabulary import BASELINE, BEST, dataset_label, format_number, method_label, metric_label

#: Half a unit of the last printed digit of accuracy (0.005) and of 100·micro-F1 (0.005).
ROUNDING = 0.01
KEY = ["table", "dataset", "method", "lam"]


def paper_cells(summary: pd.DataFrame) -> pd.DataFrame:
    """The paper's cells from summary.csv: ``table, dataset, method, lam, metric, mean, std``."""
    rows = summary.dropna(subset=["paper_mean"])
    out = rows[[*KEY, "metric", "paper_mean", "paper_std"]]
    return out.rename(columns={"paper_mean": "mean", "paper_std": "std"}).reset_index(drop=True)


def _where(table: str, dataset: str, method: str, lam: str) -> str:
    lam_text = f"λ = {lam}" if lam != BEST else "λ = 0" if method == BASELINE else "best λ"
    return f"{table.replace('table', 'Table ')}, {dataset_label(dataset)}, " \
           f"{method_label(method)} ({lam_text})"  # fmt: skip


def _accuracy_vs_micro_f1(paper: pd.DataFrame) -> list[dict]:
    acc = paper[paper["metric"] == "accuracy"].set_index(KEY)["mean"]
    f1 = paper[paper["metric"] == "micro_f1"].set_index(KEY)["mean"]
    gap = (acc - 100 * f1).dropna()
    if gap.empty:
        return []
    differ = gap[gap.abs() > ROUNDING + 1e-9]
    if differ.empty:
        return []
    notes = [{
        "title": "Micro-F1 differs from accuracy",
        "cells": [],
        "why": f"In {len(differ)} of the {len(gap)} cells that give both, accuracy and "
               f"100·micro-F1 differ by more than rounding ({ROUNDING} points); for single-label "
               "multiclass prediction micro-F1 equals accuracy (every error is one false "
               "positive and one false negative), so these pairs cannot come from the same "
               "predictions.",
    }]  # fmt: skip
    below = gap[gap < -ROUNDING - 1e-9].sort_values()
    if len(below):
        shown = [k for k in below.index if k[0] == "table4"]
        if below.index[0] not in shown:
            shown.insert(0, below.index[0])
        cells = [
            f"{_where(*k)}: accuracy {format_number(acc[k], 'accuracy')} % below micro-F1 "
            f"{format_number(f1[k], 'micro_f1')} ({format_number(gap[k], 'accuracy', True)} "
            "points)"
            for k in shown
        ]
        notes.append({
            "title": "Accuracy below its own micro-F1",
            "cells": cells,
            "why": f"{len(below)} cells have an accuracy below 100·micro-F1 (listed: those of "
                   "Table 4 and the largest gap). Single-label prediction makes the two equal, "
                   "so a mean accuracy below the mean micro-F1 of the same runs is impossible.",
        })  # fmt: skip
    return notes


def _table4_against_tables_2_3(paper: pd.DataFrame) -> list[dict]:
    cells = []
    t4 = paper[paper["table"] == "table4"]
    earlier = paper[paper["table"].isin(["table2", "table3"])]
    for (dataset, method), block in t4.groupby(["dataset", "method"], sort=False):
        acc = block[block["metric"] == "accuracy"]["mean"]
        if acc.empty:
            continue
        cand = earlier[(earlier["dataset"] == dataset) & (earlier["method"] == method)]
        same = cand[(cand["metric"] == "accuracy") & ((cand["mean"] - acc.iloc[0]).abs() < 1e-9)]
        if len(same) != 1:
            continue  # no unique cell to compare with (e.g. LB w/o PCA has none)
        table, lam = same["table"].iloc[0], same["lam"].iloc[0]
        for r in block.itertuples(index=False):
            other = cand[(cand["table"] == table) & (cand["lam"] == lam)
                         & (cand["metric"] == r.metric)]  # fmt: skip
            if other.empty:
                continue
            o = other.iloc[0]
            for what, mine, theirs in (("mean", r.mean, o["mean"]), ("std", r.std, o["std"])):
                if is_finite(mine) and is_finite(theirs) and abs(mine - theirs) > 1e-9:
                    cells.append(
                        f"{dataset_label(dataset)}, {method_label(method)}, "
                        f"{metric_label(r.metric)}: Table 4 {_ms(r.mean, r.std, r.metric)} vs "
                        f"{table.replace('table', 'Table ')} (λ = {lam}) "
                        f"{_ms(o['mean'], o['std'], r.metric)} ({what} differs)"
                    )
    if not cells:
        return []
    return [{
        "title": "Table 4 repeats cells of Tables 2 and 3 with other numbers",
        "cells": cells,
        "why": "Table 4 shows each method at its best λ, the same runs as the Table 2/3 cell with "
               "the same accuracy; the same five runs cannot have two different means or "
               "standard deviations.",
    }]  # fmt: skip


def _agreement_sum(agreement: Mapping[int, float] | None) -> list[dict]:
    if not agreement:
        return []
    total = sum(float(v) for v in agreement.values())
    if abs(total - 1.0) <= 0.0005 * len(agreement):  # 4 printed decimals per case
        return []
    parts = " + ".join(f"{float(agreement[c]):.4f}" for c in sorted(agreement))
    return [{
        "title": "The triplet-VAE agreement table does not sum to 1",
        "cells": [f"Table 1, cases {', '.join(str(c) for c in sorted(agreement))}: {parts} = "
                  f"{total:.4f}"],
        "why": "The five cases partition the test set (every image is in exactly one), so the "
               "fractions must sum to 1 up to rounding (±0.0005 per printed value).",
    }]  # fmt: skip


def _ms(mean, std, metric) -> str:
    text = format_number(mean, metric)
    return text + (f" ± {format_number(std, metric)}" if is_finite(std) else "")


def published_notes(
    paper: pd.DataFrame, agreement: Mapping[int, float] | None = None
) -> list[dict]:
    """The notes, each ``{"title", "cells": [...], "why"}``, in a fixed order."""
    return (
        _accuracy_vs_micro_f1(paper) + _table4_against_tables_2_3(paper) + _agreement_sum(agreement)
    )
