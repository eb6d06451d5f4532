"""After any sequence of edits and reruns, the results folder equals a clean run of the final
config: tested through Snakemake for real (no dry runs), on a config smaller than
configs/test.yaml (digits, one seed, baseline and Latent Boost, 1000 training images: an epoch
lasts long enough, ~0.2 s, for the Ctrl-C of step 2 to land while a job trains).

The sequence, each step a real `snakemake` run in one workflow copy:

0. the first config;
1. a training setting changed (`max_epochs` 2 -> 3) while Latent Boost hits a NaN in its last
   epoch (`LB_INJECT_NONFINITE`) with `--retries 1`: both attempts fail, the run's checkpoint of
   epoch 2 stays, the rule's log keeps both attempts;
2. a loss setting changed (`alpha0`), a seed added, a λ added and a report template edited; the
   run is interrupted with Ctrl-C (SIGINT to the process group, as a terminal sends it) once a
   training job has finished an epoch, then run again: the failed run's checkpoint is stale
   (other `loss_params`), so that run starts afresh and says so. The run after the Ctrl-C has
   `--rerun-incomplete`, as Snakemake asks: a Ctrl-C in the instant a job finishes leaves its
   complete output marked incomplete (Snakemake's scheduler stops before recording it), and a
   plain rerun then stops naming that file;
3. one run's outputs deleted, a figure deleted, the seed removed again, a method removed
   from a table and a setting changed that changes no number (`resources.runtime`).

The same final config runs once in a fresh copy of the workflow (with the same template edit;
started in the background when the sequence starts), and everything a reader sees is compared:
tables/runs.csv (wall-clock column aside), summary.csv, claims.csv, every figure's data,
provenance.json (date and paths aside), the report's HTML (date, paths and its wall-clock column
aside; the embedded figures included) and every training output of the final runs, byte for
byte (`model.pt` included).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers import (
    REPO,
    TRAIN_OUTPUTS,
    copy_workflow,
    output_text,
    snakemake,
    start_snakemake,
)
from reliability_workflow import descendants, run_files

pytestmark = pytest.mark.slow

CONFIG_NAME = "invariant.yaml"
LB_RUN = "digits/latent_boost/lambda0.5/seed0"
TEMPLATE_EDIT = "<p>A sentence added to a template between two runs.</p>\n"


def first_config() -> dict:
    cfg = yaml.safe_load((REPO / "configs" / "test.yaml").read_text())
    cfg["seeds"] = [0]
    cfg["training"].update(max_epochs=2, train_limit=1000, test_limit=100)
    cfg["tables"] = {
        "table2": {"baseline": [0]},
        "table3": {"latent_boost": [0.5]},
        "table4": ["baseline", "latent_boost"],
        "table5": ["baseline", "latent_boost"],
    }
    cfg["ablation"] = {"enabled": False}
    return cfg


def step1(cfg):
    cfg["training"]["max_epochs"] = 3


def step2(cfg):
    cfg.setdefault("losses", {}).setdefault("latent_boost", {})["alpha0"] = 2.0
    cfg["seeds"] = [0, 1]
    cfg["tables"]["table3"]["latent_boost"] = [0.5, 0.25]


def step3(cfg):
    cfg["seeds"] = [0]
    cfg["tables"]["table5"] = ["baseline"]
    cfg["resources"]["runtime"] = 7  # changes no number, but the report names the config's hash


def write_config(workdir: Path, cfg: dict) -> None:
    (workdir / CONFIG_NAME).write_text(yaml.safe_dump(cfg, sort_keys=False))


def edit_template(workdir: Path) -> None:
    template = workdir / "report" / "templates" / "_runs.html.j2"
    template.write_text(template.read_text() + TEMPLATE_EDIT)


def run(workdir: Path, *args: str, env=None, ok=True):
    proc = snakemake(workdir, "--cores", "2", *args, "--configfile", CONFIG_NAME, env=env)
    if ok:
        assert proc.returncode == 0, output_text(proc)[-4000:]
    return proc


def interrupt_when_an_epoch_is_done(workdir: Path, timeout: float = 900) -> str:
    """Start `snakemake`, send SIGINT to its process group (snakemake and its jobs, as Ctrl-C in
    a terminal does) once a training log shows a finished epoch; its output."""
    proc = start_snakemake(
        workdir,
        "--cores",
        "2",
        "--configfile",
        CONFIG_NAME,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + timeout
    try:
        while not _training_under_way(workdir, proc.pid):
            assert proc.poll() is None, "snakemake ended before any epoch was done"
            assert time.monotonic() < deadline, "no training epoch within the timeout"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode != 0
    return out


def final_config() -> dict:
    cfg = first_config()
    for step in (step1, step2, step3):
        step(cfg)
    return cfg


def start_fresh_run(workdir: Path) -> subprocess.Popen:
    """The final config in a fresh copy of the workflow (same template edit), started in the
    background: it shares nothing with the edited copy, and the sequence's serial phases
    (aggregation, report) leave a core idle."""
    copy_workflow(workdir)
    edit_template(workdir)
    write_config(workdir, final_config())
    return start_snakemake(
        workdir,
        "--cores",
        "2",
        "--configfile",
        CONFIG_NAME,
        stdout=(workdir / "snakemake.out").open("w"),
        stderr=subprocess.STDOUT,
    )


def _training_under_way(workdir: Path, snakemake_pid: int) -> bool:
    """A run new in this step has finished an epoch, a training job is running, and every
    training job running now has started writing its log. Before that a job is in Snakemake's
    script preamble (it imports snakemake before the script's first line), where a Ctrl-C still
    ends in Python's traceback; see docs/reliability.md. After the last training job no job
    runs and no log is in progress: that is not "under way" (a Ctrl-C then finds Snakemake
    done, or rendering the report)."""
    logs = workdir / "results" / "logs" / "train"
    new_runs = [*logs.rglob("seed1.log"), *logs.rglob("lambda0.25/*.log")]
    if not any(re.search(r"\] epoch \d+/3 ", p.read_text(errors="replace")) for p in new_runs):
        return False
    jobs = 0
    for pid in descendants(snakemake_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        jobs += b"python" in cmdline.split(b"\0")[0] and b".train.py" in cmdline
    in_progress = 0
    for log in logs.rglob("*.log"):
        text = log.read_text(errors="replace")
        last_attempt = text.rpartition("--- a new attempt")[2]
        in_progress += bool(text) and not re.search(r"\] done: |Error: ", last_attempt)
    return jobs >= 1 and jobs == in_progress


@pytest.fixture(scope="module")
def sequence(tmp_path_factory):
    """The edited workflow copy after the whole sequence, what was seen on the way, and the
    fresh run of the final config."""
    fresh_dir = tmp_path_factory.mktemp("fresh")
    fresh_run = start_fresh_run(fresh_dir)
    try:
        edited = _edit_and_rerun(copy_workflow(tmp_path_factory.mktemp("edited")))
    finally:
        fresh_rc = fresh_run.wait(timeout=3600)
    assert fresh_rc == 0, (fresh_dir / "snakemake.out").read_text()[-4000:]
    return (*edited, fresh_dir)


def _edit_and_rerun(workdir: Path):
    results = workdir / "results"
    seen = {}
    cfg = first_config()
    write_config(workdir, cfg)
    run(workdir)  # 0

    step1(cfg)  # 1
    write_config(workdir, cfg)
    seen["step1"] = run(
        workdir, "--keep-going", "--retries", "1", env={"LB_INJECT_NONFINITE": "3:1:dist"}, ok=False
    )
    seen["checkpoint_after_step1"] = (results / "checkpoints" / f"{LB_RUN}.pt").is_file()
    seen["log_after_step1"] = (results / "logs" / "train" / f"{LB_RUN}.log").read_text()

    step2(cfg)  # 2
    write_config(workdir, cfg)
    edit_template(workdir)
    seen["interrupted"] = interrupt_when_an_epoch_is_done(workdir)
    run(workdir, "--rerun-incomplete")
    seen["log_after_step2"] = (results / "logs" / "train" / f"{LB_RUN}.log").read_text()

    step3(cfg)  # 3
    write_config(workdir, cfg)
    shutil.rmtree(results / "runs" / "digits" / "latent_boost" / "lambda0.25" / "seed0")
    (results / "figures" / "learning_curves.png").unlink()
    run(workdir)
    seen["final_dry_run"] = snakemake(workdir, "-n", "--configfile", CONFIG_NAME)
    assert cfg == final_config()
    return workdir, cfg, seen


@pytest.fixture(scope="module")
def fresh(sequence):
    return sequence[3]


def test_a_retried_job_keeps_every_attempt_in_its_log(sequence):
    _, _, seen, _ = sequence
    assert seen["step1"].returncode != 0
    log = seen["log_after_step1"]
    # attempt 1 trained epochs 1-2 and failed in 3; attempt 2 resumed from epoch 2, failed again
    assert log.count("NonFiniteLossError") == 2, log
    assert re.search(r"\] epoch 1/3 ", log) and re.search(r"\] epoch 2/3 ", log), log
    assert "--- a new attempt" in log and re.search(r"resuming from .*\(epoch 2\)", log), log
    assert seen["checkpoint_after_step1"]


def test_ctrl_c_is_one_line_per_job(sequence):
    _, _, seen, _ = sequence
    out = seen["interrupted"]
    lines = [line for line in out.splitlines() if "interrupted" in line]
    assert lines, out[-3000:]
    assert all(re.fullmatch(r"\[digits/\S+ lam=\S+ seed=\d\] interrupted .*", ln) for ln in lines)
    assert "Traceback" not in out and "KeyboardInterrupt" not in out, out[-3000:]


def test_a_stale_checkpoint_starts_its_run_afresh_and_says_why(sequence):
    workdir, _, seen, _ = sequence
    log = seen["log_after_step2"]
    afresh = re.search(r"settings changed since checkpoint .*; deleted it, starting afresh", log)
    assert afresh and "loss_params" in afresh.group(0) and "alpha0" in afresh.group(0), log
    # nothing is left to resume: every run finished, its checkpoint and attempt log deleted
    left = [p for p in (workdir / "results" / "checkpoints").rglob("*") if p.is_file()]
    assert left == []


def test_after_the_sequence_nothing_is_left_to_do(sequence):
    _, _, seen, _ = sequence
    proc = seen["final_dry_run"]
    assert proc.returncode == 0 and "Nothing to be done" in output_text(proc)


def test_tables_and_claims_equal_a_fresh_run(sequence, fresh):
    edited = sequence[0] / "results"
    runs_a = pd.read_csv(edited / "tables" / "runs.csv").drop(columns="wall_seconds")
    runs_b = pd.read_csv(fresh / "results" / "tables" / "runs.csv").drop(columns="wall_seconds")
    assert len(runs_b) == 3
    pd.testing.assert_frame_equal(runs_a, runs_b, check_exact=True)
    for name in ("tables/summary.csv", "report/claims.csv"):
        assert (edited / name).read_text() == (fresh / "results" / name).read_text(), name
    figure_data = sorted(p.name for p in (fresh / "results" / "figures").glob("*.csv"))
    assert len(figure_data) == 5
    for name in figure_data:
        a = (edited / "figures" / name).read_text()
        assert a == (fresh / "results" / "figures" / name).read_text(), name


def test_the_training_outputs_equal_a_fresh_run_byte_for_byte(sequence, fresh):
    edited = sequence[0] / "results"
    runs = pd.read_csv(fresh / "results" / "tables" / "runs.csv").run_dir
    for run_dir in runs:
        a, b = edited / run_dir, fresh / "results" / run_dir
        assert run_files(a) == run_files(b), run_dir
        for name in ("model.pt", "test_outputs.npz"):
            assert (a / name).read_bytes() == (b / name).read_bytes(), (run_dir, name)
        assert set(TRAIN_OUTPUTS) <= {p.name for p in a.iterdir()}


def test_the_report_equals_a_fresh_run(sequence, fresh):
    edited_dir, fresh_dir = sequence[0], fresh

    def normalized(workdir: Path) -> str:
        html = (workdir / "results" / "report" / "report.html").read_text()
        html = html.replace(str(workdir), "WORKDIR")
        html = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", "DATE", html)
        table = re.search(r'<table id="runs-table">.*?</table>', html, re.S).group(0)
        wall = re.sub(r"<td>[^<]*</td></tr>", "<td>WALL</td></tr>", table)  # wall time (h)
        return html.replace(table, wall)

    a, b = normalized(edited_dir), normalized(fresh_dir)
    assert TEMPLATE_EDIT.strip() in a
    assert a == b

    def provenance(workdir: Path) -> dict:
        info = json.loads((workdir / "results" / "report" / "provenance.json").read_text())
        return {k: v for k, v in info.items() if k not in ("date", "repo", "config_file")}

    assert provenance(edited_dir) == provenance(fresh_dir)
