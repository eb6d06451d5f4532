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

import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from lb import io
from lb.errors import DataError
from lb.tvae.agreement import CASE_DESCRIPTIONS

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
    path = Path(path)
    try:
        table = pd.read_csv(path)
        fractions = {
            int(c): float(f) for c, f in zip(table["case"], table["fraction"], strict=True)
        }
    except (OSError, KeyError, ValueError) as err:
        raise DataError(f"{path}: cannot read the paper's agreement table ({err})") from None
    if sorted(fractions) != sorted(CASE_DESCRIPTIONS):
        raise DataError(f"{path}: expected cases 1-5, found {sorted(fractions)}")
    return fractions


def _rel(path: str | Path, results_dir: str | Path) -> str:
    return Path(os.path.relpath(Path(path), Path(results_dir))).as_posix()


def build_context(
    vae_cfg: dict,
    summary_paths: list[str | Path],
    run_metrics: dict[str, list[str | Path]],
    figures_json: str | Path,
    paper_csv: str | Path,
    results_dir: str | Path,
    out_json: str | Path,
    out_csv: str | Path | None = None,
) -> dict:
    """Aggregate the per-seed ``summary.json`` files (first = the figure seed) into the context.

    ``run_metrics``: ``{"cnn": [...], "triplet": [...], "vanilla": [...]}`` metrics.json paths
    (for the timings). Also writes the agreement table ours-vs-paper to ``out_csv`` when given.
    """
    summaries = [json.loads(Path(p).read_text()) for p in summary_paths]
    if not summaries:
        raise ValueError("build_context: no summary.json given")
    figures_json = Path(figures_json)
    fig = json.loads(figures_json.read_text())
    paper = read_paper_agreement(paper_csv)

    agreement = []
    for case, description in CASE_DESCRIPTIONS.items():
        stats = mean_std(s["agreement"][str(case)] for s in summaries)
        agreement.append(
            {
                "case": case,
                "description": description,
                "paper": paper[case],
                **stats,
                "diff": None if stats["mean"] is None else stats["mean"] - paper[case],
                "count_first_seed": int(summaries[0]["agreement_counts"][str(case)]),
            }
        )
    if out_csv is not None:
        cols = ["case", "description", "paper", "mean", "std", "n", "diff"]
        io.write_csv(pd.DataFrame(agreement)[cols], out_csv)

    # accuracies in percent (the project's convention, as in metrics.json); silhouettes in [-1, 1]
    separation = {
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

    traversal = {
        method: {
            key: mean_std(s["traversal"][method][key] for s in summaries)
            for key in ("reached_fraction", "mean_moment_fraction", "mean_path_length")
        }
        | {"paths_first_seed": summaries[0]["traversal"][method]["paths"]}
        for method in summaries[0]["traversal"]
    }
    fig_dir = figures_json.parent
    figures = {name: _rel(fig_dir / file, results_dir) for name, file in fig["files"].items()}

    timings = {}
    for part, paths in run_metrics.items():
        key = "wall_seconds" if part == "cnn" else "train_seconds"
        timings[part] = mean_std(json.loads(Path(p).read_text())[key] for p in paths)
    timings["analysis"] = mean_std(s["seconds"]["total"] for s in summaries)

    first = summaries[0]
    context = {
        "enabled": True,
        "dataset": first["dataset"],
        "seeds": [s["seed"] for s in summaries],
        "figure_seed": fig["seed"],
        "n_train": first["n_train"],
        "n_test": first["n_test"],
        "settings": {k: vae_cfg[k] for k in SETTING_KEYS},
        "cnn_accuracy": mean_std(100.0 * s["cnn_accuracy"] for s in summaries),
        "agreement": agreement,
        "separation": separation,
        "n_disagreeing": mean_std(s["n_disagreeing"] for s in summaries),
        "topk": {
            "k": vae_cfg["top_k"],
            "label_in_topk": mean_std(s["topk_label_hit"] for s in summaries),
        },
        "traversal": traversal,
        "examples": fig["examples"],
        "tsne": fig["tsne"],
        "figures": figures,
        "claims": claims,
        "timings": timings,
    }
    io.write_json(out_json, _finite(context))
    return context


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
