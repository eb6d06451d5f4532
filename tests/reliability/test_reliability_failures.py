"""Reliability through Snakemake on the tiny config (configs/test.yaml), in one
workflow copy whose directory, results directory and config file have names with spaces, quotes,
``$(...)``, backticks, ``;``, ``&`` and (the config file) HTML markup. The grid is the tiny one
narrowed to baseline, Magnet and Latent Boost (6 runs):

1. Magnet, seed 0 is trained on its own (a run that succeeded before the trouble).
2. ``snakemake --keep-going`` with a NaN injected into the distance term at epoch 2, batch 1
   (``LB_INJECT_NONFINITE=2:1:dist``): the three other runs with a distance loss fail with
   epoch, batch and term named, and leave no output file (item 3); the baseline runs finish.
3. ``snakemake report_partial`` renders the report from what exists: Latent Boost's cells read
   "missing", Magnet's show seed 0's values as "n=1 of 2", nothing else is shown (item 5).
4. Plain ``snakemake`` then finishes the grid (the failed runs resume from their epoch-1
   checkpoints) and renders the full report (item 8: the names reach no shell and are escaped
   in the HTML).
"""

import html
import json
import re
from pathlib import Path

import markupsafe
import pandas as pd
import pytest
import yaml
from helpers import REPO, TRAIN_OUTPUTS, copy_workflow, output_text, snakemake
from reliability_workflow import leftover_temporaries

from lb.report.cells import mean_std_text

pytestmark = pytest.mark.slow

WORKDIR_NAME = 'it\'s a "work" dir'
# (no <...> or {...} here: Snakemake 9 reads those in a path as pathvars/wildcards, see
# docs/reliability.md; the config file's name carries the markup instead)
RESULTS_NAME = 'results it\'s "quoted" $(mkdir INJECTED1) `mkdir INJECTED2`; &amp x'
CONFIG_NAME = 'tiny "<b>" config.yaml'
INJECT = {"LB_INJECT_NONFINITE": "2:1:dist"}
SEEDS = (0, 1)
METHODS = ("baseline", "magnet", "latent_boost")
DIST_METHODS = ("magnet", "latent_boost")


def run_dir(method: str, seed: int) -> str:
    lam = "0" if method == "baseline" else "0.5"
    return f"runs/digits/{method}/lambda{lam}/seed{seed}"


FAILED = [run_dir(m, s) for m in DIST_METHODS for s in SEEDS if (m, s) != ("magnet", 0)]
SUCCEEDED = [run_dir("baseline", 0), run_dir("baseline", 1), run_dir("magnet", 0)]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("failures")
    workdir = copy_workflow(root / WORKDIR_NAME)
    config = yaml.safe_load((REPO / "configs" / "test.yaml").read_text())
    config["results_dir"] = RESULTS_NAME
    # the tiny grid narrowed to three methods (6 runs), to keep the test short
    config["tables"]["table4"] = list(METHODS)
    config["ablation"]["enabled"] = False
    (workdir / CONFIG_NAME).write_text(yaml.safe_dump(config, sort_keys=False))
    cfg = ("--configfile", CONFIG_NAME)
    results = workdir / RESULTS_NAME
    seen = {"root": root, "workdir": workdir, "results": results}

    seen["first"] = snakemake(
        workdir, f"{RESULTS_NAME}/{run_dir('magnet', 0)}/metrics.json", "--cores", "1", *cfg
    )
    seen["keep_going"] = snakemake(workdir, "--cores", "2", "--keep-going", *cfg, env=INJECT)
    seen["failed_state"] = {
        run: sorted(p.name for p in (results / run).iterdir()) if (results / run).is_dir() else []
        for run in FAILED
    }
    seen["temporaries_after_failure"] = leftover_temporaries(results)
    seen["checkpoints_after_failure"] = {
        run: (results / "checkpoints" / f"{run.removeprefix('runs/')}.pt").is_file()
        for run in FAILED
    }
    seen["failed_logs"] = {
        run: (results / "logs/train" / f"{run[5:]}.log").read_text() for run in FAILED
    }
    seen["partial"] = snakemake(workdir, "--cores", "2", "report_partial", *cfg)
    seen["full"] = snakemake(workdir, "--cores", "2", *cfg)
    return seen


def test_setup_runs(scenario):
    assert scenario["first"].returncode == 0, output_text(scenario["first"])[-3000:]


def test_nan_fails_the_jobs_naming_epoch_batch_and_term(scenario):
    proc = scenario["keep_going"]
    out = output_text(proc)
    assert proc.returncode != 0
    assert "Traceback" not in out, out[-3000:]
    lines = [line for line in out.splitlines() if "NonFiniteLossError:" in line]
    assert len(lines) == len(FAILED), out[-3000:]
    for run in FAILED:
        method, seed = run.split("/")[2], run.split("/")[-1].removeprefix("seed")
        label = f"[digits/{method} lam=0.5 seed={seed}]"
        (line,) = [line for line in lines if label in line]
        assert re.search(r"loss term 'dist' is nan at epoch 2, batch 1/\d+ \(injected", line), line
        assert line.strip() in scenario["failed_logs"][run]


def test_a_failed_job_leaves_no_output_file(scenario):
    for run, names in scenario["failed_state"].items():
        assert names == [], run  # not even the run directory's other files
    assert scenario["temporaries_after_failure"] == []
    # the resume state survives (outside the run directory) ...
    kept = scenario["checkpoints_after_failure"]
    assert all(kept.values()), kept
    # ... until the runs finish (step 4)
    for run in FAILED:
        checkpoint = scenario["results"] / "checkpoints" / f"{run.removeprefix('runs/')}.pt"
        assert not checkpoint.exists(), checkpoint


