"""Helpers for the reliability tests that run the workflow (tests/helpers.py copies it and runs
`snakemake`): killing a run at a given point, and the files a run leaves.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch


def kill_when_logged(proc: subprocess.Popen, log: Path, text: str, group: bool, timeout=600):
    """SIGKILL as soon as ``log`` contains ``text``: the whole process group (snakemake and its
    jobs) when ``group``, else only the job (the children of snakemake, as an OOM killer would).
    Returns snakemake's exit code."""
    deadline = time.monotonic() + timeout
    while not (log.is_file() and text in log.read_text(encoding="utf-8", errors="replace")):
        if proc.poll() is not None:
            raise AssertionError(f"snakemake ended ({proc.returncode}) before {text!r} in {log}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"no {text!r} in {log} within {timeout} s")
        time.sleep(0.01)
    if group:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        for pid in descendants(proc.pid):
            os.kill(pid, signal.SIGKILL)
    return proc.wait(timeout=300)


def descendants(pid: int) -> list[int]:
    """Process ids below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(status.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def run_files(run_dir: Path) -> dict:
    """Everything a training run computed, comparable with ``==`` (wall-clock values dropped:
    ``metrics.json`` ``wall_seconds`` and the ``seconds`` column of ``history.csv``)."""
    metrics = json.loads((run_dir / "metrics.json").read_text())
    metrics.pop("wall_seconds")
    history = pd.read_csv(run_dir / "history.csv").drop(columns="seconds")
    with np.load(run_dir / "test_outputs.npz") as npz:
        arrays = {key: npz[key].tobytes() for key in sorted(npz.files)}
    weights = torch.load(run_dir / "model.pt", map_location="cpu", weights_only=True)
    return {
        "metrics": metrics,
        "history": history.to_csv(index=False),
        "test_outputs": arrays,
        "model": {key: value.numpy().tobytes() for key, value in weights.items()},
    }


def leftover_temporaries(directory: Path) -> list[Path]:
    """Temporary files of lb.io.atomic_path (``.<name>.<random>.tmp``) below ``directory``."""
    return sorted(directory.rglob(".*.tmp"))
