"""Assessment folders as files: encodings, never writing inputs, dumping, CSV niceties."""

from __future__ import annotations

import hashlib
import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import rulelaw
import rulelaw.files._write
from rulelaw import (
    DataError,
    EncodingError,
    Flag,
    FlagValue,
    Level,
    NotApplicable,
    NotSubmitted,
    Observation,
    Rate,
    UndefinedRate,
)
from rulelaw.files import scheme_from_text, scheme_to_text

Snapshot = dict[str, tuple[str, int]]


def _snapshot(folder: Path) -> Snapshot:
    """Every file under ``folder``: the SHA-256 of its bytes and its mtime in ns."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _reencode(source: Path, target: Path, encoding: str, newline: str = "\n") -> Path:
    """A copy of the folder ``source`` with every file written in ``encoding``."""
    target.mkdir()
    for path in source.iterdir():
        text = path.read_text(encoding="utf-8").replace("\n", newline)
        (target / path.name).write_bytes(text.encode(encoding))
    return target


def _errors(folder: Path) -> list[str]:
    with pytest.raises(rulelaw.ValidationError) as info:
        rulelaw.load(folder)
    return [str(e) for e in info.value.errors]


def _observation(assessment: rulelaw.Assessment, unit: str, indicator: str) -> Observation:
    assert assessment.evidence.has(unit, indicator)
    return assessment.evidence.get(unit, indicator)


# -- encodings -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_reencoded_folder_loads_equal(mini_path: Path, tmp_path: Path, encoding: str) -> None:
    """The mini folder saved as UTF-8 with BOM or as GB18030 loads to an equal assessment."""
    folder = _reencode(mini_path, tmp_path / encoding, encoding)
    assert (folder / "units.csv").read_bytes() != (mini_path / "units.csv").read_bytes()
    loaded = rulelaw.load(folder)
    assert loaded == rulelaw.load(mini_path)
    assert loaded.unit("county-a").name == "甲县"
    assert (
        loaded.sources["units.csv"]
        == hashlib.sha256((folder / "units.csv").read_bytes()).hexdigest()
    )


def test_windows_line_endings_load_equal(mini_path: Path, tmp_path: Path) -> None:
    """Files saved with CRLF line endings (as Excel writes them) load to an equal assessment."""
    folder = _reencode(mini_path, tmp_path / "crlf", "gb18030", newline="\r\n")
    assert rulelaw.load(folder) == rulelaw.load(mini_path)


def test_undecodable_csv_names_file_and_byte(mini_copy: Path) -> None:
    """A CSV file valid in neither UTF-8 nor GB18030 is an EncodingError at its first bad byte."""
    head = b"unit,indicator,status\ncity,1.1,"
    (mini_copy / "evidence.csv").write_bytes(head + b"\xff\xff\n")
    with pytest.raises(rulelaw.ValidationError) as info:
        rulelaw.load(mini_copy)
    [error] = info.value.errors
    assert type(error) is EncodingError
    assert (error.file, error.where) == ("evidence.csv", "byte 31")
    assert str(error) == (
        "evidence.csv, byte 31: cannot read the file's text encoding "
        "(expected UTF-8 (with or without BOM) or GB18030; got b'\\xff\\xff\\n')"
    )


def test_undecodable_scheme_is_encoding_error(mini_copy: Path) -> None:
    """An undecodable scheme.toml is an EncodingError naming the file and the byte."""
    data = (mini_copy / "scheme.toml").read_bytes()
    (mini_copy / "scheme.toml").write_bytes(data + b"\xff\xff\n")
    with pytest.raises(rulelaw.ValidationError) as info:
        rulelaw.load(mini_copy)
    [error] = info.value.errors
    assert (error.file, error.where) == ("scheme.toml", f"byte {len(data)}")
    assert isinstance(error, EncodingError)


# -- inputs are never written ------------------------------------------------------------


def test_load_and_validate_leave_inputs_alone(mini_copy: Path) -> None:
    """Loading and validating a valid folder changes no byte, no mtime and adds no file."""
    before = _snapshot(mini_copy)
    rulelaw.load(mini_copy)
    assert rulelaw.validate(mini_copy) == []
    rulelaw.load_scheme(mini_copy / "scheme.toml")
    assert _snapshot(mini_copy) == before


def test_failing_load_leaves_inputs_alone(mini_copy: Path) -> None:
    """A load that fails on bad input changes no byte, no mtime and adds no file."""
    _edit(mini_copy, "evidence.csv", "city,1.1,,,45,50", "city,1.1,,,55,50")
    _edit(mini_copy, "scheme.toml", '"1" = 40', '"1" = 45')
    before = _snapshot(mini_copy)
    with pytest.raises(rulelaw.ValidationError):
        rulelaw.load(mini_copy)
    assert len(rulelaw.validate(mini_copy)) == 2
    assert _snapshot(mini_copy) == before


# -- dumping ---------------------------------------------------------------------------


def test_dump_then_load_round_trips(mini_path: Path, tmp_path: Path) -> None:
    """An assessment dumped to a new folder loads back equal, from exactly the five files."""
    original = rulelaw.load(mini_path)
    target = tmp_path / "out" / "mini"
    rulelaw.dump(original, target)
    assert sorted(p.name for p in target.iterdir()) == [
        "evidence.csv",
        "people.csv",
        "scheme.toml",
        "tenures.csv",
        "units.csv",
    ]
    assert rulelaw.load(target) == original
    assert sorted(p.name for p in target.parent.iterdir()) == ["mini"]


def test_dump_into_empty_folder(mini_path: Path, tmp_path: Path) -> None:
    """An existing empty folder is an acceptable target for dump."""
    original = rulelaw.load(mini_path)
    target = tmp_path / "empty"
    target.mkdir()
    rulelaw.dump(original, target)
    assert rulelaw.load(target) == original


def test_dump_refuses_non_empty_folder(mini_path: Path, tmp_path: Path) -> None:
    """Dump refuses a folder that holds files, and leaves the folder and its parent as they were."""
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("上一年度的材料\n", encoding="utf-8")
    before = _snapshot(tmp_path)
    with pytest.raises(DataError) as info:
        rulelaw.dump(rulelaw.load(mini_path), target)
    assert str(info.value) == (
        f"{target}: refusing to write into an existing folder (expected a new or empty folder)"
    )
    assert _snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_scheme_text_round_trips(mini_path: Path) -> None:
    """scheme_to_text and scheme_from_text round-trip a scheme, and the text is stable."""
    scheme = rulelaw.load_scheme(mini_path / "scheme.toml")
    text = scheme_to_text(scheme)
    assert text.startswith("# 迷你市法治政府建设考核\n# scheme mini-2024, version 1\n\n")
    again = scheme_from_text(text)
    assert again == scheme
    assert scheme_to_text(again) == text


def test_dump_scheme_writes_whole_file(mini_path: Path, tmp_path: Path) -> None:
    """dump_scheme replaces a file with a readable scheme and leaves no temporary file."""
    scheme = rulelaw.load_scheme(mini_path / "scheme.toml")
    target = tmp_path / "scheme.toml"
    target.write_text("# 旧方案\n", encoding="utf-8")
    rulelaw.dump_scheme(scheme, target)
    assert [p.name for p in tmp_path.iterdir()] == ["scheme.toml"]
    assert target.read_text(encoding="utf-8") == scheme_to_text(scheme)
    assert rulelaw.load_scheme(target) == scheme


class _OsFailingReplace:
    """The ``os`` module, except that ``replace`` fails as a full disk would."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")


