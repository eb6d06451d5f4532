"""Beyond the paper: the gradient norm of the distance term with respect to the latent, per epoch.

With the unbiased per-class variance of Eq 9 inside the graph, Σ_{i∈c} ‖r_i − μ_c‖²/(2σ²_c)
= (|c| − 1)/2 for every class, so once β of Eq 10 has reached its floor ε the Latent Boost loss
of Eq 11 is a constant up to ε terms and its gradient vanishes. This figure shows
``dist_grad_norm`` of the history (log scale) for baseline / Magnet / Latent Boost / Latent Boost
with σ² detached, and marks the epoch where β reached its floor.

"β at its floor" is read from the Latent Boost histories: the first epoch whose β is at most
:data:`BETA_FLOOR` (ε is 1e-8 by default; any β this small makes the other-class exponents of
Eq 11 vanish to float32 precision).
"""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd
import seaborn as sns

from lb.figures.histories import per_epoch_summary
from lb.figures.save import markers, new_figure, save_png
from lb.figures.shown import GRAD_METHODS
from lb.vocabulary import dataset_label, dataset_order, method_label, method_order

BETA_FLOOR = 1e-6


def beta_floor_epoch(histories: pd.DataFrame) -> float:
    """First epoch with β ≤ :data:`BETA_FLOOR` in these histories, NaN if β never got there."""
    floor = histories[pd.to_numeric(histories["beta"], errors="coerce") <= BETA_FLOOR]
    return float(floor["epoch"].min()) if len(floor) else math.nan


def grad_norm_table(histories: pd.DataFrame) -> pd.DataFrame:
    """Per (dataset, method, seed): median gradient norm before and from the β-floor epoch.

    Columns: dataset, method, lam, seed, floor_epoch, early, late, ratio (= late / early),
    epochs_early, epochs_late. ``floor_epoch`` is the dataset's first β-floor epoch over its
    Latent Boost runs (NaN when no run reached it: then early/late are NaN too). Methods without
    a distance term (baseline) have no gradient norm and get NaN everywhere.
    """
    rows = []
    sub = histories[histories["method"].isin(GRAD_METHODS)]
    for dataset, data in sub.groupby("dataset"):
        lb_hist = data[data["method"].str.startswith("latent_boost")]
        floor = beta_floor_epoch(lb_hist) if len(lb_hist) else math.nan
        for (method, lam, seed), run in data.groupby(["method", "lam", "seed"]):
            g = run.dropna(subset=["dist_grad_norm"])
            early = g[g["epoch"] < floor]["dist_grad_norm"] if floor == floor else g.iloc[:0]
            late = g[g["epoch"] >= floor]["dist_grad_norm"] if floor == floor else g.iloc[:0]
            e = float(early.median()) if len(early) else math.nan
            lt = float(late.median()) if len(late) else math.nan
            rows.append({
                "dataset": dataset, "method": method, "lam": float(lam), "seed": int(seed),
                "floor_epoch": floor, "early": e, "late": lt,
                "ratio": lt / e if e and e == e and lt == lt else math.nan,
                "epochs_early": len(early), "epochs_late": len(late),
            })  # fmt: skip
    columns = ["dataset", "method", "lam", "seed", "floor_epoch", "early", "late", "ratio",
               "epochs_early", "epochs_late"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def plot_grad_norm(histories: pd.DataFrame, path: str | os.PathLike) -> None:
    """One panel per dataset: mean ``dist_grad_norm`` over seeds per epoch, log scale."""
    sub = histories[histories["method"].isin(GRAD_METHODS)]
    datasets = dataset_order(sub["dataset"].unique())
    fig = new_figure(4.4 * max(len(datasets), 1), 3.4)
    axes = fig.subplots(1, max(len(datasets), 1), squeeze=False)[0]
    if not datasets:
        axes[0].text(0.5, 0.5, "no runs", ha="center", va="center", color="0.4")
        axes[0].set_axis_off()
    colours = dict(
        zip(GRAD_METHODS, sns.color_palette("colorblind", len(GRAD_METHODS)), strict=True)
    )
    stats = per_epoch_summary(sub, "dist_grad_norm")
    for ax, dataset in zip(axes, datasets, strict=False):
        data = sub[sub["dataset"] == dataset]
        notes = []
        for method in method_order(data["method"].unique()):
            line = stats[(stats["dataset"] == dataset) & (stats["method"] == method)]
            line = line[line["mean"] > 0]
            if line.empty:
                notes.append(f"{method_label(method)}: no distance term")
                continue
            ax.plot(
                line["epoch"],
                line["mean"],
                color=colours[method],
                lw=1.4,
                label=method_label(method),
                **markers(len(line)),
            )
            ax.fill_between(
                line["epoch"], line["min"], line["max"], color=colours[method], alpha=0.15
            )
        floor = beta_floor_epoch(data[data["method"].str.startswith("latent_boost")])
        if np.isfinite(floor):
            ax.axvline(floor, color="0.3", ls=":", lw=1, label=f"β reaches ε (epoch {floor:g})")
        if ax.has_data():
            ax.set_yscale("log")
            ax.legend(fontsize=7)
        if notes:
            ax.text(0.02, 0.02, "\n".join(notes), transform=ax.transAxes, fontsize=7, color="0.35")
        ax.set_title(dataset_label(dataset), fontsize=10)
        ax.set_xlabel("epoch")
        ax.set_ylabel("‖∂L_dist/∂latent‖ (mean over batches)")
    save_png(fig, path)
