"""The layers import downward only, lazy imports included, and no private name crosses a package.

Walks every module of ``src/rulelaw`` with :mod:`ast` (imports inside functions
count as much as those at the top) and checks the rules of
``docs/explanation/architecture.md``:

- a module imports only from its own layer or the layers below it;
- within a package the imports form no cycle;
- an import from another package names a public module and a public name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).parent.parent / "src"

#: The layers, bottom first (a module may import its own layer and those before it).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("rulelaw._version", "rulelaw.messages", "rulelaw.errors", "rulelaw.schemas", "rulelaw._demo"),
    ("rulelaw.model",),
    ("rulelaw.convert",),
    ("rulelaw.rules",),
    ("rulelaw.files",),
    ("rulelaw.engine",),
    ("rulelaw.report",),
    ("rulelaw.analysis",),
    ("rulelaw.testing",),
    ("rulelaw.cli",),
    ("rulelaw",),
)


#: The root package's own private modules, which any layer may read: the version and
#: where the bundled demo folder lies.
_ROOT_PRIVATE = frozenset({"rulelaw._version", "rulelaw._demo"})


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((SRC / "rulelaw").rglob("*.py"))}


def _unit(module: str) -> str:
    """The package a module belongs to for layering: ``rulelaw.model._base`` is in ``model``."""
    for layer in LAYERS:
        for unit in sorted(layer, key=len, reverse=True):
            if module == unit or module.startswith(unit + "."):
                return unit
    raise AssertionError(f"{module} is in no layer")


def _rank(module: str) -> int:
    unit = _unit(module)
    return next(i for i, layer in enumerate(LAYERS) if unit in layer)


def _imports(path: Path, module: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line, imported module, names) for every rulelaw import in a module, lazy ones too."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "rulelaw":
                    yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "rulelaw":
                continue
            names = tuple(a.name for a in node.names)
            yield node.lineno, target, names


def _resolve(target: str, names: tuple[str, ...], known: dict[str, Path]) -> list[str]:
    """The modules an import reaches: ``from rulelaw.model import evidence`` reaches the module."""
    found = [target]
    found += [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
    return found


def _private(module: str) -> bool:
    return any(part.startswith("_") and part != "__init__" for part in module.split(".")[1:])


def test_every_module_imports_its_own_layer_or_below() -> None:
    """No module imports upward: errors, model, convert, rules, files, engine, report, cli."""
    known = _modules()
    upward = []
    for module, path in known.items():
        for line, target, names in _imports(path, module):
            for reached in _resolve(target, names, known):
                if _rank(reached) > _rank(module):
                    upward.append(f"{path.relative_to(SRC)}:{line} {module} imports {reached}")
    assert upward == []


def test_no_private_name_crosses_a_package() -> None:
    """Between packages, imports name public modules and public names only."""
    known = _modules()
    crossing = []
    for module, path in known.items():
        for line, target, names in _imports(path, module):
            if _unit(target) == _unit(module):
                continue
            private_names = [n for n in names if n.startswith("_") and n != "__version__"]
            if (_private(target) and _unit(target) not in _ROOT_PRIVATE) or private_names:
                crossing.append(
                    f"{path.relative_to(SRC)}:{line} {module} imports {target} {private_names}"
                )
    assert crossing == []


def test_no_import_cycle_within_a_package() -> None:
    """Inside each package the modules' imports form no cycle (``__init__`` aside)."""
    known = _modules()
    graph: dict[str, set[str]] = {m: set() for m in known}
    for module, path in known.items():
        for _, target, names in _imports(path, module):
            for reached in _resolve(target, names, known):
                if reached in known and reached != module and _unit(reached) == _unit(module):
                    if known[reached].name == "__init__.py":
                        continue  # a module may import its package's public names (a leaf)
                    graph[module].add(reached)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_every_module_is_in_a_layer() -> None:
    """A new package must be placed in a layer before it can be imported."""
    for module in _modules():
        assert _rank(module) >= 0
