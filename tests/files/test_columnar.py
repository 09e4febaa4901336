"""Evidence in columns: the columnar reader gives what the row reader gives, or steps aside."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rulelaw
from rulelaw import Count, DataError, Evidence, NotSubmitted, Observation
from rulelaw.engine._arrays import _distinct_per_column
from rulelaw.files import _columnar
from rulelaw.model import EvidenceColumns

ROOT = Path(__file__).parents[2]
FOLDERS = [
    ROOT / "examples" / "demo-city",
    *sorted(p for p in (ROOT / "examples" / "law-reports").iterdir() if p.is_dir()),
    ROOT / "examples" / "rubrics",
    ROOT / "tests" / "data" / "mini",
]


def _load(folder: Path, columnar: bool, monkeypatch: pytest.MonkeyPatch) -> rulelaw.Assessment:
    monkeypatch.setattr(_columnar, "COLUMNAR_FROM", 0 if columnar else 1 << 60)
    return rulelaw.load(folder)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_columnar_reader_gives_the_same_assessment(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every example read column by column equals it read row by row, and scores the same."""
    by_column = _load(folder, True, monkeypatch)
    by_row = _load(folder, False, monkeypatch)
    if len(by_row.evidence):  # a header-only file is left to the row reader
        assert by_column.evidence._observations is None  # it was read column by column
    assert by_column == by_row
    assert by_column.evidence.observations == by_row.evidence.observations
    assert by_column.sources == by_row.sources
    assert rulelaw.evaluate(by_column).to_json() == rulelaw.evaluate(by_row).to_json()


@pytest.mark.parametrize(
    ("edit", "columnar"),
    [
        (lambda t: t, True),
        (lambda t: t.replace("\n", "\r\n"), True),  # Excel's line ends
        (lambda t: t + "\n", False),  # a blank line: rows would be misnumbered
        (lambda t: t.replace("\ncity,", "\n city,", 1), False),  # a padded id
        (lambda t: t.replace("市委依法治市办", '"市委依法治市办,督察组"'), True),  # quoted comma
        (lambda t: t.replace("市委依法治市办", '"市委依法治市办\n督察组"'), False),  # line break
    ],
    ids=["plain", "crlf", "blank-line", "padded-id", "quoted-comma", "line-break-in-cell"],
)
def test_unusual_files_are_read_by_rows_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: object, columnar: bool
) -> None:
    """What the columnar reader cannot read without doubt it leaves to the row reader."""
    folder = tmp_path / "mini"
    shutil.copytree(ROOT / "tests" / "data" / "mini", folder)
    path = folder / "evidence.csv"
    path.write_bytes(edit(path.read_text(encoding="utf-8")).encode("utf-8"))  # type: ignore[operator]
    by_column = _load(folder, True, monkeypatch)
    by_row = _load(folder, False, monkeypatch)
    assert (by_column.evidence._observations is None) is columnar
    assert by_column.evidence.observations == by_row.evidence.observations


