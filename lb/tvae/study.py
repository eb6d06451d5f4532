"""The triplet-VAE study end to end, one function per workflow step (rules/vae.smk).

Steps (each writes its files atomically into its own directory):

1. :func:`train_cnn` — the CNN under test, with the lb trainer (cross-entropy only), on the same
   (possibly limited) data; outputs of :func:`lb.training.train_run` in ``cnn/``.
2. :func:`train_study_vae` — the triplet VAE (α from the config) or the vanilla VAE (α = 0),
   trained the same way (:mod:`lb.tvae.training`); writes ``model.pt``, ``latents.npz``
   (z^μ of the training and test images), ``history.csv``, ``metrics.json``.
3. :func:`analyse` — linear SVMs with Platt scaling on both latent spaces, silhouettes, the
   agreement table (Table 1), top-K answers and traversals for every disagreeing test image;
   writes ``predictions.npz``, ``agreement.csv``, ``disagreements.csv``, ``traversals.csv``,
   ``examples.npz`` (the figure examples' decoded paths), ``svm_triplet.pkl``,
   ``svm_vanilla.pkl``, ``summary.json``.
4. :func:`lb.tvae.figures.make_figures` and :func:`lb.tvae.context.build_context` — figures and
   the report's context; they read only files (no data set, no torchvision), so they run in the
   analysis environment.

Data: ``train_limit`` / ``test_limit`` keep the same stratified subsets as the lb trainer
(``stratified_split`` with ``lb.training.trainer.SUBSET_SEED``), so the CNN and the VAEs see the
same images; :func:`analyse` checks that the CNN's saved test labels match. The CNN holds out 10 %
of its training images for its scheduler and early stopping (the trainer's rule); the VAEs and the
SVM use all training images. Pixel intensities are x / 255 ∈ [0, 1] for the VAE; the CNN gets its
usual normalisation ((x − mean) / std of the dataset spec), also for decoded images.
"""

from __future__ import annotations

import dataclasses
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from lb import io
from lb.data import get_spec, load_dataset, stratified_split
from lb.errors import DataError
from lb.metrics import silhouette_score
from lb.tvae import agreement as agr
from lb.tvae import svm as svm_mod
from lb.tvae import traversal as trav
from lb.tvae.model import VAE
from lb.tvae.training import VAETrainConfig, decode, encode_mu, train_vae

KINDS = ("triplet", "vanilla")
Log = Callable[[str], Any]


@dataclasses.dataclass(frozen=True)
class DataOptions:
    """Where the images come from (passed through to :func:`lb.data.load_dataset`)."""

    root: str | None = None
    download: bool = False
    cache_dir: str | None = None


@dataclasses.dataclass
class StudyData:
    """The study's images (uint8 N×C×H×W) and labels (int64), after the limits."""

    spec: Any
    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor


def _limit(x: torch.Tensor, y: torch.Tensor, limit: int | None):
    """The lb trainer's stratified subset of about ``limit`` images (same seed, same images)."""
    from lb.training.trainer import SUBSET_SEED

    if limit is None or limit >= len(y):
        return x, y
    _, keep = stratified_split(y, limit / len(y), SUBSET_SEED)
    keep = torch.as_tensor(keep)
    return x[keep], y[keep]


def load_study_data(vae_cfg: dict, data: DataOptions) -> StudyData:
    ds = load_dataset(
        vae_cfg["dataset"], root=data.root, download=data.download, cache_dir=data.cache_dir
    )
    train_x, train_y = _limit(ds.train_x, ds.train_y, vae_cfg["train_limit"])
    test_x, test_y = _limit(ds.test_x, ds.test_y, vae_cfg["test_limit"])
    return StudyData(ds.spec, train_x, train_y, test_x, test_y)


def data_options(config: dict) -> DataOptions:
    """The workflow config's top-level ``data_root``, ``download``, ``cache_dir``."""
    return DataOptions(
        config.get("data_root"), bool(config.get("download")), config.get("cache_dir")
    )


