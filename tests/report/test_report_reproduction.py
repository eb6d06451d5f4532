"""The committed reproductions (docs/reproduction, the paper-length run;
docs/reproduction/etotal-150, its sensitivity row with E_total read as the run's maximum epochs;
docs/reproduction/short-cpu, the 12-epoch slice): each claims.csv follows from its tidy tables by
the verdict rule, computed here with scipy.stats directly from the committed files;
``lb.report.rerender`` renders the same report from those files again; and the sensitivity row
differs from the main run in E_total alone, its sensitivity.csv following from both runs.csv."""

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from scipy import stats

from lb.report.claims_markdown import claims_markdown
from lb.report.rerender import embedded_figures, rerender
from lb.report.sensitivity import sensitivity_table
from lb.stats import holm

REPRODUCTION = Path(__file__).resolve().parents[2] / "docs" / "reproduction"
PAPER_LENGTH, SHORT_CPU = REPRODUCTION, REPRODUCTION / "short-cpu"
ETOTAL_150 = REPRODUCTION / "etotal-150"
SUBFOLDERS = (SHORT_CPU.name, ETOTAL_150.name)  # publications inside the main one's folder


def published(path):
    return pytest.param(
        path,
        id=path.name,
        marks=pytest.mark.skipif(not (path / "claims.csv").is_file(), reason=f"no {path}"),
    )


@pytest.fixture(params=[published(PAPER_LENGTH), published(ETOTAL_150), published(SHORT_CPU)])
def pub(request):
    """A committed publication folder."""
    return request.param


def committed(path):
    """``path`` when it holds a publication, else the test is skipped."""
    if not (path / "claims.csv").is_file():
        pytest.skip(f"no {path}")
    return path


@pytest.fixture
def short_cpu():
    return committed(SHORT_CPU)


@pytest.fixture
def paper_length():
    return committed(PAPER_LENGTH)


def claims(pub):
    return pd.read_csv(pub / "claims.csv", keep_default_na=False, na_values=[""])


def row(pub, claim, measure, scope="Fashion MNIST"):
    c = claims(pub)
    hit = c[(c.claim == claim) & (c.measure == measure) & (c.scope == scope)]
    assert len(hit) == 1, (claim, measure, scope)
    return hit.iloc[0]


def rule(low, high, claimed):
    """The verdict rule, written out again: the 95 % interval against 0."""
    above, below = low > 0, high < 0
    if claimed == "less":
        above, below = below, above
    return "held" if above else "did not hold" if below else "inconclusive"


def seeds(pub, method, column, lam):
    runs = pd.read_csv(pub / "tables" / "runs.csv")
    sub = runs[(runs.method == method) & ((runs.lam - lam).abs() < 1e-9)]
    return sub.set_index("seed")[column].sort_index()


@pytest.mark.parametrize(
    ("claim", "measure", "left", "right", "column", "claimed"),
    [
        ("a", "accuracy: LB vs baseline", "latent_boost", "baseline", "accuracy", "greater"),
        ("a", "accuracy: LB vs Magnet", "latent_boost", "magnet", "accuracy", "greater"),
        ("b", "silhouette: LB vs baseline", "latent_boost", "baseline", "silhouette", "greater"),
        ("b", "silhouette: LB vs Magnet", "latent_boost", "magnet", "silhouette", "greater"),
        ("e", "accuracy: LB w/o PCA vs LB", "latent_boost_no_pca", "latent_boost", "accuracy",
         "less"),
    ],
)  # fmt: skip
def test_verdicts_follow_from_runs_csv(pub, claim, measure, left, right, column, claimed):
    best = 0.75  # the config's best λ for Fashion-MNIST
    a = seeds(pub, left, column, 0.0 if left == "baseline" else best)
    b = seeds(pub, right, column, 0.0 if right == "baseline" else best)
    r = row(pub, claim, measure)
    if a.empty or b.empty:  # a method this publication did not run
        assert r.verdict == "not run"
        return
    assert list(a.index) == list(b.index)  # every seed on both sides: paired
    res = stats.ttest_rel(a.to_numpy(), b.to_numpy())
    ci = res.confidence_interval(0.95)
    assert r.test == "paired t" and int(r.n) == len(a) >= 3
    assert r.delta == pytest.approx((a - b).mean())
    assert (r.ci_low, r.ci_high, r.p_value) == pytest.approx((ci.low, ci.high, res.pvalue))
    assert r.verdict == rule(ci.low, ci.high, claimed)


def test_claim_c_epochs_cannot_differ_in_the_12_epoch_slice(short_cpu):
    lb = seeds(short_cpu, "latent_boost", "epochs", 0.75)
    base = seeds(short_cpu, "baseline", "epochs", 0.0)
    assert set(lb) == set(base) == {12}  # every run trained the configured maximum
    assert row(short_cpu, "c", "epochs: LB vs baseline").verdict == "inconclusive"


def test_claim_c_at_the_paper_length_from_runs_csv(paper_length):
    lb = seeds(paper_length, "latent_boost", "epochs", 0.75)
    base = seeds(paper_length, "baseline", "epochs", 0.0)
    assert list(lb.index) == list(base.index)
    res = stats.ttest_rel(lb.to_numpy(), base.to_numpy())
    ci = res.confidence_interval(0.95)
    r = row(paper_length, "c", "epochs: LB vs baseline")
    assert r.delta == pytest.approx((lb - base).mean())
    assert (r.ci_low, r.ci_high, r.p_value) == pytest.approx((ci.low, ci.high, res.pvalue))
    assert r.verdict == rule(ci.low, ci.high, "less")  # the paper: Latent Boost trains shorter
    assert (lb < 150).all() and (base < 150).all()  # early stopping, not the cap, ended every run