def test_gb18030_files_are_read_by_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file saved by Chinese Excel (GB18030) is converted, then read column by column."""
    folder = tmp_path / "mini"
    shutil.copytree(ROOT / "tests" / "data" / "mini", folder)
    path = folder / "evidence.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    by_column = _load(folder, True, monkeypatch)
    assert by_column.evidence._observations is None
    by_row = _load(folder, False, monkeypatch)
    assert by_column.evidence.observations == by_row.evidence.observations


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("2024-03-02;2024-05-09", "2024-05-09；2024-03-02"),  # full-width, out of order
        ("2024-03-02;2024-05-09", '" 2024-05-09 、 2024-03-02 ,2024-05-09，"'),  # padded, twice
        ("2024-03-02;2024-05-09", "; ;"),  # an empty list
        (",,,,,2024-03-02;2024-05-09,,", ",2024-03-02;2024-05-09,,,, ,,"),  # listed under value
        (",,,,,2024-03-02;2024-05-09,,", "na,,,,,not a date,,"),  # a state: the list is not read
    ],
    ids=["full-width", "padded", "empty", "in-value", "state"],
)
def test_lists_of_dates_are_read_by_columns_like_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str
) -> None:
    """Each way of writing a list of dates reads column by column as it reads row by row."""
    folder = tmp_path / "mini"
    shutil.copytree(ROOT / "tests" / "data" / "mini", folder)
    path = folder / "evidence.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    by_column = _load(folder, True, monkeypatch)
    by_row = _load(folder, False, monkeypatch)
    assert by_column.evidence._observations is None
    assert by_column.evidence.observations == by_row.evidence.observations


def _large_mini(folder: Path, units: int = 6000) -> None:
    """A copy of tests/data/mini with many more county units: a rate and a list of dates each.

    Its evidence.csv is large enough to be read column by column without
    lowering the threshold, in several blocks.
    """
    shutil.copytree(ROOT / "tests" / "data" / "mini", folder)
    separators = (";", "；", "、", ",", " ， ")
    unit_rows, evidence_rows = [], []
    for n in range(units):
        unit = f"county-{n:05}"
        unit_rows.append(f"{unit},县{n},county,county,city,\n")
        days = [f"2024-{1 + (n + 5 * k) % 12:02}-{1 + (3 * n + k) % 28:02}" for k in range(n % 40)]
        listed = separators[n % len(separators)].join(days)
        evidence_rows.append(f'{unit},1.1,,,{n % 50},50,,,,\n{unit},1.2,,,,,,"{listed}",,\n')
    with (folder / "units.csv").open("a", encoding="utf-8") as file:
        file.writelines(unit_rows)
    with (folder / "evidence.csv").open("a", encoding="utf-8") as file:
        file.writelines(evidence_rows)
    assert (folder / "evidence.csv").stat().st_size > _columnar.COLUMNAR_FROM


def test_a_large_file_is_read_by_columns_like_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of several blocks is read column by column, as it reads row by row."""
    folder = tmp_path / "large"
    _large_mini(folder)
    by_column = rulelaw.load(folder)
    assert by_column.evidence._observations is None
    monkeypatch.setattr(_columnar, "COLUMNAR_FROM", 1 << 60)
    by_row = rulelaw.load(folder)
    assert by_column.evidence.observations == by_row.evidence.observations
    assert by_column.evidence.columns.entries == by_row.evidence.columns.entries


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "2024-03-02;2024-05-09",
            "2024-03-02;2024-02-30",
            "evidence.csv, row 3, column 'dates': not a date "
            "(expected a date YYYY-MM-DD; got '2024-02-30')",
        ),
        (
            "county-b,1.1,missing",
            "county-b,1.1,lost",
            "evidence.csv, row 9, column 'status': unknown status (expected empty, 'na' "
            "(不适用), 'missing' (未报送) or 'false' (虚假); got 'lost')",
        ),
        (
            "市委依法治市办,2025-01-10",
            "市委依法治市办,2025-01-32",
            "evidence.csv, row 2, column 'date': not a date "
            "(expected a date YYYY-MM-DD; got '2025-01-32')",
        ),
    ],
    ids=["date-in-list", "status", "date"],
)
def test_a_bad_cell_in_a_large_file_gets_the_row_readers_error(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """The columnar reader steps aside; the problem is reported at its row and cell."""
    folder = tmp_path / "large"
    _large_mini(folder)
    path = folder / "evidence.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.load(folder)
    assert [str(e) for e in caught.value.errors] == [message]


@pytest.mark.parametrize("size", [3, 1 << 40], ids=["small", "past-64-bits"])
def test_combinations_are_numbered_in_first_seen_order(size: int) -> None:
    """Rows' combinations of codes are numbered as a dict of tuples numbers them.

    Codes whose product passes 64 bits are renumbered on the way; a column of
    one code throughout changes nothing.
    """
    rng = np.random.default_rng(7)
    codes = [rng.choice([0, 1, size - 1], 500) for _ in range(3)]
    number, first = _columnar._distinct(
        [(codes[0], size), (np.zeros(500, dtype=np.int64), 1), *((c, size) for c in codes[1:])]
    )
    seen: dict[tuple[int, ...], int] = {}
    rows = zip(*(c.tolist() for c in codes), strict=True)
    expected = [seen.setdefault(row, len(seen)) for row in rows]
    assert number.tolist() == expected
    assert first.tolist() == [expected.index(n) for n in range(len(seen))]


def _columns(units: list[int], indicators: list[int], entries: list[int]) -> EvidenceColumns:
    return EvidenceColumns(
        units=("a", "b"),
        indicators=("1.1", "1.2"),
        entries=((Count(value=3), "", None), (Count(value=5), "audit", None)),
        unit=np.array(units, dtype=np.int32),
        indicator=np.array(indicators, dtype=np.int32),
        entry=np.array(entries, dtype=np.int32),
    )


def test_evidence_from_columns_reads_like_observations() -> None:
    """get, has, len and observations of columnar evidence; a missing pair is NotSubmitted."""
    evidence = Evidence.from_columns(_columns([0, 1, 1], [0, 0, 1], [0, 0, 1]))
    assert len(evidence) == 3
    assert evidence.get("b", "1.2") == Observation(
        unit="b", indicator="1.2", value=Count(value=5), source="audit"
    )
    assert evidence.has("a", "1.1")
    assert not evidence.has("a", "1.2")
    assert not evidence.has("z", "1.1")
    assert evidence.get("a", "1.2").value == NotSubmitted(reason="no evidence row")
    assert [(o.unit, o.indicator) for o in evidence.observations] == [
        ("a", "1.1"),
        ("b", "1.1"),
        ("b", "1.2"),
    ]
    assert evidence == Evidence(observations=evidence.observations)


def test_evidence_from_columns_refuses_a_repeated_pair() -> None:
    """Two rows of one unit × indicator pair: the later row is named."""
    with pytest.raises(DataError) as caught:
        Evidence.from_columns(_columns([0, 1, 0], [0, 0, 0], [0, 0, 1]))
    assert str(caught.value) == (
        "observations[2]: two observations of indicator '1.1' for unit 'a' "
        "(expected one observation per unit and indicator)"
    )


def test_write_json_streams_the_same_document_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_json writes to_json's bytes; a failure half-way leaves the old file untouched."""
    result = rulelaw.evaluate(rulelaw.load(ROOT / "examples" / "demo-city"))
    target = tmp_path / "result.json"
    result.write_json(target)
    assert target.read_bytes() == result.to_json().encode("utf-8")

    from rulelaw.report import json as report_json

    def broken(result: object, stream: object, **options: object) -> None:
        stream.write(b'{"half": ')  # type: ignore[attr-defined]
        raise OSError("disk full")

    monkeypatch.setattr(report_json, "write_json", broken)
    with pytest.raises(OSError, match="disk full"):
        result.write_json(target)
    assert target.read_bytes() == result.to_json().encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]


