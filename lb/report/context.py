"""Build the template context of the HTML report from the workflow's files.

Inputs (docs/contracts.md, "Workflow contracts"): ``tables/summary.csv`` and
``tables/runs.csv`` of the aggregation, the figures and their data CSVs of rules/figures.smk,
the provenance, and optionally the VAE study's ``vae_context.json``. Everything the report prints
is computed here from those files; the templates only lay it out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from lb.errors import DataError
from lb.report import layout
from lb.report.claims import count_tests, evaluate_claims
from lb.report.embed import png_data_uri
from lb.report.layout import CellSource
from lb.report.published_notes import paper_cells, published_notes
from lb.tables import table4_runs
from lb.vocabulary import (
    FIGURE_NAMES,
    FIGURE_TITLES,
    dataset_label,
    dataset_order,
    format_lam,
    format_number,
    method_label,
    method_order,
)


def figure_view(
    name: str, path: str | Path | None, partial: bool, made_by: Mapping[str, str] | None = None
) -> dict:
    """Title, data URI and size of one figure, and what made it (``made_by``: rule and script,
    from the report rule); a missing file is an error unless ``partial``."""
    made_by = made_by or {}
    rule, script = made_by.get("rule"), made_by.get("script")
    view = {"name": name, "title": FIGURE_TITLES[name], "rule": rule, "script": script,
            "src": None, "width": 0, "height": 0}  # fmt: skip
    if path is None or not Path(path).is_file():
        if not partial:
            which = f"rule {rule}" if rule else "its figure rule"
            raise DataError(f"{path or name}: figure missing; run {which} first")
        return view
    view["src"], view["width"], view["height"] = png_data_uri(path)
    return view


def micro_f1_note(runs: pd.DataFrame, summary: pd.DataFrame) -> dict:
    """Why micro-F1 equals accuracy, with the numbers that show it in our runs and in the paper.

    For single-label multiclass predictions every error is one false positive (of the predicted
    class) and one false negative (of the true class), so micro-averaged precision = recall =
    correct / N = accuracy, hence micro-F1 = accuracy. ``ours_gap``: the largest
    |accuracy − 100·micro-F1| over our runs (percentage points); ``paper_gap``: the same over the
    paper's cells that give both, with the cell where it is largest.
    """
    both = runs.dropna(subset=["accuracy", "micro_f1"])
    ours_gap = float((both["accuracy"] - 100 * both["micro_f1"]).abs().max()) if len(both) else None
    paper = summary.dropna(subset=["paper_mean"])
    key = ["table", "dataset", "method", "lam"]
    acc = paper[paper["metric"] == "accuracy"].set_index(key)["paper_mean"]
    f1 = paper[paper["metric"] == "micro_f1"].set_index(key)["paper_mean"]
    gaps = (acc - 100 * f1).dropna().abs()
    view = {"ours_gap": None, "n_runs": len(both), "paper_gap": None, "paper_example": "",
            "n_paper": int(len(gaps))}  # fmt: skip
    if ours_gap is not None:
        view["ours_gap"] = format_number(ours_gap, "micro_f1")
    if len(gaps):
        where = gaps.idxmax()
        table, dataset, method, lam = where
        view["paper_gap"] = format_number(float(gaps.max()), "accuracy")
        view["paper_example"] = (
            f"{table.replace('table', 'Table ')}, {dataset_label(dataset)}, {method_label(method)}"
            f" (λ = {lam}): accuracy {format_number(acc[where], 'accuracy')}% vs micro-F1 "
            f"{format_number(f1[where], 'micro_f1')}"
        )
    return view


def warmup_best_runs(runs: pd.DataFrame, warmup_epochs: Mapping[str, int] | None) -> list[str]:
    """Runs with a distance term whose best validation epoch (the weights they report) came
    within the cross-entropy-only warm-up: their numbers never saw the distance term."""
    if not warmup_epochs or runs.empty:
        return []
    out = []
    for r in runs.itertuples(index=False):
        warmup = warmup_epochs.get(r.dataset)
        if warmup and float(r.lam) > 0 and int(r.best_epoch) <= warmup:
            out.append(f"{r.run_dir}: best epoch {int(r.best_epoch)} of {int(r.epochs)}")
    return sorted(out)


def run_overview(
    runs: pd.DataFrame,
    expected_runs: Iterable[Mapping] | None,
    warmup_epochs: Mapping[str, int] | None = None,
) -> dict:
    """Counts per (dataset, method): λ values, seeds, mean epochs, wall time; missing runs (by
    the ``run_dir`` of each expected run, as :func:`lb.workflow.runs.aggregation_spec` lists
    them); runs whose reported weights come from the warm-up (:func:`warmup_best_runs`)."""
    groups = []
    for (dataset, method), g in runs.groupby(["dataset", "method"]):
        groups.append({
            "dataset": dataset_label(dataset), "method": method_label(method),
            "lams": ", ".join(format_lam(x) for x in sorted(g["lam"].astype(float).unique())),
            "n": len(g), "epochs": format_number(g["epochs"].mean(), "epochs"),
            "hours": f"{g['wall_seconds'].astype(float).sum() / 3600:.2f}",
            "_order": (dataset_order(runs["dataset"].unique()).index(dataset),
                       method_order(runs["method"].unique()).index(method)),
        })  # fmt: skip
    groups.sort(key=lambda r: r.pop("_order"))
    have = {
        (r.dataset, r.method, format_lam(r.lam), int(r.seed)) for r in runs.itertuples(index=False)
    }
    missing, n_expected = [], None
    if expected_runs is not None:
        expected = {
            (r["dataset"], r["method"], format_lam(r["lam"]), int(r["seed"])): r["run_dir"]
            for r in expected_runs
        }
        n_expected = len(expected)
        missing = [expected[key] for key in sorted(expected.keys() - have)]
    return {"groups": groups, "n_finished": len(have), "n_expected": n_expected,
            "missing": missing, "warmup_best": warmup_best_runs(runs, warmup_epochs),
            "warmup_epochs": sorted(set((warmup_epochs or {}).values()))}  # fmt: skip


def grad_view(grad: pd.DataFrame | None) -> list[dict]:
    """Per (dataset, method): medians over seeds of the early / late gradient norm and ratio."""
    if grad is None or grad.empty:
        return []
    rows = []
    for dataset in dataset_order(grad["dataset"].unique()):
        sub = grad[grad["dataset"] == dataset]
        for method in method_order(sub["method"].unique()):
            g = sub[sub["method"] == method]
            floor = g["floor_epoch"].dropna()
            if g["early"].isna().all() and g["late"].isna().all():
                continue  # no distance term (baseline) or no epoch after warm-up
            rows.append({
                "dataset": dataset_label(dataset), "method": method_label(method),
                "floor_epoch": f"{floor.iloc[0]:g}" if len(floor) else "not reached",
                "early": _sci(g["early"].median()), "late": _sci(g["late"].median()),
                "ratio": _sci(g["ratio"].median()),
                "n": int((g["early"].notna() | g["late"].notna()).sum()),
            })  # fmt: skip
    return rows


def _agreement(vae: Mapping | None, published: Mapping[int, float] | None) -> dict[int, float]:
    """The triplet-VAE paper's Table 1 (case -> fraction): the published file, else the copy in
    the VAE study's context."""
    if published:
        return {int(k): float(v) for k, v in published.items()}
    rows = (vae or {}).get("agreement") or []
    return {int(r["case"]): float(r["paper"]) for r in rows if r.get("paper") is not None}


