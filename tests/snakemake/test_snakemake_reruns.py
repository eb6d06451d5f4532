"""The tiny workflow (configs/test.yaml) end to end, then what a re-run redoes and the
partial report after a failed run.

One module fixture copies the workflow into a temporary directory and runs it once with
`snakemake --cores 2`; the tests then ask Snakemake (mostly dry runs) what it would redo:

- the rules and scripts the report names beside its tables and figures exist;
- a finished workflow dry-runs to nothing;
- editing a report template reruns only the report;
- editing library code reruns the jobs whose scripts import it (and what reads their outputs),
  editing only its comments or docstrings reruns nothing;
- adding a seed reruns only the new training jobs, their silhouettes and what aggregates them;
- an output Snakemake left marked incomplete (Ctrl-C in the instant its job finished) stops a
  plain rerun with Snakemake's message naming the file; `--rerun-incomplete` redoes that job
  and what reads it, no training;
- after a failed run (`--keep-going`), `snakemake report_partial` renders from the runs that
  exist and the missing cells have fewer seeds than configured, never an invented value.
"""

import json
import re
import shutil
import subprocess
import sys
from base64 import urlsafe_b64encode
from pathlib import Path

import pandas as pd
import pytest
from helpers import REPO, TEST_CONFIG, copy_workflow, snakemake

from lb.report.claims_markdown import claims_markdown

pytestmark = pytest.mark.slow


