"""Claims (a)-(c) of the Latent Boost paper tested again with Latent Boost runs made under
another setting: a sensitivity row beside a published run.

A sensitivity run changes one setting of Latent Boost (e.g. E_total of Eq 10 read as the run's
maximum epochs instead of a conventional training's length) and trains only Latent Boost, with
the main run's seeds or some of them, into its own results directory. This module pairs its runs
by seed with the main run's baseline and Latent Boost runs of the same seeds (both
``tables/runs.csv``; main-run seeds the sensitivity run lacks are left out, so n is the
sensitivity run's) and tests, with the same statistics and verdict rule as the report
(:mod:`lb.stats`):

- (a) accuracy, Latent Boost under the setting minus the baseline, claimed above 0;
- (b) silhouette, the same difference, claimed above 0;
- (c) epochs trained, the same difference, claimed below 0;
- the setting's own effect: accuracy, Latent Boost under the setting minus Latent Boost in the
  main run, tested as "higher under the setting" (not a claim of the paper; the verdict answers
  whether the setting helped).

p_Holm adjusts these four tests together. ``python -m lb.report.sensitivity --base
docs/reproduction/tables/runs.csv --variant results/X/tables/runs.csv --label "E_total = 150"
[--out DIR]`` prints the rows as Markdown (as :mod:`lb.report.claims_markdown` writes claims)
and, with ``--out``, writes ``sensitivity.csv`` (the columns of ``claims.csv``) and
``sensitivity.md`` there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from lb import io
from lb.errors import DataError
from lb.report.claim_row import Claim, ClaimRow, claims_table
from lb.report.claims import adjust, values_text
from lb.report.claims_markdown import claims_markdown
from lb.stats import compare_seeds, verdict
from lb.stats.verdict import GREATER, LESS
from lb.vocabulary import dataset_label

#: (claim, metric, the reference method in the main run, the claimed side)
TESTS = (
    ("a", "accuracy", "baseline", GREATER),
    ("b", "silhouette", "baseline", GREATER),
    ("c", "epochs", "baseline", LESS),
    ("setting", "accuracy", "latent_boost", GREATER),
)
TITLES = {
    "a": "Latent Boost more accurate than the baseline",
    "b": "Latent Boost silhouette above the baseline",
    "c": "Latent Boost needs fewer epochs",
    "setting": "Latent Boost more accurate under the setting than in the main run",
}
NAMES = {"baseline": "baseline", "latent_boost": "LB"}


def _seeds(runs: pd.DataFrame, method: str, metric: str, source: str) -> dict[int, float]:
    sub = runs[runs["method"] == method]
    if sub.empty:
        raise DataError(f"{source}: no {method} runs; give the runs.csv of a run that has them")
    if sub["seed"].duplicated().any():
        raise DataError(f"{source}: {method} has several runs per seed (several datasets or λ); "
                        "give the runs.csv of one dataset and λ")  # fmt: skip
    if metric not in sub.columns:
        raise DataError(f"{source}: no column {metric!r}; aggregate the run again")
    return {int(s): float(v) for s, v in zip(sub["seed"], sub[metric], strict=True)}


def _dataset(base: pd.DataFrame, variant: pd.DataFrame) -> str:
    datasets = set(base["dataset"]) | set(variant["dataset"])
    if len(datasets) != 1:
        raise DataError(f"the two runs.csv cover datasets {sorted(datasets)}; compare one dataset")
    return datasets.pop()


def sensitivity_claims(
    base: pd.DataFrame,
    variant: pd.DataFrame,
    label: str,
    base_source: str = "base",
    variant_source: str = "variant",
) -> list[Claim]:
    """The four tests of the module docstring, Holm-adjusted together. ``base``: the main run's
    runs.csv; ``variant``: the sensitivity run's (its ``latent_boost`` runs)."""
    scope = dataset_label(_dataset(base, variant))
    claims = []
    for key, metric, reference, claimed in TESTS:
        ours = _seeds(variant, "latent_boost", metric, variant_source)
        theirs = _seeds(base, reference, metric, base_source)
        missing = sorted(set(ours) - set(theirs))
        if missing:
            raise DataError(f"{variant_source}: latent_boost seeds {missing} have no {reference} "
                            f"run in {base_source}; run the main run's seeds")  # fmt: skip
        theirs = {seed: theirs[seed] for seed in ours}  # pairs: the sensitivity run's seeds
        left, right = f"LB ({label})", NAMES[reference]
        row = ClaimRow(scope, f"{metric}: {left} vs {right}",
                       f"{values_text(left, ours, metric)} vs {values_text(right, theirs, metric)}",
                       "", "", "", metric=metric)  # fmt: skip
        row.stats = compare_seeds(ours, theirs)
        row.verdict = verdict(row.stats, claimed)
        rule = f"{left} minus {right}, paired by seed; held when the 95 % interval is " + (
            "above 0" if claimed == GREATER else "below 0"
        )
        claims.append(Claim(key, TITLES[key], "", "", rule, [row]))
    adjust(claims)
    return claims


def sensitivity_table(base_csv: Path, variant_csv: Path, label: str) -> pd.DataFrame:
    """:func:`sensitivity_claims` of two runs.csv files, as a table with claims.csv's columns."""
    frames = []
    for path in (base_csv, variant_csv):
        try:
            frames.append(pd.read_csv(path))
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise DataError(f"{path}: cannot read ({exc}); give a run's tables/runs.csv") from exc
    claims = sensitivity_claims(*frames, label, str(base_csv), str(variant_csv))
    return claims_table(claims)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lb.report.sensitivity", description=__doc__)
    parser.add_argument("--base", type=Path, required=True, help="the main run's runs.csv")
    parser.add_argument("--variant", type=Path, required=True,
                        help="the sensitivity run's runs.csv")  # fmt: skip
    parser.add_argument("--label", required=True, help='the setting, e.g. "E_total = 150"')
    parser.add_argument("--out", type=Path, help="folder for sensitivity.csv and .md")
    args = parser.parse_args(argv)
    try:
        table = sensitivity_table(args.base, args.variant, args.label)
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    markdown = claims_markdown(table)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        io.write_csv(table, args.out / "sensitivity.csv")
        io.write_text(args.out / "sensitivity.md", markdown)
    sys.stdout.write(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
