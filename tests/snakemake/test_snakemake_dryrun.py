"""The paper's grid dry-runs to 390 training jobs (375 without the ablation), and the workflow
files pass `snakemake --lint` and `snakefmt --check`. The dry-run time is printed (run pytest
with -s to see it); it is measured, not asserted."""

import re
import subprocess
import time

import pytest
from helpers import BIN, REPO, snakemake


def job_counts(stdout: str) -> dict[str, int]:
    block = stdout.split("Job stats:", 1)[1].split("\n\n", 1)[0]
    return {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)$", block, re.M)}


@pytest.mark.parametrize(
    "extra, train_jobs",
    [((), 390), (("--config", "ablation={enabled: false}"), 375)],
    ids=["with-ablation", "without-ablation"],
)
def test_paper_grid_dry_run(tmp_path, empty_data_root, extra, train_jobs):
    args = ["-n", "--quiet", "rules", "-s", str(REPO / "Snakefile"), "-d", str(tmp_path)]
    start = time.perf_counter()
    proc = snakemake(tmp_path, *args, *extra, env=empty_data_root)
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    counts = job_counts(proc.stdout + proc.stderr)
    assert counts["train"] == train_jobs
    assert counts["silhouette"] == train_jobs
    assert counts["aggregate"] == 1
    print(f"\ndry run of config.yaml ({train_jobs} training jobs): {seconds:.2f} s")


@pytest.mark.parametrize(
    "config",
    [
        "config.yaml",
        "configs/demo.yaml",
        "configs/test.yaml",
        "configs/paper_fmnist.yaml",
        "configs/paper_fmnist_etotal_max.yaml",
    ],
)
def test_snakemake_lint(tmp_path, empty_data_root, config):
    args = ["--lint", "-s", str(REPO / "Snakefile"), "-d", str(tmp_path)]
    proc = snakemake(tmp_path, *args, "--configfile", str(REPO / config), env=empty_data_root)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_snakefmt_check():
    proc = subprocess.run(
        [str(BIN / "snakefmt"), "--check", "Snakefile", "rules/"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_file_of_the_workflow_is_a_target_of_all(tmp_path, empty_data_root):
    """Snakemake regenerates a missing file only when it is requested (a target of `rule all`)
    or an input of a job that runs anyway; a deleted intermediate file whose consumers are up to
    date is not noticed. So every output of every job `all` needs is itself an input of `all`
    (with the triplet-VAE study on, so its files are checked too)."""
    args = ["-n", "--forceall", "-s", str(REPO / "Snakefile"), "-d", str(tmp_path)]
    args += ["--configfile", str(REPO / "configs/test.yaml"), "--config", "vae={enabled: true}"]
    proc = snakemake(tmp_path, *args, env=empty_data_root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    outputs: dict[str, set[str]] = {}
    targets: set[str] = set()
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", proc.stdout):
        head = re.match(r"(?:local)?rule (\w+):", block)
        if not head:
            continue
        files = {
            key: set(re.search(rf"^\s+{key}: (.*)$", block, re.M).group(1).split(", "))
            for key in ("input", "output")
            if re.search(rf"^\s+{key}: ", block, re.M)
        }
        if head.group(1) == "all":
            targets = files["input"]
        else:
            outputs.setdefault(head.group(1), set()).update(files["output"])
    assert {"train", "silhouette", "render_report", "vae_cnn", "vae_context"} <= set(outputs)
    missing = {rule: sorted(files - targets)[:3] for rule, files in outputs.items()}
    assert {rule: files for rule, files in missing.items() if files} == {}


def test_every_script_rule_has_the_code_version_of_its_own_script():
    """A rule's params.code is what reruns its jobs after a library edit: every rule with a
    script: has one, computed from that same script (a copied rule could name another)."""
    scripts = 0
    for smk in sorted((REPO / "rules").glob("*.smk")):
        for rule in re.split(r"\n(?=(?:    )?rule\b)", smk.read_text()):
            script = re.search(r'script:\n\s+"\.\./workflow_scripts/(\w+\.py)"', rule)
            if script:
                scripts += 1
                codes = re.findall(r'code=library_code\("(\w+\.py)"\)', rule)
                assert codes == [script.group(1)], (smk.name, script.group(1), codes)
    assert scripts == len(list((REPO / "workflow_scripts").glob("*.py")))
