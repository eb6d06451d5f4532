"""Snakemake adapter: Figure 3, t-SNE of the best trial per method (rule ``figure3``).

:func:`lb.figures.build.make_figure3` on the Table 4 runs of baseline/Magnet/Latent Boost
(``params.runs``); t-SNE with ``threads`` openTSNE jobs (the result does not depend on them).
"""

import sys
from pathlib import Path

from lb.errors import LBError
from lb.figures.build import TSNE_SEED, make_figure3, runs_from_metrics


def main(smk) -> None:
    results = Path(smk.output.png).parents[1]  # RESULTS/figures/<name>.png
    try:
        runs = runs_from_metrics(smk.params.runs, results)
        panels = make_figure3(runs, results, smk.output.png, smk.output.csv, TSNE_SEED)
    except LBError as err:
        sys.exit(f"{type(err).__name__}: {err}")
    with open(smk.log[0], "w", encoding="utf-8") as log:
        for p in panels:
            print(f"{p.dataset} {p.method} lambda {p.lam:g} seed {p.seed}: {len(p.labels)} points",
                  file=log)  # fmt: skip


main(snakemake)  # noqa: F821 (the object Snakemake injects)
