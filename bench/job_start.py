"""Benchmark: time from process start to the first training batch of a training job.

Target: ≤ 3 s for a ``fashion_cnn`` baseline job on Fashion-MNIST (full data, tensors already in
the data cache, as for every job after the first), one torch thread.

The job is the command-line entry point of a training run, ``python -m lb.training ...`` (the
workflow's ``train`` rule makes the same two calls, ``RunConfig.from_dict`` and ``train_run``,
behind Snakemake's script preamble, measured in ``bench.workflow``), started as a subprocess.
It is stopped right after its first batch by the trainer's test hook
(``LB_INJECT_NONFINITE=1:1:ce``, :mod:`lb.training.faults`: the first batch's cross-entropy is
replaced by NaN after the forward pass and the loss, and the job exits with its one-line error
and no outputs); the benchmark checks that message, so a job that fails earlier is not timed.
So the time is: interpreter start, imports, config check, data load (cached tensors),
stratified split, model, optimizer, and the first batch's forward and loss.

Interleaved with it (the order rotates every round, medians over rounds):

- ``eager imports``: the same job with torchvision, pytorch-metric-learning and pandas imported
  first, i.e. what the job imported before they became lazy; the ratio job / eager is the
  saving;
- ``import only``: ``python -c "import lb.training.__main__, lb.training.trainer"``;
- ``python``: ``python -c pass``.

Wall times depend on the load from other processes; the children's CPU time (user + system)
is reported next to them.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import RATIO_TIME, REPO, data_root, interleaved, median_ratio, row

TARGET_S = 3.0
JOB = [
    "--dataset", "fashion_mnist", "--model", "fashion_cnn", "--method", "baseline",
    "--lam", "0", "--seed", "0", "--num-threads", "1", "--quiet",
]  # fmt: skip
STOP_AFTER_FIRST_BATCH = {"LB_INJECT_NONFINITE": "1:1:ce"}
EAGER = "import torchvision, pytorch_metric_learning.losses, pandas, runpy, sys; "


class _Child:
    """One command run as a subprocess; records wall and CPU seconds of every run."""

    def __init__(self, argv: list[str], env: dict[str, str], expect: str | None = None) -> None:
        self.argv, self.env, self.expect = argv, env, expect
        self.cpu: list[float] = []

    def __call__(self) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            self.argv, cwd=REPO, env=self.env, capture_output=True, text=True, timeout=600
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        self.cpu.append(cpu)
        if self.expect is None:
            if done.returncode != 0:
                raise RuntimeError(f"{self.argv[:3]} failed: {done.stderr.strip()[-300:]}")
        elif self.expect not in done.stderr:
            raise RuntimeError(f"the job did not reach its first batch: {done.stderr[-300:]}")


def run(tiny: bool = False) -> list[dict]:
    """Time to the first batch of a fashion_cnn baseline job (subprocesses, interleaved)."""
    rounds = 1 if tiny else 5
    env = {**os.environ, "PYTHONPATH": str(REPO), "LB_DATA_ROOT": str(data_root())}
    env.pop("LB_INJECT_NONFINITE", None)
    job_env = {**env, **STOP_AFTER_FIRST_BATCH}
    with tempfile.TemporaryDirectory(prefix="lb-bench-job-") as tmp:
        out = str(Path(tmp) / "run")
        argv = [*JOB, "--out", out]
        expect = "at epoch 1, batch 1/"
        eager_code = f"{EAGER}sys.argv = {['lb.training', *argv]!r}; " + (
            "runpy.run_module('lb.training', run_name='__main__')"
        )
        children = {
            "job": _Child([sys.executable, "-m", "lb.training", *argv], job_env, expect),
            "eager imports": _Child([sys.executable, "-c", eager_code], job_env, expect),
            "import only": _Child(
                [sys.executable, "-c", "import lb.training.__main__, lb.training.trainer"], env
            ),
            "python": _Child([sys.executable, "-c", "pass"], env),
        }
        if tiny:
            del children["eager imports"], children["python"]
        children["job"]()  # warm-up: fills the tensor cache and the OS file cache, not timed
        children["job"].cpu.clear()
        times = interleaved(children, rounds)
    job, job_cpu = statistics.median(times["job"]), statistics.median(children["job"].cpu)
    notes = {
        "job_cpu_seconds": job_cpu,
        "import_only_seconds": statistics.median(times["import only"]),
        "import_only_cpu_seconds": statistics.median(children["import only"].cpu),
        "load_average_now": os.getloadavg()[0],
    }
    if "python" in times:
        notes["python_startup_seconds"] = statistics.median(times["python"])
    rows = [
        row(
            "job_start",
            f"fashion_cnn baseline job (python -m lb.training, full Fashion-MNIST from the tensor "
            f"cache, 1 thread): process start to the end of the first batch's forward + loss; "
            f"median of {rounds} runs",
            "python -m lb.training (lazy torchvision / pytorch-metric-learning / pandas)",
            "",
            job,
            None,
            None,
            f"<= {TARGET_S:g} s",
            job <= TARGET_S,
            **notes,
        )
    ]
    if "eager imports" in times:
        eager = times["eager imports"]
        rows.append(
            row(
                "job_start",
                f"the same job against the same job with torchvision, pytorch-metric-learning "
                f"and pandas imported first (as before they became lazy); median of {rounds} "
                "interleaved rounds",
                "python -m lb.training",
                "the job with the eager imports",
                job,
                statistics.median(eager),
                median_ratio(times["job"], eager),
                "— (informational)",
                None,
                ratio_kind=RATIO_TIME,
                job_cpu_seconds=job_cpu,
                eager_cpu_seconds=statistics.median(children["eager imports"].cpu),
            )
        )
    return rows


if __name__ == "__main__":
    from bench.__main__ import main

    main(["--only", "job_start"])
