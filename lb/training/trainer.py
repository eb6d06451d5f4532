"""One training run of the paper, resumable, deterministic on the CPU: :func:`train_run`.

Procedure (Section 3.3 and 6.3 of the Latent Boost paper):

- Data: the dataset is loaded once into tensors. With ``train_limit`` / ``test_limit`` a
  stratified subset is kept (:func:`lb.data.stratified_subset`, a fixed seed, so all runs of a grid
  see the same images). ``val_fraction`` of the training images is held out (stratified, seeded
  with the run's seed) for the scheduler and early stopping; the test set is used only for the
  final evaluation of the best-validation weights. A last training batch of a single image is
  skipped (BatchNorm and the distance losses need two). Batches come from ``lb.data.BatchLoader``
  driven by an explicit ``torch.Generator`` seeded from the run's seed (shuffling and the CIFAR
  augmentation of ``lb.data.AUGMENTED_DATASETS``), so results do not depend on the order in which
  other code draws from the global RNG.
- Optimisation: Adam (``lr``), ReduceLROnPlateau on the validation accuracy (mode max, factor
  ``lr_factor`` = 0.2, patience ``lr_patience`` = 10), early stopping after
  ``early_stopping_patience`` = 20 epochs without a strictly better validation accuracy, at most
  ``max_epochs`` epochs.
- Loss: Eq 5, ``λ·L_dist + (1−λ)·CE`` on the latent, via ``lb.losses.WeightedLoss``. The first
  ``warmup_epochs`` epochs train with plain cross-entropy only (Section 6.3: "several normal
  epochs with only the probabilistic cross-entropy loss"); the distance term is not computed
  then and the total equals CE (not (1−λ)·CE).
- Epoch count of the α/β schedule (Eq 10): before every epoch the distance loss gets
  ``set_epoch(E, max_epochs)`` with E the **0-based epoch index counting the warm-up epochs**
  (history epoch ``e`` → ``E = e − 1``). The loss decides E_total: its ``e_total`` setting
  (``losses.latent_boost.e_total``) when given, else ``max_epochs`` (see
  ``lb.losses.latent_boost.schedule_length``). So with a warm-up of W epochs the first epoch that
  uses the distance term has ``E = W``; the schedule is tied to a fixed length, not to the number
  of epochs early stopping lets the run go on.
- Precision (``cfg.precision``): ``fp32``, or ``bf16``: the network's forward (training and
  evaluation) runs under ``torch.autocast(device.type, dtype=torch.bfloat16)``
  (``lb.device.autocast``); weights, gradients and Adam's state stay float32, and the logits and
  latent are cast to float32 before the loss, so the cross-entropy, the distance losses, the PCA
  and the variances are computed in float32, and the saved test latents/logits are float32. A
  device without bf16 support (``lb.device.bf16_unsupported``: a CPU without bf16 instructions, a
  pre-Ampere GPU) is a :class:`ConfigError` before any data is loaded, never a silent emulation.
  Same config and seed give the same numbers on the CPU in either precision.
- Memory layout: convolution weights and image batches are channels-last (NHWC,
  ``lb.device.to_channels_last``), the faster layout for oneDNN and cuDNN convolutions.
- History (see :mod:`lb.training.history`): one row per epoch; the distance-term gradient norm
  is ‖∂dist/∂latent‖ from ONE ``torch.autograd.grad(dist, latent,
  retain_graph=True)`` per measured batch (every ``dist_grad_every``-th batch, 1st batch
  included); it does not touch the parameters' gradients, so the sampling rate changes no other
  number. Default ``dist_grad_every = 10``: the epoch's value is the mean over every 10th batch,
  at ~1 % of the epoch's time (measured in docs/performance.md).
- Checkpoint (see :mod:`lb.training.checkpoint`): after every epoch, atomically, at
  ``checkpoint_path`` (outside ``out_dir``). A call with the same settings (``RunConfig.identity``)
  resumes from it; on the CPU the resumed run's outputs equal those of an uninterrupted run bit
  for bit, except the wall-clock values (history ``seconds``, metrics ``wall_seconds``). A
  checkpoint made with other settings is stale: the run logs one line naming the changed keys,
  deletes it and starts afresh. Once the outputs are written the checkpoint is deleted, so a
  finished run leaves nothing that could block or leak into a later run; calling again retrains
  (deterministically: the same files). A call interrupted after the last epoch but before the
  outputs were written finds a checkpoint marked finished and only re-evaluates its best weights.
  It holds the current and the best weights and Adam's moments (about 4x the weights: ~380 MB
  for ResNet-50).
- One writer per run: the call holds ``<checkpoint>.lock`` (:mod:`lb.training.lock`); a second
  process training the same run into the same results folder is refused with one line.
- Ctrl-C (``KeyboardInterrupt``) becomes :class:`lb.errors.Interrupted`, one line naming the
  epoch; the checkpoint of the last finished epoch stays, so calling again resumes.
- ``metrics.json``: test accuracy (percent), micro-/macro-F1 of the best-validation weights,
  ``epochs`` trained, ``best_epoch`` (1-based), ``best_val_accuracy`` (percent), ``wall_seconds``
  (sum of the epochs' seconds over all invocations + the final test evaluation), ``device`` and
  the run identity (seed, method, lam, dataset, model).
- Outputs (docs/contracts.md) are written only at the end, each atomically, ``metrics.json``
  last. Outputs already in ``out_dir`` are removed when a run starts, and any written ones are
  removed again when it fails, so a failed run leaves no output. A NaN/inf in any loss term raises
  :class:`lb.errors.NonFiniteLossError` naming epoch, batch and term (test hook:
  :mod:`lb.training.faults`).
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from lb import io
from lb.data import (
    AUGMENTED_DATASETS,
    DATASETS,
    BatchLoader,
    load_dataset,
    stratified_split,
    stratified_subset,
)
from lb.device import (
    autocast,
    bf16_unsupported,
    channels_last_batch,
    pick_device,
    seed_everything,
    to_channels_last,
)
from lb.errors import ConfigError, Interrupted, NonFiniteLossError, OutputError
from lb.losses import WeightedLoss, build_distance_loss
from lb.metrics import accuracy, macro_f1, micro_f1
from lb.models import build_model
from lb.run_outputs import RUN_OUTPUTS
from lb.training import checkpoint as ckpt
from lb.training import history as hist
from lb.training.config import RunConfig
from lb.training.early_stopping import EarlyStopping
from lb.training.faults import ENV_VAR, Injection, injection_from_env
from lb.training.lock import lock_path, run_lock

# Distinct streams derived from the run's seed (SeedSequence spawn keys).
_TRAIN_STREAM = 1


def train_run(
    cfg: RunConfig | Mapping[str, Any],
    out_dir: str | Path,
    checkpoint_path: str | Path,
    log: Callable[[str], Any] = print,
    on_epoch_end: Callable[[int], Any] | None = None,
) -> dict[str, Any]:
    """Train one run, write its outputs into ``out_dir`` and return the metrics dict.

    ``on_epoch_end(epoch)`` (optional) is called after each epoch's checkpoint is written (tests
    use it to simulate an interruption by raising). ``cfg`` may also be a mapping of the
    :class:`RunConfig` fields.
    """
    if isinstance(cfg, Mapping):
        cfg = RunConfig.from_dict(dict(cfg))
    out_dir = Path(out_dir)
    checkpoint_path = Path(checkpoint_path)
    if _is_within(checkpoint_path, out_dir):
        raise ConfigError(
            f"checkpoint path {checkpoint_path} lies inside out_dir {out_dir}; put it elsewhere "
            f"(outputs of a failed job are deleted, the checkpoint must survive)"
        )
    for directory, what in ((out_dir, "output"), (checkpoint_path.parent, "checkpoint")):
        _make_directory(directory, what)
    with run_lock(lock_path(checkpoint_path), cfg.label()):
        _remove_outputs(out_dir)
        for tmp in checkpoint_path.parent.glob(f".{checkpoint_path.name}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()  # a checkpoint write interrupted by kill -9
        run = _Run(cfg, out_dir, checkpoint_path, log, on_epoch_end)
        try:
            return run.run()
        except KeyboardInterrupt:
            _remove_outputs(out_dir)
            raise Interrupted(run.interrupted_message()) from None
        except BaseException:
            _remove_outputs(out_dir)
            raise


class _Run:
    """The state of one run; :meth:`run` does the work."""

    def __init__(self, cfg, out_dir, checkpoint_path, log, on_epoch_end) -> None:
        self.cfg = cfg
        self.out_dir = out_dir
        self.checkpoint_path = checkpoint_path
        self.log = log
        self.on_epoch_end = on_epoch_end

    # ------------------------------------------------------------------ setup
    def setup(self) -> None:
        cfg = self.cfg
        self.injection: Injection | None = injection_from_env()
        if cfg.num_threads is not None:
            torch.set_num_threads(cfg.num_threads)
        self.device = _device(cfg.device)
        _check_precision(cfg.precision, self.device)
        seed_everything(cfg.seed)

        # Settings that can be checked without data first (fail before loading anything).
        spec = DATASETS[cfg.dataset]
        self.model = to_channels_last(build_model(cfg.model, spec), self.device)
        try:
            self.distance_loss = build_distance_loss(cfg.method, dict(cfg.loss_params))
        except ValueError as err:
            raise ConfigError(f"loss_params: {err}") from None
        if self.distance_loss is not None:
            self.distance_loss.to(self.device)
        self.loss = WeightedLoss(self.distance_loss, cfg.lam)
        self.warmup_loss = WeightedLoss(None, 0.0)  # CE only
        self.uses_distance = self.loss.uses_distance

        data = load_dataset(
            cfg.dataset, root=cfg.data_root, download=cfg.download, cache_dir=cfg.cache_dir
        )
        train_x, train_y = stratified_subset(data.train_x, data.train_y, cfg.train_limit)
        test_x, test_y = stratified_subset(data.test_x, data.test_y, cfg.test_limit)
        fit_idx, val_idx = stratified_split(train_y, cfg.val_fraction, cfg.seed)
        fit_idx, val_idx = torch.as_tensor(fit_idx), torch.as_tensor(val_idx)

        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=cfg.lr)
        self.scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
            self.optimizer, mode="max", factor=cfg.lr_factor, patience=cfg.lr_patience
        )
        self.stopper = EarlyStopping(cfg.early_stopping_patience)

        self.train_generator = torch.Generator().manual_seed(_derived_seed(cfg.seed, _TRAIN_STREAM))
        self.generators = {"train": self.train_generator}
        self.train_loader = BatchLoader(
            train_x[fit_idx],
            train_y[fit_idx],
            spec,
            batch_size=cfg.batch_size,
            shuffle=True,
            augment=cfg.dataset in AUGMENTED_DATASETS,
            generator=self.train_generator,
            device=self.device,
        )
        self.val_loader = _eval_loader(train_x[val_idx], train_y[val_idx], spec, cfg, self.device)
        self.test_loader = _eval_loader(test_x, test_y, spec, cfg, self.device)
        self.sizes = (len(fit_idx), len(val_idx), len(test_y))

        self.history: list[dict[str, Any]] = []
        self.best_state: dict[str, torch.Tensor] | None = None
        self.epochs_done = 0
        self.finished = False

    def interrupted_message(self) -> str:
        """One line for an interruption: where it happened and what a rerun will do."""
        where = f"[{self.cfg.label()}] interrupted"
        if not getattr(self, "started", False):  # setup (data) or reading the checkpoint
            return f"{where} while starting; rerun starts it again (resuming if it can)"
        if self.finished:
            return f"{where} while writing outputs; rerun re-evaluates the finished run"
        done = self.epochs_done
        if done == 0:
            return f"{where} at epoch 1 (before any checkpoint); rerun starts afresh"
        return (
            f"{where} at epoch {done + 1}; rerun resumes from epoch {done} ({self.checkpoint_path})"
        )

    def resume(self) -> None:
        try:
            state = ckpt.load_checkpoint(self.checkpoint_path, self.cfg)
        except ckpt.StaleCheckpoint as stale:
            ckpt.remove_checkpoint(self.checkpoint_path)
            self.log(
                f"[{self.cfg.label()}] settings changed since checkpoint {self.checkpoint_path} "
                f"({'; '.join(stale.differences)}); deleted it, starting afresh"
            )
            return
        if state is None:
            return
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.stopper.load_state_dict(state["early_stopping"])
        if self.distance_loss is not None:
            self.distance_loss.load_state_dict(state["distance_loss"])
        self.best_state = state["best_model"]
        self.history = [dict(row) for row in state["history"]]
        self.epochs_done = int(state["epoch"])
        self.finished = bool(state["finished"])
        ckpt.restore_rng(state["rng"], self.generators)
        what = "finished run, re-evaluating" if self.finished else "resuming"
        where = f"{self.checkpoint_path} (epoch {self.epochs_done})"
        self.log(f"[{self.cfg.label()}] {what} from {where}")

    def save_checkpoint(self) -> None:
        distance_state = self.distance_loss.state_dict() if self.distance_loss is not None else {}
        ckpt.save_checkpoint(
            {
                "config": self.cfg.to_dict(),
                "epoch": self.epochs_done,
                "finished": self.finished,
                "model": self.model.state_dict(),
                "best_model": self.best_state,
                "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(),
                "early_stopping": self.stopper.state_dict(),
                "distance_loss": distance_state,
                "history": self.history,
                "rng": ckpt.capture_rng(self.generators),
            },
            self.checkpoint_path,
        )

    # -------------------------------------------------------------- training
    def run(self) -> dict[str, Any]:
        self.setup()
        self.resume()
        self.started = True
        cfg = self.cfg
        if self.epochs_done == 0:
            n_fit, n_val, n_test = self.sizes
            self.log(
                f"[{cfg.label()}] {cfg.model} on {self.device} ({cfg.precision}): {n_fit} train / "
                f"{n_val} val / {n_test} test images, up to {cfg.max_epochs} epochs "
                f"({cfg.warmup_epochs} warm-up)"
            )
        while not self.finished:
            epoch = self.epochs_done + 1
            start = time.perf_counter()
            lr = float(self.optimizer.param_groups[0]["lr"])
            row = self.train_epoch(epoch)
            val_accuracy = 100.0 * self.evaluate_accuracy(self.val_loader)
            if self.stopper.update(epoch, val_accuracy):
                self.best_state = {
                    k: v.detach().to("cpu", copy=True) for k, v in self.model.state_dict().items()
                }
            self.scheduler.step(val_accuracy)
            row.update(
                epoch=epoch, val_accuracy=val_accuracy, lr=lr, seconds=time.perf_counter() - start
            )
            self.history.append(hist.make_row(**row))
            self.epochs_done = epoch
            self.finished = self.stopper.should_stop or epoch >= cfg.max_epochs
            self.save_checkpoint()
            self.log(self.epoch_line(self.history[-1]))
            if self.on_epoch_end is not None:
                self.on_epoch_end(epoch)
        return self.finish()

    def train_epoch(self, epoch: int) -> dict[str, Any]:
        """One pass over the training batches; returns the epoch's loss and loss-state means."""
        cfg = self.cfg
        model, optimizer = self.model, self.optimizer
        model.train()
        distance_on = self.uses_distance and epoch > cfg.warmup_epochs
        if self.distance_loss is not None and hasattr(self.distance_loss, "set_epoch"):
            self.distance_loss.set_epoch(epoch - 1, cfg.max_epochs)
        loss_fn = self.loss if distance_on else self.warmup_loss
        ce_values, dist_values, total_values, dims, grad_norms = [], [], [], [], []
        n_batches = len(self.train_loader)
        for batch, (x, y) in enumerate(self.train_loader, start=1):
            if len(y) < 2:  # a last batch of one image: no distance term, breaks BatchNorm
                continue
            logits, latent = self.forward(x)
            terms = loss_fn(logits, latent, y)
            ce, dist, total = terms.ce, terms.dist, terms.total
            if self.injection is not None:
                ce, dist, total = _inject(self.injection, epoch, batch, ce, dist, total)
            _check_finite(cfg, epoch, batch, n_batches, ce, dist, total, self.injection)
            if dist is not None and (batch - 1) % cfg.dist_grad_every == 0:
                (grad,) = torch.autograd.grad(dist, latent, retain_graph=True)
                grad_norms.append(float(torch.linalg.vector_norm(grad)))
            optimizer.zero_grad(set_to_none=True)
            total.backward()
            optimizer.step()
            ce_values.append(ce.item())
            total_values.append(total.item())
            if dist is not None:
                dist_values.append(dist.item())
                if hasattr(self.distance_loss, "last_dim"):
                    dims.append(float(self.distance_loss.last_dim))
        alpha, beta = (None, None)
        if distance_on:
            alpha = _real_attr(self.distance_loss, "alpha")
            beta = _real_attr(self.distance_loss, "beta")
        return {
            "ce": hist.mean_or_none(ce_values),
            "dist": hist.mean_or_none(dist_values),
            "total": hist.mean_or_none(total_values),
            "pca_dim": hist.mean_or_none(dims),
            "alpha": alpha,
            "beta": beta,
            "dist_grad_norm": hist.mean_or_none(grad_norms),
        }

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The network's ``(logits, latent)`` in float32, its forward in ``cfg.precision``."""
        with autocast(self.device, self.cfg.precision):
            logits, latent = self.model(channels_last_batch(x))
        return logits.float(), latent.float()

    @torch.no_grad()
    def predict(self, loader) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Logits, latents and labels (float32) of every batch of ``loader`` (eval mode), on the
        CPU."""
        self.model.eval()
        logits, latents, labels = [], [], []
        for x, y in loader:
            out, latent = self.forward(x)
            logits.append(out.cpu())
            latents.append(latent.cpu())
            labels.append(y.cpu())
        return torch.cat(logits), torch.cat(latents), torch.cat(labels).long()

    def evaluate_accuracy(self, loader) -> float:
        logits, _, labels = self.predict(loader)
        return float(accuracy(labels.numpy(), logits.argmax(dim=1).numpy()))

    # ---------------------------------------------------------------- output
    def finish(self) -> dict[str, Any]:
        cfg = self.cfg
        if self.best_state is None:  # cannot happen after >= 1 epoch; guards a corrupt state
            raise ConfigError(f"checkpoint {self.checkpoint_path} holds no best weights; delete it")
        start = time.perf_counter()
        self.model.load_state_dict(self.best_state)
        logits, latent, labels = self.predict(self.test_loader)
        y_true, y_pred = labels.numpy(), logits.argmax(dim=1).numpy()
        eval_seconds = time.perf_counter() - start
        metrics = {
            "accuracy": 100.0 * float(accuracy(y_true, y_pred)),
            "micro_f1": float(micro_f1(y_true, y_pred)),
            "macro_f1": float(macro_f1(y_true, y_pred)),
            "epochs": self.epochs_done,
            "best_epoch": self.stopper.best_epoch,
            "best_val_accuracy": self.stopper.best_score,
            "wall_seconds": math.fsum(r["seconds"] for r in self.history) + eval_seconds,
            "device": str(self.device),
            "precision": cfg.precision,
            "seed": cfg.seed,
            "method": cfg.method,
            "lam": cfg.lam,
            "dataset": cfg.dataset,
            "model": cfg.model,
        }
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with io.atomic_path(self.out_dir / "test_outputs.npz") as tmp, open(tmp, "wb") as fh:
            # a file object: np.savez would append ".npz" to the temporary name
            np.savez(
                fh,
                latent=latent.numpy().astype(np.float32),
                label=labels.numpy().astype(np.int64),
                logits=logits.numpy().astype(np.float32),
            )
        io.save_torch(self.best_state, self.out_dir / "model.pt")
        hist.write_history(self.history, self.out_dir / "history.csv")
        io.write_json(self.out_dir / "metrics.json", metrics)
        # The outputs are the record now; resume state would only block a later change.
        ckpt.remove_checkpoint(self.checkpoint_path)
        self.log(
            f"[{cfg.label()}] done: test accuracy {metrics['accuracy']:.2f}%, "
            f"macro-F1 {metrics['macro_f1']:.4f}, best epoch {metrics['best_epoch']} of "
            f"{metrics['epochs']}, {metrics['wall_seconds']:.1f}s -> {self.out_dir}"
        )
        return dict(metrics)

    def epoch_line(self, row: dict[str, Any]) -> str:
        parts = [f"[{self.cfg.label()}] epoch {row['epoch']}/{self.cfg.max_epochs}"]
        parts.append(f"ce {row['ce']:.4f}")
        if row["dist"] is not None:
            parts.append(f"dist {row['dist']:.4g}")
        parts.append(f"total {row['total']:.4f}")
        parts.append(f"val {row['val_accuracy']:.2f}%")
        parts.append(f"lr {row['lr']:.2g}")
        if row["pca_dim"] is not None:
            parts.append(f"pca {row['pca_dim']:.1f}")
        if row["alpha"] is not None:
            parts.append(f"alpha {row['alpha']:.3g}")
        if row["beta"] is not None:
            parts.append(f"beta {row['beta']:.3g}")
        if row["dist_grad_norm"] is not None:
            parts.append(f"|grad dist| {row['dist_grad_norm']:.2e}")
        parts.append(f"{row['seconds']:.1f}s")
        if self.stopper.best_epoch == row["epoch"]:
            parts.append("*")
        return " ".join(parts)


# ---------------------------------------------------------------------- helpers
def _device(requested: str) -> torch.device:
    """``lb.device.pick_device`` with one-line errors for unusable device names."""
    try:
        device = pick_device(requested)
    except RuntimeError:
        raise ConfigError(
            f"device {requested!r} is not a torch device; use auto, cpu, cuda or cuda:N"
        ) from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError(f"device {requested!r} requested but CUDA is not available; use auto")
    return device


def _check_precision(precision: str, device: torch.device) -> None:
    """A one-line :class:`ConfigError` when ``precision`` cannot run (fast) on ``device``."""
    if precision != "bf16":
        return
    reason = bf16_unsupported(device)
    if reason is not None:
        raise ConfigError(f"precision bf16 cannot run on {device}: {reason}; use precision fp32")


def _derived_seed(seed: int, stream: int) -> int:
    """A 63-bit seed for one named random stream of the run (independent of other streams)."""
    return int(np.random.SeedSequence([seed, stream]).generate_state(1, dtype=np.uint64)[0] >> 1)


def _eval_loader(x, y, spec, cfg: RunConfig, device) -> BatchLoader:
    return BatchLoader(
        x,
        y,
        spec,
        batch_size=cfg.batch_size,
        shuffle=False,
        augment=False,
        generator=None,
        device=device,
    )


def _inject(injection: Injection, epoch: int, batch: int, ce, dist, total):
    """Test hook (:mod:`lb.training.faults`): replace one term by NaN/inf."""
    if injection.applies(epoch, batch, "ce"):
        ce = ce + injection.value
    if dist is not None and injection.applies(epoch, batch, "dist"):
        dist = dist + injection.value
    if injection.applies(epoch, batch, "total"):
        total = total + injection.value
    return ce, dist, total


def _check_finite(cfg, epoch, batch, n_batches, ce, dist, total, injection) -> None:
    """Raise :class:`NonFiniteLossError` naming epoch, batch and the first non-finite term."""
    named = [("ce", ce), ("dist", dist), ("total", total)]
    named = [(name, t) for name, t in named if t is not None]
    values = torch.stack([t.detach().float().reshape(()) for _, t in named])
    if bool(torch.isfinite(values).all()):
        return
    for (name, _), value in zip(named, values.tolist(), strict=True):
        if not math.isfinite(value):
            injected = f" (injected by {ENV_VAR})" if injection is not None else ""
            raise NonFiniteLossError(
                f"[{cfg.label()}] loss term '{name}' is {value} at epoch {epoch}, batch "
                f"{batch}/{n_batches}{injected}; no outputs written - lower lr or check the "
                f"loss settings"
            )


def _real_attr(module: nn.Module | None, name: str) -> float | None:
    value = getattr(module, name, None)
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _remove_outputs(out_dir: Path) -> None:
    """Remove this run's outputs and any temporary file a killed writer left behind
    (``lb.io.atomic_path`` names them ``.<name>.<random>.tmp``)."""
    for name in RUN_OUTPUTS:
        with contextlib.suppress(FileNotFoundError):
            (out_dir / name).unlink()
        if out_dir.is_dir():
            for tmp in out_dir.glob(f".{name}.*.tmp"):
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()


def _make_directory(directory: Path, what: str) -> None:
    """Create ``directory`` (the run's outputs or its checkpoint) or fail with one line."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            f"cannot create {what} directory {directory}: {io.describe_os_error(err)}"
        ) from None


def _is_within(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
    except ValueError:
        return False
    return True
