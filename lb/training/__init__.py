"""lb.training: one training run of the paper (see docs/architecture.md).

- :class:`RunConfig` (:mod:`lb.training.config`): the settings of a run.
- :func:`train_run` (:mod:`lb.training.trainer`): train, checkpoint every epoch, resume, write
  ``metrics.json``, ``history.csv``, ``test_outputs.npz``, ``model.pt``.
- :mod:`lb.training.history` (columns), :mod:`lb.training.checkpoint` (resume state),
  :mod:`lb.training.early_stopping`, :mod:`lb.training.faults` (NaN-injection test hook).
"""

from lb.training.config import RunConfig
from lb.training.history import COLUMNS as HISTORY_COLUMNS
from lb.training.trainer import OUTPUT_NAMES, train_run

__all__ = ["HISTORY_COLUMNS", "OUTPUT_NAMES", "RunConfig", "train_run"]
