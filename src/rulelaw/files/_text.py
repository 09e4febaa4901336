"""Reading input files: checked to be plain files, their hash, and text in UTF-8 or GB18030.

An input is read only if it is a regular file: a directory, a FIFO (which
would block for ever), a device or a socket where a file belongs is an
error naming the file, and so is a symbolic link that loops or points at
nothing. In an assessment folder, a link that leads outside the folder is
refused unless the caller allows it (:class:`InputFolder`), so that a
folder cannot make rulelaw read, and quote in its messages, a file elsewhere.
"""

from __future__ import annotations

import collections
import csv
import errno
import hashlib
import io
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from rulelaw.errors import DataError, EncodingError
from rulelaw.messages import Message, builtin_catalogue
from rulelaw.model.evidence import LIST_SEPARATORS

__all__ = [
    "DATE_SEPARATORS",
    "CsvTable",
    "InputFolder",
    "decode",
    "read_csv",
    "read_file",
    "read_text",
    "split_dates",
    "table_of_cells",
]

#: What separates the dates listed in one cell (the first is the canonical one).
DATE_SEPARATORS = LIST_SEPARATORS

#: The longest cell Python's CSV reader takes (its process-wide default, left as it is).
CSV_CELL_LIMIT = 131_072

#: What may stand where a file belongs, and the code of its name in messages.
_KINDS = (
    (stat.S_ISDIR, "file.kind-directory"),
    (stat.S_ISFIFO, "file.kind-fifo"),
    (stat.S_ISCHR, "file.kind-character-device"),
    (stat.S_ISBLK, "file.kind-block-device"),
    (stat.S_ISSOCK, "file.kind-socket"),
)


def _kind(mode: int) -> Message:
    return Message.of(next((code for test, code in _KINDS if test(mode)), "file.kind-other"))


def _not_regular(name: str, mode: int) -> DataError:
    return DataError(
        Message.of("file.not-regular", kind=_kind(mode)),
        file=name,
        expected=Message.of("file.expected-file"),
    )


def _cannot(name: str, exc: OSError, doing: str) -> DataError:
    if exc.errno == errno.ELOOP:
        return DataError(
            Message.of("file.link-loops"), file=name, expected=Message.of("file.expected-file")
        )
    reason = _reason(exc)
    return DataError(Message.of(f"file.cannot-{doing}", reason=reason), file=name)


def _reason(exc: OSError) -> str:
    """The system's reason for ``exc``: rulelaw's words for its error number where it has them.

    As :class:`~rulelaw.errors.OutputError` words it: ``system.eacces`` …
    when the catalogue's English says what the system said, else the
    system's text (``system.other``).
    """
    text = exc.strerror or type(exc).__name__
    code = f"system.{errno.errorcode.get(exc.errno or 0, '').lower()}"
    if code in builtin_catalogue() and Message.of(code) == text:
        return Message.of(code)
    return Message.of("system.other", reason=text)


def read_file(path: Path, name: str | None = None) -> bytes:
    """The bytes of ``path``, if it is a regular file (links followed); ``name`` names it in errors.

    Raises :class:`FileNotFoundError` when nothing is there (not even a
    link), and :class:`~rulelaw.errors.DataError` for what is there but is
    not a readable regular file: a directory, a FIFO, a device, a link that
    loops or leads nowhere, a file that cannot be opened or read. The file is
    opened read-only and without blocking, then checked before it is read.
    """
    shown = name or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise DataError(
                Message.of("file.dangling-link"),
                file=shown,
                expected=Message.of("file.expected-file"),
            ) from None
        raise
    except OSError as exc:
        raise _cannot(shown, exc, "open") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(shown, mode)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError as exc:
        raise _cannot(shown, exc, "read") from None
    finally:
        os.close(fd)


