"""The triplet-VAE study through Snakemake, as a user runs it: `snakemake vae_all` on the tiny
config with the study switched on (digits), then what a changed `vae:` key reruns.

Each rule's params are the keys its step depends on (lb.tvae.config.STEP_KEYS): a new top_k
reruns the analysis and what reads it, a new alpha also the triplet VAE but neither the vanilla
VAE nor the CNN.
"""

import json
import re

import pytest
import yaml
from helpers import TEST_CONFIG, copy_workflow, snakemake

pytestmark = pytest.mark.slow

TINY_VAE = {
    "enabled": True,
    "dataset": "digits",
    "epochs": 3,
    "cnn_epochs": 2,
    "batch_size": 64,
    "latent_dim": 8,
    "train_limit": 300,
    "test_limit": 150,
    "traversal_steps": 4,
    "top_k": 2,
    "n_examples": 2,
    "tsne_points": 60,
}


def vae_jobs(workdir, *config_args):
    """The rules a dry run of ``vae_all`` would execute, with ``--config`` overrides."""
    extra = ("--config", *config_args) if config_args else ()
    proc = snakemake(workdir, "vae_all", "-n", *TEST_CONFIG, *extra)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return sorted(set(re.findall(r"^(?:local)?rule (\w+):", proc.stdout, re.M)))


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    workdir = copy_workflow(tmp_path_factory.mktemp("workflow"))
    config_path = workdir / "configs" / "test.yaml"
    config = yaml.safe_load(config_path.read_text())
    config["vae"] = TINY_VAE
    config_path.write_text(yaml.safe_dump(config))
    proc = snakemake(workdir, "vae_all", "--cores", "2", *TEST_CONFIG)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return workdir


def test_the_study_writes_its_report_inputs(finished):
    vae = finished / "results" / "vae"
    context = json.loads((vae / "vae_context.json").read_text())
    assert context["dataset"] == "digits" and context["seeds"] == [0]
    assert context["settings"]["hidden"] == [128, 64] and context["settings"]["top_k"] == 2
    for rel in context["figures"].values():
        assert (finished / "results" / rel).stat().st_size > 0
    # the numbers claims (f) and (g) are tested on; the verdicts are the report's
    assert {"agreement_case1", "silhouette", "svm_accuracy"} <= set(context["claims"])
    assert not list(vae.rglob("*.pkl"))
    vanilla = json.loads((vae / "seed0" / "vanilla" / "metrics.json").read_text())
    assert vanilla["alpha"] == 0.0 and vanilla["margin"] is None


def test_a_changed_vae_key_reruns_only_the_steps_that_use_it(finished):
    assert vae_jobs(finished) == []
    downstream = ["vae_all", "vae_analyse", "vae_context", "vae_figures"]
    assert vae_jobs(finished, "vae={top_k: 3}") == downstream
    assert vae_jobs(finished, "vae={alpha: 20.0}") == sorted([*downstream, "vae_train"])
    proc = snakemake(finished, "vae_all", "-n", *TEST_CONFIG, "--config", "vae={alpha: 20.0}")
    assert "vae_kind=triplet" in proc.stdout and "vae_kind=vanilla" not in proc.stdout
    assert vae_jobs(finished, "vae={cnn_epochs: 3}") == sorted([*downstream, "vae_cnn"])
