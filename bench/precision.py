"""Benchmark: a bf16 training step against an fp32 one, and a step against the machine's rate.

**precision** rows: the training step of ``lb.training`` — the network's forward through the
trainer's own ``_Run.forward`` (``lb.device.autocast`` around the model, logits and latent cast
to float32), cross-entropy (``WeightedLoss(None, 0)``, the baseline's loss), backward, Adam step,
``.item()`` — on one torch thread, ``training.precision`` ``fp32`` against ``bf16``, for
``fashion_cnn`` (Fashion-MNIST images, batch 128) and VGG-16 (CIFAR-10 shapes: 3×32×32, 10
classes, random images; a step's speed does not depend on the pixel values; batch 128, or 8 on
a CPU without bf16 instructions, where one emulated bf16 VGG-16 step at batch 128 takes
minutes). Both precisions start from the same weights and step through the same batches;
blocks of steps of the two are timed in turn (the order rotates every round) and the ratio is
the median over rounds of fp32 block time / bf16 block time. Target ≥ 1.5× where the CPU has
bf16 instructions (``lb.device.bf16_unsupported`` is None); without them torch emulates bf16
(and the trainer refuses ``bf16``), so the row reports the ratio with "target not applicable".

**machine_fraction** rows: the same steps' floating-point operations, counted with
``torch.utils.flop_counter.FlopCounterMode`` over forward + loss + backward (convolutions and
matrix products; element-wise ops and Adam's update count as zero; the count is the fp32
model's, autocast changes no shape), divided by the step's median time, as a share of this
process's large-GEMM rate: ``torch.mm`` of two n×n matrices in the step's dtype at the same
thread count, best of several, 2·n³ operations, n = 2048 (bfloat16 on a CPU without bf16
instructions: n = 512, its emulated rate of ~0.2 GFLOP/s hardly depends on n). The row's ratio
is the time ratio step time / (step FLOPs / GEMM rate) = 1 / share. For the fp32
``fashion_cnn`` step the row also says where the time goes (:func:`step_breakdown`).
"""

from __future__ import annotations

import copy
import statistics
import time
from types import SimpleNamespace

import torch

from bench import RATIO_SPEEDUP, RATIO_TIME, interleaved, median_ratio, row
from bench.training_step import _batches
from lb.data import get_spec
from lb.device import bf16_unsupported, seed_everything
from lb.losses import WeightedLoss
from lb.models import build_model
from lb.training.trainer import _Run

TARGET = 1.5
BATCH_SIZE = 128
THREADS = 1
GEMM_N = 2048
PRECISIONS = ("fp32", "bf16")
CPU = torch.device("cpu")


class _Stepper:
    """One model + Adam + cross-entropy; its forward is the trainer's (``_Run.forward``)."""

    forward = _Run.forward  # lb.device.autocast(...) around the model, outputs cast to float32

    def __init__(self, model, precision: str, batches) -> None:
        self.model = model
        self.device = CPU
        self.cfg = SimpleNamespace(precision=precision)
        self.loss = WeightedLoss(None, 0.0)
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.batches = batches

    def step(self, x, y) -> None:
        logits, latent = self.forward(x)
        total = self.loss(logits, latent, y).total
        self.optimizer.zero_grad(set_to_none=True)
        total.backward()
        self.optimizer.step()
        total.item()

    def block(self) -> None:
        self.model.train()
        for x, y in self.batches:
            self.step(x, y)

    def flops(self) -> int:
        """Floating-point operations of one forward + backward (FlopCounterMode)."""
        from torch.utils.flop_counter import FlopCounterMode

        x, y = self.batches[0]
        counter = FlopCounterMode(display=False)
        with counter:
            logits, latent = self.forward(x)
            self.loss(logits, latent, y).total.backward()
        self.optimizer.zero_grad(set_to_none=True)
        return int(counter.get_total_flops())


