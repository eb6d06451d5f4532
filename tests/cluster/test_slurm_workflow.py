"""The tiny workflow through profiles/slurm-test on a real, local SLURM.

Needs a one-node SLURM on this machine (`bash .ci/slurm-up.sh`, as root) and
``LB_TEST_SLURM=1``; .ci/run does both. Without the variable the tests are skipped; with it and
no answering cluster they fail. The config is configs/test.yaml cut to one seed and two runs
(baseline, Latent Boost), targets the tables (training, grouped silhouettes, aggregation).

What is checked:
- a training job made to fail (``LB_INJECT_NONFINITE`` in Snakemake's environment, which must
  reach the SLURM job) is reported as failed and resubmitted (profile ``retries: 1``), both
  attempts FAILED in SLURM, and its checkpoint survives;
- the next run (the killed job coming back, as after a preemption) resumes it from that
  checkpoint;
- every job of that run is submitted with sbatch and runs inside SLURM: each submission the
  Snakemake log reports has a SLURM job record (slurmctld's job-completion log, squeue) with the
  run's name and state COMPLETED, and a plugin job log showing the rule ran in that job;
- the outputs exist and hold the same numbers as a local (no-SLURM) run of the same config,
  the resumed run's included.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from lb.workflow.runs import format_lam

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "configs" / "test.yaml"
RUN_PATTERN = "runs/digits/{method}/lambda{lam}/seed0"
PROFILE = ROOT / "profiles" / "slurm-test"
TIMEOUT_S = 600
# Columns/keys that measure time or place, not results.
VOLATILE_METRICS = {"wall_seconds"}
VOLATILE_HISTORY = {"seconds"}
VOLATILE_RUNS_CSV = {"wall_seconds"}

pytestmark = [pytest.mark.slurm, pytest.mark.slow, pytest.mark.timeout(1800)]


# ---- the cluster -------------------------------------------------------------------------------


def _scontrol_config() -> dict[str, str]:
    out = subprocess.run(
        ["scontrol", "show", "config"], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    config = {}
    for line in out.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            config[key.strip()] = value.strip()
    return config


@pytest.fixture(scope="module")
def slurm() -> dict[str, str]:
    if os.environ.get("LB_TEST_SLURM") != "1":
        pytest.skip("needs a local SLURM: `bash .ci/slurm-up.sh` (root), then LB_TEST_SLURM=1")
    if shutil.which("sinfo") is None:
        pytest.fail("LB_TEST_SLURM=1 but `sinfo` is not installed (apt-get install slurm-wlm)")
    info = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, timeout=30)
    states = info.stdout.split()
    if info.returncode != 0 or not any(s.startswith(("idle", "mix", "alloc")) for s in states):
        pytest.fail(
            f"LB_TEST_SLURM=1 but no usable SLURM node (sinfo: {info.stdout.strip()!r} "
            f"{info.stderr.strip()!r}); start one with `bash .ci/slurm-up.sh`"
        )
    config = _scontrol_config()
    jobcomp = config.get("JobCompLoc", "")
    if config.get("JobCompType") != "jobcomp/filetxt" or not jobcomp:
        pytest.fail("the test cluster must log finished jobs (JobCompType=jobcomp/filetxt)")
    return {"jobcomp": jobcomp, "min_job_age": config.get("MinJobAge", "")}


def _jobcomp_records(path: str) -> dict[str, dict[str, str]]:
    """slurmctld's job-completion log: JobId -> {key: value} (the last record of each job)."""
    records: dict[str, dict[str, str]] = {}
    if not Path(path).exists():
        return records
    for line in Path(path).read_text().splitlines():
        fields = dict(re.findall(r"(\w+)=(\S*)", line))
        if "JobId" in fields:
            records[fields["JobId"]] = fields
    return records


def _squeue_states(run_id: str) -> dict[str, str]:
    out = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--format=%i|%T", "--name", run_id],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    return dict(line.split("|", 1) for line in out.split())


# ---- running snakemake -------------------------------------------------------------------------


