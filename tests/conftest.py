"""Fixtures shared by every test directory.

Layout: tests/<package>/ tests lb/<package>/ (tests/workflow/ is lb/workflow/, without
Snakemake); tests/snakemake/ runs the workflow through Snakemake on tiny configs;
tests/reliability/ and tests/cluster/ test failures and the SLURM profile the same way. The
functions that run Snakemake and copy the workflow are in tests/helpers.py.
"""

from pathlib import Path

import pytest
from helpers import copy_workflow


@pytest.fixture()
def workflow_copy(tmp_path: Path) -> Path:
    """A fresh copy of the workflow files (tests/helpers.py's ``copy_workflow``)."""
    return copy_workflow(tmp_path / "workflow")


@pytest.fixture()
def empty_data_root(tmp_path: Path) -> dict:
    """``LB_DATA_ROOT`` naming an empty folder: the paper's configs want a readable data root,
    and a dry run or ``--lint`` reads nothing from it."""
    root = tmp_path / "data"
    root.mkdir()
    return {"LB_DATA_ROOT": str(root)}
