"""Reliability, checked in the source: every file the workflow's code writes goes
through lb.io's atomic writers, and everything it reads is read safely.

The code of the rules is lb/ and workflow_scripts/ (rules/*.smk and the Snakefile only name
scripts). A write is any call that creates or changes a file (``open`` for writing, ``to_csv``,
``savefig``, ``np.save*``, ``torch.save``, ``json.dump``, ``pickle.dump``, ``write_text``,
``shutil.copy*``, ...); it is atomic when it happens inside ``with atomic_path(...)``, whose
temporary file is renamed onto the target only on success. The exceptions are logs, appended to
while a job runs so that a failed job's log says how far it got: a rule's log (``smk.log``) and
the modules listed in ``APPEND_ONLY_LOGS``. Reads: YAML only through ``safe_load``,
``torch.load`` only with ``weights_only=True``,
Jinja2 with autoescape and no ``|safe``, no ``shell=True``, no ``shell:``/``run:`` rules (every
rule is a ``script:``, so no config value is ever spliced into a shell command), and the pickles
that are read are listed with the reason they are safe.
"""

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CODE_DIRS = ("lb", "workflow_scripts")
WRITING_METHODS = {
    "to_csv", "to_json", "to_parquet", "to_pickle", "to_excel", "to_hdf", "to_feather",
    "savefig", "write_text", "write_bytes", "save", "savez", "savez_compressed", "savetxt",
    "dump", "symlink_to", "hardlink_to", "touch", "extractall",
}  # fmt: skip
# (module, function) pairs that read pickles, and why each is safe.
PICKLE_READERS = {
    # CIFAR's own format; read by lb.data.cifar.BatchUnpickler, which refuses any global
    # but NumPy's array constructors (test_reliability_safe_loading.py)
    ("lb/data/cifar.py", "BatchUnpickler"),
}


# Modules that may open files for appending ("a" only), and why.
APPEND_ONLY_LOGS = {
    # a training job's rule log and <checkpoint>.log, which keeps the lines of the attempts
    # since the run last finished (Snakemake deletes a rule's log before every attempt)
    "lb/training/run_log.py",
    # the rule's log (smk.log[0]) that lb.workflow.adapter.run_job appends a job's lines to
    "lb/workflow/adapter.py",
}


def python_files():
    files = [p for d in CODE_DIRS for p in sorted((REPO / d).rglob("*.py"))]
    return [p for p in files if p != REPO / "lb" / "io.py"]


def source_of(node, text) -> str:
    return ast.get_source_segment(text, node) or ""


def call_name(node: ast.Call) -> str:
    func = node.func
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    parts.append(func.id if isinstance(func, ast.Name) else "<expr>")
    return ".".join(reversed(parts))


def open_mode(node: ast.Call) -> str | None:
    """The mode of an ``open``-like call (None when it cannot be read)."""
    for kw in node.keywords:
        if kw.arg == "mode" and isinstance(kw.value, ast.Constant):
            return str(kw.value.value)
    index = (
        0
        if call_name(node).endswith(".open")
        and not call_name(node).startswith(("gzip", "bz2", "lzma", "io"))
        else 1
    )
    if len(node.args) > index and isinstance(node.args[index], ast.Constant):
        return str(node.args[index].value)
    return "r"


LB_IO_WRITERS = {"write_text", "write_bytes", "write_json", "write_csv", "save_torch"}
SHUTIL_WRITES = {"copy", "copy2", "copyfile", "copyfileobj", "copytree", "move"}


def is_write(node: ast.Call, text: str) -> bool:
    name = call_name(node)
    last = name.rsplit(".", 1)[-1]
    if name.startswith("io.") and last in LB_IO_WRITERS or name in LB_IO_WRITERS:
        return False  # lb.io's own atomic writers (io.write_text, or imported by name)
    if last == "open":
        return any(c in open_mode(node) for c in "wax+")
    if last in SHUTIL_WRITES:
        return name.startswith("shutil.")
    if last in ("rename", "replace"):  # os.replace(a, b), Path.rename(b); not str/DataFrame
        return name.startswith("os.") or (len(node.args) == 1 and not node.keywords)
    if last in ("to_csv", "to_json") and not node.args:
        return any(kw.arg in ("path_or_buf", "path") for kw in node.keywords)
    if last in ("dump", "save", "savez", "savez_compressed", "savetxt"):
        return len(node.args) >= 2 or (last != "dump" and len(node.args) >= 1)
    return last in WRITING_METHODS


class WriteFinder(ast.NodeVisitor):
    def __init__(self, text: str, append_only_log: bool = False) -> None:
        self.text = text
        self.append_only_log = append_only_log
        self.atomic_depth = 0
        self.offenders: list[tuple[int, str]] = []

    def visit_With(self, node):
        atomic = any(
            isinstance(item.context_expr, ast.Call)
            and call_name(item.context_expr).endswith("atomic_path")
            for item in node.items
        )
        self.atomic_depth += atomic
        self.generic_visit(node)
        self.atomic_depth -= atomic

    def visit_Call(self, node):
        if is_write(node, self.text) and not self.atomic_depth and not self.is_log(node):
            self.offenders.append((node.lineno, source_of(node, self.text).splitlines()[0]))
        self.generic_visit(node)

    def is_log(self, node: ast.Call) -> bool:
        if self.append_only_log and call_name(node) == "open" and open_mode(node) in ("a", "ab"):
            return True
        return (
            call_name(node) == "open"
            and bool(node.args)
            and re.fullmatch(r"(smk|snakemake)\.log\[0\]", source_of(node.args[0], self.text))
            is not None
        )


