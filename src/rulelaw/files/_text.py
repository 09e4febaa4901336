"""Reading input files: bytes, their hash, and text in UTF-8 (with or without BOM) or GB18030."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

import attrs

from rulelaw.errors import DataError, EncodingError

__all__ = ["DATE_SEPARATORS", "CsvTable", "read_csv", "read_text", "split_dates"]

#: What separates the dates listed in one cell (the first is the canonical one).
DATE_SEPARATORS = (";", "；", "、", ",", "，")


def read_text(path: Path) -> tuple[str, str]:
    """Return the text of ``path`` and the SHA-256 of its bytes.

    UTF-8 is tried first (a BOM is dropped), then GB18030, the encoding
    Chinese Excel saves "CSV" in. Raises :class:`EncodingError` when neither
    reads the file. The file is opened read-only.
    """
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        return data.decode("utf-8-sig"), digest
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), digest
        except UnicodeDecodeError:
            raise EncodingError(
                "cannot read the file's text encoding",
                file=path.name,
                where=f"byte {utf8_error.start}",
                expected="UTF-8 (with or without BOM) or GB18030",
                got=data[utf8_error.start : utf8_error.start + 4],
            ) from None


@attrs.frozen
class CsvTable:
    """The rows of a CSV file as dicts of stripped cells, with spreadsheet row numbers.

    ``rows[i]`` came from spreadsheet row ``numbers[i]`` (the header is row 1).
    Empty cells are left out of a row's dict, so defaults apply.
    """

    file: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    numbers: Sequence[int]
    sha256: str

    def where(self, index: int, column: str | None = None) -> str:
        """The place of row ``index`` (and a column), e.g. ``row 7, column 'unit'``."""
        place = f"row {self.numbers[index]}"
        return f"{place}, column {column!r}" if column else place


def read_csv(
    path: Path, required: Sequence[str], optional: Sequence[str] | None
) -> tuple[CsvTable | None, list[DataError]]:
    """Read a CSV file whose header names at least ``required``.

    ``optional`` lists the other columns allowed; ``None`` allows any (they
    become attributes). Returns the table, or ``None`` with the problems when
    the file cannot be used at all (empty, missing columns, unknown columns).
    """
    text, digest = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return None, [
            DataError(
                "the file is empty",
                file=path.name,
                expected="a header row with columns " + ", ".join(required),
            )
        ]
    header = tuple(cell.strip() for cell in rows[0])
    problems: list[DataError] = []
    for column in required:
        if column not in header:
            problems.append(
                DataError(
                    f"missing column {column!r}",
                    file=path.name,
                    where="row 1 (header)",
                    expected="columns " + ", ".join(required),
                    got=", ".join(header),
                )
            )
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(
                DataError(
                    f"column {column!r} appears twice", file=path.name, where="row 1 (header)"
                )
            )
        seen.add(column)
        if optional is not None and column not in required and column not in optional:
            problems.append(
                DataError(
                    f"unknown column {column!r}",
                    file=path.name,
                    where="row 1 (header)",
                    expected="columns among " + ", ".join([*required, *optional]),
                )
            )
        if not column:
            problems.append(DataError("a column without a name", file=path.name, where="row 1"))
    if problems:
        return None, problems
    records: list[dict[str, str]] = []
    numbers: list[int] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are allowed and skipped
        if len(cells) > len(header):
            problems.append(
                DataError(
                    "more cells than columns",
                    file=path.name,
                    where=f"row {number}",
                    expected=f"{len(header)} cells",
                    got=len(cells),
                )
            )
            continue
        records.append({c: v.strip() for c, v in zip(header, cells, strict=False) if v.strip()})
        numbers.append(number)
    table = CsvTable(path.name, header, tuple(records), tuple(numbers), digest)
    return table, problems


def split_dates(text: str) -> list[str]:
    """The dates listed in one cell, each stripped, empty ones left out (not yet parsed)."""
    for sep in DATE_SEPARATORS[1:]:
        text = text.replace(sep, DATE_SEPARATORS[0])
    return [part.strip() for part in text.split(DATE_SEPARATORS[0]) if part.strip()]
