"""The digits study of tvae_study.py, run once per test session and shared by the tests."""

import pytest
from tvae_study import run_study


@pytest.fixture(scope="session")
def study(tmp_path_factory):
    return run_study(tmp_path_factory.mktemp("results") / "vae")
