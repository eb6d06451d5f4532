"""Reliability through Snakemake on the tiny config (configs/test.yaml, digits, CPU).

Item 2: a training job killed with SIGKILL during an epoch, then Snakemake run again, resumes from
the run's last checkpoint and ends with the same files, bit for bit, as an uninterrupted run. The
run is interrupted twice: first only the job is killed (as an out-of-memory killer would; Snakemake
sees the job fail and exits), then Snakemake and its job together (a lost node or terminal:
Snakemake leaves its lock behind, so `--unlock`, then `--rerun-incomplete`).

Item 6: the same config and seed give identical files in two independent workflow runs
(`model.pt` and `test_outputs.npz` byte for byte); different seeds differ.

Only the wall-clock values (metrics.json `wall_seconds`, history.csv `seconds`) may differ.
The runs train Latent Boost (lambda 0.5) for 8 epochs on 1000 digits images (the tiny config with
more epochs, so that there is an epoch to interrupt).
"""

import json
import re

import pytest
import torch
from helpers import (
    TEST_CONFIG,
    TRAIN_OUTPUTS,
    copy_workflow,
    output_text,
    snakemake,
    start_snakemake,
)
from reliability_workflow import kill_when_logged, leftover_temporaries, run_files

pytestmark = pytest.mark.slow

EPOCHS = 8
CONFIG = (
    *TEST_CONFIG,
    "--config",
    f"training={{max_epochs: {EPOCHS}, train_limit: 1000, early_stopping_patience: 20}}",
)
RUN = "digits/latent_boost/lambda0.5/seed{seed}"


def target(seed: int) -> str:
    return f"results/runs/{RUN.format(seed=seed)}/metrics.json"


