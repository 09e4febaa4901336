"""A seeded, deterministic mutator of assessment folders.

``make_case(seed, index, sources)`` picks a source folder and applies one
to three mutations to it, all drawn from a generator seeded with
``(seed, index)`` alone, so a case is reproduced from those two numbers;
:meth:`Case.write` puts the mutated folder in a directory. The source
folders are held in memory (:mod:`fuzz.sources`) and never written.

Mutations come in five families (:data:`KINDS` lists every kind with its
weight and the files it applies to):

- **CSV structure** (through the :mod:`csv` module): a cell replaced by an
  odd value (odd Unicode, odd numbers, odd dates, a cell of more than
  131072 characters, a reference to another or an unknown id, an empty
  cell), rows shuffled, duplicated, dropped or made ragged, columns
  dropped, duplicated, renamed, added or shuffled, and the dialect changed
  (line ends, delimiter, quoting);
- **TOML structure** (through :mod:`tomllib` and :mod:`tomli_w`, with raw
  text spliced in where ``tomli_w`` cannot write the value): keys dropped,
  added or duplicated, values swapped between types, odd numbers and
  strings, weights with many decimals, odd rule parameters, odd periods
  and dates, arrays of tables duplicated, dropped or shuffled, nesting 500
  levels deep, integers of more than 4300 digits;
- **raw bytes**: bit flips, truncation, inserted bytes, NUL bytes, spliced
  ranges;
- **encodings**: GB18030, UTF-16 and UTF-32, BOMs, other code pages;
- **the file system**: a file missing or empty, or replaced by a
  directory, a FIFO, a symlink loop, a symlink out of the folder or a
  dangling symlink.

The structure-aware families carry about four fifths of the weight.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import re
import shutil
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import tomli_w

from fuzz.sources import Source
from rulelaw.files import FILES

__all__ = [
    "ALL_FILES",
    "CSV_FILES",
    "KINDS",
    "Case",
    "Entry",
    "Kind",
    "Mutation",
    "Special",
    "apply_kind",
    "case_rng",
    "make_case",
    "source_weight",
]

#: The CSV files of an assessment folder, as :func:`rulelaw.load` reads them.
CSV_FILES = tuple(name for name in FILES if name.endswith(".csv"))
#: Every file of an assessment folder.
ALL_FILES = ("scheme.toml", *CSV_FILES)

Target = Literal["csv", "toml", "any", "fs"]


@dataclass(frozen=True)
class Special:
    """A file replaced by something that is not a regular file.

    ``kind`` is ``dir``, ``fifo``, ``symlink-loop``, ``symlink-outside`` or
    ``symlink-dangling``; ``variant`` picks one shape of it and ``content``
    holds the bytes of the file a symlink out of the folder points to, or
    of the file inside a directory.
    """

    kind: str
    variant: str = ""
    content: bytes = b""


#: What a file of a case is: its bytes, or something else in its place.
Entry = bytes | Special


@dataclass(frozen=True)
class Mutation:
    """One mutation applied: its kind, the file, and what it did in a few words."""

    kind: str
    file: str
    detail: str

    def __str__(self) -> str:
        return f"{self.file}: {self.kind} {self.detail}"


@dataclass(frozen=True)
class Case:
    """A mutated folder, in memory, and how it came about."""

    seed: int
    index: int
    source: str
    files: Mapping[str, Entry]
    mutations: tuple[Mutation, ...]

    def describe(self) -> str:
        """The source and every mutation, in one line."""
        return f"{self.source}: " + "; ".join(str(m) for m in self.mutations)

    def write(self, root: Path) -> Path:
        """Write the folder as ``root/case`` (and what symlinks point to in ``root/outside``).

        ``root`` is created if needed; a previous ``case`` and ``outside``
        in it are removed first. Returns the folder. Nothing is opened for
        reading, so a FIFO cannot block.
        """
        root.mkdir(parents=True, exist_ok=True)
        folder = root / "case"
        outside = root / "outside"
        for old in (folder, outside):
            if old.is_symlink() or old.is_file():
                old.unlink()
            elif old.exists():
                shutil.rmtree(old)
        folder.mkdir()
        for name, entry in sorted(self.files.items()):
            path = folder / name
            if isinstance(entry, bytes):
                with open(path, "wb") as stream:
                    stream.write(entry)
            elif entry.kind == "dir":
                path.mkdir()
                if entry.variant == "with-file":
                    (path / name).write_bytes(entry.content)
            elif entry.kind == "fifo":
                os.mkfifo(path)
            elif entry.kind == "symlink-loop":
                if entry.variant == "pair":
                    os.symlink(f"{name}.loop", path)
                    os.symlink(name, folder / f"{name}.loop")
                else:
                    os.symlink(name, path)
            elif entry.kind == "symlink-outside":
                outside.mkdir(exist_ok=True)
                (outside / name).write_bytes(entry.content)
                os.symlink(f"../outside/{name}", path)
            elif entry.kind == "symlink-dangling":
                os.symlink(f"../outside/no-such-{name}", path)
            else:  # pragma: no cover - every kind is listed above
                raise AssertionError(entry.kind)
        return folder


# -- odd values ------------------------------------------------------------------------

#: Odd text of every sort: invisible and combining characters, other scripts' digits,
#: spreadsheet formulas, words the readers know, separators, control characters.
ODD_TEXT: tuple[str, ...] = (
    "",
    " ",
    "\t",
    "\u3000",
    "\u00a0",
    "\u200b",
    "\u200f",
    "\ufeff",
    "5\u200b",
    "\u200f5",
    "\u202e12",
    "\u200d",
    "1\u0301",
    "e\u0301\u0301\u0301",
    "county-01\u200b",
    "Ａ",
    "５",
    "５０",
    "１００％",
    "²",
    "¹²",
    "³⁄₄",
    "½",
    "٣",
    "١٢",
    "۵",
    "〇",
    "Ⅻ",
    "𝟙𝟚",
    "=cmd|' /C calc'!A0",
    "=1+1",
    "@SUM(A1)",
    "'",
    '"',
    '""',
    "\\",
    "\x00",
    "a\x00b",
    "\x1a",
    "\x7f",
    "\ud800",
    "None",
    "null",
    "true",
    "False",
    "TRUE",
    "是",
    "否",
    "yes",
    "no",
    "partly",
    "n/a",
    "na",
    "不适用",
    "missing",
    "false",
    "observed",
    ";",
    ";;;",
    "、",
    "；",
    ",",
    "a\nb",
    "\r",
    "\r\n",
    "﷽",
    "\U0001f600",
    "A" * 300,
    "中" * 2000,
    "..",
    "../../etc/passwd",
    "CON",
    "%s%s%n",
    "{0}",
    "${x}",
)

#: Odd numbers: signs, other digits, special floats, huge and tiny exponents, 40-digit
#: integers, 20 decimals, percent signs, more than 4300 digits.
ODD_NUMBERS: tuple[str, ...] = (
    "--5",
    "+-5",
    "-0",
    "+5",
    "-1",
    "0",
    "-0.0",
    "00",
    "007",
    "0x10",
    "0b11",
    "1_000",
    "1,000",
    "1 000",
    "1e3",
    "1E3",
    ".5",
    "5.",
    "1..2",
    "0.0.1",
    "²",
    "５",
    "٣",
    "NaN",
    "nan",
    "-nan",
    "sNaN",
    "inf",
    "-inf",
    "Infinity",
    "∞",
    "1e-400",
    "1e400",
    "-1e-400",
    "1E+999999",
    "1e999999999",
    "1e-999999999",
    "5e-324",
    "1.7976931348623157e309",
    "9" * 40,
    "-" + "9" * 40,
    "1" + "0" * 40,
    "0." + "1" * 20,
    "1." + "9" * 20,
    "0." + "0" * 30 + "1",
    "12345678901234567890.12345678901234567890",
    "99.99999999999999999999",
    "98.5555555555555555555%",
    "100.0000000000000000001%",
    "33.3333333333333333333333%",
    "-5%",
    "%",
    "％",
    "50%%",
    "1e2%",
    "150%",
    "1e-400%",
    "9223372036854775808",
    "-9223372036854775809",
    "4" * 4301,
    "1" + "0" * 5000,
    "0." + "5" * 400,
    "1/3",
    "3/0",
    "0/0",
    "1e",
    "e1",
    "-",
    "+",
    ".",
)

#: Odd dates: the ends of the calendar, days that do not exist, week and ordinal dates,
#: compact forms, date-times with zones, other separators and scripts.
ODD_DATES: tuple[str, ...] = (
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "2023-02-29",
    "2024-02-29",
    "1900-02-29",
    "2024-13-01",
    "2024-00-10",
    "2024-06-31",
    "2024-W10-1",
    "2024-W53-7",
    "2024-001",
    "2024-366",
    "2023-366",
    "20240101",
    "240101",
    "2024-1-1",
    "2024/01/01",
    "2024.01.01",
    "01/02/2024",
    "2024年1月1日",
    "2024-01-01T00:00:00+14:00",
    "2024-12-31T23:59:59Z",
    "2024-12-31T23:59:59-12:00",
    "2024-12-31T24:00:00",
    "2024-12-31 23:59:59.999999+08:00",
    "2024-01-01T00:00:00+25:00",
    "2024-06-30T12:00:00[Asia/Shanghai]",
    "10000-01-01",
    "+002024-01-01",
    "-2024-01-01",
    "0000-00-00",
    "0000-01-01",
    "2024",
    "2024-06",
    "2024-Q1",
    "today",
    "now",
    "1970-01-01",
    "2038-01-19",
    "2262-04-12",
    "1677-09-21",
    "1582-10-10",
    "２０２４－０１－０１",
    "2024-01-01;9999-12-31",
    "2024-01-01;2024-02-30",
    "2024-01-01；0001-01-01",
    ";".join(["2024-03-02"] * 500),
)

_DATE_COLUMNS = frozenset(
    {"start", "end", "date", "found", "deadline", "submitted", "published", "dates"}
)
_NUMBER_COLUMNS = frozenset({"value", "numerator", "denominator", "amount"})
_ID_COLUMNS = frozenset(
    {
        "id",
        "unit",
        "person",
        "report",
        "problem",
        "parent",
        "indicator",
        "item",
        "group",
        "rater",
        "category",
        "level",
        "role",
        "panel",
        "status",
        "forms",
        "source",
    }
)


def _show(value: object) -> str:
    """A value in a few characters, for a mutation's description."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > 40:
        return f"{text[:24]!r}… ({len(text)} chars)"
    return repr(text)