def planned_jobs(workdir: Path, *args: str) -> list[tuple[str, str]]:
    """(rule, wildcards) of every job a dry run would execute."""
    proc = snakemake(workdir, "-n", *TEST_CONFIG, *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", proc.stdout):
        head = re.match(r"(?:local)?rule (\w+):", block)
        if head:
            wildcards = re.search(r"^\s+wildcards: (.*)$", block, re.M)
            jobs.append((head.group(1), wildcards.group(1) if wildcards else ""))
    return jobs


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """The workflow copy after one complete run of configs/test.yaml."""
    workdir = copy_workflow(tmp_path_factory.mktemp("workflow"))
    proc = snakemake(workdir, "--cores", "2", *TEST_CONFIG)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return workdir


def test_tables_of_the_tiny_grid(finished):
    runs = pd.read_csv(finished / "results/tables/runs.csv")
    assert len(runs) == 10  # 5 (method, lambda) cells x 2 seeds
    assert runs[["accuracy", "micro_f1", "macro_f1", "silhouette", "epochs"]].notna().all().all()
    assert ((runs.accuracy >= 0) & (runs.accuracy <= 100)).all()
    assert (runs.micro_f1 * 100 - runs.accuracy).abs().max() < 1e-6
    summary = pd.read_csv(finished / "results/tables/summary.csv", dtype={"lam": str})
    ours = summary[summary.n_expected > 0]
    assert set(ours.dataset) == {"digits"} and (ours.n == 2).all()
    assert set(ours.table) == {"table2", "table3", "table4", "table5", "ablation"}
    not_run = summary[summary.n_expected == 0]
    assert not_run["mean"].isna().all() and not_run["paper_mean"].notna().all()
    assert (finished / "results/report/report.html").stat().st_size > 0
    for run_dir in runs.run_dir:
        assert (finished / "results" / run_dir / "silhouette.json").is_file()
    assert list((finished / "results/benchmarks/train/digits").rglob("*.tsv"))


def test_the_rules_and_scripts_the_report_names_exist(finished):
    """Beside each table and figure, and in its footer, the report names the rule and the script
    that made it: every one is a rule of this workflow and a script in it."""
    html = (finished / "results/report/report.html").read_text()
    named = re.findall(r"(Made|Rendered) by rule <code>(\w+)</code> \(<code>([^<]+)</code>\)", html)
    rules = set(snakemake(finished, "--list-rules", *TEST_CONFIG).stdout.split())
    assert ("Rendered", "render_report", "workflow_scripts/report.py") in named, named
    assert {rule for _, rule, _ in named} >= {"aggregate", "figure3", "render_report"}, named
    for _, rule, script in named:
        assert rule in rules, (rule, sorted(rules))
        assert (finished / script).is_file(), script


def test_finished_workflow_dry_runs_to_nothing(finished):
    proc = snakemake(finished, "-n", *TEST_CONFIG)
    assert proc.returncode == 0
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_editing_a_report_template_reruns_only_the_report(finished):
    template = sorted((finished / "report/templates").glob("*.j2"))[0]
    original = template.read_text()
    try:
        template.write_text(original + "{# an edit #}\n")
        rules = {rule for rule, _ in planned_jobs(finished)}
    finally:
        template.write_text(original)
    report_rules = {r for r in rules if "report" in r}
    assert report_rules, rules
    assert rules <= report_rules | {"all"}, rules


def test_editing_library_code_reruns_the_jobs_that_import_it(finished):
    """The jobs import lb from the workflow's folder when it has one (common.smk puts it first
    on PYTHONPATH), so a copy of lb/ there is the code Snakemake hashes and the jobs run."""
    library = finished / "lb"
    shutil.copytree(REPO / "lb", library, ignore=shutil.ignore_patterns("__pycache__"))
    try:
        assert planned_jobs(finished) == []  # the same code as the run's: nothing to redo
        cells, loss = library / "report/cells.py", library / "losses/latent_boost.py"
        cells_text, loss_text = cells.read_text(), loss.read_text()

        cells.write_text(cells_text + "\nEDITED = True\n")
        rules = {rule for rule, _ in planned_jobs(finished)}
        assert rules and rules <= {"render_report", "render_report_partial", "all"}, rules
        cells.write_text(cells_text)

        loss.write_text(f"# a comment\n{loss_text}".replace('"""', '"""Reworded. ', 1))
        assert planned_jobs(finished) == []

        loss.write_text(loss_text + "\nEDITED = True\n")
        jobs = planned_jobs(finished)
        trained = [w for rule, w in jobs if rule == "train"]
        assert len(trained) == 10, jobs  # every run: each train job imports the losses
        assert {"silhouette", "aggregate", "render_report"} <= {rule for rule, _ in jobs}
    finally:
        shutil.rmtree(library)
    assert planned_jobs(finished) == []


def test_adding_a_seed_reruns_only_the_new_runs(finished):
    jobs = planned_jobs(finished, "--config", "seeds=[0, 1, 2]")
    by_rule = {}
    for rule, wildcards in jobs:
        by_rule.setdefault(rule, []).append(wildcards)
    assert len(by_rule["train"]) == 5 and len(by_rule["silhouette"]) == 5
    assert all(w.endswith("seed=2") for w in by_rule["train"] + by_rule["silhouette"])
    assert len(by_rule["aggregate"]) == 1
    # nothing else per run: only aggregation, the figures/report that read it, and `all`
    per_run = {rule for rule, w in jobs if "seed=" in w}
    assert per_run == {"train", "silhouette"}


def test_an_output_left_incomplete_is_redone_with_rerun_incomplete(finished):
    """Snakemake marks a job's outputs incomplete when the job starts and unmarks them when it
    records the job as finished; a Ctrl-C between the two leaves a complete file marked (seen in
    CI: a silhouette job finishing as Ctrl-C arrived). The marker is written here the way
    Snakemake writes it (.snakemake/incomplete/<urlsafe base64 of the output path>)."""
    output = "results/runs/digits/latent_boost/lambda0.5/seed1/silhouette.json"
    assert (finished / output).is_file()
    marker = finished / ".snakemake" / "incomplete" / urlsafe_b64encode(output.encode()).decode()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"external_jobid": None}))
    try:
        plain = snakemake(finished, "-n", *TEST_CONFIG)
        jobs = planned_jobs(finished, "--rerun-incomplete")
    finally:
        marker.unlink()
    text = plain.stdout + plain.stderr
    assert plain.returncode != 0 and "IncompleteFilesException" in text, text[-2000:]
    assert output in text and "--rerun-incomplete" in text
    assert ("silhouette", "dataset=digits, method=latent_boost, lam=0.5, seed=1") in jobs
    assert not any(rule == "train" for rule, _ in jobs)