class InputFolder:
    """An assessment folder being read: its files by name, checked before they are read.

    ``outside_links`` allows symbolic links that lead out of the folder
    (refused by default: the folder then reads only what lies inside it).
    """

    def __init__(self, path: Path, *, outside_links: bool = False) -> None:
        self.path = path
        self.outside_links = outside_links
        self._root = os.path.realpath(path)

    def present(self, name: str) -> bool:
        """Whether anything is at ``name`` (a file, or anything else: a link, a directory)."""
        return os.path.lexists(self.path / name)

    def _check_link(self, name: str) -> None:
        if self.outside_links:
            return
        target = os.path.realpath(self.path / name)
        try:
            inside = os.path.commonpath([self._root, target]) == self._root
        except ValueError:  # another drive
            inside = False
        if not inside:
            raise DataError(
                Message.of("file.link-outside"),
                file=name,
                expected=Message.of("file.expected-inside"),
            )

    def read(self, name: str) -> bytes | None:
        """The bytes of file ``name``; ``None`` when nothing is there.

        Raises :class:`~rulelaw.errors.DataError` for anything there that is
        not a regular file inside the folder (see :func:`read_file`).
        """
        if not self.present(name):
            return None
        self._check_link(name)
        try:
            return read_file(self.path / name, name)
        except FileNotFoundError:  # removed while being read
            return None

    def size(self, name: str) -> int | None:
        """The size of a regular file ``name`` inside the folder; ``None`` for anything else."""
        try:
            self._check_link(name)
            info = (self.path / name).stat()
        except (OSError, DataError):
            return None
        return info.st_size if stat.S_ISREG(info.st_mode) else None


