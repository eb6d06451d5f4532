"""Load and check the workflow configuration before any job runs.

:func:`load_config` takes a YAML path or an already-parsed mapping and returns a new dict with
every default filled in. It runs three layers of checks and raises :class:`lb.errors.ConfigError`
with ONE line naming the key path (``experiments.cifar10.training.lr: ...``) and the fix:

1. YAML syntax (for paths): ``file:line:column``.
2. The JSON Schema ``schemas/config.schema.yaml`` through ``snakemake.utils.validate``, which also
   fills the defaults: unknown keys, wrong types, values out of range. The schema's
   ``description`` of the failing key is appended as the fix.
3. Semantic checks the schema cannot express: unknown dataset, model or method names, a model
   that does not fit its dataset, the baseline at λ ≠ 0, two experiments on one dataset, λ values
   that two runs would format to the same directory, warm-up not shorter than ``max_epochs``, NaN
   or infinity anywhere (``.nan``/``.inf`` pass the schema's ranges), an unreadable data root
   when not downloading, a config with no runs, and what the schema cannot say about the
   ``vae:`` block (:meth:`lb.tvae.config.VAEConfig.from_block`).

:func:`workflow_config` is what the Snakefile calls: it chooses the config source (the default
``config.yaml`` only when no ``--configfile`` was given) and applies ``--config`` overrides.

``python -m lb.workflow.config FILE`` checks a file from the shell (exit 1 and one line on error).
"""

from __future__ import annotations

