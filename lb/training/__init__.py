"""lb.training: one training run of the paper (see docs/architecture.md).

- :class:`RunConfig` (:mod:`lb.training.config`): the settings of a run (defaults: the config
  schema's).
- :func:`train_run` (:mod:`lb.training.trainer`): train, checkpoint every epoch, resume, write
  ``metrics.json``, ``history.csv``, ``test_outputs.npz``, ``model.pt``.
- ``python -m lb.training`` (:mod:`lb.training.__main__`): one run from the command line.
- :mod:`lb.training.history` (columns), :mod:`lb.training.checkpoint` (resume state),
  :mod:`lb.training.early_stopping`, :mod:`lb.training.faults` (NaN-injection test hook).

``train_run`` is imported lazily, so that ``RunConfig`` can be used (e.g. by config validation)
without importing the models, losses and data modules; the files a run writes are
:data:`lb.run_outputs.RUN_OUTPUTS`.
"""

from lb.training.config import RunConfig
from lb.training.history import COLUMNS as HISTORY_COLUMNS

__all__ = ["HISTORY_COLUMNS", "RunConfig", "train_run"]


def __getattr__(name: str):
    if name == "train_run":
        from lb.training import trainer

        return getattr(trainer, name)
    raise AttributeError(f"module 'lb.training' has no attribute {name!r}")
