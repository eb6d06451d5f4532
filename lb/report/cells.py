"""One cell of a report table: our value (mean ± std over seeds, n) beside the paper's value and
the difference, or why there is no value.

Status of a cell (never an invented number):

- ``ok``: every expected run finished; our mean is shown.
- ``partial``: some of the expected runs finished (partial report); the mean over those is shown
  with "n of n_expected".
- ``missing``: the config asks for these runs but none has a result yet (partial report).
- ``not_run``: the config does not ask for these runs; only the paper's value is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from lb.stats import is_finite
from lb.vocabulary import format_number

OK, PARTIAL, MISSING, NOT_RUN = "ok", "partial", "missing", "not_run"
STATUS_TEXT = {MISSING: "missing", NOT_RUN: "not run"}


def cell_status(n: int, n_expected: int | None) -> str:
    """Status from the number of finished runs and (when known) the number the config expects."""
    if n_expected is None:
        return OK if n > 0 else NOT_RUN
    if n == 0:
        return MISSING if n_expected > 0 else NOT_RUN
    return PARTIAL if n < n_expected else OK


def mean_std_text(mean: float | None, std: float | None, metric: str) -> str:
    """``88.12 ± 0.21``; just the mean when there is no std (one seed, or a best-trial value)."""
    if not is_finite(mean):
        return ""
    text = format_number(mean, metric)
    if is_finite(std):
        text += " ± " + format_number(std, metric)
    return text


@dataclass(frozen=True)
class Cell:
    """What the template prints for one (dataset, method, λ, metric) cell."""

    metric: str
    status: str
    ours: str  # "88.12 ± 0.21", or "not run" / "missing"
    n: int
    n_expected: int | None
    paper: str  # "88.59 ± 0.15", or "" when the paper has no value
    diff: str  # "−0.47" (ours − paper), or ""
    diff_sign: str  # "pos", "neg", "zero" or ""
    mean: float | None = None
    paper_mean: float | None = None

    @property
    def has_value(self) -> bool:
        return self.status in (OK, PARTIAL)

    @property
    def n_text(self) -> str:
        if not self.has_value:
            return ""
        if self.status == PARTIAL:
            return f"n={self.n} of {self.n_expected}"
        return f"n={self.n}"


def make_cell(
    metric: str,
    mean: float | None,
    std: float | None,
    n: int,
    paper_mean: float | None,
    paper_std: float | None,
    n_expected: int | None = None,
) -> Cell:
    """Build a cell; the difference is ours − paper when both exist."""
    status = cell_status(int(n), n_expected)
    has_value = status in (OK, PARTIAL) and is_finite(mean)
    if status in (OK, PARTIAL) and not is_finite(mean):
        # Runs finished but the metric is empty (e.g. no silhouette yet): not a number to show.
        status = MISSING
    ours = mean_std_text(mean, std, metric) if has_value else STATUS_TEXT[status]
    paper = mean_std_text(paper_mean, paper_std, metric)
    diff, sign = "", ""
    if has_value and is_finite(paper_mean):
        d = float(mean) - float(paper_mean)
        diff = format_number(d, metric, signed=True)
        rounded = float(format_number(d, metric).replace("−", "-"))
        sign = "pos" if rounded > 0 else "neg" if rounded < 0 else "zero"
    return Cell(
        metric=metric,
        status=status,
        ours=ours,
        n=int(n),
        n_expected=n_expected,
        paper=paper,
        diff=diff,
        diff_sign=sign,
        mean=float(mean) if has_value else None,
        paper_mean=float(paper_mean) if is_finite(paper_mean) else None,
    )
