"""Data frames: an assessment's tables as Arrow tables, and an assessment read from tables.

Apache Arrow (``pyarrow``, a dependency of rulelaw) is the common ground:
:class:`Frames` holds Arrow tables by name and turns them into pandas or
polars data frames on request (:meth:`Frames.to_pandas`,
:meth:`Frames.to_polars`); pandas and polars are optional extras
(``rulelaw[pandas]``, ``rulelaw[polars]``), imported only then.

:func:`from_frames` reads an assessment from tables, one per file of an
assessment folder, with the loader's own checks: each frame's cells are
made the texts a CSV file would hold (numbers, dates, yes or no, lists
joined by ``;``) and read by the same code as the files
(:func:`rulelaw.files._load.assemble`), so every problem is the one the
file would have, its place named by the frame (``evidence (frame), row 7,
column 'numerator'``; rows counted from 0, as ``DataFrame.iloc`` counts).
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType
from typing import Any

import cattrs

from rulelaw.convert import shared_converter
from rulelaw.errors import DataError, InputError, MissingExtra
from rulelaw.files import _columnar
from rulelaw.files._dump import Cell, assessment_rows, cell_text, entry_cells
from rulelaw.files._layout import (
    BALLOTS_FILE,
    EVIDENCE_COLUMNS,
    EVIDENCE_FILE,
    EVIDENCE_OPTIONAL,
    FILES,
    SCHEME_FILE,
)
from rulelaw.files._load import Tables, assemble, input_folder, read_scheme
from rulelaw.files._text import CsvTable, table_of_cells
from rulelaw.messages import Message
from rulelaw.model import Assessment, Scheme
from rulelaw.rules import Registry

__all__ = ["FRAME_NAMES", "Frames", "assessment_frames", "from_frames", "needs"]

#: The tables of an assessment by name (a folder's file names without ``.csv``), in order.
FRAME_NAMES: tuple[str, ...] = tuple(
    name.removesuffix(".csv") for name in FILES if name != SCHEME_FILE
)

#: Evidence frames of at least this many rows are read column by column (when plainly valid).
COLUMNAR_ROWS = 10_000

#: The columns of the assessment's tables that hold days, and those that hold yes or no.
_DAYS = frozenset({"start", "end", "date", "found", "deadline", "submitted", "published"})
_FLAGS = frozenset({"signed"})


def needs(package: str, extra: str) -> ModuleType:
    """The module ``package``, imported; :class:`~rulelaw.errors.MissingExtra` if not installed.

    ``extra`` is rulelaw's extra that installs it: the error says
    ``pip install "rulelaw[EXTRA]"``.
    """
    try:
        return importlib.import_module(package)
    except ImportError:
        raise MissingExtra(package, extra) from None


class Frames(Mapping[str, Any]):
    """Named tables (Apache Arrow ``pyarrow.Table`` values), read by name or as attributes.

    ``frames["units"]`` and ``frames.units`` are the same table; iterating
    gives the names in order. :meth:`to_pandas` and :meth:`to_polars` give the
    tables as data frames of those libraries (installed with the extras
    ``rulelaw[pandas]`` and ``rulelaw[polars]``).

    Decimal columns (points, totals, scores) of results are Arrow
    ``decimal128(18, p)`` with the scheme's ``p`` places: exact, with room
    left within decimal128's 38 digits for Arrow's arithmetic (``a − b``
    has one digit more than ``a`` and ``b``). A value that needs more places
    than the scheme's widens its column's ``p``, one that needs more digits
    makes the column ``decimal128(38, p)``, and beyond 38 digits the column
    is text (the decimals as written in JSON).
    """

    __slots__ = ("_tables",)

    def __init__(self, tables: Mapping[str, Any]) -> None:
        self._tables = dict(tables)

    def __getitem__(self, name: str) -> Any:
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._tables[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}: {table.num_rows} rows" for name, table in self.items())
        return f"Frames({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Frames, (self._tables,))

    def to_pandas(self, *, exact: bool = True) -> dict[str, Any]:
        """Each table as a pandas ``DataFrame`` (needs ``pip install "rulelaw[pandas]"``).

        ``exact=True`` (the default) keeps decimal columns exact, as
        ``pandas.ArrowDtype(decimal128(18, p))``: sums, minima and maxima are
        exact ``Decimal`` values (a mean keeps the column's places, Arrow's
        rule). pandas' ``describe()`` leaves such columns out (or fails on
        one with missing values): ``exact=False`` gives them as ``float64``
        instead, for exploring — binary floating point, not the shown values.
        """
        pandas = needs("pandas", "pandas")

        def types(arrow_type: Any) -> Any:
            import pyarrow as pa

            return pandas.ArrowDtype(arrow_type) if pa.types.is_decimal(arrow_type) else None

        return {
            name: _floats(table, exact).to_pandas(types_mapper=types)
            for name, table in self.items()
        }

    def to_polars(self, *, exact: bool = True) -> dict[str, Any]:
        """Each table as a polars ``DataFrame`` (needs ``pip install "rulelaw[polars]"``).

        ``exact=True`` (the default) keeps decimal columns as polars
        ``Decimal(18, p)`` (``describe()`` works on them); ``exact=False``
        gives them as ``Float64``.
        """
        polars = needs("polars", "polars")
        return {name: polars.from_arrow(_floats(table, exact)) for name, table in self.items()}


def _floats(table: Any, exact: bool) -> Any:
    """``table`` with its decimal columns as float64 unless ``exact``."""
    import pyarrow as pa

    if exact:
        return table
    for i, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.float64()))
    return table


# -- an assessment's tables ----------------------------------------------------------------


def assessment_frames(assessment: Assessment) -> Frames:
    """An assessment's tables: one per file of its folder, as :func:`rulelaw.dump` writes them.

    ``units``, ``people``, ``tenures``, ``evidence`` (long form: a row per
    unit and indicator), ``adjustments``, ``reports``, ``ballots``,
    ``problems``, ``problem_status``, ``filings``: every table, each with
    every column of its file (and a unit's or person's attributes); an empty
    cell is null. Days are Arrow ``date32`` (``start``, ``end``, ``date``,
    ``found``, ``deadline``, ``submitted``, ``published``), ``signed`` is a
    boolean, every other cell the text the file holds; ``ballots`` has also
    ``origin``, where each ballot came from. :func:`from_frames` reads these
    tables back to an equal assessment.
    """
    rows = assessment_rows(assessment, every=True)
    tables: dict[str, Any] = {}
    for file, (columns, cells) in rows.items():
        name = file.removesuffix(".csv")
        if file == EVIDENCE_FILE:
            tables[name] = _evidence_table(assessment)
            continue
        listed = list(cells)
        if file == BALLOTS_FILE:
            columns = [*columns, "origin"]
            listed = [
                {**row, "origin": ballot.origin}
                for row, ballot in zip(listed, assessment.ballots, strict=True)
            ]
        tables[name] = _table({c: [row.get(c) for row in listed] for c in columns})
    return Frames({name: tables[name] for name in FRAME_NAMES})


def _table(columns: Mapping[str, list[Cell]]) -> Any:
    """An Arrow table of cells by column (see :func:`_array`)."""
    import pyarrow as pa

    return pa.Table.from_arrays(
        [_array(name, cells) for name, cells in columns.items()], names=list(columns)
    )


def _array(name: str, cells: list[Cell]) -> Any:
    """A column's cells in Arrow: days as ``date32``, yes or no as booleans, else texts.

    An empty cell (``None``, ``""``) is null.
    """
    import pyarrow as pa

    if name in _DAYS:
        return pa.array([c or None for c in cells], type=pa.date32())
    if name in _FLAGS:
        return pa.array(cells, type=pa.bool_())
    return pa.array([cell_text(c) or None for c in cells], type=pa.string())


def _evidence_table(assessment: Assessment) -> Any:
    """The evidence in long form, from its columns: each distinct entry's cells made once."""
    import pyarrow as pa

    columns = assessment.evidence.columns
    cells = [entry_cells(value, source, date) for value, source, date in columns.entries]
    entry = pa.array(columns.entry)
    arrays = [
        pa.array(columns.units, type=pa.string()).take(pa.array(columns.unit)),
        pa.array(columns.indicators, type=pa.string()).take(pa.array(columns.indicator)),
        *(_array(c, [row.get(c) for row in cells]).take(entry) for c in EVIDENCE_OPTIONAL),
    ]
    return pa.Table.from_arrays(arrays, names=[*EVIDENCE_COLUMNS, *EVIDENCE_OPTIONAL])


