"""Verification cases: a scheme says what its rules must give a few invented units."""

from __future__ import annotations

import pickle
import shutil
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import rulelaw
from rulelaw.files import scheme_from_text, scheme_to_text
from rulelaw.model import Expectation, VerificationCase

MINI = Path(__file__).parent.parent / "data" / "mini" / "scheme.toml"

CASES = """
[[verification]]
id = "all-met"
category = "county"
description = "every county indicator met"
[verification.evidence]
"1.1" = { numerator = 50, denominator = 50 }
"1.2" = {}
"2.1" = { numerator = 3, denominator = 3 }
"2.2" = { value = "yes" }
[verification.expect]
total = 100
grade = "优秀"
rank = 1
points = { "1.1" = 20, "2" = 60 }

[[verification]]
id = "short"
category = "county"
[verification.evidence]
"1.1" = { numerator = 45, denominator = 50 }
"1.2" = { dates = [2024-03-02, 2024-05-09] }
"2.1" = { numerator = 9, denominator = 10 }
"2.2" = { value = "no" }
[verification.expect]
total = 42
grade = "fail"
points = { "1.1" = 10, "1.2" = 12, "2.1" = 20, "2.2" = 0 }
reasons = { "2.2" = "not met" }
"""


@pytest.fixture(scope="module")
def scheme() -> rulelaw.Scheme:
    """The mini scheme with two verification cases."""
    return scheme_from_text(MINI.read_text("utf-8") + CASES)


def _with_expect(scheme: rulelaw.Scheme, case: int, **changes: object) -> rulelaw.Scheme:
    cases = list(scheme.verification)
    cases[case] = attrs.evolve(cases[case], expect=attrs.evolve(cases[case].expect, **changes))
    return attrs.evolve(scheme, verification=tuple(cases))


def test_cases_that_hold_pass(scheme: rulelaw.Scheme) -> None:
    """Both cases hold; checked by hand for 'short'.

    45/50 = 90% is halfway from floor 80% to target 100% → 50 of 100, of 20
    points 10; two cases at −20 each → 60 → 12; 9/10 is 10 points short at
    −5 → 50 → 20 of 40; no adviser → 0. Total 42, below 60: fail.
    """
    report = rulelaw.verify(scheme)
    assert report.ok
    assert (report.cases, report.checked, report.mismatches) == (2, 12, ())
    assert report.text() == "mini-2024 v1: 2 verification cases, 12 expectations, all met\n"
    assert report.text("zh-CN") == "mini-2024 v1：2个验证用例，12项预期结果，全部相符\n"


def test_a_wrong_expected_total_fails_and_explains(scheme: rulelaw.Scheme) -> None:
    """The report names the case, what was expected and what came, then the case's explanation."""
    report = rulelaw.verify(_with_expect(scheme, 1, total=Decimal(99)))
    assert not report.ok
    [mismatch] = report.mismatches
    assert (mismatch.case, mismatch.what, mismatch.node) == ("short", "total", None)
    assert (mismatch.expected, mismatch.got) == ("99", "42.00")
    assert mismatch.message.code == "verify.mismatch"
    text = report.text()
    assert text.startswith(
        "mini-2024 v1: 2 verification cases, 12 expectations, 1 not met\n"
        "- case 'short': total expected 99, got 42.00\n\n"
    )
    assert "  1.1  45/50 (90.00%) short of target 100%: linear to floor 80% → 50 of 100\n" in text
    assert text.endswith("total 42.00 < 60 → 不合格\n")
    assert report.explain("short") in text
    assert report.text("zh-CN").splitlines()[:2] == [
        "mini-2024 v1：2个验证用例，12项预期结果，1项不符",
        "- 验证用例“short”：总分应为99，实为42.00",
    ]


def test_points_grade_rank_and_reason_mismatches(scheme: rulelaw.Scheme) -> None:
    """Each kind of expectation is checked, in the order written; a grade matches id or label."""
    wrong = _with_expect(
        scheme, 0, grade="good", rank=2, points={"1.1": Decimal(20), "2": Decimal("59.5")}
    )
    wrong = _with_expect(wrong, 1, reasons={"2.2": "met"})
    report = rulelaw.verify(wrong)
    assert [m.describe() for m in report.mismatches] == [
        "case 'all-met': grade expected good, got 优秀",
        "case 'all-met': rank expected 2, got 1",
        "case 'all-met': points of 2 expected 59.5, got 60.00",
        "case 'short': reason of 2.2 expected met, got not met",
    ]
    assert report.mismatches[2].describe("zh-CN") == "验证用例“all-met”：2的得分应为59.5，实为60.00"
    assert report.checked == 12


def test_points_are_compared_as_numbers(scheme: rulelaw.Scheme) -> None:
    """20, 20.0 and 20.00 are the same expected points."""
    same = _with_expect(scheme, 0, points={"1.1": Decimal("20.000")})
    assert rulelaw.verify(same).ok


