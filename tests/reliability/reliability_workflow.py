"""Helpers for the reliability tests that meet the workflow the way a user does: a copy of the
workflow in a temporary directory, `snakemake` run in it as a subprocess, and the files it leaves.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

REPO = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
WORKFLOW_FILES = (
    "Snakefile",
    "rules",
    "workflow_scripts",
    "schemas",
    "config.yaml",
    "configs",
    "envs",
    "report",
)
TEST_CONFIG = ("--configfile", "configs/test.yaml")
TRAIN_OUTPUTS = ("metrics.json", "history.csv", "test_outputs.npz", "model.pt")
# Environment variables of the developer's shell that would change what a job does.
_SCRUBBED = ("LB_INJECT_NONFINITE", "LB_DATA_ROOT", "LB_CACHE_DIR")


def copy_workflow(dest: Path) -> Path:
    """The workflow files (not lb/: jobs import it from this checkout) copied into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def environment(workdir: Path, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env["LB_CACHE_DIR"] = str(workdir / ".lb-cache")
    env.update(extra or {})
    return env


def snakemake(workdir: Path, *args: str, env: dict | None = None, timeout: int = 1200):
    """``snakemake ARGS`` in ``workdir``; the finished process (stdout/stderr as text)."""
    return subprocess.run(
        [SNAKEMAKE, *args],
        cwd=workdir,
        env=environment(workdir, env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_snakemake(workdir: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    """``snakemake ARGS`` started in its own process group (so that it can be killed whole)."""
    return subprocess.Popen(
        [SNAKEMAKE, *args],
        cwd=workdir,
        env=environment(workdir, env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


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


def output_text(proc) -> str:
    return (proc.stdout or "") + (proc.stderr or "")