def to_unit(x_uint8: torch.Tensor) -> torch.Tensor:
    """uint8 images → float32 in [0, 1] (the VAE's input and Bernoulli targets)."""
    return x_uint8.float().div(255.0)


# ---------------------------------------------------------------------------- step 1: the CNN
def cnn_run_config(
    vae_cfg: dict,
    seed: int,
    data: DataOptions,
    device: str = "auto",
    num_threads: int | None = None,
):
    from lb.training import RunConfig

    epochs = vae_cfg["cnn_epochs"]
    return RunConfig(
        dataset=vae_cfg["dataset"],
        model=vae_cfg["cnn_model"],
        method="baseline",
        lam=0.0,
        seed=seed,
        batch_size=vae_cfg["cnn_batch_size"],
        lr=vae_cfg["cnn_lr"],
        max_epochs=epochs,
        early_stopping_patience=max(20, epochs),
        data_root=data.root,
        download=data.download,
        cache_dir=data.cache_dir,
        device=device,
        train_limit=vae_cfg["train_limit"],
        test_limit=vae_cfg["test_limit"],
        num_threads=num_threads,
    )


def train_cnn(
    vae_cfg: dict,
    seed: int,
    out_dir: str | Path,
    checkpoint_path: str | Path,
    data: DataOptions,
    log: Log = print,
    device: str = "auto",
    num_threads: int | None = None,
) -> dict:
    """Train the CNN under test with the lb trainer (method ``baseline``, all epochs run)."""
    from lb.training import train_run

    cfg = cnn_run_config(vae_cfg, seed, data, device, num_threads)
    return train_run(cfg, out_dir, checkpoint_path, log=log)


def load_cnn(vae_cfg: dict, cnn_dir: str | Path) -> torch.nn.Module:
    from lb.models import build_model

    model = build_model(vae_cfg["cnn_model"], get_spec(vae_cfg["dataset"]))
    path = Path(cnn_dir) / "model.pt"
    if not path.exists():
        raise DataError(f"{path}: missing CNN weights; rerun the vae_cnn rule")
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model.eval()


@torch.no_grad()
def cnn_probabilities(
    model: torch.nn.Module, images01: torch.Tensor, spec, batch_size: int = 1024
) -> np.ndarray:
    """Softmax probabilities of the CNN for float images in [0, 1] (normalised as in training)."""
    mean = torch.tensor(spec.mean, dtype=torch.float32).view(1, -1, 1, 1)
    std = torch.tensor(spec.std, dtype=torch.float32).view(1, -1, 1, 1)
    out = []
    for i in range(0, images01.shape[0], batch_size):
        x = (images01[i : i + batch_size].float() - mean) / std
        logits, _ = model(x)
        out.append(torch.softmax(logits.double(), dim=1))
    return torch.cat(out).numpy()


# ---------------------------------------------------------------------------- step 2: the VAEs
def vae_train_config(vae_cfg: dict, kind: str, seed: int, device: str = "auto") -> VAETrainConfig:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    return VAETrainConfig(
        latent_dim=vae_cfg["latent_dim"],
        hidden=tuple(vae_cfg["hidden"]),
        beta=vae_cfg["beta"],
        alpha=vae_cfg["alpha"] if kind == "triplet" else 0.0,
        margin=vae_cfg["margin"],
        epochs=vae_cfg["epochs"],
        batch_size=vae_cfg["batch_size"],
        lr=vae_cfg["lr"],
        seed=seed,
        device=device,
    )


