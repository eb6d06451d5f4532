"""The conda environments (envs/*.yaml) against pyproject.toml and the rules that use them.

Conda is not installed on the machines that run these tests, so the environments are checked
statically instead of being built:

- every package an env file pins is a dependency of pyproject.toml with the same version spec
  (the env files may not drift from the venv the tests run in);
- every rule in Snakefile and rules/*.smk that runs code (`script:`, `shell:`, `notebook:`,
  `wrapper:`) has a `conda:` directive naming an existing env file, and every env file is used;
- the code a rule runs (its script, or the `python -m` modules of its shell command, followed
  through every `lb` module they import) imports only the standard library, `lb`, `snakemake`
  and distributions its env installs (directly or as their requirements).
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
ENV_DIR = ROOT / "envs"
ENV_FILES = sorted(ENV_DIR.glob("*.yaml"))
CODE_DIRECTIVES = ("script", "shell", "notebook", "wrapper")
# Provided to every job by Snakemake itself (the `snakemake` object of `script:` rules) or by the
# workflow (PYTHONPATH points at the project for `lb`).
ALWAYS_IMPORTABLE = {"lb", "snakemake"}


# ---- pyproject and env files -------------------------------------------------------------------


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pyproject_requirements() -> dict[str, Requirement]:
    reqs = [Requirement(line) for line in _pyproject()["project"]["dependencies"]]
    return {canonicalize_name(r.name): r for r in reqs}


@dataclass
class EnvFile:
    path: Path
    python: str | None = None
    conda: list[str] = field(default_factory=list)
    pip: list[Requirement] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {canonicalize_name(r.name) for r in self.pip}


def _load_env(path: Path) -> EnvFile:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict), f"{path.name}: not a YAML mapping"
    assert data.get("channels"), f"{path.name}: no `channels:`"
    env = EnvFile(path)
    for dep in data.get("dependencies") or []:
        if isinstance(dep, dict):
            assert set(dep) == {"pip"}, f"{path.name}: unexpected mapping {dep}"
            env.pip.extend(Requirement(line) for line in dep["pip"])
        elif re.match(r"^python\b", dep):
            env.python = dep[len("python") :].strip().lstrip("=").strip()
        else:
            env.conda.append(dep)
    return env


def test_env_files_exist():
    names = [p.name for p in ENV_FILES]
    assert "train.yaml" in names and "analysis.yaml" in names, names


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: p.name)
def test_env_pins_match_pyproject(path):
    env = _load_env(path)
    project = _pyproject_requirements()
    assert env.python, f"{path.name}: pin python (e.g. `python =3.11`)"
    requires_python = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert Version(env.python) in requires_python, (
        f"{path.name}: python {env.python} is outside pyproject's requires-python {requires_python}"
    )
    # Conda itself provides only the interpreter and pip; packages come from PyPI with
    # pyproject's pins, so both installs hold the same versions.
    assert env.conda == ["pip"], f"{path.name}: conda packages other than pip: {env.conda}"
    assert env.pip, f"{path.name}: no pip packages"
    for req in env.pip:
        name = canonicalize_name(req.name)
        assert name in project, (
            f"{path.name}: {req} is not a dependency in pyproject.toml; add it there first"
        )
        assert req.specifier == project[name].specifier, (
            f"{path.name}: {req} but pyproject.toml has {project[name]}"
        )
        assert not req.extras and not req.marker and not req.url, f"{path.name}: keep {req} plain"
    dupes = sorted(n for n in env.names if sum(canonicalize_name(r.name) == n for r in env.pip) > 1)
    assert not dupes, f"{path.name}: listed twice: {dupes}"


def test_env_pins_are_installed_here():
    """The venv the tests run in has exactly the pinned versions (pyproject and envs agree)."""
    for name, req in _pyproject_requirements().items():
        installed = md.version(name)
        assert req.specifier.contains(installed, prereleases=True), (
            f"{name} {installed} is installed but pyproject.toml asks for {req}"
        )


# ---- rules -------------------------------------------------------------------------------------


@dataclass
class Rule:
    name: str
    file: Path
    directives: dict[str, str]


_RULE_START = re.compile(r"^(\s*)(rule|checkpoint)\b\s*(\w*)\s*:")
_DIRECTIVE = re.compile(r"^(\s+)(\w+)\s*:(.*)$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _parse_rules(path: Path) -> list[Rule]:
    """Rules of a (snakefmt-formatted) Snakefile: each rule's directives with their raw text.

    Also the rules a loop defines (an indented ``rule:`` whose ``name:`` directive names it; the
    rule's name is then that directive's source text)."""
    rules: list[Rule] = []
    current: Rule | None = None
    base = 0
    indent: str | None = None
    key: str | None = None
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        start = _RULE_START.match(line)
        if start:
            current = Rule(start.group(3), path, {})
            rules.append(current)
            base, indent, key = len(start.group(1)), None, None
            continue
        if current is None:
            continue
        if _indent(line) <= base:  # back at the rule's own level
            current = None
            continue
        directive = _DIRECTIVE.match(line)
        if directive and (indent is None or directive.group(1) == indent):
            indent, key = directive.group(1), directive.group(2)
            current.directives[key] = directive.group(3).strip()
        elif key is not None:
            current.directives[key] += "\n" + line.strip()
    for rule in rules:
        if not rule.name:
            rule.name = rule.directives.get("name", "").strip() or "<anonymous>"
    return rules


def _all_rules() -> list[Rule]:
    files = [ROOT / "Snakefile", *sorted((ROOT / "rules").glob("*.smk"))]
    return [rule for f in files if f.exists() for rule in _parse_rules(f)]


def _string_literal(text: str, what: str) -> str:
    try:
        value = ast.literal_eval(text.strip().rstrip(","))
    except (ValueError, SyntaxError):
        pytest.fail(f"{what}: expected a quoted path, got {text!r}")
    assert isinstance(value, str), f"{what}: expected a quoted path, got {text!r}"
    return value


def _code_rules() -> list[Rule]:
    return [r for r in _all_rules() if any(d in r.directives for d in CODE_DIRECTIVES)]


def test_parser_reads_rules():
    """The static rule parser sees the workflow's rules (the workflow ships rule files)."""
    rules = _all_rules()
    assert rules, "no rules found in Snakefile or rules/*.smk"
    assert _code_rules(), "no rule with script:/shell: found"
    sample = _parse_rules_text(
        "rule a:\n    input:\n        'x',\n    conda:\n        '../envs/train.yaml'\n"
        "    script:\n        '../s.py'\n\n\nrule b:\n    shell:\n        'echo'\n"
    )
    assert [r.name for r in sample] == ["a", "b"]
    assert sample[0].directives["conda"].strip() == "'../envs/train.yaml'"
    assert "conda" not in sample[1].directives
    looped = _parse_rules_text(
        "for s in S:\n\n    rule:\n        name:\n            f'x_{s}'\n"
        "        conda:\n            '../envs/analysis.yaml'\n        script:\n"
        "            '../s.py'\n\n\nX = 1\n"
    )
    assert [r.name for r in looped] == ["f'x_{s}'"]
    assert looped[0].directives["script"].strip() == "'../s.py'"


