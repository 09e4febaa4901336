"""The engine's texts are messages: English as before, a code and parameters, and Chinese.

Representative messages of every family the engine writes — explicit states,
adjustments, the rounding line, grade steps (thresholds, quotas, ties, vetoes,
not graded), panels and ballots, leaders' time in post and duties, derived
evidence, and the errors evaluation raises — taken from evaluating the small
folders (tests/data/mini, examples/demo-city, examples/law-reports/*).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pendulum
import pytest

import rulelaw
from rulelaw.engine._grade import grade_units
from rulelaw.engine._ledger import derived_evidence
from rulelaw.engine._texts import joined
from rulelaw.files import scheme_from_text
from rulelaw.messages import Catalogue, Message, builtin_catalogue, render
from rulelaw.model import DateValue, Measure, NotSubmitted, ObservedValue
from rulelaw.rules import (
    BatchContext,
    Outcome,
    Outcomes,
    RuleBase,
    RuleContext,
    default_registry,
)

DATA = Path(__file__).parents[1] / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
D = Decimal


@cache
def _evaluated(folder: str) -> rulelaw.Evaluation:
    """An example folder (a path under examples/, or 'mini'), evaluated once per test run."""
    path = DATA / "mini" if folder == "mini" else EXAMPLES / folder
    return rulelaw.evaluate(rulelaw.load(path))


def _check(
    text: str,
    code: str,
    params: dict[str, object],
    en: str,
    zh: str,
    catalogue: Catalogue | None = None,
) -> None:
    """``text`` is a message of ``code`` and ``params`` reading ``en`` and, in Chinese, ``zh``."""
    assert isinstance(text, Message), repr(text)
    assert (text.code, dict(text.params)) == (code, params)
    assert str(text) == en
    assert text.text("zh-CN", catalogue or builtin_catalogue()) == zh


def _nested(text: str, name: str) -> Message:
    """The message parameter ``name`` of the message ``text``."""
    assert isinstance(text, Message), repr(text)
    value = text.param(name)
    assert isinstance(value, Message), repr(value)
    return value


def _zh(text: str) -> str:
    """An observed value's own text in Chinese (it belongs to the value, not the engine)."""
    return render(text, "zh-CN")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(DATA / "mini", target)
    return target


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- explicit states and the rounding line -----------------------------------------------


def test_a_not_submitted_indicator_scores_zero_by_default() -> None:
    """County-04's missing evidence for 6.2.1: state.not-submitted-zero with the observed text."""
    result = _evaluated("demo-city")
    line = result.unit("county-04").indicator("6.2.1")
    observed = "not submitted (未按期报送佐证材料)"
    _check(
        line.reason,
        "state.not-submitted-zero",
        {"observed": observed},
        f"{observed}: scores 0 (not_submitted = zero)",
        f"{_zh(line.observed)}：计0分（未报送按0分计，not_submitted = zero）",
        result.catalogue,
    )


def test_not_submitted_as_not_applicable_and_not_applicable() -> None:
    """Under not_submitted = "not-applicable" a missing row is left out; 'na' gives its weight."""
    mini = rulelaw.load(DATA / "mini")
    scoring = attrs.evolve(mini.scheme.scoring, not_submitted="not-applicable")
    result = rulelaw.evaluate(attrs.evolve(mini, scheme=attrs.evolve(mini.scheme, scoring=scoring)))
    left_out = result.unit("county-a").indicator("1.2")
    _check(
        left_out.reason,
        "state.not-submitted-left-out",
        {"observed": "not submitted (no evidence row)"},
        "not submitted (no evidence row): left out (not_submitted = not-applicable)",
        f"{_zh(left_out.observed)}：不纳入计分（未报送按不适用处理，"
        "not_submitted = not-applicable）",
    )
    na = result.unit("county-a").indicator("2.1")
    _check(
        na.reason,
        "state.not-applicable",
        {"observed": "not applicable (本年度无重大决策)"},
        "not applicable (本年度无重大决策): left out, its weight goes to the rest",
        f"{_zh(na.observed)}：不纳入计分，其权重分配给其余指标",
    )


