"""An assessment's tables (assessment_frames) and an assessment read from tables (from_frames)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import rulelaw
from rulelaw import DataError, ValidationError
from rulelaw.files import FRAME_NAMES, _frames

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"
DEMO = ROOT / "examples" / "demo-city"


def _as_text(folder: Path) -> dict[str, pd.DataFrame]:
    """Each CSV file of a folder as a pandas frame of its cells as they are (texts)."""
    found = {}
    for name in FRAME_NAMES:
        path = folder / f"{name}.csv"
        if path.exists():
            found[name] = pd.read_csv(path, dtype=str, keep_default_na=False)
    return found


SURVEY = ROOT / "examples" / "survey"
RUBRICS = ROOT / "examples" / "rubrics"


@pytest.mark.parametrize(
    "folder", [DEMO, MINI, SURVEY, RUBRICS], ids=["demo-city", "mini", "survey", "rubrics"]
)
@pytest.mark.parametrize("kind", ["arrow", "pandas", "polars"])
def test_round_trip_gives_the_same_json(folder: Path, kind: str) -> None:
    """Folder → frames → from_frames → evaluate: the same JSON document, byte for byte."""
    loaded = rulelaw.load(folder)
    frames = rulelaw.assessment_frames(loaded)
    given = {
        "arrow": dict(frames),
        "pandas": frames.to_pandas(),
        "polars": frames.to_polars(),
    }[kind]
    again = rulelaw.from_frames(loaded.scheme, **given, sources=loaded.sources)
    assert again == loaded
    assert rulelaw.evaluate(again).to_json() == rulelaw.evaluate(loaded).to_json()


def test_round_trip_column_by_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large evidence frame is read column by column: the same assessment as row by row."""
    monkeypatch.setattr(_frames, "COLUMNAR_ROWS", 0)
    loaded = rulelaw.load(DEMO)
    frames = rulelaw.assessment_frames(loaded).to_pandas()
    by_columns = rulelaw.from_frames(loaded.scheme, **frames, sources=loaded.sources)
    by_rows = rulelaw.from_frames(loaded.scheme, **frames, sources=loaded.sources, reference=True)
    assert by_columns == by_rows == loaded
    assert rulelaw.evaluate(by_columns).to_json() == rulelaw.evaluate(loaded).to_json()


def test_assessment_tables() -> None:
    """Every table, each with its file's columns: days as dates, ``signed`` yes or no, else text."""
    frames = rulelaw.assessment_frames(rulelaw.load(DEMO))
    assert list(frames) == [
        "units",
        "people",
        "tenures",
        "evidence",
        "adjustments",
        "reports",
        "ballots",
        "problems",
        "problem_status",
        "filings",
        "survey",
    ]
    assert frames.evidence.num_rows == 1421
    assert frames.evidence.column_names == [
        "unit",
        "indicator",
        "status",
        "value",
        "numerator",
        "denominator",
        "reason",
        "dates",
        "source",
        "date",
        "amount",
    ]
    assert frames.evidence.schema.field("date").type == pa.date32()
    assert frames.evidence.schema.field("value").type == pa.string()
    first = frames.evidence.slice(0, 1).to_pylist()[0]
    assert first == {
        "unit": "county-01",
        "indicator": "1.1.1",
        "status": None,
        "value": "5",
        "numerator": None,
        "denominator": None,
        "reason": None,
        "dates": None,
        "source": "市委依法治市办",
        "date": dt.date(2025, 1, 14),
        "amount": None,
    }
    tenures = frames.tenures
    assert tenures.schema.field("start").type == pa.date32()
    assert tenures.slice(0, 1).to_pylist()[0] == {
        "person": "p-001",
        "unit": "county-01",
        "role": "party-head",
        "start": dt.date(2018, 12, 27),
        "end": None,
    }
    assert frames.reports.schema.field("signed").type == pa.bool_()
    assert frames.units.column_names[-1] == "kind"  # an attribute of the units
    assert frames.ballots.column_names == ["report", "group", "rater", "value", "origin"]
    assert frames.ballots["origin"].to_pylist()[0] == "ballots.csv, row 2"


def test_mini_tables_empty_but_typed() -> None:
    """A table the folder has no file for is empty, with its columns."""
    frames = rulelaw.assessment_frames(rulelaw.load(MINI))
    assert frames.adjustments.num_rows == 0
    assert frames.adjustments.column_names == [
        "unit",
        "item",
        "achievement",
        "level",
        "date",
        "reason",
        "source",
    ]
    pandas = frames.to_pandas()
    assert len(pandas["units"]) == 4
    assert list(pandas["evidence"]["unit"]) == ["city"] * 4 + ["county-a"] * 3 + [
        "county-b",
        "dept-justice",
        "dept-justice",
        "dept-justice",
    ]


