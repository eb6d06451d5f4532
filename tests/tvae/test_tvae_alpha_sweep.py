"""lb.tvae.alpha_sweep: the choice of α on a validation split of the training set, never the
test set."""

import pandas as pd
import pytest
import torch

from lb.data import load_dataset
from lb.tvae import alpha_sweep


def table(rows):
    return pd.DataFrame(rows, columns=["alpha", "val_svm_accuracy", "val_recon"])


def test_choose_the_best_accuracy_whose_reconstruction_costs_at_most_one_percent():
    rows = [(0.0, 80.0, 100.0), (10.0, 90.0, 99.0), (50.0, 95.0, 100.9), (200.0, 97.0, 101.1)]
    assert alpha_sweep.choose_alpha(table(rows)) == 50.0
    rows[2] = (50.0, 90.0, 100.9)  # a tie goes to the smaller alpha
    assert alpha_sweep.choose_alpha(table(rows)) == 10.0
    assert alpha_sweep.choose_alpha(table([(0.0, 80.0, 100.0), (5.0, 70.0, 90.0)])) == 0.0
    with pytest.raises(ValueError, match="alpha = 0"):
        alpha_sweep.choose_alpha(table([(1.0, 80.0, 100.0)]))


class TrainingOnly:
    """A data set whose test images cannot be read."""

    def __init__(self, ds):
        self.spec, self.train_x, self.train_y = ds.spec, ds.train_x, ds.train_y

    def __getattr__(self, name):
        raise AssertionError(f"the sweep read {name}")


def test_the_sweep_reads_only_training_images_and_marks_one_alpha(monkeypatch, tmp_path, capsys):
    digits = TrainingOnly(load_dataset("digits"))
    monkeypatch.setattr(alpha_sweep, "load_dataset", lambda *args, **kwargs: digits)
    out = tmp_path / "alpha.csv"
    args = ["--dataset", "digits", "--alphas", "0,20", "--epochs", "2", "--train-size", "300",
            "--val-size", "200", "--out", str(out)]  # fmt: skip
    assert alpha_sweep.main(args) == 0
    result = pd.read_csv(out)
    assert list(result.columns) == alpha_sweep.COLUMNS
    assert list(result["alpha"]) == [0.0, 20.0] and result["chosen"].sum() == 1
    assert result.loc[result["chosen"], "alpha"].item() == alpha_sweep.choose_alpha(result)
    assert "chosen alpha:" in capsys.readouterr().out


def test_the_validation_split_is_disjoint_from_the_training_subset():
    ds = load_dataset("digits")
    x = torch.arange(len(ds.train_y)).view(-1, 1, 1, 1)  # each "image" is its own index
    s = alpha_sweep.SweepSettings(train_size=400, val_size=300)
    train_x, train_y, val_x, val_y = alpha_sweep.split_training_set(x, ds.train_y, s)
    train_ids, val_ids = set(train_x.flatten().tolist()), set(val_x.flatten().tolist())
    assert len(val_ids) == 300 and abs(len(train_ids) - 400) <= 1
    assert not train_ids & val_ids
