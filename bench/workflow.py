"""Benchmarks of the Snakemake workflow: dry-run, per-job overhead, the demo end to end.

- **dry-run** of the paper's grid: ``snakemake -n --cores 2`` with config.yaml (≥ 375 training
  jobs) in a fresh working directory (``-d``, so no ``.snakemake`` state from earlier runs).
  Target ≤ 5 s wall-clock. The row also gives the CPU time of the snakemake process (user + sys;
  unlike the wall time it hardly depends on what else runs on the machine) and the number of
  ``train`` jobs.
- **per-job overhead**: a temporary Snakefile with N independent jobs of each kind, all with a
  ``touch()`` output: a ``script:`` rule whose script imports ``lb`` and does nothing (how every
  rule of the workflow runs its code, ``workflow_scripts/*.py``) vs a bare ``shell: "true"``
  rule. Informational kinds split the cost: ``shell: python -c 'import lb'`` (a Python start
  without Snakemake's script preamble) and a script that imports what
  ``workflow_scripts/train.py`` imports (``lb.training``, hence torch). Each kind runs with
  ``--cores 1`` from a clean state; its per-job overhead is (time of the run − time of the same
  call when there is nothing to do) / N. Kinds alternate, the ratio is the median over rounds of
  (kind / shell). Target ≤ 2×.
- **demo, cold** (:func:`run_demo`, only on request: ``python -m bench --only demo``):
  ``snakemake --cores 2 --configfile configs/demo.yaml`` into a fresh working directory with a
  fresh ``$LB_CACHE_DIR``, end to end (training, evaluation, figures, VAE study, report). Target
  ≤ 5 min on 2 cores. The row lists the jobs' own times per rule family from the workflow's
  ``benchmarks/`` files.
"""

from __future__ import annotations

import csv
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import RATIO_TIME, REPO, data_root, median_ratio, row

DRY_RUN_TARGET_S = 5.0
DEMO_TARGET_S = 300.0
OVERHEAD_TARGET = 2.0
MIN_TRAIN_JOBS = 375

SCRIPTS = {
    "import_lb.py": "import lb  # noqa: F401\n",
    "import_lb_training.py": "from lb.training import RunConfig, train_run  # noqa: F401\n",
}
# kind -> (label, the rule's action in Snakefile syntax, number of jobs in the full run)
KINDS = {
    "shell": ('shell: "true"', 'shell:\n        "true"', 30),
    "script": ("script: imports lb", 'script:\n        "import_lb.py"', 30),
    "shell_python": (
        "shell: python -c 'import lb' (no snakemake preamble)",
        "shell:\n        \"python -c 'import lb'\"",
        30,
    ),
    "script_torch": (
        "script: imports lb.training (as workflow_scripts/train.py)",
        'script:\n        "import_lb_training.py"',
        8,
    ),
}
TINY_KINDS = ("shell", "script")


def snakefile_text() -> str:
    """The temporary Snakefile: per kind, ``all_<kind>`` asks for ``config["jobs"]`` jobs."""
    parts = ['N = int(config["jobs"])\n']
    for kind, (_, action, _) in KINDS.items():
        parts.append(
            f"\nrule all_{kind}:\n    input:\n"
            f'        expand("out/{kind}/{{i}}.done", i=range(N)),\n'
            f"\n\nrule {kind}_job:\n    output:\n"
            f'        touch("out/{kind}/{{i}}.done"),\n    {action}\n'
        )
    return "\n".join(parts)


def _snakemake() -> list[str]:
    exe = Path(sys.executable).with_name("snakemake")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "snakemake"]


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("LB_DATA_ROOT", str(data_root()))
    env.update(extra or {})
    return env


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``cmd``; return (wall seconds, CPU seconds of the child tree, stdout + stderr).

    Raises RuntimeError with the tail of the output when the command fails.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{tail}")
    return wall, cpu, output


def job_counts(output: str) -> dict[str, int]:
    """The "Job stats" table of snakemake's output as {rule: count}."""
    counts: dict[str, int] = {}
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "Job stats:":
            for entry in lines[i + 3 :]:
                match = re.fullmatch(r"\s*(\S+)\s+(\d+)\s*", entry)
                if not match:
                    break
                counts[match.group(1)] = int(match.group(2))
            break
    return counts


# ------------------------------------------------------------------------------- dry-run
def dry_run_row(tiny: bool = False) -> dict:
    """``snakemake -n`` of config.yaml, median wall time over fresh working directories."""
    rounds = 1 if tiny else 5
    walls, cpus, counts = [], [], {}
    cmd = [*_snakemake(), "-n", "--cores", "2", "-s", str(REPO / "Snakefile")]
    with tempfile.TemporaryDirectory(prefix="lb-bench-dry-") as tmp:
        for i in range(rounds):
            workdir = Path(tmp) / f"w{i}"
            wall, cpu, output = _timed([*cmd, "-d", str(workdir)], Path(tmp), _env())
            walls.append(wall)
            cpus.append(cpu)
            counts = job_counts(output)
    wall = statistics.median(walls)
    trains = counts.get("train", 0)
    return row(
        "workflow",
        f"dry-run of config.yaml: {trains} train jobs, {counts.get('total', 0)} jobs; "
        f"median of {rounds} fresh working directories",
        "snakemake -n --cores 2 (config.yaml)",
        "",
        wall,
        None,
        None,
        f"<= {DRY_RUN_TARGET_S:g} s",
        wall <= DRY_RUN_TARGET_S and trains >= MIN_TRAIN_JOBS,
        cpu_seconds=statistics.median(cpus),
        train_jobs=trains,
    )


