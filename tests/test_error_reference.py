"""The error reference (``docs/reference/errors.md``) shows every input error's code, as generated.

Two parts of that page are made here, from the catalogue: the table of
messages you will meet (representative errors, each with its code and its
text in English and in Chinese) and the list of every code of the error
families with its parameters and both templates. The test fails when the
page and the catalogue disagree; after a deliberate change, regenerate the
page with ``python tests/test_error_reference.py``.
"""

from __future__ import annotations

import errno
import re
import string
import sys
import tomllib
from pathlib import Path

import rulelaw
from rulelaw import DataError, EncodingError, InputError, LookupFailed, OutputError, SchemeError
from rulelaw.messages import Message, builtin_catalogue
from rulelaw.model import quoted

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reference" / "errors.md"
CATALOGUE = ROOT / "src" / "rulelaw" / "messages" / "catalogue"

#: The catalogue files of input errors, the error tree's words and what they show.
ERROR_CATALOGUES = (
    "files.toml",
    "convert.toml",
    "scheme.toml",
    "roster.toml",
    "checks.toml",
    "errors.toml",
)

#: Each family of codes: a heading, and what raises it with which fields.
FAMILIES: dict[str, tuple[str, str]] = {
    "file": (
        "Files that cannot be read",
        "`DataError` (`EncodingError` for `file.encoding`) with `file`; `byte` for an encoding",
    ),
    "csv": (
        "CSV files: header and cells",
        "`DataError` with `file`, `row` and `column` (`header=True` for the header row)",
    ),
    "frame": (
        "Tables given as data frames (`rulelaw.from_frames`)",
        "`DataError` with `file` (the frame's name: `evidence (frame)`), `row` (counted from 0, "
        "as `DataFrame.iloc`) and `column`; a frame's column names are no row",
    ),
    "toml": (
        "`scheme.toml` as TOML",
        "`SchemeError` with `file` and `line` and `column`, or `end`; a `key_path` when "
        "nested too deep; `toml.invalid`'s `reason` is one of the `toml.` reasons, or "
        "tomllib's own text",
    ),
    "convert": (
        "Values of the wrong shape (the converter)",
        "`DataError` or `SchemeError` with a `key_path` (in a CSV file: `row` and `column`)",
    ),
    "scheme": (
        "Scheme cross-checks and scheme values",
        "`SchemeError` with `file` (`scheme.toml`) and `key_path`; a value built in code: "
        "its field as `key_path`",
    ),
    "measure": ("What an indicator measures", "Words that other messages hold as parameters"),
    "roster": (
        "Roster and evidence cross-checks",
        "`DataError` with `file`, `row` and `column`; in an `Assessment` built in code, "
        "`key_path` such as `$.tenures[3].start`",
    ),
    "problem": (
        "The problem list",
        "`DataError` with `file` (`problems.csv`), `row` and `column`",
    ),
    "consequence": (
        "Consequences of leaders' results",
        "`SchemeError` at the consequence's key path (`$.consequences[0].when.grade`)",
    ),
    "survey": (
        "Surveys of respondents",
        "`SchemeError` at the survey's key path (`$.surveys[1].min_sample`) for its "
        "declaration; `DataError` with `file` (`survey.csv`), `row` and `column` for an "
        "answer",
    ),
    "history": (
        "Status histories of the ledger",
        "`DataError` with `file` (`problem_status.csv`), `row` and `column`",
    ),
    "text": ("Texts and lists of ids", "`DataError` or `SchemeError` at the field (`key_path`)"),
    "id": ("Ids", "`DataError` or `SchemeError` at the field (`key_path`)"),
    "number": ("Numbers", "`DataError` or `SchemeError` at the field (`key_path`)"),
    "date": ("Dates", "`DataError` or `SchemeError` at the field (`key_path`)"),
    "lookup": ("Ids asked for that do not exist", "`LookupFailed`: its `message`"),
    "output": ("Outputs that cannot be written", "`OutputError`: its `message` and `reason`"),
    "extra": (
        "Optional dependencies",
        "`MissingExtra`: its `message`, naming the package and the extra to install",
    ),
    "system": (
        "The system's reasons",
        "An `OutputError`'s `reason` (and `file.cannot-open`'s), by the error number's name; "
        "`system.other` keeps the system's own words",
    ),
    "place": ("Places", "How `InputError.place(lang)` shows the fields"),
    "error": ("How an error reads", "Made by `InputError.text(lang)`"),
    "errors": ("How a list of errors reads", "Made by `ValidationError.text(lang)`"),
}

