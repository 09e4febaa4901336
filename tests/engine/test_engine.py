"""The engine on hand-computed examples: weights, rescaling, conversion, adjustments, rounding."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import attrs
import pendulum
import pytest

import rulelaw
from rulelaw.cli import main
from rulelaw.model import Measure, ObservedValue
from rulelaw.rules import Outcome, RuleBase, RuleContext, default_registry

DATA = Path(__file__).parents[1] / "data"


def _copy(tmp_path: Path, name: str = "mini") -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / "mini", target)
    return target


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(folder: Path, file: str, text: str) -> None:
    with (folder / file).open("a", encoding="utf-8") as handle:
        handle.write(text)


def _totals(result: rulelaw.Evaluation) -> dict[str, str]:
    return {u.unit: str(u.total) for u in result.units}


def test_mini_totals_by_hand() -> None:
    """The mini folder's totals, computed by hand in the comments of this test."""
    result = rulelaw.evaluate(rulelaw.load(DATA / "mini"))
    # city: 1.1 45/50 → 50% of 20 = 10; 1.2 two occurrences → 60% of 20 = 12;
    #       2.1 0/0 not applicable → 2.2 takes dimension 2's 60; met → 60.  82.00
    # county-a: 1.1 98.5% → 92.5% of 20 = 18.5; 1.2 no row → 0; 2.1 na → 2.2 takes 60,
    #       partly → 50% → 30.  48.50
    # county-b: everything missing or not submitted → 0.
    # dept-justice (maximum 50, converted ×2): 1.1 30/30 → 40; 1.2 none → 20; 2.2 no → 0.
    assert _totals(result) == {
        "city": "82.00",
        "county-a": "48.50",
        "county-b": "0.00",
        "dept-justice": "60.00",
    }


def test_rescaling_and_conversion_are_visible() -> None:
    """Effective weights show the rescaling (2.2 worth 60) and the ×2 conversion (40)."""
    result = rulelaw.evaluate(rulelaw.load(DATA / "mini"))
    city = result.unit("city")
    assert city.indicator("2.1").status == "not-applicable"
    assert city.indicator("2.1").effective_weight == Decimal("0.00")
    assert city.indicator("2.2").effective_weight == Decimal("60.00")
    dept = result.unit("dept-justice")
    assert [(r.indicator, r.weight, r.effective_weight) for r in dept.indicators] == [
        ("1.1", Decimal(20), Decimal("40.00")),
        ("1.2", Decimal(10), Decimal("20.00")),
        ("2.2", Decimal(20), Decimal("40.00")),
    ]


def test_points_and_adjustments_add_up_to_the_total() -> None:
    """For every unit, indicator points plus adjustment points equal the total exactly."""
    for path in (DATA / "mini", rulelaw.demo_path()):
        result = rulelaw.evaluate(rulelaw.load(path))
        for unit in result.units:
            parts = sum((r.points for r in unit.indicators), Decimal(0)) + sum(
                (a.points for a in unit.adjustments), Decimal(0)
            )
            assert parts == unit.total, unit.unit


def test_not_submitted_as_not_applicable(tmp_path: Path) -> None:
    """With not_submitted = "not-applicable", county-a's missing 1.2 is left out: 37 + 30."""
    folder = _copy(tmp_path)
    _append(folder, "scheme.toml", '\n[scoring]\nnot_submitted = "not-applicable"\n')
    result = rulelaw.evaluate(rulelaw.load(folder))
    assert result.unit("county-a").total == Decimal("67.00")
    assert result.unit("county-a").indicator("1.2").status == "not-submitted"


ADJUSTMENT_ITEMS = """
[scoring]
bonus_cap = 4

[[bonuses]]
id = "demo"
title = "示范创建"
levels = { national = 3, provincial = 2, municipal = 1 }
cap = 3

[[bonuses]]
id = "innovation"
title = "法治创新"
levels = { provincial = 2 }

[[deductions]]
id = "late-report"
title = "未按时报送"
per = 1.5
cap = 2

[[vetoes]]
id = "major-incident"
title = "重大违法事件"
effect = "zero-total"

[[vetoes]]
id = "decision-veto"
title = "重大决策违法"
effect = "zero-dimension"
dimension = "2"

[[vetoes]]
id = "cap"
title = "被通报批评"
effect = "cap-grade"
grade = "good"
"""

