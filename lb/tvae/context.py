"""The report's context for the triplet-VAE section: ``{RESULTS}/vae/vae_context.json``.

Everything the template ``report/templates/_vae.html.j2`` shows, computed from the study's files
(never typed in): the agreement table ours vs the paper's Table 1 (mean ± sample std over seeds),
the separation of both latent spaces (silhouette of z^μ, linear-SVM accuracy in percent, like every
accuracy of the project; agreement fractions stay fractions as in the paper), the top-K answers
and traversal outcomes of the figure examples, figure paths relative to the results directory
(key ``figures``, name → path) and, under ``claims``, the per-seed numbers claims (f) and (g)
are tested on. The verdicts themselves are the report's (``lb.report.claims``), not made here.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from lb import io
from lb.errors import DataError
from lb.published import tvae_agreement_fractions
from lb.tvae.agreement import CASE_DESCRIPTIONS
from lb.tvae.config import VAEConfig

SETTING_KEYS = (
    "dataset", "latent_dim", "hidden", "beta", "alpha", "margin", "epochs", "batch_size", "lr",
    "cnn_model", "cnn_epochs", "cnn_batch_size", "cnn_lr", "svm_c", "traversal_steps", "top_k",
    "n_examples", "tsne_points", "train_limit", "test_limit", "seeds",
)  # fmt: skip


def mean_std(values) -> dict:
    """``{"mean", "std", "n", "values"}``; std is the sample std (ddof 1), None for n < 2."""
    v = [float(x) for x in values if x is not None]
    if not v:
        return {"mean": None, "std": None, "n": 0, "values": []}
    std = float(np.std(v, ddof=1)) if len(v) > 1 else None
    return {"mean": float(np.mean(v)), "std": std, "n": len(v), "values": v}


def read_paper_agreement(path: str | Path) -> dict[int, float]:
    """The paper's Table 1 (``case, description, fraction``) as {case: fraction}."""
    fractions = tvae_agreement_fractions(path)
    if sorted(fractions) != sorted(CASE_DESCRIPTIONS):
        raise DataError(f"{path}: expected cases 1-5, found {sorted(fractions)}")
    return fractions


def _rel(path: str | Path, results_dir: str | Path) -> str:
    return Path(os.path.relpath(Path(path), Path(results_dir))).as_posix()


@dataclasses.dataclass(frozen=True)
class ContextInputs:
    """The files the context is computed from: per seed (first = the figure seed) the analysis'
    ``summary.json`` and the ``metrics.json`` of ``{"cnn", "triplet", "vanilla"}`` (for the
    timings), the figures' ``figures.json`` and the paper's Table 1 CSV."""

    summaries: list[str | Path]
    run_metrics: dict[str, list[str | Path]]
    figures_json: str | Path
    paper_csv: str | Path


def build_context(
    cfg: VAEConfig,
    inputs: ContextInputs,
    results_dir: str | Path,
    out_json: str | Path,
    out_csv: str | Path | None = None,
) -> dict:
    """Aggregate the per-seed summaries into the context (module docstring), write it to
    ``out_json`` and the agreement table ours-vs-paper to ``out_csv`` when given."""
    summaries = [json.loads(Path(p).read_text()) for p in inputs.summaries]
    if not summaries:
        raise ValueError("build_context: no summary.json given")
    figures_json = Path(inputs.figures_json)
    fig = json.loads(figures_json.read_text())
    paper = read_paper_agreement(inputs.paper_csv)
    agreement = agreement_rows(summaries, paper)
    if out_csv is not None:
        cols = ["case", "description", "paper", "mean", "std", "n", "diff"]
        io.write_csv(pd.DataFrame(agreement)[cols], out_csv)
    separation = separation_stats(summaries)
    fig_dir = figures_json.parent
    first = summaries[0]
    block = cfg.to_block()
    context = {
        "enabled": True,
        "dataset": first["dataset"],
        "seeds": [s["seed"] for s in summaries],
        "figure_seed": fig["seed"],
        "n_train": first["n_train"],
        "n_test": first["n_test"],
        "settings": {k: block[k] for k in SETTING_KEYS},
        "cnn_accuracy": mean_std(100.0 * s["cnn_accuracy"] for s in summaries),
        "agreement": agreement,
        "separation": separation,
        "n_disagreeing": mean_std(s["n_disagreeing"] for s in summaries),
        "topk": {
            "k": cfg.top_k,
            "label_in_topk": mean_std(s["topk_label_hit"] for s in summaries),
        },
        "traversal": traversal_stats(summaries),
        "examples": fig["examples"],
        "tsne": fig["tsne"],
        "figures": {name: _rel(fig_dir / f, results_dir) for name, f in fig["files"].items()},
        "claims": claim_numbers(agreement, separation, paper),
        "timings": timings(summaries, inputs.run_metrics),
    }
    io.write_json(out_json, _finite(context))
    return context


