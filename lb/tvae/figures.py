"""Figures of the triplet-VAE study (seed 004, Figs 4–7), from the outputs of :mod:`lb.tvae.study`.

- ``traversal_nearest.png`` / ``traversal_normal.png`` (Fig. 7): for each chosen disagreeing test
  image (:func:`lb.tvae.study.choose_examples`) and each of its top-K answers, the input image
  and the decoded path G(z_j), j = 0..ε (at most 21 columns shown, the moment always included),
  each labelled with the SVM's and the CNN's prediction; the first point where both predict the
  target (moment l) is framed in red.
- ``delta_u.png`` (Fig. 6): per example, for its most probable answer reached on the
  ``nearest`` path: input, ΔU⁺, ΔU⁻, ΔU (first row); G(z_0), G(z_0) + ΔU⁺, G(z_0) − ΔU⁻,
  G(z_l) (second row).
- ``tsne.png`` (Figs 4–5): openTSNE of z^μ of (a stratified subset of) the test images, vanilla
  VAE beside triplet VAE, with the silhouette of z^μ and the linear-SVM accuracy in the titles.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from matplotlib.patches import Rectangle

from lb.data import stratified_split
from lb.figures.save import new_figure, save_png
from lb.figures.tsne import embed
from lb.metrics import silhouette_score
from lb.tvae import study
from lb.tvae import traversal as trav
from lb.tvae.training import decode

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
        a, b = axes[2 * i], axes[2 * i + 1]
        _image(a[0], row["input"])
        _image(a[1], parts["positive"], cmap="Reds")
        _image(a[2], parts["negative"], cmap="Blues")
        _image(a[3], parts["delta"], cmap="bwr", vmin=-1.0, vmax=1.0)
        _image(b[0], row["start"])
        _image(b[1], np.clip(parts["recon_plus"], 0, 1))
        _image(b[2], np.clip(parts["recon_minus"], 0, 1))
        _image(b[3], row["moment_image"])
        for ax, t in zip(a, top, strict=True):
            ax.set_title(t, fontsize=7)
        for ax, t in zip(b, bottom, strict=True):
            ax.set_title(t, fontsize=7)
        a[0].set_ylabel(row["label"], fontsize=7)
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


def make_figures(
    vae_cfg: dict,
    cnn_dir: str | Path,
    triplet_dir: str | Path,
    vanilla_dir: str | Path,
    analysis_dir: str | Path,
    out_dir: str | Path,
    data: study.DataOptions,
) -> dict:
    """Draw the four figures into ``out_dir`` and write ``figures.json`` (file names, the traversal
    outcome of every shown path, the t-SNE subset and its silhouettes). Returns that dict."""
    out_dir = Path(out_dir)
    analysis_dir = Path(analysis_dir)
    summary = json.loads((analysis_dir / "summary.json").read_text())
    seed = int(summary["seed"])
    d = study.load_study_data(vae_cfg, data)
    spec = d.spec
    test01 = study.to_unit(d.test_x)
    disagreements = pd.read_csv(analysis_dir / "disagreements.csv")
    k = vae_cfg["top_k"]
    steps = vae_cfg["traversal_steps"]
    examples = [int(i) for i in summary["examples"]]
    info: dict = {"seed": seed, "files": {}, "examples": [], "tsne": {}}

    if examples:
        sel = disagreements.set_index("index").loc[examples]
        targets = sel[[f"top{r + 1}" for r in range(k)]].to_numpy()
        vae = study.load_vae(triplet_dir)
        cnn = study.load_cnn(vae_cfg, cnn_dir)
        clf = study.load_svm(analysis_dir / "svm_triplet.pkl")
        lat = study.load_latents(triplet_dir)
        preds = np.load(analysis_dir / "predictions.npz")
        _, outcomes = study.traverse_all(
            vae, cnn, clf, spec, lat["test_mu"], np.array(examples), targets,
            lat["train_mu"], lat["train_y"], preds["train_eligible"], steps, keep_paths=True,
        )  # fmt: skip
        delta_rows = []
        for method in trav.METHODS:
            out = outcomes[method]
            m, s, dim = out.z.shape
            images = decode(vae, out.z.reshape(m * s, dim)).numpy().reshape(m, s, *spec_shape(spec))
            panels = []
            for i in range(m):
                idx, rank, tgt = examples[i // k], i % k + 1, int(out.targets[i])
                panels.append(
                    {
                        "input": test01[idx].numpy(),
                        "images": images[i],
                        "svm": out.svm_pred[i],
                        "cnn": out.cnn_pred[i],
                        "moment": int(out.moment[i]),
                        "label": (
                            f"#{idx} y={int(preds['label'][idx])} C={int(preds['cnn_pred'][idx])} "
                            f"S={int(preds['svm_pred'][idx])}\n→ {tgt} (top {rank})"
                        ),
                    }
                )
                info["examples"].append(
                    {
                        "index": idx,
                        "label": int(preds["label"][idx]),
                        "cnn": int(preds["cnn_pred"][idx]),
                        "svm": int(preds["svm_pred"][idx]),
                        "case": int(preds["case"][idx]),
                        "method": method,
                        "rank": rank,
                        "target": tgt,
                        "probability": float(sel.loc[idx, f"top{rank}_prob"]),
                        "reached": bool(out.moment[i] >= 0),
                        "moment": int(out.moment[i]),
                        "steps": steps,
                    }
                )
                if method == "nearest" and out.moment[i] >= 0 and rank == _first_reached(out, i, k):
                    delta_rows.append(
                        {
                            "input": test01[idx].numpy(),
                            "start": images[i][0],
                            "moment_image": images[i][out.moment[i]],
                            "label": f"#{idx}: → {tgt}, l={int(out.moment[i])}/{steps}",
                        }
                    )
            rule = (
                "nearest correctly classified training point"
                if method == "nearest"
                else ("the target's SVM hyperplane normal")
            )
            name = f"traversal_{method}"
            traversal_figure(
                panels, steps, f"Traversal toward the top-{k} answers along {rule}; "
                "S/C = SVM/CNN prediction, red = first point where both predict the target",
                out_dir / f"{name}.png",
            )  # fmt: skip
            info["files"][name] = f"{name}.png"
        if delta_rows:
            delta_u_figure(delta_rows, out_dir / "delta_u.png")
            info["files"]["delta_u"] = "delta_u.png"

    # t-SNE pair
    y_test = d.test_y.numpy()
    n_points = vae_cfg["tsne_points"]
    if n_points is None or n_points >= len(y_test):
        subset = np.arange(len(y_test))
    else:
        _, keep = stratified_split(y_test, n_points / len(y_test), seed)
        subset = np.asarray(keep)
    panels = []
    for kind in ("vanilla", "triplet"):
        z = study.load_latents(triplet_dir if kind == "triplet" else vanilla_dir)["test_mu"]
        e = embed(z[subset], seed)
        sep = summary["separation"][kind]
        sil_2d = float(silhouette_score(torch.as_tensor(e), torch.as_tensor(y_test[subset])))
        info["tsne"][kind] = {"silhouette_tsne": sil_2d, "points": int(len(subset))}
        panels.append(
            {
                "title": f"{kind} VAE: silhouette(z^μ) {sep['silhouette']:.3f}, "
                f"linear-SVM accuracy {100 * sep['svm_accuracy']:.1f} %",
                "embedding": e,
                "labels": y_test[subset],
            }
        )
    tsne_figure(panels, seed, out_dir / "tsne.png")
    info["files"]["tsne"] = "tsne.png"
    from lb import io

    io.write_json(out_dir / "figures.json", info)
    return info


def spec_shape(spec) -> tuple[int, int, int]:
    return (spec.channels, spec.image_size, spec.image_size)


def _first_reached(out: trav.TraversalOutcome, i: int, k: int) -> int:
    """Rank (1-based) of the most probable target reached for the example of path ``i``."""
    start = (i // k) * k
    reached = np.flatnonzero(out.moment[start : start + k] >= 0)
    return int(reached[0]) + 1 if reached.size else 0
