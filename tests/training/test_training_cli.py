"""``python -m lb.training``: one-line errors, and a real kill -9 mid-training then resume."""

import json
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import torch
from test_training_config import workflow_defaults

from lb.losses import build_distance_loss
from lb.run_outputs import RUN_OUTPUTS
from lb.training import train_run
from lb.training.__main__ import build_parser, config_from_args, default_checkpoint, main
from lb.training.faults import ENV_VAR

RUN_ARGS = [
    "--dataset",
    "digits",
    "--model",
    "digits_cnn",
    "--method",
    "latent_boost",
    "--lam",
    "0.5",
    "--seed",
    "0",
    "--batch-size",
    "32",
    "--warmup-epochs",
    "1",
    "--num-threads",
    "1",
]


def _cli(args, timeout=300):
    command = [sys.executable, "-m", "lb.training", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (["--lam", "1.5"], "lam must be in [0, 1]"),
        (["--method", "magnett"], "method 'magnett' is unknown"),
        (["--dataset", "imagenet"], "imagenet"),
        (["--model", "vgg16"], "vgg16"),  # does not fit 8×8 grey digits
        (["--loss-params", "{bad json"], "--loss-params is not valid JSON"),
        (["--loss-params", '{"magnet": {"alhpa": 1}}'], "alhpa"),
        (["--max-epochs", "0"], "max_epochs must be >= 1"),
        (["--seed", "x"], "argument --seed: invalid int value"),
        (["--seed", str(2**40)], "seed must be <= 4294967295"),
        (["--method", "baseline"], "the baseline has no distance term, so its lambda must be 0"),
        (["--lr", "nan"], "lr must be a finite number"),
        (["--out", "/etc/passwd/x"], "cannot create output directory /etc/passwd/x: Not a dir"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, change, expected):
    args = [*RUN_ARGS, *change, "--out", str(tmp_path / "o"), "--max-epochs", "2"]
    if change[0] in ("--max-epochs", "--out"):
        args = [*RUN_ARGS, "--out", str(tmp_path / "o"), *change]
    with pytest.raises(SystemExit) as info:
        sys.exit(main(args))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("python -m lb.training: error:")
    assert expected in err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_missing_required_argument_is_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--dataset", "digits"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "required" in err and "--model" in err


def test_the_loss_params_example_of_help_is_accepted(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    example = re.search(r"--loss-params JSON .*? e\.g\. '(\{.*?\}\})'", text).group(1)
    args = build_parser().parse_args([*RUN_ARGS, "--out", "o", "--loss-params", example])
    cfg = config_from_args(args)
    loss = build_distance_loss(cfg.method, cfg.loss_params)  # raises for the wrong shape
    assert cfg.loss_params == json.loads(example) and loss.alpha0 == 1.0


def test_left_out_options_take_the_workflow_configs_defaults_and_help_shows_them():
    expected = workflow_defaults()
    args = build_parser().parse_args([*RUN_ARGS[:10], "--out", "o"])  # the run's identity only
    cfg = config_from_args(args)
    assert {key: getattr(cfg, key) for key in expected} == expected
    done = _cli(["--help"], timeout=120)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    # one segment per option: "--max-epochs MAX_EPOCHS upper bound ... (default: 150)"
    segments = re.split(r" (?=--[a-z-]+ (?:[A-Z_]+|\{))", text)
    matches = (re.match(r"--([a-z-]+) .*?\(default: ([^)]*)\)", seg) for seg in segments)
    keys = {m[1].replace("-", "_"): m[2] for m in matches if m}
    for key in ("max_epochs", "warmup_epochs", "batch_size", "lr", "val_fraction", "lr_factor",
                "lr_patience", "early_stopping_patience", "dist_grad_every", "precision",
                "device"):  # fmt: skip
        assert keys[key] == str(expected[key]), key


def test_ctrl_c_during_training_is_one_line_and_the_same_command_resumes(tmp_path):
    # Enough epochs that the signal, sent when epoch 1 is logged, lands in a later epoch even on
    # a loaded machine (the epoch it lands in is read from the message).
    out = tmp_path / "interrupted"
    args = [*RUN_ARGS, "--max-epochs", "40", "--train-limit", "300", "--out", str(out)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "lb.training", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a terminal's default: a background runner may have set SIGINT to "ignore", which the
        # child would inherit
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        for line in proc.stdout:
            if " epoch 1/40 " in line:
                proc.send_signal(signal.SIGINT)  # what Ctrl-C in a terminal sends
                break
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    match = re.fullmatch(r"python -m lb\.training: \[.*\] interrupted at epoch (\d+); "
                         r"rerun resumes from epoch (\d+) \(.*\)\n", err)  # fmt: skip
    assert match, err
    at, last_done = int(match.group(1)), int(match.group(2))
    assert at >= 2 and last_done == at - 1
    resumed = _cli(args)
    assert resumed.returncode == 0, resumed.stderr
    assert f"(epoch {last_done})" in resumed.stdout and "resuming" in resumed.stdout


def test_default_checkpoint_lies_beside_the_output_directory(tmp_path):
    assert default_checkpoint(tmp_path / "runs" / "seed0") == tmp_path / "runs" / "seed0.ckpt.pt"


def test_non_finite_loss_through_the_cli_leaves_no_output(tmp_path, capsys, monkeypatch):
    out = tmp_path / "nan"
    monkeypatch.setenv(ENV_VAR, "2:4:dist")
    assert main([*RUN_ARGS, "--max-epochs", "2", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "loss term 'dist' is nan at epoch 2, batch 4/" in err
    assert not out.exists() or not any(out.iterdir())


def test_kill_9_mid_training_then_rerun_equals_an_uninterrupted_run(tmp_path):
    """SIGKILL the CLI during epoch 3 of 8; the same command resumes; results equal bit for bit."""
    out = tmp_path / "killed"
    args = [*RUN_ARGS, "--max-epochs", "8", "--out", str(out)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "lb.training", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        for line in proc.stdout:
            if " epoch 2/8 " in line:
                proc.send_signal(signal.SIGKILL)  # the process is now in epoch 3
                break
            assert time.monotonic() < deadline, "no epoch line within 300 s"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    checkpoint = default_checkpoint(out)
    state = torch.load(checkpoint, weights_only=True)
    assert 2 <= state["epoch"] < 8 and not state["finished"]
    assert not (out / "metrics.json").exists()

    resumed = _cli(args)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming from {checkpoint} (epoch {state['epoch']})" in resumed.stdout

    # The uninterrupted reference run, in this process, from the same command line.
    cfg = config_from_args(build_parser().parse_args(args))
    ref = tmp_path / "reference"
    train_run(cfg, ref, tmp_path / "reference.ckpt.pt", log=lambda _m: None)

    assert sorted(p.name for p in out.iterdir()) == sorted(RUN_OUTPUTS)
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary checkpoint left by the kill
    m_out = json.loads((out / "metrics.json").read_text())
    m_ref = json.loads((ref / "metrics.json").read_text())
    assert m_out.pop("wall_seconds") > 0 and m_ref.pop("wall_seconds") > 0
    assert m_out == m_ref
    h_out, h_ref = pd.read_csv(out / "history.csv"), pd.read_csv(ref / "history.csv")
    pd.testing.assert_frame_equal(h_out.drop(columns="seconds"), h_ref.drop(columns="seconds"))
    with np.load(out / "test_outputs.npz") as a, np.load(ref / "test_outputs.npz") as b:
        for key in ("latent", "label", "logits"):
            assert np.array_equal(a[key], b[key]), key
    w_out = torch.load(out / "model.pt", weights_only=True)
    w_ref = torch.load(ref / "model.pt", weights_only=True)
    assert all(torch.equal(w_out[k], w_ref[k]) for k in w_ref)
    assert (out / "model.pt").read_bytes() == (ref / "model.pt").read_bytes()
    assert not checkpoint.exists()  # a finished run leaves no resume state
