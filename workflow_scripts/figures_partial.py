"""Snakemake adapter: every figure from the runs complete now (rule ``figures_partial``).

:func:`lb.figures.build.make_partial` on the partial tables; the partial report embeds them.
"""

import sys
from pathlib import Path

from lb.errors import LBError
from lb.figures.build import make_partial


def main(smk) -> None:
    out_dir = Path(smk.output.figures[0]).parent  # RESULTS/figures/partial/<name>.png
    results = out_dir.parents[1]
    try:
        paths = make_partial(
            smk.input.summary, smk.input.runs, smk.params.best_lambdas, results, out_dir
        )
    except LBError as err:
        sys.exit(f"{type(err).__name__}: {err}")
    with open(smk.log[0], "w", encoding="utf-8") as log:
        print(f"{len(paths)} figures from the runs complete now in {out_dir}", file=log)


main(snakemake)  # noqa: F821 (the object Snakemake injects)