def test_falsified_evidence_and_its_deduction_line(tmp_path: Path) -> None:
    """Evidence marked false: the indicator's reason and the deduction line both say so."""
    folder = _copy(tmp_path)
    _edit(
        folder,
        "scheme.toml",
        'rule = { kind = "compliance" }',
        'rule = { kind = "compliance", false_penalty = 5 }',
    )
    _edit(folder, "evidence.csv", "city,2.2,,yes,,,,,,", "city,2.2,false,,,,材料系伪造,,,")
    city = rulelaw.evaluate(rulelaw.load(folder)).unit("city")
    observed = "evidence marked false (材料系伪造)"
    line = city.indicator("2.2")
    _check(
        line.reason,
        "state.falsified-penalty",
        {"observed": observed, "penalty": D(5)},
        f"{observed}: scores 0; −5 off the total (false_penalty)",
        f"{_zh(line.observed)}：计0分，并从总分中扣除5分（弄虚作假扣分，false_penalty）",
    )
    (deduction,) = city.adjustments
    _check(
        deduction.reason,
        "state.false-evidence-deduction",
        {"indicator": "2.2", "title": "法律顾问", "observed": observed},
        f"2.2 法律顾问: {observed} (false_penalty)",
        f"2.2 法律顾问：{_zh(line.observed)}（弄虚作假扣分，false_penalty）",
    )


def test_the_rounding_line_is_one_message_shared_by_every_unit() -> None:
    """The rounding line names places and mode (a message of its own); every unit shares it."""
    result = _evaluated("demo-city")
    lines = [a.reason for u in result.units for a in u.adjustments if a.kind == "rounding"]
    assert len(lines) > 1
    assert all(line is lines[0] for line in lines)
    _check(
        lines[0],
        "rounding.line",
        {"places": 2, "mode": "half-up"},
        "indicator points are shown rounded to 2 places (half-up); this line makes them add "
        "up to the total",
        "各指标得分保留2位小数显示（四舍五入）；本行差额使各项得分之和等于总分",
    )
    assert _nested(lines[0], "mode").code == "rounding.half-up"


# -- adjustments ------------------------------------------------------------------------


def _adjustment(unit: str, item: str) -> rulelaw.Adjustment:
    found = _evaluated("demo-city").unit(unit).adjustments
    return next(a for a in found if a.item == item)


def test_a_bonus_and_the_cap_on_all_bonuses() -> None:
    """County-04's bonuses: one line per item, parts as messages, and the cap over all of them."""
    bonus = _adjustment("county-04", "demonstration")
    _check(
        bonus.reason,
        "adjust.bonus",
        {"title": "法治政府建设示范创建", "parts": ("行政复议规范化建设项目 (national +3)",)},
        "法治政府建设示范创建: 行政复议规范化建设项目 (national +3)",
        "法治政府建设示范创建：行政复议规范化建设项目（national，加3分）",
    )
    assert isinstance(bonus.reason, Message)
    parts = bonus.reason.param("parts")
    assert isinstance(parts, tuple)
    (part,) = parts
    assert (part.code, dict(part.params)) == (
        "adjust.bonus-part",
        {"achievement": "行政复议规范化建设项目", "level": "national", "points": D(3)},
    )
    _check(
        _adjustment("county-04", "bonus-cap").reason,
        "adjust.bonus-total-capped",
        {"total": D("4.5"), "cap": D(4)},
        "bonuses add up to 4.5; all bonuses together are capped at 4",
        "加分合计4.5分；加分总计以4分为上限",
    )


def test_a_deduction_of_two_events() -> None:
    """Dept-25's two dated events: each named with date and reason, joined per language."""
    deduction = _adjustment("dept-25", "inspection-problem")
    _check(
        deduction.reason,
        "adjust.deduction",
        {
            "title": "法治督察发现问题未按期整改",
            "count": 2,
            "per": D("0.5"),
            "events": "2024-05-17 统计执法案卷不规范，逾期未整改; "
            "2024-10-09 行政规范性文件未备案审查",
        },
        "法治督察发现问题未按期整改: 2 × −0.5 (2024-05-17 统计执法案卷不规范，逾期未整改; "
        "2024-10-09 行政规范性文件未备案审查)",
        "法治督察发现问题未按期整改：2次，每次扣0.5分（2024年5月17日，统计执法案卷不规范，逾期未整改；"
        "2024年10月9日，行政规范性文件未备案审查）",
    )
    events = _nested(deduction.reason, "events")
    assert events.code == "adjust.semicolon-list"
    first = _nested(events, "first")
    assert (first.code, dict(first.params)) == (
        "adjust.event-dated",
        {"date": pendulum.Date(2024, 5, 17), "reason": "统计执法案卷不规范，逾期未整改"},
    )


def test_an_award_dated_outside_the_window_is_not_counted() -> None:
    """County-01's award of 2023-12-15 is named on its item's line and counts nothing."""
    line = _adjustment("county-01", "demonstration")
    _check(
        line.reason,
        "adjust.also-not-counted",
        {
            "reason": "法治政府建设示范创建: 法治政府建设示范县 (provincial +2)",
            "dates": (pendulum.Date(2023, 12, 15),),
            "start": pendulum.Date(2024, 1, 1),
            "end": pendulum.Date(2025, 3, 31),
        },
        "法治政府建设示范创建: 法治政府建设示范县 (provincial +2); not counted: dated "
        "2023-12-15, outside 2024-01-01 … 2025-03-31",
        "法治政府建设示范创建：法治政府建设示范县（provincial，加2分）；不予计入：日期为2023年12月15日，"
        "不在2024年1月1日至2025年3月31日期间内",
    )
    assert _nested(line.reason, "reason").code == "adjust.bonus"


def test_a_cap_grade_veto_line() -> None:
    """Dept-11's veto: its title and the event's reason, then the grade it caps at."""
    line = _adjustment("dept-11", "major-violation")
    title = "发生造成恶劣影响的重大违法行政案件"
    why = "违法强制拆除被法院判决确认违法"
    _check(
        line.reason,
        "adjust.veto-cap-grade",
        {"veto": f"{title} ({why})", "grade": "pass"},
        f"{title} ({why}): grade capped at 'pass' when graded",
        f"{title}（{why}）：一票否决，评定等次时最高为“pass”",
    )
    veto = _nested(line.reason, "veto")
    assert (veto.code, dict(veto.params)) == ("adjust.veto-why", {"title": title, "why": why})


def test_adjustment_items_floor_and_vetoes_in_chinese(tmp_path: Path) -> None:
    """A capped deduction, unnamed events, a zero-total veto and the floor, in both languages."""
    folder = _copy(tmp_path)
    with (folder / "scheme.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[[deductions]]\nid = "late"\ntitle = "迟报"\nper = 30\ncap = 50\n'
            '\n[[vetoes]]\nid = "big"\ntitle = "重大事故"\neffect = "zero-total"\n'
        )
    (folder / "adjustments.csv").write_text(
        "unit,item,level,achievement,date,reason\n"
        "city,late,,,2024-03-01,\ncity,late,,,,迟报一次\n"
        "county-a,late,,,,\ncounty-a,late,,,,\ncounty-a,late,,,,\n"
        "county-b,big,,,,\n",
        encoding="utf-8",
    )
    result = rulelaw.evaluate(rulelaw.load(folder))
    (late,) = result.unit("city").adjustments
    _check(
        late.reason,
        "adjust.deduction-capped",
        {"title": "迟报", "count": 2, "per": D(30), "events": "迟报一次; 2024-03-01", "cap": D(50)},
        "迟报: 2 × −30 (迟报一次; 2024-03-01); capped at −50",
        "迟报：2次，每次扣30分（迟报一次；2024年3月1日）；扣分以50分为上限",
    )
    unnamed, floor = result.unit("county-a").adjustments
    _check(
        _nested(unnamed.reason, "events"),
        "adjust.semicolon-list",
        {"first": "event", "rest": "event; event"},
        "event; event; event",
        "未注明日期和原因；未注明日期和原因；未注明日期和原因",
    )
    _check(
        floor.reason,
        "adjust.floor",
        {},
        "the total is kept from going below 0",
        "总分最低计0分",
    )
    (veto,) = result.unit("county-b").adjustments
    _check(
        veto.reason,
        "adjust.veto-zero-total",
        {"veto": "重大事故"},
        "重大事故: the total scores 0",
        "重大事故：一票否决，总分计0分",
    )


# -- grade steps ------------------------------------------------------------------------


def test_rank_threshold_and_a_quota_move_down_in_the_demo_city() -> None:
    """County-02 ranks, reaches 良好 and moves to 合格 under 良好's quota of 45% of 5."""
    rank, threshold, moved = _evaluated("demo-city").unit("county-02").grade_steps
    _check(
        rank,
        "rank.in-group",
        {"rank": 3, "size": 5, "group": "县市区"},
        "rank 3 of 5 in 县市区",
        "在县市区中排名第3（共5个）",
    )
    assert threshold.code == "grade.threshold"
    _check(
        moved,
        "quota.moved-down",
        {"quota": "良好 quota 45% of 5 = 2", "grade": "合格"},
        "良好 quota 45% of 5 = 2; moved to 合格",
        "良好名额比例45%，5个中限2个；超出名额，调整为合格",
    )
    quota = _nested(moved, "quota")
    assert (quota.code, dict(quota.params)) == (
        "quota.maximum",
        {"grade": "良好", "percent": D(45), "counted": 5, "limit": 2},
    )


def test_threshold_veto_and_not_graded_steps_in_the_demo_city() -> None:
    """A threshold reached, a veto capping 优秀 at 合格, and a unit kept out (不确定等次)."""
    result = _evaluated("demo-city")
    _check(
        result.unit("county-01").grade_steps[1],
        "grade.threshold",
        {"total": D("85.53"), "minimum": D(80), "grade": "良好"},
        "total 85.53 ≥ 80 → 良好",
        "总分85.53分，不低于80分，评为良好",
    )
    _check(
        next(s for s in result.unit("dept-11").grade_steps if s.startswith("veto")),
        "grade.veto-capped",
        {
            "veto": "major-violation",
            "title": "发生造成恶劣影响的重大违法行政案件",
            "cap": "合格",
            "before": "优秀",
        },
        "veto major-violation (发生造成恶劣影响的重大违法行政案件) caps the grade at 合格: "
        "优秀 → 合格",
        "一票否决事项major-violation（发生造成恶劣影响的重大违法行政案件）：等次最高为合格，"
        "由优秀调整为合格",
    )
    _check(
        result.unit("dept-45").grade_steps[-1],
        "grade.not-graded",
        {"reason": "2024年机构改革新组建，考核期不足一年"},
        "not graded: 2024年机构改革新组建，考核期不足一年 (不确定等次)",
        "不确定等次：2024年机构改革新组建，考核期不足一年",
    )


def test_the_lowest_grade_step_in_the_mini_folder() -> None:
    """County-a's 48.50 is below the lowest threshold: the step names it."""
    _check(
        _evaluated("mini").unit("county-a").grade_steps[1],
        "grade.below-thresholds",
        {"total": D("48.50"), "above": D(60), "grade": "不合格"},
        "total 48.50 < 60 → 不合格",
        "总分48.50分，低于60分，评为不合格",
    )


MINI = (DATA / "mini" / "scheme.toml").read_text(encoding="utf-8")
GRADES = """
[[grading.grades]]
id = "excellent"
label = "优秀"
minimum = 90
{excellent}
[[grading.grades]]
id = "good"
label = "良好"
minimum = 80

[[grading.grades]]
id = "fail"
label = "不合格"
{fail}
"""


def _unit(unit: str, total: str, dim1: str = "0") -> rulelaw.UnitResult:
    return rulelaw.UnitResult(
        unit=unit,
        name=unit,
        category="county",
        level="county",
        indicators=(),
        dimensions=(
            rulelaw.DimensionResult(dimension="1", title="一", level=1, points=D(dim1), max=D(40)),
        ),
        adjustments=(),
        subtotal=D(total),
        total=D(total),
        peer_group="g",
    )


