"""Issue 8, items 1 and 8: names that become paths.

`results_dir` is the only config value that Snakemake sees inside its file patterns. Quotes,
spaces, `$(...)`, backticks and `;` are harmless there (test_reliability_failures.py runs the
whole tiny workflow with them), but Snakemake 9 reads `<name>` in a pattern as a path variable
and `{name}` as a wildcard, so such a results_dir fails later with Snakemake's own multi-line
error (`UndefinedPathvarException`, `WildcardError`, or a `ValueError` with a traceback for a lone
brace) instead of one line naming the key. Not held yet: the check belongs in
lb.workflow.config (owner: the workflow part; docs/reliability.md lists the fix).
"""

import pytest
import yaml
from reliability_workflow import REPO

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