def train_study_vae(
    vae_cfg: dict,
    kind: str,
    seed: int,
    out_dir: str | Path,
    data: DataOptions,
    log: Log = print,
    device: str = "auto",
) -> dict:
    """Train the ``kind`` VAE and write ``model.pt``, ``latents.npz``, ``history.csv``,
    ``metrics.json`` into ``out_dir``. Returns the metrics."""
    out_dir = Path(out_dir)
    cfg = vae_train_config(vae_cfg, kind, seed, device)
    d = load_study_data(vae_cfg, data)
    t0 = time.perf_counter()
    model, history = train_vae(to_unit(d.train_x), d.train_y, cfg, log=log)
    train_seconds = time.perf_counter() - t0
    train_mu = encode_mu(model, to_unit(d.train_x))
    test_mu = encode_mu(model, to_unit(d.test_x))
    last = history.iloc[-1]
    metrics = {
        "kind": kind,
        "seed": seed,
        "alpha": cfg.alpha,
        "beta": cfg.beta,
        "margin": cfg.margin,
        "latent_dim": cfg.latent_dim,
        "epochs": cfg.epochs,
        "n_train": int(d.train_y.numel()),
        "n_test": int(d.test_y.numel()),
        "final_loss": float(last["loss"]),
        "final_recon": float(last["recon"]),
        "final_kl": float(last["kl"]),
        "final_triplet": None if kind == "vanilla" else float(last["triplet"]),
        "train_seconds": train_seconds,
    }
    state = {
        "state_dict": model.state_dict(),
        "image_shape": list(model.image_shape),
        "latent_dim": model.latent_dim,
        "hidden": list(model.hidden),
    }
    io.save_torch(state, out_dir / "model.pt")
    _save_npz(
        out_dir / "latents.npz",
        train_mu=train_mu,
        train_y=d.train_y.numpy(),
        test_mu=test_mu,
        test_y=d.test_y.numpy(),
    )
    io.write_csv(history, out_dir / "history.csv")
    io.write_json(out_dir / "metrics.json", metrics)
    return metrics


def load_vae(vae_dir: str | Path) -> VAE:
    path = Path(vae_dir) / "model.pt"
    if not path.exists():
        raise DataError(f"{path}: missing VAE weights; rerun the vae_train rule")
    state = torch.load(path, map_location="cpu", weights_only=True)
    model = VAE(tuple(state["image_shape"]), state["latent_dim"], tuple(state["hidden"]))
    model.load_state_dict(state["state_dict"])
    return model.eval()


def load_latents(vae_dir: str | Path) -> dict[str, np.ndarray]:
    with np.load(Path(vae_dir) / "latents.npz") as f:
        return {k: f[k] for k in f.files}


def _save_npz(path: Path, **arrays) -> None:
    with io.atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)


