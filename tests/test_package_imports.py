"""The packages of lb import one another without a cycle (read from the source with ast)."""

import ast
from pathlib import Path

import lb

LB = Path(lb.__file__).resolve().parent


def _package(module: str) -> str:
    """``lb.report.build`` -> ``lb.report``; a top-level module (``lb.io``) is its own node."""
    parts = module.split(".")
    if len(parts) >= 2 and (LB / parts[1]).is_dir():
        return ".".join(parts[:2])
    return ".".join(parts[:2]) if len(parts) >= 2 else module


def _module_name(path: Path) -> str:
    rel = path.relative_to(LB.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def package_graph() -> dict[str, set[str]]:
    """Package -> the other lb packages (or top-level modules) it imports, anywhere in a file
    (also inside functions: a deferred import is still a dependency)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(LB.rglob("*.py")):
        module = _module_name(path)
        source = _package(module)
        graph.setdefault(source, set())
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("lb.") and _package(name) != source:
                    target = _package(name)
                    if (LB.parent / Path(*target.split("."))).is_dir() or (
                        LB.parent / (Path(*target.split(".")).as_posix() + ".py")
                    ).is_file():
                        graph[source].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_sees_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_real_imports():
    graph = package_graph()
    assert "lb.errors" in graph["lb.report"]
    assert "lb.vocabulary" in graph["lb.figures"]


def test_no_import_cycle_between_packages():
    cycle = find_cycle(package_graph())
    assert cycle is None, "package import cycle: " + " -> ".join(cycle)