def _steps(
    grading: str, units: list[rulelaw.UnitResult], excellent: str = "", fail: str = ""
) -> Any:
    text = MINI + "\n[grading]\n" + grading + GRADES.format(excellent=excellent, fail=fail)
    graded, _ = grade_units(scheme_from_text(text), units, {"g": "县市区"})
    return {u.unit: u.grade_steps for u in graded}


def test_ties_broken_by_a_key_and_kept_all() -> None:
    """A tie on total settled by dimension 1, and tied units all keeping 优秀 (keep-all)."""
    units = [_unit("a", "95", "30"), _unit("b", "95", "35"), _unit("c", "70")]
    steps = _steps('tie_break = ["1"]\n', units, excellent="max_percent = 34")
    _check(
        steps["a"][-1],
        "tie.broken-by-key",
        {
            "quota": "优秀 quota 34% of 3 = 1",
            "grade": "良好",
            "total": D(95),
            "rival": "b",
            "key": "1",
            "points": D(30),
            "rival_points": D(35),
        },
        "优秀 quota 34% of 3 = 1; moved to 良好 (tied on total 95 with b; tie-break 1: 30 "
        "against 35)",
        "优秀名额比例34%，3个中限1个；调整为良好（与b总分同为95分并列；按1得分比较：30分对35分）",
    )
    kept = _steps('ties = "keep-all"\n', units, excellent="max_percent = 34")
    _check(
        kept["b"][-1],
        "tie.kept-all",
        {"quota": "优秀 quota 34% of 3 = 1", "others": 1, "grade": "优秀"},
        "优秀 quota 34% of 3 = 1; tied at the cut-off with 1 other(s): all keep 优秀 "
        "(ties = keep-all; quota exceeded)",
        "优秀名额比例34%，3个中限1个；在名额界限处与其他1个并列：均保留优秀"
        "（ties = keep-all，突破名额）",
    )
    moved = _steps("", units, excellent="max_percent = 34")
    _check(
        moved["a"][-1],
        "tie.all-move",
        {"quota": "优秀 quota 34% of 3 = 1", "grade": "良好"},
        "优秀 quota 34% of 3 = 1; moved to 良好 (tied at the cut-off: all tied units move)",
        "优秀名额比例34%，3个中限1个；调整为良好（在名额界限处并列：并列者均调整）",
    )


def test_a_minimum_share_filled_from_above() -> None:
    """不合格 needs at least 25% of 4: the lowest-ranked unit is moved down, and says so."""
    units = [_unit("w", "95"), _unit("x", "90"), _unit("y", "85"), _unit("z", "82")]
    steps = _steps("", units, fail="min_percent = 25")
    _check(
        steps["z"][-1],
        "quota.filled-down",
        {"minimum": "不合格 needs at least 25% of 4 = 1", "grade": "不合格"},
        "不合格 needs at least 25% of 4 = 1; moved down to 不合格",
        "不合格比例不低于25%，4个中至少1个；调整为不合格",
    )


def test_units_that_say_the_same_share_one_step() -> None:
    """Equal totals reach a grade with one message, and tied ranks share theirs."""
    units = [_unit("a", "85"), _unit("b", "85"), _unit("c", "70")]
    steps = _steps("", units)
    assert steps["a"] == steps["b"]
    assert all(x is y for x, y in zip(steps["a"], steps["b"], strict=True))


# -- panels and ballots -----------------------------------------------------------------


