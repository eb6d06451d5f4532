"""Helpers shared by the tests that meet the workflow the way a user does: a copy of the
workflow in a temporary directory, `snakemake` run as a subprocess, and its output.

Test modules import it by name (``from helpers import copy_workflow, snakemake``): pytest puts
tests/ on ``sys.path`` when it loads tests/conftest.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SNAKEMAKE = str(BIN / "snakemake")
# What a workflow copy holds; not lb/: jobs import it from this checkout.
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
SCRUBBED = ("LB_INJECT_NONFINITE", "LB_DATA_ROOT", "LB_CACHE_DIR")


def copy_workflow(dest: Path) -> Path:
    """The workflow files (:data:`WORKFLOW_FILES`) copied into ``dest``; ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def snakemake_env(workdir: Path, extra: dict | None = None) -> dict:
    """The environment of a `snakemake` run in ``workdir``: this process's, without
    :data:`SCRUBBED`, with a dataset cache of its own (``workdir/.lb-cache``), then ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env["LB_CACHE_DIR"] = str(workdir / ".lb-cache")
    env.update(extra or {})
    return env


def snakemake(
    workdir: Path, *args: str, env: dict | None = None, timeout: float = 1800
) -> subprocess.CompletedProcess:
    """``snakemake ARGS`` in ``workdir`` (environment: :func:`snakemake_env` with ``env``);
    the finished process, stdout and stderr as text."""
    return subprocess.run(
        [SNAKEMAKE, *args],
        cwd=workdir,
        env=snakemake_env(workdir, env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_snakemake(
    workdir: Path, *args: str, env: dict | None = None, **popen: object
) -> subprocess.Popen:
    """``snakemake ARGS`` started in ``workdir`` in its own process group (so that it can be
    signalled or killed whole); output discarded unless ``popen`` says otherwise (``stdout=``,
    ``stderr=``, ``text=``)."""
    popen = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, **popen}
    return subprocess.Popen(
        [SNAKEMAKE, *args],
        cwd=workdir,
        env=snakemake_env(workdir, env),
        start_new_session=True,
        **popen,
    )


def output_text(proc) -> str:
    """stdout and stderr of a finished process, as one text."""
    return (proc.stdout or "") + (proc.stderr or "")
