"""What the paper's tables cost: GPU-hours per experiment and table from the benchmark files.

Every training job writes ``RESULTS/benchmarks/train/{dataset}/{method}/lambda{lam}/seed{seed}.tsv``
(Snakemake's ``benchmark:``; column ``s`` is the job's wall-clock seconds). This sums them per
(experiment, table) of a config, times the GPUs each job held, and projects the cost of the
table's runs that have no benchmark yet from the mean of those that have (so a few finished runs
already price the whole grid)::

    python profiles/slurm/gpu_hours.py                          # config.yaml, its results_dir
    python profiles/slurm/gpu_hours.py --configfile configs/cpu.yaml --results results-cpu
    python profiles/slurm/gpu_hours.py --csv gpu_hours.csv      # also write the table as CSV

A run shared by several tables (the baseline is in Tables 2, 4 and 5) counts in each of them;
the ``all runs`` row of each experiment counts every run once. A job that was retried or
requeued has a benchmark of its last attempt only (earlier attempts' epochs were resumed, not
redone), so the sum is a lower bound when jobs were killed.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # lb from this checkout

from lb.vocabulary import format_lam  # noqa: E402
from lb.workflow.config import load_config  # noqa: E402
from lb.workflow.runs import enumerate_runs, table_cells  # noqa: E402

COLUMNS = ["experiment", "table", "runs", "benchmarked", "gpu_hours", "projected_gpu_hours"]


def read_seconds(path: Path) -> float | None:
    """Wall-clock seconds (column ``s``) of a Snakemake benchmark file; None if absent."""
    if not path.is_file():
        return None
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if not rows or "s" not in rows[0]:
        raise SystemExit(f"{path}: not a Snakemake benchmark file (no column 's')")
    # With `benchmark: repeat(...)` there are several rows: one job ran them all.
    return sum(float(row["s"]) for row in rows)


def cost_table(config: dict, results: Path, gpus_per_job: float) -> list[dict]:
    runs = enumerate_runs(config)
    seconds = {run.key: read_seconds(_tsv(results, run)) for run in runs}
    rows = []
    for experiment in config["experiments"]:
        exp_runs = [r for r in runs if r.experiment == experiment]
        by_cell = {(r.method, r.lam_str): [] for r in exp_runs}
        for r in exp_runs:
            by_cell[(r.method, r.lam_str)].append(r)
        groups: dict[str, list] = {}
        for table, method, lam in table_cells(config, experiment):
            members = groups.setdefault(table, [])
            for r in by_cell.get((method, format_lam(lam)), []):
                if r not in members:
                    members.append(r)
        groups["all runs"] = exp_runs
        for table, members in groups.items():
            rows.append(_row(experiment, table, members, seconds, gpus_per_job))
    return rows


def _tsv(results: Path, run) -> Path:
    """The benchmark file of a training run (rules/train.smk: benchmarks/train/{RUN_STEM}.tsv)."""
    return results / "benchmarks" / "train" / f"{run.dir.removeprefix('runs/')}.tsv"


def _row(experiment, table, members, seconds, gpus_per_job) -> dict:
    done = [seconds[r.key] for r in members if seconds[r.key] is not None]
    hours = sum(done) / 3600 * gpus_per_job
    projected = hours / len(done) * len(members) if done else None
    return {
        "experiment": experiment,
        "table": table,
        "runs": len(members),
        "benchmarked": len(done),
        "gpu_hours": round(hours, 3),
        "projected_gpu_hours": None if projected is None else round(projected, 3),
    }


def format_rows(rows: list[dict]) -> str:
    shown = [[("" if row[c] is None else str(row[c])) for c in COLUMNS] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in shown)) for i, c in enumerate(COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in shown]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configfile", default=str(ROOT / "config.yaml"))
    parser.add_argument("--results", help="results directory (default: the config's results_dir)")
    parser.add_argument(
        "--gpus-per-job", type=float, default=1.0, help="GPUs each training job held (default 1)"
    )
    parser.add_argument("--csv", help="also write the table to this CSV file")
    args = parser.parse_args(argv)
    config = load_config(args.configfile)
    results = Path(args.results or config["results_dir"])
    if not (results / "benchmarks" / "train").is_dir():
        raise SystemExit(f"{results}/benchmarks/train: no benchmark files (run the workflow first)")
    rows = cost_table(config, results, args.gpus_per_job)
    print(format_rows(rows))
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