def _parse_rules_text(text: str) -> list[Rule]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.smk"
        path.write_text(text)
        return _parse_rules(path)


def _env_of(rule: Rule) -> Path:
    assert "conda" in rule.directives, (
        f"rule {rule.name} ({rule.file.relative_to(ROOT)}) runs code but has no `conda:` directive"
    )
    rel = _string_literal(rule.directives["conda"], f"rule {rule.name} conda")
    path = (rule.file.parent / rel).resolve()
    assert path.is_file(), f"rule {rule.name}: conda env {rel} does not exist ({path})"
    assert path.parent == ENV_DIR, f"rule {rule.name}: conda env {rel} is not in envs/"
    return path


def test_every_code_rule_has_a_conda_env():
    missing = [
        f"{r.name} ({r.file.relative_to(ROOT)})"
        for r in _code_rules()
        if "conda" not in r.directives
    ]
    assert not missing, f"rules without `conda:`: {', '.join(missing)}"
    for rule in _code_rules():
        _env_of(rule)


def test_every_env_file_is_used():
    used = {_env_of(r) for r in _code_rules()}
    unused = [p.name for p in ENV_FILES if p.resolve() not in used]
    assert not unused, f"env files no rule uses: {unused}"


# ---- imports of the code each rule runs --------------------------------------------------------


