"""Snakemake adapter: λ sweeps, ours beside the paper's (rule ``figure_lambda_sweep``).

:func:`lb.figures.build.make_lambda_sweep` on ``tables/summary.csv`` (Tables 2-3).
"""

import sys

from lb.errors import LBError
from lb.figures.build import make_lambda_sweep
from lb.tables import read_summary


def main(smk) -> None:
    try:
        table = make_lambda_sweep(read_summary(smk.input.summary), smk.output.png, smk.output.csv)
    except LBError as err:
        sys.exit(f"{type(err).__name__}: {err}")
    with open(smk.log[0], "w", encoding="utf-8") as log:
        print(f"{len(table)} cells of Tables 2-3 plotted", file=log)


main(snakemake)  # noqa: F821 (the object Snakemake injects)
