"""Figures of the triplet-VAE study (the triplet-VAE paper, Figs 4–7), from the analysis' files.

- ``traversal_nearest.png`` / ``traversal_normal.png`` (Fig. 7): for each chosen disagreeing
  test image (:func:`lb.tvae.explanations.choose_examples`) and each of its top-K answers, the
  input image and the decoded path G(z_j), j = 0..ε (at most 21 columns shown, the moment
  always included), each labelled with the SVM's and the CNN's prediction; the first point where
  both predict the target (moment l) is framed in red.
- ``delta_u.png`` (Fig. 6): per example, for its most probable answer reached on the
  ``nearest`` path with l ≥ 1 (:func:`_delta_u_rank`): input, ΔU⁺, ΔU⁻, ΔU (first row; colour
  scale = the example's max |ΔU|); G(z_0), G(z_0) + ΔU⁺, G(z_0) − ΔU⁻, G(z_l) (second row).
- ``tsne.png`` (Figs 4–5): openTSNE of z^μ of (a stratified subset of) the test images, vanilla
  VAE beside triplet VAE, with the silhouette of z^μ and the linear-SVM accuracy in the titles.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from matplotlib.patches import Rectangle

from lb import io
from lb.figures.save import new_figure, save_png
from lb.figures.tsne import embed
from lb.metrics import silhouette_score
from lb.tvae import traversal as trav

MAX_COLUMNS = 21
FIGURE_NAMES = ("traversal_nearest", "traversal_normal", "delta_u", "tsne")


def shown_steps(steps: int, moment: int) -> list[int]:
    """Path columns to draw: ≤ MAX_COLUMNS evenly spaced steps, plus the moment when reached."""
    cols = set(np.linspace(0, steps, min(steps + 1, MAX_COLUMNS)).round().astype(int).tolist())
    if moment >= 0:
        cols.add(int(moment))
    return sorted(cols)


def _image(ax, img: np.ndarray, cmap: str = "gray", vmin: float = 0.0, vmax: float = 1.0) -> None:
    ax.imshow(np.asarray(img).squeeze(), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def traversal_figure(panels: list[dict], steps: int, title: str, path: Path) -> None:
    """``panels``: one dict per (example, target) with ``input`` (C,H,W), ``images`` (ε+1,C,H,W),
    ``svm``/``cnn`` (ε+1,), ``moment``, ``label`` (row text)."""
    n_cols = 1 + max(len(shown_steps(steps, p["moment"])) for p in panels)
    fig = new_figure(0.62 * n_cols + 1.6, 0.82 * len(panels) + 0.6)
    axes = fig.subplots(len(panels), n_cols, squeeze=False)
    for r, p in enumerate(panels):
        cols = shown_steps(steps, p["moment"])
        _image(axes[r, 0], p["input"])
        axes[r, 0].set_ylabel(p["label"], rotation=0, ha="right", va="center", fontsize=6)
        if r == 0:
            axes[r, 0].set_title("input", fontsize=6)
        for c in range(1, n_cols):
            ax = axes[r, c]
            if c - 1 >= len(cols):
                ax.axis("off")
                continue
            j = cols[c - 1]
            _image(ax, p["images"][j])
            ax.set_xlabel(f"S{p['svm'][j]} C{p['cnn'][j]}", fontsize=5, labelpad=1)
            if r == 0 or j == p["moment"]:
                ax.set_title(f"j={j}", fontsize=5, pad=1, color="red" if j == p["moment"] else "k")
            if j == p["moment"]:
                ax.add_patch(
                    Rectangle(
                        (0, 0), 1, 1, transform=ax.transAxes, fill=False, color="red", linewidth=2
                    )
                )
    fig.suptitle(title, fontsize=8)
    save_png(fig, path)


def delta_u_figure(rows: list[dict], path: Path) -> None:
    """``rows``: per example ``input``, ``start`` = G(z_0), ``moment_image`` = G(z_l), ``label``."""
    fig = new_figure(6.0, 3.0 * len(rows) + 0.4)
    axes = fig.subplots(2 * len(rows), 4, squeeze=False)
    top = ("input", "ΔU⁺ (ink added)", "ΔU⁻ (ink removed)", "ΔU")
    bottom = ("G(z₀)", "G(z₀) + ΔU⁺", "G(z₀) − ΔU⁻", "G(z_l)")
    for i, row in enumerate(rows):
        parts = trav.delta_u(row["start"], row["moment_image"])
        scale = max(float(np.abs(parts["delta"]).max()), 1e-6)  # per example, shown in the label
        a, b = axes[2 * i], axes[2 * i + 1]
        _image(a[0], row["input"])
        _image(a[1], parts["positive"], cmap="Reds", vmax=scale)
        _image(a[2], parts["negative"], cmap="Blues", vmax=scale)
        _image(a[3], parts["delta"], cmap="bwr", vmin=-scale, vmax=scale)
        _image(b[0], row["start"])
        _image(b[1], np.clip(parts["recon_plus"], 0, 1))
        _image(b[2], np.clip(parts["recon_minus"], 0, 1))
        _image(b[3], row["moment_image"])
        for ax, t in zip(a, top, strict=True):
            ax.set_title(t, fontsize=7)
        for ax, t in zip(b, bottom, strict=True):
            ax.set_title(t, fontsize=7)
        a[0].set_ylabel(f"{row['label']}\nmax |ΔU| = {scale:.2f}", fontsize=7)
    fig.suptitle("Minimal change ΔU at the moment both classifiers predict the target", fontsize=8)
    save_png(fig, path)


def tsne_figure(panels: list[dict], seed: int, path: Path) -> None:
    """``panels``: per VAE ``title``, ``embedding`` (N, 2), ``labels`` (N,)."""
    fig = new_figure(10.0, 4.8)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, p in zip(axes, panels, strict=True):
        e, y = p["embedding"], p["labels"]
        for c in np.unique(y):
            m = y == c
            ax.scatter(e[m, 0], e[m, 1], s=1.5, color=f"C{int(c)}", label=str(int(c)), alpha=0.7)
        ax.set_title(p["title"], fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[-1].legend(markerscale=5, fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.suptitle(f"t-SNE of z^μ on test images (openTSNE, seed {seed})", fontsize=9)
    save_png(fig, path)


def placeholder_figure(text: str, path: Path) -> None:
    """A small figure that says why there is nothing to show (the file always exists)."""
    fig = new_figure(5.0, 1.2)
    ax = fig.subplots()
    ax.axis("off")
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, wrap=True)
    save_png(fig, path)


def make_figures(
    analysis_dir: str | Path,
    triplet_dir: str | Path,
    vanilla_dir: str | Path,
    out_dir: str | Path,
) -> dict:
    """Draw the four figures (``FIGURE_NAMES``) into ``out_dir`` from the files of the analysis
    step (``summary.json``, ``examples.npz``, ``predictions.npz``) and of both VAEs
    (``latents.npz``), and write ``figures.json`` (file names, the traversal outcome of every
    shown path, the t-SNE silhouettes). Returns that dict. Reads no data set and no model."""
    out_dir = Path(out_dir)
    analysis_dir = Path(analysis_dir)
    summary = json.loads((analysis_dir / "summary.json").read_text())
    seed = int(summary["seed"])
    info: dict = {"seed": seed, "files": {}, "examples": [], "tsne": {}}
    with np.load(analysis_dir / "examples.npz") as f:
        ex = {key: f[key] for key in f.files}
    delta_rows = []
    for method in trav.METHODS:
        panels, shown, rows = traversal_panels(ex, method)
        info["examples"] += shown
        delta_rows += rows
        info["files"][f"traversal_{method}"] = draw_traversals(panels, ex, method, out_dir)
    path = out_dir / "delta_u.png"
    if delta_rows:
        delta_u_figure(delta_rows, path)
    else:
        placeholder_figure("No traversal toward the nearest point reached its target.", path)
    info["files"]["delta_u"] = path.name
    vae_dirs = {"vanilla": Path(vanilla_dir), "triplet": Path(triplet_dir)}
    info["tsne"] = draw_tsne(analysis_dir, vae_dirs, summary, out_dir / "tsne.png")
    info["files"]["tsne"] = "tsne.png"
    io.write_json(out_dir / "figures.json", info)
    return info


def traversal_panels(ex: dict, method: str) -> tuple[list[dict], list[dict], list[dict]]:
    """From ``examples.npz`` for one end-point rule: the figure's panels (one per example and
    target), the shown paths' outcomes for ``figures.json`` and the ΔU rows (``nearest`` only)."""
    steps = int(ex["steps"])
    n, k = ex["targets"].shape
    moments = ex[f"{method}_moment"]
    panels, shown, delta_rows = [], [], []
    for e in range(n):
        idx, label = int(ex["index"][e]), int(ex["label"][e])
        cnn, svm = int(ex["cnn"][e]), int(ex["svm"][e])
        delta_rank = _delta_u_rank(moments[e])
        for r in range(k):
            tgt, moment = int(ex["targets"][e, r]), int(moments[e, r])
            images = ex[f"{method}_images"][e, r]
            panels.append({
                "input": ex["inputs"][e], "images": images, "moment": moment,
                "svm": ex[f"{method}_svm"][e, r], "cnn": ex[f"{method}_cnn"][e, r],
                "label": f"#{idx} y={label} C={cnn} S={svm}\n→ {tgt} (top {r + 1})",
            })  # fmt: skip
            shown.append({
                "index": idx, "label": label, "cnn": cnn, "svm": svm,
                "case": int(ex["case"][e]), "method": method, "rank": r + 1, "target": tgt,
                "probability": float(ex["probs"][e, r]), "reached": moment >= 0,
                "moment": moment, "steps": steps,
            })  # fmt: skip
            if method == "nearest" and r == delta_rank:
                delta_rows.append({
                    "input": ex["inputs"][e], "start": images[0],
                    "moment_image": images[moment],
                    "label": f"#{idx}: → {tgt}, l = {moment}/{steps}",
                })  # fmt: skip
    return panels, shown, delta_rows


