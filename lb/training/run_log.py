"""A training job's log that survives retries: :func:`job_log`.

Snakemake deletes a job's log files before it runs the job, also when it retries a failed job
(``--retries``, the SLURM profile's ``retries: 2``) or when the job is run again later, so the
rule's log would show only the last attempt. The training job therefore also appends every line
to a second file beside the run's checkpoint, ``<checkpoint>.log`` (not a Snakemake output, so
Snakemake leaves it alone), and at its start copies that file's lines (the earlier attempts
since the run last finished) into the fresh rule log. When the run finishes, that file is
deleted together with the checkpoint, so the next run of the same settings starts a new history.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path


def attempts_path(checkpoint_path: str | os.PathLike) -> Path:
    """``<checkpoint>.log``: ``seed0.pt`` -> ``seed0.pt.log``."""
    checkpoint_path = Path(checkpoint_path)
    return checkpoint_path.with_name(checkpoint_path.name + ".log")


@contextlib.contextmanager
def job_log(rule_log: str | os.PathLike, attempts: str | os.PathLike) -> Iterator[Callable]:
    """Yield ``log(line)`` writing to ``rule_log`` and ``attempts``.

    ``rule_log`` starts with the earlier attempts' lines; ``attempts`` is deleted when the block
    ends without an exception (the run finished), kept otherwise (the next attempt shows it).
    """
    rule_log, attempts = Path(rule_log), Path(attempts)
    earlier = attempts.read_text(encoding="utf-8", errors="replace") if attempts.is_file() else ""
    # Snakemake deleted the rule log; if something kept it, it already holds those lines.
    copy = earlier and not (rule_log.is_file() and rule_log.stat().st_size > 0)
    attempts.parent.mkdir(parents=True, exist_ok=True)
    # Both files are logs, appended line by line while the job runs (not atomic outputs).
    # Unbuffered: a full disk must not turn a log line (or closing the file) into a traceback;
    # the outputs' own writes then fail with one line naming the file (lb.io).
    with (
        open(rule_log, "ab", buffering=0) as rule_file,
        open(attempts, "ab", buffering=0) as attempts_file,
    ):

        def write(handle, text: str) -> None:
            with contextlib.suppress(OSError):
                handle.write(text.encode("utf-8"))

        def log(line: str) -> None:
            for handle in (rule_file, attempts_file):
                write(handle, line + "\n")

        if copy:
            write(rule_file, earlier if earlier.endswith("\n") else earlier + "\n")
        if earlier:
            log(f"--- a new attempt (the lines above are earlier attempts, kept in {attempts})")
        yield log
    attempts.unlink(missing_ok=True)