def train(workdir, *seeds, cores=1, extra=()):
    """Snakemake asked for the metrics of these runs (targets first: --config takes the rest)."""
    return snakemake(workdir, *map(target, seeds), "--cores", str(cores), *extra, *CONFIG)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Seeds 0 and 1, uninterrupted, in one workflow copy."""
    workdir = copy_workflow(tmp_path_factory.mktemp("reference"))
    proc = train(workdir, 0, 1, cores=2)
    assert proc.returncode == 0, output_text(proc)[-3000:]
    return workdir


@pytest.fixture(scope="module")
def repeat(tmp_path_factory):
    """Seed 0 again, uninterrupted, in another workflow copy."""
    workdir = copy_workflow(tmp_path_factory.mktemp("repeat"))
    proc = train(workdir, 0)
    assert proc.returncode == 0, output_text(proc)[-3000:]
    return workdir


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    """Seed 0 killed twice during training, then finished; what was seen on the way."""
    workdir = copy_workflow(tmp_path_factory.mktemp("killed"))
    log = workdir / f"results/logs/train/{RUN.format(seed=0)}.log"
    checkpoint = workdir / f"results/checkpoints/{RUN.format(seed=0)}.pt"
    run_dir = workdir / f"results/runs/{RUN.format(seed=0)}"
    seen = {}

    # 1. Only the training job is killed, during epoch 3: Snakemake reports the failure.
    proc = start_snakemake(workdir, target(0), "--cores", "1", *CONFIG)
    seen["job_kill_rc"] = kill_when_logged(proc, log, f" epoch 2/{EPOCHS} ", group=False)
    seen["after_job_kill"] = _state(checkpoint, run_dir)

    # 2. Plain `snakemake` again resumes; now Snakemake and the job are killed together.
    proc = start_snakemake(workdir, target(0), "--cores", "1", *CONFIG)
    seen["group_kill_rc"] = kill_when_logged(proc, log, f" epoch 5/{EPOCHS} ", group=True)
    seen["after_group_kill"] = _state(checkpoint, run_dir)
    seen["locked"] = train(workdir, 0, extra=("--rerun-incomplete",))

    # 3. What Snakemake's lock message says to do, then the documented rerun.
    seen["unlock"] = train(workdir, 0, extra=("--unlock",))
    seen["rerun"] = train(workdir, 0, extra=("--rerun-incomplete",))
    seen["log"] = log.read_text()
    return workdir, seen


def _state(checkpoint, run_dir):
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    outputs = sorted(p.name for p in run_dir.iterdir()) if run_dir.is_dir() else []
    return {"epoch": state["epoch"], "finished": state["finished"], "outputs": outputs}


def test_a_killed_job_leaves_a_checkpoint_and_no_output(killed):
    _, seen = killed
    assert seen["job_kill_rc"] != 0  # Snakemake saw its job die
    first = seen["after_job_kill"]
    assert first["epoch"] >= 2 and not first["finished"]
    assert not set(first["outputs"]) & set(TRAIN_OUTPUTS), first
    second = seen["after_group_kill"]
    assert first["epoch"] < second["epoch"] < EPOCHS and not second["finished"]
    assert not set(second["outputs"]) & set(TRAIN_OUTPUTS), second


def test_after_a_killed_snakemake_the_lock_names_the_remedy(killed):
    _, seen = killed
    assert seen["group_kill_rc"] < 0  # SIGKILL
    locked = output_text(seen["locked"])
    assert seen["locked"].returncode != 0 and "--unlock" in locked, locked[-2000:]
    assert seen["unlock"].returncode == 0, output_text(seen["unlock"])[-2000:]


def test_rerun_incomplete_resumes_from_the_checkpoint(killed):
    workdir, seen = killed
    assert seen["rerun"].returncode == 0, output_text(seen["rerun"])[-3000:]
    # the log holds the three attempts (Snakemake clears it before each; the job copies the
    # earlier ones back in), the last one after the last marker
    assert seen["log"].count("--- a new attempt") == 2, seen["log"]
    last_attempt = seen["log"].rpartition("--- a new attempt")[2]
    resumed = re.search(r"resuming from \S+ \(epoch (\d+)\)", last_attempt)
    assert resumed, seen["log"]
    assert int(resumed.group(1)) == seen["after_group_kill"]["epoch"]
    # only the epochs after the checkpoint were trained again
    trained = [int(e) for e in re.findall(rf" epoch (\d+)/{EPOCHS} ", last_attempt)]
    assert trained == list(range(int(resumed.group(1)) + 1, EPOCHS + 1))
    assert leftover_temporaries(workdir / "results") == []


def test_resumed_run_equals_an_uninterrupted_run_bit_for_bit(killed, reference):
    workdir, _ = killed
    resumed = run_files(workdir / f"results/runs/{RUN.format(seed=0)}")
    uninterrupted = run_files(reference / f"results/runs/{RUN.format(seed=0)}")
    assert resumed["metrics"]["epochs"] == EPOCHS
    assert resumed == uninterrupted
    run = f"results/runs/{RUN.format(seed=0)}"
    for name in ("model.pt", "test_outputs.npz"):  # byte for byte, not only the tensors
        assert (workdir / run / name).read_bytes() == (reference / run / name).read_bytes()
    # the finished run's resume state is gone (nothing can block a later change of settings)
    assert not (workdir / f"results/checkpoints/{RUN.format(seed=0)}.pt").exists()


def test_same_config_and_seed_give_identical_files(reference, repeat):
    first = run_files(reference / f"results/runs/{RUN.format(seed=0)}")
    second = run_files(repeat / f"results/runs/{RUN.format(seed=0)}")
    assert first == second
    # the metrics files differ at most in the wall-clock time
    a, b = (
        json.loads((d / f"results/runs/{RUN.format(seed=0)}/metrics.json").read_text())
        for d in (reference, repeat)
    )
    assert {key for key in a.keys() | b.keys() if a.get(key) != b.get(key)} <= {"wall_seconds"}
    run = f"results/runs/{RUN.format(seed=0)}"
    for name in ("model.pt", "test_outputs.npz"):
        assert (reference / run / name).read_bytes() == (repeat / run / name).read_bytes(), name


def test_different_seeds_differ(reference):
    seed0 = run_files(reference / f"results/runs/{RUN.format(seed=0)}")
    seed1 = run_files(reference / f"results/runs/{RUN.format(seed=1)}")
    assert seed0["model"] != seed1["model"]
    assert seed0["test_outputs"]["latent"] != seed1["test_outputs"]["latent"]
    assert seed0["history"] != seed1["history"]
    assert seed0["metrics"]["seed"] == 0 and seed1["metrics"]["seed"] == 1
