"""Learning curves: validation accuracy and training loss (Eq 5 total) per epoch, per method.

Mean over seeds; runs stopped early stop contributing, so the curves end at the longest run.
"""

from __future__ import annotations

import os

import pandas as pd

from lb.figures.histories import per_epoch_summary
from lb.figures.save import markers, new_figure, save_png
from lb.figures.shown import CURVE_METHODS
from lb.vocabulary import dataset_label, dataset_order, method_label, method_order

PANELS = (("val_accuracy", "validation accuracy (%)"), ("total", "training loss (Eq 5)"))
#: The methods of Table 4 and the ablation (the other losses of Table 2 would crowd the plot).


def learning_curve_table(histories: pd.DataFrame) -> pd.DataFrame:
    """Per (dataset, method, epoch): mean/min/max/n over seeds of each plotted column, for the
    methods of :data:`CURVE_METHODS`."""
    histories = histories[histories["method"].isin(CURVE_METHODS)]
    frames = []
    for column, _ in PANELS:
        stats = per_epoch_summary(histories, column)
        stats.insert(2, "column", column)
        frames.append(stats)
    return pd.concat(frames, ignore_index=True)


def plot_learning_curves(table: pd.DataFrame, path: str | os.PathLike) -> None:
    """Rows: datasets; columns: validation accuracy, training loss; a line per method."""
    datasets = dataset_order(table["dataset"].unique()) or ["(none)"]
    fig = new_figure(8.4, 2.9 * len(datasets))
    axes = fig.subplots(len(datasets), len(PANELS), squeeze=False)
    for i, dataset in enumerate(datasets):
        for j, (column, ylabel) in enumerate(PANELS):
            ax = axes[i, j]
            sub = table[(table["dataset"] == dataset) & (table["column"] == column)]
            for method in method_order(sub["method"].unique()):
                line = sub[sub["method"] == method]
                ax.plot(
                    line["epoch"], line["mean"], label=method_label(method), lw=1.3,
                    **markers(len(line)),
                )  # fmt: skip
            ax.set_title(dataset_label(dataset), fontsize=9)
            ax.set_xlabel("epoch")
            ax.set_ylabel(ylabel)
            if not sub.empty:
                ax.legend(fontsize=7)
            else:
                ax.text(0.5, 0.5, "no runs", ha="center", va="center", transform=ax.transAxes)
    save_png(fig, path)
