"""lb.report.publish without a workflow run: its one-line refusal and its helpers."""

import subprocess
import sys

import pandas as pd

from lb.report import publish


def test_refuses_results_without_a_report(tmp_path):
    (tmp_path / "cfg.yaml").write_text("seeds: [0]\n")
    cmd = [sys.executable, "-m", "lb.report.publish", "--results", str(tmp_path / "results")]
    cmd += ["--config", str(tmp_path / "cfg.yaml"), "--out", str(tmp_path / "out")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "report.html: not found; run the workflow" in lines[0]
    assert not (tmp_path / "out").exists()


def test_compute_table_from_benchmark_files(tmp_path):
    bench = tmp_path / "benchmarks" / "train" / "digits"
    bench.mkdir(parents=True)
    header = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
    (bench / "a.tsv").write_text(header + "12.5\t0:00:12\t300.1\t1\t1\t1\t0\t0\t90\t11.0\n")
    (tmp_path / "benchmarks" / "report.tsv").write_text(
        header + "1.0\t0:00:01\t-\t-\t-\t-\t-\t-\t-\t-\n"
    )
    table = publish.compute_table(tmp_path)
    assert list(table.job) == ["report", "train/digits/a"]
    assert list(table.rule_family) == ["report", "train"]
    assert table.seconds.tolist() == [1.0, 12.5]
    assert pd.isna(table.cpu_seconds[0]) and table.cpu_seconds[1] == 11.0


def test_installed_packages_lists_torch():
    text = publish.installed_packages()
    assert text.endswith("\n") and any(line.startswith("torch==") for line in text.splitlines())