def _random_batches(dataset: str, steps: int, batch: int) -> list:
    spec = get_spec(dataset)
    generator = torch.Generator().manual_seed(0)
    shape = (batch, spec.channels, spec.image_size, spec.image_size)
    return [
        (
            torch.randn(shape, generator=generator),
            torch.randint(0, spec.num_classes, (batch,), generator=generator),
        )
        for _ in range(steps)
    ]


def _steppers(model_name: str, dataset: str, steps: int, batch: int) -> dict[str, _Stepper]:
    if dataset == "fashion_mnist" and batch == BATCH_SIZE:
        batches, spec = _batches(dataset, steps)
    else:
        batches, spec = _random_batches(dataset, steps, batch), get_spec(dataset)
    seed_everything(0)
    model = build_model(model_name, spec)
    return {p: _Stepper(copy.deepcopy(model), p, batches) for p in PRECISIONS}


class _threads:
    """``torch.set_num_threads(n)`` inside the block, the previous count restored after."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __enter__(self):
        self.before = torch.get_num_threads()
        torch.set_num_threads(self.n)

    def __exit__(self, *exc):
        torch.set_num_threads(self.before)


def _bf16_note() -> tuple[str, bool]:
    reason = bf16_unsupported(CPU)
    return (reason or "bf16 instructions present"), reason is None


def gemm_rate(dtype: torch.dtype, n: int, repeats: int) -> float:
    """Operations per second of ``torch.mm`` on two n×n matrices of ``dtype`` (best of repeats)."""
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(n, n, generator=generator).to(dtype)
    b = torch.randn(n, n, generator=generator).to(dtype)
    torch.mm(a, b)  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best


OP_KINDS = (  # (kind, substrings of aten operator names), first match wins
    ("convolution", ("conv",)),
    ("matrix products", ("addmm", "aten::mm", "aten::bmm", "linear", "matmul")),
    ("pooling", ("pool",)),
    ("loss", ("cross_entropy", "nll_loss", "log_softmax")),
    ("batch norm", ("batch_norm",)),
    ("dtype casts and copies", ("aten::to", "_to_copy", "copy_", "clone", "contiguous")),
    ("element-wise", ("relu", "threshold", "dropout", "bernoulli", "add", "mul", "div", "sum")),
)


def step_breakdown(stepper: _Stepper, steps: int) -> dict[str, object]:
    """Where one step's time goes.

    ``phases_percent``: forward / loss / backward / optimizer (``zero_grad`` + Adam) shares of
    the step, timed with ``perf_counter``. ``fwd_bwd_percent``: shares of the profiled forward +
    loss + backward (``torch.profiler``, CPU) by operator kind, by self time; ``framework`` is
    the wall time outside every operator (Python, dispatch, autograd between kernels, and the
    profiler's own cost). ``aten_ops_per_step`` and ``us_per_op`` (mean wall per operator).
    """
    from torch.profiler import ProfilerActivity, profile

    x, y = stepper.batches[0]
    stepper.model.train()
    stepper.step(x, y)
    phases = dict.fromkeys(("forward", "loss", "backward", "optimizer"), 0.0)
    for _ in range(steps):
        t0 = time.perf_counter()
        logits, latent = stepper.forward(x)
        t1 = time.perf_counter()
        total = stepper.loss(logits, latent, y).total
        t2 = time.perf_counter()
        total.backward()
        t3 = time.perf_counter()
        stepper.optimizer.step()
        stepper.optimizer.zero_grad(set_to_none=True)
        total.item()
        t4 = time.perf_counter()
        for key, seconds in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            phases[key] += seconds
    step_total = sum(phases.values())

    start = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            logits, latent = stepper.forward(x)
            stepper.loss(logits, latent, y).total.backward()
            stepper.optimizer.zero_grad(set_to_none=True)
    wall_us = (time.perf_counter() - start) * 1e6
    kinds = dict.fromkeys([k for k, _ in OP_KINDS] + ["other operators"], 0.0)
    n_ops = 0
    for event in prof.key_averages():
        name = event.key.lower()
        if not name.startswith("aten::"):
            continue
        n_ops += event.count
        kind = next((k for k, keys in OP_KINDS if any(s in name for s in keys)), "other operators")
        kinds[kind] += event.self_cpu_time_total
    kinds["framework"] = max(wall_us - sum(kinds.values()), 0.0)
    return {
        "phases_percent": {k: 100 * v / step_total for k, v in phases.items()},
        "fwd_bwd_percent": {k: 100 * v / wall_us for k, v in kinds.items() if v > 0},
        "aten_ops_per_step": n_ops // steps,
        "us_per_op": wall_us / max(n_ops, 1),
    }


CASES = (  # model, dataset, (steps per block, rounds), batch where bf16 is emulated
    ("fashion_cnn", "fashion_mnist", (3, 7), BATCH_SIZE),
    ("vgg16", "cifar10", (1, 3), 8),
)


def run(tiny: bool = False) -> list[dict]:
    """fp32 vs bf16 training steps (one torch thread), and each as a share of the GEMM rate."""
    with _threads(THREADS):
        return _rows(tiny)


def _rows(tiny: bool) -> list[dict]:
    reason, fast = _bf16_note()
    bf16_n = GEMM_N if fast else 512  # emulated bf16 runs at ~0.2 GFLOP/s: 2048³ would take minutes
    sizes = {"fp32": 256, "bf16": 128} if tiny else {"fp32": GEMM_N, "bf16": bf16_n}
    rates = {
        "fp32": gemm_rate(torch.float32, sizes["fp32"], 1 if tiny else 5),
        "bf16": gemm_rate(torch.bfloat16, sizes["bf16"], 1 if tiny else 3),
    }
    precision_rows, fraction_rows = [], []
    for model_name, dataset, (steps, rounds), slow_batch in CASES:
        batch = BATCH_SIZE if fast else slow_batch
        if tiny:
            steps, rounds, batch = 1, 1, 2
        steppers = _steppers(model_name, dataset, steps, batch)
        for s in steppers.values():  # warm-up (allocator, oneDNN primitives), not timed
            s.block()
        times = interleaved({p: s.block for p, s in steppers.items()}, rounds)
        fp32, bf16 = times["fp32"], times["bf16"]
        ratio = median_ratio(fp32, bf16)
        what = f"{model_name} training step ({dataset} shapes), batch {batch}, {THREADS} thread"
        precision_rows.append(
            row(
                "precision",
                f"{what}; median of {rounds} interleaved rounds of {steps} steps",
                "bf16: forward under autocast (lb.device.autocast), CE + backward + Adam",
                "fp32: the same step in float32",
                statistics.median(bf16) / steps,
                statistics.median(fp32) / steps,
                ratio,
                f">= {TARGET:g}x" if fast else f"— ({reason}: target not applicable)",
                (ratio >= TARGET) if fast else None,
                ratio_kind=RATIO_SPEEDUP,
            )
        )
        flops = steppers["fp32"].flops()  # shapes, hence FLOPs, are the same under autocast
        for precision, stepper in steppers.items():
            step_s = statistics.median(times[precision]) / steps
            gemm_s = flops / rates[precision]
            extra = {}
            if model_name == "fashion_cnn" and precision == "fp32":
                extra = step_breakdown(stepper, 2 if tiny else 10)
            dtype = "bfloat16" if precision == "bf16" else "float32"
            fraction_rows.append(
                row(
                    "machine_fraction",
                    f"{what}, {precision}: forward + backward FLOPs per second as a share of "
                    f"torch.mm {sizes[precision]}² {dtype} (best of several) in this process",
                    f"{precision} training step ({flops / 1e9:.3g} GFLOP fwd+bwd)",
                    f"those FLOPs at the GEMM rate ({rates[precision] / 1e9:.3g} GFLOP/s)",
                    step_s,
                    gemm_s,
                    step_s / gemm_s,
                    "— (informational)",
                    None,
                    ratio_kind=RATIO_TIME,
                    share_of_gemm_rate=gemm_s / step_s,
                    step_gflop_per_s=flops / step_s / 1e9,
                    **extra,
                )
            )
    return precision_rows + fraction_rows


if __name__ == "__main__":
    from bench.__main__ import main

    main(["--only", "precision"])
