"""Regressions of the hardening round: each test is named after a defect fuzzing or embedding found.

Every one of these inputs used to end in a raw exception (or a hang); each now
gives a rulelaw error naming the file and the place, or scores exactly.
"""

from __future__ import annotations

import copy
import os
import pickle
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pendulum
import pytest

import rulelaw
from rulelaw import RoundingMode
from rulelaw.engine import time_in_post
from rulelaw.model import count_of, round_fraction
from rulelaw.model import round_quotient as _div_round


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder: Path, **options: Any) -> list[str]:
    """The problems loading finds, as English texts; each has a code and reads in Chinese."""
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.load(folder, **options)
    for error in caught.value.errors:
        assert error.code is not None, str(error)
        assert error.text("zh-CN") != str(error)
    return [str(e) for e in caught.value.errors]


def _reference(a: rulelaw.Assessment) -> rulelaw.Evaluation:
    """The evaluation with every unit the reference way (one unit at a time, no arrays)."""
    return rulelaw.evaluate(a, reference=True)


# -- files that are not what they should be -------------------------------------------


def test_csv_cell_longer_than_the_field_limit(mini_copy: Path) -> None:
    """A cell of 200,000 characters is refused at its row, not a ``_csv.Error``."""
    _edit(mini_copy, "evidence.csv", "本年度无重大决策", "很" * 200_000)
    assert _problems(mini_copy) == [
        "evidence.csv, row 7: a cell longer than 131,072 characters "
        "(expected cells of at most 131,072 characters)"
    ]


def test_a_file_whose_line_ends_are_lost_is_reported_briefly(mini_copy: Path) -> None:
    """Line ends turned to NULs make one header of every cell: each name judged once.

    Ten unknown columns are named and the rest counted, not one problem per cell.
    """
    path = mini_copy / "evidence.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\0"))
    header = path.read_bytes().split(b",")
    problems = _problems(mini_copy)
    unknown = [p for p in problems if "unknown column" in p]
    allowed = ("unit", "indicator", "status", "value", "numerator", "denominator", "reason")
    named = {cell.strip().decode() for cell in header} - {*allowed, "dates", "source"}
    assert len(unknown) == 11
    assert unknown[-1] == (
        f"evidence.csv, row 1 (header): and {len(named) - 10} more unknown columns "
        "(is this the file's header?)"
    )
    assert problems.count("evidence.csv, row 1: a column without a name") == 1
    assert not [p for p in problems if "appears more than once" in p]
    assert len(problems) == 12


def test_a_column_named_twice_is_reported_once(mini_copy: Path) -> None:
    """A known column twice is one problem, however many times it is repeated."""
    _edit(mini_copy, "evidence.csv", "numerator,", "numerator,numerator,numerator,")
    assert _problems(mini_copy) == [
        "evidence.csv, row 1 (header): column 'numerator' appears more than once"
    ]


def test_directory_where_a_file_belongs(mini_copy: Path) -> None:
    """``people.csv/`` (a directory) is named as such, not an ``IsADirectoryError``."""
    (mini_copy / "people.csv").unlink()
    (mini_copy / "people.csv").mkdir()
    problems = _problems(mini_copy)
    assert problems[0] == "people.csv: not a regular file (a directory) (expected a file)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_as_evidence_is_refused_without_blocking(mini_copy: Path) -> None:
    """A FIFO as ``evidence.csv`` is refused at once (opening it would block for ever)."""
    (mini_copy / "evidence.csv").unlink()
    os.mkfifo(mini_copy / "evidence.csv")
    assert _problems(mini_copy) == [
        "evidence.csv: not a regular file (a FIFO (named pipe)) (expected a file)"
    ]


def test_symlink_loop_for_an_optional_file_is_reported(mini_copy: Path) -> None:
    """An optional file that is a link to itself is reported, not taken as absent."""
    os.symlink(mini_copy / "adjustments.csv", mini_copy / "adjustments.csv")
    assert _problems(mini_copy) == ["adjustments.csv: a symbolic link that loops (expected a file)"]


def test_dangling_symlink_is_reported(mini_copy: Path) -> None:
    """A link to nothing is reported for what it is, even for an optional file."""
    os.symlink(mini_copy / "gone.csv", mini_copy / "filings.csv")
    assert _problems(mini_copy) == ["filings.csv: a symbolic link to nothing (expected a file)"]


def test_symlink_outside_the_folder_is_refused_unless_allowed(
    mini_copy: Path, tmp_path: Path
) -> None:
    """A link out of the folder is refused (its text never shown); an option allows it."""
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("id,name\np1,秘密的名字\np2,周望川\np3,沈一苇\n", encoding="utf-8")
    (mini_copy / "people.csv").unlink()
    os.symlink(outside, mini_copy / "people.csv")
    problems = _problems(mini_copy)
    assert problems[0] == (
        "people.csv: a symbolic link that leads outside the assessment folder (expected a file "
        "inside the folder (or allow links outside: outside_links=True, --outside-links))"
    )
    assert "秘密" not in "\n".join(problems)
    assert rulelaw.load(mini_copy, outside_links=True).person("p1").name == "秘密的名字"


def test_symlink_inside_the_folder_is_followed(mini_copy: Path) -> None:
    """A link to another file of the same folder is read like the file."""
    (mini_copy / "data").mkdir()
    (mini_copy / "people.csv").rename(mini_copy / "data" / "people.csv")
    os.symlink(Path("data") / "people.csv", mini_copy / "people.csv")
    assert rulelaw.load(mini_copy).person("p1").name == "林晓舟"


def test_load_scheme_of_a_missing_file_is_a_validation_error(tmp_path: Path) -> None:
    """``load_scheme`` of a path with nothing there says so, not ``FileNotFoundError``."""
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.load_scheme(tmp_path / "scheme.toml")
    assert [e.problem for e in caught.value.errors] == ["no such file"]


# -- TOML ----------------------------------------------------------------------------


def test_toml_nested_500_deep_is_refused_at_its_line(mini_copy: Path) -> None:
    """500 nested arrays overflow the parser's stack: refused at the line, no ``RecursionError``."""
    _edit(mini_copy, "scheme.toml", 'version = "1"', 'version = "1"\nx = ' + "[" * 500 + "]" * 500)
    assert _problems(mini_copy) == [
        "scheme.toml, line 5, column 69: arrays or tables nested more than 64 deep "
        "(expected at most 64 levels)"
    ]


def test_toml_nested_100_deep_is_refused_at_its_key_path(mini_copy: Path) -> None:
    """Nesting the parser reads but the scheme may not hold is refused at its key path."""
    _edit(mini_copy, "scheme.toml", 'version = "1"', 'version = "1"\nx = ' + "[" * 100 + "]" * 100)
    assert _problems(mini_copy) == [
        "scheme.toml, $.x" + "[0]" * 64 + ": arrays or tables nested more than 64 deep "
        "(expected at most 64 levels)"
    ]


def test_toml_integer_of_more_than_4300_digits(mini_copy: Path) -> None:
    """An integer Python will not read (without a process-wide setting) is refused at its place."""
    _edit(mini_copy, "scheme.toml", '"1.1" = 20\n"1.2"', '"1.1" = ' + "1" * 5000 + '\n"1.2"')
    assert _problems(mini_copy) == [
        "scheme.toml, line 58, column 9: an integer of more than 4,300 digits "
        "(expected a shorter number)"
    ]
    assert sys.get_int_max_str_digits() == 4300  # left as it was


def test_dimensions_nested_deeper_than_32_levels(mini_copy: Path) -> None:
    """A chain of 40 dimensions is refused (deep trees used to recurse for ever)."""
    chain = "".join(
        f'\n[[dimensions]]\nid = "d{i}"\ntitle = "层{i}"' + (f'\nparent = "d{i - 1}"' if i else "")
        for i in range(40)
    )
    _edit(
        mini_copy,
        "scheme.toml",
        '[[indicators]]\nid = "1.1"',
        chain[1:] + '\n\n[[indicators]]\nid = "1.1"',
    )
    assert (
        "scheme.toml, $.dimensions[34].parent: dimensions nested more than 32 deep "
        in "\n".join(_problems(mini_copy))
    )


# -- numbers and dates ---------------------------------------------------------------


@pytest.mark.parametrize("cell", ["--5", "²", "1e3", "3.0", "+-2"])
def test_count_cells_that_are_not_whole_numbers(mini_copy: Path, cell: str) -> None:
    """``--5`` or ``²`` in a count cell is refused at its cell, not ``ValueError``."""
    _edit(mini_copy, "scheme.toml", 'measure = "occurrences"', 'measure = "count"')
    _edit(
        mini_copy,
        "scheme.toml",
        'rule = { kind = "deduction", per = 20, cap = 100 }',
        'rule = { kind = "count-target", target = 4 }',
    )
    _edit(
        mini_copy,
        "evidence.csv",
        "city,1.2,,,,,,2024-03-02;2024-05-09,,",
        f"city,1.2,,{cell},,,,,,",
    )
    _edit(mini_copy, "evidence.csv", "dept-justice,1.2,,,,,,,,", "dept-justice,1.2,,3,,,,,,")
    assert _problems(mini_copy) == [
        f"evidence.csv, row 3, column 'value': not a whole number "
        f"(expected a whole number; got {cell!r})"
    ]


def test_full_width_digits_are_a_whole_number(mini_copy: Path) -> None:
    """Digits typed full-width in a Chinese spreadsheet (``４５``) count as the number."""
    _edit(mini_copy, "evidence.csv", "city,1.1,,,45,50", "city,1.1,,,４５,５０")
    observed = rulelaw.evaluate(rulelaw.load(mini_copy)).unit("city").indicator("1.1").observed
    assert observed == "45/50 (90.00%)"


def test_numbers_beyond_1000_digits_are_refused(mini_copy: Path) -> None:
    """A value with 2,000 digits after the point is refused (exact arithmetic would not end)."""
    _edit(mini_copy, "evidence.csv", "98.5%", "0." + "5" * 2000 + "%")
    assert _problems(mini_copy)[0].startswith(
        "evidence.csv, row 6, column 'value': a number with more than 1,000 digits after the "
        "decimal point (expected a decimal number of at most 1,000 digits either side of the "
        "point; got '0.5555555555"
    )


def test_week_dates_are_not_dates(mini_copy: Path) -> None:
    """``2024-W10-1`` was read as 2024-03-04; only ``YYYY-MM-DD`` is a date, as documented."""
    _edit(mini_copy, "evidence.csv", "2025-01-10", "2024-W10-1")
    assert _problems(mini_copy) == [
        "evidence.csv, row 2, column 'date': not a date (expected a date YYYY-MM-DD; "
        "got '2024-W10-1')"
    ]


def test_period_ending_9999_12_31(mini_copy: Path) -> None:
    """An open-ended period (9999-12-31, as HR systems write) is scored, not ``OverflowError``."""
    _edit(mini_copy, "scheme.toml", "end = 2024-12-31", "end = 9999-12-31")
    result = rulelaw.evaluate(rulelaw.load(mini_copy), as_of="2025-03-31")
    people = {p.person: (p.days_in_post, p.time_in_post) for p in result.people}
    assert people == {
        "p1": (182, "6 months 0 days"),
        "p2": (2_912_992, "95706 months 0 days"),
        "p3": (2_913_174, "95712 months 0 days"),
    }
    assert result.post_gaps == ()


def test_time_in_post_near_the_end_of_the_calendar() -> None:
    """Months and days are counted as before, also up to the calendar's last day."""
    day = pendulum.Date
    assert time_in_post([(day(2024, 7, 1), day(2024, 12, 31))]) == (6, 0)
    assert time_in_post([(day(9999, 1, 1), day(9999, 12, 31))]) == (12, 0)
    assert time_in_post([(day(1, 1, 1), day(9999, 12, 31))]) == (119_988, 0)
    assert time_in_post([(day(2024, 1, 31), day(2024, 2, 28))]) == (1, 0)


# -- exact values with many digits, on both paths ----------------------------------------


def test_rate_with_38_decimals_scores_exactly_on_both_paths(mini_copy: Path) -> None:
    """``98.555…5%`` used to stop the array path (``ufunc 'divmod' not supported``).

    Hand-computed: (98.555…5 − 80) / (100 − 80) = 92.777…75 % of the 20 points
    worth → 18.555…55, shown 18.56; county-a's total 18.56 + 30 (2.2 partly met,
    half of 60, as before) = 48.56.
    """
    _edit(mini_copy, "evidence.csv", "98.5%", "98.55555555555555555555555555555555555%")
    a = rulelaw.load(mini_copy)
    fast = rulelaw.evaluate(a)
    line = fast.unit("county-a").indicator("1.1")
    assert (line.observed, line.rule_points, line.points) == (
        "98.56%",
        Decimal("92.78"),
        Decimal("18.56"),
    )
    assert fast.unit("county-a").total == Decimal("48.56")
    assert fast.to_json() == _reference(a).to_json()


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("scheme.toml", "per = 20", "per = 1e-400"),
        ("scheme.toml", "floor = 80", "floor = 80.000000000000000000000000000000000000001"),
        (
            "scheme.toml",
            '"1.1" = 20\n"1.2" = 10\n"2.2" = 20',
            '"1.1" = 20.0001\n"1.2" = 9.9999\n"2.2" = 20',
        ),
        ("evidence.csv", "98.5%", "98.12345678901234567%"),
    ],
    ids=["per 1e-400", "40-digit floor", "weights with 4 places", "17 decimals"],
)
def test_long_numbers_score_equal_on_both_paths(
    mini_copy: Path, file: str, old: str, new: str
) -> None:
    """Values past int64 in the array path give the reference path's document to the byte."""
    _edit(mini_copy, file, old, new)
    a = rulelaw.load(mini_copy)
    assert rulelaw.evaluate(a).to_json() == _reference(a).to_json()


def test_per_1e_400_deducts_exactly(mini_copy: Path) -> None:
    """Two occurrences at 1e-400 each: 100 − 2e-400 of 100 inside, 100.00 and 20.00 shown."""
    _edit(mini_copy, "scheme.toml", "per = 20", "per = 1e-400")
    line = rulelaw.evaluate(rulelaw.load(mini_copy)).unit("city").indicator("1.2")
    assert (line.rule_points, line.points) == (Decimal("100.00"), Decimal("20.00"))
    assert line.reason == "2 × −1E-400 (2024-03-02, 2024-05-09) → 100.00 of 100"


@pytest.mark.parametrize("mode", list(RoundingMode))
def test_object_branch_of_integer_rounding(mode: RoundingMode) -> None:
    """Integers past int64 go through Python integers (numpy has no ``divmod`` for them)."""
    parts = [(10**40 + 7, 3), (2 * 10**30 + 5, 10**29), (0, 10**50), (5, 10)]
    num = np.array([n for n, _ in parts], dtype=object)
    den = np.array([d for _, d in parts], dtype=object)
    got = _div_round(num, den, 2, mode).tolist()
    assert got == [count_of(round_fraction(Fraction(n, d), 2, mode), 2) for n, d in parts]


# -- safe to embed ----------------------------------------------------------------------


def test_assessment_and_evaluation_pickle_and_deep_copy() -> None:
    """``FrozenMap`` wrapped a ``mappingproxy``: neither value pickled; both round-trip now."""
    a = rulelaw.load(rulelaw.demo_path())
    result = rulelaw.evaluate(a)
    for value in (a, result):
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value
    assert rulelaw.evaluate(pickle.loads(pickle.dumps(a))).to_json() == result.to_json()
    assert pickle.loads(pickle.dumps(result)).to_json() == result.to_json()


def test_validation_error_equals_itself_after_pickling(mini_copy: Path) -> None:
    """A worker process's ValidationError compares equal to the parent's."""
    (mini_copy / "units.csv").unlink()
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.load(mini_copy)
    error = caught.value
    assert pickle.loads(pickle.dumps(error)) == error
    assert hash(pickle.loads(pickle.dumps(error))) == hash(error)