def test_json_lines_assembled_in_runs_of_any_length(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Arrow-assembled lines do not depend on how many units a run holds."""
    from rulelaw.report import json as report_json

    result = rulelaw.evaluate(rulelaw.load(ROOT / "examples" / "demo-city"))
    whole = result.to_json()
    for size in (1, 7, 51):
        monkeypatch.setattr(report_json._BlockText, "CHUNK", size)
        assert result.to_json() == whole
    lines = json.loads(whole)["units"]
    assert [u["unit"] for u in lines] == [u.unit for u in result.units]
    first = result.units[0]
    assert [r["indicator"] for r in lines[0]["indicators"]] == [
        r.indicator for r in first.indicators
    ]
    assert lines[0]["indicators"][0]["points"] == str(first.indicators[0].points)


@given(st.lists(st.none() | st.text(), max_size=30))
def test_json_strings_in_arrow_are_written_as_json_dumps_writes_them(
    values: list[str | None],
) -> None:
    """Quoting in Arrow escapes exactly what json.dumps escapes, and None is null."""
    from rulelaw.report.json import _json_strings

    values = [v for v in values if v is None or not any(0xD800 <= ord(c) < 0xE000 for c in v)]
    expected = [json.dumps(v, ensure_ascii=False) for v in values]
    assert _json_strings(values).to_pylist() == expected
    assert _json_strings(values, few=True).to_pylist() == expected


@given(
    texts=st.lists(st.text(), min_size=5, max_size=5),
    lists=st.lists(st.lists(st.text(), max_size=3), min_size=2, max_size=2),
    grade=st.none() | st.text(),
    ranks=st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)),
    totals=st.tuples(
        st.decimals(0, 1000, places=2, allow_nan=False),
        st.decimals(0, 1000, places=2, allow_nan=False),
    ),
)
def test_a_units_head_is_put_together_as_json_dumps_writes_it(
    texts: list[str],
    lists: list[list[str]],
    grade: str | None,
    ranks: tuple[int, int],
    totals: tuple[Decimal, Decimal],
) -> None:
    """The head of a unit's line is assembled directly, byte for byte as json.dumps has it."""
    from rulelaw.engine import UnitResult
    from rulelaw.report.json import _dumps, _head_text, _unit_head

    unit = UnitResult(
        unit="u-1",
        name=texts[0],
        category=texts[1],
        level=texts[2],
        indicators=(),
        dimensions=(),
        adjustments=(),
        subtotal=totals[0],
        total=totals[1],
        vetoes=tuple(lists[0]),
        peer_group=texts[3],
        not_graded=texts[4],
        grade=grade,
        grade_label=grade,
        rank=ranks[0],
        rank_overall=ranks[1],
        grade_steps=tuple(lists[1]),
    )
    assert _head_text(unit) + "}" == _dumps(_unit_head(unit))


def test_json_numbers_are_formatted_once_whatever_their_size() -> None:
    """Counts of 0.01 become JSON strings, each distinct one once; Python ints past 64 bits too."""
    import numpy as np

    from rulelaw.report.json import _numbers

    texts, (small,) = _numbers(2, np.array([[0, 150], [7, 150]]))
    assert [texts[c] for c in small.ravel().tolist()] == ['"0.00"', '"1.50"', '"0.07"', '"1.50"']
    big = np.array([10**20, 5], dtype=object)
    texts, (first, second) = _numbers(2, big, np.array([5, 0]))
    assert texts == ['"0.00"', '"0.05"', '"1000000000000000000.00"']
    assert first.tolist() == [2, 1]
    assert second.tolist() == [1, 0]


def test_write_pieces_writes_every_piece_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches written by the thread keep the pieces' order, to a file or to memory."""
    import io

    from rulelaw.files import _write

    monkeypatch.setattr(_write, "BATCH", 10)
    pieces = [f"{i:03d}-".encode() * (i % 4) for i in range(200)]
    memory = io.BytesIO()
    _write.write_pieces(memory, iter(pieces))
    assert memory.getvalue() == b"".join(pieces)
    with (tmp_path / "out.bin").open("wb") as handle:
        _write.write_pieces(handle, iter(pieces))
    assert (tmp_path / "out.bin").read_bytes() == b"".join(pieces)


def test_write_pieces_to_a_file_survives_short_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gathered writes the system takes only in part are finished, after the stream's own bytes."""
    import os

    from rulelaw.files import _write

    real_writev = os.writev
    monkeypatch.setattr(_write, "BATCH", 50)
    monkeypatch.setattr(_write, "_IOV_MAX", 3)
    monkeypatch.setattr(os, "writev", lambda fd, group: real_writev(fd, [group[0][:2]]))
    pieces = [f"<{i}>".encode() * (i % 5) for i in range(100)]
    with (tmp_path / "out.bin").open("wb") as handle:
        handle.write(b"head;")
        _write.write_pieces(handle, iter(pieces))
    assert (tmp_path / "out.bin").read_bytes() == b"head;" + b"".join(pieces)


def test_write_pieces_passes_on_a_failure_of_the_pieces() -> None:
    """A piece that cannot be made stops the writing with its own error."""
    import io

    from rulelaw.files._write import write_pieces

    def pieces() -> Iterator[bytes]:
        yield b"x" * (5 << 20)
        raise ValueError("no more")

    memory = io.BytesIO()
    with pytest.raises(ValueError, match="no more"):
        write_pieces(memory, pieces())
    assert memory.getvalue() == b"x" * (5 << 20)  # the batch made before is written whole


@given(
    st.integers(0, 6).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(0, 9), min_size=columns, max_size=columns), max_size=8
        ).map(lambda rows: (rows, columns))
    )
)
def test_distinct_per_column_numbers_as_unique_per_column(
    case: tuple[list[list[int]], int],
) -> None:
    """One sort of the matrix numbers each column's values as ``np.unique`` column by column."""
    rows, columns = case
    matrix = np.array(rows, dtype=np.int64).reshape(len(rows), columns)
    value, first, number, bounds = _distinct_per_column(matrix, 10)
    assert len(bounds) == columns + 1
    assert bounds[0] == 0
    assert bounds[-1] == len(value)
    for j in range(columns):
        codes, first_at, inverse = np.unique(matrix[:, j], return_index=True, return_inverse=True)
        start, stop = bounds[j], bounds[j + 1]
        assert value[start:stop].tolist() == codes.tolist()
        assert first[start:stop].tolist() == first_at.tolist()
        assert (number[:, j] - start).tolist() == inverse.reshape(-1).tolist()