import difflib
import math
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lb.config_schema import SCHEMA_PATH
from lb.errors import ConfigError
from lb.seeds import MAX_SEED
from lb.tvae.config import VAEConfig
from lb.workflow import registries
from lb.workflow.runs import (
    BASELINE,
    BEST_LAMBDA_TABLES,
    LAMBDA_GRID_TABLES,
    enumerate_runs,
    format_lam,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_PATH = REPO_ROOT / "config.yaml"

_MAX_VALUE_CHARS = 60


# --------------------------------------------------------------------------------------- loading
def read_yaml(path: str | os.PathLike) -> dict:
    """Parse a YAML config file with ``yaml.safe_load``; errors name the file (and line)."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found; check the path") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read config file ({_one_line(err)})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = err.problem or err.context or "invalid YAML"
        raise ConfigError(
            f"{where}: YAML syntax error ({problem}); fix the file "
            "(indent with spaces, close every bracket and quote)"
        ) from None
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: YAML syntax error ({_one_line(err)}); fix the file") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: the config must be a mapping of keys to values at the top level, "
            f"got {type(data).__name__}"
        )
    return data


def load_config(source: str | os.PathLike | Mapping[str, Any], dry_run: bool = False) -> dict:
    """The validated config with defaults filled in (a new dict; ``source`` is not modified).

    ``dry_run``: a missing or unreadable data root is a warning on stderr instead of an error
    (a dry run reads no data; it shows the plan on a fresh checkout without the datasets).
    """
    data = read_yaml(source) if isinstance(source, str | os.PathLike) else _plain(source)
    if not isinstance(data, dict):
        raise ConfigError("config: expected a mapping of keys to values at the top level")
    validate_schema(data)
    data = _plain(data)  # unshare: defaults filled in are the schema's (shared) objects
    check_semantics(data, dry_run=dry_run)
    data["vae"] = check_vae_block(data["vae"])
    _check_seed_range(data["vae"].get("seeds") or [], "vae.seeds")
    return data


def _check_seed_range(seeds: list, key: str) -> None:
    """Seeds reach ``np.random.seed``, which takes 32 bits (the top-level ``seeds`` are checked by
    the schema)."""
    for i, seed in enumerate(seeds):
        if isinstance(seed, int) and not 0 <= seed <= MAX_SEED:
            raise ConfigError(
                f"{key}[{i}]: {seed} is outside [0, {MAX_SEED}]; NumPy takes 32-bit seeds, "
                "choose a smaller seed"
            )


def workflow_config(
    cli_config: Mapping[str, Any],
    cli_configfiles: list | tuple | None,
    config_args: list | tuple | None = None,
    default_path: str | os.PathLike = DEFAULT_CONFIG_PATH,
    dry_run: bool = False,
) -> dict:
    """The config a Snakemake invocation runs with.

    ``cli_config`` is Snakemake's ``config`` as the Snakefile sees it before any ``configfile:``
    directive: the ``--configfile`` files merged in order, then ``--config`` on top. When no
    ``--configfile`` was given, the default file (the paper's grid) is read first and
    ``cli_config`` (the ``--config`` values) is merged onto it. So ``--configfile
    configs/demo.yaml`` *replaces* the paper's grid instead of being merged into it (Snakemake's
    ``configfile:`` directive would merge, leaving the paper's experiments in every demo run).

    ``config_args`` are the raw ``--config KEY=VALUE`` strings: Snakemake types nested values as
    text (``seeds=[0,1]`` gives ``['0', '1']``), so they are parsed again with ``yaml.safe_load``
    and applied last. ``dry_run``: see :func:`load_config`.
    """
    if cli_configfiles:
        merged = _plain(cli_config)
    else:
        merged = read_yaml(default_path)
        _deep_update(merged, _plain(cli_config))
    _deep_update(merged, parse_config_args(config_args or ()))
    return load_config(merged, dry_run=dry_run)


def parse_config_args(args: list | tuple) -> dict:
    """``["seeds=[0, 1]", "ablation={enabled: false}"]`` -> typed dict (``yaml.safe_load``)."""
    import yaml

    parsed: dict = {}
    for arg in args:
        key, sep, text = str(arg).partition("=")
        if not sep or not key:
            raise ConfigError(f"--config {arg}: expected KEY=VALUE, e.g. --config seeds=[0,1]")
        try:
            value = yaml.safe_load(text) if text else None
        except yaml.YAMLError as err:
            raise ConfigError(
                f"--config {key}: value {text!r} is not valid YAML ({_one_line(err)})"
            ) from None
        _deep_update(parsed, {key: value})
    return parsed


# ---------------------------------------------------------------------------------------- schema
def validate_schema(data: dict, schema_path: str | os.PathLike = SCHEMA_PATH) -> None:
    """Validate ``data`` in place with ``snakemake.utils.validate`` (fills the defaults)."""
    import jsonschema
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    try:
        validate(data, str(schema_path), set_default=True)
    except WorkflowError as err:
        cause = err.__context__
        if isinstance(cause, jsonschema.ValidationError):
            raise ConfigError(describe_schema_error(cause)) from None
        raise ConfigError(f"config: {_one_line(err)}") from None


def describe_schema_error(error) -> str:
    """One line for a ``jsonschema.ValidationError``: key path, problem, fix."""
    path = _key_path(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    fix = schema.get("description")
    value = error.instance
    kind = error.validator

    if kind == "additionalProperties" and isinstance(value, dict):
        known = sorted(schema.get("properties", {}))
        extra = sorted(k for k in value if k not in known)
        if known and extra:
            name = extra[0]
            close = difflib.get_close_matches(str(name), known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            return f"{_join(path, name)}: unknown key; {hint}known keys here: {', '.join(known)}"
        # additionalProperties is a schema (e.g. experiments.<name>): report the inner error
    if kind == "required":
        missing = [k for k in error.validator_value if k not in value]
        name = missing[0] if missing else "?"
        sub = schema.get("properties", {}).get(name, {})
        hint = sub.get("description") or fix
        return (
            f"{_join(path, name)}: missing; add it ({hint})"
            if hint
            else (f"{_join(path, name)}: missing; add it")
        )
    if kind == "propertyNames":
        return f"{path}: bad name {value!r}; use lower-case letters, digits and _ ({fix or ''})"
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        problem = f"expected {expected}, got {_show(value)}"
        if isinstance(value, str) and _looks_numeric(value):
            problem += (
                " (YAML reads 1e-3 as text: write 1.0e-3 or 0.001)"
                if "e" in value.lower()
                else " (a quoted number is text: drop the quotes)"
            )
        return _with_fix(path, problem, fix)
    if kind == "minItems" and error.validator_value == 1:
        return _with_fix(path, "must not be empty", fix)
    if kind == "uniqueItems":
        return _with_fix(path, f"has repeated entries {_show(value)}", fix)
    if kind == "oneOf":
        return _with_fix(path, f"bad value {_show(value)}", fix)
    return _with_fix(path, _one_line(error.message), fix)


# ------------------------------------------------------------------------------------- semantics
def check_semantics(cfg: dict, dry_run: bool = False) -> None:
    """The checks the JSON Schema cannot express (see the module docstring)."""
    _check_finite_numbers(cfg, "")
    _check_results_dir(cfg)
    _check_experiments(cfg)
    _check_tables(cfg)
    _check_data_root(cfg, dry_run)
    if not enumerate_runs(cfg):
        raise ConfigError(
            "tables: the config asks for no training run; list methods under "
            "tables.table2/table3 (method: [lambdas]) or tables.table4/table5 (methods)"
        )


def experiment_training(cfg: Mapping[str, Any], experiment: str) -> dict:
    """The training settings of ``experiment``: top-level ``training`` then its own overrides."""
    return {**cfg["training"], **cfg["experiments"][experiment].get("training", {})}


def experiment_resources(cfg: Mapping[str, Any], experiment: str) -> dict:
    """The cluster resources of ``experiment``: top-level ``resources`` then its own overrides."""
    return {**cfg["resources"], **cfg["experiments"][experiment].get("resources", {})}


def _check_finite_numbers(value: Any, path: str) -> None:
    """No NaN or infinity anywhere: YAML reads ``.nan`` and ``.inf`` as numbers, and the schema's
    ranges do not catch them (every comparison with NaN is false)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{path}: {value!r} is not a finite number; write a number (e.g. 0.001)")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_finite_numbers(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_finite_numbers(item, f"{path}[{i}]")


def _check_results_dir(cfg: dict) -> None:
    """Snakemake reads ``<name>`` in a path as a path variable and ``{name}`` as a wildcard."""
    bad = [c for c in "{}<>" if c in str(cfg["results_dir"])]
    if bad:
        raise ConfigError(
            f"results_dir: {cfg['results_dir']!r} contains {bad[0]!r}; Snakemake reads <name> "
            "in a path as a path variable and {name} as a wildcard; choose a directory name "
            "without {, }, < or >"
        )


def _check_experiments(cfg: dict) -> None:
    used: dict[str, str] = {}
    for name, exp in cfg["experiments"].items():
        key = f"experiments.{name}"
        dataset, model = exp["dataset"], exp["model"]
        if dataset not in registries.DATASETS:
            raise ConfigError(
                f"{key}.dataset: unknown dataset {dataset!r}; "
                f"choose one of {', '.join(registries.DATASETS)}"
            )
        if model not in registries.MODELS:
            close = difflib.get_close_matches(model, list(registries.MODELS), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(
                f"{key}.model: unknown model {model!r}; {hint}"
                f"choose one of {', '.join(registries.MODELS)}"
            )
        misfit = registries.model_misfit(model, dataset)
        if misfit:
            raise ConfigError(
                f"{key}.model: {misfit}; models that fit {dataset}: "
                f"{', '.join(registries.fitting_models(dataset)) or 'none'}"
            )
        if dataset in used:
            raise ConfigError(
                f"{key}.dataset: {dataset} is already used by experiments.{used[dataset]}; "
                "run directories are named by dataset, so give each dataset one experiment"
            )
        used[dataset] = name
        _check_lambda_format(f"{key}.best_lambda", exp["best_lambda"])
        training = experiment_training(cfg, name)
        if training["warmup_epochs"] >= training["max_epochs"]:
            where = "training" if "warmup_epochs" not in exp["training"] else f"{key}.training"
            raise ConfigError(
                f"{where}.warmup_epochs: {training['warmup_epochs']} warm-up epochs leave none "
                f"of max_epochs={training['max_epochs']} for the distance term; "
                "make warmup_epochs smaller than max_epochs"
            )


def _check_tables(cfg: dict) -> None:
    known = registries.METHODS
    tables = cfg["tables"]
    for table in LAMBDA_GRID_TABLES:
        for method, lams in tables[table].items():
            key = f"tables.{table}.{method}"
            _check_method(key, method, known)
            for i, lam in enumerate(lams):
                _check_lambda_format(f"{key}[{i}]", lam)
                if method == BASELINE and lam != 0:
                    raise ConfigError(
                        f"{key}[{i}]: the baseline has no distance term, so its lambda must be 0 "
                        f"(got {lam:g}); write {table}: {{baseline: [0]}}"
                    )
    for table in BEST_LAMBDA_TABLES:
        for i, method in enumerate(tables[table]):
            _check_method(f"tables.{table}[{i}]", method, known)
    for i, method in enumerate(cfg["ablation"]["methods"]):
        _check_method(f"ablation.methods[{i}]", method, known)


def _check_method(key: str, method: str, known: tuple[str, ...]) -> None:
    if method not in known:
        close = difflib.get_close_matches(method, list(known), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(
            f"{key}: unknown method {method!r}; {hint}choose one of {', '.join(known)}"
        )


def _check_lambda_format(key: str, lam: float) -> None:
    """Run directories use ``f"{lam:g}"``: the value must survive that formatting unchanged."""
    if not math.isfinite(lam) or float(format_lam(lam)) != float(lam):
        raise ConfigError(
            f"{key}: lambda {lam!r} has more than 6 significant digits; run directories are "
            f"named lambda{format_lam(lam)}, so round it (e.g. {format_lam(lam)})"
        )


def _check_data_root(cfg: dict, dry_run: bool = False) -> None:
    needs_files = sorted(
        {e["dataset"] for e in cfg["experiments"].values()} - registries.BUNDLED_DATASETS
    )
    if cfg["download"] or not needs_files:
        return
    root = cfg["data_root"]
    if root is not None and str(root) != "":
        key, path = "data_root", Path(root).expanduser()
    elif os.environ.get("LB_DATA_ROOT"):
        key, path = "data_root (from $LB_DATA_ROOT)", Path(os.environ["LB_DATA_ROOT"]).expanduser()
    else:
        key, path = "data_root (default ./data)", Path("data")
    if not path.is_dir() or not os.access(path, os.R_OK | os.X_OK):
        message = (
            f"{key}: {path} is not a readable directory but {', '.join(needs_files)} must be "
            "read from it; set data_root (or $LB_DATA_ROOT) to the folder holding the datasets, "
            "or set download: true"
        )
        if not dry_run:
            raise ConfigError(message)
        print(f"Warning (dry run: the plan is shown, a real run stops): {message}", file=sys.stderr)


def check_vae_block(block: dict) -> dict:
    """The schema-validated ``vae:`` block read once into :class:`lb.tvae.config.VAEConfig`
    (the checks the schema cannot express), as plain values for ``config["vae"]``."""
    return VAEConfig.from_block(block).to_block()


# --------------------------------------------------------------------------------------- helpers
def _plain(value: Any) -> Any:
    """Deep copy into plain dicts/lists (Snakemake hands over OrderedDicts)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _deep_update(base: dict, update: Mapping) -> None:
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _deep_update(base[key], value)
        else:
            base[key] = value


def _key_path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "config"


def _join(path: str, name: str) -> str:
    return name if path == "config" else f"{path}.{name}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 3] + "..."


def _one_line(err: Any) -> str:
    return " ".join(str(err).split())


def _with_fix(path: str, problem: str, fix: str | None) -> str:
    return f"{path}: {problem}; expected {_one_line(fix)}" if fix else f"{path}: {problem}"


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """``python -m lb.workflow.config FILE...``: check config files, one line per problem."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m lb.workflow.config CONFIG.yaml [...]", file=sys.stderr)
        return 2
    status = 0
    for path in args:
        try:
            cfg = load_config(path)
        except ConfigError as err:
            print(f"ConfigError: {err}", file=sys.stderr)
            status = 1
        else:
            print(f"{path}: OK ({len(enumerate_runs(cfg))} training runs)")
    return status


if __name__ == "__main__":
    sys.exit(main())
