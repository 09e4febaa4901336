"""The bundled demo city, shipped inside the package so ``rulelaw demo`` works from a wheel."""

from __future__ import annotations

from pathlib import Path

__all__ = ["demo_path"]


def demo_path() -> Path:
    """The folder of the bundled demo assessment (``examples/demo-city`` in the repository)."""
    return Path(__file__).parent / "demo-city"
