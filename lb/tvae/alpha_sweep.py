"""Choose the triplet weight α on a validation split of the training set:
``python -m lb.tvae.alpha_sweep``.

The test set is kept for the verdicts of the report: the sweep reads only the training images.

1. A stratified validation split of ``val_size`` training images (seed ``seed``) is held out;
   of the remaining images a stratified subset of ``train_size`` is kept
   (:func:`lb.data.stratified_subset`).
2. For each α of the grid a VAE is trained on that subset (:func:`lb.tvae.training.train_vae`,
   every other setting as in the ``vae:`` block's defaults unless given); α = 0 is the vanilla VAE.
3. Each is scored on the validation split: accuracy of the study's linear SVM
   (:func:`lb.tvae.svm.fit_svm`, fitted on the training latents z^μ), silhouette of z^μ, and the
   reconstruction −log p(x | G(z^μ)) per image (nats).
4. :func:`choose_alpha`: the α of highest validation SVM accuracy among those whose validation
   reconstruction is at most :data:`RECON_TOLERANCE` (1 %) worse than the vanilla VAE's
   (separate the classes without costing reconstruction); ties go to the smaller α.

The result of the committed run, with its budget, is in docs/tvae_alpha.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import torch

from lb import io
from lb.data import load_dataset, stratified_split, stratified_subset
from lb.metrics import silhouette_score
from lb.tvae import svm
from lb.tvae.config import VAEConfig, VAETraining, schema_defaults
from lb.tvae.data import to_unit
from lb.tvae.loss import reconstruction_nll
from lb.tvae.model import VAE
from lb.tvae.training import encode_mu, train_vae

RECON_TOLERANCE = 0.01
COLUMNS = [
    "alpha",
    "val_svm_accuracy",
    "val_silhouette",
    "val_recon",
    "train_svm_accuracy",
    "final_train_loss",
    "train_seconds",
    "chosen",
]


@dataclasses.dataclass(frozen=True)
class SweepSettings:
    """What the sweep trains and on how many images (the model settings: :class:`VAEConfig`)."""

    alphas: tuple[float, ...] = (0.0, 1.0, 10.0, 20.0, 50.0, 100.0, 200.0)
    epochs: int = 5
    train_size: int = 20_000
    val_size: int = 10_000
    seed: int = 0
    vae: VAEConfig = dataclasses.field(default_factory=VAEConfig.defaults)


def split_training_set(x: torch.Tensor, y: torch.Tensor, s: SweepSettings):
    """``(train_x, train_y, val_x, val_y)``: the validation split and the training subset."""
    rest, val = stratified_split(y, s.val_size / len(y), s.seed)
    train_x, train_y = stratified_subset(x[rest], y[rest], s.train_size, s.seed)
    return train_x, train_y, x[val], y[val]


@torch.no_grad()
def reconstruction(model: VAE, x01: torch.Tensor, batch_size: int = 2048) -> float:
    """Mean −log p(x | G(z^μ)) over the images ``x01`` (float in [0, 1])."""
    model.eval()
    total = 0.0
    for i in range(0, x01.shape[0], batch_size):
        x = x01[i : i + batch_size]
        mu, _ = model.encode(x)
        total += float(reconstruction_nll(model.decode_logits(mu), x).double().sum())
    return total / x01.shape[0]


def score_alpha(alpha: float, data, s: SweepSettings, log: Callable[[str], None]) -> dict:
    """Train the VAE with triplet weight ``alpha`` and score it on the validation split."""
    train_x, train_y, val_x, val_y = data
    training = VAETraining.of(s.vae, alpha=float(alpha), epochs=s.epochs)
    t0 = time.perf_counter()
    model, history = train_vae(train_x, train_y, training, s.seed, "cpu", log=log)
    seconds = time.perf_counter() - t0
    z_train, z_val = encode_mu(model, train_x), encode_mu(model, val_x)
    clf = svm.fit_svm(z_train, train_y.numpy(), seed=s.seed, c=s.vae.svm_c)
    row = {
        "alpha": float(alpha),
        "val_svm_accuracy": 100.0 * float(np.mean(svm.predict(clf, z_val) == val_y.numpy())),
        "val_silhouette": float(silhouette_score(torch.as_tensor(z_val), val_y)),
        "val_recon": reconstruction(model, val_x),
        "train_svm_accuracy": 100.0 * float(np.mean(svm.predict(clf, z_train) == train_y.numpy())),
        "final_train_loss": float(history["loss"].iloc[-1]),
        "train_seconds": seconds,
    }
    log(
        f"alpha={alpha:g}: validation SVM accuracy {row['val_svm_accuracy']:.2f} %, "
        f"silhouette {row['val_silhouette']:.3f}, reconstruction {row['val_recon']:.1f}"
    )
    return row


def choose_alpha(table: pd.DataFrame) -> float:
    """The rule of step 4 of the module docstring; ``table`` needs α = 0 (the vanilla VAE)."""
    vanilla = table.loc[table["alpha"] == 0.0, "val_recon"]
    if vanilla.empty:
        raise ValueError("choose_alpha: the grid must contain alpha = 0 (the vanilla VAE)")
    keep = table[table["val_recon"] <= (1.0 + RECON_TOLERANCE) * float(vanilla.iloc[0])]
    best = keep.sort_values(["val_svm_accuracy", "alpha"], ascending=[False, True], kind="stable")
    return float(best["alpha"].iloc[0])


def run_sweep(
    x: torch.Tensor, y: torch.Tensor, s: SweepSettings, log: Callable[[str], None] = print
) -> pd.DataFrame:
    """The table of :data:`COLUMNS`, one row per α, for training images ``x`` (uint8) and
    labels ``y``; ``chosen`` marks :func:`choose_alpha`'s α."""
    train_x, train_y, val_x, val_y = split_training_set(x, y, s)
    data = (to_unit(train_x), train_y, to_unit(val_x), val_y)
    log(f"training subset {len(train_y)} images, validation split {len(val_y)} images")
    table = pd.DataFrame([score_alpha(a, data, s, log) for a in s.alphas])
    table["chosen"] = table["alpha"] == choose_alpha(table)
    return table[COLUMNS]


