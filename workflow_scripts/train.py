"""Snakemake adapter: one training run (rule ``train``) -> :func:`lb.training.train_run`.

Reads the run's settings from ``snakemake.params.settings`` and where the data lives (and the
device) from the config; writes the four outputs into the run directory and logs to the rule's
log, which also shows the earlier attempts of an unfinished run (:mod:`lb.training.run_log`).
A user-facing error (:class:`lb.errors.LBError`, Ctrl-C included) ends the job with its one-line
message.
"""

import sys
from pathlib import Path

from lb.errors import Interrupted, LBError
from lb.training import RunConfig, train_run
from lb.training.run_log import attempts_path, job_log

LOCATION_KEYS = ("data_root", "download", "cache_dir", "device")


def main(smk) -> None:
    settings = dict(smk.params.settings)
    settings.update({key: smk.config[key] for key in LOCATION_KEYS})
    out_dir = Path(smk.output.metrics).parent
    with job_log(smk.log[0], attempts_path(smk.params.checkpoint)) as log:
        try:
            cfg = RunConfig.from_dict(settings)
            train_run(cfg, out_dir, smk.params.checkpoint, log=log)
        except Interrupted as err:
            log(str(err))
            print(err, file=sys.stderr)
            sys.exit(130)
        except LBError as err:
            log(f"{type(err).__name__}: {err}")
            sys.exit(f"{type(err).__name__}: {err}")


try:
    main(snakemake)  # noqa: F821 (the object Snakemake injects)
except KeyboardInterrupt:  # before training started (train_run turns its own into Interrupted)
    sys.exit(130)