def test_partial_report_after_a_failed_run(finished, tmp_path):
    workdir = tmp_path / "partial"
    shutil.copytree(finished, workdir, symlinks=True)
    failed = "digits/magnet/lambda0.5/seed1"
    shutil.rmtree(workdir / "results/runs" / failed)
    assert not (workdir / f"results/checkpoints/{failed}.pt").exists()  # deleted when it finished
    # The re-run of that training fails (a NaN injected in its first distance epoch).
    proc = snakemake(
        workdir,
        "--cores",
        "2",
        "--keep-going",
        *TEST_CONFIG,
        env={"LB_INJECT_NONFINITE": "2:1:dist"},
    )
    assert proc.returncode != 0
    assert not (workdir / "results/runs" / failed / "metrics.json").exists()

    proc = snakemake(workdir, "--cores", "2", "report_partial", *TEST_CONFIG)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert (workdir / "results/report/report_partial.html").stat().st_size > 0
    runs = pd.read_csv(workdir / "results/tables/partial/runs.csv")
    assert len(runs) == 9 and failed not in " ".join(runs.run_dir)
    summary = pd.read_csv(workdir / "results/tables/partial/summary.csv", dtype={"lam": str})
    magnet = summary[(summary.method == "magnet") & (summary.dataset == "digits")]
    assert len(magnet) > 0 and (magnet.n == 1).all() and (magnet.n_expected == 2).all()
    # the mean of the one remaining seed, not a value from elsewhere
    seed0 = runs[(runs.method == "magnet")].iloc[0]
    acc = magnet[(magnet.table == "table2") & (magnet.metric == "accuracy")].iloc[0]
    assert acc["mean"] == pytest.approx(seed0.accuracy) and pd.isna(acc["std"])
    others = summary[(summary.n_expected > 0) & (summary.method != "magnet")]
    assert (others.n == 2).all()


def test_publish_the_finished_run(finished, tmp_path):
    """`python -m lb.report.publish`: the report, its claims and tidy data, no
    checkpoints; publishing again into the same folder removes what the new run did not write."""
    out = tmp_path / "published"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "stale.csv").write_text("from an earlier publication\n")
    (out / "tables" / "mine.csv").write_text("not from a publication\n")
    (out / "publish.json").write_text(json.dumps({"files": ["tables/stale.csv", "../outside"]}))
    (out / "README.md").write_text("kept\n")
    cmd = [sys.executable, "-m", "lb.report.publish", "--results", "results", "--config"]
    cmd += ["configs/test.yaml", "--out", str(out), "--wall-seconds", "12.5"]
    proc = subprocess.run(cmd, cwd=finished, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    expected = {"report.html", "claims.csv", "claims.md", "provenance.json", "config.yaml"}
    expected |= {"packages.txt", "compute.csv", "publish.json", "README.md", "tables/runs.csv"}
    expected |= {"tables/summary.csv", "tables/histories.csv", "figures/pca_dims.csv"}
    assert expected <= files, expected - files
    assert not any(f.endswith((".pt", ".npz")) for f in files) and "tables/stale.csv" not in files
    assert "tables/mine.csv" in files
    assert (out / "report.html").read_bytes() == (
        finished / "results/report/report.html"
    ).read_bytes()
    claims = pd.read_csv(out / "claims.csv")
    assert set(claims.claim) == set("abcdefg")
    assert (out / "claims.md").read_text() == claims_markdown(claims)
    digits_a = claims[(claims.claim == "a") & (claims.scope == "Digits (8×8)")].iloc[0]
    assert digits_a.verdict in ("held", "did not hold", "inconclusive")
    assert digits_a.test in ("paired t", "Welch t")
    runs = pd.read_csv(out / "tables/runs.csv")
    histories = pd.read_csv(out / "tables/histories.csv")
    assert len(histories) == sum(
        len(pd.read_csv(finished / "results" / d / "history.csv")) for d in runs.run_dir
    )
    assert set(histories.groupby(["method", "lam", "seed"]).size().index) == set(
        runs.set_index(["method", "lam", "seed"]).index
    )
    info = json.loads((out / "publish.json").read_text())
    assert info["wall_seconds"] == 12.5 and info["report_git_commit"]
    # the config as the command named it, not this machine's absolute path (a rerender from the
    # published folder names it the same way, from publish.json)
    provenance = json.loads((out / "provenance.json").read_text())
    assert provenance["config_file"] == info["config_file"] == "configs/test.yaml"
    assert str(finished) not in (out / "report.html").read_text(encoding="utf-8")
    assert set(info["files"]) == files - {"README.md", "publish.json", "tables/mine.csv"}
    assert "torch==" in (out / "packages.txt").read_text()
    assert (pd.read_csv(out / "compute.csv").seconds > 0).any()