def _save_pickle(obj, path: Path) -> None:
    with io.atomic_path(path) as tmp, open(tmp, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_svm(path: str | Path):
    with open(path, "rb") as fh:
        return pickle.load(fh)  # noqa: S301 - our own file, written by analyse()


# ---------------------------------------------------------------------------- step 3: analysis
def choose_examples(indices: np.ndarray, cases: np.ndarray, n: int) -> list[int]:
    """Deterministic figure examples: the disagreeing test images (cases 3, 4, 5) taken round-robin
    over the cases in that order, lowest test index first within a case, until ``n`` are chosen."""
    queues = [sorted(int(i) for i in indices[cases == c]) for c in (3, 4, 5)]
    chosen: list[int] = []
    while len(chosen) < n and any(queues):
        for q in queues:
            if q and len(chosen) < n:
                chosen.append(q.pop(0))
    return chosen


def analyse(
    vae_cfg: dict,
    seed: int,
    cnn_dir: str | Path,
    triplet_dir: str | Path,
    vanilla_dir: str | Path,
    out_dir: str | Path,
    data: DataOptions,
    log: Log = print,
) -> dict:
    """SVMs, silhouettes, agreement, top-K and traversals; returns the summary (also written)."""
    out_dir = Path(out_dir)
    t_start = time.perf_counter()
    d = load_study_data(vae_cfg, data)
    spec = d.spec
    k_classes = spec.num_classes
    y_train = d.train_y.numpy()
    y_test = d.test_y.numpy()

    with np.load(Path(cnn_dir) / "test_outputs.npz") as f:
        cnn_labels = f["label"]
    if cnn_labels.shape != y_test.shape or not np.array_equal(cnn_labels, y_test):
        raise DataError(
            f"{cnn_dir}/test_outputs.npz: its test labels differ from the study's test set; "
            "rerun the vae_cnn rule with the same vae.dataset/test_limit"
        )
    cnn = load_cnn(vae_cfg, cnn_dir)
    p_cnn_test = cnn_probabilities(cnn, to_unit(d.test_x), spec)
    y_cnn_test = p_cnn_test.argmax(axis=1)
    y_cnn_train = cnn_probabilities(cnn, to_unit(d.train_x), spec).argmax(axis=1)

    # SVMs and separation on both latent spaces
    lat = {
        kind: load_latents(dir_)
        for kind, dir_ in (("triplet", triplet_dir), ("vanilla", vanilla_dir))
    }
    separation = {}
    svms = {}
    for kind in KINDS:
        if not np.array_equal(lat[kind]["test_y"], y_test) or not np.array_equal(
            lat[kind]["train_y"], y_train
        ):
            raise DataError(
                f"{kind} latents.npz: labels differ from the study's data; rerun vae_train"
            )
        t0 = time.perf_counter()
        clf = svm_mod.fit_svm(lat[kind]["train_mu"], y_train, seed=seed, c=vae_cfg["svm_c"])
        if not np.array_equal(clf.classes_, np.arange(k_classes)):
            raise DataError(f"{kind}: the training subset lacks classes; raise vae.train_limit")
        svms[kind] = clf
        _save_pickle(clf, out_dir / f"svm_{kind}.pkl")
        y_svm = svm_mod.predict(clf, lat[kind]["test_mu"])
        separation[kind] = {
            "svm_accuracy": float(np.mean(y_svm == y_test)),
            "svm_train_accuracy": float(
                np.mean(svm_mod.predict(clf, lat[kind]["train_mu"]) == y_train)
            ),
            "silhouette": float(
                silhouette_score(torch.as_tensor(lat[kind]["test_mu"]), torch.as_tensor(y_test))
            ),
            "svm_seconds": time.perf_counter() - t0,
        }
        log(
            f"vae {kind}: linear-SVM test accuracy {separation[kind]['svm_accuracy']:.4f}, "
            f"silhouette(z_mu, test) {separation[kind]['silhouette']:.4f}"
        )

    # Table 1 on the triplet VAE
    clf = svms["triplet"]
    z_train = lat["triplet"]["train_mu"]
    z_test = lat["triplet"]["test_mu"]
    p_svm_test = svm_mod.predict_proba(clf, z_test)
    y_svm_test = svm_mod.predict(clf, z_test)
    y_svm_train = svm_mod.predict(clf, z_train)
    cases = agr.agreement_cases(y_test, y_cnn_test, y_svm_test)
    table = agr.agreement_table(cases)
    io.write_csv(table, out_dir / "agreement.csv")

    # top-K answers for the disagreeing images (cases 3-5)
    k = vae_cfg["top_k"]
    p_avg = agr.averaged_probabilities(p_cnn_test, p_svm_test)
    top_cls, top_p = agr.top_k(p_avg, k)
    dis = np.flatnonzero(y_cnn_test != y_svm_test)
    rows = {
        "index": dis,
        "label": y_test[dis],
        "cnn": y_cnn_test[dis],
        "svm": y_svm_test[dis],
        "case": cases[dis],
        "label_rank": [
            int(np.flatnonzero(top_cls[i] == y_test[i])[0]) + 1 if y_test[i] in top_cls[i] else 0
            for i in dis
        ],
    }
    for r in range(k):
        rows[f"top{r + 1}"] = top_cls[dis, r]
        rows[f"top{r + 1}_prob"] = top_p[dis, r]
    disagreements = pd.DataFrame(rows)
    io.write_csv(disagreements, out_dir / "disagreements.csv")

    # traversals: every disagreeing image × its K targets × both end-point rules
    vae = load_vae(triplet_dir)
    steps = vae_cfg["traversal_steps"]
    eligible = (y_svm_train == y_train) & (y_cnn_train == y_train)
    t0 = time.perf_counter()
    traversals = traverse_all(
        vae,
        cnn,
        clf,
        spec,
        z_test,
        dis,
        top_cls[dis],
        z_train,
        y_train,
        eligible=eligible,
        steps=steps,
    )
    traversal_seconds = time.perf_counter() - t0
    io.write_csv(traversals, out_dir / "traversals.csv")

    # the figure examples: their paths again, with the decoded images (lb.tvae.figures plots them)
    examples = choose_examples(dis, cases[dis], vae_cfg["n_examples"])
    save_examples(
        out_dir / "examples.npz", vae, cnn, clf, spec, to_unit(d.test_x), z_test, examples,
        top_cls, top_p, y_test, y_cnn_test, y_svm_test, cases, z_train, y_train, eligible, steps,
    )  # fmt: skip
    n_tsne = vae_cfg["tsne_points"]
    if n_tsne is None or n_tsne >= len(y_test):
        tsne_subset = np.arange(len(y_test))
    else:
        tsne_subset = np.asarray(stratified_split(y_test, n_tsne / len(y_test), seed)[1])

    _save_npz(
        out_dir / "predictions.npz",
        label=y_test,
        cnn_pred=y_cnn_test,
        cnn_proba=p_cnn_test,
        svm_pred=y_svm_test,
        svm_proba=p_svm_test,
        case=cases,
        train_eligible=eligible,
        tsne_subset=tsne_subset,
    )
    fractions = {str(r.case): float(r.fraction) for r in table.itertuples()}  # JSON keys
    summary = {
        "seed": seed,
        "dataset": vae_cfg["dataset"],
        "n_train": int(len(y_train)),
        "n_test": int(len(y_test)),
        "cnn_accuracy": float(np.mean(y_cnn_test == y_test)),
        "agreement": fractions,
        "agreement_counts": {str(r.case): int(r.count) for r in table.itertuples()},
        "separation": separation,
        "n_disagreeing": int(len(dis)),
        "topk_label_hit": float(np.mean(disagreements["label_rank"] > 0)) if len(dis) else None,
        "traversal": traversal_summary(traversals),
        "examples": examples,
        "seconds": {"traversal": traversal_seconds, "total": time.perf_counter() - t_start},
    }
    io.write_json(out_dir / "summary.json", summary)
    return summary


def traverse_all(
    vae: VAE,
    cnn: torch.nn.Module,
    clf,
    spec,
    z_test: np.ndarray,
    indices: np.ndarray,
    targets: np.ndarray,
    z_train: np.ndarray,
    y_train: np.ndarray,
    eligible: np.ndarray,
    steps: int,
    keep_paths: bool = False,
):
    """Traverse from z^μ of test images ``indices`` toward each of their ``targets`` (M, K),
    with both end-point rules. Returns a tidy DataFrame (one row per path); with ``keep_paths``
    also the :class:`TraversalOutcome` per method."""
    indices = np.asarray(indices, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64).reshape(len(indices), -1)
    k = targets.shape[1]
    src = np.repeat(indices, k)
    rank = np.tile(np.arange(1, k + 1), len(indices))
    tgt = targets.reshape(-1)
    z0 = z_test[src]
    w, b = svm_mod.hyperplanes(clf)

    def cnn_on_latent(z: np.ndarray) -> np.ndarray:
        return cnn_probabilities(cnn, decode(vae, z), spec).argmax(axis=1)

    def svm_on_latent(z: np.ndarray) -> np.ndarray:
        return svm_mod.predict(clf, z)

    frames, outcomes = [], {}
    if len(src) == 0:
        empty = pd.DataFrame(columns=TRAVERSAL_COLUMNS)
        return (empty, outcomes) if keep_paths else empty
    for method in trav.METHODS:
        if method == "nearest":
            z_end, end_index = trav.nearest_endpoints(z0, tgt, z_train, y_train, eligible)
        else:
            z_end, _ = trav.normal_endpoints(z0, tgt, w, b, z_train, y_train)
            end_index = np.full(len(src), -1)
        out = trav.traverse(z0, z_end, tgt, steps, svm_on_latent, cnn_on_latent)
        outcomes[method] = out
        frames.append(
            pd.DataFrame(
                {
                    "index": src,
                    "rank": rank,
                    "target": tgt,
                    "method": method,
                    "reached": out.reached,
                    "moment": out.moment,
                    "steps": steps,
                    "path_length": np.linalg.norm(z_end - z0, axis=1),
                    "end_train_index": end_index,
                    "svm_start": out.svm_pred[:, 0],
                    "cnn_start": out.cnn_pred[:, 0],
                    "svm_end": out.svm_pred[:, -1],
                    "cnn_end": out.cnn_pred[:, -1],
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return (table, outcomes) if keep_paths else table


def save_examples(
    path: Path,
    vae: VAE,
    cnn: torch.nn.Module,
    clf,
    spec,
    test01: torch.Tensor,
    z_test: np.ndarray,
    examples: list[int],
    top_cls: np.ndarray,
    top_p: np.ndarray,
    y_test: np.ndarray,
    y_cnn: np.ndarray,
    y_svm: np.ndarray,
    cases: np.ndarray,
    z_train: np.ndarray,
    y_train: np.ndarray,
    eligible: np.ndarray,
    steps: int,
) -> None:
    """``examples.npz``: for the n figure examples and their K targets, per end-point rule
    ``{method}_images`` (n, K, ε+1, C, H, W) = G(z_j), ``{method}_svm`` / ``{method}_cnn``
    (n, K, ε+1) predictions and ``{method}_moment`` (n, K); plus ``index``, ``label``, ``cnn``,
    ``svm``, ``case``, ``targets``/``probs`` (n, K) and the input images ``inputs``."""
    idx = np.asarray(examples, dtype=np.int64)
    n, k = len(idx), top_cls.shape[1]
    shape = (spec.channels, spec.image_size, spec.image_size)
    arrays = {
        "index": idx,
        "label": y_test[idx],
        "cnn": y_cnn[idx],
        "svm": y_svm[idx],
        "case": cases[idx],
        "targets": top_cls[idx],
        "probs": top_p[idx],
        "inputs": test01[torch.as_tensor(idx)].numpy().reshape(n, *shape),
        "steps": np.int64(steps),
    }
    if n:
        _, outcomes = traverse_all(
            vae, cnn, clf, spec, z_test, idx, top_cls[idx], z_train, y_train, eligible, steps,
            keep_paths=True,
        )  # fmt: skip
    for method in trav.METHODS:
        if n:
            out = outcomes[method]
            images = decode(vae, out.z.reshape(n * k * (steps + 1), -1)).numpy()
            arrays[f"{method}_images"] = images.reshape(n, k, steps + 1, *shape)
            arrays[f"{method}_svm"] = out.svm_pred.reshape(n, k, steps + 1)
            arrays[f"{method}_cnn"] = out.cnn_pred.reshape(n, k, steps + 1)
            arrays[f"{method}_moment"] = out.moment.reshape(n, k)
        else:
            arrays[f"{method}_images"] = np.zeros((0, k, steps + 1, *shape), np.float32)
            arrays[f"{method}_svm"] = np.zeros((0, k, steps + 1), np.int64)
            arrays[f"{method}_cnn"] = np.zeros((0, k, steps + 1), np.int64)
            arrays[f"{method}_moment"] = np.zeros((0, k), np.int64)
    _save_npz(path, **arrays)


TRAVERSAL_COLUMNS = [
    "index",
    "rank",
    "target",
    "method",
    "reached",
    "moment",
    "steps",
    "path_length",
    "end_train_index",
    "svm_start",
    "cnn_start",
    "svm_end",
    "cnn_end",
]


def traversal_summary(table: pd.DataFrame) -> dict:
    """Per end-point rule: paths, fraction reached, mean moment l/ε of the reached ones."""
    out = {}
    for method in trav.METHODS:
        t = table[table["method"] == method]
        reached = t[t["reached"].astype(bool)]
        out[method] = {
            "paths": int(len(t)),
            "reached_fraction": float(len(reached) / len(t)) if len(t) else None,
            "mean_moment_fraction": float((reached["moment"] / reached["steps"]).mean())
            if len(reached)
            else None,
            "mean_path_length": float(t["path_length"].mean()) if len(t) else None,
        }
    return out
