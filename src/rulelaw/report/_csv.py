"""CSV text of the reports, safe to open in a spreadsheet.

Excel, LibreOffice and other spreadsheets run a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula, and may read one that starts with a tab
or a carriage return the same way; a unit named
``=HYPERLINK("http://…", "详情")`` or ``=cmd|' /C calc'!A0`` would run when
the file is opened ("CSV injection"). As OWASP advises, every *text* cell
that starts with one of these characters is written with a ``'`` in front,
which the spreadsheet takes as "this is text" and does not show.

What is text and what is a number is decided by the value's type, never by
how it looks: a ``Decimal`` or ``int`` (points, totals, ranks, days, shares)
is a number and is written as it is, so ``-1.50`` stays ``-1.50``; a ``str``
(ids, names, titles, reasons, grade labels, joined lists) is text from the
input and is neutralised, even when it looks like a number (a unit id ``-5``
is written ``'-5``). The header row is text too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

__all__ = ["FORMULA_STARTS", "csv_text", "neutralise"]

#: the first characters that make a spreadsheet read a cell as a formula (OWASP)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """A report's cell as it is written to CSV.

    A text that starts with one of :data:`FORMULA_STARTS` gets a ``'`` in
    front; a ``Decimal`` is written in plain notation (``"-1.50"``, never
    ``"-1.5E+0"``); anything else (numbers, ``None`` for an empty cell) is
    left as it is.

    Example::

        neutralise("=HYPERLINK(1)")  # "'=HYPERLINK(1)"
        neutralise(Decimal("-1.50"))  # "-1.50"
    """
    if isinstance(cell, str):
        return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
    if isinstance(cell, Decimal):
        return format(cell, "f")
    return cell


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """The rows (the header first) as CSV text, one line each, every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()
