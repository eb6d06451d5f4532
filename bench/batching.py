"""Benchmark: one epoch of in-memory batching vs a torchvision DataLoader with PIL transforms.

Side by side in one run, on the same machine and data:

- ours: :class:`lb.data.BatchLoader` over the uint8 tensors of :func:`lb.data.load_dataset`
  (seeded permutation, CIFAR pad-4 crop + flip as whole-batch tensor ops, normalisation);
- baseline: torchvision's dataset class (``FashionMNIST`` / the ``CIFAR10`` subset reader) with
  ``RandomCrop(32, padding=4)``, ``RandomHorizontalFlip()`` (CIFAR only), ``ToTensor()`` and
  ``Normalize`` on PIL images, through ``torch.utils.data.DataLoader(shuffle=True)`` with
  ``num_workers`` 0 (and 2 in the full run: this machine has 2 cores).

Both produce the same thing per step (a normalised float batch and its labels, batch 128); the
time of one full epoch is the best of a few repeats. Decoding the files is excluded from both.
Both run with one torch intra-op thread by default (``threads``): the numbers then do not depend
on how busy the machine's two cores are (with other jobs running, two OpenMP threads made these
small batch ops 10-20× slower), and the baseline with ``num_workers=2`` still gets two processes.
Run ``python -m bench.batching`` (``--tiny`` for a smoke run on 512 images); data from
``--root`` > ``$LB_DATA_ROOT`` > ``./data`` > ``../shared/data`` next to the repository.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import torch
import torchvision.transforms as T
from torch.utils.data import DataLoader, Subset
from torchvision.datasets import FashionMNIST

from lb.data import BatchLoader, load_dataset, resolve_cache_dir, resolve_data_root
from lb.data.cifar import CIFAR_FILES, torchvision_class, unchecked_class

TARGET = 10.0
BATCH_SIZE = 128
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _data_root(root: str | Path | None) -> Path:
    chosen = resolve_data_root(root)
    if root is None and not chosen.exists() and SHARED_DATA.is_dir():
        return SHARED_DATA
    return chosen


def _epoch_seconds(make_iter, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for x, y in make_iter():
            assert x.dtype == torch.float32 and y.numel() == x.shape[0]
        best = min(best, time.perf_counter() - start)
    return best


def _baseline_dataset(name: str, root: Path, cache_dir: Path, spec, augment: bool):
    steps = [T.RandomCrop(32, padding=4), T.RandomHorizontalFlip()] if augment else []
    transform = T.Compose([*steps, T.ToTensor(), T.Normalize(spec.mean, spec.std)])
    if name == "fashion_mnist":
        # load_dataset decompressed the .gz files here when the data root holds only those
        tv_root = cache_dir / "torchvision"
        if not (tv_root / "FashionMNIST" / "raw" / "train-images-idx3-ubyte").is_file():
            tv_root = root
        return FashionMNIST(str(tv_root), train=True, transform=transform)
    files = CIFAR_FILES[name]
    folder = root / files.base_folder
    train = [n for n, _ in files.train_list if (folder / n).is_file()]
    reader = unchecked_class(torchvision_class(name), train, [n for n, _ in files.test_list])
    return reader(str(root), train=True, transform=transform)


def run(
    tiny: bool = False,
    root: str | Path | None = None,
    cache_dir: str | Path | None = None,
    threads: int | None = 1,
) -> list[dict]:
    """Measure both pipelines on the CIFAR-10 subset (with augmentation) and Fashion-MNIST.

    Returns one dict per (dataset, baseline) with the epoch times and ``ratio`` =
    baseline seconds / our seconds (higher is better; target ``>= 10``). ``threads``: torch
    intra-op threads during the measurement (``None``: leave torch's setting).
    """
    previous = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        return _run(tiny, root, cache_dir)
    finally:
        torch.set_num_threads(previous)


def _run(tiny: bool, root, cache_dir) -> list[dict]:
    data_root = _data_root(root)
    cache = resolve_cache_dir(cache_dir)
    limit = 512 if tiny else None
    repeats_ours, repeats_base = (1, 1) if tiny else (5, 2)
    workers_list = (0,) if tiny else (0, 2)
    rows = []
    for name, augment in (("cifar10", True), ("fashion_mnist", False)):
        data = load_dataset(name, root=data_root, cache_dir=cache)
        n = data.num_train if limit is None else min(limit, data.num_train)
        generator = torch.Generator().manual_seed(0)
        ours = BatchLoader(
            data.train_x[:n], data.train_y[:n], data.spec, BATCH_SIZE,
            shuffle=True, augment=augment, generator=generator,
        )  # fmt: skip
        ours_s = _epoch_seconds(lambda loader=ours: iter(loader), repeats_ours)
        base_ds = _baseline_dataset(name, data_root, cache, data.spec, augment)
        if limit is not None:
            base_ds = Subset(base_ds, range(n))
        for workers in workers_list:
            torch.manual_seed(0)
            loader = DataLoader(
                base_ds, batch_size=BATCH_SIZE, shuffle=True, num_workers=workers,
                persistent_workers=workers > 0,
            )  # fmt: skip
            base_s = _epoch_seconds(lambda loader=loader: iter(loader), repeats_base)
            what = "pad-4 crop + flip" if augment else "no augmentation"
            rows.append(
                {
                    "benchmark": "batching",
                    "case": f"{name}: {n} images, batch {BATCH_SIZE}, {what}",
                    "ours": "lb.data.BatchLoader (in-memory tensors)",
                    "baseline": f"torchvision DataLoader + PIL transforms, num_workers={workers}",
                    "ours_seconds": ours_s,
                    "baseline_seconds": base_s,
                    "ratio": base_s / ours_s,
                    "target": f">= {TARGET:g}x",
                    "met": base_s / ours_s >= TARGET,
                    "torch_threads": torch.get_num_threads(),
                    "load_average_1min": os.getloadavg()[0],
                }
            )
            del loader
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| case | baseline | ours (s/epoch) | baseline (s/epoch) | ratio | target |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['baseline']} | {r['ours_seconds']:.3f} | "
            f"{r['baseline_seconds']:.3f} | {r['ratio']:.1f}× | {r['target']} "
            f"{'met' if r['met'] else 'MISSED'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="512 images, one repeat (smoke run)")
    parser.add_argument("--root", default=None, help="data root (default: $LB_DATA_ROOT, ...)")
    parser.add_argument("--cache-dir", default=None, help="cache dir (default: $LB_CACHE_DIR)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (0: torch default)")
    args = parser.parse_args(argv)
    rows = run(args.tiny, args.root, args.cache_dir, threads=args.threads or None)
    print(
        f"torch threads: {rows[0]['torch_threads']}, CPUs: {os.cpu_count()}, "
        f"load average (1 min) at the end: {rows[-1]['load_average_1min']:.1f}"
    )
    print(markdown(rows))


if __name__ == "__main__":
    main()
