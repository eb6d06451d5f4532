"""Figures inside the HTML: PNG files as base64 ``data:`` URIs (one self-contained file)."""

from __future__ import annotations

import base64
import os
import struct
from pathlib import Path

from lb.errors import DataError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk; DataError when ``data`` is not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise DataError("not a PNG file")
    return struct.unpack(">II", data[16:24])


def png_data_uri(path: str | os.PathLike) -> tuple[str, int, int]:
    """``("data:image/png;base64,...", width, height)``; DataError naming the file when it is
    missing or not a PNG."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as err:
        raise DataError(f"{p}: figure not readable ({err}); re-run its figure rule") from err
    try:
        width, height = png_size(data)
    except DataError as err:
        raise DataError(f"{p}: {err}; re-run its figure rule") from err
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii"), width, height
