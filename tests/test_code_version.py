"""lb.code_version: which modules a script's code version covers, and which edits change it."""

import textwrap
from pathlib import Path

import pytest

from lb.code_version import code_version, main, module_closure, normalized_code

REPO_SCRIPTS = Path(__file__).resolve().parents[1] / "workflow_scripts"


def write(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def package(tmp_path):
    """pkg/ with: a imports b (absolute) and sub.c (relative, inside a function); c imports d
    through ``from .. import d``; e is imported by nobody; script.py imports pkg.a."""
    write(tmp_path, "pkg/__init__.py", '"""The package."""\n')
    a = "from pkg import b\n\ndef f():\n    from .sub.c import g\n    return g\n"
    write(tmp_path, "pkg/a.py", a)
    write(tmp_path, "pkg/b.py", '"""b."""\n\nX = 1  # a constant\n')
    write(tmp_path, "pkg/sub/__init__.py", "")
    write(tmp_path, "pkg/sub/c.py", "from .. import d\n\ndef g():\n    return d.Y\n")
    write(tmp_path, "pkg/d.py", "Y = 2\n")
    write(tmp_path, "pkg/e.py", "Z = 3\n")
    script = write(tmp_path, "script.py", "import os\nfrom pkg.a import f\n\nprint(f())\n")
    return tmp_path, script


def version(root, script):
    return code_version(script, package="pkg", root=root)


def test_the_closure_follows_absolute_relative_and_nested_imports(package):
    root, script = package
    closure = module_closure([script], package="pkg", root=root)
    assert list(closure) == ["pkg", "pkg.a", "pkg.b", "pkg.d", "pkg.sub", "pkg.sub.c"]
    assert closure["pkg.sub"] == root / "pkg/sub/__init__.py"
    assert list(module_closure(["pkg.d"], package="pkg", root=root)) == ["pkg", "pkg.d"]


def test_comments_docstrings_and_formatting_do_not_change_the_version(package):
    root, script = package
    before = version(root, script)
    b = '"""b, reworded\nover two lines."""\n\n# new comment\nX = (\n    1\n)\n'
    write(root, "pkg/b.py", b)
    write(root, "pkg/sub/c.py", 'from .. import d\n\n\ndef g():\n    """Y."""\n    return d.Y\n')
    assert version(root, script) == before


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        ("pkg/b.py", "X = 2\n"),  # a constant of a directly imported module
        ("pkg/d.py", "Y = 2\nW = 0\n"),  # a statement added two imports away
        ("pkg/sub/__init__.py", "V = 1\n"),  # a package's __init__ on the way
        ("pkg/sub/c.py", "from .. import d\n\ndef g():\n    return -d.Y\n"),
    ],
)
def test_a_code_edit_in_the_closure_changes_the_version(package, relative, text):
    root, script = package
    before = version(root, script)
    write(root, relative, text)
    assert version(root, script) != before


def test_an_edit_outside_the_closure_does_not(package):
    root, script = package
    before = version(root, script)
    write(root, "pkg/e.py", "Z = 4\n")
    assert version(root, script) == before


def test_a_docstring_is_only_the_first_string_statement():
    code = normalized_code('def f():\n    """doc"""\n    "not a docstring"\n')
    assert "doc'" not in code and "not a docstring" in code
    assert normalized_code("x = 1\n") != normalized_code("x = 1.0\n")


def test_the_workflow_scripts_cover_what_they_run():
    train = module_closure([REPO_SCRIPTS / "train.py"])
    assert {"lb.losses.latent_boost", "lb.training.trainer", "lb.models.fashion_cnn"} <= set(train)
    assert not any(name.startswith(("lb.report", "lb.figures")) for name in train)
    report = module_closure([REPO_SCRIPTS / "report.py"])
    assert {"lb.report.build", "lb.stats.comparison"} <= set(report)
    assert "lb.training.trainer" not in report


def test_the_command_prints_the_version_and_modules(capsys):
    assert main(["lb.stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == code_version("lb.stats") and len(lines[0]) == 64
    assert "  lb.stats.comparison" in lines


def test_the_command_names_what_it_cannot_find(capsys):
    assert main(["lb.no_such_module"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: no lb module named lb.no_such_module under {REPO_SCRIPTS.parent}"
    )