def _twist(rng: random.Random, value: str) -> str:
    """``value`` changed a little: a mark added, full-width digits, a sign, a suffix."""
    twists: tuple[Callable[[str], str], ...] = (
        lambda v: v + "\u0301",
        lambda v: "\u200f" + v,
        lambda v: v + "\u200b",
        lambda v: v.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}),
        lambda v: "-" + v,
        lambda v: "--" + v,
        lambda v: v + "%",
        lambda v: v + "0" * 30,
        lambda v: v + "." + "9" * 20,
        lambda v: v * 2,
        lambda v: v.upper(),
        lambda v: f"  {v}  ",
        lambda v: v + ";" + v,
        lambda v: v[::-1],
        lambda v: "=" + v,
        lambda v: v + "\x00",
    )
    return rng.choice(twists)(value)


def _odd_for(rng: random.Random, column: str) -> str:
    """An odd value for a cell of ``column``: mostly one of its own sort."""
    if rng.random() < 0.6:
        if column in _DATE_COLUMNS:
            return rng.choice(ODD_DATES)
        if column in _NUMBER_COLUMNS:
            return rng.choice(ODD_NUMBERS)
    return rng.choice(rng.choice((ODD_TEXT, ODD_NUMBERS, ODD_DATES)))


# -- CSV structure ---------------------------------------------------------------------


def _rows(data: Entry) -> list[list[str]] | None:
    """The rows of a CSV file's bytes, or ``None`` when the csv module cannot read them."""
    if not isinstance(data, bytes):
        return None
    try:
        text = data.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error):
        return None  # e.g. a cell past the csv module's field limit: left to other kinds


