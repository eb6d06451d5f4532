"""Write a matplotlib figure as a PNG, atomically (whole file or none)."""

from __future__ import annotations

import os

from matplotlib.figure import Figure

from lb import io

#: Resolution of every report figure (the HTML embeds them at their natural width).
DPI = 110


def markers(n_points: int) -> dict:
    """Point markers for short lines (a one-epoch run would otherwise draw nothing)."""
    return {"marker": "o", "ms": 3} if n_points <= 30 else {}


def new_figure(width: float, height: float) -> Figure:
    """A pyplot-free Figure (no global state, no display backend needed)."""
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def save_png(fig: Figure, path: str | os.PathLike) -> None:
    """Save ``fig`` to ``path`` as PNG through :func:`lb.io.atomic_path`.

    The PNG carries no timestamp, so the same figure gives the same bytes.
    """
    with io.atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=DPI, metadata={"Software": None})
