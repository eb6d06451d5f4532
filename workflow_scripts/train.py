"""Snakemake adapter: one training run (rule ``train``) -> :func:`lb.training.train_run`.

Reads the run's settings from ``snakemake.params.settings`` and where the data lives (and the
device) from the config; writes the four outputs into the run directory and logs to the rule's
log. A user-facing error (:class:`lb.errors.LBError`) ends the job with its one-line message.
"""

import sys
from pathlib import Path

from lb.errors import LBError
from lb.training import RunConfig, train_run

LOCATION_KEYS = ("data_root", "download", "cache_dir", "device")


def main(smk) -> None:
    settings = dict(smk.params.settings)
    settings.update({key: smk.config[key] for key in LOCATION_KEYS})
    out_dir = Path(smk.output.metrics).parent
    with open(smk.log[0], "a", encoding="utf-8") as log_file:

        def log(line: str) -> None:
            print(line, file=log_file, flush=True)

        try:
            cfg = RunConfig.from_dict(settings)
            train_run(cfg, out_dir, smk.params.checkpoint, log=log)
        except LBError as err:
            log(f"{type(err).__name__}: {err}")
            sys.exit(f"{type(err).__name__}: {err}")


main(snakemake)  # noqa: F821 (the object Snakemake injects)