def test_duplicate_problem_ids_with_conflicting_histories(tmp_path: Path) -> None:
    """Two rows of one problem id found on different days: the duplicate is reported at its row.

    It used to end in a bare DataError with no file (the second row's date
    was checked against the first row's history).
    """
    import shutil

    folder = tmp_path / "city"
    shutil.copytree(rulelaw.demo_path(), folder)
    rows = (folder / "problems.csv").read_text(encoding="utf-8").splitlines()
    rows.append(rows[1].replace("2024-06-12", "2024-07-15"))
    (folder / "problems.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert _problems(folder) == ["problems.csv, row 8, column 'id': duplicate problem id 'P-01'"]


def test_a_scheme_of_100000_indicators_gives_a_one_line_message(mini_copy: Path) -> None:
    """Listing the ids of a bad sum is cut after ten (it used to print all of them)."""
    from rulelaw.model._base import quoted

    assert quoted(f"i{k}" for k in range(100_000)) == (
        "'i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8', 'i9', … (100,000 in all)"
    )
    assert quoted(["a", "b"]) == "'a', 'b'"


def test_evidence_with_old_mac_line_endings_in_the_column_reader(
    mini_copy: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines ended by a lone CR stopped the column reader's header (``csv.Error``): now read."""
    from rulelaw.files import _columnar

    monkeypatch.setattr(_columnar, "COLUMNAR_FROM", 0)  # every evidence file read by columns
    text = (mini_path / "evidence.csv").read_text(encoding="utf-8")
    (mini_copy / "evidence.csv").write_bytes(text.replace("\n", "\r").encode("utf-8"))
    assert rulelaw.load(mini_copy).evidence == rulelaw.load(mini_path).evidence


def test_zero_with_ten_places_prints_as_a_plain_number(tmp_path: Path) -> None:
    """With 7 or more places a zero printed ``0E-10`` in every text output; now ``0.0000000000``."""
    import re
    import shutil

    from rulelaw.report.lawreports import render

    folder = tmp_path / "city"
    shutil.copytree(rulelaw.demo_path(), folder)
    _edit(folder, "scheme.toml", "[rounding]\nplaces = 2", "[rounding]\nplaces = 10")
    result = rulelaw.evaluate(rulelaw.load(folder))
    outputs = {
        "table": result.table(),
        "markdown": result.to_markdown(),
        "csv": result.to_csv(),
        "json": result.to_json(),
        "html": result._repr_html_(),
        "people": result.people_table(),
        **{f"explain {u.unit}": result.explain(u.unit) for u in result.units},
        **{f"sheet {p.person}": result.sheet(p.person) for p in result.people},
        **{
            f"{what} {how}": render(result, what, how)
            for what in ("panels", "coverage", "ledger")
            for how in ("table", "csv", "markdown")
        },
    }
    assert [name for name, text in outputs.items() if re.search(r"\dE[-+]\d", text)] == []
    assert "0.0000000000" in result.explain("county-01")


def test_equal_values_written_differently_are_shown_as_written(mini_copy: Path) -> None:
    """``100`` and ``100.00`` score alike but each is shown as written, on both paths.

    They used to be one value: whichever a reader or a path met first was
    shown for both (the arrays and the reference way could disagree).
    """
    from rulelaw import Value

    assert Value(value=Decimal("100")) != Value(value=Decimal("100.00"))
    scheme = (mini_copy / "scheme.toml").read_text(encoding="utf-8")
    scheme = scheme.replace(
        'measure = "flag"\nrule = { kind = "compliance" }',
        'measure = "value"\nrule = { kind = "given-score" }',
    )
    (mini_copy / "scheme.toml").write_text(scheme, encoding="utf-8")
    _edit(mini_copy, "evidence.csv", "city,2.2,,yes,", "city,2.2,,100.00,")
    _edit(
        mini_copy,
        "evidence.csv",
        "county-a,2.2,,partly,,,顾问合同到期未续,",
        "county-a,2.2,,100,,,,",
    )
    _edit(mini_copy, "evidence.csv", "dept-justice,2.2,,否,", "dept-justice,2.2,,100.0,")
    a = rulelaw.load(mini_copy)
    result = rulelaw.evaluate(a)
    shown = {u.unit: u.indicator("2.2").observed for u in result.units if u.unit != "county-b"}
    assert shown == {"city": "100.00", "county-a": "100", "dept-justice": "100.0"}
    assert result.to_json() == _reference(a).to_json()
