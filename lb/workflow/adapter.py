"""What every ``workflow_scripts/*.py`` file does around its one call into lb: :func:`run_job`.

A Snakemake ``script:`` job gets the ``snakemake`` object (inputs, outputs, params, threads, log)
and must turn it into one library call. Around that call every job does the same:

- its log lines go to the rule's log file (``snakemake.log[0]``, appended);
- torch uses the job's thread count (``params.num_threads`` when the rule has it, else the rule's
  ``threads``), so the numbers do not depend on ``--cores``;
- a user-facing error (:class:`lb.errors.LBError`) ends the job with its one-line message and
  exit status 1, Ctrl-C with exit status 130; both lines also go into the log;
- any other exception (a bug) puts its traceback into the log and ends the job with one line on
  stderr that names the log (exit status 1).

The adapter knows no rule names or paths: the job's files are what the ``snakemake`` object says.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from lb.errors import Interrupted, LBError

Log = Callable[[str], None]

#: Exit status of a job ended by Ctrl-C (SIGINT), as a shell reports it.
EXIT_INTERRUPTED = 130


@contextlib.contextmanager
def append_log(path: str | os.PathLike) -> Iterator[Log]:
    """``log(line)`` appending to ``path`` (flushed per line, so a killed job keeps its lines)."""
    with open(path, "a", encoding="utf-8") as handle:

        def log(line: str) -> None:
            print(line, file=handle, flush=True)

        yield log


def job_threads(smk: Any) -> int:
    """The torch thread count of a job: ``params.num_threads`` when given, else its threads."""
    value = getattr(smk.params, "num_threads", None) or smk.threads
    return max(1, int(value))


def set_torch_threads(n: int) -> None:
    """Let torch use ``n`` threads: now if it is imported, else when it is (the OpenMP/MKL
    variables it reads at import), so a job that does not use torch does not import it."""
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)
    else:
        for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = str(n)


def run_job(
    smk: Any,
    step: Callable[[Log], Any],
    *,
    open_log: Callable[[], AbstractContextManager[Log]] | None = None,
) -> Any:
    """Call ``step(log)`` as described in the module docstring; return what it returns.

    ``open_log`` replaces the default log (:func:`append_log` of ``smk.log[0]``) by a context
    manager that yields ``log(line)``, e.g. one that also keeps earlier attempts.
    """
    set_torch_threads(job_threads(smk))
    log_path = smk.log[0]
    opener = open_log or (lambda: append_log(log_path))
    with opener() as log:
        # Ctrl-C raises KeyboardInterrupt from here on (a background runner may ignore SIGINT).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            return step(log)
        except Interrupted as err:
            _end(log, str(err), EXIT_INTERRUPTED)
        except KeyboardInterrupt:
            _end(log, "interrupted (Ctrl-C); rerun the job", EXIT_INTERRUPTED)
        except LBError as err:
            _end(log, f"{type(err).__name__}: {err}", 1)
        except Exception as err:  # a bug: its traceback belongs in the log, not on the terminal
            with contextlib.suppress(Exception):
                log(traceback.format_exc().rstrip())
            _end(log, f"{type(err).__name__}: {err} (traceback in {log_path})", 1)


def _end(log: Log, message: str, status: int) -> None:
    """Log ``message``, print it as the job's one line on stderr and exit with ``status``."""
    with contextlib.suppress(Exception):
        log(message)
    print(message, file=sys.stderr)
    sys.exit(status)


def exit_quietly_on_interrupt(what: str) -> None:
    """Until :func:`run_job` starts, Ctrl-C ends the job with one line naming ``what`` (instead
    of the traceback of whichever import was running). Call it before the slow imports."""

    def handler(_signum, _frame):
        print(f"[{what}] interrupted while starting; rerun starts it again", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)

    signal.signal(signal.SIGINT, handler)
