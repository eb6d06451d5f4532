"""Publish a finished run for readers: the report and its tidy data, without checkpoints.

``python -m lb.report.publish --results results/cpu --config configs/cpu.yaml --out
docs/reproduction`` copies what a reader needs to check the report without running anything:

- ``report.html`` (self-contained), ``claims.csv`` and ``provenance.json`` (git commit, config
  hash, package versions, devices; written by rule ``render_report``), and ``claims.md``, the
  claims as a Markdown table for the publication's README (:mod:`lb.report.claims_markdown`);
- ``tables/runs.csv`` and ``tables/summary.csv`` (the aggregation), ``tables/histories.csv`` (every
  run's per-epoch history, one tidy table with the run's dataset, method, λ and seed);
- ``figures/*.csv`` (the data behind every figure);
- ``vae/``: the VAE study's ``vae_context.json`` and ``agreement.csv``, and per seed the CNN's and
  both VAEs' ``metrics.json`` and ``history.csv`` and the analysis' ``summary.json``,
  ``agreement.csv`` and ``traversals.csv``;
- ``config.yaml`` (the config file as given), ``packages.txt`` (every installed distribution),
  ``compute.csv`` (each job's time from the workflow's ``benchmarks/`` files) and ``publish.json``
  (what was published from where, and the run's wall time when given).

It refuses a results directory without a finished report (run the workflow first) and writes
every file atomically; files an earlier publication listed in its ``publish.json`` that this one
does not produce are removed, so the folder shows one run (other files, e.g. a README, stay).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import shutil
import sys
from importlib import metadata
from pathlib import Path

import pandas as pd

from lb import io
from lb.errors import DataError
from lb.report.claims_markdown import write_claims_markdown
from lb.report.provenance import git_commit

RUN_KEYS = ("dataset", "method", "lam", "seed")
VAE_SEED_FILES = (
    "cnn/metrics.json",
    "cnn/history.csv",
    "triplet/metrics.json",
    "triplet/history.csv",
    "vanilla/metrics.json",
    "vanilla/history.csv",
    "analysis/summary.json",
    "analysis/agreement.csv",
    "analysis/traversals.csv",
)


def _copy(src: Path, dst: Path, written: list[Path]) -> None:
    with io.atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)
    written.append(dst)


def histories(results: Path, runs: pd.DataFrame) -> pd.DataFrame:
    """Every run's ``history.csv`` in one table, prefixed with the run's identity."""
    frames = []
    for run in runs.itertuples(index=False):
        path = results / str(run.run_dir) / "history.csv"
        if not path.is_file():
            raise DataError(f"{path}: history of a finished run is missing; rerun its train job")
        history = pd.read_csv(path)
        for i, key in enumerate(RUN_KEYS):
            history.insert(i, key, getattr(run, key))
        frames.append(history)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RUN_KEYS)


def compute_table(results: Path) -> pd.DataFrame:
    """One row per job benchmark file: its path under benchmarks/, seconds, CPU time, max RSS."""
    records = []
    bench_dir = results / "benchmarks"
    for tsv in sorted(bench_dir.rglob("*.tsv")):
        rel = tsv.relative_to(bench_dir).with_suffix("")
        with open(tsv, newline="", encoding="utf-8") as fh:
            for record in csv.DictReader(fh, delimiter="\t"):
                records.append(
                    {
                        "job": rel.as_posix(),
                        "rule_family": rel.parts[0],
                        "seconds": float(record["s"]),
                        "cpu_seconds": _float(record.get("cpu_time")),
                        "max_rss_mb": _float(record.get("max_rss")),
                    }
                )
    columns = ["job", "rule_family", "seconds", "cpu_seconds", "max_rss_mb"]
    return pd.DataFrame.from_records(records, columns=columns)


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def installed_packages() -> str:
    """``name==version`` of every installed distribution, sorted (like ``pip freeze``)."""
    seen = {}
    for dist in metadata.distributions():
        name = dist.metadata.get("Name")
        if name:
            seen.setdefault(name.lower(), f"{name}=={dist.version}")
    return "\n".join(seen[k] for k in sorted(seen)) + "\n"


def publish(
    results: str | Path,
    config_file: str | Path,
    out: str | Path,
    wall_seconds: float | None = None,
    command: str | None = None,
    repo_dir: str | Path = ".",
) -> list[Path]:
    """Copy the publishable part of ``results`` into ``out`` (see the module docstring)."""
    results, out, config_file = Path(results), Path(out), Path(config_file)
    needed = [
        results / "report" / "report.html",
        results / "report" / "claims.csv",
        results / "report" / "provenance.json",
        results / "tables" / "runs.csv",
        results / "tables" / "summary.csv",
        config_file,
    ]
    for path in needed:
        if not path.is_file():
            raise DataError(f"{path}: not found; run the workflow to its report first")
    written: list[Path] = []
    for path in needed[:3]:
        _copy(path, out / path.name, written)
    written.append(write_claims_markdown(out / "claims.csv", out / "claims.md"))
    _publish_tables(results, out, written)
    _publish_vae(results / "vae", out / "vae", written)
    _copy(config_file, out / "config.yaml", written)
    io.write_text(out / "packages.txt", installed_packages())
    compute = compute_table(results)
    io.write_csv(compute, out / "compute.csv")
    written += [out / "packages.txt", out / "compute.csv"]

    provenance = json.loads((results / "report" / "provenance.json").read_text(encoding="utf-8"))
    info = {
        "results_dir": str(results),
        "config_file": str(config_file),
        "config_file_sha256": hashlib.sha256(config_file.read_bytes()).hexdigest(),
        "report_git_commit": provenance.get("git_commit"),
        "publish_git_commit": git_commit(repo_dir),
        "published": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "command": command,
        "wall_seconds": wall_seconds,
        "job_seconds_total": round(float(compute["seconds"].sum()), 1),
        "files": sorted(p.relative_to(out).as_posix() for p in written),
    }
    _remove_stale(out, written)
    io.write_json(out / "publish.json", info)
    written.append(out / "publish.json")
    return written


def _publish_tables(results: Path, out: Path, written: list[Path]) -> None:
    """The tidy tables, every run's history in one table, and the figures' data."""
    for name in ("runs.csv", "summary.csv"):
        _copy(results / "tables" / name, out / "tables" / name, written)
    runs = pd.read_csv(results / "tables" / "runs.csv")
    io.write_csv(histories(results, runs), out / "tables" / "histories.csv")
    written.append(out / "tables" / "histories.csv")
    for csv_path in sorted((results / "figures").glob("*.csv")):
        _copy(csv_path, out / "figures" / csv_path.name, written)


def _publish_vae(vae: Path, out: Path, written: list[Path]) -> None:
    """The VAE study's context and agreement table, and per seed :data:`VAE_SEED_FILES`."""
    for name in ("vae_context.json", "agreement.csv"):
        if (vae / name).is_file():
            _copy(vae / name, out / name, written)
    for seed_dir in sorted(vae.glob("seed*")):
        for rel in VAE_SEED_FILES:
            if (seed_dir / rel).is_file():
                _copy(seed_dir / rel, out / seed_dir.name / rel, written)


def _remove_stale(out: Path, written: list[Path]) -> None:
    """Delete the files the previous publication into ``out`` listed (its ``publish.json``) that
    this one did not write; nothing else in ``out`` is touched."""
    previous = out / "publish.json"
    try:
        listed = json.loads(previous.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return
    keep = {p.resolve() for p in written}
    for rel in listed:
        path = (out / str(rel)).resolve()
        if out.resolve() in path.parents and path.is_file() and path not in keep:
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lb.report.publish", description=__doc__)
    parser.add_argument("--results", required=True, help="the run's results_dir")
    parser.add_argument("--config", required=True, help="the config file the run used")
    parser.add_argument("--out", required=True, help="folder to publish into")
    parser.add_argument("--wall-seconds", type=float, help="wall time of the whole run")
    parser.add_argument("--command", help="the command the run was started with")
    args = parser.parse_args(argv)
    try:
        written = publish(args.results, args.config, args.out, args.wall_seconds, args.command)
    except (DataError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"published {len(written)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
