"""Report cells: ours vs paper, status (ok / partial / missing / not run), formatting."""

import math

import pytest

from lb.report.cells import MISSING, NOT_RUN, OK, PARTIAL, cell_status, make_cell, mean_std_text
from lb.vocabulary import format_number


@pytest.mark.parametrize(
    ("n", "n_expected", "status"),
    [
        (5, None, OK),
        (0, None, NOT_RUN),
        (0, 0, NOT_RUN),
        (0, 5, MISSING),
        (3, 5, PARTIAL),
        (5, 5, OK),
        (2, 0, OK),  # results of runs the config no longer asks for are still shown
    ],
)
def test_cell_status(n, n_expected, status):
    assert cell_status(n, n_expected) == status


def test_cell_shows_ours_paper_and_difference():
    c = make_cell("accuracy", 90.123, 0.456, 5, 90.86, 0.21)
    assert c.status == OK
    assert c.ours == "90.12 ± 0.46"
    assert c.n_text == "n=5"
    assert c.paper == "90.86 ± 0.21"
    assert c.diff == "−0.74"  # ours − paper, with a real minus sign
    assert c.diff_sign == "neg"


def test_cell_not_run_keeps_paper_value_and_invents_nothing():
    c = make_cell("micro_f1", math.nan, math.nan, 0, 0.9038, 0.0025)
    assert c.status == NOT_RUN
    assert c.ours == "not run"
    assert c.paper == "0.9038 ± 0.0025"
    assert c.diff == "" and c.mean is None and c.n_text == ""


def test_cell_missing_when_expected_runs_are_absent():
    c = make_cell("accuracy", None, None, 0, 88.59, 0.15, n_expected=5)
    assert (c.status, c.ours, c.diff) == (MISSING, "missing", "")


def test_partial_cell_says_how_many_seeds():
    c = make_cell("accuracy", 88.0, 0.1, 3, 88.59, 0.15, n_expected=5)
    assert c.status == PARTIAL
    assert c.n_text == "n=3 of 5"
    assert c.ours == "88.00 ± 0.10"


def test_runs_without_a_value_read_missing_not_a_number():
    # n > 0 but the metric is empty (e.g. silhouette not computed yet)
    c = make_cell("silhouette", math.nan, None, 2, 0.395, None)
    assert c.status == MISSING and c.ours == "missing"


def test_single_seed_has_no_std_and_paper_without_value_has_no_diff():
    c = make_cell("silhouette", 0.41234, None, 1, None, None)
    assert c.ours == "0.412"
    assert c.paper == "" and c.diff == ""


def test_difference_rounding_to_zero_is_zero():
    c = make_cell("accuracy", 88.591, None, 1, 88.59, None)
    assert c.diff == "+0.00" and c.diff_sign == "zero"


def test_number_formats():
    assert mean_std_text(0.5, 0.01, "micro_f1") == "0.5000 ± 0.0100"
    assert mean_std_text(None, 1.0, "accuracy") == ""
    assert format_number(-0.25, "silhouette") == "−0.250"
    assert format_number(float("nan"), "accuracy") == ""
