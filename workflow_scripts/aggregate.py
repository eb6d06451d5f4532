"""Snakemake adapter: tidy tables (rules ``aggregate`` and ``aggregate_partial``).

:func:`lb.workflow.aggregate.write_tables` with the runs and cells of ``snakemake.params.spec``
and the run files given as input; ``params.allow_missing`` (the partial report) leaves out runs
whose training outputs are not all present at job time instead of failing.
"""

import sys

from lb.errors import LBError
from lb.workflow.aggregate import write_tables


def main(smk) -> None:
    try:
        runs, summary = write_tables(
            smk.params.spec,
            list(smk.input.metrics),
            list(smk.input.silhouette),
            smk.input.published,
            smk.output.runs,
            smk.output.summary,
            allow_missing=smk.params.allow_missing,
        )
    except LBError as err:
        sys.exit(f"{type(err).__name__}: {err}")
    configured = summary[summary["n_expected"] > 0]
    missing = configured[configured["n"] < configured["n_expected"]]
    with open(smk.log[0], "w", encoding="utf-8") as log:
        print(
            f"{len(runs)} of {len(smk.params.spec['runs'])} runs; {len(summary)} summary rows; "
            f"{len(configured)} configured cells, {len(missing)} with fewer seeds than configured",
            file=log,
        )


main(snakemake)  # noqa: F821 (the object Snakemake injects)
