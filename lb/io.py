"""Atomic file output: every file appears whole or not at all (temporary name + rename)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lb.errors import OutputError


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` only on success.

    The temporary file (``.<name>.<random>.tmp``) lives in the same directory, so
    ``os.replace`` is atomic: readers see the old file or the whole new one, never a part, also
    when the writer is killed (``kill -9`` leaves at most the hidden temporary file). Its data is
    flushed to disk (``fsync``) before the rename, so a power loss cannot leave a renamed but
    empty file. It is created with mode ``0o666`` minus the umask, like ``open(path, "w")``
    (not ``0o600`` as ``tempfile.mkstemp`` would), so outputs stay readable by the group. It is
    removed if the block raises. Parent directories are created.

    A failure of the file system (disk full, quota, read-only, no permission, a parent that is
    a file) becomes :class:`lb.errors.OutputError` with one line naming ``path`` and the cause,
    also when the writer wrapped the ``OSError`` (``torch.save`` raises a ``RuntimeError``
    whose context is the ``OSError``).
    """
    target = Path(path)
    with _one_line_os_errors(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _create_temporary(target)
    try:
        with _one_line_os_errors(target):
            yield tmp
            _fsync(tmp)
            os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(target.parent)


@contextlib.contextmanager
def _one_line_os_errors(target: Path) -> Iterator[None]:
    try:
        yield
    except OutputError:
        raise
    except Exception as err:
        cause = os_error_in(err)
        if cause is None:
            raise
        raise OutputError(f"cannot write {target}: {describe_os_error(cause)}") from None


def os_error_in(err: BaseException) -> OSError | None:
    """The ``OSError`` that ``err`` is or was raised from (its ``__cause__``/``__context__``)."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, OSError) and err.errno is not None:
            return err
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return None


def describe_os_error(err: OSError) -> str:
    """``No space left on device (ENOSPC)``: the cause of an ``OSError`` in a few words."""
    reason = err.strerror or str(err)
    name = errno.errorcode.get(err.errno or 0)
    hint = _OS_ERROR_HINTS.get(err.errno or 0, "")
    return f"{reason} ({name}){hint}" if name else f"{reason}{hint}"


_OS_ERROR_HINTS = {
    errno.ENOSPC: "; free space there or set results_dir to a larger disk, then rerun",
    errno.EDQUOT: "; free space within your quota or set results_dir elsewhere, then rerun",
    errno.EROFS: "; set results_dir to a writable folder",
    errno.EACCES: "; set results_dir (or the output path) to a folder you can write",
    errno.ENOTDIR: "; a parent of that path is a file, choose another path",
}


def _create_temporary(target: Path) -> Path:
    """A new empty file ``.<name>.<random>.tmp`` beside ``target`` (mode 0o666 & ~umask)."""
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"no free temporary name beside {target}")


def _fsync(path: Path) -> None:
    """Flush a written file's data to disk (the writer may have closed it without doing so)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(directory: Path) -> None:
    """Persist a rename (best effort: not every platform or file system can sync a directory)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_json(path: str | os.PathLike, obj: Any) -> None:
    write_text(path, json.dumps(obj, indent=2, sort_keys=True) + "\n")


def save_torch(obj: Any, path: str | os.PathLike) -> None:
    import torch

    # Through an open file: given a path, torch.save records the (random) temporary file name
    # inside the zip, so identical objects would give different bytes.
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        torch.save(obj, fh)


def write_csv(df, path: str | os.PathLike) -> None:
    """Write a pandas DataFrame atomically (no index)."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)
