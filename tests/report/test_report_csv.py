"""CSV reports: text cells a spreadsheet would run as formulas are neutralised, numbers kept."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import rulelaw
from rulelaw.report._csv import FORMULA_STARTS, csv_text, neutralise
from rulelaw.report.lawreports import render
from rulelaw.report.people import people_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_csv_injection_text_starting_a_formula_gets_a_quote(start: str) -> None:
    """A text cell starting with =, +, -, @, tab or carriage return gets a ' in front."""
    assert neutralise(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("甲县", "甲县"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("'=1", "'=1"),
        ("", ""),
        ("—", "—"),
        ("-5", "'-5"),  # an id is text, however it looks
        (Decimal("-1.50"), "-1.50"),
        (Decimal("1E+1"), "10"),
        (Decimal("-0.00"), "-0.00"),
        (-3, -3),
        (True, True),
        (None, None),
    ],
)
def test_csv_injection_numbers_and_plain_text_are_kept(cell: object, written: object) -> None:
    """Numbers (decimals in plain notation) and text not starting a formula are written as is."""
    assert neutralise(cell) == written


def test_csv_text_neutralises_every_cell_header_included() -> None:
    """csv_text writes each row with every cell neutralised, quoting as the csv module does."""
    assert csv_text([["=id", "points"], ["@x", Decimal("-2.00")], ['=HYPERLINK("a")', 1]]) == (
        '\'=id,points\n\'@x,-2.00\n"\'=HYPERLINK(""a"")",1\n'
    )


@pytest.fixture
def hostile_mini(mini_copy: Path) -> Path:
    """The mini folder with formula-like unit and person names and a -1.50 deduction."""
    with (mini_copy / "scheme.toml").open("a", encoding="utf-8") as scheme:
        scheme.write(
            '\n[[deductions]]\nid = "late-report"\ntitle = "年度报告未按时报送"\nper = 1.5\n'
        )
    (mini_copy / "adjustments.csv").write_text(
        "unit,item,date,reason\ncounty-a,late-report,2024-03-05,=1+2\n", encoding="utf-8"
    )
    for name, old, new in [
        ("units.csv", "county-a,甲县,", 'county-a,"=HYPERLINK(""http://example.com"",""甲县"")",'),
        ("units.csv", "county-b,乙区,", "county-b,+cmd|' /C calc'!A0,"),
        ("units.csv", "city,迷你市,", "city,@SUM(1+1),"),
        ("people.csv", "p1,林晓舟", "p1,=1+1"),
        ("people.csv", "p2,周望川", "p2,-2+3"),
    ]:
        path = mini_copy / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return mini_copy


def test_csv_injection_ranking_csv_neutralises_names_not_negative_points(
    hostile_mini: Path,
) -> None:
    """In the ranking CSV names starting a formula get a ', the -1.50 adjustment stays."""
    result = rulelaw.evaluate(rulelaw.load(hostile_mini))
    assert result.unit("county-a").name == '=HYPERLINK("http://example.com","甲县")'  # kept as is
    assert result.to_csv() == (
        "peer_group,rank,rank_overall,unit,name,category,1,2,subtotal,adjust,total,grade\n"
        "county,1,1,city,'@SUM(1+1),county,22.00,60.00,82.00,0.00,82.00,良好\n"
        'county,2,3,county-a,"\'=HYPERLINK(""http://example.com"",""甲县"")",county,'
        "18.50,30.00,48.50,-1.50,47.00,不合格\n"
        "county,3,4,county-b,'+cmd|' /C calc'!A0,county,0.00,0.00,0.00,0.00,0.00,不合格\n"
        "department,1,2,dept-justice,市司法局,department,60.00,0.00,60.00,0.00,60.00,合格\n"
    )


def test_csv_injection_people_csv_neutralises_person_names(hostile_mini: Path) -> None:
    """In the people CSV person names starting a formula get a ', scores are numbers."""
    result = rulelaw.evaluate(rulelaw.load(hostile_mini))
    assert people_csv(result) == (
        "peer_group,rank,person,name,main_role,posts,days,score,grade,eligible,not_graded,"
        "fulfilment,flagged,report_scores,report_grades,report_panels,open_problems,"
        "recommendations\n"
        "party-head,1,p1,'=1+1,party-head,county-a:party-head:182,182,47.00,不合格,yes,,,,,,,0,\n"
        "party-head,1,p2,'-2+3,party-head,county-a:party-head:184,184,47.00,不合格,yes,,,,,,,0,\n"
        "department-head,1,p3,沈一苇,department-head,dept-justice:department-head:366,366,"
        "60.00,合格,yes,,,,,,,0,\n"
    )


def test_csv_injection_sheet_csv_neutralises_person_and_unit_names(hostile_mini: Path) -> None:
    """In the sheet's CSV the person's and the unit's names are neutralised."""
    result = rulelaw.evaluate(rulelaw.load(hostile_mini))
    assert result.sheet("p1", "csv") == (
        "section,person,name,role,unit,duty,title,days,share,total,grade,rank,weight,rate,"
        "flagged\n"
        "person,p1,'=1+1,party-head,county-a,,,182,,47.00,不合格,1,,,\n"
        'post,p1,\'=1+1,party-head,county-a,,"\'=HYPERLINK(""http://example.com"",""甲县"")",'
        "182,49.73,47.00,不合格,2,,,\n"
    )


def test_csv_injection_ledger_csv_neutralises_descriptions_and_measures(tmp_path: Path) -> None:
    """In the ledger CSV a problem's description and measures are neutralised; days stay."""
    folder = tmp_path / "questioning"
    shutil.copytree(ROOT / "examples" / "law-reports" / "questioning", folder)
    problems = folder / "problems.csv"
    text = problems.read_text(encoding="utf-8")
    problems.write_text(
        text.replace("未配备法律顾问,聘请常年法律顾问", "=cmd|' /C calc'!A0,@SUM(1)"),
        encoding="utf-8",
    )
    result = rulelaw.evaluate(rulelaw.load(folder), as_of="2024-11-30")
    lines = render(result, "ledger", "csv").splitlines()
    assert lines[0] == (
        "problem,unit,person,source,found,deadline,status,since,days_overdue,stage,"
        "description,measures"
    )
    assert lines[5] == (
        "q-03,t-liangtian,p22,questioning,2024-07-15,2024-09-30,open,2024-07-15,61,约谈,"
        "'=cmd|' /C calc'!A0,'@SUM(1)"
    )


def test_law_report_csvs_keep_their_numbers() -> None:
    """In the panels and coverage CSV scores and shares, now kept as decimals, read as before."""
    folder = ROOT / "examples" / "law-reports" / "questioning"
    result = rulelaw.evaluate(rulelaw.load(folder))
    assert render(result, "panels", "csv").splitlines()[1] == (
        "r-fengshu,p21,t-fengshu,questioning,2024-07-15,meeting,True,84.20,较好,fairly-good,2,"
        '"weighted mean of deputies 89.00×30, secretary 85.00×30, ballot 80.00×40"'
    )
    assert render(result, "coverage", "csv").splitlines()[:2] == [
        "form,by,group,persons,filed,share,missing",
        "written,level,county,1,0,0.00,p23",
    ]