@given(
    st.lists(st.lists(st.sampled_from(["甲", "乙", "丙", "", " a", "b"]), max_size=6), max_size=5)
)
def test_column_of_chunks_keeps_first_seen_order(chunks: list[list[str]]) -> None:
    """Codes read from chunks with their own dictionaries equal one encoding of the whole."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = pa.dictionary(pa.int32(), pa.string())
    array = pa.chunked_array([pa.array(c, pa.string()).dictionary_encode() for c in chunks], kind)
    column = _columnar._Column.of(array)
    whole = pc.dictionary_encode(pa.array([cell for c in chunks for cell in c], pa.string()))
    assert column.cells == whole.dictionary.to_pylist()
    assert column.codes.tolist() == whole.indices.to_pylist()


def test_evidence_columns_sources() -> None:
    """``sources``: the distinct sources in first-seen order, and each entry's among them."""
    evidence = Evidence(
        [
            Observation(unit="u1", indicator="1.1", value=Count(value=1), source="台账"),
            Observation(unit="u2", indicator="1.1", value=Count(value=2)),
            Observation(unit="u3", indicator="1.1", value=Count(value=3), source="台账"),
        ]
    )
    distinct, of_entry = evidence.columns.sources
    assert distinct == ("台账", "")
    assert of_entry.tolist() == [0, 1, 0]