def test_a_trimmed_mean_and_a_median_in_the_questioning_model() -> None:
    """Fengshu's ballot group drops its lowest and highest; the deputies take the median."""
    result = _evaluated("law-reports/questioning")
    report = next(p for p in result.panels if p.report == "r-fengshu")
    deputies, _, ballot = report.groups
    _check(
        ballot.method,
        "panel.trimmed-mean",
        {"kept": 3, "trim": 1, "lowest": (D(70),), "highest": (D(90),)},
        "mean of 3 after dropping the 1 lowest (70) and the 1 highest (90)",
        "去掉1个最低分（70）和1个最高分（90）后3张票的平均分",
    )
    _check(deputies.method, "panel.median", {"n": 4}, "median of 4", "4张有效票的中位数")
    _check(
        report.reason,
        "panel.weighted-mean",
        {"parts": ("deputies 89.00×30", "secretary 85.00×30", "ballot 80.00×40")},
        "weighted mean of deputies 89.00×30, secretary 85.00×30, ballot 80.00×40",
        "加权平均：deputies 89.00分×权重30、secretary 85.00分×权重30、ballot 80.00分×权重40",
    )


def test_a_group_below_quorum_gives_its_weight_to_the_others() -> None:
    """Demo report R-p-062: the democratic group is short of its quorum of 8."""
    result = _evaluated("demo-city")
    report = next(p for p in result.panels if p.report == "R-p-062")
    democratic = next(g for g in report.groups if g.group == "democratic")
    assert democratic.method == ""
    _check(
        democratic.reason,
        "panel.below-quorum",
        {"valid": 6, "quorum": 8},
        "6 valid ballots, below the quorum of 8",
        "有效票6张，未达到最低有效票数8张",
    )
    _check(
        report.reason,
        "panel.weighted-mean-without",
        {"parts": ("secretary 85.00×40", "members 89.40×30"), "below": ("democratic",)},
        "weighted mean of secretary 85.00×40, members 89.40×30; democratic below quorum, "
        "their weight given to the others",
        "加权平均：secretary 85.00分×权重40、members 89.40分×权重30；democratic未达到最低有效票数，"
        "其权重分配给其他评议组",
    )


def test_rejected_ballots_say_why() -> None:
    """A second ballot of one rater, and an unknown grade label, at their rows."""
    second, unknown = _evaluated("demo-city").rejected_ballots
    assert (second.origin, unknown.origin) == ("ballots.csv, row 136", "ballots.csv, row 137")
    _check(
        second.reason,
        "ballot.second",
        {"rater": "democratic-01", "group": "democratic"},
        "second ballot of rater 'democratic-01' in group 'democratic'",
        "评议人“democratic-01”在评议组“democratic”中重复投票",
    )
    _check(
        unknown.reason,
        "ballot.unknown-grade",
        {"value": "很好", "known": ("好", "较好", "一般", "差")},
        "unknown grade label '很好' (expected one of 好, 较好, 一般, 差)",
        "未知的评价等次“很好”（应为好、较好、一般、差之一）",
    )


# -- leaders ----------------------------------------------------------------------------


def test_a_leaders_time_in_post_and_why_not_graded() -> None:
    """P-007 led county-04 for 2 months 15 days: too short to be graded (不确定等次)."""
    leader = _evaluated("demo-city").person("p-007")
    _check(
        leader.time_in_post,
        "people.time-in-post",
        {"months": 2, "days": 15},
        "2 months 15 days",
        "2个月15天",
    )
    _check(
        leader.not_graded,
        "people.too-short",
        {"time": "2 months 15 days", "min_months": 6},
        "in post 2 months 15 days of the period, less than 6 months",
        "考核期内任职2个月15天，不满6个月",
    )
    _check(
        leader.grade_steps[-1],
        "grade.not-graded",
        {"reason": "in post 2 months 15 days of the period, less than 6 months"},
        "not graded: in post 2 months 15 days of the period, less than 6 months (不确定等次)",
        "不确定等次：考核期内任职2个月15天，不满6个月",
    )
    _check(
        _evaluated("demo-city").person("p-005").time_in_post,
        "people.time-in-post",
        {"months": 12, "days": 0},
        "12 months 0 days",
        "12个月0天",
    )


