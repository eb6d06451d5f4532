"""One writer per run: an exclusive lock file beside the run's checkpoint.

Snakemake's own lock (``.snakemake/locks``) lives in the checkout, so two checkouts (or two
``python -m lb.training`` commands) writing the same results folder would both train the same run
and overwrite each other's checkpoint. :func:`run_lock` takes ``<checkpoint>.lock`` with
``fcntl.flock`` (exclusive, non-blocking) for the whole training call; a second writer gets
:class:`lb.errors.OutputError` with one line naming the lock file and the process holding it.

The operating system releases a ``flock`` when its process dies (``kill -9`` included), so a
stale lock file never blocks: the next writer simply takes it. The holder deletes the file when
it is done; a writer that locked a file which was deleted and re-created meanwhile retries on
the new one (so two writers can never both hold "the" lock). ``flock`` on network file systems
works across hosts only where the file system supports it (NFSv4 and Lustre with ``flock``
mount options do); elsewhere it protects writers on the same host only.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from lb.errors import OutputError


def lock_path(checkpoint_path: str | os.PathLike) -> Path:
    """``<checkpoint>.lock``: ``seed0.pt`` -> ``seed0.pt.lock``."""
    checkpoint_path = Path(checkpoint_path)
    return checkpoint_path.with_name(checkpoint_path.name + ".lock")


@contextlib.contextmanager
def run_lock(path: str | os.PathLike, what: str) -> Iterator[None]:
    """Hold the exclusive lock ``path`` for the block; ``what`` names the run in the error."""
    path = Path(path)
    fd = _acquire(path, what)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still holding it: a waiting writer retries on a new file
        os.close(fd)


def _acquire(path: Path, what: str) -> int:
    for _ in range(100):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as err:
            raise OutputError(f"cannot create lock file {path} ({err.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise OutputError(
                f"[{what}] is being trained by another process ({holder}, lock file {path}) "
                "writing the same results folder; wait for it to finish or stop it"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            _write_holder(fd)
            return fd
        os.close(fd)  # the holder deleted the file as we locked it: lock the new one
    raise OutputError(f"cannot take lock file {path}; another writer keeps re-creating it")


def _write_holder(fd: int) -> None:
    """Record who holds the lock (read by a refused writer for its message)."""
    text = f"pid {os.getpid()} on {socket.gethostname()}\n".encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, text, 0)


def _read_holder(fd: int) -> str:
    with contextlib.suppress(OSError):
        text = os.pread(fd, 200, 0).decode(errors="replace").strip()
        if text:
            return text
    return "unknown process"
