"""lb.tvae.explanations on the digits study of conftest.py: top-K answers, traversals and the
figure examples (cut from the same traversals)."""

import numpy as np
import pandas as pd
import pytest

from lb.tvae.explanations import choose_examples


def test_disagreements_have_top_k_answers_from_the_averaged_probabilities(study):
    root = study["root"]
    pred = np.load(root / "analysis" / "predictions.npz")
    dis = pd.read_csv(root / "analysis" / "disagreements.csv")
    assert np.array_equal(dis["index"], np.flatnonzero(pred["cnn_pred"] != pred["svm_pred"]))
    avg = (pred["cnn_proba"] + pred["svm_proba"]) / 2
    for r in dis.itertuples():
        assert r.top1 == np.argmax(avg[r.index]) and r.top1_prob == pytest.approx(
            avg[r.index].max()
        )
        assert r.top1_prob >= r.top2_prob


def test_traversal_moment_is_where_both_predict_the_target(study):
    ex = np.load(study["root"] / "analysis" / "examples.npz")
    assert len(ex["index"]) == min(2, study["summary"]["n_disagreeing"])
    for method in ("nearest", "normal"):
        svm, cnn, moment = ex[f"{method}_svm"], ex[f"{method}_cnn"], ex[f"{method}_moment"]
        for e in range(len(ex["index"])):
            for r in range(ex["targets"].shape[1]):
                both = (svm[e, r] == ex["targets"][e, r]) & (cnn[e, r] == ex["targets"][e, r])
                m = moment[e, r]
                if m >= 0:
                    assert both[m] and not both[:m].any()
                else:
                    assert not both.any()
    table = pd.read_csv(study["root"] / "analysis" / "traversals.csv")
    assert len(table) == 2 * 2 * study["summary"]["n_disagreeing"]
    assert set(table.loc[~table["reached"], "moment"]) <= {-1}


def test_the_examples_are_rows_of_the_traversal_table(study):
    ex = np.load(study["root"] / "analysis" / "examples.npz")
    table = pd.read_csv(study["root"] / "analysis" / "traversals.csv")
    assert len(ex["index"]) > 0
    for method in ("nearest", "normal"):
        t = table[table["method"] == method].set_index(["index", "rank"])
        for e, idx in enumerate(ex["index"]):
            for r in range(ex["targets"].shape[1]):
                row = t.loc[(int(idx), r + 1)]
                assert row["target"] == ex["targets"][e, r]
                assert row["moment"] == ex[f"{method}_moment"][e, r]
                assert row["svm_end"] == ex[f"{method}_svm"][e, r, -1]
                assert row["cnn_start"] == ex[f"{method}_cnn"][e, r, 0]


def test_examples_are_taken_round_robin_over_the_cases():
    indices = np.array([9, 2, 5, 7, 1, 4])
    cases = np.array([3, 3, 4, 5, 4, 3])
    assert choose_examples(indices, cases, 4) == [2, 1, 7, 4]
    assert choose_examples(indices, cases, 10) == [2, 1, 7, 4, 5, 9]
    assert choose_examples(indices[:0], cases[:0], 3) == []
