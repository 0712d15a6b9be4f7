"""The codebase's shape: the pipeline's stages import downward only, and no module grows unread."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "kgbuild"
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for f in sorted(PACKAGE.rglob("*.py")):
        parts = f.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = f
    return out


def _imports(name: str, path: Path) -> set[str]:
    """The kgbuild modules a module imports (at any depth of its code)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                found.add(f"{module}.{alias.name}")
            found.add(module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    """Which kgbuild module imports which; the package's __init__ re-exports the parser and is left out."""
    modules = _modules()
    graph = {m: {i for i in _imports(m, p) if i in modules and i != m} for m, p in modules.items()}
    graph["kgbuild"] = set()
    return graph


def _reaches(start: str) -> set[str]:
    graph, seen, todo = _graph(), set(), [start]
    while todo:
        for n in graph[todo.pop()] - seen:
            seen.add(n)
            todo.append(n)
    return seen


def test_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                pytest.fail("import cycle: " + " → ".join([*path[path.index(n) :], n]))
            if n not in state:
                visit(n, [*path, n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])


def test_store_does_not_import_the_build() -> None:
    assert not {m for m in _reaches("kgbuild.store") if m.startswith("kgbuild.build")}
    code = "import sys, kgbuild.store; print(sorted(m for m in sys.modules if m.startswith('kgbuild.build')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_cell_model_imports_no_reader() -> None:
    assert not {m for m in _reaches("kgbuild.model") if m.startswith(("kgbuild.read", "kgbuild.narrative"))}


@pytest.mark.parametrize("name", sorted(_modules()))
def test_module_is_short_or_says_why(name: str) -> None:
    text = _modules()[name].read_text(encoding="utf-8")
    if len(text.splitlines()) > MAX_LINES:
        doc = ast.get_docstring(ast.parse(text)) or ""
        assert "Why this module is long" in doc, f"{name}: {len(text.splitlines())} lines, and no reason at its top"
