"""Provenance footer data and PNG embedding."""

import datetime as dt
import re
import subprocess

import pytest

from lb.errors import DataError
from lb.report import provenance
from lb.report.embed import png_data_uri, png_size


def test_config_hash_is_canonical():
    a = provenance.config_hash({"seeds": [0, 1], "training": {"lr": 0.001, "epochs": 3}})
    b = provenance.config_hash({"training": {"epochs": 3, "lr": 0.001}, "seeds": [0, 1]})
    assert a == b and re.fullmatch(r"[0-9a-f]{64}", a)
    assert a != provenance.config_hash({"seeds": [0, 2], "training": {"lr": 0.001, "epochs": 3}})
    assert provenance.config_hash(None) == ""


def test_git_commit_inside_and_outside_a_checkout(tmp_path):
    assert provenance.git_commit(tmp_path) == "unknown (not a git checkout)"
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f.txt").write_text("a")
    env = ["-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "-C", str(tmp_path), "add", "f.txt"], check=True)
    subprocess.run(["git", "-C", str(tmp_path), *env, "commit", "-qm", "x"], check=True)
    clean = provenance.git_commit(tmp_path)
    assert re.fullmatch(r"[0-9a-f]{40}", clean)
    (tmp_path / "f.txt").write_text("b")
    assert provenance.git_commit(tmp_path) == clean + "+dirty"


def test_collect_has_every_field():
    now = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    p = provenance.collect({"a": 1}, run_devices=["cpu", "cpu", float("nan"), "cuda:0"], now=now)
    assert p["date"] == "2025-01-02 03:04:05 UTC"
    assert p["run_devices"] == ["cpu", "cuda:0"]
    assert p["config_hash_short"] == p["config_hash"][:12]
    assert p["packages"]["torch"].startswith("2.") and "python" in p["packages"]
    assert p["report_device"]


def test_png_embedding(tmp_path):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1), dpi=50)
    fig.add_subplot().plot([0, 1])
    path = tmp_path / "f.png"
    fig.savefig(path)
    src, w, h = png_data_uri(path)
    assert src.startswith("data:image/png;base64,") and (w, h) == (100, 50)
    (tmp_path / "bad.png").write_bytes(b"GIF89a not a png")
    with pytest.raises(DataError, match="bad.png: not a PNG file"):
        png_data_uri(tmp_path / "bad.png")
    with pytest.raises(DataError, match="nope.png: figure not readable"):
        png_data_uri(tmp_path / "nope.png")
    with pytest.raises(DataError):
        png_size(b"\x89PNG\r\n\x1a\n")
