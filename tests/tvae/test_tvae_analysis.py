"""lb.tvae.analysis on the digits study of conftest.py: Table 1, the SVMs, determinism."""

import numpy as np
import pandas as pd
import pytest
from tvae_study import DATA, quiet, settings

from lb.tvae.analysis import analyse


def test_the_five_cases_partition_the_test_set(study):
    root = study["root"]
    pred = np.load(root / "analysis" / "predictions.npz")
    table = pd.read_csv(root / "analysis" / "agreement.csv")
    n = len(pred["label"])
    assert n == study["summary"]["n_test"] == table["count"].sum()
    assert table["fraction"].sum() == pytest.approx(1.0)
    y, c, s = pred["label"], pred["cnn_pred"], pred["svm_pred"]
    assert table.set_index("case")["count"][1] == np.sum((s == c) & (c == y))
    assert np.all(pred["svm_proba"].sum(axis=1) == pytest.approx(1.0))
    assert np.array_equal(pred["svm_pred"], pred["svm_proba"].argmax(axis=1))


def test_the_analysis_writes_no_pickles(study):
    assert not list((study["root"] / "analysis").glob("*.pkl"))


def test_analysis_is_deterministic(study, tmp_path):
    again = analyse(settings("analysis"), 0, study["dirs"], tmp_path, DATA, log=quiet)
    first = dict(study["summary"])
    for s in (first, again):
        s.pop("seconds")
        for kind in ("triplet", "vanilla"):
            s["separation"][kind].pop("svm_seconds")
    assert again == first
    for name in ("predictions.npz", "examples.npz"):
        a = np.load(study["root"] / "analysis" / name)
        b = np.load(tmp_path / name)
        assert a.files == b.files
        for key in a.files:
            assert np.array_equal(a[key], b[key]), (name, key)
