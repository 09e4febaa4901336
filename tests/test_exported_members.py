"""Each package's ``__all__`` is exactly what it makes public, and the public API is pinned.

As httpx's ``test_exported_members``: ``__all__`` is the sorted list of the
package's public, non-module names, so nothing is exported by accident and
nothing exported is missing. And the whole public surface is pinned in
``tests/data/public_api.txt``: a name added or removed fails here until the
file (and the changelog) say so. Regenerate it with
``python tests/test_exported_members.py``.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

PACKAGES = (
    "rulelaw",
    "rulelaw.analysis",
    "rulelaw.cli",
    "rulelaw.convert",
    "rulelaw.engine",
    "rulelaw.errors",
    "rulelaw.files",
    "rulelaw.messages",
    "rulelaw.model",
    "rulelaw.report",
    "rulelaw.rules",
    "rulelaw.rules.kinds",
    "rulelaw.testing",
)
PINNED = Path(__file__).parent / "data" / "public_api.txt"


def _public(module: ModuleType) -> list[str]:
    """The names a module makes public.

    A package's ``__init__`` only gathers: every name it binds, not a module
    and not starting with ``_``, is a re-export. A plain module (``cli``,
    ``errors``) also imports for its own use: its public names are those it
    defines at its top level.
    """
    if hasattr(module, "__path__"):  # a package
        names = {
            name
            for name, value in vars(module).items()
            if not name.startswith("_") and not isinstance(value, ModuleType)
        }
        names.discard("annotations")
    else:
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        names = set()
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
        names = {n for n in names if not n.startswith("_")}
    if module.__name__ == "rulelaw":
        names.add("__version__")
    return sorted(names)


def _isort_order(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions, each sorted."""
    if name.isupper() or (name.upper() == name and "_" in name):
        return 0, name
    return (1, name) if name[:1].isupper() else (2, name)


def _surface() -> str:
    lines = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        lines += [f"{package}.{name}" for name in module.__all__]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("package", PACKAGES)
def test_all_is_sorted_and_names_exactly_the_public_names(package: str) -> None:
    """``__all__`` of a package is sorted and equals its public, non-module names."""
    module = importlib.import_module(package)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_isort_order)
    assert set(exported) == set(_public(module))


def test_the_public_api_is_pinned() -> None:
    """Every exported name of every package, as pinned in tests/data/public_api.txt."""
    assert _surface() == PINNED.read_text(encoding="utf-8")


if __name__ == "__main__":  # regenerate the pinned surface after a deliberate change
    PINNED.write_text(_surface(), encoding="utf-8")
    sys.exit(0)