def _snakemake(args: list[str], log: Path, env: dict[str, str] | None = None) -> int:
    """Run snakemake from the project directory under `timeout -s INT`; output goes to `log`.
    Targets go first in `args` (--config and --configfile take every word after them)."""
    cmd = ["timeout", "-s", "INT", str(TIMEOUT_S), sys.executable, "-m", "snakemake", *args]
    with log.open("w") as out:
        proc = subprocess.run(
            cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    return proc.returncode


def _common_args(config: Path, results: Path) -> list[str]:
    return ["--configfile", str(config), "--config", f"results_dir={results}"]


def _slurm_args(config: Path, results: Path, logdir: Path) -> list[str]:
    return [
        *_common_args(config, results),
        "--profile",
        str(PROFILE),
        "--slurm-logdir",
        str(logdir),
    ]


def _tables(results: Path) -> list[str]:
    """The targets of the comparison runs: every training run, its silhouette and the tables
    (figures and the report add CPU jobs of the same kind and are tested elsewhere)."""
    return [str(results / "tables" / "runs.csv"), str(results / "tables" / "summary.csv")]


def _submissions(log_text: str) -> list[tuple[str, str]]:
    """(SLURM job id, plugin log path) of every submission Snakemake reported."""
    return re.findall(r"submitted with SLURM jobid (\d+) \(log: ([^)]+)\)", log_text)


def _run_id(log_text: str) -> str:
    found = re.findall(r"SLURM run ID: (\S+)", log_text)
    assert len(found) == 1, "expected one 'SLURM run ID' line in the Snakemake log"
    return found[0]


def _tail(path: Path, n: int = 60) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-n:])


# ---- comparing results -------------------------------------------------------------------------


def _run_dirs(results: Path) -> list[Path]:
    return sorted(p.parent.relative_to(results) for p in results.glob("runs/**/metrics.json"))


def _assert_same_run(a: Path, b: Path) -> None:
    ma = json.loads((a / "metrics.json").read_text())
    mb = json.loads((b / "metrics.json").read_text())
    assert ma.keys() == mb.keys()
    for key in ma.keys() - VOLATILE_METRICS:
        assert ma[key] == mb[key], f"{a.name}: metrics.json[{key!r}] {ma[key]!r} != {mb[key]!r}"
    ha, hb = pd.read_csv(a / "history.csv"), pd.read_csv(b / "history.csv")
    keep = [c for c in ha.columns if c not in VOLATILE_HISTORY]
    pd.testing.assert_frame_equal(ha[keep], hb[keep], check_exact=True)
    with np.load(a / "test_outputs.npz") as oa, np.load(b / "test_outputs.npz") as ob:
        assert sorted(oa.files) == sorted(ob.files)
        for name in oa.files:
            np.testing.assert_array_equal(oa[name], ob[name], err_msg=f"{a}: {name}")
    if (a / "silhouette.json").exists() and (b / "silhouette.json").exists():
        assert json.loads((a / "silhouette.json").read_text()) == json.loads(
            (b / "silhouette.json").read_text()
        )


# ---- fixtures: the config, one local run, one SLURM run with a failed job ---------------------


@pytest.fixture(scope="module")
def config(slurm, tmp_path_factory) -> Path:
    """configs/test.yaml cut to one seed and two runs (baseline, Latent Boost): every kind of
    job the tables need, in a few SLURM jobs."""
    cfg = yaml.safe_load(CONFIG.read_text())
    cfg["seeds"] = [0]
    lam = cfg["experiments"]["digits"]["best_lambda"]
    cfg["tables"] = {
        "table2": {"baseline": [0]},
        "table3": {"latent_boost": [lam]},
        "table4": ["baseline", "latent_boost"],
        "table5": ["baseline", "latent_boost"],
    }
    cfg["ablation"] = {"enabled": False}
    path = tmp_path_factory.mktemp("config") / "slurm-test.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return path


@pytest.fixture(scope="module")
def local_run(config, tmp_path_factory) -> Path:
    results = tmp_path_factory.mktemp("local") / "results"
    log = results.parent / "snakemake.log"
    rc = _snakemake([*_tables(results), "--cores", "2", *_common_args(config, results)], log)
    assert rc == 0, f"local run failed (exit {rc}):\n{_tail(log)}"
    assert len(_run_dirs(results)) == 2, "the local run did not train the config's two runs"
    return results