def test_no_cases_is_an_empty_report() -> None:
    """A scheme without cases verifies trivially, and says so."""
    report = rulelaw.verify(rulelaw.load_scheme(MINI))
    assert (report.ok, report.cases, report.checked) == (True, 0, 0)
    assert report.text() == "mini-2024 v1: 0 verification cases, 0 expectations, all met\n"
    with pytest.raises(rulelaw.LookupFailed, match="no verification case with id 'x'"):
        report.explain("x")


def test_cases_given_instead_of_the_schemes(scheme: rulelaw.Scheme) -> None:
    """``cases=`` runs other cases against the scheme, checked as its own would be."""
    case = VerificationCase(
        id="only",
        category="department",
        evidence={"1.1": {"numerator": "1", "denominator": "2"}},
        expect=Expectation(total=1),
    )
    report = rulelaw.verify(scheme, cases=[case])
    assert (report.cases, report.checked) == (1, 1)
    [mismatch] = report.mismatches  # 1/2 is below the floor, the rest not submitted: 0
    assert (mismatch.case, mismatch.expected, mismatch.got) == ("only", "1", "0.00")
    assert rulelaw.verify(scheme, cases=[attrs.evolve(case, expect=Expectation(total=0))]).ok


def test_cases_round_trip_through_toml(scheme: rulelaw.Scheme) -> None:
    """Written and read back, the cases are equal, an empty evidence table included."""
    again = scheme_from_text(scheme_to_text(scheme))
    assert again == scheme
    assert again.verification[0].evidence["1.2"] == {}
    assert pickle.loads(pickle.dumps(scheme.verification)) == scheme.verification


def test_an_empty_evidence_table_is_a_row_and_no_table_is_none(scheme: rulelaw.Scheme) -> None:
    """``"1.2" = {}`` is a row with no occurrences (full marks); no entry is no row (zero)."""
    case = scheme.verification[0]
    without = attrs.evolve(
        case,
        evidence={k: v for k, v in case.evidence.items() if k != "1.2"},
        expect=Expectation(total=80, points={"1.2": 0}),
    )
    assert rulelaw.verify(scheme, cases=[without]).ok


@pytest.mark.parametrize(
    ("case", "where", "problem"),
    [
        ('category = "nowhere"', "$.verification[0].category", "unknown category 'nowhere'"),
        (
            'category = "county"\nevidence = { "9.9" = { value = 1 } }',
            '$.verification[0].evidence."9.9"',
            "unknown indicator '9.9'",
        ),
        (
            'category = "county"\nevidence = { "1.1" = { score = 1 } }',
            '$.verification[0].evidence."1.1".score',
            "unknown evidence cell 'score'",
        ),
        (
            'category = "county"\nexpect = { points = { "7" = 1 } }',
            "$.verification[0].expect.points.7",
            "unknown dimension or indicator '7'",
        ),
        (
            'category = "county"\nexpect = { grade = "gold" }',
            "$.verification[0].expect.grade",
            "unknown grade 'gold'",
        ),
    ],
)
def test_a_case_that_does_not_suit_the_scheme_is_refused_at_its_key(
    case: str, where: str, problem: str
) -> None:
    """The loader names the case's key path and the problem."""
    text = MINI.read_text("utf-8") + f'\n[[verification]]\nid = "c"\n{case}\n'
    with pytest.raises(rulelaw.ValidationError) as caught:
        scheme_from_text(text, file="scheme.toml")
    [error] = caught.value.errors
    assert (error.where, error.problem) == (where, problem)


def test_duplicate_case_ids_are_refused() -> None:
    """Two cases with one id would be one unit."""
    case = '\n[[verification]]\nid = "c"\ncategory = "county"\n'
    with pytest.raises(rulelaw.ValidationError) as caught:
        scheme_from_text(MINI.read_text("utf-8") + case + case)
    [error] = caught.value.errors
    assert (error.where, error.problem) == (
        "$.verification[1].id",
        "duplicate verification case id 'c'",
    )


def test_evidence_that_does_not_read_is_refused_at_its_cell(scheme: rulelaw.Scheme) -> None:
    """A cell the evidence reader refuses is reported at the case's cell."""
    case = VerificationCase(
        id="bad", category="county", evidence={"1.1": {"numerator": "many", "denominator": "2"}}
    )
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.verify(scheme, cases=[case])
    [error] = caught.value.errors
    assert error.where == '$.verification[0].evidence."1.1".numerator'


def test_evidence_for_an_indicator_outside_the_category_is_refused(
    scheme: rulelaw.Scheme,
) -> None:
    """2.1 applies to counties only; a department case giving it evidence is refused there."""
    case = VerificationCase(
        id="dept", category="department", evidence={"2.1": {"numerator": "1", "denominator": "1"}}
    )
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.verify(scheme, cases=[case])
    [error] = caught.value.errors
    assert error.where == '$.verification[0].evidence."2.1"'
    assert "does not apply to category 'department'" in error.problem


