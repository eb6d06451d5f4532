"""Benchmark: a training step with a distance loss vs a cross-entropy-only step.

Target: a Latent Boost training step of the Fashion-MNIST CNN at batch 128 takes at most 1.05×
the time of a cross-entropy-only step.

Two measurements, on the same Fashion-MNIST images (``lb.data.load_dataset``):

1. **step**: the bare step of ``lb.training`` — ``model(x)``, ``lb.losses.WeightedLoss`` (Eq 5,
   λ = 0.5, the loss's epoch set to E = 5 of 150 as after config.yaml's warm-up), backward,
   Adam step, ``.item()`` of the loss — for Latent Boost, Latent Boost w/o PCA and Magnet against
   ``WeightedLoss(None, 0)`` (what the baseline and the warm-up epochs compute). Each variant has
   its own model (same initial weights) and optimizer and steps through the same pre-made
   batches; a block of steps of each variant is timed in turn (the order rotates every round)
   and the reported ratio is the median over rounds of (variant block time / CE-only block time).
2. **trainer epoch**: ``lb.training.trainer``'s own epoch loop (``_Run.train_epoch``: batching,
   Eq 5, the finiteness check, the distance-gradient norm, the per-batch logging) on a
   stratified subset of Fashion-MNIST, for method ``latent_boost`` with the distance-gradient norm
   at the default rate (``dist_grad_every``, every 10th batch), on every batch and on the first
   batch only, against method ``baseline``; epochs interleaved the same way. The target row is
   the default; the others give the cost of that logging.

Threads: torch's default (``torch.get_num_threads()``) unless ``python -m bench --threads``.
"""

from __future__ import annotations

import copy
import statistics
import tempfile

import torch

from bench import RATIO_TIME, data_root, interleaved, median_ratio, row
from lb.data import BatchLoader, load_dataset
from lb.device import seed_everything
from lb.losses import WeightedLoss, build_distance_loss
from lb.models import build_model

TARGET = 1.05
BATCH_SIZE = 128
LAM = 0.5
EPOCH, TOTAL_EPOCHS = 5, 150  # E and E_total of Eq 10 during the first distance epoch
STEP_VARIANTS = ("latent_boost", "latent_boost_no_pca", "magnet")


def _batches(dataset: str, n_batches: int) -> tuple[list, object]:
    """``n_batches`` normalised batches of the first training images and the dataset spec."""
    data = load_dataset(dataset, root=data_root())
    n = n_batches * BATCH_SIZE
    generator = torch.Generator().manual_seed(0)
    loader = BatchLoader(
        data.train_x[:n], data.train_y[:n], data.spec, BATCH_SIZE, shuffle=True, generator=generator
    )
    return list(loader), data.spec


class _Stepper:
    """One model + optimizer + Eq 5 loss; ``block()`` runs one step per pre-made batch."""

    def __init__(self, model, method: str, batches) -> None:
        self.model = model
        distance = build_distance_loss(method)
        if distance is not None and hasattr(distance, "set_epoch"):
            distance.set_epoch(EPOCH, TOTAL_EPOCHS)
        self.loss = WeightedLoss(distance, LAM if distance is not None else 0.0)
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.batches = batches

    def block(self) -> None:
        self.model.train()
        for x, y in self.batches:
            logits, latent = self.model(x)
            terms = self.loss(logits, latent, y)
            self.optimizer.zero_grad(set_to_none=True)
            terms.total.backward()
            self.optimizer.step()
            terms.total.item()


