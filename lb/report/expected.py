"""How many runs the config expects behind each report cell (for "missing" vs "not run").

The report rule passes the config's run list (``RUNS`` of rules/common.smk) and the best λ per
dataset (Table 4). A cell of Tables 2/3 is keyed by its numeric λ; a cell of Table 4/5 or of the
ablation block has ``lam == "best"``, which means λ = 0 for the baseline and the dataset's best λ
for every other method.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from lb.vocabulary import BEST, format_lam, table4_lambda


def expected_counts(runs: Iterable[Mapping]) -> Counter:
    """Count expected runs per ``(dataset, method, lam)`` (λ in run-directory spelling).

    ``runs`` are mappings (or objects turned into mappings) with dataset, method, lam, seed;
    a run listed twice counts once.
    """
    seen = {(r["dataset"], r["method"], format_lam(r["lam"]), int(r["seed"])) for r in runs}
    return Counter((d, m, lam) for d, m, lam, _ in seen)


def resolve_lam(dataset: str, method: str, lam: str, best_lams: Mapping[str, float]) -> str | None:
    """The numeric λ (run-directory spelling) behind a cell; None when ``best`` is unknown."""
    if lam != BEST:
        return lam
    target = table4_lambda(dataset, method, best_lams)
    return None if target is None else format_lam(target)


class Expectation:
    """Answers "how many runs does the config expect for this cell?" (None = unknown)."""

    def __init__(self, runs: Iterable[Mapping] | None, best_lams: Mapping[str, float] | None):
        self.known = runs is not None
        self.counts = expected_counts(runs) if runs is not None else Counter()
        self.best_lams = dict(best_lams or {})

    def n_expected(self, dataset: str, method: str, lam: str) -> int | None:
        if not self.known:
            return None
        resolved = resolve_lam(dataset, method, lam, self.best_lams)
        if resolved is None:
            return 0
        return self.counts.get((dataset, method, resolved), 0)