def decode(data: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8 (a BOM dropped), else GB18030.

    GB18030 is the encoding Chinese Excel saves "CSV" in. Raises
    :class:`EncodingError` naming ``name`` when neither reads the bytes.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise EncodingError(
                Message.of("file.encoding"),
                file=name,
                byte=utf8_error.start,
                expected=Message.of("file.expected-encoding"),
                got=data[utf8_error.start : utf8_error.start + 4],
            ) from None


def read_text(path: Path) -> tuple[str, str]:
    """Return the text of the regular file ``path`` and the SHA-256 of its bytes.

    Raises :class:`EncodingError` when the text is neither UTF-8 nor GB18030,
    :class:`~rulelaw.errors.DataError` when ``path`` is not a readable regular
    file (see :func:`read_file`), :class:`FileNotFoundError` when it is absent.
    """
    data = read_file(path, path.name)
    return decode(data, path.name), hashlib.sha256(data).hexdigest()


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

    def place(self, index: int, column: str | None = None) -> dict[str, Any]:
        """The place of row ``index`` (and a column) as an error's fields: ``row``, ``column``."""
        return {"row": self.numbers[index], "column": column or None}


def _rows(text: str, name: str) -> list[list[str]]:
    """The rows of CSV text; a cell over the reader's limit is an error at its row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    while True:
        try:
            rows.append(next(reader))
        except StopIteration:
            return rows
        except csv.Error as exc:
            long = "field larger than field limit" in str(exc)
            raise DataError(
                Message.of("csv.cell-too-long", limit=CSV_CELL_LIMIT)
                if long
                else Message.of("csv.not-csv", reason=str(exc)),
                file=name,
                row=len(rows) + 1,
                expected=Message.of("csv.expected-cell-size", limit=CSV_CELL_LIMIT)
                if long
                else None,
            ) from None


#: the unknown columns of a header named one by one; the rest are counted
_UNKNOWN_SHOWN = 10


def read_csv(
    data: bytes, name: str, required: Sequence[str], optional: Sequence[str] | None
) -> tuple[CsvTable | None, list[DataError]]:
    """Read the bytes of CSV file ``name`` whose header names at least ``required``.

    ``optional`` lists the other columns allowed; ``None`` allows any (they
    become attributes). Returns the table, or ``None`` with the problems when
    the file cannot be used at all (empty, missing columns, unknown columns).
    Raises :class:`~rulelaw.errors.DataError` for a file that is not CSV at
    all (a cell too long, an encoding neither UTF-8 nor GB18030).
    """
    digest = hashlib.sha256(data).hexdigest()
    rows = _rows(decode(data, name), name)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return None, [
            DataError(
                Message.of("csv.empty"),
                file=name,
                expected=Message.of("csv.expected-header", columns=tuple(required)),
            )
        ]
    return table_of_cells(
        name, rows[0], enumerate(rows[1:], start=2), required, optional, digest, header_row=1
    )


def table_of_cells(
    name: str,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    required: Sequence[str],
    optional: Sequence[str] | None,
    digest: str,
    *,
    header_row: int | None,
) -> tuple[CsvTable | None, list[DataError]]:
    """A table's header checked and its rows of cells made records: :func:`read_csv`'s checks.

    ``rows`` holds each row's number (as messages name it) and its cells;
    ``header_row`` is the header's row number (``1`` in a CSV file; ``None``
    for a table whose header is no row, a data frame's column names). The
    header must name ``required`` and may name ``optional`` (``None``: any
    column); rows without a cell that is not blank are skipped. Returns the
    table, or ``None`` when the header is refused, with the problems found.
    """
    header = tuple(cell.strip() for cell in header)
    at: dict[str, Any] = {} if header_row is None else {"row": header_row, "header": True}
    problems: list[DataError] = []
    for column in required:
        if column not in header:
            problems.append(
                DataError(
                    Message.of("csv.missing-column", column=column),
                    file=name,
                    **at,
                    expected=Message.of("csv.expected-columns", columns=tuple(required)),
                    got=", ".join(header),
                )
            )
    # each name judged once, however often it is repeated (a file whose line
    # ends were lost has one header of every cell)
    counts = collections.Counter(header)
    unknown = 0
    for column, times in counts.items():
        known = optional is None or column in required or column in optional
        # a repeated unknown or unnamed column is reported as that, once
        if times > 1 and known and column:
            problems.append(
                DataError(Message.of("csv.duplicate-column", column=column), file=name, **at)
            )
        if not known:
            unknown += 1
            if unknown > _UNKNOWN_SHOWN:
                continue
            problems.append(
                DataError(
                    Message.of("csv.unknown-column", column=column),
                    file=name,
                    **at,
                    expected=Message.of(
                        "csv.expected-columns-among", columns=(*required, *(optional or ()))
                    ),
                )
            )
        if not column:
            at_row: dict[str, Any] = {} if header_row is None else {"row": header_row}
            problems.append(DataError(Message.of("csv.unnamed-column"), file=name, **at_row))
    if unknown > _UNKNOWN_SHOWN:
        problems.append(
            DataError(
                Message.of("csv.more-unknown-columns", n=unknown - _UNKNOWN_SHOWN),
                file=name,
                **at,
            )
        )
    if problems:
        return None, problems
    records: list[dict[str, str]] = []
    numbers: list[int] = []
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are allowed and skipped
        if len(cells) > len(header):
            problems.append(
                DataError(
                    Message.of("csv.too-many-cells"),
                    file=name,
                    row=number,
                    expected=Message.of("csv.expected-cells", n=len(header)),
                    got=len(cells),
                )
            )
            continue
        records.append({c: v.strip() for c, v in zip(header, cells, strict=False) if v.strip()})
        numbers.append(number)
    table = CsvTable(name, header, tuple(records), tuple(numbers), digest)
    return table, problems


def split_dates(text: str) -> list[str]:
    """The occurrences listed in one cell, each stripped, empty ones left out (not yet parsed).

    Each is a date, or a kind and a date (``late 2024-03-02``); see
    :func:`~rulelaw.model.evidence.parse_occurrence`.
    """
    for sep in DATE_SEPARATORS[1:]:
        text = text.replace(sep, DATE_SEPARATORS[0])
    return [part.strip() for part in text.split(DATE_SEPARATORS[0]) if part.strip()]
