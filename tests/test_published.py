"""The published numbers shipped in report/published/ (copies of ../shared/paper)."""

from pathlib import Path

import pytest

from lb.errors import DataError
from lb.published import (
    LATENT_BOOST_TABLES,
    TVAE_AGREEMENT,
    read_latent_boost_tables,
    read_tvae_agreement,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "paper"


@pytest.mark.parametrize("path", [LATENT_BOOST_TABLES, TVAE_AGREEMENT])
def test_shipped_copies_equal_the_shared_facts(path):
    original = SHARED / path.name
    if not original.exists():
        pytest.skip(f"{original} not on this machine")
    assert path.read_bytes() == original.read_bytes()


def test_latent_boost_tables():
    df = read_latent_boost_tables()
    assert len(df) == 189
    assert set(df.table) == {"table2", "table3", "table4", "table5"}
    row = df[(df.table == "table3") & (df.dataset == "cifar10") & (df.lam == "0.75")]
    assert row.set_index("metric")["mean"].to_dict() == {"accuracy": 88.44, "micro_f1": 0.8843}
    assert set(df[df.table == "table2"].lam) == {"0", "0.25", "0.5", "0.75"}
    assert set(df[df.table.isin(["table4", "table5"])].lam) == {"best"}
    assert df[df.table == "table5"]["std"].isna().all()
    assert df[df.table != "table5"]["std"].notna().all()


def test_tvae_agreement():
    df = read_tvae_agreement()
    assert list(df.case) == [1, 2, 3, 4, 5]
    # as published (the five fractions add up to 1.006 in the paper)
    assert list(df.fraction) == [0.9586, 0.003, 0.0086, 0.0314, 0.0044]


def test_bad_published_file(tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_text("table,dataset,method,lambda,metric,mean,std\ntable2,c,m,0.5,accuracy,x,\n")
    with pytest.raises(DataError, match=r"t.csv:2: column mean"):
        read_latent_boost_tables(bad)
    bad.write_text("table,dataset\n")
    with pytest.raises(DataError, match="missing column"):
        read_latent_boost_tables(bad)
    with pytest.raises(DataError, match="not found"):
        read_latent_boost_tables(tmp_path / "none.csv")
