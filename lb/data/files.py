"""File helpers shared by the dataset sources: md5 sums and the one-line "fix it" hints."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

FIX_HINT = "set `download: true` in the config, or set data_root (or LB_DATA_ROOT) to a directory"


def md5_file(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """The hex md5 of a file (the checksum torchvision's ``resources`` lists)."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def missing_message(dataset: str, expected: Path | str, layout: str) -> str:
    """One line: which file is missing and how to get it."""
    return f"{dataset}: missing {expected}; {FIX_HINT} that holds {layout}"


def first_line(err: BaseException, limit: int = 200) -> str:
    """An exception's text folded onto one line (at most ``limit`` characters), so that every
    DataError that quotes it stays one line."""
    text = " ".join(part.strip() for part in str(err).splitlines() if part.strip())
    text = text or type(err).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