ADJUSTMENTS_CSV = """unit,item,achievement,level,date,reason,source
city,demo,法治示范区,municipal,2024-05-01,,
city,demo,法治示范区,provincial,2024-09-01,,
city,demo,公共法律服务项目,municipal,2024-10-01,,
city,innovation,复议改革,provincial,,,
county-a,late-report,,,2024-04-02,年度报告迟报,
county-a,late-report,,,2024-05-02,整改报告迟报,
county-a,decision-veto,,,,,
dept-justice,major-incident,,,,执法致人伤亡,
county-b,cap,,,,,
"""


def test_adjustments_by_hand(tmp_path: Path) -> None:
    """Bonuses once per achievement at the highest level, caps, deductions and vetoes."""
    folder = _copy(tmp_path)
    _append(folder, "scheme.toml", ADJUSTMENT_ITEMS)
    (folder / "adjustments.csv").write_text(ADJUSTMENTS_CSV, encoding="utf-8")
    result = rulelaw.evaluate(rulelaw.load(folder))
    city = result.unit("city")
    # demo: 法治示范区 at provincial (2) + 公共法律服务项目 municipal (1) = 3 (cap 3);
    # innovation 2; together 5, capped at 4 → −1.
    assert [(a.kind, a.item, str(a.points)) for a in city.adjustments] == [
        ("bonus", "demo", "3.00"),
        ("bonus", "innovation", "2.00"),
        ("bonus", "bonus-cap", "-1.00"),
    ]
    assert city.total == Decimal("86.00")
    assert city.adjustments[0].reason == (
        "示范创建: 公共法律服务项目 (municipal +1), 法治示范区 (provincial +2); "
        "each achievement counted once, at its highest level"
    )
    county_a = result.unit("county-a")
    # late-report: 2 × 1.5 = 3, capped at 2; dimension 2 (30 points) zeroed: 48.5 − 2 − 30.
    assert [(a.item, str(a.points)) for a in county_a.adjustments] == [
        ("late-report", "-2.00"),
        ("decision-veto", "-30.00"),
    ]
    assert county_a.total == Decimal("16.50")
    assert county_a.vetoes == ("decision-veto",)
    dept = result.unit("dept-justice")
    assert dept.total == Decimal("0.00")
    assert dept.adjustments[-1].reason == "重大违法事件 (执法致人伤亡): the total scores 0"
    county_b = result.unit("county-b")
    assert county_b.vetoes == ("cap",)
    assert [(a.kind, str(a.points)) for a in county_b.adjustments] == [("veto", "0.00")]


def test_floor_at_zero(tmp_path: Path) -> None:
    """Deductions larger than the subtotal stop the total at zero, with a floor line."""
    folder = _copy(tmp_path)
    _append(
        folder,
        "scheme.toml",
        '\n[[deductions]]\nid = "x"\ntitle = "扣分"\nper = 50\n',
    )
    (folder / "adjustments.csv").write_text("unit,item\ncounty-a,x\ncounty-a,x\n", encoding="utf-8")
    unit = rulelaw.evaluate(rulelaw.load(folder)).unit("county-a")
    assert [(a.kind, str(a.points)) for a in unit.adjustments] == [
        ("deduction", "-100.00"),
        ("floor", "51.50"),
    ]
    assert unit.total == Decimal("0.00")


