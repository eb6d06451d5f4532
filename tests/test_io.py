import errno
import os
import stat
import subprocess

import pytest

from lb.errors import OutputError
from lb.io import atomic_path, save_torch, write_json, write_text


def test_atomic_output_gets_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "a.txt", "hello")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "a.txt").stat().st_mode)
    assert mode == 0o644


def test_atomic_output_leaves_nothing_on_error(tmp_path):
    target = tmp_path / "sub" / "out.json"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert not target.exists()
    assert list(target.parent.iterdir()) == []
    write_json(target, {"a": 1})
    assert target.read_text() == '{\n  "a": 1\n}\n'


def test_a_full_disk_is_one_line_naming_the_path_and_the_cause(tmp_path):
    """ENOSPC raised while writing (simulated here; the tmpfs test below fills a real disk)."""
    target = tmp_path / "out.csv"
    with pytest.raises(OutputError) as info, atomic_path(target) as tmp:
        tmp.write_text("half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    message = str(info.value)
    assert message.startswith(f"cannot write {target}: No space left on device (ENOSPC)")
    assert "\n" not in message and list(tmp_path.iterdir()) == []


def test_torch_save_hiding_the_os_error_is_still_named(tmp_path, monkeypatch):
    """torch.save turns the OSError of a full disk into a RuntimeError (``[enforce fail at
    inline_container.cc…] unexpected pos``) whose context is the OSError, as seen on a tmpfs."""
    import torch

    def full_disk_save(obj, fh):
        try:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError:
            raise RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 704")  # noqa: B904 - torch raises it so: the OSError is only its context

    monkeypatch.setattr(torch, "save", full_disk_save)
    with pytest.raises(OutputError, match=r"model\.pt: No space left on device \(ENOSPC\)"):
        save_torch({"w": 1}, tmp_path / "model.pt")
    assert list(tmp_path.iterdir()) == []


def test_an_error_that_is_not_about_the_disk_is_left_alone(tmp_path):
    with pytest.raises(ValueError), atomic_path(tmp_path / "x") as _tmp:
        raise ValueError("a bug, not the disk")


@pytest.fixture()
def tiny_tmpfs(tmp_path):
    """A 256 KiB tmpfs (needs root and a mount permission; skipped elsewhere)."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_real_full_disk_is_one_line_and_leaves_nothing(tiny_tmpfs):
    import torch

    target = tiny_tmpfs / "runs" / "model.pt"
    with pytest.raises(OutputError) as info:
        save_torch({"w": torch.zeros(200_000)}, target)  # 800 kB
    assert str(info.value).startswith(f"cannot write {target}: No space left on device (ENOSPC)")
    with pytest.raises(OutputError, match="No space left on device"):
        write_text(tiny_tmpfs / "big.txt", "x" * 400_000)
    assert [p for p in tiny_tmpfs.rglob("*") if p.is_file()] == []
