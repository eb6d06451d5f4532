"""The settings of one training run (:class:`RunConfig`) and their checks.

Every field is a plain value (str, int, float, bool, None, dict of plain values) so that the
config can be stored inside a checkpoint that loads with ``torch.load(weights_only=True)`` and
compared with the config of a later, resumed invocation.

The defaults are the workflow config's (the schema's ``training`` block and its top-level
``data_root``, ``download``, ``cache_dir``, ``device``; :mod:`lb.config_schema`), so a run built
here or by ``python -m lb.training`` trains like the workflow. Those of Section 3.3 of the Latent
Boost paper: Adam, ReduceLROnPlateau with factor 0.2 ("reduced the learning rate by factor 5")
and patience 10, early stopping with patience 20 on the validation accuracy.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from lb import config_schema
from lb.errors import ConfigError
from lb.seeds import MAX_SEED

# Keys that describe the machine, not the run: where the data is found or cached and how many CPU
# threads torch uses. They may differ between the invocation that wrote a checkpoint and the one
# that resumes it (e.g. Snakemake scales a rule's threads down to --cores). The data is the same;
# bit-identical resumption on the CPU is promised for the same thread count.
MACHINE_KEYS = frozenset({"data_root", "download", "cache_dir", "num_threads"})

#: ``precision`` values: ``fp32`` (everything in float32) or ``bf16`` (the network's forward under
#: ``torch.autocast(dtype=torch.bfloat16)``, the losses in float32; see lb.training.trainer).
PRECISIONS = ("fp32", "bf16")

# The schema's defaults: its ``training`` block, and its top-level keys of where the data is.
_TRAINING = config_schema.defaults("$defs", "training_defaults")
_LOCATION = config_schema.defaults()


@dataclasses.dataclass(frozen=True)
class RunConfig:
    """Settings of one training run (see docs/contracts.md, lb.training).

    ``lam`` is λ of Eq 5; ``warmup_epochs`` epochs of cross-entropy only come first (Section 6.3).
    ``val_fraction`` of the (possibly limited) training set is held out, stratified and seeded with
    ``seed``, for ReduceLROnPlateau and early stopping; the test set is used once, at the end.
    ``train_limit`` / ``test_limit`` keep a stratified subset of that many images (drawn with a
    fixed seed, so every run of a grid sees the same images; None = all). ``dist_grad_every``:
    the distance-term gradient norm of the history is measured on every k-th batch.
    ``num_threads`` sets ``torch.set_num_threads`` when given. ``precision`` (``fp32`` or
    ``bf16``, :data:`PRECISIONS`) is part of the run's identity: a bf16 run gives other numbers
    than an fp32 one, so changing it retrains and a checkpoint of the other precision is refused.
    """

    dataset: str
    model: str
    method: str
    lam: float
    seed: int
    batch_size: int = _TRAINING["batch_size"]
    lr: float = _TRAINING["lr"]
    max_epochs: int = _TRAINING["max_epochs"]
    warmup_epochs: int = _TRAINING["warmup_epochs"]
    val_fraction: float = _TRAINING["val_fraction"]
    lr_factor: float = _TRAINING["lr_factor"]
    lr_patience: int = _TRAINING["lr_patience"]
    early_stopping_patience: int = _TRAINING["early_stopping_patience"]
    loss_params: dict = dataclasses.field(default_factory=dict)
    data_root: str | None = _LOCATION["data_root"]
    download: bool = _LOCATION["download"]
    cache_dir: str | None = _LOCATION["cache_dir"]
    device: str = _LOCATION["device"]
    train_limit: int | None = _TRAINING["train_limit"]
    test_limit: int | None = _TRAINING["test_limit"]
    num_threads: int | None = None
    dist_grad_every: int = _TRAINING["dist_grad_every"]
    precision: str = _TRAINING["precision"]

    def __post_init__(self) -> None:
        self.validate()
        # Integers are accepted for the float settings; store floats so that configs compare
        # and print the same whichever way they were written.
        for key in ("lam", "lr", "val_fraction", "lr_factor"):
            object.__setattr__(self, key, float(getattr(self, key)))

    # ------------------------------------------------------------------ checks
    def validate(self) -> None:
        """Raise :class:`ConfigError` (one line, naming the key) when a value is unusable."""
        _check_str(self, "dataset")
        _check_str(self, "model")
        _check_str(self, "method")
        _check_str(self, "device")
        _check_names(self)
        _check_number(self, "lam", lo=0.0, hi=1.0)
        _check_int(self, "seed", lo=0, hi=MAX_SEED)
        _check_int(self, "batch_size", lo=2)
        _check_number(self, "lr", lo=0.0, lo_open=True)
        _check_int(self, "max_epochs", lo=1)
        _check_int(self, "warmup_epochs", lo=0)
        _check_number(self, "val_fraction", lo=0.0, hi=1.0, lo_open=True, hi_open=True)
        _check_number(self, "lr_factor", lo=0.0, hi=1.0, lo_open=True, hi_open=True)
        _check_int(self, "lr_patience", lo=0)
        _check_int(self, "early_stopping_patience", lo=1)
        _check_int(self, "dist_grad_every", lo=1)
        if self.precision not in PRECISIONS:
            raise ConfigError(
                f"precision must be one of {', '.join(PRECISIONS)}, got {self.precision!r}"
            )
        for key in ("train_limit", "test_limit", "num_threads"):
            if getattr(self, key) is not None:
                _check_int(self, key, lo=1)
        if not isinstance(self.download, bool):
            raise ConfigError(f"download must be true or false, got {self.download!r}")
        for key in ("data_root", "cache_dir"):
            value = getattr(self, key)
            if value is not None and not isinstance(value, str):
                raise ConfigError(f"{key} must be a path string or null, got {value!r}")
        if not isinstance(self.loss_params, dict) or not all(
            isinstance(k, str) for k in self.loss_params
        ):
            raise ConfigError(
                f"loss_params must be a mapping of parameter names to values, "
                f"got {self.loss_params!r}"
            )
        _check_plain(self.loss_params, "loss_params")
        if self.method == "baseline" and self.lam != 0:
            raise ConfigError(
                f"lam: the baseline has no distance term, so its lambda must be 0 "
                f"(got {self.lam:g}); use lam 0 or a method with a distance loss"
            )
        uses_distance = self.method != "baseline" and self.lam > 0
        if uses_distance and self.warmup_epochs >= self.max_epochs:
            raise ConfigError(
                f"warmup_epochs ({self.warmup_epochs}) must be smaller than max_epochs "
                f"({self.max_epochs}), otherwise the {self.method} term is never trained"
            )

    # ------------------------------------------------------------- conversion
    def to_dict(self) -> dict[str, Any]:
        """Plain dict of all fields (stored in checkpoints)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> RunConfig:
        """Build from a mapping; unknown keys raise :class:`ConfigError`."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ConfigError(
                f"unknown run setting(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}"
            )
        missing = sorted(
            f.name
            for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
            and f.name not in values
        )
        if missing:
            raise ConfigError(f"missing run setting(s) {', '.join(missing)}")
        return cls(**values)

    def identity(self) -> dict[str, Any]:
        """The fields that determine the numbers of a run (all but :data:`MACHINE_KEYS`)."""
        return {k: v for k, v in self.to_dict().items() if k not in MACHINE_KEYS}

    def label(self) -> str:
        """Short name for log lines, e.g. ``digits/latent_boost lam=0.5 seed=0``."""
        return f"{self.dataset}/{self.method} lam={self.lam:g} seed={self.seed}"


def _check_str(cfg: RunConfig, key: str) -> None:
    value = getattr(cfg, key)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key} must be a non-empty string, got {value!r}")


def _check_names(cfg: RunConfig) -> None:
    """Dataset, model and method must be known (whether the model fits is checked when it is
    built, by ``lb.models.build_model``)."""
    from lb.data.specs import DATASETS
    from lb.losses.registry import METHODS
    from lb.models.registry import MODELS

    for key, known in (("dataset", DATASETS), ("model", MODELS), ("method", METHODS)):
        value = getattr(cfg, key)
        if value not in known:
            raise ConfigError(f"{key} {value!r} is unknown; choose one of {', '.join(known)}")


def _check_int(cfg: RunConfig, key: str, lo: int, hi: int | None = None) -> None:
    value = getattr(cfg, key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{key} must be an integer, got {value!r}")
    if value < lo:
        raise ConfigError(f"{key} must be >= {lo}, got {value}")
    if hi is not None and value > hi:
        raise ConfigError(f"{key} must be <= {hi}, got {value}")


def _check_number(
    cfg: RunConfig,
    key: str,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
) -> None:
    value = getattr(cfg, key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{key} must be a finite number, got {value!r}")
    too_low = lo is not None and (value <= lo if lo_open else value < lo)
    too_high = hi is not None and (value >= hi if hi_open else value > hi)
    if too_low or too_high:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_txt = "-inf" if lo is None else f"{lo:g}"
        hi_txt = "inf" if hi is None else f"{hi:g}"
        raise ConfigError(f"{key} must be in {left}{lo_txt}, {hi_txt}{right}, got {value:g}")


def _check_plain(value: Any, where: str) -> None:
    """Loss parameters must be plain values (they are stored in weights-only checkpoints)."""
    if value is None or isinstance(value, bool | int | float | str):
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_plain(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for k, item in value.items():
            if not isinstance(k, str):
                raise ConfigError(f"{where} keys must be strings, got {k!r}")
            _check_plain(item, f"{where}.{k}")
        return
    raise ConfigError(f"{where} must hold plain values (numbers, strings, lists), got {value!r}")