def _csv(rows: Sequence[Sequence[str]], **dialect: Any) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=dialect.pop("lineterminator", "\n"), **dialect).writerows(
        rows
    )
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def _cell(rng: random.Random, rows: list[list[str]]) -> tuple[int, int] | None:
    """A random data cell (row, column), or a header cell when there are no data rows."""
    if not rows or not rows[0]:
        return None
    width = len(rows[0])
    if len(rows) == 1:
        return 0, rng.randrange(width)
    r = rng.randrange(1, len(rows))
    if not rows[r]:
        rows[r] = [""] * width
    return r, rng.randrange(len(rows[r]))


def _cell_in(rng: random.Random, rows: list[list[str]], columns: frozenset[str]) -> tuple[int, int]:
    """A random data cell, in one of ``columns`` if the file has one."""
    header = [h.strip() for h in rows[0]]
    wanted = [i for i, h in enumerate(header) if h in columns]
    if len(rows) > 1 and wanted:
        filled = [
            (r, c) for r in range(1, len(rows)) for c in wanted if c < len(rows[r]) and rows[r][c]
        ]
        if filled and rng.random() < 0.7:
            return rng.choice(filled)  # a cell that holds a value is read as one
        r = rng.randrange(1, len(rows))
        c = rng.choice(wanted)
        while len(rows[r]) <= c:
            rows[r].append("")
        return r, c
    cell = _cell(rng, rows)
    assert cell is not None
    return cell


def _column(rows: list[list[str]], c: int) -> str:
    return rows[0][c].strip() if c < len(rows[0]) else f"#{c}"


def _set_cell(
    rng: random.Random, files: dict[str, Entry], name: str, pick: Callable[[str, str], str]
) -> str | None:
    """Replace one cell of ``name`` by ``pick(column, old value)``."""
    rows = _rows(files[name])
    if not rows or not rows[0]:
        return None
    cell = _cell(rng, rows)
    if cell is None:
        return None
    r, c = cell
    return _replace(files, name, rows, r, c, pick(_column(rows, c), rows[r][c]))


def _replace(
    files: dict[str, Entry], name: str, rows: list[list[str]], r: int, c: int, value: str
) -> str:
    rows[r][c] = value
    files[name] = _csv(rows)
    return f"row {r + 1}, column {_column(rows, c)!r} = {_show(value)}"