def _sci(x) -> str:
    return f"{x:.2e}".replace("-", "−") if x is not None and math.isfinite(x) else "—"


# The report's tables and the function of lb.report.layout that lays out each.
TABLE_LAYOUTS = {
    "table2": layout.table2,
    "table3": layout.table3,
    "table4": layout.table4,
    "table5": layout.table5,
    "ablation": layout.ablation,
}


def _figure3_trials(trials: pd.DataFrame | None, source: CellSource) -> tuple[list, list]:
    """Figure 3's trials in words, and the datasets of Table 5 it does not show."""
    if trials is None:
        return [], []
    shown = set(trials["dataset"])
    absent = [dataset_label(d) for d in source.datasets("table5") if d not in shown]
    words = [
        f"{dataset_label(r.dataset)} / {method_label(r.method)}: λ = {format_lam(r.lam)}, "
        f"seed {int(r.seed)}, accuracy {format_number(r.accuracy, 'accuracy')}%"
        for r in trials.itertuples(index=False)
    ]
    return words, absent


def build_context(
    summary: pd.DataFrame,
    runs: pd.DataFrame,
    figures: Mapping[str, str | Path | None],
    provenance: Mapping,
    *,
    expected_runs: Iterable[Mapping] | None = None,
    best_lams: Mapping[str, float] | None = None,
    pca: pd.DataFrame | None = None,
    grad: pd.DataFrame | None = None,
    figure3_trials: pd.DataFrame | None = None,
    vae: Mapping | None = None,
    paper_agreement: Mapping[int, float] | None = None,
    vae_template: bool = True,
    partial: bool = False,
    made_by: Mapping[str, Mapping[str, str]] | None = None,
    title: str = "Latent Boost and the triplet-VAE study: reproduction report",
    config_name: str = "",
    setup: list[dict] | None = None,
    max_epochs: Mapping[str, int] | None = None,
    warmup_epochs: Mapping[str, int] | None = None,
) -> dict:
    """Everything the templates print (see report/templates/report.html.j2); ``setup`` are the
    rows of the "Setup" section (:func:`lb.report.setup_section.setup_rows`); ``made_by``: what made
    the tables, each figure and the page itself (``{"tables", "report" or figure name: {"rule",
    "script"}}``), given by the report rules (the library does not know rule names); without it
    the report names none."""
    expected_runs = list(expected_runs) if expected_runs is not None else None
    best_lams = {k: float(v) for k, v in (best_lams or {}).items()}
    source = CellSource(summary)
    table4 = table4_runs(runs, best_lams) if best_lams and len(runs) else None
    made = {k: dict(v) for k, v in (made_by or {}).items()}
    figs = {
        name: figure_view(name, figures.get(name), partial, made.get(name)) for name in FIGURE_NAMES
    }
    trials, figure3_absent = _figure3_trials(figure3_trials, source)
    claims = evaluate_claims(source, table4, pca, best_lams, vae, paper_agreement, max_epochs, grad)
    return {
        "title": title,
        "config_name": config_name,
        "partial": bool(partial),
        "tables": {name: lay_out(source) for name, lay_out in TABLE_LAYOUTS.items()},
        "tables_made_by": made.get("tables", {"rule": None, "script": None}),
        "report_made_by": made.get("report", {"rule": None, "script": None}),
        "best_lams": [
            {"dataset": dataset_label(d), "lam": format_lam(best_lams[d])}
            for d in dataset_order(best_lams)
        ],
        "figures": figs,
        "figure3_trials": trials,
        "figure3_absent": figure3_absent,
        "claims": claims,
        "claim_tests": count_tests(claims),
        "micro_f1": micro_f1_note(runs, summary),
        "published_notes": published_notes(paper_cells(summary), _agreement(vae, paper_agreement)),
        "grad": grad_view(grad),
        "runs": run_overview(runs, expected_runs, warmup_epochs),
        "vae": dict(vae) if vae else None,
        "vae_images": {},
        "vae_template": bool(vae_template),
        "provenance": dict(provenance),
        "setup": list(setup or []),
    }