def test_rounding_line_reconciles_shown_points(tmp_path: Path) -> None:
    """Thirds shown rounded (33.33 × 3) are reconciled by a +0.01 rounding line."""
    folder = tmp_path / "thirds"
    folder.mkdir()
    (folder / "scheme.toml").write_text(
        """id = "thirds"
title = "三分"
version = "1"
period = { start = 2024-01-01, end = 2024-12-31 }
[[categories]]
id = "c"
name = "类"
[[dimensions]]
id = "1"
title = "一"
"""
        + "".join(
            f'[[indicators]]\nid = "1.{i}"\nparent = "1"\ntitle = "指标{i}"\nmeasure = "flag"\n'
            'rule = { kind = "compliance" }\n'
            for i in (1, 2, 3)
        )
        + '[weights.c]\n"1.1" = 1\n"1.2" = 1\n"1.3" = 1\n"1" = 3\n',
        encoding="utf-8",
    )
    # a category maximum of 100 with weights summing to 3 is refused; use maximum 3
    text = (folder / "scheme.toml").read_text(encoding="utf-8")
    (folder / "scheme.toml").write_text(
        text.replace('name = "类"', 'name = "类"\nmaximum = 3'), encoding="utf-8"
    )
    (folder / "units.csv").write_text("id,name,level,category\nu,单位,county,c\n", "utf-8")
    (folder / "evidence.csv").write_text(
        "unit,indicator,value\nu,1.1,yes\nu,1.2,yes\nu,1.3,yes\n", "utf-8"
    )
    unit = rulelaw.evaluate(rulelaw.load(folder)).unit("u")
    assert [str(r.points) for r in unit.indicators] == ["33.33", "33.33", "33.33"]
    assert [(a.kind, str(a.points)) for a in unit.adjustments] == [("rounding", "0.01")]
    assert unit.total == Decimal("100.00")
    # rounding each indicator first (as declared) makes the total 99.99, with no line
    (folder / "scheme.toml").write_text(
        (folder / "scheme.toml").read_text("utf-8") + "[rounding]\nindicators = true\n", "utf-8"
    )
    unit = rulelaw.evaluate(rulelaw.load(folder)).unit("u")
    assert (str(unit.total), unit.adjustments) == ("99.99", ())


def test_as_of_defaults_and_date_times() -> None:
    """as_of defaults to scoring.as_of, else the period end; date-times are read in Shanghai."""
    mini = rulelaw.load(DATA / "mini")
    assert rulelaw.evaluate(mini).as_of == pendulum.Date(2024, 12, 31)
    demo = rulelaw.load(rulelaw.demo_path())
    assert rulelaw.evaluate(demo).as_of == pendulum.Date(2025, 3, 31)
    late_utc = dt.datetime(2025, 3, 1, 17, 30, tzinfo=dt.UTC)  # 01:30 on 2 March in Shanghai
    assert rulelaw.evaluate(mini, as_of=late_utc).as_of == pendulum.Date(2025, 3, 2)
    with pytest.raises(rulelaw.DataError, match="as_of: not a date"):
        rulelaw.evaluate(mini, as_of="31/03/2025")


def test_json_is_byte_identical_and_keeps_decimals_as_strings() -> None:
    """Two evaluations of the same folder give the same JSON bytes; decimals are strings."""
    first = rulelaw.evaluate(rulelaw.load(DATA / "mini")).to_json()
    second = rulelaw.evaluate(rulelaw.load(DATA / "mini")).to_json()
    assert first == second
    data = json.loads(first)
    assert data["units"][0]["total"] == "82.00"
    line = data["units"][0]["indicators"][0]
    assert {k: v for k, v in line.items() if not k.startswith("reason_")} == {
        "indicator": "1.1",
        "status": "scored",
        "observed": "45/50 (90.00%)",
        "observed_code": "value.rate-counts",
        "observed_params": {"denominator": 50, "numerator": 45, "percent": "90.00"},
        "rule_points": "50.00",
        "max": "20.00",
        "points": "10.00",
        "band": None,
        "reason": "45/50 (90.00%) short of target 100%: linear to floor 80% → 50 of 100",
        "source": "市委依法治市办",
        "source_code": None,  # a source written in the evidence is plain text
        "source_params": None,
    }
    # what every unit's line of an indicator shares is said once, in the scheme's table
    assert data["scheme"]["indicators"]["1.1"] == {
        "title": "学法考试参考率",
        "dimension": "1",
        "kind": "rulelaw.rate-target",
        "rule_max": "100",
        "weights": {"county": "20", "department": "20"},
        "tags": [],
    }
    assert data["scheme"]["indicators"]["2.1"]["weights"] == {"county": "40"}
    assert data["scheme"]["dimensions"]["2"] == {"title": "依法决策", "parent": None, "level": 1}
    first_dimension = data["units"][0]["dimensions"][0]
    assert first_dimension == {
        "dimension": "1",
        "points": "22.00",
        "max": "40.00",
        "reason": "",
        "reason_code": None,
        "reason_params": None,
    }
    assert (
        data["sources"]["scheme.toml"]["sha256"]
        == (rulelaw.load(DATA / "mini").sources["scheme.toml"])
    )