# -- an assessment from tables -------------------------------------------------------------


def from_frames(
    scheme: Scheme | str | os.PathLike[str],
    *,
    units: Any,
    evidence: Any,
    people: Any = None,
    tenures: Any = None,
    adjustments: Any = None,
    reports: Any = None,
    ballots: Any = None,
    problems: Any = None,
    problem_status: Any = None,
    filings: Any = None,
    survey: Any = None,
    sources: Mapping[str, str] | None = None,
    registry: Registry | None = None,
    converter: cattrs.Converter | None = None,
    reference: bool = False,
) -> Assessment:
    """An assessment from tables: pandas or polars data frames, or Arrow tables.

    ``scheme`` is a :class:`~rulelaw.Scheme`, or the path of a ``scheme.toml``
    (or its folder). Each table stands for the file of its name in an
    assessment folder (``units`` for ``units.csv`` …) and has that file's
    columns (see :func:`rulelaw.load`); ``units`` and ``evidence`` are needed,
    the others optional (``None``: no such file). ``ballots`` may have an
    ``origin`` column: where each ballot came from, as rejected ballots name
    it (by default its frame and row).

    A cell may be a text, a whole or decimal number, a yes or no, a date (or
    a timestamp at midnight), or a list of these (joined by ``;``); a null
    (``None``, ``NaN``, ``NA``) is an empty cell. Each is read as the text a
    CSV file would hold, by the loader's own code: the same checks, the same
    messages, each at the frame, row and column (``evidence (frame), row 7,
    column 'numerator'``; rows are counted from 0, the row ``df.iloc[7]``).
    Raises :class:`~rulelaw.errors.ValidationError` listing every problem.

    ``sources`` (input name → SHA-256) is what the assessment, and its
    results' metadata, record as its inputs; by default each frame's own
    digest, as ``units (frame)`` … (a SHA-256 of its column names and cells),
    and the scheme file's when a path is given. Pass the ``sources`` of the
    assessment the frames came from to record its files instead.

    A large evidence frame (10,000 rows or more) is read column by column,
    as a large ``evidence.csv`` is; ``reference=True`` reads it row by row
    (the same assessment either way). ``registry`` and ``converter`` as for
    :func:`rulelaw.load`.

    Example::

        a = rulelaw.load("examples/demo-city")
        frames = rulelaw.assessment_frames(a).to_pandas()
        again = rulelaw.from_frames(a.scheme, **frames, sources=a.sources)
    """
    conv = converter or shared_converter()
    found: list[InputError] = []
    recorded: dict[str, str] = {} if sources is None else dict(sources)
    if isinstance(scheme, Scheme):
        read: Scheme | None = scheme
    else:
        folder = input_folder(scheme)
        read = read_scheme(folder, conv, found, recorded if sources is None else None)
    given = {
        "units": units,
        "people": people,
        "tenures": tenures,
        "evidence": evidence,
        "adjustments": adjustments,
        "reports": reports,
        "ballots": ballots,
        "problems": problems,
        "problem_status": problem_status,
        "filings": filings,
        "survey": survey,
    }
    tables = _FrameTables(given, digests=sources is None, columnar=not reference)
    source = (
        Message.of("errors.source-frames", id=read.id)
        if read is not None
        else Message.of("errors.source-frames-no-scheme")
    )
    return assemble(tables, read, source, registry, conv, found, recorded)


