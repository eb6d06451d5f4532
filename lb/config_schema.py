"""The workflow config's JSON schema, ``schemas/config.schema.yaml``: its path and its defaults.

The schema is the one home of every config key's type, range and default. The workflow applies
it (``lb.workflow.config``); code that needs a default outside the workflow reads it here:
:class:`lb.training.RunConfig` (so ``python -m lb.training`` trains like the workflow) and
:meth:`lb.tvae.config.VAEConfig.defaults`. A leaf module: it imports nothing from lb.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "config.schema.yaml"


def defaults(*where: str) -> dict[str, Any]:
    """``{key: default}`` of the object schema at ``where`` (a new dict each call), e.g.
    ``defaults("$defs", "training_defaults")`` or ``defaults("properties", "vae")``; keys
    without a default are left out."""
    node = _schema()
    for key in where:
        node = node[key]
    props = node.get("properties", {})
    return {key: copy.deepcopy(spec["default"]) for key, spec in props.items() if "default" in spec}


@cache
def _schema() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))
