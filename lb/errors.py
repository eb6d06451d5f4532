"""User-facing errors.

Every error a user can cause (bad config, missing data, a diverging run) is raised as a subclass
of :class:`LBError` whose message is ONE line that names the key or file and says how to fix it.
Entry points (Snakefile, ``python -m lb.training``, workflow scripts) print ``str(err)`` and exit
non-zero instead of showing a traceback.
"""


class LBError(Exception):
    """Base class: a one-line, actionable message for the user."""


class ConfigError(LBError):
    """A configuration key has a wrong name, type or value."""


class DataError(LBError):
    """A dataset file is missing, truncated or corrupt."""


class NonFiniteLossError(LBError):
    """A loss term became NaN or inf during training."""


class Interrupted(LBError):
    """Training was interrupted (Ctrl-C / SIGINT); the message says where and how to go on."""


class OutputError(LBError):
    """An output could not be written (disk full, no permission, a path through a file) or a
    results folder is in use by another writer."""
