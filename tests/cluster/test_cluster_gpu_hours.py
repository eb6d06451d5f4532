"""profiles/slurm/gpu_hours.py: GPU-hours per experiment and table from benchmark files."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from lb.workflow.config import load_config
from lb.workflow.runs import enumerate_runs

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "profiles" / "slurm" / "gpu_hours.py"
HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"


def _module():
    spec = importlib.util.spec_from_file_location("gpu_hours", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_benchmark(results: Path, run, seconds: float) -> None:
    path = results / "benchmarks" / "train" / f"{run.dir.removeprefix('runs/')}.tsv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + f"{seconds}\t0:00:00\t1\t1\t1\t1\t0\t0\t1\t1\n")


@pytest.fixture
def config():
    return load_config(ROOT / "configs" / "test.yaml")


def test_sums_and_projects_per_table(config, tmp_path):
    runs = enumerate_runs(config)
    # Benchmark only seed 0 of each (method, lambda): 3600 s baseline, 7200 s for the others.
    for run in runs:
        if run.seed == 0:
            _write_benchmark(tmp_path, run, 3600.0 if run.method == "baseline" else 7200.0)
    rows = {(r["experiment"], r["table"]): r for r in _module().cost_table(config, tmp_path, 1.0)}

    table2 = rows[("digits", "table2")]  # baseline + magnet at 0.5, seeds 0 and 1
    assert (table2["runs"], table2["benchmarked"]) == (4, 2)
    assert table2["gpu_hours"] == pytest.approx(3.0)
    assert table2["projected_gpu_hours"] == pytest.approx(6.0)
    everything = rows[("digits", "all runs")]
    assert everything["runs"] == len(runs)
    assert everything["benchmarked"] == len(runs) // 2
    # Table 4 shares its baseline, magnet and Latent Boost runs with Tables 2-3: they count in
    # each table, once in "all runs".
    assert rows[("digits", "table4")]["runs"] == 8
    assert everything["gpu_hours"] < sum(
        r["gpu_hours"] for (e, t), r in rows.items() if t != "all runs"
    )


def test_gpus_per_job_scales(config, tmp_path):
    for run in enumerate_runs(config):
        _write_benchmark(tmp_path, run, 1800.0)
    module = _module()
    one = {r["table"]: r["gpu_hours"] for r in module.cost_table(config, tmp_path, 1.0)}
    two = {r["table"]: r["gpu_hours"] for r in module.cost_table(config, tmp_path, 2.0)}
    assert two == {table: pytest.approx(2 * hours) for table, hours in one.items()}
    assert one["all runs"] == pytest.approx(0.5 * len(enumerate_runs(config)))


def test_command_line(config, tmp_path):
    for run in enumerate_runs(config)[:3]:
        _write_benchmark(tmp_path, run, 360.0)
    out_csv = tmp_path / "cost.csv"
    proc = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--configfile",
            str(ROOT / "configs" / "test.yaml"),
            "--results",
            str(tmp_path),
            "--csv",
            str(out_csv),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].split() == _module().COLUMNS
    assert out_csv.read_text().splitlines()[0] == ",".join(_module().COLUMNS)


def test_no_benchmarks_is_a_one_line_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--configfile", str(ROOT / "configs" / "test.yaml")]
        + ["--results", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines() == [
        f"{tmp_path}/benchmarks/train: no benchmark files (run the workflow first)"
    ]
