"""Reliability: every file a rule writes appears whole or not at all (lb.io).

What is checked here is the writer every output goes through (the audit that they all do is
test_reliability_code_audit.py): a writer killed with SIGKILL in the middle of a file leaves the
previous file intact and no partial one; a writer that raises leaves nothing; the data is on disk
before the rename; and outputs get the usual permissions (0o666 minus the umask), not the 0o600
of tempfile.mkstemp that made every result unreadable for the rest of a group.
"""

import json
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest
import torch

from lb import io

WRITER = """
import sys, time
from lb.io import atomic_path
with atomic_path(sys.argv[1]) as tmp, open(tmp, "w") as fh:
    fh.write("new " * 100_000)
    fh.flush()
    print("half written", flush=True)
    time.sleep(120)
    fh.write("end")
"""


def test_kill_9_mid_write_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old complete file\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline() == "half written\n"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text() == "old complete file\n"
    # the partial data is only in the hidden temporary file the kill left behind
    (leftover,) = tmp_path.glob(".table.csv.*.tmp")
    assert leftover.read_text().startswith("new ")


class Boom(RuntimeError):
    pass


def test_a_failing_writer_leaves_no_file(tmp_path):
    class BadFrame(pd.DataFrame):
        def to_csv(self, path, **kwargs):
            with open(path, "w") as fh:
                fh.write("a,b\n1,")
            raise Boom

    with pytest.raises(Boom):
        io.write_csv(BadFrame({"a": [1]}), tmp_path / "new.csv")
    existing = tmp_path / "existing.json"
    io.write_json(existing, {"v": 1})
    with pytest.raises(TypeError):
        io.write_json(existing, {"v": object()})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.json"]
    assert json.loads(existing.read_text()) == {"v": 1}


def test_every_writer_round_trips_and_leaves_no_temporary(tmp_path):
    io.write_text(tmp_path / "a/b/t.txt", "text\n")
    io.write_json(tmp_path / "m.json", {"accuracy": 91.5})
    io.write_csv(pd.DataFrame({"x": [1, 2]}), tmp_path / "t.csv")
    io.save_torch({"w": torch.arange(3)}, tmp_path / "w.pt")
    assert (tmp_path / "a/b/t.txt").read_text() == "text\n"
    assert json.loads((tmp_path / "m.json").read_text()) == {"accuracy": 91.5}
    assert pd.read_csv(tmp_path / "t.csv").x.tolist() == [1, 2]
    assert torch.equal(torch.load(tmp_path / "w.pt", weights_only=True)["w"], torch.arange(3))
    assert list(tmp_path.rglob("*.tmp")) == []


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_get_the_mode_open_would_give(tmp_path, umask):
    old = os.umask(umask)
    try:
        io.write_text(tmp_path / "atomic.txt", "x")
        with open(tmp_path / "plain.txt", "w") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    mode = (tmp_path / "atomic.txt").stat().st_mode & 0o777
    assert mode == (tmp_path / "plain.txt").stat().st_mode & 0o777 == 0o666 & ~umask


def test_data_reaches_the_disk_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", str(src)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    io.write_text(tmp_path / "out.txt", "data")
    kinds = [kind for kind, _ in events]
    assert kinds[:2] == ["fsync", "replace"], events
    assert events[0][1] == events[1][1]  # the temporary file itself was synced
    assert events[2:] == [("fsync", str(tmp_path))]  # then the directory (the rename)