BEGIN = "<!-- generated: {name} (python tests/test_error_reference.py); do not edit by hand -->"
END = "<!-- end of generated: {name} -->"


def _m(code: str, **params: object) -> Message:
    return Message.of(code, **params)


def examples() -> list[tuple[str, InputError | LookupFailed | OutputError]]:
    """Representative errors, as loading real folders raises them (ids and values vary)."""
    evidence = ("unit", "indicator", "status", "value", "numerator", "denominator")
    evidence += ("reason", "dates", "source", "date", "amount")
    span = _m("roster.span", start=_day("2021-09-01"), end=_day("2024-06-30"))
    return [
        (
            "any file",
            DataError(
                _m("file.missing"),
                file="units.csv",
                expected=_m("file.expected-in-folder", name="units.csv", folder="lanchuan"),
            ),
        ),
        (
            "",
            DataError(
                _m("csv.empty"),
                file="units.csv",
                expected=_m("csv.expected-header", columns=("id", "name", "level", "category")),
            ),
        ),
        (
            "",
            EncodingError(
                _m("file.encoding"),
                file="units.csv",
                byte=0,
                expected=_m("file.expected-encoding"),
                got=b"\xff\xfei\x00",
            ),
        ),
        (
            "CSV header",
            DataError(
                _m("csv.missing-column", column="indicator"),
                file="evidence.csv",
                row=1,
                header=True,
                expected=_m("csv.expected-columns", columns=("unit", "indicator")),
                got="unit, value, numarator",
            ),
        ),
        (
            "",
            DataError(
                _m("csv.unknown-column", column="numarator"),
                file="evidence.csv",
                row=1,
                header=True,
                expected=_m("csv.expected-columns-among", columns=evidence),
            ),
        ),
        (
            "units.csv",
            DataError(
                _m("roster.unknown-level"),
                file="units.csv",
                row=4,
                column="level",
                expected=_m("roster.expected-level"),
                got="省",
            ),
        ),
        (
            "",
            DataError(
                _m("roster.unknown-category", category="conty"),
                file="units.csv",
                row=3,
                column="category",
                expected=_m("roster.one-of", ids=("county", "department")),
            ),
        ),
        (
            "",
            DataError(
                _m("roster.unknown-parent", parent="nowhere"),
                file="units.csv",
                row=5,
                column="parent",
                expected=_m("roster.expected-other-unit"),
            ),
        ),
        (
            "people.csv",
            DataError(
                _m("csv.empty-cell"),
                file="people.csv",
                row=3,
                column="name",
                expected=_m("convert.a-text"),
            ),
        ),
        (
            "tenures.csv",
            DataError(
                _m(
                    "roster.two-people-same-post",
                    role="party-head",
                    unit="qinglan",
                    first="p-001",
                    first_span=span,
                    second="p-002",
                    second_span=_m("roster.span-open", start=_day("2024-06-01")),
                ),
                file="tenures.csv",
                row=3,
                column="start",
            ),
        ),
        (
            "",
            DataError(
                _m("roster.tenure-ends-before-start"),
                file="tenures.csv",
                row=4,
                column="end",
                expected=_m("date.on-or-after", date=_day("2022-03-01")),
                got="2021-01-01",
            ),
        ),
        (
            "evidence.csv",
            DataError(
                _m("csv.unknown-status"),
                file="evidence.csv",
                row=4,
                column="status",
                expected=_m("csv.expected-status"),
                got="done",
            ),
        ),
        (
            "",
            DataError(
                _m("csv.no-value", measure=_m("measure.flag"), indicator="2.2"),
                file="evidence.csv",
                row=7,
                column="value",
                expected=_m("csv.expected-value-or-status", measure=_m("measure.flag")),
            ),
        ),
        (
            "",
            DataError(
                _m("roster.unknown-indicator", indicator="3.1"),
                file="evidence.csv",
                row=9,
                column="indicator",
                expected=_m("roster.expected-leaf-indicator"),
            ),
        ),
        (
            "",
            DataError(
                _m("number.too-long", size=_m("number.digits-before", limit=1000)),
                file="evidence.csv",
                row=12,
                column="value",
                expected=_m("number.decimal-of-size", limit=1000),
                got="1" * 1001,
            ),
        ),
        (
            "scheme.toml",
            SchemeError(
                _m("toml.invalid", reason=_m("toml.expected-equals")),
                file="scheme.toml",
                line=12,
                column=7,
            ),
        ),
        (
            "",
            SchemeError(
                _m("convert.unknown-key", key="foo"),
                file="scheme.toml",
                key_path="$.categories[1].foo",
            ),
        ),
        (
            "",
            SchemeError(
                _m("scheme.unknown-parent", parent="9"),
                file="scheme.toml",
                key_path="$.indicators[1].parent",
                expected=_m("text.one-of", ids=quoted(["1"])),
                got="9",
            ),
        ),
        (
            "",
            SchemeError(
                _m(
                    "scheme.weights-sum",
                    category="county",
                    maximum=_decimal("100"),
                    total=_decimal("95"),
                    over=quoted(["1", "2"]),
                ),
                file="scheme.toml",
                key_path="$.weights.county",
            ),
        ),
        (
            "",
            SchemeError(
                _m("scheme.weight-not-applicable", indicator="2.1", category="park"),
                file="scheme.toml",
                key_path='$.weights.park."2.1"',
            ),
        ),
        (
            "",
            SchemeError(
                _m("number.not-a-percentage", field="floor"),
                file="scheme.toml",
                key_path="$.indicators[0].rule.floor",
                expected=_m("number.range", low=0, high=100),
                got=180,
            ),
        ),
        (
            "adjustments.csv",
            DataError(
                _m("roster.unknown-bonus-level", level="county", bonus="demo"),
                file="adjustments.csv",
                row=3,
                column="level",
                expected=_m("roster.one-of", ids=("municipal", "national", "provincial")),
            ),
        ),
        (
            "reports.csv",
            DataError(
                _m("roster.unknown-panel", panel="site"),
                file="reports.csv",
                row=7,
                column="panel",
                expected=_m("roster.one-of", ids=("onsite",)),
            ),
        ),
        (
            "problems.csv",
            DataError(
                _m("problem.deadline-before-found"),
                file="problems.csv",
                row=2,
                column="deadline",
                expected=_m("date.not-before", date=_day("2024-06-01")),
                got="2024-05-01",
            ),
        ),
        (
            "problem_status.csv",
            DataError(
                _m(
                    "history.of-goes-back",
                    problem="q-06",
                    previous=_m("problem.status-rectified"),
                    status=_m("problem.status-rectifying"),
                ),
                file="problem_status.csv",
                row=11,
                column="reason",
                expected=_m("history.expected-reason"),
            ),
        ),
        (
            "filings.csv",
            DataError(
                _m("roster.second-filing", unit="xihe"), file="filings.csv", row=6, column="unit"
            ),
        ),
        ("lookup", LookupFailed("unit", "county-c", ["city", "county-a", "county-b"])),
        ("output", OutputError("out/ranking.csv", "No space left on device", errno.ENOSPC)),
        ("", OutputError("out/ranking.csv", "File too large", errno.EFBIG)),
        ("", OutputError("no/such/folder/ranking.txt", "No such file or directory", errno.ENOENT)),
        (
            "",
            OutputError(
                "tests/data/mini/evidence.csv",
                _m("output.is-an-input", name="evidence.csv", folder="tests/data/mini"),
            ),
        ),
    ]


