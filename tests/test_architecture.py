"""The package's shape: no import cycles between its modules, and no function too long or too
branchy to read (the limits the engine issue set: 80 lines, cyclomatic complexity 20)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "cmas_bank"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def _trees() -> dict[Path, ast.Module]:
    """Every module of the package parsed, once for the three tests (which only read the trees)."""
    return {p: ast.parse(p.read_text()) for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(tree: ast.Module, name: str, modules: dict[str, Path]) -> set[str]:
    """Every package module `name` imports anywhere: at the top, inside functions (imported
    later, still a dependency) and under `if TYPE_CHECKING:` (a dependency of its types)."""
    found: set[str] = set()
    package = name if modules[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in modules else base)
    # A submodule importing its own package's __init__ is Python's normal order, not a cycle.
    return {m for m in found if m in modules and m != name and not name.startswith(m + ".")}


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(_trees()[path], name, modules) for name, path in modules.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_function_is_too_branchy() -> None:
    """Cyclomatic complexity (radon's measure) of at most 20 for every function and method."""
    from radon.complexity import cc_visit_ast

    branchy = []
    for path, tree in _trees().items():
        for block in cc_visit_ast(tree):
            if block.complexity > 20:
                branchy.append(f"{path.relative_to(ROOT)}:{block.lineno} {block.fullname} ({block.complexity})")
    assert branchy == []


def test_functions_are_short() -> None:
    long = []
    for path, tree in _trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []
