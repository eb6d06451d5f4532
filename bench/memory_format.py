"""Benchmark: a training step with channels-last (NHWC) weights and batches against the contiguous
(NCHW) layout.

The step is the trainer's (``model(x)``, cross-entropy through ``WeightedLoss(None, 0)``,
backward, Adam step, ``.item()``) on one torch thread, for ``fashion_cnn`` (Fashion-MNIST images,
batch 128), VGG-16 (CIFAR-10 shapes, batch 32) and ResNet-50 (CIFAR-100 shapes, batch 8; random
images: a step's speed does not depend on the pixel values). The two layouts start from the same
weights and step through the same batches; blocks of steps are timed in turn (the order rotates
every round) and the ratio is the median over rounds of contiguous time / channels-last time.
The trainer uses channels-last (``lb.device.to_channels_last``); target ≥ 1.0× (never slower).
"""

from __future__ import annotations

import copy

import torch

from bench import interleaved, median_ratio, row
from bench.precision import _random_batches, _threads
from bench.training_step import _batches
from lb.data import get_spec
from lb.device import channels_last_batch, seed_everything, to_channels_last
from lb.losses import WeightedLoss
from lb.models import build_model

TARGET = 1.0
THREADS = 1
CPU = torch.device("cpu")
# model, dataset, batch size, steps per block; --tiny: one step of batch 2 (Fashion-MNIST: 128)
CASES = (
    ("fashion_cnn", "fashion_mnist", 128, 10),
    ("vgg16", "cifar10", 32, 3),
    ("resnet50", "cifar100", 8, 2),
)


class _Stepper:
    def __init__(self, model, channels_last: bool, batches) -> None:
        self.model = to_channels_last(model, CPU) if channels_last else model
        self.channels_last = channels_last
        self.loss = WeightedLoss(None, 0.0)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.batches = batches

    def block(self) -> None:
        self.model.train()
        for x, y in self.batches:
            if self.channels_last:
                x = channels_last_batch(x)
            logits, latent = self.model(x)
            total = self.loss(logits, latent, y).total
            self.optimizer.zero_grad(set_to_none=True)
            total.backward()
            self.optimizer.step()
            total.item()


def run(tiny: bool = False) -> list[dict]:
    rows = []
    with _threads(THREADS):
        for model_name, dataset, batch, steps in CASES:
            if tiny:
                steps, batch = 1, (batch if dataset == "fashion_mnist" else 2)
            if dataset == "fashion_mnist":
                batches, spec = _batches(dataset, steps)
            else:
                batches, spec = _random_batches(dataset, steps, batch), get_spec(dataset)
            seed_everything(0)
            model = build_model(model_name, spec)
            steppers = {
                "channels_last": _Stepper(copy.deepcopy(model), True, batches),
                "contiguous": _Stepper(copy.deepcopy(model), False, batches),
            }
            for stepper in steppers.values():  # warm-up: oneDNN primitive creation
                stepper.block()
            times = interleaved({k: s.block for k, s in steppers.items()}, 2 if tiny else 7)
            ratio = median_ratio(times["contiguous"], times["channels_last"])
            per_step = {k: sorted(v)[len(v) // 2] / steps for k, v in times.items()}
            rows.append(
                row(
                    "memory_format",
                    f"{model_name} training step, batch {len(batches[0][1])}, {THREADS} thread",
                    ours="channels_last",
                    baseline="contiguous",
                    ours_seconds=per_step["channels_last"],
                    baseline_seconds=per_step["contiguous"],
                    ratio=ratio,
                    target=f">= {TARGET}x",
                    met=ratio >= TARGET,
                )
            )
    return rows