def _broken(tmp_path: Path) -> Path:
    """The mini folder with problems in several files, of every sort the loader finds."""
    folder = tmp_path / "broken"
    shutil.copytree(MINI, folder)
    evidence = (folder / "evidence.csv").read_text(encoding="utf-8").splitlines()
    evidence[1] = "city,1.1,,,45,abc,,,市委依法治市办,2025-01-10"  # a count that is no number
    evidence[3] = "city,2.1,,,0,0,,,,2025-13-01"  # no such day
    evidence.append("nowhere,1.1,,90%,,,,,,")  # an unknown unit
    evidence.append("city,9.9,,1,,,,,,")  # an unknown indicator
    evidence.append("city,2.2,,no,,,,,,")  # the pair again
    (folder / "evidence.csv").write_text("\n".join(evidence) + "\n", encoding="utf-8")
    units = (folder / "units.csv").read_text(encoding="utf-8").splitlines()
    units[2] = "county-a,甲县,县,county,city,"  # a level that is no level
    (folder / "units.csv").write_text("\n".join(units) + "\n", encoding="utf-8")
    tenures = (folder / "tenures.csv").read_text(encoding="utf-8").splitlines()
    tenures.append("p9,county-a,party-head,2024-01-01,")  # an unknown person
    (folder / "tenures.csv").write_text("\n".join(tenures) + "\n", encoding="utf-8")
    return folder


def _where(error: rulelaw.InputError) -> tuple[object, ...]:
    return (error.code, error.params, error.column, error.expected, error.got)


def test_same_problems_as_the_files(tmp_path: Path) -> None:
    """Every problem a folder's files have, the same frames have: at the frame, row − 2, column.

    A CSV file's first row below the header is row 2; a frame's is row 0.
    """
    folder = _broken(tmp_path)
    with pytest.raises(ValidationError) as files:
        rulelaw.load(folder)
    with pytest.raises(ValidationError) as frames:
        rulelaw.from_frames(rulelaw.load_scheme(folder / "scheme.toml"), **_as_text(folder))
    from_files, from_frames = files.value.errors, frames.value.errors
    assert len(from_files) == len(from_frames) >= 7
    for file_error, frame_error in zip(from_files, from_frames, strict=True):
        assert frame_error.file == f"{file_error.file.removesuffix('.csv')} (frame)"
        assert frame_error.row == file_error.row - 2
        assert _where(frame_error) == _where(file_error)
        shown = frame_error.text().replace(frame_error.file, file_error.file)
        shown = shown.replace(f"row {frame_error.row}", f"row {file_error.row}", 1)
        assert shown == file_error.text()
    assert str(frames.value).splitlines()[0] == "8 problems in the frames of scheme 'mini-2024':"


def test_problem_named_by_frame_row_and_column(tmp_path: Path) -> None:
    """The message names the frame, the row ``iloc`` reads and the column."""
    frames = _as_text(MINI)
    evidence = frames["evidence"].copy()
    evidence.loc[0, "denominator"] = "abc"
    with pytest.raises(ValidationError) as caught:
        rulelaw.from_frames(MINI, units=frames["units"], evidence=evidence)
    (error,) = caught.value.errors
    assert error.file == "evidence (frame)"
    assert (error.row, error.column) == (0, "denominator")
    assert str(error).startswith("evidence (frame), row 0, column 'denominator': ")
    assert error.text("zh-CN").startswith("evidence (frame)，第0行“denominator”列")


def test_missing_table_and_not_a_table() -> None:
    """``units`` and ``evidence`` are needed; a value that is no table is named with its type."""
    frames = _as_text(MINI)
    with pytest.raises(ValidationError) as caught:
        rulelaw.from_frames(MINI, units=None, evidence=[1, 2])
    texts = [str(e) for e in caught.value.errors]
    assert texts == [
        "units (frame): missing table (expected a table given as units=)",
        "evidence (frame): not a table (expected a pandas or polars DataFrame, or an Arrow "
        "table; got 'list')",
    ]
    assert all(isinstance(e, DataError) for e in caught.value.errors)
    assert rulelaw.from_frames(MINI, units=frames["units"], evidence=frames["evidence"])


def test_header_problems_name_no_row() -> None:
    """A frame's column names are no row: a missing or unknown column is at the frame alone."""
    frames = _as_text(MINI)
    evidence = frames["evidence"].rename(columns={"numerator": "numarator", "unit": "who"})
    with pytest.raises(ValidationError) as caught:
        rulelaw.from_frames(MINI, units=frames["units"], evidence=evidence)
    first, second, *_ = caught.value.errors
    assert str(first) == (
        "evidence (frame): missing column 'unit' (expected columns unit, indicator; got 'who, "
        "indicator, status, value, numarator, denominator, reason, dates, source, date')"
    )
    assert first.row is None
    assert first.code == "csv.missing-column"
    assert second.code == "csv.unknown-column"