class _FrameTables(Tables):
    """The tables of an assessment given as data frames (or Arrow tables), by file name."""

    first_row = 0  # the row a frame's ``iloc`` names
    ballot_optional = ("origin",)

    def __init__(self, frames: Mapping[str, Any], *, digests: bool, columnar: bool) -> None:
        self.frames = frames
        self.digests = digests
        self.columnar = columnar
        self._texts: dict[str, tuple[tuple[str, ...], list[Any]]] = {}

    def name(self, file: str) -> str:
        return f"{file.removesuffix('.csv')} (frame)"

    def given(self, file: str) -> bool:
        return self.frames.get(file.removesuffix(".csv")) is not None

    def _cells(self, file: str) -> tuple[tuple[str, ...], list[Any]]:
        """The frame's column names and its columns as Arrow texts (no nulls); made once."""
        if file not in self._texts:
            frame = self.frames[file.removesuffix(".csv")]
            self._texts[file] = texts_of(frame, self.name(file))
        return self._texts[file]

    def read(
        self,
        file: str,
        required: Any,
        optional: Any,
        problems: list[InputError],
        sources: dict[str, str],
    ) -> CsvTable | None:
        name = self.name(file)
        if not self.given(file):
            if FILES[file]:
                argument = file.removesuffix(".csv")
                problems.append(
                    DataError(
                        Message.of("frame.missing"),
                        file=name,
                        expected=Message.of("frame.expected-argument", name=argument),
                    )
                )
            return None
        try:
            header, columns = self._cells(file)
        except InputError as exc:
            problems.append(exc)
            return None
        digest = _digest(header, columns) if self.digests else ""
        listed = zip(*(column.to_pylist() for column in columns), strict=True)
        table, found = table_of_cells(
            name, header, enumerate(listed), required, optional, digest, header_row=None
        )
        problems.extend(found)
        if table is not None and self.digests:
            sources[name] = digest
        return table

    def columnar_evidence(self) -> tuple[_columnar.Table, Callable[[], str | None]] | None:
        import pyarrow as pa
        import pyarrow.compute as pc

        if not self.columnar or not self.given(EVIDENCE_FILE):
            return None
        try:
            header, columns = self._cells(EVIDENCE_FILE)
        except InputError:  # reported when read row by row
            return None
        allowed = {*EVIDENCE_COLUMNS, *EVIDENCE_OPTIONAL}
        rows = len(columns[0]) if columns else 0
        if (
            rows < max(COLUMNAR_ROWS, 1)
            or len(set(header)) != len(header)
            or any(c not in allowed for c in header)
            or any(c not in header for c in EVIDENCE_COLUMNS)
        ):
            return None
        # a blank row is skipped by the row reader, which keeps the rows' numbers: not here
        filled = None
        for column in columns:
            some = pc.not_equal(pc.utf8_trim_whitespace(column), "")
            filled = some if filled is None else pc.or_(filled, some)
        if filled is not None and not pc.all(filled).as_py():
            return None
        table = pa.table(
            {
                name: pa.chunked_array([pc.dictionary_encode(column)])
                for name, column in zip(header, columns, strict=True)
            }
        )

        def digest() -> str | None:
            return _digest(header, columns) if self.digests else None

        return (header, table), digest


