"""Snakemake adapter: one training run (rule ``train``) -> :func:`lb.training.train_run`.

Reads the run's settings from ``snakemake.params.settings`` and where the data lives (and the
device) from the config; writes the four outputs into the run directory and logs to the rule's
log, which also shows the earlier attempts of an unfinished run (:mod:`lb.training.run_log`).
A user-facing error (:class:`lb.errors.LBError`, Ctrl-C included) ends the job with its one-line
message.
"""

import signal
import sys


def _interrupted_while_starting(_signum, _frame):
    """Ctrl-C before training started (while importing torch, loading data): one line, not the
    traceback of whatever import was running. ``train_run`` reports later interruptions."""
    w = snakemake.wildcards  # noqa: F821 (the object Snakemake injects)
    run = f"{w.dataset}/{w.method} lam={w.lam} seed={w.seed}"
    print(f"[{run}] interrupted while starting; rerun starts it again", file=sys.stderr)
    sys.exit(130)


signal.signal(signal.SIGINT, _interrupted_while_starting)

from pathlib import Path  # noqa: E402 (after the handler: imports take seconds)

from lb.errors import Interrupted, LBError  # noqa: E402
from lb.training import RunConfig, train_run  # noqa: E402
from lb.training.run_log import attempts_path, job_log  # noqa: E402

LOCATION_KEYS = ("data_root", "download", "cache_dir", "device")


def main(smk) -> None:
    settings = dict(smk.params.settings)
    settings.update({key: smk.config[key] for key in LOCATION_KEYS})
    out_dir = Path(smk.output.metrics).parent
    with job_log(smk.log[0], attempts_path(smk.params.checkpoint)) as log:
        try:
            cfg = RunConfig.from_dict(settings)
            signal.signal(signal.SIGINT, signal.default_int_handler)  # train_run reports it
            train_run(cfg, out_dir, smk.params.checkpoint, log=log)
        except Interrupted as err:
            log(str(err))
            print(err, file=sys.stderr)
            sys.exit(130)
        except LBError as err:
            log(f"{type(err).__name__}: {err}")
            sys.exit(f"{type(err).__name__}: {err}")


main(snakemake)  # noqa: F821 (the object Snakemake injects)