def draw_traversals(panels: list[dict], ex: dict, method: str, out_dir: Path) -> str:
    """``traversal_{method}.png`` (a placeholder when nothing disagrees); returns its name."""
    path = out_dir / f"traversal_{method}.png"
    if not panels:
        placeholder_figure("No test image where the CNN and the SVM disagree.", path)
        return path.name
    rule = (
        "toward the nearest correctly classified training point"
        if method == "nearest"
        else "along the target's SVM hyperplane normal"
    )
    title = (
        f"Traversal {rule} for the top-{ex['targets'].shape[1]} answers; S/C = SVM/CNN "
        "prediction, red = first point where both predict the target"
    )
    traversal_figure(panels, int(ex["steps"]), title, path)
    return path.name


def draw_tsne(analysis_dir: Path, vae_dirs: dict[str, Path], summary: dict, path: Path) -> dict:
    """The t-SNE pair on the analysis step's stratified subset of the test set; returns the
    silhouette of each 2-D embedding and the number of points."""
    seed = int(summary["seed"])
    with np.load(analysis_dir / "predictions.npz") as f:
        subset, y_test = f["tsne_subset"], f["label"]
    panels, info = [], {}
    for kind, vae_dir in vae_dirs.items():
        with np.load(vae_dir / "latents.npz") as f:
            z = f["test_mu"]
        e = embed(z[subset], seed)
        sep = summary["separation"][kind]
        sil_2d = float(silhouette_score(torch.as_tensor(e), torch.as_tensor(y_test[subset])))
        info[kind] = {"silhouette_tsne": sil_2d, "points": int(len(subset))}
        panels.append(
            {
                "title": f"{kind} VAE: silhouette(z^μ) {sep['silhouette']:.3f}, "
                f"linear-SVM accuracy {100 * sep['svm_accuracy']:.1f} %",
                "embedding": e,
                "labels": y_test[subset],
            }
        )
    tsne_figure(panels, seed, path)
    return info


def _delta_u_rank(moments: np.ndarray) -> int:
    """Which of an example's K targets the ΔU figure shows: the most probable one reached with
    l ≥ 1 (a real change); else the most probable one reached at l = 0 (G(z_0) already counts as
    the target for both, ΔU = 0); −1 when no target was reached."""
    moved = np.flatnonzero(moments >= 1)
    if moved.size:
        return int(moved[0])
    reached = np.flatnonzero(moments >= 0)
    return int(reached[0]) if reached.size else -1