def _digest(header: tuple[str, ...], columns: list[Any]) -> str:
    """A SHA-256 of a table's column names and cells: the same cells give the same digest."""
    import numpy as np
    import pyarrow as pa

    found = hashlib.sha256()
    for name in header:
        encoded = name.encode("utf-8")
        found.update(len(encoded).to_bytes(8, "little") + encoded)
    for column in columns:
        texts = column.cast(pa.large_string())
        _, offsets, data = texts.buffers()
        ends = np.frombuffer(offsets, dtype=np.int64)[texts.offset : texts.offset + len(texts) + 1]
        start, stop = (int(ends[0]), int(ends[-1])) if len(ends) else (0, 0)
        found.update((ends - start).tobytes())
        found.update(b"" if data is None else memoryview(data)[start:stop])
    return found.hexdigest()


# -- cells as texts --------------------------------------------------------------------------


def texts_of(frame: Any, name: str) -> tuple[tuple[str, ...], list[Any]]:
    """A frame's column names and each column as Arrow texts, as a CSV file would hold them.

    ``name`` names the frame in errors. Raises :class:`~rulelaw.errors.DataError`
    for a value that is not a table and for a column of a type that has no text.
    """
    table = _arrow(frame, name)
    header = tuple(str(n) for n in table.column_names)
    return header, [_text_array(table.column(i), name, column) for i, column in enumerate(header)]


