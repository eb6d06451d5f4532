"""The published numbers the report compares against (report/published/*.csv).

Both files are copies of ``../shared/paper`` (transcribed from the two seed papers) and ship with
the project:

- ``latent_boost_tables.csv``: Tables 2-5 of the Latent Boost paper; columns ``table, dataset,
  method, lambda, metric, mean, std`` (accuracy in percent, F1 and silhouette in [-1, 1],
  epochs a count; ``lambda`` is ``best`` in Tables 4-5; Table 5 has no std).
- ``tvae_agreement.csv``: Table 1 of the triplet-VAE paper; columns ``case, description,
  fraction``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from lb.errors import DataError
from lb.vocabulary import format_lam

PUBLISHED_DIR = Path(__file__).resolve().parents[1] / "report" / "published"
LATENT_BOOST_TABLES = PUBLISHED_DIR / "latent_boost_tables.csv"
TVAE_AGREEMENT = PUBLISHED_DIR / "tvae_agreement.csv"
#: Runs behind each of the Latent Boost paper's mean ± std ("we trained each experiment setup
#: five times", Section 3.3).
PAPER_SEEDS = 5

_TABLE_COLUMNS = ("table", "dataset", "method", "lambda", "metric", "mean", "std")
_AGREEMENT_COLUMNS = ("case", "description", "fraction")


def _read(path: str | os.PathLike, columns: tuple[str, ...]) -> pd.DataFrame:
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{path}: published numbers not found; restore it from git") from None
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
        reason = " ".join(str(err).split())
        raise DataError(f"{path}: cannot read the published numbers ({reason})") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}; restore it from git")
    return df


def _numbers(df: pd.DataFrame, column: str, path, allow_empty: bool) -> pd.Series:
    text = df[column].str.strip()
    values = pd.to_numeric(text.where(text != "", None), errors="coerce")
    bad = values.isna() & (text != "" if allow_empty else True)
    if bad.any():
        row = int(bad.idxmax()) + 2  # header is line 1
        raise DataError(f"{path}:{row}: column {column} is not a number ({text[bad].iloc[0]!r})")
    return values.astype(float)


def read_latent_boost_tables(path: str | os.PathLike = LATENT_BOOST_TABLES) -> pd.DataFrame:
    """Tables 2-5 as a DataFrame: ``table, dataset, method, lam, metric, mean, std``.

    ``lam`` is a string formatted like the run directories (``f"{lam:g}"``: ``"0"``, ``"0.25"``)
    or ``"best"``; ``mean``/``std`` are floats (``std`` NaN where the paper gives none).
    """
    df = _read(path, _TABLE_COLUMNS)
    out = pd.DataFrame(
        {
            "table": df["table"].str.strip(),
            "dataset": df["dataset"].str.strip(),
            "method": df["method"].str.strip(),
            "lam": [_lam_label(v, path, i) for i, v in enumerate(df["lambda"])],
            "metric": df["metric"].str.strip(),
            "mean": _numbers(df, "mean", path, allow_empty=False),
            "std": _numbers(df, "std", path, allow_empty=True),
        }
    )
    keys = ["table", "dataset", "method", "lam", "metric"]
    duplicated = out.duplicated(keys)
    if duplicated.any():
        row = int(duplicated.idxmax()) + 2
        raise DataError(f"{path}:{row}: duplicate cell {tuple(out.loc[duplicated, keys].iloc[0])}")
    return out


def read_tvae_agreement(path: str | os.PathLike = TVAE_AGREEMENT) -> pd.DataFrame:
    """Table 1 of the triplet-VAE paper: ``case`` (int), ``description``, ``fraction`` (float)."""
    df = _read(path, _AGREEMENT_COLUMNS)
    return pd.DataFrame(
        {
            "case": _numbers(df, "case", path, allow_empty=False).astype(int),
            "description": df["description"],
            "fraction": _numbers(df, "fraction", path, allow_empty=False),
        }
    )


def tvae_agreement_fractions(path: str | os.PathLike = TVAE_AGREEMENT) -> dict[int, float]:
    """:func:`read_tvae_agreement` as case -> fraction (the triplet-VAE study and the report)."""
    table = read_tvae_agreement(path)
    return {int(c): float(f) for c, f in zip(table["case"], table["fraction"], strict=True)}


def _lam_label(value: str, path, index: int) -> str:
    value = value.strip()
    if value == "best":
        return value
    try:
        return format_lam(float(value))
    except ValueError:
        raise DataError(
            f"{path}:{index + 2}: lambda must be a number or 'best', got {value!r}"
        ) from None
