"""Snakemake adapter: one training run (rule ``train``) -> :func:`lb.training.train_run`.

Reads the run's settings from ``params.settings`` and where the data lives (and the device) from
the config; writes the four outputs into the run directory. Its log also shows the earlier
attempts of an unfinished run (:mod:`lb.training.run_log`).
"""

from lb.workflow.adapter import exit_quietly_on_interrupt

smk = snakemake  # noqa: F821 (the object Snakemake injects)
w = smk.wildcards
exit_quietly_on_interrupt(f"{w.dataset}/{w.method} lam={w.lam} seed={w.seed}")

from pathlib import Path  # noqa: E402 (after the handler: imports take seconds)

from lb.training import RunConfig, train_run  # noqa: E402
from lb.training.run_log import attempts_path, job_log  # noqa: E402
from lb.workflow.adapter import run_job  # noqa: E402

LOCATION_KEYS = ("data_root", "download", "cache_dir", "device")
settings = {**smk.params.settings, **{key: smk.config[key] for key in LOCATION_KEYS}}
checkpoint = smk.params.checkpoint
run_job(
    smk,
    lambda log: train_run(
        RunConfig.from_dict(settings), Path(smk.output.metrics).parent, checkpoint, log=log
    ),
    open_log=lambda: job_log(smk.log[0], attempts_path(checkpoint)),
)
