"""λ sweeps: test accuracy against the weight λ of Eq 5, ours beside the paper's (Tables 2-3).

Ours: mean ± std over seeds (error bars), solid; the paper's values dashed in the same colour.
The baseline (λ = 0) is a horizontal line. One panel per dataset this config ran.
"""

from __future__ import annotations

import os

import pandas as pd
import seaborn as sns

from lb.figures.save import new_figure, save_png
from lb.vocabulary import BEST, dataset_label, dataset_order, method_label, method_order

SWEEP_TABLES = ("table2", "table3")


def sweep_table(summary: pd.DataFrame, metric: str = "accuracy") -> pd.DataFrame:
    """Rows of Tables 2-3 for ``metric`` with a numeric λ, for the datasets with any run."""
    rows = summary[summary["table"].isin(SWEEP_TABLES) & (summary["metric"] == metric)].copy()
    rows = rows[rows["lam"] != BEST]
    rows["lam"] = rows["lam"].astype(float)
    ran = rows.groupby("dataset")["n"].transform("max") > 0
    columns = ["dataset", "method", "lam", "mean", "std", "n", "paper_mean", "paper_std"]
    return rows.loc[ran, columns].sort_values(["dataset", "method", "lam"]).reset_index(drop=True)


def plot_lambda_sweep(table: pd.DataFrame, path: str | os.PathLike) -> None:
    datasets = dataset_order(table["dataset"].unique())
    fig = new_figure(4.2 * max(len(datasets), 1), 3.4)
    axes = fig.subplots(1, max(len(datasets), 1), squeeze=False)[0]
    if not datasets:
        axes[0].text(0.5, 0.5, "no runs", ha="center", va="center", color="0.4")
        axes[0].set_axis_off()
    methods = method_order(table["method"].unique())
    colours = dict(zip(methods, sns.color_palette("colorblind", len(methods)), strict=True))
    for ax, dataset in zip(axes, datasets, strict=False):
        sub = table[table["dataset"] == dataset]
        for method in methods:
            rows = sub[sub["method"] == method]
            if rows.empty:
                continue
            colour = colours[method]
            ours = rows[rows["n"] > 0]
            paper = rows.dropna(subset=["paper_mean"])
            if method == "baseline":
                for frame, style in ((ours, "-"), (paper, "--")):
                    value = frame["mean"] if frame is ours else frame["paper_mean"]
                    if len(value):
                        ax.axhline(float(value.iloc[0]), color=colour, ls=style, lw=1)
                ax.plot([], [], color=colour, label=method_label(method))
                continue
            if len(ours):
                ax.errorbar(
                    ours["lam"],
                    ours["mean"],
                    yerr=ours["std"].fillna(0),
                    color=colour,
                    marker="o",
                    ms=3,
                    lw=1.3,
                    capsize=2,
                    label=method_label(method),
                )
            if len(paper):
                ax.plot(
                    paper["lam"],
                    paper["paper_mean"],
                    color=colour,
                    ls="--",
                    lw=1,
                    alpha=0.7,
                    label=None if len(ours) else f"{method_label(method)} (paper only)",
                )
        ax.set_title(f"{dataset_label(dataset)} (solid: ours, dashed: paper)", fontsize=9)
        ax.set_xlabel("λ (Eq 5)")
        ax.set_ylabel("test accuracy (%)")
        ax.legend(fontsize=7)
    save_png(fig, path)