def test_claim_d_from_the_histories(pub):
    h = pd.read_csv(pub / "tables" / "histories.csv")
    lb = h[(h.method == "latent_boost") & ((h.lam - 0.75).abs() < 1e-9)]
    floor = lb[lb.beta <= 1e-6].epoch.min()  # first epoch with β at its floor
    window = lb[(lb.epoch < floor) & lb.pca_dim.notna()]
    first = window.sort_values("epoch").groupby("seed").pca_dim.first()
    last = window.sort_values("epoch").groupby("seed").pca_dim.last()
    res = stats.ttest_rel(last.to_numpy(), first.to_numpy())
    ci = res.confidence_interval(0.95)
    r = row(pub, "d", "PCA dim: last vs first gradient epoch")
    assert (r.delta, r.ci_low, r.ci_high) == pytest.approx(((last - first).mean(), ci.low,
                                                            ci.high))  # fmt: skip
    assert r.verdict == rule(ci.low, ci.high, "less")


def test_claims_f_and_g_from_the_vae_files(short_cpu):
    summary = json.loads((short_cpu / "vae" / "seed0" / "analysis" / "summary.json").read_text())
    counts = {int(k): v for k, v in summary["agreement_counts"].items()}
    n = sum(counts.values())
    res = stats.binomtest(counts[1], n, 0.95)
    ci = res.proportion_ci(0.95, method="exact")
    r = row(short_cpu, "f", "case 1 vs 0.95", "mnist")
    assert r.test == "exact binomial" and r.p_value == pytest.approx(res.pvalue)
    assert r.verdict == rule(ci.low - 0.95, ci.high - 0.95, "greater")
    res = stats.binomtest(counts[4], counts[3] + counts[4], 0.5)
    ci = res.proportion_ci(0.95, method="exact")
    r = row(short_cpu, "f", "case 4 vs case 3", "mnist")
    assert r.p_value == pytest.approx(res.pvalue)
    assert r.verdict == rule(ci.low - 0.5, ci.high - 0.5, "greater")
    for measure in ("silhouette: triplet vs vanilla", "SVM accuracy: triplet vs vanilla"):
        verdict = row(short_cpu, "g", measure, "mnist").verdict
        assert verdict == "inconclusive"  # one seed: no interval


def test_holm_over_every_test_of_the_file(pub):
    c = claims(pub)
    for prefix in ("", "paper_"):
        tested = c[c[f"{prefix}p_value"].notna()]
        assert list(tested[f"{prefix}p_holm"]) == pytest.approx(
            holm(list(tested[f"{prefix}p_value"]))
        )
    verdicts = {"held", "did not hold", "inconclusive", "not run", "missing"}
    assert set(c.verdict) <= verdicts and set(c.paper_verdict) <= verdicts
    assert not (c[c.verdict == "held"].ci_low.isna()).any()
    assert not any(math.isnan(x) for x in c[c.p_value.notna()].p_holm)


def test_rerender_reproduces_the_committed_report(pub, tmp_path):
    copy = tmp_path / "pub"
    shutil.copytree(pub, copy, ignore=shutil.ignore_patterns(*SUBFOLDERS))
    rerender(copy, repo_dir=tmp_path)  # not a git checkout: commit "unknown"
    assert (copy / "claims.csv").read_bytes() == (pub / "claims.csv").read_bytes()
    assert (copy / "claims.md").read_text() == claims_markdown(pd.read_csv(pub / "claims.csv"))
    assert "claims.md" in json.loads((copy / "publish.json").read_text())["files"]
    old = (pub / "report.html").read_text(encoding="utf-8")
    new = (copy / "report.html").read_text(encoding="utf-8")
    assert embedded_figures(new) == embedded_figures(old)
    # the same page up to the provenance footer (commit, date, machine of the rendering)
    assert new.split('<footer id="provenance">')[0] == old.split('<footer id="provenance">')[0]


@pytest.fixture
def etotal_150():
    return committed(ETOTAL_150)


def test_the_sensitivity_row_changes_e_total_alone(etotal_150, paper_length):
    main = yaml.safe_load((paper_length / "config.yaml").read_text())
    row = yaml.safe_load((etotal_150 / "config.yaml").read_text())
    assert row["training"] == main["training"] and row["experiments"] == main["experiments"]
    main_lb, row_lb = main["losses"]["latent_boost"], row["losses"]["latent_boost"]
    assert main_lb["e_total"] == 40 and row_lb["e_total"] is None  # None: max_epochs, 150
    assert {**row_lb, "e_total": 40} == main_lb
    runs = pd.read_csv(etotal_150 / "tables" / "runs.csv")
    assert set(runs.method) == {"latent_boost"} and set(runs.seed) <= set(main["seeds"])


def test_sensitivity_csv_follows_from_both_runs_csv(etotal_150, paper_length):
    expected = sensitivity_table(paper_length / "tables" / "runs.csv",
                                 etotal_150 / "tables" / "runs.csv", "E_total = 150")  # fmt: skip
    got = pd.read_csv(etotal_150 / "sensitivity.csv", keep_default_na=False, na_values=[""])
    assert list(got.measure) == list(expected.measure)
    assert list(got.verdict) == list(expected.verdict)
    for column in ("delta", "ci_low", "ci_high", "p_value", "p_holm"):
        assert got[column].to_numpy() == pytest.approx(expected[column].to_numpy(dtype=float))