def _module_file(module: str) -> Path | None:
    """File of an `lb` module (package __init__ or module file), None if it does not exist."""
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, package: str | None) -> tuple[set[str], set[str]]:
    """(top-level third-party or stdlib names, lb modules) imported anywhere in `path`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    tops: set[str] = set()
    lb_modules: set[str] = set()

    def add(module: str, names: list[str]) -> None:
        top = module.split(".")[0]
        if top != "lb":
            tops.add(top)
            return
        parts = module.split(".")
        for i in range(1, len(parts) + 1):  # parent packages run their __init__ first
            lb_modules.add(".".join(parts[:i]))
        for name in names:  # `from lb.x import y` where y is a submodule
            if _module_file(f"{module}.{name}"):
                lb_modules.add(f"{module}.{name}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, [])
        elif isinstance(node, ast.ImportFrom):
            if node.module == "__future__":
                continue
            if node.level:
                assert package, f"{path}: relative import outside a package"
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            add(module, [a.name for a in node.names])
    return tops, lb_modules


def _package_of(path: Path) -> str | None:
    """The package a file belongs to (for relative imports), None outside lb/."""
    if not path.is_relative_to(ROOT / "lb"):
        return None
    return ".".join(path.relative_to(ROOT).parent.parts)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _third_party_imports(entry_files: list[Path], entry_modules: list[str]) -> dict[str, str]:
    """Top-level imported names -> the file importing them, over the lb import closure."""
    found: dict[str, str] = {}
    todo: list[Path] = list(entry_files)
    seen: set[Path] = set()
    for module in entry_modules:
        parts = module.split(".")
        for i in range(1, len(parts) + 1):
            f = _module_file(".".join(parts[:i]))
            assert f is not None, f"module {module} not found"
            todo.append(f)
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        tops, lb_modules = _imports(path, _package_of(path))
        for top in tops:
            found.setdefault(top, _shown(path))
        for module in lb_modules:
            f = _module_file(module)
            if f is not None:
                todo.append(f)
    return {
        top: where
        for top, where in found.items()
        if top not in sys.stdlib_module_names and top not in ALWAYS_IMPORTABLE
    }


def _closure(names: set[str]) -> set[str]:
    """Distributions in `names` plus everything they require (installed here), recursively."""
    done: set[str] = set()
    todo = list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in done:
            continue
        done.add(name)
        try:
            requires = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return done


def _rule_entry_points(rule: Rule) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    modules: list[str] = []
    if "script" in rule.directives:
        script = _string_literal(rule.directives["script"], f"rule {rule.name} script")
        path = (rule.file.parent / script).resolve()
        assert path.is_file(), f"rule {rule.name}: script {script} not found"
        if path.suffix == ".py":
            files.append(path)
    if "shell" in rule.directives:
        text = rule.directives["shell"]
        modules += re.findall(r"python3?\s+-m\s+([\w.]+)", text)
        files += [ROOT / p for p in re.findall(r"(workflow_scripts/[\w/]+\.py)", text)]
    return files, modules


def test_rule_imports_are_in_its_env():
    distributions = md.packages_distributions()
    problems = []
    for rule in _code_rules():
        env = _load_env(_env_of(rule))
        available = _closure(env.names)
        files, modules = _rule_entry_points(rule)
        for top, where in sorted(_third_party_imports(files, modules).items()):
            dists = {canonicalize_name(d) for d in distributions.get(top, [])}
            if not dists:
                problems.append(f"rule {rule.name}: `import {top}` ({where}) is not installed here")
            elif not dists & available:
                problems.append(
                    f"rule {rule.name}: `import {top}` ({where}) needs {sorted(dists)}, "
                    f"missing from {env.path.name}"
                )
    assert not problems, "\n".join(problems)


def test_import_closure_follows_lb_modules(tmp_path):
    """The import walker finds third-party imports through lb modules and relative imports."""
    script = tmp_path / "s.py"
    script.write_text("import os\nfrom lb.training import trainer\n")
    found = _third_party_imports([script], [])
    assert "torch" in found and "os" not in found
    assert found["torch"].startswith("lb/")
