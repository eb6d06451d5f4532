"""The ``vae:`` block of the workflow config as frozen dataclasses.

Keys, types, ranges and defaults live in one place, the JSON schema
(``schemas/config.schema.yaml``, ``properties.vae``), which ``lb.workflow.config.load_config``
applies. :meth:`VAEConfig.from_block` then reads the validated block once, with the checks the
schema cannot express: ``seed`` (one int) and ``seeds`` (a list) exclusive, ``seeds`` defaulting to
``[0]``, finite numbers, and the dataset-dependent nulls resolved (``hidden``: (512, 256) for mnist,
(128, 64) for digits; ``cnn_model``: ``fashion_cnn`` for mnist, ``digits_cnn`` for digits).

Each workflow step gets only the keys it depends on (:data:`STEP_KEYS`, its Snakemake params: a
change reruns only the steps that use the key) and reads them into its own small dataclass
(:class:`CNNSettings`, :class:`VAESettings`, :class:`AnalysisSettings`, each a
:class:`DataSettings`, the images, plus its own keys; :class:`VAETraining` is how one VAE is
trained). The step's keys are its dataclass's fields, so each key is listed once here.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from lb import config_schema
from lb.errors import ConfigError

DEFAULT_HIDDEN = {"mnist": (512, 256), "digits": (128, 64)}
DEFAULT_CNN = {"mnist": "fashion_cnn", "digits": "digits_cnn"}
FLOAT_KEYS = ("beta", "alpha", "margin", "lr", "cnn_lr", "svm_c")


@dataclasses.dataclass(frozen=True)
class VAEConfig:
    """The validated ``vae:`` block (meaning of each key: the schema's descriptions)."""

    enabled: bool
    dataset: str
    latent_dim: int
    hidden: tuple[int, ...]
    beta: float
    alpha: float
    margin: float
    epochs: int
    batch_size: int
    lr: float
    seeds: tuple[int, ...]
    cnn_model: str
    cnn_epochs: int
    cnn_batch_size: int
    cnn_lr: float
    svm_c: float
    traversal_steps: int
    top_k: int
    n_examples: int
    tsne_points: int | None
    train_limit: int | None
    test_limit: int | None

    @classmethod
    def from_block(cls, block: dict[str, Any]) -> VAEConfig:
        """Read a schema-validated ``vae:`` block (defaults filled); :class:`ConfigError`
        naming ``vae.<key>`` for what the schema cannot check (module docstring)."""
        block = dict(block)
        if "seed" in block and "seeds" in block:
            raise ConfigError(
                "vae.seed: give either vae.seed (one int) or vae.seeds (a list), not both"
            )
        seeds = [block.pop("seed")] if "seed" in block else block.pop("seeds", [0])
        for key in FLOAT_KEYS:
            if not math.isfinite(block[key]):
                raise ConfigError(f"vae.{key}: must be a finite number, got {block[key]}")
            block[key] = float(block[key])
        dataset = block["dataset"]
        hidden = block["hidden"] if block["hidden"] is not None else DEFAULT_HIDDEN[dataset]
        cnn = block["cnn_model"] if block["cnn_model"] is not None else DEFAULT_CNN[dataset]
        fields = {**block, "seeds": tuple(seeds), "hidden": tuple(hidden), "cnn_model": cnn}
        return cls(**{f.name: fields[f.name] for f in dataclasses.fields(cls)})

    @classmethod
    def from_plain(cls, block: dict[str, Any]) -> VAEConfig:
        """The block as :meth:`to_block` wrote it (already read, e.g. the workflow's
        ``config["vae"]`` or a rule's params): no checks, lists back to tuples."""
        return _from_plain(cls, block)

    @classmethod
    def defaults(cls) -> VAEConfig:
        """The block with every default of the schema (for tools outside the workflow)."""
        return cls.from_block(schema_defaults())

    def to_block(self) -> dict[str, Any]:
        """Plain values (lists, not tuples) for the workflow's ``config["vae"]``."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


def _from_plain(cls, values: dict[str, Any]):
    fields = {f.name: values[f.name] for f in dataclasses.fields(cls)}
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})


def schema_defaults() -> dict[str, Any]:
    """``{key: default}`` of the ``vae:`` block in the schema (a new dict each call)."""
    return config_schema.defaults("properties", "vae")


def step_settings(cfg: VAEConfig, step: str) -> dict[str, Any]:
    """The keys ``step`` (cnn, triplet, vanilla, analysis) depends on, sorted, plain values."""
    block = cfg.to_block()
    return {key: block[key] for key in sorted(STEP_KEYS[step])}


@dataclasses.dataclass(frozen=True)
class DataSettings:
    """Which images the study uses (stratified subsets, :func:`lb.data.stratified_subset`); the
    base of every step's settings."""

    dataset: str
    train_limit: int | None
    test_limit: int | None

    @classmethod
    def from_params(cls, settings: dict[str, Any]):
        """The step's fields from its params (:func:`step_settings`; extra keys are only rerun
        triggers). A missing key is a bug of the rule, not a user error: ``KeyError``."""
        return _from_plain(cls, settings)

    @property
    def data(self) -> DataSettings:
        """The step's images: ``dataset``, ``train_limit``, ``test_limit``."""
        return DataSettings(self.dataset, self.train_limit, self.test_limit)


@dataclasses.dataclass(frozen=True)
class CNNSettings(DataSettings):
    """The CNN under test and its training with the lb trainer."""

    cnn_model: str
    cnn_epochs: int
    cnn_batch_size: int
    cnn_lr: float


@dataclasses.dataclass(frozen=True)
class VAETraining:
    """How one VAE is trained (:func:`lb.tvae.training.train_vae`): its size, the loss's weights
    and margin, Adam's schedule. The vanilla VAE's has α = 0 and no margin (None)."""

    latent_dim: int
    hidden: tuple[int, ...]
    beta: float
    alpha: float
    margin: float | None
    epochs: int
    batch_size: int
    lr: float

    @classmethod
    def of(cls, cfg: VAEConfig, **changes: Any) -> VAETraining:
        """The training the ``vae:`` block describes, with ``changes`` (e.g. another α)."""
        return _from_plain(cls, {**cfg.to_block(), **changes})


@dataclasses.dataclass(frozen=True)
class VAESettings(VAETraining, DataSettings):
    """One VAE's step: its images and its :class:`VAETraining`; the vanilla VAE's
    (:meth:`vanilla`) has α = 0 and no margin."""

    @classmethod
    def vanilla(cls, settings: dict[str, Any]) -> VAESettings:
        return cls.from_params({**settings, "alpha": 0.0, "margin": None})


@dataclasses.dataclass(frozen=True)
class AnalysisSettings(DataSettings):
    """The analysis of one seed: SVMs, agreement, top-K, traversals, t-SNE subset."""

    cnn_model: str
    svm_c: float
    traversal_steps: int
    top_k: int
    n_examples: int
    tsne_points: int | None


def _names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


# The keys each workflow step depends on (its Snakemake params): the fields of its dataclass, so
# that a change reruns only the steps that use the key (e.g. a new top_k reruns the analysis, not
# the training). The analysis also depends on everything the CNN and the triplet VAE depend on.
STEP_KEYS: dict[str, tuple[str, ...]] = {"cnn": _names(CNNSettings), "triplet": _names(VAESettings)}
# the vanilla VAE has alpha = 0 and no margin, so they do not change it
STEP_KEYS["vanilla"] = tuple(k for k in STEP_KEYS["triplet"] if k not in ("alpha", "margin"))
STEP_KEYS["analysis"] = tuple(
    dict.fromkeys(STEP_KEYS["cnn"] + STEP_KEYS["triplet"] + _names(AnalysisSettings))
)
