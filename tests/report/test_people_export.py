"""The organisation department's export: every leader with law reports, problems, attributes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

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


def test_recommendations_follow_the_schemes_consequences() -> None:
    """The questioning example declares three consequences; each leader meets one.

    秦晚舟 (p21): 优秀 and her report 较好 → 列入年度表扬名单; 陆嘉树 (p22): report 一般 →
    约谈提醒; 白清和 (p23): 优秀 and report 好 → 列入年度表扬名单. No report is 差.
    """
    result = _result()
    found = {
        p.person: [(r.consequence, r.title, str(r.reason)) for r in p.recommendations]
        for p in result.people
    }
    report = {
        p.person: [r.report for r in result.panels if r.person == p.person] for p in result.people
    }
    assert found == {
        "p21": [
            (
                "commend",
                "列入年度表扬名单",
                f"graded 优秀, law report '{report['p21'][0]}' graded 较好",
            )
        ],
        "p22": [("talk", "约谈提醒", f"law report '{report['p22'][0]}' graded 一般")],
        "p23": [
            (
                "commend",
                "列入年度表扬名单",
                f"graded 优秀, law report '{report['p23'][0]}' graded 好",
            )
        ],
    }
    reason = result.person("p22").recommendations[0].reason
    assert reason.text("zh-CN") == f"述法报告“{report['p22'][0]}”评为一般"
    data = json.loads(result.sheet("p22", "json"))
    assert data["recommendations"][0]["reason_code"] == "consequence.because"
    rows = list(csv.DictReader(io.StringIO(result.people_csv())))
    assert [r["recommendations"] for r in rows] == [
        "列入年度表扬名单",
        "约谈提醒",
        "列入年度表扬名单",
    ]


SCHEME = (QUESTIONING / "scheme.toml").read_text("utf-8")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'when = { report_grade = "poor" }',
            'when = { report_grade = "bad" }',
            "scheme.toml, $.consequences[2].when.report_grade: unknown grade 'bad' for "
            "report_grade (expected one of 'good', 'fairly-good', 'average', 'poor')",
        ),
        (
            'when = { report_grade = "poor" }',
            "when = { rank = 1 }",
            "scheme.toml, $.consequences[2].when.rank: unknown condition 'rank' (expected a "
            "table of conditions among 'grade', 'report_grade', 'vetoed', 'not_graded', "
            "'flagged')",
        ),
        (
            'when = { report_grade = "poor" }',
            "when = {}",
            "scheme.toml, $.consequences[2].when: a consequence needs its conditions (when)",
        ),
        (
            'when = { report_grade = "poor" }',
            'when = { vetoed = "yes" }',
            "scheme.toml, $.consequences[2].when.vetoed: vetoed must be true or false "
            "(expected true or false; got 'yes')",
        ),
        (
            'id = "no-promotion"',
            'id = "talk"',
            "duplicate consequence id 'talk'",
        ),
    ],
)
def test_a_consequence_that_does_not_hold_is_refused(old: str, new: str, problem: str) -> None:
    """Unknown grades and conditions, an empty condition, a duplicate id: at the key path."""
    from rulelaw.files import scheme_from_text

    assert old in SCHEME
    with pytest.raises(rulelaw.ValidationError) as caught:
        scheme_from_text(SCHEME.replace(old, new, 1), file="scheme.toml")
    texts = [str(e) for e in caught.value.errors]
    assert any(problem in t for t in texts), texts


def test_conditions_on_vetoes_no_grade_and_duties(tmp_path: Path) -> None:
    """Vetoed = false holds for every leader here (no vetoes); not_graded = true for none."""
    import shutil

    folder = Path(shutil.copytree(QUESTIONING, tmp_path / "q"))
    scheme = folder / "scheme.toml"
    scheme.write_text(
        scheme.read_text("utf-8")
        + '\n[[consequences]]\nid = "clean"\ntitle = "无否决"\n'
        + "when = { vetoed = false, flagged = false }\n"
        + '\n[[consequences]]\nid = "ungraded"\ntitle = "不确定等次"\n'
        + "when = { not_graded = true }\n",
        encoding="utf-8",
    )
    result = rulelaw.evaluate(rulelaw.load(folder), as_of="2024-11-30")
    for person in result.people:
        clean = [r for r in person.recommendations if r.consequence == "clean"]
        assert [str(r.reason) for r in clean] == ["no veto, no duty below its threshold"]
        assert not [r for r in person.recommendations if r.consequence == "ungraded"]
