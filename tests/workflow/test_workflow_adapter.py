"""The adapter every workflow_scripts/ file uses (lb.workflow.adapter.run_job), with a stand-in
for the `snakemake` object: the log, the thread count, one-line errors and their exit status."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from lb.errors import ConfigError, Interrupted
from lb.workflow.adapter import EXIT_INTERRUPTED, job_threads, run_job

REPO = Path(__file__).resolve().parents[2]


def _smk(tmp_path, threads=1, **params):
    return SimpleNamespace(
        log=[str(tmp_path / "job.log")], threads=threads, params=SimpleNamespace(**params)
    )


@pytest.fixture
def keep_torch_threads():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_step_logs_and_returns(tmp_path, keep_torch_threads):
    torch.set_num_threads(1)
    smk = _smk(tmp_path, threads=1, num_threads=3)

    def step(log):
        log("first")
        log("second")
        return torch.get_num_threads()

    assert run_job(smk, step) == 3  # params.num_threads wins over the job's threads
    assert Path(smk.log[0]).read_text() == "first\nsecond\n"


def test_thread_count():
    assert job_threads(SimpleNamespace(threads=3, params=SimpleNamespace())) == 3
    assert job_threads(SimpleNamespace(threads=3, params=SimpleNamespace(num_threads=1))) == 1


@pytest.mark.parametrize(
    ("error", "status", "line"),
    [
        (ConfigError("training.lr: must be > 0; set it in config.yaml"), 1,
         "ConfigError: training.lr: must be > 0; set it in config.yaml"),
        (Interrupted("interrupted at epoch 3; rerun resumes"), EXIT_INTERRUPTED,
         "interrupted at epoch 3; rerun resumes"),
        (KeyboardInterrupt(), EXIT_INTERRUPTED, "interrupted (Ctrl-C); rerun the job"),
    ],
)  # fmt: skip
def test_user_facing_error_is_one_line(tmp_path, capsys, error, status, line, keep_torch_threads):
    smk = _smk(tmp_path)

    def step(log):
        log("started")
        raise error

    with pytest.raises(SystemExit) as stop:
        run_job(smk, step)
    assert stop.value.code == status
    assert capsys.readouterr().err == line + "\n"
    assert Path(smk.log[0]).read_text() == f"started\n{line}\n"


def test_bug_puts_traceback_into_the_log(tmp_path, capsys, keep_torch_threads):
    smk = _smk(tmp_path)

    def step(log):
        return {}["missing"]

    with pytest.raises(SystemExit) as stop:
        run_job(smk, step)
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err == f"KeyError: 'missing' (traceback in {smk.log[0]})\n"
    log = Path(smk.log[0]).read_text()
    assert "Traceback (most recent call last)" in log and 'return {}["missing"]' in log
    assert log.rstrip().endswith(err.rstrip())


def test_open_log_replaces_the_rule_log(tmp_path, keep_torch_threads):
    smk = _smk(tmp_path)
    lines = []

    @contextlib.contextmanager
    def collect():
        yield lines.append

    run_job(smk, lambda log: log("to the other log"), open_log=collect)
    assert lines == ["to the other log"]
    assert not Path(smk.log[0]).exists()


def test_threads_apply_to_a_later_torch_import():
    """A job whose code imports torch only inside the step still gets the job's thread count
    (through OMP_NUM_THREADS, which torch caps at the number of cores: one thread here)."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: torch uses one thread anyway")
    code = (
        "import sys; from types import SimpleNamespace as N\n"
        "from lb.workflow.adapter import run_job\n"
        "assert 'torch' not in sys.modules\n"
        f"smk = N(log=[{str(Path('/dev/null'))!r}], threads=1, params=N())\n"
        "def step(log):\n"
        "    import torch\n"
        "    return torch.get_num_threads()\n"
        "print(run_job(smk, step))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "1"  # torch would use one per core