def cell_odd(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A cell replaced by an odd value, or the old value changed a little."""

    def pick(column: str, old: str) -> str:
        if old and rng.random() < 0.3:
            return _twist(rng, old)
        return _odd_for(rng, column)

    return _set_cell(rng, files, name, pick)


def cell_number(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A cell (a number column's, if the file has one) replaced by an odd number."""
    rows = _rows(files[name])
    if not rows or not rows[0]:
        return None
    r, c = _cell_in(rng, rows, _NUMBER_COLUMNS)
    return _replace(files, name, rows, r, c, rng.choice(ODD_NUMBERS))


def cell_date(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A cell (a date column's, if the file has one) replaced by an odd date."""
    rows = _rows(files[name])
    if not rows or not rows[0]:
        return None
    r, c = _cell_in(rng, rows, _DATE_COLUMNS)
    return _replace(files, name, rows, r, c, rng.choice(ODD_DATES))


def cell_huge(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A cell of more than 131072 characters (the csv module's default field limit)."""
    rows = _rows(files[name])
    if not rows or not rows[0]:
        return None
    cell = _cell(rng, rows)
    if cell is None:
        return None
    r, c = cell
    n = rng.randint(131_073, 200_000)
    old = rows[r][c] or "x"
    value = rng.choice(
        (
            "x" * n,
            "9" * n,
            "中" * n,
            ("2024-03-02;" * (n // 11 + 1))[:n],
            (old * (n // len(old) + 1))[:n],
            "1." + "5" * n,
        )
    )
    return _replace(files, name, rows, r, c, value)


def _ids(files: Mapping[str, Entry]) -> list[str]:
    """Every id-like cell of the folder's CSV files (for references across files)."""
    found: list[str] = []
    for name in sorted(files):
        rows = _rows(files[name]) if name.endswith(".csv") else None
        if not rows:
            continue
        header = [h.strip() for h in rows[0]]
        for row in rows[1:6]:
            found.extend(v for h, v in zip(header, row, strict=False) if h in _ID_COLUMNS and v)
    return found


def cell_reference(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """An id-like cell set to another row's value, another file's id, or an unknown id."""
    rows = _rows(files[name])
    if not rows or len(rows) < 2 or not rows[0]:
        return None  # no rows to refer to, or an empty header line
    r, c = _cell_in(rng, rows, _ID_COLUMNS)
    same = [row[c] for row in rows[1:] if len(row) > c and row[c]]
    old = rows[r][c]
    choices = [
        lambda: rng.choice(same) if same else "x",
        lambda: rng.choice(_ids(files) or ["x"]),
        lambda: f"unknown-{rng.randrange(100)}",
        lambda: old.upper() or "X",
        lambda: f" {old} ",
        lambda: old + "\u200b",
        lambda: old + old,
    ]
    return _replace(files, name, rows, r, c, rng.choice(choices)())


def cell_empty(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A cell emptied, or made of white space only."""
    blanks = ("", " ", "\t", "\u3000", "\u00a0", "\u200b", "  \t ")
    return _set_cell(rng, files, name, lambda column, old: rng.choice(blanks))


def cell_swap(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """Two cells swapped: within a row, or one column across two rows."""
    rows = _rows(files[name])
    if not rows or len(rows) < 2 or len(rows[0]) < 2:
        return None
    a = _cell(rng, rows)
    b = _cell(rng, rows)
    assert a is not None
    assert b is not None
    (ra, ca), (rb, cb) = a, b
    rows[ra][ca], rows[rb][cb] = rows[rb][cb], rows[ra][ca]
    files[name] = _csv(rows)
    first, second = _column(rows, ca), _column(rows, cb)
    return f"row {ra + 1} column {first!r} <-> row {rb + 1} column {second!r}"


def rows_shuffle(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """The data rows in a random order."""
    rows = _rows(files[name])
    if not rows or len(rows) < 3:
        return None
    body = rows[1:]
    rng.shuffle(body)
    files[name] = _csv([rows[0], *body])
    return f"{len(body)} rows shuffled"


def row_duplicate(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A data row repeated, once or many times, somewhere in the file."""
    rows = _rows(files[name])
    if not rows or len(rows) < 2:
        return None
    r = rng.randrange(1, len(rows))
    times = rng.choice((1, 1, 1, 2, 50))
    for _ in range(times):
        rows.insert(rng.randrange(1, len(rows) + 1), list(rows[r]))
    files[name] = _csv(rows)
    return f"row {r + 1} repeated {times}x"


def row_drop(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """Data rows dropped: one, a few, or all but the header."""
    rows = _rows(files[name])
    if not rows or len(rows) < 2:
        return None
    how = rng.choice(("one", "one", "half", "all"))
    if how == "all":
        files[name] = _csv(rows[:1])
        return "every data row dropped"
    count = 1 if how == "one" else max(1, (len(rows) - 1) // 2)
    for _ in range(count):
        del rows[rng.randrange(1, len(rows))]
    files[name] = _csv(rows)
    return f"{count} rows dropped"


def row_ragged(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A row with more cells than the header, or fewer; or blank lines added."""
    rows = _rows(files[name])
    if not rows:
        return None
    r = rng.randrange(len(rows))
    how = rng.choice(("more", "fewer", "blank", "spaces"))
    if how == "more":
        rows[r] = [*rows[r], *([rng.choice(("", "x", "1"))] * rng.randint(1, 3))]
    elif how == "fewer":
        rows[r] = rows[r][: rng.randrange(len(rows[r]) + 1)]
    elif how == "blank":
        rows.insert(r + 1, [])
    else:
        rows.insert(r + 1, [" "] * len(rows[0]))
    files[name] = _csv(rows)
    return f"row {r + 1}: {how} cells"


def column_drop(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A column dropped from every row."""
    rows = _rows(files[name])
    if not rows or not rows[0]:
        return None
    c = rng.randrange(len(rows[0]))
    column = _column(rows, c)
    files[name] = _csv([row[:c] + row[c + 1 :] for row in rows])
    return f"column {column!r} dropped"


def column_duplicate(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A column repeated (same name, same cells) at another place."""
    rows = _rows(files[name])
    if not rows or not rows[0]:
        return None
    c = rng.randrange(len(rows[0]))
    at = rng.randrange(len(rows[0]) + 1)
    column = _column(rows, c)  # before the copy goes in and moves it
    for row in rows:
        row.insert(min(at, len(row)), row[c] if c < len(row) else "")
    files[name] = _csv(rows)
    return f"column {column!r} repeated"


def column_rename(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A header cell renamed: case, spaces, invisible marks, another column's name, empty."""
    rows = _rows(files[name])
    if not rows or not rows[0]:
        return None
    c = rng.randrange(len(rows[0]))
    old = rows[0][c]
    new = rng.choice(
        (
            old.upper(),
            old.title(),
            f" {old} ",
            old + "\u200b",
            "\ufeff" + old,
            "",
            rng.choice(rows[0]),
            old + "s",
            "单位",
            old.replace("_", " "),
        )
    )
    rows[0][c] = new
    files[name] = _csv(rows)
    return f"column {old!r} renamed {_show(new)}"


def column_add(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A column added: unknown, or a known optional one, with odd cells."""
    rows = _rows(files[name])
    if not rows or not rows[0]:
        return None
    new = rng.choice(("extra", "备注", "status", "reason", "end", "parent", "amount", "date"))
    at = rng.randrange(len(rows[0]) + 1)
    rows[0].insert(at, new)
    for row in rows[1:]:
        row.insert(min(at, len(row)), _odd_for(rng, new) if rng.random() < 0.5 else "")
    files[name] = _csv(rows)
    return f"column {new!r} added"


def columns_shuffle(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """The columns in a random order (cells moving with their header)."""
    rows = _rows(files[name])
    if not rows or len(rows[0]) < 2:
        return None
    order = list(range(len(rows[0])))
    rng.shuffle(order)
    files[name] = _csv([[row[i] if i < len(row) else "" for i in order] for row in rows])
    return "columns shuffled"


def csv_dialect(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """Another dialect: CRLF or CR line ends, ``;`` or tab, every cell quoted, broken quotes."""
    rows = _rows(files[name])
    if not rows:
        return None
    how = rng.choice(
        ("crlf", "cr", "semicolon", "tab", "quote-all", "open-quote", "newline-in-cell", "trailing")
    )
    if how == "crlf":
        files[name] = _csv(rows, lineterminator="\r\n")
    elif how == "cr":
        files[name] = _csv(rows, lineterminator="\r")
    elif how == "semicolon":
        files[name] = _csv(rows, delimiter=";")
    elif how == "tab":
        files[name] = _csv(rows, delimiter="\t")
    elif how == "quote-all":
        files[name] = _csv(rows, quoting=csv.QUOTE_ALL)
    elif how == "open-quote":
        data = _csv(rows)
        at = rng.randrange(len(data) + 1)
        files[name] = data[:at] + b'"' + data[at:]
    elif how == "newline-in-cell":
        cell = _cell(rng, rows)
        if cell is None:
            return None  # an empty header line: no cell to break
        r, c = cell
        rows[r][c] = rows[r][c] + rng.choice(("\n", "\r\n", "\r")) + rows[r][c]
        files[name] = _csv(rows)
    else:
        files[name] = _csv([[*row, ""] for row in rows])
    return how


# -- TOML structure --------------------------------------------------------------------

Path_ = tuple[str | int, ...]
_RAW = "@@FUZZRAW{}@@"


class _Raw:
    """TOML text to splice in where a value goes (what tomli_w cannot write)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, text: str) -> str:
        self.texts.append(text)
        return _RAW.format(len(self.texts) - 1)

    def dumps(self, doc: dict[str, Any]) -> bytes:
        text = tomli_w.dumps(doc)
        for n, raw in enumerate(self.texts):
            text = text.replace(f'"{_RAW.format(n)}"', raw)
        return text.encode("utf-8", "surrogatepass")


def _doc(entry: Entry) -> dict[str, Any] | None:
    if not isinstance(entry, bytes):
        return None
    try:
        return tomllib.loads(entry.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None


def _walk(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every node of a TOML document below the root, with its key path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), item
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield (*path, n), item
            yield from _walk(item, (*path, n))


def _parent(doc: dict[str, Any], path: Path_) -> Any:
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    return node


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _where(path: Path_) -> str:
    """A key path as TOML reads it: ``weights.county."1.1"``, ``indicators[3].rule``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = part if _BARE_KEY.fullmatch(part) else '"' + part + '"'
            text += f".{key}" if text else key
    return text


def _toml_change(
    rng: random.Random,
    files: dict[str, Entry],
    name: str,
    choose: Callable[[list[tuple[Path_, Any]]], list[tuple[Path_, Any]]],
    change: Callable[[Any, Path_, Any, _Raw], str],
) -> str | None:
    """Parse ``name``, pick a node among ``choose(nodes)``, ``change`` it, write it back."""
    doc = _doc(files[name])
    if doc is None:
        return None
    nodes = choose(list(_walk(doc)))
    if not nodes:
        return None
    path, value = rng.choice(nodes)
    raw = _Raw()
    what = change(_parent(doc, path), path, value, raw)
    try:
        files[name] = raw.dumps(doc)
    except (TypeError, ValueError):
        return None
    return f"{_where(path)} {what}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _leaves(nodes: list[tuple[Path_, Any]]) -> list[tuple[Path_, Any]]:
    return [(p, v) for p, v in nodes if not isinstance(v, dict | list)]


#: Odd TOML numbers, as TOML text: tiny and huge exponents, special floats, 40 digits,
#: many decimals, numbers at the edges of 64 bits, other bases.
TOML_NUMBERS: tuple[str, ...] = (
    "1e-400",
    "1e400",
    "-1e-400",
    "inf",
    "-inf",
    "nan",
    "-0.0",
    "0",
    "-1",
    "-100",
    "1" + "0" * 40,
    "9" * 40,
    "0.12345678901234567890123",
    "12.3456",
    "0.0001",
    "33.333333333333333333333333",
    "99.99999999999999999999",
    "1e-7",
    "5e-324",
    "1.7976931348623157e308",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "0x7fffffff",
    "0o777",
    "0b1010",
    "1_000_000",
    "1e15",
    "1e28",
    "0.5",
    "100.0000000000000000000000001",
)

_TYPE_POOL: tuple[Any, ...] = (
    "",
    "x",
    "100",
    0,
    -1,
    1.5,
    True,
    False,
    dt.date(2024, 1, 1),
    dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=14))),
    dt.datetime(2024, 6, 30, 12, 0, 0),
    dt.time(12, 0),
    [],
    [1, "a"],
    {},
    {"id": "x"},
    [{"id": "x"}],
)


def _type_name(value: Any) -> str:
    return type(value).__name__


def toml_drop_key(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A key (or an array item) removed."""

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        del parent[path[-1]]
        return "removed"

    return _toml_change(rng, files, name, lambda nodes: nodes, change)


def toml_add_key(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """An unknown key, or a known one in the wrong place, added to a table."""

    def tables(nodes: list[tuple[Path_, Any]]) -> list[tuple[Path_, Any]]:
        return [(p, v) for p, v in nodes if isinstance(v, dict)] or nodes[:1]

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        table = value if isinstance(value, dict) else parent
        key = rng.choice(("unknown", "Id", "id ", "weight", "kind", "maximum", "rule", "中文键"))
        table[key] = rng.choice(_TYPE_POOL)
        return f"gains key {key!r}"

    return _toml_change(rng, files, name, tables, change)


def toml_swap_type(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A value replaced by one of another type (string, number, bool, date, array, table)."""

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        new = rng.choice([v for v in _TYPE_POOL if type(v) is not type(value)])
        parent[path[-1]] = new
        return f"{_type_name(value)} -> {_type_name(new)} {_show(new)}"

    return _toml_change(rng, files, name, lambda nodes: nodes, change)


def toml_odd_number(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A number (or any value) replaced by an odd TOML number."""

    def numbers(nodes: list[tuple[Path_, Any]]) -> list[tuple[Path_, Any]]:
        found = [(p, v) for p, v in nodes if _is_number(v)]
        return found if found and rng.random() < 0.85 else _leaves(nodes)

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        text = rng.choice(TOML_NUMBERS)
        parent[path[-1]] = raw(text)
        return f"= {_show(text)}"

    return _toml_change(rng, files, name, numbers, change)


def toml_odd_string(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A string (an id, a title, a kind) replaced by odd text or an odd number."""

    def strings(nodes: list[tuple[Path_, Any]]) -> list[tuple[Path_, Any]]:
        return [(p, v) for p, v in nodes if isinstance(v, str)]

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        new = _twist(rng, value) if rng.random() < 0.3 else _odd_for(rng, str(path[-1]))
        parent[path[-1]] = new
        return f"= {_show(new)}"

    return _toml_change(rng, files, name, strings, change)


def toml_weight_decimals(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A weight (or a category maximum, a group weight) with four or more decimal places."""

    def weights(nodes: list[tuple[Path_, Any]]) -> list[tuple[Path_, Any]]:
        found = [
            (p, v)
            for p, v in nodes
            if _is_number(v) and (p[0] == "weights" or p[-1] in ("weight", "maximum", "scale"))
        ]
        return found or [(p, v) for p, v in nodes if _is_number(v)]

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        whole = int(value) if _is_number(value) and abs(value) < 1e6 else 10
        text = rng.choice(
            (
                f"{whole}.{rng.randrange(10**4):04d}",
                f"{whole}.{'3' * rng.randint(5, 30)}",
                f"{whole}.0001",
                f"0.{'0' * rng.randint(3, 10)}1",
                f"{whole}.{rng.randrange(10**6):06d}e0",
                f"{whole - 1}.99999999999999999999",
            )
        )
        parent[path[-1]] = raw(text)
        return f"= {text}"

    return _toml_change(rng, files, name, weights, change)


_RULE_PARAMETERS = (
    "per",
    "cap",
    "floor",
    "target",
    "per_point",
    "max",
    "min_days",
    "partly",
    "partly_min",
    "partly_max",
    "out_of",
    "per_day",
    "late",
    "points",
    "min",
)


def toml_rule_param(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A rule's parameter (one it has, or another kind's) set to an odd value.

    E.g. ``per = 1e-400``, a 40-digit ``floor``, a negative ``target``, a
    date where a number goes, bands that overlap.
    """

    def rules(nodes: list[tuple[Path_, Any]]) -> list[tuple[Path_, Any]]:
        return [
            (p, v)
            for p, v in nodes
            if isinstance(v, dict) and ("kind" in v or (len(p) > 1 and p[-2] == "bands"))
        ]

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        own = [k for k in value if k != "kind"]
        key = rng.choice(own) if own and rng.random() < 0.7 else rng.choice(_RULE_PARAMETERS)
        roll = rng.random()
        if roll < 0.75:
            text = rng.choice(
                ("1e-400", "1" + "0" * 39, "9" * 40, "-5", "0", *TOML_NUMBERS, "0.000001")
            )
            value[key] = raw(text)
            return f"{key} = {_show(text)}"
        if roll < 0.9:
            new = rng.choice((*_TYPE_POOL, dt.date(9999, 12, 31), dt.date(1, 1, 1)))
            value[key] = new
            return f"{key} = {_show(new)}"
        value[key] = raw(str(rng.choice((101, 1000, -1))))
        return f"{key} out of range"

    return _toml_change(rng, files, name, rules, change)


_ODD_TOML_DATES: tuple[Any, ...] = (
    dt.date(9999, 12, 31),
    dt.date(1, 1, 1),
    dt.date(2024, 2, 29),
    dt.date(2100, 1, 1),
    dt.date(1970, 1, 1),
    dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=14))),
    dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.timezone(-dt.timedelta(hours=12))),
    dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
    dt.datetime(2024, 12, 31, 0, 0, 0),
    dt.time(0, 0),
    "2024-02-30",
    "2024-W10-1",
    "20240101",
    "9999-12-31",
)


def toml_period(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A date of the scheme (period, as-of day, a rule's due day) set to an odd date.

    E.g. ``period.end = 9999-12-31``, ``0001-01-01``, a date-time with a
    zone, a time, a date string; or the period's ends swapped.
    """
    doc = _doc(files[name])
    if doc is None:
        return None
    dates = [
        (p, v)
        for p, v in _walk(doc)
        if isinstance(v, dt.date | dt.time) or p[-1] in ("start", "end", "as_of", "due")
    ]
    period = doc.get("period")
    if rng.random() < 0.15 and isinstance(period, dict) and {"start", "end"} <= set(period):
        period["start"], period["end"] = period["end"], period["start"]
        what = "period start and end swapped"
    else:
        if dates and rng.random() < 0.8:
            path, _ = rng.choice(dates)
        else:
            path = rng.choice((("period", "end"), ("period", "start"), ("scoring", "as_of")))
            node: Any = doc
            for key in path[:-1]:
                node = node.setdefault(key, {}) if isinstance(node, dict) else {}
        new = rng.choice(_ODD_TOML_DATES)
        try:
            _parent(doc, path)[path[-1]] = new
        except (KeyError, TypeError, IndexError):
            return None
        what = f"{_where(path)} = {_show(new)}"
    try:
        files[name] = tomli_w.dumps(doc).encode("utf-8")
    except (TypeError, ValueError):
        return None
    return what


def toml_array_item(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """An array (of tables, mostly) changed: an item repeated or dropped, shuffled, emptied."""

    def arrays(nodes: list[tuple[Path_, Any]]) -> list[tuple[Path_, Any]]:
        tables = [(p, v) for p, v in nodes if isinstance(v, list) and v]
        of_tables = [(p, v) for p, v in tables if isinstance(v[0], dict)]
        return of_tables if of_tables and rng.random() < 0.8 else tables

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        how = rng.choice(("repeat", "repeat", "drop", "shuffle", "empty", "reverse"))
        n = rng.randrange(len(value))
        if how == "repeat":
            value.insert(rng.randrange(len(value) + 1), value[n])
        elif how == "drop":
            del value[n]
        elif how == "shuffle":
            rng.shuffle(value)
        elif how == "empty":
            value.clear()
        else:
            value.reverse()
        return f"array: {how} (item {n})"

    return _toml_change(rng, files, name, arrays, change)


def toml_deep_nesting(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A value replaced by arrays or inline tables nested hundreds of levels deep."""

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        depth = rng.choice((400, 500, 500, 1000, 5000))
        if rng.random() < 0.5:
            text = "[" * depth + "1" + "]" * depth
            shape = "arrays"
        else:
            text = "{ a = " * depth + "1" + " }" * depth
            shape = "inline tables"
        parent[path[-1]] = raw(text)
        return f"= {depth} nested {shape}"

    return _toml_change(rng, files, name, _leaves, change)


def toml_huge_int(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A number replaced by an integer of more than 4300 digits (Python's str limit)."""

    def numbers(nodes: list[tuple[Path_, Any]]) -> list[tuple[Path_, Any]]:
        return [(p, v) for p, v in nodes if _is_number(v)] or _leaves(nodes)

    def change(parent: Any, path: Path_, value: Any, raw: _Raw) -> str:
        digits = rng.randint(4301, 8000)
        text = rng.choice(("1" + "0" * (digits - 1), "9" * digits, "-" + "7" * digits))
        if rng.random() < 0.3:
            text += ".5"  # a float with as many digits
        parent[path[-1]] = raw(text)
        return f"= {_show(text)}"

    return _toml_change(rng, files, name, numbers, change)


_KEY_LINE = re.compile(rb"^[ \t]*(?:[A-Za-z0-9_\-\"'.]+[ \t]*=|\[)", re.MULTILINE)


def toml_duplicate_key(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A ``key = value`` line or a ``[table]`` header repeated (a TOML syntax error)."""
    data = files[name]
    if not isinstance(data, bytes):
        return None
    starts = [m.start() for m in _KEY_LINE.finditer(data)]
    if not starts:
        return None
    at = rng.choice(starts)
    end = data.find(b"\n", at)
    end = len(data) if end < 0 else end + 1
    line = data[at:end]
    if not line.endswith(b"\n"):
        line += b"\n"
    files[name] = data[:end] + line + data[end:]
    number = data.count(b"\n", 0, at) + 1
    return f"line {number} repeated: {_show(line.decode('utf-8', 'replace'))}"


# -- raw bytes and encodings -----------------------------------------------------------


def _bytes(files: Mapping[str, Entry], name: str) -> bytes | None:
    data = files[name]
    return data if isinstance(data, bytes) else None


def byte_flip(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """One to eight bytes with a bit flipped or set to a random value."""
    data = _bytes(files, name)
    if not data:
        return None
    buffer = bytearray(data)
    count = rng.randint(1, 8)
    for _ in range(count):
        at = rng.randrange(len(buffer))
        if rng.random() < 0.7:
            buffer[at] ^= 1 << rng.randrange(8)
        else:
            buffer[at] = rng.randrange(256)
    files[name] = bytes(buffer)
    return f"{count} bytes flipped"


def truncate(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """The file cut short at a random byte (maybe inside a UTF-8 character)."""
    data = _bytes(files, name)
    if not data:
        return None
    at = rng.randrange(len(data))
    files[name] = data[:at]
    return f"cut at byte {at} of {len(data)}"


_TOKENS = (
    b'"',
    b",",
    b"\n",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xe4\xb8",
    b"\x1a",
    b"[",
    b"]",
    b"=",
    b"{",
    b"\\",
    b"#",
    b"'''",
    b'"""',
    b"\x80",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
)


def insert_bytes(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """Bytes inserted at a random place: random ones, or a syntax token, a BOM, a half char."""
    data = _bytes(files, name)
    if data is None:
        return None
    at = rng.randrange(len(data) + 1)
    if rng.random() < 0.4:
        chunk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    else:
        chunk = rng.choice(_TOKENS) * rng.choice((1, 1, 2, 3))
    files[name] = data[:at] + chunk + data[at:]
    return f"{chunk[:8]!r} at byte {at}"


def nul_bytes(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """NUL bytes: between every byte of a line, in place of line ends, or a run of them."""
    data = _bytes(files, name)
    if data is None:
        return None
    how = rng.choice(("run", "line-ends", "interleaved"))
    if how == "run":
        at = rng.randrange(len(data) + 1)
        files[name] = data[:at] + b"\x00" * rng.choice((1, 16, 4096)) + data[at:]
    elif how == "line-ends":
        files[name] = data.replace(b"\n", b"\x00")
    else:
        files[name] = bytes(b for byte in data for b in (byte, 0))
    return how


def splice(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A range of bytes deleted, or copied to another place."""
    data = _bytes(files, name)
    if not data:
        return None
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 256))
    if rng.random() < 0.5:
        files[name] = data[:a] + data[b:]
        return f"bytes {a}-{b} deleted"
    at = rng.randrange(len(data) + 1)
    files[name] = data[:at] + data[a:b] + data[at:]
    return f"bytes {a}-{b} copied to {at}"


_ENCODINGS = (
    "gb18030",
    "gb18030-bom",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "utf-8-sig",
    "double-bom",
    "utf-7",
    "big5",
    "shift_jis",
    "cp1252",
    "mojibake",
    "bom-in-middle",
)


def encoding(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """The text written in another encoding: GB18030, UTF-16/32, BOMs, other code pages."""
    data = _bytes(files, name)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    how = rng.choice(_ENCODINGS)
    if how == "gb18030-bom":
        out = b"\x84\x31\x95\x33" + text.encode("gb18030", "replace")
    elif how == "double-bom":
        out = b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    elif how == "mojibake":
        out = text.encode("utf-8", "surrogatepass").decode("latin-1").encode("utf-8")
    elif how == "bom-in-middle":
        raw = text.encode("utf-8", "surrogatepass")
        at = rng.randrange(len(raw) + 1)
        out = raw[:at] + b"\xef\xbb\xbf" + raw[at:]
    else:
        out = text.encode(how, "replace")
    files[name] = out
    return how


# -- the file system -------------------------------------------------------------------


def missing_file(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """The file removed."""
    if name not in files:
        return None
    del files[name]
    return "removed"


def empty_file(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """The file empty, or holding only a BOM, a line end or spaces."""
    content = rng.choice((b"", b"", b"\n", b"\xef\xbb\xbf", b" ", b"\r\n\r\n", b"\x00"))
    files[name] = content
    return f"= {content!r}"


def file_to_dir(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A directory where the file should be (empty, or with a file inside)."""
    old = files.get(name)
    variant = rng.choice(("empty", "with-file"))
    files[name] = Special("dir", variant, old if isinstance(old, bytes) else b"")
    return variant


def fifo(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A FIFO (named pipe) where the file should be: opening it blocks."""
    files[name] = Special("fifo")
    return "named pipe"


def symlink_loop(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A symlink to itself, or two symlinks to each other."""
    variant = rng.choice(("self", "pair"))
    files[name] = Special("symlink-loop", variant)
    return variant


def symlink_outside(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A symlink to a file outside the folder (with the file's content, or another's)."""
    old = files.get(name)
    content = old if isinstance(old, bytes) else b""
    if rng.random() < 0.3:
        others = [v for v in files.values() if isinstance(v, bytes)]
        content = rng.choice(others) if others else content
    files[name] = Special("symlink-outside", "", content)
    return "to ../outside"


def symlink_dangling(rng: random.Random, files: dict[str, Entry], name: str) -> str | None:
    """A symlink to nothing."""
    files[name] = Special("symlink-dangling")
    return "to nothing"


# -- choosing --------------------------------------------------------------------------

Apply = Callable[[random.Random, dict[str, Entry], str], str | None]


@dataclass(frozen=True)
class Kind:
    """A kind of mutation: its function, its weight, and the files it applies to.

    ``target`` is ``csv`` (a CSV file's bytes), ``toml`` (``scheme.toml``'s
    bytes), ``any`` (any file's bytes) or ``fs`` (any file name, present or
    not, whatever it holds).
    """

    apply: Apply
    weight: float
    target: Target
    family: str


def _kinds() -> dict[str, Kind]:
    table: list[tuple[Apply, float, Target, str]] = [
        (cell_odd, 14, "csv", "csv"),
        (cell_number, 6, "csv", "csv"),
        (cell_date, 6, "csv", "csv"),
        (cell_huge, 2, "csv", "csv"),
        (cell_reference, 4, "csv", "csv"),
        (cell_empty, 4, "csv", "csv"),
        (cell_swap, 3, "csv", "csv"),
        (rows_shuffle, 2, "csv", "csv"),
        (row_duplicate, 4, "csv", "csv"),
        (row_drop, 3, "csv", "csv"),
        (row_ragged, 2, "csv", "csv"),
        (column_drop, 3, "csv", "csv"),
        (column_duplicate, 2, "csv", "csv"),
        (column_rename, 2, "csv", "csv"),
        (column_add, 2, "csv", "csv"),
        (columns_shuffle, 2, "csv", "csv"),
        (csv_dialect, 2, "csv", "csv"),
        (toml_drop_key, 4, "toml", "toml"),
        (toml_add_key, 2, "toml", "toml"),
        (toml_swap_type, 4, "toml", "toml"),
        (toml_odd_number, 5, "toml", "toml"),
        (toml_odd_string, 3, "toml", "toml"),
        (toml_weight_decimals, 3, "toml", "toml"),
        (toml_rule_param, 5, "toml", "toml"),
        (toml_period, 3, "toml", "toml"),
        (toml_array_item, 4, "toml", "toml"),
        (toml_deep_nesting, 0.5, "toml", "toml"),
        (toml_huge_int, 0.5, "toml", "toml"),
        (toml_duplicate_key, 1, "toml", "toml"),
        (byte_flip, 5, "any", "bytes"),
        (truncate, 3, "any", "bytes"),
        (insert_bytes, 4, "any", "bytes"),
        (nul_bytes, 1, "any", "bytes"),
        (splice, 2, "any", "bytes"),
        (encoding, 4, "any", "encoding"),
        (missing_file, 3, "fs", "fs"),
        (empty_file, 2, "fs", "fs"),
        (file_to_dir, 0.4, "fs", "fs"),
        # Opening a FIFO blocks: each one costs a whole timeout while that bug stands.
        (fifo, 0.02, "fs", "fs"),
        (symlink_loop, 0.4, "fs", "fs"),
        (symlink_outside, 0.4, "fs", "fs"),
        (symlink_dangling, 0.3, "fs", "fs"),
    ]
    return {
        apply.__name__.replace("_", "-"): Kind(apply, weight, target, family)
        for apply, weight, target, family in table
    }


#: Every kind of mutation by name, with its weight and target.
KINDS: Mapping[str, Kind] = _kinds()
_NAMES = tuple(KINDS)
_WEIGHTS = tuple(k.weight for k in KINDS.values())

#: How often each source is picked; each law-report folder has 14.
#: The demo city's scheme alone takes ~10 ms to load, so its folders get a small share.
_SOURCE_WEIGHTS = {"demo-city": 2.0, "demo-small": 12.0, "demo-padded": 3.0, "mini": 25.0}


def source_weight(name: str) -> float:
    """How often the weighted plan picks the source ``name`` (relative)."""
    return _SOURCE_WEIGHTS.get(name, 14.0)


def case_rng(seed: int, index: int, what: str = "case") -> random.Random:
    """The generator of case ``index`` of run ``seed`` (``what`` separates its streams)."""
    return random.Random(f"rulelaw-fuzz/{what}/{seed}/{index}")


def _fits(kind: Kind, name: str, files: Mapping[str, Entry]) -> bool:
    if kind.target == "fs":
        return True
    if not isinstance(files.get(name), bytes):
        return False
    if kind.target == "csv":
        return name.endswith(".csv")
    if kind.target == "toml":
        return name == "scheme.toml"
    return True


def apply_kind(
    rng: random.Random, files: dict[str, Entry], kind: str, name: str | None = None
) -> Mutation | None:
    """Apply one mutation of ``kind`` to ``files`` (in place), to ``name`` or a fitting file.

    Returns what was done, or ``None`` when the kind does not apply (no
    fitting file, the file cannot be parsed any more, or it came out the same).
    """
    spec = KINDS[kind]
    if name is None:
        present = [n for n in sorted(files) if _fits(spec, n, files)]
        if spec.target == "fs" and kind != "missing-file" and (not present or rng.random() < 0.2):
            present = list(ALL_FILES)
        if not present:
            return None
        name = rng.choice(present)
    if name not in files and spec.target != "fs":
        return None
    if not _fits(spec, name, files):
        return None
    old = files.get(name)
    try:
        detail = spec.apply(rng, files, name)
    except (RecursionError, ValueError, TypeError, OverflowError):
        # tomli_w on a document nested deeper than it recurses, a codec refusing a
        # character: the file stays as it was and another kind is drawn
        return None
    if detail is None or (name in files and files[name] == old):
        return None  # e.g. an ASCII file "re-encoded" as cp1252: nothing changed
    return Mutation(kind, name, detail)


def _one(rng: random.Random, files: dict[str, Entry], name: str | None = None) -> Mutation:
    """One mutation of a randomly chosen kind (that fits ``name``, when it is given)."""
    names, weights = _NAMES, _WEIGHTS
    if name is not None:
        fitting = [(n, k.weight) for n, k in KINDS.items() if _fits(k, name, files)]
        names, weights = tuple(n for n, _ in fitting), tuple(w for _, w in fitting)
    for _ in range(50):
        kind = rng.choices(names, weights)[0]
        done = apply_kind(rng, files, kind, name)
        if done is not None:
            return done
    return apply_kind(rng, files, "empty-file", name or "units.csv") or Mutation("none", "", "")


def make_case(
    seed: int,
    index: int,
    sources: Sequence[Source],
    *,
    plan: Literal["weighted", "sweep"] = "weighted",
) -> Case:
    """Case ``index`` of run ``seed``: a source folder and one to three mutations.

    With the ``weighted`` plan the source is drawn by :func:`source_weight`;
    with ``sweep`` case ``index`` takes source ``index % len(sources)`` and
    its first mutation goes to each of that source's files in turn, so a
    few hundred cases reach every source and every file.
    """
    rng = case_rng(seed, index)
    target: str | None = None
    if plan == "sweep":
        source = sources[index % len(sources)]
        names = sorted(source.files)
        target = names[(index // len(sources)) % len(names)]
    else:
        source = rng.choices(sources, [source_weight(s.name) for s in sources])[0]
    files: dict[str, Entry] = dict(source.files)
    count = rng.choices((1, 2, 3), (3, 2, 1))[0]
    mutations = [_one(rng, files, target)]
    mutations += [_one(rng, files) for _ in range(count - 1)]
    return Case(seed, index, source.name, files, tuple(mutations))
