"""The cluster profiles as Snakemake reads them (dry runs, no cluster needed).

- profiles/slurm on the paper's grid: every training job asks for one GPU, with the site's
  partition/account/GPU model from the LB_SLURM_* variables, and runtime/memory from the
  config's per-experiment resources (ResNet-50 > VGG-16 > CNN); CPU-only rules ask for no GPU
  and go to the CPU partition; silhouettes are grouped;
- every rule the profiles name exists in the workflow (Snakemake ignores unknown names);
- profiles/local and profiles/slurm-test are accepted by Snakemake.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
SITE = {
    "LB_SLURM_PARTITION": "cpuq",
    "LB_SLURM_GPU_PARTITION": "gpuq",
    "LB_SLURM_ACCOUNT": "proj42",
    "LB_SLURM_GPU_MODEL": "a100",
}


def _dry_run(args: list[str], tmp_path: Path, env: dict[str, str]) -> str:
    """`snakemake -n` from the project directory; the printed plan."""
    data_root = tmp_path / "data"  # the grid's config wants a data folder; a dry run reads none
    data_root.mkdir(exist_ok=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LB_SLURM_")}
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--config", f"results_dir={tmp_path}/r", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**clean, "LB_DATA_ROOT": str(data_root), **env},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def _jobs(plan: str) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(rule, wildcards, resources) of every job in a dry-run plan (group members included)."""
    jobs = []
    for block in re.split(r"\n(?=\s*(?:local)?rule \w+:)", plan):
        head = re.match(r"\s*(?:local)?rule (\w+):", block)
        if not head:
            continue
        wildcards = re.search(r"^\s*wildcards: (.*)$", block, re.M)
        resources = re.search(r"^\s*resources: (.*)$", block, re.M)
        jobs.append((head.group(1), _pairs(wildcards), _pairs(resources)))
    return jobs


def _pairs(match: re.Match | None) -> dict[str, str]:
    if match is None:
        return {}
    return dict(item.split("=", 1) for item in match.group(1).split(", ") if "=" in item)


@pytest.fixture(scope="module")
def slurm_plan(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("slurm-plan")
    return _dry_run(["--profile", str(PROFILES / "slurm")], tmp, SITE)


def test_slurm_training_jobs_ask_for_one_gpu_and_config_resources(slurm_plan):
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    train = [(w, r) for rule, w, r in _jobs(slurm_plan) if rule == "train"]
    assert len(train) == 390, len(train)
    for wildcards, res in train:
        assert res["gpu"] == "1" and res["gpu_model"] == "a100", res
        assert res["slurm_partition"] == "gpuq" and res["slurm_account"] == "proj42", res
        exp = next(
            e for e in config["experiments"].values() if e["dataset"] == wildcards["dataset"]
        )
        want = {**config["resources"], **exp.get("resources", {})}
        assert int(res["runtime"]) == want["runtime"], (wildcards, res)
        assert int(res["mem_mb"]) == want["mem_mb"], (wildcards, res)
    runtime = {w["dataset"]: int(r["runtime"]) for w, r in train}
    assert runtime["cifar100"] > runtime["cifar10"] > runtime["fashion_mnist"], runtime


def test_slurm_cpu_rules_ask_for_no_gpu(slurm_plan):
    gpu_rules = {"train", "vae_cnn", "vae_train"}
    cpu_jobs = [(rule, r) for rule, _, r in _jobs(slurm_plan) if rule not in gpu_rules]
    assert {rule for rule, _ in cpu_jobs} >= {"silhouette", "aggregate"}
    for rule, res in cpu_jobs:
        if rule == "all":
            continue
        assert "gpu" not in res and "gpu_model" not in res, (rule, res)
        assert res["slurm_partition"] == "cpuq", (rule, res)


def test_slurm_vae_trainings_ask_for_one_gpu(slurm_plan):
    vae = [(rule, r) for rule, _, r in _jobs(slurm_plan) if rule in ("vae_cnn", "vae_train")]
    assert {rule for rule, _ in vae} == {"vae_cnn", "vae_train"}
    for rule, res in vae:
        assert res["gpu"] == "1" and res["slurm_partition"] == "gpuq", (rule, res)


def test_slurm_groups_silhouettes(slurm_plan):
    groups = re.findall(r"Group job evaluation", slurm_plan)
    # 390 silhouettes in groups of up to 25 runs.
    assert len(groups) == -(-390 // 25), len(groups)


def test_slurm_profile_without_site_settings(tmp_path):
    plan = _dry_run(
        ["--profile", str(PROFILES / "slurm"), "--configfile", "configs/test.yaml"], tmp_path, {}
    )
    train = [r for rule, _, r in _jobs(plan) if rule == "train"]
    assert train
    for res in train:
        assert res["gpu"] == "1", res
        assert not {"gpu_model", "slurm_partition", "slurm_account"} & res.keys(), res


def _profile_rule_names(path: Path) -> set[str]:
    import yte

    with path.open() as f:
        profile = yte.process_yaml(f, require_use_yte=True, variables={}) or {}
    return set(profile.get("set-resources", {})) | set(profile.get("groups", {}))


def test_profiles_name_only_existing_rules(tmp_path):
    listed = _dry_run(["--list-rules", "--configfile", "configs/test.yaml"], tmp_path, {})
    rules = set(listed.split())
    for profile in sorted(PROFILES.glob("*/config.yaml")):
        unknown = _profile_rule_names(profile) - rules
        assert not unknown, f"{profile.relative_to(ROOT)} names rules that do not exist: {unknown}"


@pytest.mark.parametrize("profile", ["local", "slurm-test"])
def test_other_profiles_are_accepted(profile, tmp_path):
    plan = _dry_run(
        ["--profile", str(PROFILES / profile), "--configfile", "configs/test.yaml"], tmp_path, {}
    )
    assert [rule for rule, _, _ in _jobs(plan)].count("train") == 10
