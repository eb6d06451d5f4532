"""Figure 3 of the Latent Boost paper: t-SNE of the test-set latents, best trial per method.

Rows are datasets, columns Baseline (λ = 0), Magnet and Latent Boost (Section 5.2): "the latent
representation for the best trial of baseline training ..., the Magnet loss training ... and the
Latent Boost approach". Each panel embeds the full test-set latent of that run with
:func:`lb.figures.tsne.embed` (openTSNE defaults, fixed seed) and colours points by true class.
A (dataset, method) the config did not run shows "not run" instead of a scatter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import seaborn as sns

from lb.figures.save import new_figure, save_png
from lb.figures.shown import FIGURE3_METHODS
from lb.figures.tsne import embed
from lb.run_outputs import load_test_latents
from lb.vocabulary import dataset_label, dataset_order, format_lam, method_label


@dataclass(frozen=True)
class Panel:
    """One t-SNE panel: the run it shows and its 2-D embedding."""

    dataset: str
    method: str
    lam: float
    seed: int
    accuracy: float
    xy: np.ndarray  # N×2
    labels: np.ndarray  # N


def compute_panels(best: pd.DataFrame, results_dir: str | os.PathLike, seed: int) -> list[Panel]:
    """Embed the test latents of each best trial (rows of ``best`` whose method is in Figure 3)."""
    panels = []
    for row in best[best["method"].isin(FIGURE3_METHODS)].itertuples(index=False):
        latent, label = load_test_latents(Path(results_dir) / str(row.run_dir) / "test_outputs.npz")
        xy = embed(latent, seed=seed)
        panels.append(
            Panel(
                row.dataset,
                row.method,
                float(row.lam),
                int(row.seed),
                float(row.accuracy),
                xy,
                label,
            )
        )
    return panels


def class_palette(n_classes: int) -> list:
    """Distinct colours: tab10 up to 10 classes, tab20 up to 20, evenly spaced hues beyond."""
    if n_classes <= 10:
        return sns.color_palette("tab10", n_classes)
    if n_classes <= 20:
        return sns.color_palette("tab20", n_classes)
    return sns.color_palette("husl", n_classes)


def plot_figure3(
    panels: list[Panel], path: str | os.PathLike, datasets: list[str] | None = None
) -> None:
    """Draw the grid (rows: ``datasets``, by default those with a panel; columns:
    :data:`FIGURE3_METHODS`) and save it as PNG. A method without a panel reads "not run"."""
    datasets = dataset_order(datasets if datasets is not None else {p.dataset for p in panels})
    datasets = datasets or ["(no runs)"]
    by_key = {(p.dataset, p.method): p for p in panels}
    n_rows, n_cols = len(datasets), len(FIGURE3_METHODS)
    fig = new_figure(3.2 * n_cols, 3.0 * n_rows)
    axes = np.atleast_2d(fig.subplots(n_rows, n_cols, squeeze=False))
    for i, dataset in enumerate(datasets):
        for j, method in enumerate(FIGURE3_METHODS):
            ax = axes[i, j]
            ax.set_xticks([])
            ax.set_yticks([])
            panel = by_key.get((dataset, method))
            title = method_label(method)
            if panel is None:
                ax.text(
                    0.5,
                    0.5,
                    "not run",
                    ha="center",
                    va="center",
                    color="0.4",
                    transform=ax.transAxes,
                )
            else:
                classes = np.unique(panel.labels)
                colours = class_palette(len(classes))
                index = np.searchsorted(classes, panel.labels)
                ax.scatter(
                    panel.xy[:, 0],
                    panel.xy[:, 1],
                    c=np.asarray(colours)[index],
                    s=2 if len(panel.labels) > 2000 else 6,
                    linewidths=0,
                    rasterized=True,
                )
                title += (
                    f"\nλ={format_lam(panel.lam)}, seed {panel.seed}, acc {panel.accuracy:.2f}%"
                )
            ax.set_title(title, fontsize=8)
            if j == 0:
                ax.set_ylabel(dataset_label(dataset), fontsize=9)
    save_png(fig, path)


def panels_table(panels: list[Panel]) -> pd.DataFrame:
    """The runs shown, one row per panel (written beside the PNG for the report's caption)."""
    rows = [
        {
            "dataset": p.dataset,
            "method": p.method,
            "lam": p.lam,
            "seed": p.seed,
            "accuracy": p.accuracy,
            "n_points": len(p.labels),
        }
        for p in panels
    ]
    columns = ["dataset", "method", "lam", "seed", "accuracy", "n_points"]
    return pd.DataFrame(rows, columns=columns)