def markdown(table: pd.DataFrame) -> str:
    """The table as Markdown (the chosen α in bold)."""
    lines = [
        "| α | val. SVM accuracy (%) | val. silhouette(z^μ) | val. reconstruction (nats) |"
        " train seconds |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in table.itertuples():
        alpha = f"**{r.alpha:g}**" if r.chosen else f"{r.alpha:g}"
        lines.append(
            f"| {alpha} | {r.val_svm_accuracy:.2f} | {r.val_silhouette:.3f} | "
            f"{r.val_recon:.1f} | {r.train_seconds:.0f} |"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, SweepSettings]:
    d = SweepSettings()
    p = argparse.ArgumentParser(
        prog="python -m lb.tvae.alpha_sweep", description=__doc__.split("\n")[0]
    )
    p.add_argument("--dataset", default=d.vae.dataset, choices=("mnist", "digits"))
    p.add_argument("--alphas", default=",".join(f"{a:g}" for a in d.alphas))
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--train-size", type=int, default=d.train_size)
    p.add_argument("--val-size", type=int, default=d.val_size)
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--data-root", default=None, help="default: $LB_DATA_ROOT or ./data")
    p.add_argument("--out", default=None, help="write the table as CSV here")
    args = p.parse_args(argv)
    settings = SweepSettings(
        alphas=tuple(float(a) for a in args.alphas.split(",")),
        epochs=args.epochs,
        train_size=args.train_size,
        val_size=args.val_size,
        seed=args.seed,
        vae=VAEConfig.from_block({**schema_defaults(), "dataset": args.dataset}),
    )
    return args, settings


def main(argv: Sequence[str] | None = None) -> int:
    args, settings = parse_args(argv)
    torch.set_num_threads(args.threads)
    ds = load_dataset(settings.vae.dataset, root=args.data_root)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    table = run_sweep(ds.train_x, ds.train_y, settings, log=log)
    if args.out:
        io.write_csv(table, args.out)
    print(markdown(table))
    print(f"\nchosen alpha: {table.loc[table['chosen'], 'alpha'].iloc[0]:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