def test_typed_cells() -> None:
    """Numbers, floats with NaN, decimals, dates, timestamps at midnight and lists read as text.

    45.0 and 50.0 are read as 45 and 50 (a rate of 90%), NaN as an empty cell.
    """
    frames = _as_text(MINI)
    evidence = frames["evidence"].astype(object).replace("", None)
    evidence["numerator"] = pd.to_numeric(evidence["numerator"])  # float64 with NaN
    evidence["denominator"] = [None if v is None else Decimal(v) for v in evidence["denominator"]]
    evidence["date"] = pd.to_datetime(evidence["date"])  # datetime64 at midnight
    evidence["dates"] = [
        None if v is None else [dt.date.fromisoformat(d) for d in v.split(";")]
        for v in evidence["dates"]
    ]
    assert evidence["numerator"].dtype == "float64"
    tenures = frames["tenures"].astype(object).replace("", None)
    tenures["start"] = pd.to_datetime(tenures["start"])
    loaded = rulelaw.load(MINI)
    again = rulelaw.from_frames(
        MINI,
        units=frames["units"],
        people=frames["people"],
        tenures=tenures,
        evidence=evidence,
        sources=loaded.sources,
    )
    assert again == loaded
    assert rulelaw.evaluate(again).to_json() == rulelaw.evaluate(loaded).to_json()


def test_polars_and_arrow_given_directly() -> None:
    """Polars frames and Arrow tables (and record batches) are read as pandas frames are."""
    frames = _as_text(MINI)
    loaded = rulelaw.load(MINI)
    as_polars = {name: pl.from_pandas(f) for name, f in frames.items()}
    assert rulelaw.from_frames(MINI, **as_polars) == loaded
    as_batches = {
        name: pa.RecordBatch.from_pandas(f, preserve_index=False) for name, f in frames.items()
    }
    assert rulelaw.from_frames(MINI, **as_batches) == loaded


def test_sources_by_default() -> None:
    """By default the sources are the scheme file's SHA-256 and each frame's own digest.

    The same cells give the same digest; a changed cell another.
    """
    frames = _as_text(MINI)
    one = rulelaw.from_frames(MINI, **frames)
    two = rulelaw.from_frames(MINI, **{k: v.copy() for k, v in frames.items()})
    assert sorted(one.sources) == [
        "evidence (frame)",
        "people (frame)",
        "scheme.toml",
        "tenures (frame)",
        "units (frame)",
    ]
    scheme = hashlib.sha256((MINI / "scheme.toml").read_bytes()).hexdigest()
    assert one.sources["scheme.toml"] == scheme
    assert dict(one.sources) == dict(two.sources)
    changed = frames["people"].copy()
    changed.loc[0, "name"] = "林晓"
    three = rulelaw.from_frames(MINI, **{**frames, "people": changed})
    assert three.sources["people (frame)"] != one.sources["people (frame)"]
    assert three.sources["units (frame)"] == one.sources["units (frame)"]
    # a Scheme value has no file: only the frames are recorded
    four = rulelaw.from_frames(rulelaw.load_scheme(MINI / "scheme.toml"), **frames)
    assert "scheme.toml" not in four.sources


def test_ballots_origin() -> None:
    """A ballot's origin is its frame and row, unless the frame says where it came from."""
    loaded = rulelaw.load(DEMO)
    frames = rulelaw.assessment_frames(loaded).to_pandas()
    plain = frames["ballots"].drop(columns=["origin"])
    again = rulelaw.from_frames(loaded.scheme, **{**frames, "ballots": plain})
    rejected = rulelaw.evaluate(again).rejected_ballots
    assert [b.origin for b in rejected] == ["ballots (frame), row 134", "ballots (frame), row 135"]
    kept = rulelaw.evaluate(rulelaw.from_frames(loaded.scheme, **frames)).rejected_ballots
    assert [b.origin for b in kept] == ["ballots.csv, row 136", "ballots.csv, row 137"]


def test_a_column_without_text() -> None:
    """A column of a type that has no text (a structure) is a problem at the frame and column."""
    frames = _as_text(MINI)
    people = pa.table({"id": ["p1"], "name": pa.array([{"a": 1}])})
    with pytest.raises(ValidationError) as caught:
        rulelaw.from_frames(MINI, units=frames["units"], evidence=frames["evidence"], people=people)
    (error,) = [e for e in caught.value.errors if e.file == "people (frame)"]
    assert str(error) == (
        "people (frame): column 'name' of type struct<a: int64> cannot be read "
        "(expected texts, numbers, decimals, yes or no, dates, or lists of these)"
    )