def test_a_case_gives_derived_evidence_directly() -> None:
    """The demo's 1.1.2 takes its date from filings; a case gives the date, the rule scores it.

    Due 2025-03-01, submitted 03-05: 4 days late at −2.5 a day → 90 of 100; of 3 points, 2.70.
    """
    demo = rulelaw.load_scheme(rulelaw.demo_path() / "scheme.toml")
    case = VerificationCase(
        id="late",
        category="county",
        evidence={"1.1.2": {"value": "2025-03-05"}},
        expect=Expectation(points={"1.1.2": Decimal("2.70")}),
    )
    report = rulelaw.verify(demo, cases=[case])
    assert report.ok, report.text()
    [row] = [r for r in report.result.unit("late").indicators if r.indicator == "1.1.2"]
    assert row.reason == "done 2025-03-05, due 2025-03-01: 4 days late, −2.5 a day → 90 of 100"


# -- a case's evidence in a file of the scheme's folder ---------------------------------

SHORT_CSV = """indicator,numerator,denominator,value,dates
1.1,45,50,,
1.2,,,,2024-03-02;2024-05-09
2.1,9,10,,
2.2,,,no,
"""


def _case_in_a_file(tmp_path: Path, csv: str, name: str = "verification/short.csv") -> Path:
    """The mini scheme whose 'short' case names its evidence file; the scheme's path."""
    inline = CASES[CASES.index('[[verification]]\nid = "short"') :]
    head, _, tail = inline.partition("[verification.evidence]\n")
    tail = tail[tail.index("[verification.expect]") :]
    text = MINI.read_text("utf-8") + head + f'evidence = "{name}"\n' + tail
    (tmp_path / "scheme.toml").write_text(text, encoding="utf-8")
    (tmp_path / "verification").mkdir()
    (tmp_path / "verification" / "short.csv").write_text(csv, encoding="utf-8")
    return tmp_path / "scheme.toml"


def _short_only(scheme: rulelaw.Scheme) -> rulelaw.Scheme:
    return attrs.evolve(scheme, verification=scheme.verification[1:])


def test_a_cases_evidence_read_from_its_file_equals_it_inline(
    tmp_path: Path, scheme: rulelaw.Scheme
) -> None:
    """``evidence = "verification/short.csv"``: the same case as written inline, and it holds."""
    path = _case_in_a_file(tmp_path, SHORT_CSV)
    from_file = rulelaw.load_scheme(path)
    assert from_file == _short_only(scheme)
    assert rulelaw.verify(from_file).ok
    # a folder loads it the same way (the case's file is not an input of the assessment)
    folder = tmp_path / "folder"
    shutil.copytree(MINI.parent, folder)
    shutil.copy(path, folder / "scheme.toml")
    shutil.copytree(tmp_path / "verification", folder / "verification")
    assert rulelaw.load(folder).scheme == from_file


@pytest.mark.parametrize(
    ("csv", "problem"),
    [
        (
            SHORT_CSV + "1.1,1,2,,\n",
            "verification/short.csv, row 6, column 'indicator': indicator '1.1' is given twice",
        ),
        (
            "indicator,numerator,denomnator\n1.1,45,50\n",
            "verification/short.csv, row 1 (header): unknown column 'denomnator' (expected "
            "columns among indicator, amount, dates, denominator, numerator, reason, source, "
            "status, value)",
        ),
        (
            "indicator,value\n,3\n",
            "verification/short.csv, row 2, column 'indicator': empty cell",
        ),
    ],
)
def test_a_bad_evidence_file_is_refused_at_its_row(tmp_path: Path, csv: str, problem: str) -> None:
    """A repeated indicator, an unknown column, a row without its indicator: file and row."""
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.load_scheme(_case_in_a_file(tmp_path, csv))
    assert [str(e) for e in caught.value.errors] == [problem]
    assert caught.value.errors[0].text("zh-CN") != problem


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (
            "verification/none.csv",
            "verification/none.csv: no such file (the evidence of verification case 'short')",
        ),
        (
            "../short.csv",
            "scheme.toml, $.verification[0].evidence: '../short.csv' is not the name of a CSV "
            "file in the scheme's folder (expected a relative path ending in .csv, such as "
            "'verification/check-county.csv')",
        ),
        (
            "/etc/passwd",
            "scheme.toml, $.verification[0].evidence: '/etc/passwd' is not the name of a CSV "
            "file in the scheme's folder (expected a relative path ending in .csv, such as "
            "'verification/check-county.csv')",
        ),
    ],
)
def test_an_evidence_file_that_is_not_there_or_outside_is_refused(
    tmp_path: Path, name: str, problem: str
) -> None:
    """Only a CSV file inside the scheme's folder is read, named as a relative path."""
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.load_scheme(_case_in_a_file(tmp_path, SHORT_CSV, name))
    assert [str(e) for e in caught.value.errors] == [problem]


def test_an_evidence_file_needs_the_schemes_folder(tmp_path: Path) -> None:
    """A scheme made from text has no folder to read the file from: said so, at its key."""
    text = _case_in_a_file(tmp_path, SHORT_CSV).read_text("utf-8")
    with pytest.raises(rulelaw.ValidationError) as caught:
        scheme_from_text(text, file="scheme.toml")
    assert [str(e) for e in caught.value.errors] == [
        "scheme.toml, $.verification[0].evidence: a case's evidence file "
        "'verification/short.csv' is read from the scheme's folder, and this scheme has none"
    ]