# -------------------------------------------------------------------------- per-job cost
def _overhead(workdir: Path, kind: str, n: int) -> tuple[float, float]:
    """(seconds of N jobs of ``kind`` from a clean state, seconds of the same call, up to date)."""
    for done in (workdir / "out" / kind).glob("*.done"):
        done.unlink()
    cmd = [*_snakemake(), f"all_{kind}", "--cores", "1", "--config", f"jobs={n}"]
    env = _env()
    full, _, output = _timed(cmd, workdir, env)
    if job_counts(output).get(f"{kind}_job", 0) != n:
        raise RuntimeError(f"expected {n} {kind}_job jobs, snakemake said:\n{output[-2000:]}")
    idle, _, _ = _timed(cmd, workdir, env)
    return full, idle


def overhead_rows(tiny: bool = False) -> list[dict]:
    """Per-job overhead of a ``script:`` rule importing lb vs ``shell: "true"`` (see above)."""
    rounds = 1 if tiny else 3
    kinds = list(TINY_KINDS if tiny else KINDS)
    jobs = {kind: 2 if tiny else KINDS[kind][2] for kind in kinds}
    per_job: dict[str, list[float]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory(prefix="lb-bench-jobs-") as tmp:
        workdir = Path(tmp)
        (workdir / "Snakefile").write_text(snakefile_text())
        for name, text in SCRIPTS.items():
            (workdir / name).write_text(text)
        for rep in range(rounds):
            shift = rep % len(kinds)
            for kind in kinds[shift:] + kinds[:shift]:
                full, idle = _overhead(workdir, kind, jobs[kind])
                per_job[kind].append(max(full - idle, 0.0) / jobs[kind])
    shell = per_job["shell"]
    rows = []
    for kind in kinds[1:]:
        ratio = median_ratio(per_job[kind], shell)
        is_target = kind == "script"
        rows.append(
            row(
                "workflow",
                f"per-job overhead, {jobs[kind]} vs {jobs['shell']} trivial jobs, --cores 1; "
                f"median of {rounds} interleaved rounds",
                KINDS[kind][0],
                KINDS["shell"][0],
                statistics.median(per_job[kind]),
                statistics.median(shell),
                ratio,
                f"<= {OVERHEAD_TARGET:g}x" if is_target else "— (informational)",
                (ratio <= OVERHEAD_TARGET) if is_target else None,
                ratio_kind=RATIO_TIME,
            )
        )
    return rows


def run(tiny: bool = False) -> list[dict]:
    """Dry-run and per-job overhead rows (the demo is :func:`run_demo`)."""
    return [dry_run_row(tiny), *overhead_rows(tiny)]


# ---------------------------------------------------------------------------------- demo
def _seconds_by_rule(results: Path) -> dict[str, float]:
    """Sum of the ``s`` column of the workflow's benchmark files, per top-level folder."""
    totals: dict[str, float] = defaultdict(float)
    bench_dir = results / "benchmarks"
    for tsv in bench_dir.rglob("*.tsv"):
        with open(tsv, newline="") as fh:
            for record in csv.DictReader(fh, delimiter="\t"):
                totals[tsv.relative_to(bench_dir).parts[0]] += float(record["s"])
    return dict(sorted(totals.items()))


def run_demo(tiny: bool = False) -> list[dict]:
    """The demo config end to end from a cold start (``tiny``: only its dry-run)."""
    config = REPO / "configs" / "demo.yaml"
    with tempfile.TemporaryDirectory(prefix="lb-bench-demo-") as tmp:
        workdir = Path(tmp) / "work"
        env = _env({"LB_CACHE_DIR": str(Path(tmp) / "cache")})
        cmd = [*_snakemake(), "--cores", "2", "--configfile", str(config)]
        cmd += ["-s", str(REPO / "Snakefile"), "-d", str(workdir)]
        if tiny:
            cmd.append("-n")
        wall, cpu, output = _timed(cmd, Path(tmp), env)
        counts = job_counts(output)
        report = workdir / "results" / "demo" / "report" / "report.html"
        if not tiny and not report.is_file():
            raise RuntimeError(f"the demo finished but wrote no {report}")
        by_rule = {} if tiny else _seconds_by_rule(workdir / "results" / "demo")
    what = "dry-run only (--tiny)" if tiny else "cold: fresh working directory and data cache"
    return [
        row(
            "demo",
            f"configs/demo.yaml end to end, {counts.get('total', 0)} jobs, --cores 2; {what}",
            "snakemake --cores 2 --configfile configs/demo.yaml",
            "",
            wall,
            None,
            None,
            f"<= {DEMO_TARGET_S:g} s",
            None if tiny else wall <= DEMO_TARGET_S,
            cpu_seconds=cpu,
            job_seconds_by_rule=by_rule,
        )
    ]


if __name__ == "__main__":
    from bench.__main__ import main

    main(["--only", "workflow"])
