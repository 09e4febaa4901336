"""The organisation department's export: every leader with law reports, problems, attributes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import rulelaw

ROOT = Path(__file__).resolve().parents[2]
QUESTIONING = ROOT / "examples" / "law-reports" / "questioning"


def _result() -> rulelaw.Evaluation:
    return rulelaw.evaluate(rulelaw.load(QUESTIONING), as_of="2024-11-30")


def test_the_sheet_json_has_the_law_reports_and_the_problems() -> None:
    """秦晚舟 (p21): her report scored 84.20, 较好, on panel questioning; two problems.

    As of 2024-11-30 q-01 is verified and q-02 still being rectified, due 2024-12-30.
    """
    result = _result()
    data = json.loads(result.sheet("p21", "json"))
    assert data["law_reports"] == [
        {
            "report": data["law_reports"][0]["report"],
            "unit": "t-fengshu",
            "date": data["law_reports"][0]["date"],
            "panel": "questioning",
            "score": "84.20",
            "grade": "较好",
            "grade_id": data["law_reports"][0]["grade_id"],
            "rank": data["law_reports"][0]["rank"],
        }
    ]
    assert [r["report"] for r in data["law_reports"]] == [
        r.report for r in result.panels if r.person == "p21"
    ]
    assert data["problems"] == [
        {
            "problem": "q-01",
            "unit": "t-fengshu",
            "deadline": "2024-10-15",
            "status": "verified",
            "days_overdue": 0,
        },
        {
            "problem": "q-02",
            "unit": "t-fengshu",
            "deadline": "2024-12-30",
            "status": "rectifying",
            "days_overdue": 0,
        },
    ]
    assert data["attributes"] == {}


def test_the_people_csv_is_one_row_per_leader_for_the_export() -> None:
    """Eligibility, report scores, grades and panels, problems not yet rectified."""
    rows = list(csv.DictReader(io.StringIO(_result().people_csv())))
    assert [
        (r["person"], r["eligible"], r["report_scores"], r["report_grades"], r["open_problems"])
        for r in rows
    ] == [
        ("p21", "yes", "84.20", "较好", "1"),
        ("p22", "yes", "76.50", "一般", "2"),
        ("p23", "yes", "94.40", "好", "1"),
    ]
    assert {r["report_panels"] for r in rows} == {"questioning"}


def test_peoples_own_columns_are_kept(tmp_path: Path) -> None:
    """people.csv's other columns (职级 here, and one named like an export column) are exported."""
    import shutil

    folder = Path(shutil.copytree(QUESTIONING, tmp_path / "q"))
    people = folder / "people.csv"
    lines = people.read_text("utf-8").splitlines()
    people.write_text(
        "\n".join(
            [lines[0] + ",职级,score"]
            + [
                line + (",正处级,x" if i == 1 else ",副处级,")
                for i, line in enumerate(lines[1:], 1)
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = rulelaw.evaluate(rulelaw.load(folder), as_of="2024-11-30")
    rows = list(csv.DictReader(io.StringIO(result.people_csv())))
    assert [(r["person"], r["职级"], r["people.score"]) for r in rows] == [
        ("p21", "正处级", "x"),
        ("p22", "副处级", ""),
        ("p23", "副处级", ""),
    ]
    assert json.loads(result.sheet("p21", "json"))["attributes"] == {"职级": "正处级", "score": "x"}
    assert result.person("p22").attributes == {"职级": "副处级"}