def test_dump_scheme_failure_keeps_old_file(
    mini_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dump_scheme that fails before the rename keeps the old file whole and no temp file."""
    scheme = rulelaw.load_scheme(mini_path / "scheme.toml")
    target = tmp_path / "scheme.toml"
    target.write_text("# 旧方案\n", encoding="utf-8")
    monkeypatch.setattr(rulelaw.files._write, "os", _OsFailingReplace())
    with pytest.raises(OSError, match="No space left on device"):
        rulelaw.dump_scheme(scheme, target)
    assert [p.name for p in tmp_path.iterdir()] == ["scheme.toml"]
    assert target.read_text(encoding="utf-8") == "# 旧方案\n"


def test_dump_failure_leaves_no_folder(
    mini_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dump that fails before the rename leaves neither the folder nor a temporary one."""
    assessment = rulelaw.load(mini_path)
    monkeypatch.setattr(rulelaw.files._write, "os", _OsFailingReplace())
    with pytest.raises(OSError, match="No space left on device"):
        rulelaw.dump(assessment, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


# -- CSV niceties ------------------------------------------------------------------------


def test_blank_lines_are_skipped(mini_path: Path, mini_copy: Path) -> None:
    """Blank and all-empty lines in CSV files are skipped; the assessment is unchanged."""
    _edit(mini_copy, "units.csv", "county-a,", "\n\ncounty-a,")
    _edit(mini_copy, "evidence.csv", "county-b,", ",,,,,,,,,\n   \ncounty-b,")
    _edit(mini_copy, "people.csv", "p3,", "\np3,")
    assert rulelaw.load(mini_copy) == rulelaw.load(mini_path)


def test_rows_after_blank_lines_keep_spreadsheet_numbers(mini_copy: Path) -> None:
    """A problem below blank lines is reported at the row number a spreadsheet shows."""
    _edit(mini_copy, "people.csv", "p3,沈一苇\n", "p3,沈一苇\n\n\np2,周望川\n")
    assert _errors(mini_copy) == ["people.csv, row 7, column 'id': duplicate person id 'p2'"]


def test_chinese_level_names(mini_copy: Path) -> None:
    """Levels may be written 市, 县 and 乡镇 (and 区 for a county-level district)."""
    _edit(mini_copy, "units.csv", "city,迷你市,city,", "city,迷你市,市,")
    _edit(mini_copy, "units.csv", "county-a,甲县,county,", "county-a,甲县,县,")
    _edit(mini_copy, "units.csv", "county-b,乙区,区,", "county-b,乙区,乡镇,")
    assessment = rulelaw.load(mini_copy)
    assert [(u.id, u.level) for u in assessment.units] == [
        ("city", Level.CITY),
        ("county-a", Level.COUNTY),
        ("county-b", Level.TOWNSHIP),
        ("dept-justice", Level.CITY),
    ]


def test_district_is_county_level(mini_path: Path) -> None:
    """区 in the mini folder reads as the county level."""
    assert rulelaw.load(mini_path).unit("county-b").level is Level.COUNTY


def test_chinese_flag_words(mini_copy: Path) -> None:
    """Flags may be written 是, 否 and 部分 (部分 with its reason)."""
    _edit(mini_copy, "evidence.csv", "city,2.2,,yes,", "city,2.2,,是,")
    _edit(mini_copy, "evidence.csv", "county-a,2.2,,partly,", "county-a,2.2,,部分,")
    assessment = rulelaw.load(mini_copy)
    assert [
        _observation(assessment, unit, "2.2").value for unit in ("city", "county-a", "dept-justice")
    ] == [
        Flag(value=FlagValue.YES),
        Flag(value=FlagValue.PARTLY, reason="顾问合同到期未续"),
        Flag(value=FlagValue.NO),
    ]


def test_percent_with_sign(mini_path: Path) -> None:
    """A rate given as '98.5%' is that percentage, exactly."""
    value = _observation(rulelaw.load(mini_path), "county-a", "1.1").value
    assert value == Rate(percent=Decimal("98.5"))
    assert isinstance(value, Rate)
    assert value.fraction == Fraction(197, 200)


def test_counts_make_a_rate(mini_path: Path) -> None:
    """Numerator and denominator give a rate from counts, with the source and date kept."""
    observation = _observation(rulelaw.load(mini_path), "city", "1.1")
    assert observation.value == Rate(numerator=45, denominator=50)
    assert (observation.source, str(observation.date)) == ("市委依法治市办", "2025-01-10")


def test_zero_of_zero_is_undefined_rate(mini_path: Path) -> None:
    """Counts 0 of 0 give UndefinedRate, neither 0% nor 100%."""
    assert _observation(rulelaw.load(mini_path), "city", "2.1").value == UndefinedRate()


@pytest.mark.parametrize("word", ["na", "NA", "不适用"])
def test_status_not_applicable(mini_copy: Path, word: str) -> None:
    """Status 'na' and '不适用' read as NotApplicable with the row's reason."""
    _edit(mini_copy, "evidence.csv", "county-a,2.1,na,", f"county-a,2.1,{word},")
    value = _observation(rulelaw.load(mini_copy), "county-a", "2.1").value
    assert value == NotApplicable(reason="本年度无重大决策")


@pytest.mark.parametrize("word", ["missing", "未报送"])
def test_status_missing(mini_copy: Path, word: str) -> None:
    """Status 'missing' and '未报送' read as NotSubmitted."""
    _edit(mini_copy, "evidence.csv", "county-b,1.1,missing,", f"county-b,1.1,{word},")
    assert _observation(rulelaw.load(mini_copy), "county-b", "1.1").value == NotSubmitted()


def test_unknown_status(mini_copy: Path) -> None:
    """An unknown status word is reported at its cell with the words allowed."""
    _edit(mini_copy, "evidence.csv", "county-b,1.1,missing,", "county-b,1.1,later,")
    assert _errors(mini_copy) == [
        "evidence.csv, row 9, column 'status': unknown status "
        "(expected empty, 'na' (不适用), 'missing' (未报送) or 'false' (虚假); got 'later')"
    ]


def test_more_cells_than_columns(mini_copy: Path) -> None:
    """A row with more cells than the header has columns is reported at that row."""
    _edit(mini_copy, "people.csv", "p3,沈一苇\n", "p3,沈一苇\np4,多格,多余\n")
    assert _errors(mini_copy) == [
        "people.csv, row 5: more cells than columns (expected 2 cells; got 3)"
    ]


def test_fewer_cells_than_columns(mini_copy: Path) -> None:
    """A row cut short leaves its last columns empty, as a spreadsheet would."""
    _edit(
        mini_copy,
        "tenures.csv",
        "p2,county-a,party-head,2024-07-01,",
        "p2,county-a,party-head,2024-07-01",
    )
    assert rulelaw.load(mini_copy).tenures[1].end is None


def test_missing_evidence_row_is_not_submitted(mini_path: Path) -> None:
    """A unit and indicator with no evidence row read as NotSubmitted('no evidence row')."""
    evidence = rulelaw.load(mini_path).evidence
    assert not evidence.has("county-b", "2.2")
    assert evidence.get("county-b", "2.2") == Observation(
        unit="county-b", indicator="2.2", value=NotSubmitted(reason="no evidence row")
    )