def _step_rows(
    tiny: bool,
    dataset: str = "fashion_mnist",
    model_name: str = "fashion_cnn",
    variants: tuple[str, ...] = STEP_VARIANTS,
    size: tuple[int, int] = (8, 11),
) -> list[dict]:
    steps, rounds = (1, 1) if tiny else size
    batches, spec = _batches(dataset, steps)
    seed_everything(0)  # as lb.training does (also: deterministic algorithms, warn only)
    model = build_model(model_name, spec)
    steppers = {
        method: _Stepper(copy.deepcopy(model), method, batches)
        for method in ("baseline", *variants)
    }
    for stepper in steppers.values():  # warm-up (allocator, first-call overheads), not timed
        stepper.block()
    times = interleaved({m: s.block for m, s in steppers.items()}, rounds)
    base = times["baseline"]
    rows = []
    for method in variants:
        ratio = median_ratio(times[method], base)
        is_target = method == "latent_boost" and model_name == "fashion_cnn"
        rows.append(
            row(
                "training_step",
                f"{model_name} step ({dataset}, latent {model.latent_dim}-d), batch {BATCH_SIZE}, "
                f"{method} (λ={LAM:g}); median of {rounds} interleaved rounds of {steps} steps",
                f"{method}: forward + Eq 5 + backward + Adam",
                "cross-entropy only (WeightedLoss(None, 0))",
                statistics.median(times[method]) / steps,
                statistics.median(base) / steps,
                ratio,
                f"<= {TARGET:g}x" if is_target else "— (informational)",
                (ratio <= TARGET) if is_target else None,
                ratio_kind=RATIO_TIME,
            )
        )
    return rows


def _trainer_rows(tiny: bool) -> list[dict]:
    from lb.training import RunConfig
    from lb.training.trainer import _Run

    train_limit, rounds = (300, 1) if tiny else (2900, 7)
    variants = {
        "baseline": dict(method="baseline", lam=0.0),
        "lb_default": dict(method="latent_boost", lam=LAM),
        "lb_grad_every_batch": dict(method="latent_boost", lam=LAM, dist_grad_every=1),
        "lb_grad_first_batch": dict(method="latent_boost", lam=LAM, dist_grad_every=10**9),
    }
    runs = {}
    with tempfile.TemporaryDirectory(prefix="lb-bench-") as tmp:
        for name, settings in variants.items():
            cfg = RunConfig(
                dataset="fashion_mnist",
                model="fashion_cnn",
                seed=0,
                batch_size=BATCH_SIZE,
                max_epochs=TOTAL_EPOCHS,
                warmup_epochs=0,
                train_limit=train_limit,
                data_root=str(data_root()),
                **settings,
            )
            run = _Run(cfg, f"{tmp}/{name}", f"{tmp}/{name}.pt", lambda _line: None, None)
            run.setup()
            runs[name] = run
        n_batches = len(runs["baseline"].train_loader)
        epoch = EPOCH + 1  # history epoch 6 -> set_epoch(5, 150)
        for run in runs.values() if not tiny else ():  # warm-up, not timed
            run.train_epoch(epoch)
        times = interleaved(
            {name: (lambda run=run: run.train_epoch(epoch)) for name, run in runs.items()}, rounds
        )
    base, default = times["baseline"], times["lb_default"]
    every, first = times["lb_grad_every_batch"], times["lb_grad_first_batch"]
    ratio = median_ratio(default, base)
    what = f"{n_batches} batches of {BATCH_SIZE}; median of {rounds} interleaved epochs"
    every_k = RunConfig.__dataclass_fields__["dist_grad_every"].default
    return [
        row(
            "training_step",
            f"trainer epoch (lb.training), latent_boost λ={LAM:g} with the distance-gradient "
            f"norm on every {every_k}th batch (the default); {what}",
            f"lb.training epoch loop, latent_boost, dist_grad_every={every_k}",
            "lb.training epoch loop, baseline",
            statistics.median(default),
            statistics.median(base),
            ratio,
            f"<= {TARGET:g}x",
            ratio <= TARGET,
        ),
        row(
            "training_step",
            f"trainer epoch: cost of the distance-gradient norm on every batch; {what}",
            "latent_boost, dist_grad_every=1",
            "latent_boost, grad norm on the first batch only",
            statistics.median(every),
            statistics.median(first),
            median_ratio(every, first),
            "— (informational)",
            None,
            ratio_kind=RATIO_TIME,
        ),
    ]


def run(tiny: bool = False) -> list[dict]:
    """Measure the step (and, in the full run, VGG-16 on CIFAR-10) and the trainer epoch."""
    rows = _step_rows(tiny) + _trainer_rows(tiny)
    if not tiny:  # the paper's CIFAR model: the same loss next to a much larger step
        rows += _step_rows(False, "cifar10", "vgg16", ("latent_boost",), size=(2, 5))
    return rows


if __name__ == "__main__":
    from bench.__main__ import main

    main(["--only", "training_step"])
