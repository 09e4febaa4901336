"""The message codes are stable: every code of rulelaw's catalogue with its parameters, pinned.

A program that reads the JSON or an error's ``code`` relies on the codes and
their parameters; ``tests/data/message_codes.txt`` lists each built-in code
with the names of its parameters, one a line. A code added, removed or
given other parameters fails here until the file (and ``CHANGELOG.md``)
say so. Regenerate it with ``python tests/messages/test_codes_pinned.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rulelaw.messages import builtin_catalogue
from rulelaw.messages._catalogue import placeholders

PINNED = Path(__file__).parent.parent / "data" / "message_codes.txt"


def _surface() -> str:
    """Each code and its parameters (those of its English template), sorted by code."""
    catalogue = builtin_catalogue()
    lines = []
    for code in sorted(catalogue):
        params = sorted(placeholders(catalogue[code]["en"]))
        lines.append(f"{code}({', '.join(params)})")
    return "\n".join(lines) + "\n"


def test_the_message_codes_are_pinned() -> None:
    """Every built-in code with its parameters, as pinned in tests/data/message_codes.txt."""
    assert _surface() == PINNED.read_text(encoding="utf-8")


def test_the_pin_reads_as_codes_and_parameters() -> None:
    """One code a line, its parameters in brackets (checks the format this test pins)."""
    lines = PINNED.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(builtin_catalogue()) > 500
    assert "csv.unknown-column(column)" in lines
    assert "rate-target.linear(floor, max, observed, points, target)" in lines


if __name__ == "__main__":
    PINNED.write_text(_surface(), encoding="utf-8")
    sys.exit(0)