def test_a_duty_below_its_flag() -> None:
    """P-005's duty D5 at county-03 scored 33.33%, below the list's 60%."""
    leader = _evaluated("demo-city").person("p-005")
    (duty,) = [d for d in leader.duties if d.flagged]
    _check(
        duty.reason,
        "people.duty-below",
        {"notes": "county-03 (366 days): 1.2.1, 1.2.2 → 33.33%", "flag_below": D(60)},
        "county-03 (366 days): 1.2.1, 1.2.2 → 33.33%; below 60%",
        "county-03（任职366天）：1.2.1、1.2.2 → 33.33%；低于60%",
    )
    note = _nested(duty.reason, "notes")
    assert (note.code, dict(note.params)) == (
        "people.duty-at-unit",
        {"unit": "county-03", "days": 366, "indicators": ("1.2.1", "1.2.2"), "rate": D("33.33")},
    )


def test_exactly_the_minimum_not_counted_as_enough(tmp_path: Path) -> None:
    """With exactly_min_eligible = false, six months exactly is its own reason."""
    folder = _copy(tmp_path)
    with (folder / "scheme.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[people]\nexactly_min_eligible = false\n")
    _check(
        rulelaw.evaluate(rulelaw.load(folder)).person("p1").not_graded,
        "people.exactly-minimum",
        {"min_months": 6},
        "in post exactly 6 months, which the scheme does not count as enough",
        "任职恰好6个月，按考核方案不视为任职时间已满",
    )


def test_parts_join_with_each_languages_punctuation() -> None:
    """Many parts nest as a balanced tree and join with "; " and "；"."""
    parts = [Message.of("people.duty-nothing-scored", unit=f"u{i}") for i in range(5)]
    text = joined("people.duty-notes", parts)
    assert isinstance(text, Message)
    assert text == "; ".join(f"u{i}: no evidence indicator scored" for i in range(5))
    assert text.text("zh-CN") == "；".join(f"u{i}：无已计分的佐证指标" for i in range(5))
    assert joined("people.duty-notes", []) == ""
    assert joined("people.duty-notes", parts[:1]) is parts[0]


# -- derived evidence: law reports, the ledger, filings ---------------------------------


def test_sources_of_derived_evidence() -> None:
    """Law reports, the ledger as of the date and the filing are named in either language."""
    questioning = _evaluated("law-reports/questioning").unit("t-fengshu")
    _check(questioning.indicator("1.1").source, "panel.source", {}, "law reports", "述法报告")
    _check(
        questioning.indicator("2.1").source,
        "ledger.source",
        {"as_of": pendulum.Date(2024, 12, 31)},
        "rectification ledger as of 2024-12-31",
        "截至2024年12月31日的整改台账",
    )
    filing = _evaluated("law-reports/onsite-secretary").unit("dongpu").indicator("1.2")
    _check(filing.source, "filing.source", {}, "annual report filing", "年度报告报送情况")


def test_an_annual_report_late_missing_a_section_or_not_published() -> None:
    """The filing's note and reason are messages; the deadline rule scores the late one."""
    result = _evaluated("law-reports/onsite-secretary")
    assessment = rulelaw.load(EXAMPLES / "law-reports" / "onsite-secretary")
    derived = derived_evidence(assessment, result.panels, result.ledger, result.as_of)
    dated = derived[("beiling", "1.2")].value
    assert isinstance(dated, DateValue)
    note = dated.note
    _check(
        note,
        "filing.missing-sections",
        {"sections": ("problems",)},
        "missing sections: problems",
        "缺少以下部分：problems",
    )
    missing = derived[("beiling", "1.3")].value
    assert isinstance(missing, NotSubmitted)
    reason = missing.reason
    _check(reason, "filing.not-published", {}, "annual report not published", "年度报告未公开")
    late = result.unit("dongpu").indicator("1.2")
    assert late.reason == "done 2025-04-04, due 2025-04-01: 3 days late, −5 a day → 85 of 100"


# -- errors evaluation raises -----------------------------------------------------------


@attrs.frozen
class _Given(RuleBase):
    """Gives the points it is told, whatever the value (to test the engine's checks)."""

    name: ClassVar[str] = "test.given"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.OCCURRENCES})

    points: Decimal = attrs.field(converter=Decimal)

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """The given points."""
        return Outcome.scored(self.points, "as given")