def test_keep_going_finished_the_other_runs(scenario):
    for run in SUCCEEDED:
        assert all((scenario["results"] / run / name).is_file() for name in TRAIN_OUTPUTS), run


@pytest.fixture(scope="module")
def partial(scenario):
    proc = scenario["partial"]
    assert proc.returncode == 0, output_text(proc)[-3000:]
    results = scenario["results"]
    summary = pd.read_csv(results / "tables/partial/summary.csv", dtype={"lam": str})
    page = (results / "report/report_partial.html").read_text(encoding="utf-8")
    return summary, page


def metric_of(results: Path, run: str, metric: str) -> float:
    return json.loads((results / run / "metrics.json").read_text())[metric]


def test_partial_tables_hold_only_computed_values(scenario, partial):
    summary, _ = partial
    results = scenario["results"]
    ours = summary[summary.dataset == "digits"].set_index(["table", "method", "lam", "metric"])
    assert set(ours.n_expected) == {2}
    baseline = ours.loc[("table2", "baseline", "0", "accuracy")]
    expected = sum(metric_of(results, run_dir("baseline", s), "accuracy") for s in SEEDS) / 2
    assert baseline.n == 2 and baseline["mean"] == pytest.approx(expected, abs=1e-9)
    magnet = ours.loc[("table2", "magnet", "0.5", "accuracy")]
    assert magnet.n == 1 and magnet["mean"] == metric_of(results, run_dir("magnet", 0), "accuracy")
    assert pd.isna(magnet["std"])
    for method in ("latent_boost",):
        rows = ours[ours.index.get_level_values("method") == method]
        assert len(rows) and (rows.n == 0).all() and rows["mean"].isna().all(), method
        assert rows["std"].isna().all() and rows["diff"].isna().all(), method


def cells(page: str, table_id: str) -> list[tuple[str, str]]:
    """(status, text of our value) of every cell of one report table."""
    table = re.search(rf'<table id="{table_id}".*?</table>', page, re.S)
    assert table, table_id
    found = re.findall(
        r'<td class="cell (\w+)"><span class="ours[^"]*">([^<]*)</span>', table.group(0)
    )
    return [(status, html.unescape(text)) for status, text in found]


def test_partial_report_marks_absent_cells_missing(partial):
    summary, page = partial
    assert "Partial report." in page
    table3 = cells(page, "table3")  # Latent Boost at lambda 0.5: no run finished
    digits = [c for c in table3 if c[0] != "not_run"]
    assert digits and all(c == ("missing", "missing") for c in digits), digits
    table2 = cells(page, "table2")
    assert ("missing", "missing") not in table2  # baseline complete, Magnet has seed 0
    magnet = summary[
        (summary.table == "table2") & (summary.method == "magnet") & (summary.dataset == "digits")
    ]
    for _, row in magnet.iterrows():
        text = mean_std_text(row["mean"], row["std"], row["metric"])
        assert ("partial", text) in table2, (text, table2)
    assert page.count("n=1 of 2") >= 3


def test_partial_report_invents_no_value(partial):
    """Every number shown as ours is a mean (± std) of the partial summary, n > 0."""
    summary, page = partial
    computed = {
        mean_std_text(row["mean"], row["std"], row["metric"])
        for _, row in summary[summary.n > 0].iterrows()
    }
    tables = re.findall(r'<table id="(\w+)" class="paper-table[^"]*">', page)
    assert {"table2", "table3", "table4", "table5"} <= set(tables)
    shown = [cell for table in tables for cell in cells(page, table)]
    assert shown
    for status, text in shown:
        if status in ("ok", "partial"):
            assert text in computed, (status, text)
        else:
            assert text in ("missing", "not run") and not re.search(r"\d", text)
    # Table 4's improvement (Latent Boost vs baseline) has no value when Latent Boost is missing
    table4 = re.search(r'<table id="table4".*?</table>', page, re.S).group(0)
    digits_rows = re.search(r'<th rowspan="\d+">Digits.*?(?=<th rowspan|</tbody>)', table4, re.S)
    improvements = re.findall(r'<td class="cell">([^<]*) / ', digits_rows.group(0))
    assert improvements and set(improvements) == {"—"}, improvements
    failed_listed = re.findall(r"<li><code>(runs/[^<]+)</code></li>", page)
    assert sorted(failed_listed) == sorted(FAILED)


def test_the_full_workflow_runs_with_quotes_and_spaces_in_every_name(scenario):
    proc = scenario["full"]
    assert proc.returncode == 0, output_text(proc)[-3000:]
    results = scenario["results"]
    runs = pd.read_csv(results / "tables/runs.csv")
    assert len(runs) == 2 * len(METHODS) and runs.accuracy.notna().all()
    assert (results / "report/report.html").stat().st_size > 0
    # no shell ever saw the names: nothing ran their $(...) or backticks
    assert not list(scenario["root"].rglob("INJECTED*"))
    assert leftover_temporaries(results) == []


def test_names_are_escaped_in_the_report(scenario):
    if scenario["full"].returncode != 0:
        pytest.skip("the full run failed (see the test above)")
    page = (scenario["results"] / "report/report.html").read_text(encoding="utf-8")
    assert str(markupsafe.escape(CONFIG_NAME)) in page  # tiny &#34;&lt;b&gt;&#34; config.yaml
    assert "<b>" not in page
