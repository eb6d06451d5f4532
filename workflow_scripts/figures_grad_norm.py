"""Snakemake adapter: distance-term gradient norm per epoch (rule ``figure_grad_norm``).

:func:`lb.figures.build.make_grad_norm` on the runs of ``params.runs`` (their history.csv).
"""

import sys
from pathlib import Path

from lb.errors import LBError
from lb.figures.build import make_grad_norm, runs_from_metrics


def main(smk) -> None:
    results = Path(smk.output.png).parents[1]  # RESULTS/figures/<name>.png
    try:
        runs = runs_from_metrics(smk.params.runs, results)
        table = make_grad_norm(runs, results, smk.output.png, smk.output.csv)
    except LBError as err:
        sys.exit(f"{type(err).__name__}: {err}")
    with open(smk.log[0], "w", encoding="utf-8") as log:
        print(f"{len(runs)} runs, {len(table)} data rows", file=log)


main(snakemake)  # noqa: F821 (the object Snakemake injects)
