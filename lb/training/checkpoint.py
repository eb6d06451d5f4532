"""Resume state of a run: written atomically after every epoch, loaded with ``weights_only=True``.

A checkpoint is a dict of tensors and plain values only (so the safe weights-only unpickler
accepts it):

- ``format`` (int), ``code`` (:func:`training_code_version`), ``config``
  (``RunConfig.to_dict()``), ``epoch`` (epochs completed, 1-based
  count), ``finished`` (True once training stopped: early stopping or ``max_epochs``);
- ``model``, ``best_model`` (state_dicts), ``optimizer``, ``scheduler``, ``early_stopping``,
  ``distance_loss`` (state_dicts), ``history`` (list of row dicts);
- ``rng``: every random state that influences later epochs (see :func:`capture_rng`).

A checkpoint belongs to the settings it was made with: every key of ``RunConfig.identity()``
(all fields but the machine keys ``data_root``, ``download``, ``cache_dir``, ``num_threads``),
and to the library code that made it: the hash of ``lb.training`` and every module it imports
(:mod:`lb.code_version`; a checkpoint without one predates the check and counts as other code).
:func:`load_checkpoint` raises :class:`StaleCheckpoint` (naming the differences) for one made
with other settings or code; the trainer then deletes it and starts the run afresh, saying so in
its log. The comparison is over the union of the stored and the current keys, so a field added
to ``RunConfig`` later makes older checkpoints stale rather than silently reused. The trainer
deletes the checkpoint once a run's outputs are written (:func:`remove_checkpoint`): a finished
run leaves no resume state behind.
"""

from __future__ import annotations

import functools
import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch

from lb import io
from lb.code_version import code_version
from lb.errors import ConfigError, LBError
from lb.training.config import MACHINE_KEYS, RunConfig

FORMAT = 1
#: The module whose code (with all it imports from lb) trained the weights a checkpoint holds.
TRAINING_MODULE = "lb.training"


@functools.cache
def training_code_version() -> str:
    """:func:`lb.code_version.code_version` of :data:`TRAINING_MODULE` (stored in checkpoints).
    Computed once per process, at its first checkpoint read or write (a run's start): the code
    this process loaded, even if the files are edited while it trains."""
    return code_version(TRAINING_MODULE)


def capture_rng(generators: dict[str, torch.Generator]) -> dict[str, Any]:
    """All RNG states as tensors / plain values: torch CPU, CUDA (when present), Python, NumPy,
    and the explicit generators that drive batching and augmentation."""
    np_name, np_keys, np_pos, np_has_gauss, np_gauss = np.random.get_state()  # noqa: NPY002 - global state
    state: dict[str, Any] = {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        "python": random.getstate(),
        "numpy": {
            "name": str(np_name),
            "keys": torch.from_numpy(np.asarray(np_keys, dtype=np.int64)),
            "pos": int(np_pos),
            "has_gauss": int(np_has_gauss),
            "cached_gaussian": float(np_gauss),
        },
        "generators": {name: gen.get_state() for name, gen in generators.items()},
    }
    return state


def restore_rng(state: dict[str, Any], generators: dict[str, torch.Generator]) -> None:
    """Inverse of :func:`capture_rng` (generators are restored in place)."""
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
    random.setstate(_as_python_state(state["python"]))
    npst = state["numpy"]
    np.random.set_state(  # noqa: NPY002 - global state
        (
            npst["name"],
            npst["keys"].numpy().astype(np.uint32),
            npst["pos"],
            npst["has_gauss"],
            npst["cached_gaussian"],
        )
    )
    missing = set(generators) - set(state["generators"])
    if missing:
        raise LBError(f"checkpoint lacks the state of generator(s) {sorted(missing)}")
    for name, gen in generators.items():
        gen.set_state(state["generators"][name])


def _as_python_state(value: Any) -> tuple:
    """``random.setstate`` wants tuples; the unpickler may hand back lists."""
    version, internal, gauss = value
    return (version, tuple(internal), gauss)


def save_checkpoint(state: dict[str, Any], path: str | os.PathLike) -> None:
    """Write ``state`` atomically (temporary file + rename) via :func:`lb.io.save_torch`."""
    io.save_torch({"format": FORMAT, "code": training_code_version(), **state}, path)


class StaleCheckpoint(ConfigError):
    """A checkpoint made with other settings or code; ``differences``: ``key: stored != now``."""

    def __init__(self, path: Path, differences: list[str]) -> None:
        self.path = path
        self.differences = differences
        super().__init__(
            f"checkpoint {path} was made with other settings ({'; '.join(differences)})"
        )


def load_checkpoint(path: str | os.PathLike, cfg: RunConfig) -> dict[str, Any] | None:
    """Load the checkpoint at ``path`` (None when absent) and check it belongs to ``cfg``.

    Raises :class:`StaleCheckpoint` (a :class:`ConfigError`) when it was made with other
    settings and :class:`LBError` when it cannot be read.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # noqa: BLE001 - any unreadable file gets the same advice
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise LBError(
            f"cannot read checkpoint {path} ({reason}); delete it to start the run afresh"
        ) from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise LBError(f"checkpoint {path} has an unknown format; delete it to start the run afresh")
    differing = config_differences(state["config"], cfg)
    stored_code, code = state.get("code"), training_code_version()
    if stored_code != code:
        stored_text = stored_code[:12] if isinstance(stored_code, str) else "none (older file)"
        differing.insert(0, f"library code of {TRAINING_MODULE}: {stored_text} != {code[:12]}")
    if differing:
        raise StaleCheckpoint(path, differing)
    return state


# Settings added after checkpoints of this format were first written, with the value every older
# checkpoint was trained with: a checkpoint that predates a key compares as having that value.
PREDATED_SETTINGS: dict[str, Any] = {"precision": "fp32"}
PREDATED_LOSS_SETTINGS: dict[str, dict[str, Any]] = {"latent_boost": {"e_total": None}}


def remove_checkpoint(path: str | os.PathLike) -> None:
    """Delete a checkpoint and any temporary file an interrupted write of it left behind."""
    path = Path(path)
    path.unlink(missing_ok=True)
    if path.parent.is_dir():
        for tmp in path.parent.glob(f".{path.name}.*.tmp"):
            tmp.unlink(missing_ok=True)


def config_differences(stored: dict[str, Any], cfg: RunConfig) -> list[str]:
    """Human-readable ``key: stored != current`` items for the keys that determine the numbers.

    Keys a checkpoint predates (:data:`PREDATED_SETTINGS`, :data:`PREDATED_LOSS_SETTINGS`) count
    as the value it was trained with (fp32; E_total = max_epochs) on both sides, so an older
    checkpoint still resumes and leaving a key out equals giving that value.
    """
    stored = _with_predated_settings(stored)
    current = _with_predated_settings(cfg.identity())
    keys = sorted((set(stored) | set(current)) - MACHINE_KEYS)
    return [
        f"{key}: {stored.get(key)!r} != {current.get(key)!r}"
        for key in keys
        if stored.get(key) != current.get(key)
    ]


def _with_predated_settings(config: dict[str, Any]) -> dict[str, Any]:
    config = {**PREDATED_SETTINGS, **config}
    loss_params = config.get("loss_params")
    if isinstance(loss_params, dict):
        config["loss_params"] = {
            family: {**PREDATED_LOSS_SETTINGS.get(family, {}), **values}
            if isinstance(values, dict)
            else values
            for family, values in loss_params.items()
        }
    return config
