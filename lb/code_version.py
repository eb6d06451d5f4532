"""The version of the library code a job runs: one hash over the ``lb`` modules it imports.

Snakemake reruns a job when its script file changes, but not when a module of ``lb`` that the
script imports does. The workflow therefore gives every rule the hash of its script's library
code as a param (``params.code``): an edit to a module the job imports, directly or through other
modules, reruns that job and what reads its outputs, and nothing else. The trainer stores the
hash of ``lb.training``'s code in each checkpoint, so a run interrupted before an edit starts
afresh instead of resuming weights trained by other code.

What counts as an edit (the choice): a change to a module's syntax tree. Comments, blank
lines, formatting and docstrings (a string that is the first statement of a module, class or
function) are not code, so reflowing a docstring reruns nothing; renaming a variable, changing
a constant or adding a statement does. The tree is written out by :func:`normalized_code`,
which omits source positions and empty fields, so the hash does not depend on the Python
version's ``ast.dump`` layout (only a change of the grammar itself would change it).

Which modules (the closure): every ``import lb.x`` / ``from lb.x import y`` / relative import
anywhere in the file (inside functions too), ``lb.x.y`` when ``y`` is itself a module, and the
``__init__`` of every package on the way, repeated for each module found. Modules imported by
name at run time (``importlib``) are not seen; the library has none.

``python -m lb.code_version FILE_OR_MODULE...`` prints the hash and the modules behind it.
"""

from __future__ import annotations

import argparse
import ast
import functools
import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

#: The folder that holds the ``lb`` package (the root module names resolve against).
SOURCE_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "lb"


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return tree


def _dump(node) -> str:
    if isinstance(node, ast.AST):
        fields = []
        for name in node._fields:
            value = getattr(node, name, None)
            if value is None or value == []:
                continue
            fields.append(f"{name}={_dump(value)}")
        return f"{type(node).__name__}({', '.join(fields)})"
    if isinstance(node, list):
        return "[" + ", ".join(_dump(item) for item in node) + "]"
    return f"{type(node).__name__}:{node!r}"


def normalized_code(source: str, filename: str = "<source>") -> str:
    """The syntax tree of ``source`` without docstrings, comments, formatting and positions."""
    return _dump(_strip_docstrings(ast.parse(source, filename=filename)))


def module_path(name: str, root: Path = SOURCE_ROOT) -> Path | None:
    """The file of module ``name`` (``a.b`` -> ``a/b.py`` or ``a/b/__init__.py``), or None."""
    base = root.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


@functools.cache
def _parsed(source: str, filename: str) -> tuple[tuple, str]:
    """One parse of a file: its import statements as (level, module, names), and the SHA-256 of
    its :func:`normalized_code`."""
    tree = ast.parse(source, filename=filename)
    imports = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.extend((0, alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imports.append((node.level, node.module or "", tuple(a.name for a in node.names)))
    code = _dump(_strip_docstrings(tree))
    return tuple(imports), hashlib.sha256(code.encode()).hexdigest()


def imported_modules(
    source: str, module: str | None, path: Path, package: str = PACKAGE, root: Path = SOURCE_ROOT
) -> set[str]:
    """The modules of ``package`` that ``source`` (module ``module`` at ``path``; None for a
    script) imports, with the packages on the way to each."""
    here = _package_of(module, path) if module else ""
    found: set[str] = set()
    for level, name, names in _parsed(source, str(path))[0]:
        if level:
            parts = here.split(".") if here else []
            parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
            base = ".".join(p for p in [*parts, name] if p)
        else:
            base = name
        found.add(base)
        found.update(f"{base}.{alias}" for alias in names if alias != "*")
    ours = {name for name in found if name == package or name.startswith(package + ".")}
    modules = {name for name in ours if module_path(name, root) is not None}
    for name in list(modules):
        parts = name.split(".")
        modules.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return modules


def module_closure(
    starts: Iterable[str | Path], package: str = PACKAGE, root: Path = SOURCE_ROOT
) -> dict[str, Path]:
    """Module name -> file of every ``package`` module that ``starts`` (script files, or module
    names) import, directly or not; a module given by name is part of its own closure, with the
    packages on the way to it."""
    todo: list[tuple[str | None, Path]] = []
    closure: dict[str, Path] = {}
    for start in starts:
        if isinstance(start, Path) or str(start).endswith(".py"):
            if not Path(start).is_file():
                raise FileNotFoundError(f"no script file {start}")
            todo.append((None, Path(start)))
            continue
        path = module_path(start, root)
        if path is None or not (start == package or start.startswith(package + ".")):
            raise FileNotFoundError(f"no {package} module named {start} under {root}")
        parts = start.split(".")
        for name in (".".join(parts[:i]) for i in range(1, len(parts) + 1)):
            closure[name] = module_path(name, root)
            todo.append((name, closure[name]))
    while todo:
        module, path = todo.pop()
        for name in imported_modules(path.read_text(), module, path, package, root):
            if name not in closure:
                closure[name] = module_path(name, root)
                todo.append((name, closure[name]))
    return dict(sorted(closure.items()))


def code_version(*starts: str | Path, package: str = PACKAGE, root: Path = SOURCE_ROOT) -> str:
    """SHA-256 (hex) over the normalized code of :func:`module_closure` ``(starts)``."""
    digest = hashlib.sha256()
    for name, path in module_closure(starts, package, root).items():
        digest.update(f"{name}\0{_parsed(path.read_text(), str(path))[1]}\n".encode())
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lb.code_version",
        description="The hash of the lb code a script or module imports, and those modules.",
    )
    parser.add_argument("starts", nargs="+", metavar="FILE_OR_MODULE")
    args = parser.parse_args(argv)
    try:
        closure = module_closure(args.starts)
    except (FileNotFoundError, SyntaxError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(code_version(*args.starts))
    for name in closure:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