@pytest.fixture(scope="module")
def slurm_run(config, tmp_path_factory) -> dict:
    """Two SLURM runs into one results directory, as after a preemption:

    1. the Latent Boost run alone with ``LB_INJECT_NONFINITE`` in Snakemake's environment (a
       non-finite loss at epoch 2, batch 1, after epoch 1's checkpoint): the job fails, is
       resubmitted (profile ``retries: 1``), fails again, and Snakemake exits non-zero;
    2. the whole tables target without the fault: the failed run resumes from its checkpoint,
       the other trains from scratch.
    """
    base = tmp_path_factory.mktemp("slurm")
    results = base / "results"
    failed = RUN_PATTERN.format(method="latent_boost", lam=_lam(config))
    fail_log, main_log = base / "fail.log", base / "main.log"
    fail_rc = _snakemake(
        [str(results / failed / "metrics.json"), *_slurm_args(config, results, base / "logs1")],
        fail_log,
        env={"LB_INJECT_NONFINITE": "2:1:ce"},
    )
    fail_text = fail_log.read_text(errors="replace")
    fail_state = {
        "checkpoint": (results / "checkpoints" / failed.removeprefix("runs/")).with_suffix(".pt"),
        "rule_log": results / "logs" / "train" / f"{failed.removeprefix('runs/')}.log",
    }
    fail_state = {
        name: path.read_bytes() if path.is_file() else None for name, path in fail_state.items()
    }
    main_rc = _snakemake(
        [*_tables(results), *_slurm_args(config, results, base / "logs2")], main_log
    )
    main_text = main_log.read_text(errors="replace")
    assert main_rc == 0, f"SLURM run failed (exit {main_rc}):\n{_tail(main_log)}"
    return {
        "results": results,
        "failed_run": Path(failed),
        "fail": {"rc": fail_rc, "log": fail_text, "logdir": base / "logs1", **fail_state},
        "main": {"log": main_text, "run_id": _run_id(main_text), "logdir": base / "logs2"},
    }


def _lam(config: Path) -> str:
    return format_lam(yaml.safe_load(config.read_text())["experiments"]["digits"]["best_lambda"])


# ---- tests -------------------------------------------------------------------------------------


def test_every_job_went_through_sbatch(slurm, slurm_run):
    run = slurm_run["main"]
    text = run["log"]
    submissions = _submissions(text)
    assert submissions, "Snakemake reported no SLURM submission"
    ids = [job_id for job_id, _ in submissions]
    assert len(set(ids)) == len(ids), "a SLURM job id was reported twice"

    # Every finished job ran in a submitted SLURM job: one per rule job, one per group job.
    finished = re.findall(r"Finished jobid: \d+ \(Rule: (\w+)\)", text)
    by_log_dir: dict[str, int] = {}
    for _, plugin_log in submissions:
        kind = Path(plugin_log).relative_to(run["logdir"]).parts[0]
        by_log_dir[kind] = by_log_dir.get(kind, 0) + 1
    n_runs = len(_run_dirs(slurm_run["results"]))
    assert n_runs == 2
    assert finished.count("train") == n_runs
    assert by_log_dir.get("rule_train") == n_runs, by_log_dir
    # The profile's group: the runs' silhouettes (up to 25) share one SLURM job.
    assert finished.count("silhouette") == n_runs
    assert "rule_silhouette" not in by_log_dir
    groups = sum(n for kind, n in by_log_dir.items() if kind.startswith("group_evaluation"))
    assert groups == 1, by_log_dir
    local_rules = set(re.findall(r"^\s*localrule (\w+):", text, re.M))
    ungrouped = [r for r in finished if r not in ("train", "silhouette", *local_rules)]
    for rule in set(ungrouped):
        assert by_log_dir.get(f"rule_{rule}") == ungrouped.count(rule), (rule, by_log_dir)
    assert sum(by_log_dir.values()) == len(submissions)

    records = _jobcomp_records(slurm["jobcomp"])
    states = _squeue_states(run["run_id"])
    for job_id, plugin_log in submissions:
        record = records.get(job_id)
        assert record is not None, f"SLURM job {job_id} is not in {slurm['jobcomp']}"
        assert record["Name"] == run["run_id"], record
        assert record["JobState"] == "COMPLETED" and record["ExitCode"] == "0:0", record
        assert states.get(job_id) == "COMPLETED", (job_id, states)
        # The plugin's log of that job: Snakemake's job step ran the rule inside SLURM.
        path = Path(plugin_log)
        assert path.is_file(), f"no plugin log for SLURM job {job_id}: {path}"
        body = path.read_text(errors="replace")
        assert re.search(r"^(localrule|rule) \w+:", body, re.M), f"{path}:\n{body[-2000:]}"


