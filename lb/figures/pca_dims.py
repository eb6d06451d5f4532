"""PCA dimension of Eq 8 over the epochs (Section 5.1: "the number of principal components ...
ranged around 45 to 50, with slight degradation to 40 ...").

``pca_dim`` in a run's history is the mean over the epoch's batches of the dimension Eq 8 keeps
(threshold T of cumulative explained variance). Only losses with PCA log it; warm-up epochs,
which do not compute the distance term, have none.
"""

from __future__ import annotations

import os

import pandas as pd

from lb.figures.histories import per_epoch_summary
from lb.figures.save import markers, new_figure, save_png
from lb.figures.shown import PCA_METHODS
from lb.vocabulary import dataset_label, dataset_order, format_lam, method_label, method_order

PCA_COLUMNS = ("dataset", "method", "lam", "seed", "epoch", "pca_dim")


def pca_dim_table(histories: pd.DataFrame) -> pd.DataFrame:
    """Tidy rows (dataset, method, lam, seed, epoch, pca_dim) of every epoch that logged one, for
    the methods of :data:`PCA_METHODS` (Latent Boost w/o PCA logs its whole latent size, which
    is no PCA dimension)."""
    rows = histories[histories["method"].isin(PCA_METHODS)].dropna(subset=["pca_dim"])
    return rows.loc[:, list(PCA_COLUMNS)].reset_index(drop=True)


def plot_pca_dims(table: pd.DataFrame, path: str | os.PathLike) -> None:
    """One panel per dataset: mean PCA dimension over seeds per epoch, band = min..max."""
    datasets = dataset_order(table["dataset"].unique())
    fig = new_figure(4.2 * max(len(datasets), 1), 3.2)
    axes = fig.subplots(1, max(len(datasets), 1), squeeze=False)[0]
    if not datasets:
        axes[0].text(0.5, 0.5, "no run with PCA", ha="center", va="center", color="0.4")
        axes[0].set_axis_off()
    stats = per_epoch_summary(table, "pca_dim", by=("dataset", "method", "lam"))
    for ax, dataset in zip(axes, datasets, strict=False):
        sub = stats[stats["dataset"] == dataset]
        for method in method_order(sub["method"].unique()):
            for lam, line in sub[sub["method"] == method].groupby("lam"):
                label = f"{method_label(method)} (λ={format_lam(lam)})"
                ax.plot(line["epoch"], line["mean"], label=label, lw=1.5, **markers(len(line)))
                ax.fill_between(line["epoch"], line["min"], line["max"], alpha=0.2)
        ax.set_title(dataset_label(dataset), fontsize=10)
        ax.set_xlabel("epoch")
        ax.set_ylabel("PCA dimension (Eq 8)")
        ax.legend(fontsize=7)
    save_png(fig, path)