def test_explain_text() -> None:
    """explain() lists every indicator with its reason and ends with the total."""
    text = rulelaw.evaluate(rulelaw.load(DATA / "mini")).explain("county-a")
    assert "  2.1  not applicable (本年度无重大决策): left out, its weight goes to the rest" in text
    assert "  2.2  partly met (顾问合同到期未续) → 50 of 100" in text
    assert text.endswith(
        "total: 48.50\n\n"
        "grade: 不合格 — rank 2 in peer group 'county', 3 overall\n"
        "  rank 2 of 3 in 县市区\n"
        "  total 48.50 < 60 → 不合格\n"
    )


def test_cli_evaluate_formats_and_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Evaluate prints each format; --output writes the file whole; explain a unit."""
    mini = str(DATA / "mini")
    assert main(["evaluate", mini, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "peer_group,rank,rank_overall,unit,name,category,1,2,subtotal,adjust,total,grade",
        "county,1,1,city,迷你市,county,22.00,60.00,82.00,0.00,82.00,良好",
    ]
    out = tmp_path / "result.json"
    assert main(["evaluate", mini, "--format", "json", "--output", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text("utf-8"))["scheme"]["id"] == "mini-2024"
    assert main(["evaluate", mini, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("## 迷你市法治政府建设考核 — mini-2024 v1, as of 2024-12-31\n")
    assert "|      1 | city     | 迷你市 |      82.00 |     0.00 |   82.00 | 良好    |" in markdown
    assert main(["explain", mini, "nowhere"]) == 2
    assert capsys.readouterr().err.startswith("rulelaw: error: no unit with id 'nowhere'")


def test_demo_prints_the_ranking(capsys: pytest.CaptureFixture[str]) -> None:
    """Rulelaw demo prints the summary and the ranking of every category."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "县市区 (county) — 5 units" in out
    assert "市直单位 (department) — 45 units" in out
    assert "园区 (park) — 2 units" in out


def test_falsified_evidence_scores_zero_and_its_penalty(tmp_path: Path) -> None:
    """Evidence marked false scores 0 on the indicator and false_penalty off the total."""
    folder = _copy(tmp_path)
    _edit(
        folder,
        "scheme.toml",
        'rule = { kind = "compliance" }',
        ('rule = { kind = "compliance", false_penalty = 5 }'),
    )
    _edit(folder, "evidence.csv", "city,2.2,,yes,,,,,,", "city,2.2,false,,,,材料系伪造,,,")
    city = rulelaw.evaluate(rulelaw.load(folder)).unit("city")
    assert city.indicator("2.2").status == "falsified"
    assert city.indicator("2.2").points == Decimal("0.00")
    assert [(a.kind, a.item, str(a.points), a.reason) for a in city.adjustments] == [
        (
            "deduction",
            "false-evidence:2.2",
            "-5.00",
            "2.2 法律顾问: evidence marked false (材料系伪造) (false_penalty)",
        ),
    ]
    assert city.total == Decimal("17.00")  # 10 + 12 + 0 − 5


