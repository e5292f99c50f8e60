"""The layers of the code hold: no module imports one of a layer above its own, no import
cycle, no store type tested outside the store layer, no module over 400 lines (docs/layout.md).

Every ``import`` and ``from ... import`` of the package is read from the source with ``ast``,
those under ``if TYPE_CHECKING:`` and inside functions included."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("ontology", "graph", "ingest", "visualise", "api")
#: Layers, lowest first: a module may import its own layer and the ones below.
LAYERS = (
    ("aimsgraph.ontology",),
    ("aimsgraph.graph.store",),
    ("aimsgraph.graph.questions",),
    ("aimsgraph.graph.reports",),
    ("aimsgraph.graph.queries", "aimsgraph.graph.analysis", "aimsgraph.ingest"),
    ("aimsgraph.visualise",),
    ("aimsgraph.api",),
)
MOST_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found["aimsgraph." + ".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The package's modules that ``name`` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> int:
    for index, prefixes in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return index
    return len(LAYERS) - 3  # the graph package's own face (graph/__init__.py): the facade's


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = sorted((name, target) for name, targets in IMPORTS.items() for target in targets
                    if _layer(target) > _layer(name))
    assert upward == []


def test_the_store_layer_knows_no_question() -> None:
    store = {n: t for n, t in IMPORTS.items() if n.startswith("aimsgraph.graph.store")}
    assert store  # the walk found the layer
    assert all(not t.startswith(("aimsgraph.graph.questions", "aimsgraph.graph.reports"))
               for targets in store.values() for t in targets)


def test_there_is_no_import_cycle() -> None:
    """Every strongly connected component of the import graph is one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in IMPORTS[name]:
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == name:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in MODULES:
        if name not in index:
            visit(name)
    assert cycles == []


def test_the_walk_sees_a_cycle_when_there_is_one(tmp_path: Path) -> None:
    """The import reader is not blind: a relative and an absolute import are both found."""
    path = tmp_path / "mod.py"
    path.write_text("from aimsgraph.graph.store import records\nfrom .view import View\n",
                    encoding="utf-8")
    assert _imports("aimsgraph.graph.store.interface", path) >= {
        "aimsgraph.graph.store.records", "aimsgraph.graph.store.view"}


def test_no_store_type_is_tested_outside_the_store_layer() -> None:
    pattern = re.compile(r"isinstance\([^)]*Store\b")
    offenders = [str(path.relative_to(ROOT)) for path in (*MODULES.values(),
                                                          *(ROOT / "tests").rglob("*.py"))
                 if pattern.search(path.read_text(encoding="utf-8"))
                 and "graph/store/" not in path.as_posix() and path.name != "test_layers.py"]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MOST_LINES, f"{name} has {lines} lines"


def test_every_report_format_has_its_media_type_and_renderer() -> None:
    """The formats are declared once (graph.questions.kinds); the tables that serve them name
    exactly those formats."""
    from typing import get_args

    from aimsgraph.api.http.routes.reports import MEDIA
    from aimsgraph.api.render import RENDERERS
    from aimsgraph.graph.questions.kinds import REPORT_FORMATS, TextFormat

    assert tuple(MEDIA) == REPORT_FORMATS
    assert set(RENDERERS) == set(get_args(TextFormat)) - {"json"}
