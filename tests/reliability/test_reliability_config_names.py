"""Reliability: names that become paths.

`results_dir` is the only config value that Snakemake sees inside its file patterns. Quotes,
spaces, `$(...)`, backticks and `;` are harmless there (test_reliability_failures.py runs the
whole tiny workflow with them), but Snakemake 9 reads `<name>` in a pattern as a path variable
and `{name}` as a wildcard, so such a results_dir used to fail later with Snakemake's own
multi-line error (`UndefinedPathvarException`, `WildcardError`, or a `ValueError` with a
traceback for a lone brace). lb.workflow.config now refuses it with one line naming the key.
"""

import pytest
import yaml
from helpers import REPO, output_text, snakemake

from lb.errors import ConfigError
from lb.workflow.config import workflow_config

BASE = yaml.safe_load((REPO / "configs" / "test.yaml").read_text())
# safe in a path: the full tiny workflow runs with these (test_reliability_failures.py)
SAFE = 'results it\'s "quoted" $(mkdir X) `mkdir Y`; & x'


def check(results_dir: str) -> dict:
    return workflow_config({**BASE, "results_dir": results_dir}, ["test.yaml"])


def test_quotes_spaces_and_shell_syntax_are_accepted():
    assert check(SAFE)["results_dir"] == SAFE


@pytest.mark.parametrize("name", ["res<x>", "res{x}", "res}x", "res{"])
def test_pattern_syntax_in_results_dir_is_a_config_error(name):
    try:
        check(name)
    except ConfigError as err:
        message = str(err)
        assert message.startswith("results_dir") and "\n" not in message, message
        return
    raise AssertionError(f"results_dir {name!r} accepted; Snakemake fails on it later")


@pytest.mark.slow
def test_pattern_syntax_in_results_dir_stops_snakemake_n_in_one_line(workflow_copy):
    workdir = workflow_copy
    config = {**BASE, "results_dir": "res<x>"}
    (workdir / "bad.yaml").write_text(yaml.safe_dump(config))
    proc = snakemake(workdir, "-n", "--cores", "1", "--configfile", "bad.yaml")
    lines = [line for line in output_text(proc).splitlines() if line.strip()]
    assert proc.returncode != 0 and "Traceback" not in output_text(proc)
    assert len(lines) == 1 and lines[0].startswith("ConfigError: results_dir"), lines
    assert not (workdir / "res<x>").exists()
