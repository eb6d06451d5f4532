"""Small synthetic runs (history.csv, test_outputs.npz, metrics.json) for the figure tests."""

import json

import numpy as np
import pandas as pd

METHODS = ("baseline", "magnet", "latent_boost_no_pca", "latent_boost", "latent_boost_detached_var")


def write_runs(
    root, dataset="digits", best=0.5, seeds=(0, 1), n_epochs=8, total=10
) -> pd.DataFrame:
    """One run per (method, seed) at the Table 4 λ; returns the runs table."""
    rng = np.random.default_rng(0)
    rows = []
    for method in METHODS:
        lam = 0.0 if method == "baseline" else best
        for seed in seeds:
            run_dir = f"runs/{dataset}/{method}/lambda{lam:g}/seed{seed}"
            out = root / run_dir
            out.mkdir(parents=True, exist_ok=True)
            e = np.arange(n_epochs)
            lb = method.startswith("latent_boost")
            beta = np.where(lb, np.maximum(1 - e / (0.2 * total), 1e-8), np.nan)
            grad = np.full(n_epochs, np.nan if method == "baseline" else 1e-2)
            if method in ("latent_boost", "latent_boost_no_pca"):
                grad = np.where(beta <= 1e-6, 1e-9, grad)
            # Latent Boost w/o PCA logs its whole latent size as its "PCA dimension"
            pca_dim = {"latent_boost": 20 - e, "latent_boost_detached_var": 20 - e,
                       "latent_boost_no_pca": np.full(n_epochs, 4.0)}.get(method)  # fmt: skip
            pd.DataFrame({
                "epoch": e + 1, "ce": 1.0, "dist": 0.5, "total": 1.0 / (e + 1),
                "val_accuracy": 50 + 5 * e, "lr": 1e-3,
                "pca_dim": np.full(n_epochs, np.nan) if pca_dim is None else pca_dim,
                "alpha": np.nan, "beta": beta, "dist_grad_norm": grad, "seconds": 1.0,
            }).to_csv(out / "history.csv", index=False)  # fmt: skip
            label = np.repeat(np.arange(3), 10)
            latent = rng.normal(size=(30, 4)) + 5 * np.eye(4)[label]
            np.savez(out / "test_outputs.npz", latent=latent.astype(np.float32), label=label,
                     logits=np.zeros((30, 3), np.float32))  # fmt: skip
            accuracy = 90.0 + seed + (method != "baseline")
            (out / "metrics.json").write_text(json.dumps({"accuracy": accuracy}))
            rows.append({"dataset": dataset, "method": method, "lam": lam, "seed": seed,
                         "run_dir": run_dir, "accuracy": accuracy})  # fmt: skip
    return pd.DataFrame(rows)
