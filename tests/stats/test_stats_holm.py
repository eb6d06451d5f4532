"""Holm's step-down adjustment against a hand-computed example."""

import pytest

from lb.stats import holm


def test_holm_by_hand():
    # sorted: 0.01 (x4 = 0.04), 0.02 (x3 = 0.06), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04 -> 0.06)
    p = [0.04, 0.01, 0.03, 0.02]
    assert holm(p) == pytest.approx([0.06, 0.04, 0.06, 0.06])


def test_holm_caps_at_one_and_skips_non_tests():
    assert holm([0.5, None, 0.9, float("nan")]) == [pytest.approx(1.0), None, 1.0, None]
    assert holm([]) == []
    assert holm([0.003]) == [0.003]
