"""The rule-kind reference lists every code of the rules' and evidence's catalogue, as generated.

``docs/reference/rule-kinds.md`` holds, between its ``codes`` markers, each
code of ``rules.toml`` and ``evidence.toml`` with its parameters and both
templates. After a deliberate change, regenerate the list with
``python tests/rules/test_rule_reference.py``.
"""

from __future__ import annotations

import string
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PAGE = ROOT / "docs" / "reference" / "rule-kinds.md"
CATALOGUE = ROOT / "src" / "rulelaw" / "messages" / "catalogue"
FILES = ("rules.toml", "evidence.toml")
BEGIN, END = "<!-- codes: begin -->", "<!-- codes: end -->"


def _names(template: str) -> list[str]:
    return sorted({name for _, name, _, _ in string.Formatter().parse(template) if name})


def _cell(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def codes_list() -> str:
    """The generated list: one table per catalogue file, a row per code, in the file's order."""
    parts = []
    for name in FILES:
        templates = tomllib.loads((CATALOGUE / name).read_text(encoding="utf-8"))
        parts += [
            "",
            f"`{name}`:",
            "",
            "| code | parameters | English | Chinese |",
            "|---|---|---|---|",
        ]
        for code, by_lang in templates.items():
            params = ", ".join(f"`{p}`" for p in _names(by_lang["en"])) or "—"
            parts.append(
                f"| `{code}` | {params} | {_cell(by_lang['en'])} | {_cell(by_lang['zh-CN'])} |"
            )
    return "\n".join(parts) + "\n"


def _page_with(codes: str) -> str:
    page = PAGE.read_text(encoding="utf-8")
    head, rest = page.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{codes}{END}{tail}"


def test_reference_lists_every_code_as_generated() -> None:
    """The reference's list of codes is what the catalogue files give (regenerate: run the file)."""
    assert PAGE.read_text(encoding="utf-8") == _page_with(codes_list())


if __name__ == "__main__":
    PAGE.write_text(_page_with(codes_list()), encoding="utf-8")
    sys.exit(0)
