"""Reading a large ``evidence.csv`` column by column (Apache Arrow's CSV reader).

A province's evidence has a million rows but only a few thousand distinct
cells per indicator. This reader parses the file in C, encodes each column
as a dictionary, and builds each distinct (indicator, cells) combination
once with the very code the row-by-row reader uses, so both give equal
values. It handles only files it can read without doubt: anything unusual
(an unknown id, a cell that does not parse, a blank line, a row of the
wrong length, a line break inside a cell) makes it step aside with
``None``, and the row-by-row reader reads the file again and reports every
problem at its row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from rulelaw.errors import InputError
from rulelaw.model import EvidenceColumns, Indicator, Scheme
from rulelaw.model.evidence import Entry, ObservedValue

__all__ = ["COLUMNAR_FROM", "read_evidence_columns"]

#: Files at least this many bytes are read column by column; smaller ones row by row.
COLUMNAR_FROM = 1 << 20

_BOM = b"\xef\xbb\xbf"


def _utf8(data: bytes) -> bytes | None:
    """The file's bytes as UTF-8 without BOM (GB18030 is converted), or ``None``."""
    data = data.removeprefix(_BOM)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            return None
    return data


def read_evidence_columns(
    data: bytes,
    *,
    allowed: Collection[str],
    required: Sequence[str],
    scheme: Scheme,
    unit_ids: Collection[str],
    build: Callable[[dict[str, str], Indicator], Entry],
    checks: Mapping[str, Callable[[ObservedValue], object]],
) -> tuple[tuple[str, ...], EvidenceColumns] | None:
    """The evidence of ``data`` (an ``evidence.csv``'s bytes) in columns, with its header.

    ``build`` turns one record (the non-empty stripped cells by column
    besides unit and indicator, as the row-by-row reader gives them) of an
    indicator into an entry; it
    raises :class:`~rulelaw.errors.InputError` for a bad record. It is called
    once per distinct record and measure. ``checks`` holds, per indicator, the
    rule's check of a value (raising ``InputError``), called once per distinct
    value of the indicator. Returns
    ``None`` when the file is not plainly valid (see the module's note).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    text = _utf8(data)
    if text is None:
        return None
    first, _, body = text.partition(b"\n")
    header = tuple(c.strip() for c in next(csv.reader([first.decode("utf-8")]), []))
    if (
        len(set(header)) != len(header)
        or any(c not in allowed for c in header)
        or any(c not in header for c in required)
    ):
        return None
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") or not body else 1)
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=list(header), use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_rows != lines or not lines:
        return None  # blank lines were skipped: rows would be misnumbered

    def encoded(column: str) -> tuple[Any, list[str]]:
        found = pc.dictionary_encode(table[column]).combine_chunks()
        return found.indices.to_numpy().astype(np.int64), found.dictionary.to_pylist()

    unit_codes, units = encoded("unit")
    indicator_codes, indicators = encoded("indicator")
    if any(u not in unit_ids for u in units):
        return None
    leaves: list[Indicator] = []
    for indicator_id in indicators:
        try:
            leaf = scheme.indicator(indicator_id)
        except KeyError:
            return None
        if leaf.evidence_from is not None:
            return None
        leaves.append(leaf)

    # one code per row for its cells besides unit and indicator, then per (cells, measure):
    # a value depends only on the cells and on what the indicator measures
    measures = list(dict.fromkeys(leaf.measure for leaf in leaves))
    example = {leaf.measure: leaf for leaf in reversed(leaves)}
    measure_of = np.array([measures.index(leaf.measure) for leaf in leaves], dtype=np.int64)
    rest = [c for c in header if c not in ("unit", "indicator")]
    key = np.zeros(table.num_rows, dtype=np.int64)
    cells: list[list[str]] = []
    for column in rest:
        codes, values = encoded(column)
        if len(values) and int(key.max(initial=0)) >= (1 << 62) // (len(values) * len(measures)):
            return None  # too many combinations to number
        key = key * len(values) + codes
        cells.append(values)
    key = key * len(measures) + measure_of[indicator_codes]
    combined = pc.dictionary_encode(pa.array(key))
    combos = combined.dictionary.to_numpy()
    measure_codes = (combos % len(measures)).tolist()
    combos = combos // len(measures)
    per_column: list[list[int]] = []
    for values in reversed(cells):
        per_column.append((combos % len(values)).tolist())
        combos = combos // len(values)
    stripped = [[v.strip() for v in values] for values in reversed(cells)]
    names = list(reversed(rest))
    distinct: dict[Entry, int] = {}
    entry_of = np.empty(len(measure_codes), dtype=np.int32)
    for position, (measure, *codes) in enumerate(zip(measure_codes, *per_column, strict=True)):
        record = {
            column: cell
            for column, values, code in zip(names, stripped, codes, strict=True)
            if (cell := values[code])
        }
        try:
            entry = build(record, example[measures[measure]])
        except InputError:
            return None
        entry_of[position] = distinct.setdefault(entry, len(distinct))
    entries = tuple(distinct)
    entry = entry_of[combined.indices.to_numpy()]
    # rules that check their values see each distinct value of their indicator once
    for position, leaf in enumerate(leaves):
        check = checks.get(leaf.id)
        if check is None:
            continue
        for seen in np.unique(entry[indicator_codes == position]).tolist():
            try:
                check(entries[seen][0])
            except InputError:
                return None
    columns = EvidenceColumns(
        units=tuple(units),
        indicators=tuple(indicators),
        entries=entries,
        unit=_frozen(unit_codes.astype(np.int32)),
        indicator=_frozen(indicator_codes.astype(np.int32)),
        entry=_frozen(entry),
    )
    return header, columns


def _frozen(array: Any) -> Any:
    array.flags.writeable = False
    return array