@attrs.frozen
class _BadBatch(_Given):
    """Scores rates one by one as told, but its batches come one short."""

    name: ClassVar[str] = "test.bad-batch"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.RATE})

    def score_batch(self, values: Any, context: BatchContext) -> Outcomes:
        """One outcome too few."""
        return Outcomes(points=[0] * (len(values) - 1), reasons=["short"] * (len(values) - 1))


def _evaluate_with(tmp_path: Path, kind: type[_Given], points: str) -> rulelaw.Evaluation:
    """The mini folder with 1.2's rule (1.1's for rates) of ``kind``."""
    folder = _copy(tmp_path)
    rule = (
        '{ kind = "rate-target", target = 100, floor = 80 }'
        if Measure.RATE in kind.measures
        else '{ kind = "deduction", per = 20, cap = 100 }'
    )
    _edit(folder, "scheme.toml", rule, f'{{ kind = "{kind.name}", points = {points} }}')
    registry = default_registry().copy()
    registry.register(kind)
    return rulelaw.evaluate(rulelaw.load(folder, registry=registry), registry=registry)


def test_points_out_of_range_is_an_error_message(tmp_path: Path) -> None:
    """The error's message names the kind, unit, indicator and points, in either language."""
    with pytest.raises(rulelaw.EvaluationError) as caught:
        _evaluate_with(tmp_path, _Given, "100.5")
    error = caught.value
    assert (error.kind, error.unit, error.indicator) == ("test.given", "city", "1.2")
    _check(
        error.args[0],
        "evaluate.points-out-of-range",
        {
            "kind": "test.given",
            "unit": "city",
            "indicator": "1.2",
            "points": "201/2",
            "max": D(100),
            "reason": "as given",
        },
        "rule kind 'test.given' gave unit 'city', indicator '1.2' points 201/2 "
        "(expected 0 … 100) with reason 'as given'",
        "规则类型“test.given”给出单位“city”指标“1.2”的得分为201/2（应在0至100之间），"
        "理由为“as given”",
    )
    assert str(error) == str(error.args[0])


def test_a_failed_batch_names_its_cause(tmp_path: Path) -> None:
    """A batch of the wrong length: the error nests the cause's own message."""
    with pytest.raises(rulelaw.EvaluationError) as caught:
        _evaluate_with(tmp_path, _BadBatch, "50")
    message = caught.value.args[0]
    _check(
        message,
        "evaluate.batch-failed",
        {
            "kind": "test.bad-batch",
            "indicator": "1.1",
            "cause": "returned 1 outcomes for 2 values",
        },
        "rule kind 'test.bad-batch', indicator '1.1': score_batch failed (returned 1 outcomes "
        "for 2 values) where score, value by value, did not",
        "规则类型“test.bad-batch”，指标“1.1”：批量计分score_batch出错（对2个值返回了1个结果），"
        "而逐值计分score未出错",
    )
    cause = _nested(message, "cause")
    assert (cause.code, dict(cause.params)) == (
        "evaluate.batch-wrong-length",
        {"outcomes": 1, "values": 2},
    )


def _codes(result: rulelaw.Evaluation) -> list[tuple[str, str, str | None]]:
    """Every unit text's place and code (``None``: a plain text, a rule kind's own)."""
    found = []
    for unit in result.units:
        texts = [
            *((f"{r.indicator} reason", r.reason) for r in unit.indicators),
            *((f"{r.indicator} source", r.source) for r in unit.indicators),
            *((a.item, a.reason) for a in unit.adjustments),
            *(("step", s) for s in unit.grade_steps),
        ]
        found.extend(
            (unit.unit, where, text.code if isinstance(text, Message) else None)
            for where, text in texts
        )
    return found


@pytest.mark.parametrize("folder", ["demo-city", "law-reports/questioning"])
def test_both_ways_of_scoring_give_the_same_messages(folder: str) -> None:
    """The arrays and the reference way give every text with the same code."""
    assessment = rulelaw.load(EXAMPLES / folder)
    arrays = _codes(rulelaw.evaluate(assessment))
    assert _codes(rulelaw.evaluate(assessment, reference=True)) == arrays
    assert {code for _, _, code in arrays} >= {"rank.in-group", "grade.threshold"}