def _day(text: str) -> object:
    from rulelaw.model import to_date

    return to_date(text)


def _decimal(text: str) -> object:
    from decimal import Decimal

    return Decimal(text)


def _cell(text: str) -> str:
    """Text in a table cell: a code span, its pipes escaped."""
    text = text.replace("|", "\\|")
    ticks = "``" if "`" in text else "`"
    pad = " " if ticks == "``" else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _code(error: InputError | LookupFailed | OutputError) -> str:
    message = error.problem if isinstance(error, InputError) else error.message
    return getattr(message, "code", None) or "—"


def messages_table() -> str:
    """The table of messages you will meet: where from, code, English, Chinese."""
    lines = ["| from | code | English | 中文 |", "|---|---|---|---|"]
    for source, error in examples():
        lines.append(
            f"| {source} | `{_code(error)}` | {_cell(str(error))} | {_cell(error.text('zh-CN'))} |"
        )
    return "\n".join(lines)


def _parameters(templates: dict[str, str]) -> str:
    names = {n for _, n, _, _ in string.Formatter().parse(templates["en"]) if n}
    return ", ".join(f"`{n}`" for n in sorted(names)) or "—"


def codes_list() -> str:
    """Every code of the error families, by family: parameters and both templates."""
    by_family: dict[str, list[tuple[str, dict[str, str]]]] = {f: [] for f in FAMILIES}
    for name in ERROR_CATALOGUES:
        data = tomllib.loads((CATALOGUE / name).read_text(encoding="utf-8"))
        for code, templates in data.items():
            family = code.split(".", 1)[0]
            assert family in by_family, f"{code}: no family for it in {__file__}"
            by_family[family].append((code, templates))
    parts = []
    for family, (heading, raised) in FAMILIES.items():
        parts.append(f"### `{family}.`: {heading}\n\n{raised}.\n")
        parts.append("| code | parameters | English | 中文 |\n|---|---|---|---|")
        for code, templates in sorted(by_family[family]):
            parts.append(
                f"| `{code}` | {_parameters(templates)} | {_cell(templates['en'])} "
                f"| {_cell(templates['zh-CN'])} |"
            )
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def generated(page: str) -> str:
    """The page with its generated parts made anew."""
    for name, make in (("messages", messages_table), ("codes", codes_list)):
        begin, end = BEGIN.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.DOTALL)
        assert pattern.search(page), f"{PAGE} has no {begin!r} … {end!r}"
        replacement = f"{begin}\n{make().rstrip()}\n{end}"
        page = pattern.sub(lambda _, text=replacement: text, page)
    return page


def test_the_error_reference_is_generated_from_the_catalogue() -> None:
    """The page's tables equal what the catalogue makes (regenerate: see the module docstring)."""
    page = PAGE.read_text(encoding="utf-8")
    assert generated(page) == page, "run: python tests/test_error_reference.py"


def test_every_code_of_the_error_families_is_on_the_page() -> None:
    """Each code of the error catalogues appears on the page, with both its templates."""
    page = PAGE.read_text(encoding="utf-8")
    catalogue = builtin_catalogue()
    for name in ERROR_CATALOGUES:
        for code in tomllib.loads((CATALOGUE / name).read_text(encoding="utf-8")):
            assert f"`{code}`" in page, code
            assert _cell(catalogue.template(code, "zh-CN") or "") in page, code


def test_the_examples_are_of_codes_the_catalogue_has() -> None:
    """Every example's code is in the catalogue, and the example is a rulelaw error."""
    catalogue = builtin_catalogue()
    for _, error in examples():
        assert _code(error) in catalogue
        assert isinstance(error, rulelaw.RulelawError)


if __name__ == "__main__":  # regenerate the page's generated parts after a deliberate change
    PAGE.write_text(generated(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stdout.write(f"wrote {PAGE.relative_to(ROOT)}\n")
