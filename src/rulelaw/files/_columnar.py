"""Reading a large ``evidence.csv`` column by column (Apache Arrow's CSV reader).

A province's evidence has a million rows but only a few thousand distinct
cells per indicator. This reader parses the file in C, encodes each column
as a dictionary, and reads each distinct thing once:

- the state a status declares (not applicable, missing, false): once per
  distinct status and reason, with the row-by-row reader's own function;
- a list of dates (the ``occurrences`` measure): split in Arrow as
  :func:`~rulelaw.files._text.split_dates` splits a cell, each distinct part
  (a day, or a kind and a day) parsed once with
  :func:`~rulelaw.model.evidence.parse_occurrence`, each list sorted in
  arrays;
- any other value: once per distinct combination of its cells and measure,
  with the row-by-row reader's own function;
- sources and dates: once per distinct cell.

So both readers give equal values. Parsing (:func:`parse_evidence`) needs
only the bytes; reading (:func:`read_evidence_columns`) needs the scheme
and the unit ids. It handles only files it can read without doubt: anything
unusual (an unknown id, a cell that does not parse, a blank line, a row of
the wrong length, a line break inside a cell) makes it step aside with
``None``, and the row-by-row reader reads the file again and reports every
problem at its row.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cached_property
from typing import Any

import pendulum

from rulelaw.errors import InputError
from rulelaw.files._text import DATE_SEPARATORS
from rulelaw.model import EvidenceColumns, Indicator, Measure, Occurrences, Scheme, to_date
from rulelaw.model.evidence import ObservedValue, parse_occurrence

__all__ = [
    "COLUMNAR_FROM",
    "Parsed",
    "Table",
    "encoded",
    "parse_evidence",
    "read_evidence_columns",
    "read_table",
]

#: Files at least this many bytes are read column by column; smaller ones row by row.
COLUMNAR_FROM = 1 << 20

_BOM = b"\xef\xbb\xbf"

#: Codes of several columns are combined into one 64-bit key while their product stays below.
_KEY_LIMIT = 1 << 62

#: An evidence file's header and its Arrow table, as read.
Table = tuple[tuple[str, ...], Any]

#: The columns of an entry besides its value's cells.
_NOT_CELLS = ("unit", "indicator", "source", "date")


class Parsed:
    """An ``evidence.csv`` as Arrow read it, each column encoded.

    ``combination`` numbers each row's combination of indicator and cells
    (all but the unit) in first-seen order; ``first`` holds the first row of
    each. Rows of one combination have the same entry.
    """

    def __init__(
        self, header: tuple[str, ...], columns: dict[str, _Column], combination: Any, first: Any
    ) -> None:
        self.header = header
        self.columns = columns
        self.combination = combination
        self.first = first


def parse_evidence(
    data: bytes, *, allowed: Collection[str], required: Sequence[str]
) -> Parsed | None:
    """An ``evidence.csv``'s bytes read by Arrow, each column encoded: the first step.

    :func:`read_table` then :func:`encoded`. ``None`` when the file is not
    plainly valid CSV, or its header names an unknown column, a column
    twice, or lacks a ``required`` one.
    """
    return encoded(read_table(data, allowed=allowed, required=required))


def read_table(data: bytes, *, allowed: Collection[str], required: Sequence[str]) -> Table | None:
    """The header and the Arrow table of an ``evidence.csv``'s bytes (see :func:`parse_evidence`).

    One call into Arrow that lets go of the GIL throughout, so
    :func:`rulelaw.load` runs it in a worker while it reads the other files;
    the many short steps of :func:`encoded` are better taken on the thread
    that needs them than handed back and forth for the GIL.
    """
    return _table(data, allowed, required)


def encoded(read: Table | None) -> Parsed | None:
    """The columns of a table :func:`read_table` read, each encoded, and their combinations."""
    if read is None:
        return None
    header, table = read
    columns = {name: _Column.of(table[name]) for name in header}
    combination, first = _distinct(
        [(c.codes, len(c.dictionary)) for name, c in columns.items() if name != "unit"]
    )
    return Parsed(header, columns, combination, first)


def read_evidence_columns(
    parsed: Parsed,
    *,
    scheme: Scheme,
    unit_ids: Collection[str],
    state: Callable[[dict[str, str]], ObservedValue | None],
    value: Callable[[dict[str, str], Indicator], ObservedValue],
    checks: Mapping[str, Callable[[ObservedValue], object]],
) -> EvidenceColumns | None:
    """The evidence of a parsed ``evidence.csv`` in columns.

    A record is what the row-by-row reader gives for a row: the non-empty
    stripped cells by column. ``state`` reads the explicit state a record's
    ``status`` and ``reason`` declare (``None`` for an observed value);
    ``value`` reads a record's value for an indicator (states included).
    Both raise :class:`~rulelaw.errors.InputError` for a bad record. A value
    depends only on its cells (all but unit, indicator, source and date) and
    on what the indicator measures. ``checks`` holds, per indicator, the
    rule's check of a value (raising ``InputError``), called once per
    distinct value of the indicator. Returns ``None`` when the file is not
    plainly valid (see the module's note).
    """
    import numpy as np

    columns = parsed.columns
    unit, indicator = columns["unit"], columns["indicator"]
    if any(u not in unit_ids for u in unit.cells):
        return None
    leaves: list[Indicator] = []
    for indicator_id in indicator.cells:
        try:
            leaf = scheme.indicator(indicator_id)
        except KeyError:
            return None
        if leaf.evidence_from is not None:
            return None
        leaves.append(leaf)

    # from here on, each distinct combination of indicator and cells once (at its first row)
    first = parsed.first
    leaf_of = indicator.codes[first]
    cells = {name: column.taken(first) for name, column in columns.items() if name != "unit"}
    # a value depends only on its cells and on what the indicator measures
    measures = list(dict.fromkeys(leaf.measure for leaf in leaves))
    examples = {leaf.measure: leaf for leaf in reversed(leaves)}
    measure_of = np.array([measures.index(leaf.measure) for leaf in leaves], dtype=np.int64)
    found = _values(
        {name: column for name, column in cells.items() if name not in _NOT_CELLS},
        measure_of[leaf_of],
        [examples[m] for m in measures],
        state,
        value,
    )
    if found is None:
        return None
    values, value_of = found

    # rules that check their values see each distinct value of their indicator once
    checked = np.array([leaf.id in checks for leaf in leaves], dtype=bool)[leaf_of]
    if checked.any():
        pairs = leaf_of[checked].astype(np.int64) * len(values) + value_of[checked]
        for pair in np.unique(pairs).tolist():
            position, seen = divmod(pair, len(values))
            try:
                checks[leaves[position].id](values[seen])
            except InputError:
                return None

    # an entry is a value with its source and date, each read once per distinct cell
    sources, source_of = _sources(cells.get("source"), len(first))
    read_dates = _dates(cells.get("date"), len(first))
    if read_dates is None:
        return None
    dates, date_of = read_dates
    entry_of, entry_first = _distinct(
        [(value_of, len(values)), (source_of, len(sources)), (date_of, len(dates))]
    )
    entries = tuple(
        zip(
            map(values.__getitem__, value_of[entry_first].tolist()),
            map(sources.__getitem__, source_of[entry_first].tolist()),
            map(dates.__getitem__, date_of[entry_first].tolist()),
            strict=True,
        )
    )
    return EvidenceColumns(
        units=tuple(unit.cells),
        indicators=tuple(indicator.cells),
        entries=entries,
        unit=_frozen(unit.codes.astype(np.int32)),
        indicator=_frozen(indicator.codes.astype(np.int32)),
        entry=_frozen(entry_of[parsed.combination].astype(np.int32)),
    )


class _Column:
    """A column: each row's code, and the distinct cells as read (not stripped)."""

    def __init__(self, dictionary: Any, codes: Any) -> None:
        self.dictionary = dictionary  # the distinct cells, an Arrow string array
        self.codes = codes  # an integer array

    @classmethod
    def of(cls, array: Any) -> _Column:
        """The column of an Arrow dictionary-encoded string array (chunked, as read).

        Each chunk has its own dictionary, in first-seen order; one after the
        other and encoded again, they give the cells in first-seen order
        throughout and each chunk's codes among them. Each row's code is then
        written once, into one array (no unified chunks, no concatenation).
        """
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        chunks = array.chunks
        if not chunks:
            return cls(pa.array([], pa.string()), np.zeros(0, dtype=np.int32))
        found = pc.dictionary_encode(pa.concat_arrays([c.dictionary for c in chunks]))
        position = found.indices.to_numpy()
        codes = np.empty(len(array), dtype=np.int32)
        start = seen = 0
        for chunk in chunks:
            local = chunk.indices.to_numpy()
            size = len(chunk.dictionary)
            np.take(position[seen : seen + size], local, out=codes[start : start + len(local)])
            start += len(local)
            seen += size
        return cls(found.dictionary, codes)

    def taken(self, rows: Any) -> _Column:
        """The column of some rows only (by position)."""
        taken = _Column(self.dictionary, self.codes[rows])
        if "cells" in self.__dict__:
            taken.cells = self.cells
        return taken

    @cached_property
    def cells(self) -> list[str]:
        """The distinct cells, in first-seen order."""
        return list(self.dictionary.to_pylist())


def _record(columns: Mapping[str, _Column], row: int) -> dict[str, str]:
    """The record of one row of ``columns``: its non-empty cells, stripped."""
    record = {}
    for name, column in columns.items():
        cell = column.cells[column.codes[row]].strip()
        if cell:
            record[name] = cell
    return record


def _sources(column: _Column | None, rows: int) -> tuple[list[str], Any]:
    """The distinct sources (stripped cells) and each row's position among them."""
    import numpy as np

    if column is None:
        return [""], np.zeros(rows, dtype=np.int64)
    distinct: dict[str, int] = {}
    position = [distinct.setdefault(c.strip(), len(distinct)) for c in column.cells]
    return list(distinct), np.array(position, dtype=np.int64)[column.codes]


def _dates(column: _Column | None, rows: int) -> tuple[list[pendulum.Date | None], Any] | None:
    """The distinct dates (``None`` for a blank cell) and each row's; ``None`` for a bad cell."""
    import numpy as np

    if column is None:
        return [None], np.zeros(rows, dtype=np.int64)
    distinct: dict[pendulum.Date | None, int] = {}
    position = []
    for cell in column.cells:
        text = cell.strip()
        try:
            day = to_date(text) if text else None
        except InputError:
            return None
        position.append(distinct.setdefault(day, len(distinct)))
    return list(distinct), np.array(position, dtype=np.int64)[column.codes]


def _values(
    columns: Mapping[str, _Column],
    measure: Any,
    examples: Sequence[Indicator],
    state: Callable[[dict[str, str]], ObservedValue | None],
    value: Callable[[dict[str, str], Indicator], ObservedValue],
) -> tuple[list[ObservedValue], Any] | None:
    """The distinct values, and each row's position among them; ``None`` if a record does not read.

    Row ``r`` has the cells ``columns`` give and is for an indicator like
    ``examples[measure[r]]``; each distinct combination of both is read once.
    """
    import numpy as np

    group, first = _distinct(
        [*((c.codes, len(c.dictionary)) for c in columns.values()), (measure, len(examples))]
    )
    cells = {name: column.taken(first) for name, column in columns.items()}
    measure = measure[first]
    distinct: dict[ObservedValue, int] = {}
    value_of = np.full(len(first), -1, dtype=np.int64)
    # explicit states, once per distinct status and reason
    declared: dict[str, _Column] = {n: cells[n] for n in ("status", "reason") if n in cells}
    if "status" in declared:
        pair, pair_first = _distinct([(c.codes, len(c.dictionary)) for c in declared.values()])
        state_of = np.full(len(pair_first), -1, dtype=np.int64)
        for position, row in enumerate(pair_first.tolist()):
            try:
                found = state(_record(declared, row))
            except InputError:
                return None
            if found is not None:
                state_of[position] = distinct.setdefault(found, len(distinct))
        value_of = state_of[pair]
    # lists of dates, once per distinct cell
    occurrences = [m for m, leaf in enumerate(examples) if leaf.measure is Measure.OCCURRENCES]
    if "dates" in cells and occurrences:
        listed = np.array(
            [
                -1 if found is None else distinct.setdefault(found, len(distinct))
                for found in _date_lists(cells["dates"].dictionary)
            ],
            dtype=np.int64,
        )[cells["dates"].codes]
        plain = (value_of < 0) & (measure == occurrences[0]) & (listed >= 0)
        value_of[plain] = listed[plain]
    # any other value, once per distinct combination of cells and measure
    for row in np.flatnonzero(value_of < 0).tolist():
        try:
            found = value(_record(cells, row), examples[measure[row]])
        except InputError:
            return None
        value_of[row] = distinct.setdefault(found, len(distinct))
    return list(distinct), value_of[group]


def _date_lists(cells: Any) -> list[Occurrences | None]:
    """Per cell of an Arrow string array, the occurrences it lists as :class:`Occurrences`.

    ``None`` for a blank cell (the row reader reads it as no cell) and for a
    cell with a part that is neither a date nor a kind and a date (left to
    the row reader). Cells are split as :func:`~rulelaw.files._text.split_dates`
    splits one (every separator made the first, then split at it; parts
    stripped, empty ones left out); each distinct part is parsed once (by
    :func:`~rulelaw.model.evidence.parse_occurrence`), each list sorted in
    arrays by day, then kind.
    """
    import numpy as np
    import pyarrow.compute as pc

    for separator in DATE_SEPARATORS[1:]:
        cells = pc.replace_substring(cells, separator, DATE_SEPARATORS[0])
    lists = pc.split_pattern(cells, DATE_SEPARATORS[0])
    offsets = lists.offsets.to_numpy().astype(np.int64)
    counts = np.diff(offsets)
    parts = pc.dictionary_encode(lists.flatten())
    code = parts.indices.to_numpy().astype(np.int64)
    texts: list[str] = parts.dictionary.to_pylist()
    days: list[pendulum.Date | None] = [None] * len(texts)
    kinds: list[str] = [""] * len(texts)
    blank = np.zeros(len(texts), dtype=bool)
    bad = np.zeros(len(texts), dtype=bool)
    for position, text in enumerate(texts):
        stripped = text.strip()
        if not stripped:
            blank[position] = True
            continue
        try:
            kinds[position], days[position] = parse_occurrence(stripped)
        except InputError:
            bad[position] = True
    owner = np.repeat(np.arange(len(counts)), counts)
    # a cell without separators that strips to nothing is a blank cell
    refused = (counts == 1) & blank[code[offsets[:-1]]]
    refused |= np.bincount(owner[bad[code]], minlength=len(counts)) > 0
    kept = ~blank[code]
    owner, code = owner[kept], code[kept]
    # each list in order of day, then kind: sorted by cell, then by the part's rank
    readable = [p for p in range(len(texts)) if days[p] is not None]
    ranked = sorted(readable, key=lambda p: (days[p], kinds[p]))
    rank = np.zeros(len(texts), dtype=np.int64)
    rank[np.array(ranked, dtype=np.int64)] = np.arange(1, len(ranked) + 1)
    order = np.argsort(owner * (len(texts) + 1) + rank[code], kind="stable")
    ordered = np.array(days, dtype=object)[code[order]].tolist()
    ends = np.cumsum(np.bincount(owner, minlength=len(counts))).tolist()
    slices = list(map(slice, [0, *ends[:-1]], ends))
    lists_of_days = map(tuple, map(ordered.__getitem__, slices))
    if any(kinds):
        named = np.array(kinds, dtype=object)[code[order]].tolist()
        lists_of_kinds: Any = (
            tuple(found) if any(found) else () for found in map(named.__getitem__, slices)
        )
    else:
        lists_of_kinds = itertools.repeat(())
    found: list[Occurrences | None] = [*map(Occurrences._of_sorted, lists_of_days, lists_of_kinds)]
    for position in np.flatnonzero(refused).tolist():
        found[position] = None
    return found


def _distinct(codes: Sequence[tuple[Any, int]]) -> tuple[Any, Any]:
    """Number the distinct combinations of several columns of codes, in first-seen order.

    ``codes`` holds per column an integer array (a code from 0 below its
    size per row) and that size. Returns each row's number and the first row
    with each number.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def numbered(key: Any) -> tuple[Any, int]:
        found = pc.dictionary_encode(pa.array(key))
        return found.indices.to_numpy(), len(found.dictionary)

    key = np.zeros(len(codes[0][0]), dtype=np.int64)
    span = 1
    for column, size in codes:
        if size <= 1:
            continue  # one cell throughout: it tells no rows apart
        if span > _KEY_LIMIT // size:
            renumbered, span = numbered(key)
            key = renumbered.astype(np.int64)
        key *= size
        key += column
        span *= size
    number, _ = numbered(key)
    seen = np.maximum.accumulate(number)  # numbers are given in order of first appearance
    first = np.flatnonzero(seen[1:] != seen[:-1]) + 1
    return number, np.concatenate([np.zeros(1, dtype=first.dtype), first])


def _table(data: bytes, allowed: Collection[str], required: Sequence[str]) -> Table | None:
    """The header and the table of an ``evidence.csv``'s bytes, or ``None``.

    UTF-8 (with or without BOM) is read as it is (Arrow checks every cell is
    UTF-8); bytes that are not UTF-8 are read as GB18030.
    """
    data = data.removeprefix(_BOM)
    found = _parse(data, allowed, required)
    if found is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                converted = data.decode("gb18030").encode("utf-8")
            except UnicodeDecodeError:
                return None
            found = _parse(converted, allowed, required)
    return found


def _parse(data: bytes, allowed: Collection[str], required: Sequence[str]) -> Table | None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    end = data.find(b"\n")
    start = len(data) if end < 0 else end + 1  # where the body begins
    try:
        line = data[:start].decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        header = tuple(c.strip() for c in next(csv.reader([line]), []))
    except csv.Error:  # a line break other than \n inside the first line: the row reader's case
        return None
    if (
        len(set(header)) != len(header)
        or any(c not in allowed for c in header)
        or any(c not in header for c in required)
    ):
        return None
    lines = data.count(b"\n", start) + (0 if data.endswith(b"\n") or start == len(data) else 1)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start)),  # the body, not copied
            read_options=pacsv.ReadOptions(column_names=list(header), use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                # encoded while parsed: each distinct cell kept once (see _Column.of)
                column_types={c: pa.dictionary(pa.int32(), pa.string()) for c in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_rows != lines or not lines:
        return None  # blank lines were skipped: rows would be misnumbered
    return header, table


def _frozen(array: Any) -> Any:
    array.flags.writeable = False
    return array
