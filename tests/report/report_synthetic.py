"""Synthetic workflow outputs for the report tests: runs.csv, summary.csv (in the contract's
format, docs/contracts.md), per-run history.csv and test_outputs.npz, rendered end to end.

The numbers are random but seeded; the "paper" values are synthetic too (no test depends on the
published CSVs). The aggregation here is a small independent re-implementation of the contract
(mean ± std over seeds, n; best trial = highest accuracy), written for the tests only.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

PAPER_DATASETS = ("fashion_mnist", "cifar10", "cifar100")
TABLE2_LOSSES = ("contrastive", "triplet", "npair", "magnet")
TABLE2_LAMS = (0.25, 0.5, 0.75)
TABLE3_LAMS = (0.1, 0.25, 0.5, 0.75, 0.9)
PAPER_BEST = {"fashion_mnist": 0.75, "cifar10": 0.75, "cifar100": 0.5}


def run_dir(dataset, method, lam, seed) -> str:
    return f"runs/{dataset}/{method}/lambda{lam:g}/seed{seed}"


def expected_runs(dataset="digits", seeds=(0, 1, 2), best=0.5, lams=(0.25, 0.5)):
    """The runs a demo-like config asks for on one dataset (as lb.workflow.runs lists them)."""
    cells = [("baseline", 0.0), *((m, best) for m in TABLE2_LOSSES)]
    cells += [("latent_boost", lam) for lam in lams]
    cells += [(m, best) for m in ("latent_boost_no_pca", "latent_boost_detached_var")]
    return [
        dict(dataset=dataset, method=method, lam=lam, seed=seed,
             run_dir=run_dir(dataset, method, lam, seed))
        for seed in seeds
        for method, lam in cells
    ]  # fmt: skip


def make_runs(expected, rng, name_suffix="") -> pd.DataFrame:
    rows = []
    bonus = {"baseline": 0.0, "latent_boost": 1.5, "latent_boost_no_pca": 1.0, "magnet": 0.8,
             "latent_boost_detached_var": 1.2}  # fmt: skip
    for r in expected:
        acc = 90 + bonus.get(r["method"], 0.3) + rng.normal(0, 0.4)
        sil = 0.3 + 0.05 * ("latent" in r["method"]) + rng.normal(0, 0.01)
        epochs = int(30 - 3 * (r["method"] != "baseline") + rng.integers(0, 4))
        rows.append({
            "dataset": r["dataset"], "model": "digits_cnn" + name_suffix, "method": r["method"],
            "lam": r["lam"], "seed": r["seed"], "accuracy": acc, "micro_f1": acc / 100,
            "macro_f1": acc / 100 - 0.004, "epochs": epochs, "best_epoch": 20, "silhouette": sil,
            "wall_seconds": 12.5, "device": "cpu",
            "run_dir": run_dir(r["dataset"], r["method"], r["lam"], r["seed"]),
        })  # fmt: skip
    return pd.DataFrame(rows)


def synthetic_paper(rng) -> pd.DataFrame:
    rows = []
    for d in PAPER_DATASETS:
        base = {"fashion_mnist": 88.6, "cifar10": 85.9, "cifar100": 61.8}[d]

        def add(table, method, lam, acc, epochs=None, sil=None, d=d):
            rows.append((table, d, method, lam, "accuracy", acc, 0.2))
            rows.append((table, d, method, lam, "micro_f1", acc / 100 + 0.003, 0.002))
            if epochs is not None:
                rows.append((table, d, method, lam, "epochs", epochs, 4.0))

        add("table2", "baseline", 0.0, base)
        for m in TABLE2_LOSSES:
            for lam in TABLE2_LAMS:
                add("table2", m, lam, base + rng.normal(0.5, 0.5))
        for lam in (0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9):
            add("table3", "latent_boost", lam, base + rng.normal(1, 0.5))
        for m, gain in (("baseline", 0), ("magnet", 1), ("latent_boost_no_pca", 1.5),
                        ("latent_boost", 2)):  # fmt: skip
            add("table4", m, "best", base + gain, epochs=40 - 2 * gain)
        for m, s in (("baseline", 0.3), ("magnet", 0.33), ("latent_boost", 0.36)):
            rows.append(("table5", d, m, "best", "silhouette", s, np.nan))
    return pd.DataFrame(
        rows, columns=["table", "dataset", "method", "lam", "metric", "mean", "std"]
    )


def _agg(values: pd.Series):
    v = values.dropna()
    if not len(v):
        return np.nan, np.nan, 0
    return float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else np.nan, len(v)


def aggregate(
    runs: pd.DataFrame, paper: pd.DataFrame, best_lams: dict, expected=None
) -> pd.DataFrame:
    """summary.csv of the contract: every paper cell plus every cell our runs fill. With
    ``expected`` (the config's runs) it adds ``n_expected`` and lists expected cells without
    results (n = 0), as the workflow's aggregation does."""
    rows = {}
    if expected is not None:
        exp = pd.DataFrame(expected)
        counts = exp.groupby(["dataset", "method", "lam"]).size()
        # an expected cell with no runs at all: present with n = 0 (filled below when runs exist)
        empty = runs.iloc[:0]
        for (d, m, lam), _ in counts.items():
            have = runs[(runs["dataset"] == d) & (runs["method"] == m) & (runs["lam"] == lam)]
            if have.empty:
                runs = pd.concat([runs, _placeholder(empty, d, m, lam)], ignore_index=True)

    def put(table, dataset, method, lam, metric, mean, std, n):
        key = (table, dataset, method, f"{lam:g}" if not isinstance(lam, str) else lam, metric)
        rows[key] = {"mean": mean, "std": std, "n": n}

    metrics = ("accuracy", "micro_f1", "macro_f1")
    for (d, m, lam), g in runs.groupby(["dataset", "method", "lam"]):
        table = "table3" if m == "latent_boost" else "table2" if m in (
            "baseline", *TABLE2_LOSSES) else None  # fmt: skip
        if table:
            for metric in metrics:
                put(table, d, m, lam, metric, *_agg(g[metric]))
        is_best = m == "baseline" or abs(lam - best_lams.get(d, -1)) < 1e-9
        if not is_best:
            continue
        block = "ablation" if m == "latent_boost_detached_var" else "table4"
        if m in ("baseline", "magnet", "latent_boost_no_pca", "latent_boost",
                 "latent_boost_detached_var"):  # fmt: skip
            for metric in (*metrics, "epochs"):
                put(block, d, m, "best", metric, *_agg(g[metric]))
        done = g.dropna(subset=["accuracy"])
        best_sil = np.nan
        if len(done):
            best = done.sort_values(["accuracy", "seed"], ascending=[False, True]).iloc[0]
            best_sil = float(best["silhouette"])
        if m in ("baseline", "magnet", "latent_boost"):
            put("table5", d, m, "best", "silhouette", best_sil, np.nan, len(done))
        if m == "latent_boost_detached_var":
            put("ablation", d, m, "best", "silhouette", best_sil, np.nan, len(done))
    for p in paper.itertuples(index=False):
        lam = p.lam if isinstance(p.lam, str) else f"{p.lam:g}"
        key = (p.table, p.dataset, p.method, lam, p.metric)
        rows.setdefault(key, {"mean": np.nan, "std": np.nan, "n": 0})
        rows[key]["paper_mean"], rows[key]["paper_std"] = p.mean, p.std
    out = []
    for (table, d, m, lam, metric), v in rows.items():
        pm = v.get("paper_mean", np.nan)
        row = {"table": table, "dataset": d, "method": m, "lam": lam, "metric": metric,
               "mean": v["mean"], "std": v["std"], "n": v["n"], "paper_mean": pm,
               "paper_std": v.get("paper_std", np.nan), "diff": v["mean"] - pm}  # fmt: skip
        if expected is not None:
            row["n_expected"] = 0
            if d in best_lams:
                best = "0" if m == "baseline" else f"{best_lams[d]:g}"
                run_lam = best if lam == "best" else lam
                row["n_expected"] = int(counts.get((d, m, float(run_lam)), 0))
        out.append(row)
    return pd.DataFrame(out)


def _placeholder(empty: pd.DataFrame, dataset, method, lam) -> pd.DataFrame:
    """A runs row with no values: makes the aggregation list the cell with n = 0."""
    row = {c: np.nan for c in empty.columns}
    row.update({"dataset": dataset, "method": method, "lam": lam, "seed": -1})
    return pd.DataFrame([row])


def write_run_files(results: Path, runs: pd.DataFrame, rng, epochs_total=20) -> None:
    """history.csv and test_outputs.npz for every run (clustered latents, β schedule of Eq 10)."""
    for r in runs.itertuples(index=False):
        out = results / r.run_dir
        out.mkdir(parents=True, exist_ok=True)
        n_epochs = int(r.epochs)
        epoch = np.arange(1, n_epochs + 1)
        e = epoch - 1
        lb = r.method.startswith("latent_boost")
        warm = e < 2
        beta = np.where(lb, np.maximum(1 - e / (0.2 * epochs_total), 1e-8), np.nan)
        grad = np.where(r.method == "baseline", np.nan, 1e-2 * np.ones(n_epochs))
        if r.method in ("latent_boost", "latent_boost_no_pca"):
            grad = np.where(beta <= 1e-6, 1e-9, grad)
        grad = np.where(warm, np.nan, grad)
        pca = np.where(
            (r.method in ("latent_boost", "latent_boost_detached_var")) & ~warm,
            np.round(12 - 4 * e / n_epochs + rng.normal(0, 0.2, n_epochs), 2),
            np.nan,
        )
        hist = pd.DataFrame({
            "epoch": epoch, "ce": 1 / epoch, "dist": np.where(grad == grad, 0.5, np.nan),
            "total": 1 / epoch + 0.1, "val_accuracy": 80 + 10 * (1 - np.exp(-epoch / 5)),
            "lr": 1e-3, "pca_dim": pca, "alpha": np.where(lb, 1 + np.exp(-e / 21), np.nan),
            "beta": beta, "dist_grad_norm": grad, "seconds": 0.5,
        })  # fmt: skip
        hist.to_csv(out / "history.csv", index=False)
        label = np.repeat(np.arange(4), 15)
        latent = rng.normal(0, 1, (60, 8)).astype(np.float32) + 4 * np.eye(8)[label].astype(
            np.float32
        )
        np.savez(out / "test_outputs.npz", latent=latent, label=label.astype(np.int64),
                 logits=rng.normal(size=(60, 4)).astype(np.float32))  # fmt: skip
        (out / "metrics.json").write_text(json.dumps({"accuracy": r.accuracy}))


def make_results(
    tmp: Path, seed: int = 0, drop: int = 0, run_suffix: str = "", n_expected: bool = True
) -> dict:
    """Write a demo-like results tree under ``tmp``; ``drop`` removes that many runs (partial).

    Returns the paths and the expected runs / best λ the report rule would pass.
    """
    rng = np.random.default_rng(seed)
    best_lams = {"digits": 0.5}
    expected = expected_runs()
    runs = make_runs(expected, rng, run_suffix)
    if drop:
        # drop all seeds of the latent_boost λ=0.25 cell and one magnet seed
        gone = (runs["method"] == "latent_boost") & (runs["lam"] == 0.25)
        gone |= (runs["method"] == "magnet") & (runs["seed"] == 0)
        runs = runs[~gone].reset_index(drop=True)
    paper = synthetic_paper(rng)
    summary = aggregate(runs, paper, best_lams, expected if n_expected else None)
    tables = tmp / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    runs.to_csv(tables / "runs.csv", index=False)
    summary.to_csv(tables / "summary.csv", index=False)
    write_run_files(tmp, runs, rng)
    return {"results": tmp, "summary": tables / "summary.csv", "runs": tables / "runs.csv",
            "expected": expected, "best_lams": best_lams}  # fmt: skip


def render_synthetic(tmp: Path, partial: bool = False, vae=None, run_suffix: str = "",
                     template_dir=None) -> Path:  # fmt: skip
    """Results → figures → context → report.html, with the library functions the rules call."""
    from lb.figures import grad_norm, lambda_sweep, learning_curves, pca_dims
    from lb.figures.figure3 import compute_panels, panels_table, plot_figure3
    from lb.figures.histories import load_histories
    from lb.figures.select import best_trials
    from lb.report import provenance
    from lb.report.context import build_context
    from lb.report.render import DEFAULT_TEMPLATE_DIR, render_report
    from lb.tables import read_runs, read_summary, table4_runs

    info = make_results(tmp, drop=3 if partial else 0, run_suffix=run_suffix)
    summary, runs = read_summary(info["summary"]), read_runs(info["runs"])
    figs = tmp / "figures"
    t4 = table4_runs(runs, info["best_lams"])
    hist = load_histories(t4, tmp)
    panels = compute_panels(best_trials(t4), tmp, seed=0)
    plot_figure3(panels, figs / "figure3.png")
    pca = pca_dims.pca_dim_table(hist)
    pca_dims.plot_pca_dims(pca, figs / "pca_dims.png")
    learning_curves.plot_learning_curves(
        learning_curves.learning_curve_table(hist), figs / "learning_curves.png"
    )
    lambda_sweep.plot_lambda_sweep(lambda_sweep.sweep_table(summary), figs / "lambda_sweep.png")
    grad_norm.plot_grad_norm(hist, figs / "grad_norm.png")
    context = build_context(
        summary, runs,
        {name: figs / f"{name}.png" for name in
         ("figure3", "pca_dims", "learning_curves", "lambda_sweep", "grad_norm")},
        provenance.collect({"demo": True}, run_devices=runs["device"]),
        expected_runs=info["expected"], best_lams=info["best_lams"], pca=pca,
        grad=grad_norm.grad_norm_table(hist), figure3_trials=panels_table(panels), vae=vae,
        partial=partial, config_name="synthetic",
    )  # fmt: skip
    out = tmp / "report" / "report.html"
    render_report(context, out, template_dir or DEFAULT_TEMPLATE_DIR)
    return out