def test_amount_out_of_range_is_found_when_loading(tmp_path: Path) -> None:
    """A partly amount outside the rule's range is reported by load, at its cell."""
    folder = _copy(tmp_path)
    _edit(
        folder,
        "scheme.toml",
        'rule = { kind = "compliance" }',
        ('rule = { kind = "compliance", partly_max = 60 }'),
    )
    text = (
        (folder / "evidence.csv")
        .read_text("utf-8")
        .replace("source,date\n", "source,date,amount\n")
        .replace(
            "county-a,2.2,,partly,,,顾问合同到期未续,,,",
            "county-a,2.2,,partly,,,顾问合同到期未续,,,,75",
        )
    )
    (folder / "evidence.csv").write_text(text, "utf-8")
    with pytest.raises(rulelaw.ValidationError) as info:
        rulelaw.load(folder)
    assert [str(e) for e in info.value.errors] == [
        "evidence.csv, row 8, column 'amount': partly amount outside the declared range "
        "(expected 0 to 60; got 75)"
    ]


def test_adjustment_events_outside_the_span_do_not_count(tmp_path: Path) -> None:
    """A deduction dated before the period or after as_of counts nothing and says so."""
    folder = _copy(tmp_path)
    _append(folder, "scheme.toml", ADJUSTMENT_ITEMS)
    (folder / "adjustments.csv").write_text(
        "unit,item,achievement,level,date,reason,source\n"
        "county-a,late-report,,,2023-12-30,去年的事,\n"
        "county-a,late-report,,,2024-12-30,迟报,\n"
        "county-b,late-report,,,2025-01-02,迟报,\n",
        encoding="utf-8",
    )
    result = rulelaw.evaluate(rulelaw.load(folder), as_of="2024-12-31")
    county_a = result.unit("county-a")
    assert [(a.item, str(a.points), a.reason) for a in county_a.adjustments] == [
        (
            "late-report",
            "-1.50",
            "未按时报送: 1 × −1.5 (2024-12-30 迟报); not counted: dated 2023-12-30, "
            "outside 2024-01-01 … 2024-12-31",
        )
    ]
    county_b = result.unit("county-b")
    assert [(a.kind, str(a.points)) for a in county_b.adjustments] == [("deduction", "0.00")]


@attrs.frozen(kw_only=True)
class _Given(RuleBase):
    """Scores the points it is given, whatever was observed (to test the engine's check)."""

    name: ClassVar[str] = "test.given"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.OCCURRENCES})

    points: Decimal = attrs.field(converter=Decimal)

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """The given points."""
        return Outcome.scored(self.points, "as given")


@pytest.mark.parametrize(
    ("points", "shown"),
    [("100.5", "201/2"), ("-0.5", "-1/2")],
)
def test_a_rule_outside_its_range_stops_the_evaluation(
    tmp_path: Path, points: str, shown: str
) -> None:
    """A rule's points above its max or below zero are refused, naming the unit and indicator."""
    folder = tmp_path / "mini"
    shutil.copytree(DATA / "mini", folder)
    scheme = folder / "scheme.toml"
    scheme.write_text(
        scheme.read_text(encoding="utf-8").replace(
            '{ kind = "deduction", per = 20, cap = 100 }',
            f'{{ kind = "test.given", points = {points} }}',
        ),
        encoding="utf-8",
    )
    registry = default_registry().copy()
    registry.register(_Given)
    assessment = rulelaw.load(folder, registry=registry)
    with pytest.raises(rulelaw.EvaluationError) as caught:
        rulelaw.evaluate(assessment, registry=registry)
    assert str(caught.value) == (
        f"rule kind 'test.given' gave unit 'city', indicator '1.2' points {shown} "
        "(expected 0 … 100) with reason 'as given'"
    )
    fine = scheme.read_text(encoding="utf-8").replace(f"points = {points}", "points = 100")
    scheme.write_text(fine, encoding="utf-8")
    assessment = rulelaw.load(folder, registry=registry)
    assert rulelaw.evaluate(assessment, registry=registry).units[0].indicators[1].points == (
        Decimal("20.00")
    )


def test_an_assessment_without_evidence_scores_every_indicator_as_not_submitted() -> None:
    """No evidence at all: every line says no evidence row, every total is zero."""
    mini = rulelaw.load(DATA / "mini")
    result = rulelaw.evaluate(attrs.evolve(mini, evidence=rulelaw.Evidence(())))
    assert [u.total for u in result.units] == [Decimal("0.00")] * 4
    assert {r.observed for u in result.units for r in u.indicators} == {
        "not submitted (no evidence row)"
    }
