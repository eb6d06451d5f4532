"""lb.tvae.vaes on the digits study of conftest.py: the two VAEs' files."""

import json

import numpy as np
from tvae_study import DATA, quiet, settings

from lb.tvae.vaes import load_latents, train_study_vae


def test_retraining_gives_the_same_latents(study, tmp_path):
    train_study_vae(settings("triplet"), "triplet", 0, tmp_path, DATA, log=quiet)
    a = load_latents(study["root"] / "triplet")
    b = load_latents(tmp_path)
    assert np.array_equal(a["test_mu"], b["test_mu"])


def test_the_vanilla_vae_has_no_triplet_term(study):
    vanilla = json.loads((study["root"] / "vanilla" / "metrics.json").read_text())
    triplet = json.loads((study["root"] / "triplet" / "metrics.json").read_text())
    assert vanilla["alpha"] == 0.0 and vanilla["margin"] is None
    assert vanilla["final_triplet"] is None
    assert triplet["alpha"] == settings("triplet").alpha and triplet["margin"] == 1.0