def agreement_rows(summaries: list[dict], paper: dict[int, float]) -> list[dict]:
    """Table 1 ours (mean ± std over seeds) beside the paper's, one row per case."""
    rows = []
    for case, description in CASE_DESCRIPTIONS.items():
        stats = mean_std(s["agreement"][str(case)] for s in summaries)
        rows.append(
            {
                "case": case,
                "description": description,
                "paper": paper[case],
                **stats,
                "diff": None if stats["mean"] is None else stats["mean"] - paper[case],
                "count_first_seed": int(summaries[0]["agreement_counts"][str(case)]),
            }
        )
    return rows


def separation_stats(summaries: list[dict]) -> dict:
    """Silhouettes in [-1, 1]; accuracies in percent (the project's convention, as in
    metrics.json)."""
    return {
        kind: {
            "silhouette": mean_std(s["separation"][kind]["silhouette"] for s in summaries),
            "svm_accuracy": mean_std(
                100.0 * s["separation"][kind]["svm_accuracy"] for s in summaries
            ),
            "svm_train_accuracy": mean_std(
                100.0 * s["separation"][kind]["svm_train_accuracy"] for s in summaries
            ),
        }
        for kind in ("triplet", "vanilla")
    }


def claim_numbers(agreement: list[dict], separation: dict, paper: dict) -> dict:
    """The numbers claims (f) and (g) are tested on (the verdicts are ``lb.report.claims``')."""
    case1 = agreement[0]
    claims = {
        # read by lb.report.claims (claims (f) and (g) of the report's claims table)
        "agreement_case1": {
            **{k: case1[k] for k in ("mean", "std", "n", "values")},
            "paper": paper[1],
        },
        "silhouette": {k: separation[k]["silhouette"] for k in ("triplet", "vanilla")},
        "svm_accuracy": {k: separation[k]["svm_accuracy"] for k in ("triplet", "vanilla")},
    }
    return claims


def traversal_stats(summaries: list[dict]) -> dict:
    """Per end-point rule: mean ± std over seeds of the reached fraction, moment, path length."""
    return {
        method: {
            key: mean_std(s["traversal"][method][key] for s in summaries)
            for key in ("reached_fraction", "mean_moment_fraction", "mean_path_length")
        }
        | {"paths_first_seed": summaries[0]["traversal"][method]["paths"]}
        for method in summaries[0]["traversal"]
    }


def timings(summaries: list[dict], run_metrics: dict[str, list[str | Path]]) -> dict:
    """Seconds per step, mean ± std over seeds."""
    out = {}
    for part, paths in run_metrics.items():
        key = "wall_seconds" if part == "cnn" else "train_seconds"
        out[part] = mean_std(json.loads(Path(p).read_text())[key] for p in paths)
    out["analysis"] = mean_std(s["seconds"]["total"] for s in summaries)
    return out


def _finite(obj):
    """JSON-safe copy: NaN/inf → None, numpy scalars → Python."""
    if isinstance(obj, dict):
        return {str(k): _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