def find_calls(text: str, predicate):
    tree = ast.parse(text)
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and predicate(n)]


def test_every_write_goes_through_an_atomic_writer():
    offenders = []
    for path in python_files():
        text = path.read_text(encoding="utf-8")
        finder = WriteFinder(text, str(path.relative_to(REPO)) in APPEND_ONLY_LOGS)
        finder.visit(ast.parse(text))
        offenders += [f"{path.relative_to(REPO)}:{line}: {code}" for line, code in finder.offenders]
    assert offenders == []


def test_the_write_finder_finds_non_atomic_writes():
    """The audit above can fail: each of these is found, the atomic forms are not."""
    bad = """
import json, numpy as np, torch, shutil
from pathlib import Path
from lb import io
df.to_csv(path, index=False)
fig.savefig(path)
np.savez(path, a=a)
torch.save(obj, path)
Path(p).write_text("x")
with open(path, "w") as fh:
    json.dump(obj, fh)
shutil.copyfileobj(src, dst)
"""
    good = """
from lb.io import atomic_path
text = df.to_csv(index=False)
s = json.dumps(obj)
name = name.replace("a", "b")
with open(path) as fh:
    pass
with open(smk.log[0], "w") as log:
    pass
with atomic_path(path) as tmp, open(tmp, "wb") as fh:
    np.savez(fh, a=a)
with io.atomic_path(path) as tmp:
    fig.savefig(tmp)
io.write_text(path, "x")
write_csv(df, path)
"""
    for code, expected in ((bad, 8), (good, 0)):
        finder = WriteFinder(code)
        finder.visit(ast.parse(code))
        assert len(finder.offenders) == expected, finder.offenders


def all_python_sources():
    dirs = (*CODE_DIRS, "bench", "profiles")
    return [(p, p.read_text(encoding="utf-8")) for d in dirs for p in (REPO / d).rglob("*.py")]


def test_yaml_is_read_only_with_safe_load():
    unsafe = []
    for path, text in all_python_sources():
        for node in find_calls(text, lambda n: call_name(n).startswith("yaml.")):
            name = call_name(node)
            if name in ("yaml.load", "yaml.load_all", "yaml.full_load", "yaml.unsafe_load"):
                unsafe.append(f"{path.relative_to(REPO)}:{node.lineno}: {name}")
    assert unsafe == []


def test_torch_load_is_weights_only_everywhere():
    calls, unsafe = 0, []
    for path, text in all_python_sources():
        for node in find_calls(text, lambda n: call_name(n) == "torch.load"):
            calls += 1
            weights_only = [kw for kw in node.keywords if kw.arg == "weights_only"]
            if not (
                weights_only
                and isinstance(weights_only[0].value, ast.Constant)
                and weights_only[0].value.value is True
            ):
                unsafe.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert calls >= 3 and unsafe == []


def test_pickles_are_read_only_where_listed():
    readers = set()
    for path, text in all_python_sources():
        rel = str(path.relative_to(REPO))
        for node in find_calls(text, lambda n: True):
            name = call_name(node)
            if name in ("pickle.load", "pickle.loads", "joblib.load", "dill.load"):
                readers.add((rel, name))
            if name.endswith("np.load") or name.endswith("numpy.load"):
                assert not any(kw.arg == "allow_pickle" for kw in node.keywords), rel
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                source_of(b, text).endswith("Unpickler") for b in node.bases
            ):
                readers.add((rel, node.name))
            if isinstance(node, ast.Call) and call_name(node).endswith("Unpickler"):
                if call_name(node) != "BatchUnpickler":
                    readers.add((rel, call_name(node)))
    assert readers == PICKLE_READERS


def test_no_subprocess_goes_through_a_shell():
    for path, text in all_python_sources():
        for node in find_calls(text, lambda n: True):
            if call_name(node) in ("os.system", "os.popen"):
                pytest.fail(f"{path.relative_to(REPO)}:{node.lineno}: {call_name(node)}")
            for kw in node.keywords:
                if kw.arg == "shell" and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    pytest.fail(f"{path.relative_to(REPO)}:{node.lineno}: shell=...")


def test_jinja_autoescapes_and_templates_mark_nothing_safe():
    environments = []
    for path, text in all_python_sources():
        for node in find_calls(text, lambda n: call_name(n).endswith("Environment")):
            escape = [kw for kw in node.keywords if kw.arg == "autoescape"]
            assert escape and source_of(escape[0].value, text) == "True", path
            environments.append(path)
        assert "Markup(" not in text, path
    assert environments
    templates = sorted((REPO / "report" / "templates").glob("*.j2"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false", text), template


def test_rules_are_scripts_never_shell_or_run():
    """A ``shell:`` directive would splice config values into a command line; there is none (and
    a future one must quote every placeholder with ``:q``)."""
    files = [REPO / "Snakefile", *sorted((REPO / "rules").glob("*.smk"))]
    scripts = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s+run:\s*$", text, re.M), path
        for block in re.findall(r"^\s+shell:\s*\n((?:\s{8}.*\n)+)", text, re.M):
            unquoted = re.findall(r"\{(?![^}]*:q\})[^{}]+\}", block)
            assert not unquoted, f"{path.name}: unquoted {unquoted} in shell:"
        scripts += len(re.findall(r"^\s+script:\s*$", text, re.M))
    assert scripts >= 10
