"""The package's shape: no import cycles, and engines independent of the stages that use them.

Imports are read with ``ast`` from the source files, including those inside
functions (a deferred import still makes a cycle; it only hides it).
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
# Stage modules: engines must not import these (engines are used by the translate stage, not the reverse).
STAGE_MODULES = {"pipeline.api", "pipeline.stages", "pipeline.detect", "pipeline.segment", "pipeline.dates",
                 "pipeline.glossary", "pipeline.translate", "pipeline.tm", "pipeline.qa", "pipeline.stats",
                 "pipeline.render", "pipeline.site", "pipeline.catalog", "pipeline.readers", "pipeline.cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules that module `name` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import module` imports the module; `from module import name`, the module
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def is_within(name: str, parent: str) -> bool:
    return name == parent or name.startswith(parent + ".")


def test_the_reader_finds_imports_of_every_form():
    edges = graph()
    assert "pipeline.model" in edges["pipeline.spans"]  # from .model import Span
    assert "pipeline.stages" in edges["pipeline.api"]  # from . import stages
    assert edges["pipeline.model"] == set()  # the data model imports nothing of the project


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    # A package's __init__ re-exporting its own submodules is how a package shows its API, not a cycle.
    edges = {name: {t for t in targets if not is_within(t, name)} for name, targets in graph().items()}
    assert cycles(edges) == []


def test_engines_import_no_stage_module():
    offending = {name: sorted(t for t in targets if any(is_within(t, stage) for stage in STAGE_MODULES))
                 for name, targets in graph().items() if is_within(name, "pipeline.engines")}
    assert {name: found for name, found in offending.items() if found} == {}


def test_every_package_is_shipped():
    """pyproject.toml lists the packages by name (templates/ is mapped in): a new subpackage must be listed,
    or a wheel would leave it out while an editable install hides the fault."""
    import tomllib

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {module_name(init) for init in PACKAGE.rglob("__init__.py")}
    assert found - listed == set()
