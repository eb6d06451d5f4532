"""Notes on the published numbers: computed from report/published, each naming its cells."""

import pandas as pd

from lb.published import TVAE_AGREEMENT, read_latent_boost_tables
from lb.report.build import paper_agreement
from lb.report.published_notes import paper_cells, published_notes


def notes_by_title():
    notes = published_notes(read_latent_boost_tables(), paper_agreement(TVAE_AGREEMENT))
    return {n["title"]: n for n in notes}


def test_the_papers_contradictions_are_found_in_the_published_files():
    notes = notes_by_title()
    below = notes["Accuracy below its own micro-F1"]["cells"]
    assert below[0].startswith("Table 4, Fashion MNIST, Latent Boost w/o PCA (best λ): accuracy "
                               "88.12 % below micro-F1 0.8971")  # fmt: skip
    repeats = notes["Table 4 repeats cells of Tables 2 and 3 with other numbers"]["cells"]
    assert any("Fashion MNIST, Latent Boost, Micro-F1: Table 4 0.9038 ± 0.0050 vs Table 3 "
               "(λ = 0.75) 0.9038 ± 0.0025" in c for c in repeats)  # fmt: skip
    total = notes["The triplet-VAE agreement table does not sum to 1"]["cells"][0]
    assert total.endswith("= 1.0060")
    assert "Micro-F1 differs from accuracy" in notes


def test_consistent_numbers_give_no_notes():
    rows = [
        ("table2", "d", "baseline", "0", "accuracy", 90.0, 0.1),
        ("table2", "d", "baseline", "0", "micro_f1", 0.9, 0.001),
        ("table4", "d", "baseline", "best", "accuracy", 90.0, 0.1),
        ("table4", "d", "baseline", "best", "micro_f1", 0.9, 0.001),
    ]
    paper = pd.DataFrame(rows, columns=["table", "dataset", "method", "lam", "metric", "mean",
                                        "std"])  # fmt: skip
    assert published_notes(paper, {1: 0.96, 2: 0.04}) == []
    off = paper.copy()
    off.loc[1, "mean"] = off.loc[3, "mean"] = 0.91  # micro-F1 above accuracy in both tables
    assert "In 2 of the 2 cells" in published_notes(off)[0]["why"]
    # a changed std in Table 4 is named
    changed = paper.copy()
    changed.loc[3, "std"] = 0.002
    titles = [n["title"] for n in published_notes(changed)]
    assert "Table 4 repeats cells of Tables 2 and 3 with other numbers" in titles


def test_paper_cells_from_the_summary():
    summary = pd.DataFrame({"table": ["table4", "table4"], "dataset": "d", "method": "m",
                            "lam": "best", "metric": ["accuracy", "epochs"],
                            "paper_mean": [90.0, None], "paper_std": [0.1, None]})  # fmt: skip
    cells = paper_cells(summary)
    assert list(cells.columns) == ["table", "dataset", "method", "lam", "metric", "mean", "std"]
    assert len(cells) == 1