def _arrow(frame: Any, name: str) -> Any:
    """A pandas or polars data frame, an Arrow table or record batch, as an Arrow table."""
    import pyarrow as pa

    if isinstance(frame, pa.Table):
        return frame
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    library = type(frame).__module__.split(".")[0]
    if library == "pandas" and hasattr(frame, "iloc"):
        return _from_pandas(frame)
    if library == "polars" and hasattr(frame, "to_arrow"):
        return frame.to_arrow()
    if hasattr(frame, "__arrow_c_stream__"):
        return pa.table(frame)
    raise DataError(
        Message.of("frame.not-a-table"),
        file=name,
        expected=Message.of("frame.expected-table"),
        got=type(frame).__name__,
    )


def _from_pandas(frame: Any) -> Any:
    """A pandas data frame as an Arrow table, column by column (its index left out).

    A column of Python objects that Arrow cannot type (texts and numbers
    mixed) is read a cell at a time.
    """
    import pyarrow as pa

    arrays = []
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        try:
            arrays.append(pa.array(series, from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            arrays.append(pa.array([_cell(v) for v in series.tolist()], type=pa.string()))
    return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])


def _cell(value: Any) -> str:
    """One Python value of a mixed column as its text: as the column of its type gives it."""
    import pyarrow as pa

    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return value
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    try:
        one = pa.array([value])
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return str(value)
    try:
        return str(_text_array(one, "", "")[0].as_py())
    except DataError:
        return str(value)


def _text_array(column: Any, name: str, column_name: str) -> Any:
    """An Arrow column as texts, a null as an empty text (one array, not chunked)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    kind = array.type
    if pa.types.is_dictionary(kind):
        return _text_array(array.dictionary_decode(), name, column_name)
    if pa.types.is_null(kind):
        texts = pa.array([""] * len(array), type=pa.string())
    elif pa.types.is_floating(kind):
        texts = pc.if_else(pc.is_nan(array), pa.scalar(None, kind), array).cast(pa.string())
    elif pa.types.is_timestamp(kind) and kind.tz is None and _midnights(array):
        texts = array.cast(pa.date32(), safe=False).cast(pa.string())
    elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
        items = _text_array(pc.list_flatten(array), name, column_name).to_pylist()
        lists = array.to_pylist()
        texts, at = [], 0
        for listed in lists:
            size = 0 if listed is None else len(listed)
            texts.append(";".join(t for t in items[at : at + size] if t))
            at += size
        texts = pa.array(texts, type=pa.string())
    else:
        try:
            texts = array.cast(pa.string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            raise DataError(
                Message.of("frame.column-type", column=column_name, type=str(kind)),
                file=name,
                column=column_name,
                expected=Message.of("frame.expected-column-type"),
            ) from None
    return pc.fill_null(texts, "")


def _midnights(array: Any) -> bool:
    """Whether every timestamp of an array is at midnight (a day, as pandas keeps dates)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    days = array.cast(pa.date32(), safe=False).cast(array.type)
    same = pc.equal(days, array)
    return bool(pc.all(pc.fill_null(same, True)).as_py())
