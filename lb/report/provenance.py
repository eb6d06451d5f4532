"""Provenance of a report: git commit, config hash, package versions, device, date."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "torch", "torchvision", "pytorch-metric-learning", "openTSNE", "scikit-learn", "numpy",
    "pandas", "matplotlib", "seaborn", "jinja2", "snakemake", "lb",
)  # fmt: skip


def config_hash(config: Mapping | None) -> str:
    """SHA-256 of the config as canonical JSON (sorted keys); '' when there is no config."""
    if config is None:
        return ""
    text = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def git_commit(repo_dir: str | os.PathLike = ".") -> str:
    """``HEAD``'s hash, with ``+dirty`` when tracked files differ from it; 'unknown' outside git."""

    def git(*args: str) -> str:
        out = subprocess.run(
            ["git", "-C", str(repo_dir), *args], capture_output=True, text=True, timeout=20
        )
        if out.returncode != 0:
            raise OSError(out.stderr.strip())
        return out.stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return commit + ("+dirty" if dirty else "")


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else the platform's processor string."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "CPU"


def report_device() -> str:
    """The machine rendering the report: CUDA device name or CPU, plus platform."""
    try:
        import torch

        gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except Exception:  # noqa: BLE001 - provenance must never fail the report
        gpu = None
    cpu = f"{cpu_model()} ×{os.cpu_count()}"
    return f"{gpu} + {cpu}" if gpu else f"{cpu} ({platform.machine()}, {platform.system()})"


def collect(
    config: Mapping | None,
    repo_dir: str | os.PathLike = ".",
    run_devices: Iterable[str] = (),
    now: dt.datetime | None = None,
    config_file: str | None = None,
) -> dict:
    """Everything the provenance footer shows, as plain strings."""
    now = now or dt.datetime.now(dt.UTC)
    digest = config_hash(config)
    return {
        "git_commit": git_commit(repo_dir),
        "config_hash": digest,
        "config_hash_short": digest[:12],
        "config_file": config_file or "",
        "packages": package_versions(),
        "run_devices": sorted({str(d) for d in run_devices if d == d and str(d)}),
        "report_device": report_device(),
        "date": now.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "repo": str(Path(repo_dir).resolve()),
    }
