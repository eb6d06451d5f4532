"""Reliability: a malformed config stops `snakemake -n` before any job, with exit != 0, ONE
message line naming the key (or the file and line) and no Python traceback.

Each case is configs/test.yaml with one thing broken. Every case is checked in-process with the
Snakefile's own function; 28 of them (and three YAML syntax errors) also run as
`snakemake -n --configfile BAD`, two at a time in a module fixture. A missing data root is the
exception: a dry run only warns (it reads no data), a real run stops (tested separately).

Snakemake parses a --configfile itself before the Snakefile runs, so for a YAML syntax error in
a --configfile the message is Snakemake's own (two lines, no file name, no traceback; see
docs/contracts.md, "Config errors"). A syntax error in the default config.yaml is read by
lb.workflow.config and named with file and line; both are tested.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from helpers import REPO, copy_workflow, snakemake

from lb.errors import ConfigError
from lb.workflow.config import read_yaml, workflow_config

BASE = yaml.safe_load((REPO / "configs" / "test.yaml").read_text())
FASHION = {"dataset": "fashion_mnist", "model": "fashion_cnn", "best_lambda": 0.75}


def edit(path, value):
    """A mutation that sets the dotted key ``path`` (``a.b.c``) to ``value``."""

    def apply(cfg):
        *parents, last = path.split(".")
        node = cfg
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value

    return apply


def drop(path):
    def apply(cfg):
        *parents, last = path.split(".")
        node = cfg
        for key in parents:
            node = node[key]
        del node[last]

    return apply


def both(*mutations):
    def apply(cfg):
        for mutate in mutations:
            mutate(cfg)

    return apply


# id, mutation of configs/test.yaml (or raw YAML text), text the one line must contain
CASES = [
    ("unknown-top-key", edit("resutls_dir", "x"), "resutls_dir: unknown key"),
    ("unknown-training-key", edit("training.lrr", 0.1), "training.lrr: unknown key"),
    ("unknown-experiment-key", edit("experiments.digits.modle", "x"), "experiments.digits.modle"),
    (
        "unknown-exp-training-key",
        edit("experiments.digits.training", {"max_epoch": 3}),
        "experiments.digits.training.max_epoch",
    ),
    ("unknown-table", edit("tables.table6", []), "tables.table6"),
    ("unknown-loss-family", edit("losses.arcface", {}), "losses.arcface"),
    ("unknown-loss-key", edit("losses.magnet.margin", 0.5), "losses.magnet.margin"),
    ("lr-wrong-type", edit("training.lr", "fast"), "training.lr: expected number"),
    ("lr-yaml-text", "training:\n  lr: 1e-3\n", "training.lr"),
    (
        "lr-negative",
        edit("experiments.digits.training", {"lr": -0.1}),
        "experiments.digits.training.lr",
    ),
    ("batch-size-1", edit("training.batch_size", 1), "training.batch_size"),
    ("epochs-zero", edit("training.max_epochs", 0), "training.max_epochs"),
    (
        "epochs-negative",
        edit("experiments.digits.training", {"max_epochs": -3}),
        "experiments.digits.training.max_epochs",
    ),
    ("warmup-too-long", edit("training.warmup_epochs", 5), "training.warmup_epochs"),
    ("val-fraction", edit("training.val_fraction", 1.5), "training.val_fraction"),
    ("train-limit-zero", edit("training.train_limit", 0), "training.train_limit"),
    ("seeds-empty", edit("seeds", []), "seeds"),
    ("seeds-negative", edit("seeds", [-1]), "seeds[0]"),
    ("seeds-not-list", edit("seeds", "0"), "seeds"),
    ("seeds-repeated", edit("seeds", [0, 0]), "seeds"),
    ("lambda-above-1", edit("tables.table3.latent_boost", [1.5]), "tables.table3.latent_boost[0]"),
    ("lambda-below-0", edit("tables.table2.magnet", [-0.1]), "tables.table2.magnet[0]"),
    (
        "lambda-digits",
        edit("tables.table3.latent_boost", [0.1234567]),
        "tables.table3.latent_boost[0]",
    ),
    ("best-lambda", edit("experiments.digits.best_lambda", 2), "experiments.digits.best_lambda"),
    ("baseline-lambda", edit("tables.table2.baseline", [0.5]), "tables.table2.baseline[0]"),
    ("unknown-dataset", edit("experiments.digits.dataset", "svhn"), "experiments.digits.dataset"),
    ("unknown-model", edit("experiments.digits.model", "vgg19"), "experiments.digits.model"),
    (
        "model-misfit-channels",
        edit("experiments.digits.model", "vgg16"),
        "experiments.digits.model",
    ),
    (
        "model-misfit-size",
        both(edit("experiments.digits.model", "fashion_cnn"), edit("download", True)),
        "experiments.digits.model",
    ),
    ("unknown-method-grid", edit("tables.table2.arcface", [0.5]), "tables.table2.arcface"),
    ("unknown-method-table4", edit("tables.table4", ["baseline", "magent"]), "tables.table4[1]"),
    ("unknown-ablation-method", edit("ablation.methods", ["nope"]), "ablation.methods[0]"),
    ("ablation-enabled-type", edit("ablation.enabled", "maybe"), "ablation.enabled"),
    (
        "variance-threshold-zero",
        edit("losses.latent_boost", {"variance_threshold": 0}),
        "losses.latent_boost.variance_threshold",
    ),
    (
        "variance-threshold-above-1",
        edit("losses.latent_boost", {"variance_threshold": 1.2}),
        "losses.latent_boost.variance_threshold",
    ),
    (
        "triplets-per-anchor",
        edit("losses.triplet", {"triplets_per_anchor": "some"}),
        "losses.triplet.triplets_per_anchor",
    ),
    (
        "data-root-missing",
        both(edit("experiments", {"fashion": FASHION}), edit("data_root", "/nonexistent/lb-data")),
        "data_root",
    ),
    (
        "data-root-is-file",
        both(
            edit("experiments", {"fashion": FASHION}), edit("data_root", str(REPO / "config.yaml"))
        ),
        "data_root",
    ),
    ("download-type", edit("download", "yes"), "download"),
    ("device", edit("device", "gpu"), "device"),
    ("gpu-negative", edit("resources.gpu", -1), "resources.gpu"),
    (
        "threads-zero",
        edit("experiments.digits.resources", {"threads": 0}),
        "experiments.digits.resources.threads",
    ),
    ("results-dir-empty", edit("results_dir", ""), "results_dir"),
    ("no-experiments", drop("experiments"), "experiments: missing"),
    ("experiments-empty", edit("experiments", {}), "experiments"),
    (
        "experiment-missing-model",
        drop("experiments.digits.model"),
        "experiments.digits.model: missing",
    ),
    (
        "experiment-name",
        edit("experiments", {"Digits": BASE["experiments"]["digits"]}),
        "experiments",
    ),
    (
        "dataset-twice",
        edit("experiments.digits2", dict(BASE["experiments"]["digits"])),
        "experiments.digits2.dataset",
    ),
    ("no-runs", both(edit("tables", {}), edit("ablation.enabled", False)), "tables"),
    ("vae-bad-value", edit("vae", {"enabled": False, "epochs": 0}), "vae.epochs"),
    ("vae-unknown-key", edit("vae", {"enabled": False, "epochz": 3}), "vae.epochz"),
    # NumPy takes 32-bit seeds; YAML's .nan/.inf pass the schema's ranges
    ("seed-above-32-bits", edit("seeds", [1099511627776]), "seeds[0]: 1099511627776"),
    ("vae-seed-above-32-bits", edit("vae", {"enabled": False, "seeds": [2**40]}), "vae.seeds[0]"),
    ("lr-nan", "training:\n  lr: .nan\n", "training.lr: nan is not a finite number"),
    ("lr-inf", edit("training.lr", float("inf")), "training.lr: inf is not a finite number"),
]
# The cases also run through `snakemake -n` (all cases are checked in-process, which is fast).
CLI_CASES = {
    "unknown-top-key",
    "unknown-training-key",
    "unknown-exp-training-key",
    "unknown-loss-key",
    "lr-wrong-type",
    "lr-yaml-text",
    "lr-negative",
    "epochs-zero",
    "epochs-negative",
    "warmup-too-long",
    "seeds-empty",
    "seeds-negative",
    "lambda-above-1",
    "lambda-below-0",
    "best-lambda",
    "baseline-lambda",
    "unknown-dataset",
    "unknown-model",
    "model-misfit-channels",
    "model-misfit-size",
    "unknown-method-grid",
    "unknown-ablation-method",
    "variance-threshold-zero",
    "variance-threshold-above-1",
    "seed-above-32-bits",
    "lr-nan",
    "no-experiments",
    "vae-bad-value",
}
# YAML syntax errors in a --configfile: Snakemake's own message (see the module docstring).
SNAKEMAKE_PARSED = [
    ("yaml-unclosed-bracket", "seeds: [0, 1\ntraining:\n  lr: 0.1\n"),
    ("yaml-tab-indent", "training:\n\tlr: 0.1\n"),
]


def render(case) -> str:
    """The YAML text of a case: a mutated copy of the base, or raw YAML replacing one block."""
    cfg = yaml.safe_load(yaml.safe_dump(BASE))
    mutation = case[1]
    if isinstance(mutation, str):  # raw YAML (e.g. 1e-3, which YAML reads as text)
        cfg.pop(mutation.split(":", 1)[0], None)
        return yaml.safe_dump(cfg, sort_keys=False) + mutation
    mutation(cfg)
    return yaml.safe_dump(cfg, sort_keys=False)


def dry_run(workdir: Path, *args: str):
    """``snakemake -n`` in ``workdir`` (tests/helpers.py: no ``LB_DATA_ROOT``)."""
    return snakemake(workdir, "-n", "--cores", "1", *args, timeout=300)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("config_errors")
    texts = {case[0]: render(case) for case in CASES if case[0] in CLI_CASES}
    texts.update(SNAKEMAKE_PARSED)
    jobs = {}
    for name, text in texts.items():
        path = root / f"{name}.yaml"
        path.write_text(text)
        jobs[name] = (
            "-s",
            str(REPO / "Snakefile"),
            "-d",
            str(root / name),
            "--configfile",
            str(path),
        )
    # A syntax error in the default config.yaml (no --configfile): a copy of the workflow.
    copy = copy_workflow(root / "workflow_copy")
    (copy / "config.yaml").write_text("results_dir: results\nseeds: [0, 1\nexperiments: {}\n")
    for name in jobs:
        (root / name).mkdir(exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(dry_run, root / name, *args) for name, args in jobs.items()}
        futures["default-config-yaml"] = pool.submit(dry_run, copy)
        return {name: future.result() for name, future in futures.items()}


def output_lines(proc) -> list[str]:
    return [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]


def test_at_least_30_cases():
    assert len(CLI_CASES) + len(SNAKEMAKE_PARSED) + 1 >= 30
    assert len({c[0] for c in CASES}) == len(CASES)
    assert CLI_CASES <= {c[0] for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_config_error_in_process(tmp_path, monkeypatch, case):
    """The same check as the Snakefile's, without starting snakemake (every case)."""
    name, _, expected = case
    monkeypatch.delenv("LB_DATA_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / f"{name}.yaml"
    path.write_text(render(case))
    with pytest.raises(ConfigError) as info:
        workflow_config(read_yaml(path), [str(path)])
    message = str(info.value)
    assert "\n" not in message
    assert expected in message, message


CLI = [c for c in CASES if c[0] in CLI_CASES]


@pytest.mark.parametrize("case", CLI, ids=[c[0] for c in CLI])
def test_config_error_is_one_line_naming_the_key(results, case):
    name, _, expected = case
    proc = results[name]
    lines = output_lines(proc)
    assert proc.returncode != 0, lines
    assert "Traceback" not in proc.stdout + proc.stderr
    assert len(lines) == 1, lines
    assert lines[0].startswith("ConfigError: "), lines
    assert expected in lines[0], lines
    assert not (Path(proc.args[proc.args.index("-d") + 1]) / "results").exists()


def test_yaml_error_in_default_config_names_file_and_line(results):
    proc = results["default-config-yaml"]
    lines = output_lines(proc)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stdout + proc.stderr
    assert len(lines) == 1, lines
    assert "config.yaml:3:" in lines[0] and "YAML syntax error" in lines[0], lines


@pytest.mark.parametrize("name", [n for n, _ in SNAKEMAKE_PARSED])
def test_yaml_error_in_configfile_stops_without_traceback(results, name):
    proc = results[name]
    lines = output_lines(proc)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stdout + proc.stderr
    # Snakemake's message: "WorkflowError:" + one line (it parses --configfile itself)
    assert 1 <= len(lines) <= 2, lines
    assert "not valid JSON or YAML" in lines[-1], lines


def test_dry_run_without_data_shows_the_plan_and_a_real_run_refuses(tmp_path):
    """A fresh checkout without ./data: `snakemake -n` warns and shows the plan (it reads no
    data); `snakemake` stops with one line before any job."""
    cfg = yaml.safe_load(yaml.safe_dump(BASE))
    edit("experiments", {"fashion": FASHION})(cfg)
    path = tmp_path / "fashion.yaml"
    path.write_text(yaml.safe_dump(cfg))
    args = ("-s", str(REPO / "Snakefile"), "-d", str(tmp_path), "--configfile", str(path))
    dry = dry_run(tmp_path, *args)  # LB_DATA_ROOT unset, no ./data
    assert dry.returncode == 0, dry.stderr[-2000:]
    warnings = [line for line in output_lines(dry) if "data_root" in line]
    assert len(warnings) == 1 and warnings[0].startswith("Warning (dry run"), warnings
    assert "rule train:" in dry.stdout + dry.stderr
    real = snakemake(tmp_path, "--cores", "1", *args, timeout=300)
    lines = output_lines(real)
    assert real.returncode != 0 and len(lines) == 1, lines
    assert lines[0].startswith("ConfigError: data_root (default ./data)"), lines
    assert not (tmp_path / "results").exists()
