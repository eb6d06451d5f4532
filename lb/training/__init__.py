"""lb.training: one training run of the paper (see docs/architecture.md).

- :class:`RunConfig` (:mod:`lb.training.config`): the settings of a run (defaults: the config
  schema's).
- :func:`train_run` (:mod:`lb.training.trainer`): train, checkpoint every epoch, resume, write
  ``metrics.json``, ``history.csv``, ``test_outputs.npz``, ``model.pt``.
- ``python -m lb.training`` (:mod:`lb.training.__main__`): one run from the command line.
- :mod:`lb.training.history` (columns), :mod:`lb.training.checkpoint` (resume state),
  :mod:`lb.training.early_stopping`, :mod:`lb.training.faults` (NaN-injection test hook).

``train_run`` and ``OUTPUT_NAMES`` are imported lazily, so that ``RunConfig`` can be used (e.g.
by config validation) without importing the models, losses and data modules.
"""

from lb.training.config import RunConfig
from lb.training.history import COLUMNS as HISTORY_COLUMNS

__all__ = ["HISTORY_COLUMNS", "OUTPUT_NAMES", "RunConfig", "train_run"]


def __getattr__(name: str):
    if name in ("train_run", "OUTPUT_NAMES"):
        from lb.training import trainer

        return getattr(trainer, name)
    raise AttributeError(f"module 'lb.training' has no attribute {name!r}")
