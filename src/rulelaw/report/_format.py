"""Small formatting helpers shared by the renderings."""

from __future__ import annotations

__all__ = ["decimal_text"]


def decimal_text(value: object) -> str | None:
    """A decimal as JSON text in plain notation (``"20"``, ``"0.0000000"``); ``None`` stays."""
    return None if value is None else format(value, "f")