def test_failed_job_is_reported_and_retried(slurm, slurm_run):
    fail = slurm_run["fail"]
    text = fail["log"]
    assert fail["rc"] != 0, "the run with an injected fault succeeded"
    submissions = _submissions(text)
    assert len(submissions) == 2, f"expected the job and one retry, got {submissions}"
    # Snakemake's own words: the failure of each SLURM job (below) and one resubmission.
    assert len(re.findall(r"^Trying to restart job \d+", text, re.M)) == 1, text[-3000:]
    records = _jobcomp_records(slurm["jobcomp"])
    for job_id, plugin_log in submissions:
        assert records[job_id]["JobState"] == "FAILED", records[job_id]
        assert records[job_id]["ExitCode"] != "0:0", records[job_id]
        assert re.search(rf"SLURM-job '{job_id}' failed", text), f"failure of {job_id} not reported"
        assert "/rule_train/" in plugin_log, plugin_log
        # The variable reached the job: the trainer names it in its error.
        body = Path(plugin_log).read_text(errors="replace")
        assert "LB_INJECT_NONFINITE" in body, f"{plugin_log}:\n{body[-2000:]}"
    # The checkpoint survived the failed jobs. Snakemake clears a rule's log before each attempt;
    # the job copies the earlier attempts back in (lb.training.run_log), so the log shows both:
    # the first attempt's epoch 1 and error, then the retry, which resumed from epoch 1's
    # checkpoint and failed again.
    assert fail["checkpoint"] is not None, "the checkpoint of the failed job is gone"
    log = (fail["rule_log"] or b"").decode()
    first, _, last_attempt = log.partition("--- a new attempt")
    assert re.search(r"\] epoch 1/", first) and "NonFiniteLossError" in first, log
    assert re.search(r"resuming from .*\(epoch 1\)", last_attempt), log
    assert "NonFiniteLossError" in last_attempt, log


def test_killed_job_resumes_in_slurm(slurm_run):
    """The next run (a preempted job coming back) resumed the failed run from its checkpoint."""
    stem = slurm_run["failed_run"].relative_to("runs")
    log = (slurm_run["results"] / "logs" / "train" / f"{stem}.log").read_text()
    last_attempt = log.rpartition("--- a new attempt")[2]  # earlier attempts come first
    assert re.search(r"resuming from .*\(epoch 1\)", last_attempt), log
    assert "NonFiniteLossError" not in last_attempt, log
    assert log.count("--- a new attempt") == 2, log  # the two failed attempts, then this one


def test_slurm_outputs_match_a_local_run(local_run, slurm_run):
    """Same files, same numbers (the resumed run included) as a local run without SLURM."""
    results = slurm_run["results"]
    local_files = sorted(str(p.relative_to(local_run)) for p in local_run.rglob("*") if p.is_file())
    slurm_files = sorted(str(p.relative_to(results)) for p in results.rglob("*") if p.is_file())
    assert slurm_files == local_files
    runs = _run_dirs(local_run)
    assert runs == _run_dirs(results)
    assert slurm_run["failed_run"] in runs
    for run in runs:
        _assert_same_run(local_run / run, results / run)
    local_csv = pd.read_csv(local_run / "tables" / "runs.csv")
    slurm_csv = pd.read_csv(results / "tables" / "runs.csv")
    keep = [c for c in local_csv.columns if c not in VOLATILE_RUNS_CSV]
    pd.testing.assert_frame_equal(local_csv[keep], slurm_csv[keep], check_exact=True)
