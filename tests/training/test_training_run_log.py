"""lb.training.run_log: a training job's log keeps the attempts since the run last finished."""

import pytest

from lb.training.run_log import attempts_path, job_log


def attempt(rule_log, attempts, lines, fail):
    """One job attempt as Snakemake runs it: the rule log deleted first."""
    rule_log.unlink(missing_ok=True)
    with pytest.raises(SystemExit) if fail else _no_error(), job_log(rule_log, attempts) as log:
        for line in lines:
            log(line)
        if fail:
            raise SystemExit(1)


class _no_error:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_retry_shows_the_earlier_attempts_and_a_finished_run_forgets_them(tmp_path):
    rule_log, attempts = tmp_path / "rule.log", attempts_path(tmp_path / "seed0.pt")
    assert attempts.name == "seed0.pt.log"
    attempt(rule_log, attempts, ["epoch 1", "NonFiniteLossError"], fail=True)
    attempt(rule_log, attempts, ["resuming (epoch 1)", "NonFiniteLossError"], fail=True)
    text = rule_log.read_text()
    assert text.startswith("epoch 1\nNonFiniteLossError\n--- a new attempt")
    assert text.endswith("resuming (epoch 1)\nNonFiniteLossError\n")
    attempt(rule_log, attempts, ["resuming (epoch 1)", "done"], fail=False)
    assert rule_log.read_text().count("--- a new attempt") == 2
    assert rule_log.read_text().endswith("done\n") and not attempts.exists()
    attempt(rule_log, attempts, ["a new run"], fail=False)
    assert rule_log.read_text() == "a new run\n"  # nothing of the finished run's attempts
