"""Beyond-the-paper figure data: the β-floor epoch and the gradient norm before/after it."""

import math

import numpy as np
import pandas as pd
from figures_synthetic import write_runs

from lb.figures.grad_norm import beta_floor_epoch, grad_norm_table
from lb.figures.histories import load_histories


def test_beta_floor_epoch():
    hist = pd.DataFrame({"epoch": [1, 2, 3, 4], "beta": [1.0, 0.5, 1e-8, 1e-8]})
    assert beta_floor_epoch(hist) == 3
    assert math.isnan(beta_floor_epoch(hist.iloc[:2]))


def test_grad_norm_table_shows_the_vanishing_gradient(tmp_path):
    runs = write_runs(tmp_path, n_epochs=8, total=10)  # β reaches ε at E = 2, epoch 3
    table = grad_norm_table(load_histories(runs, tmp_path)).set_index(["method", "seed"])
    assert set(table["floor_epoch"]) == {3.0}
    lb = table.loc[("latent_boost", 0)]
    assert lb["early"] == 1e-2 and lb["late"] == 1e-9
    assert np.isclose(lb["ratio"], 1e-7)
    detached = table.loc[("latent_boost_detached_var", 0)]
    assert detached["ratio"] == 1.0
    assert math.isnan(table.loc[("baseline", 0)]["early"])  # no distance term
    assert (lb["epochs_early"], lb["epochs_late"]) == (2, 6)
