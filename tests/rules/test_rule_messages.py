"""The built-in kinds' reasons and errors as messages: codes, parameters, English and Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulelaw import (
    Count,
    DataError,
    DateValue,
    Direction,
    EvaluationError,
    Flag,
    Indicator,
    Level,
    Measure,
    Occurrences,
    Outcome,
    Period,
    Rate,
    RegistrationError,
    RuleBase,
    RuleSpec,
    SchemeError,
    UndefinedRate,
    Unit,
    ValidationError,
    Value,
    default_registry,
)
from rulelaw.files import make_converter
from rulelaw.messages import Message, builtin_catalogue, params_data
from rulelaw.model import ObservedValue
from rulelaw.model.evidence import OverdueProblem, OverdueProblems
from rulelaw.rules import BatchContext, Registry, RuleContext
from rulelaw.rules._protocol import PeerGroup, kind_catalogue
from rulelaw.rules.kinds import BUILTIN_KINDS
from rulelaw.testing import observed_values, rule_params
from rulelaw.testing.conformance import _message_problem

UNIT = Unit(id="u1", name="青岚县", level=Level.COUNTY, category="county")
PERIOD = Period(start="2024-01-01", end="2024-12-31")
BANDS = [
    {"min": 95, "points": 100},
    {"min": 90, "max": 95, "points": 80},
    {"max": 90, "points": 40},
]
PEERS = {"a": Value(value=80), "b": Value(value=100), "c": Value(value=50)}


def _indicator(measure: Measure, direction: str, rule: dict[str, Any]) -> Indicator:
    params = dict(rule)
    kind = params.pop("kind")
    return Indicator(
        id="1.1",
        title="测试指标",
        parent="1",
        measure=measure,
        direction=direction,
        rule=RuleSpec(kind=kind, params=params),
    )


def _reason(
    measure: Measure,
    value: ObservedValue,
    rule: dict[str, Any],
    *,
    direction: str = "higher",
    peers: dict[str, ObservedValue] | None = None,
) -> Message:
    """The reason the rule gives the value, scored on 2025-03-31 for the year 2024."""
    indicator = _indicator(measure, direction, rule)
    compiled = default_registry().compile(indicator.rule, indicator, make_converter())
    context = RuleContext(
        unit=UNIT,
        indicator=indicator,
        as_of=pendulum.Date(2025, 3, 31),
        period=PERIOD,
        peers=PeerGroup(peers or {}),
    )
    reason = compiled.score(value, context).reason
    assert isinstance(reason, Message)
    return reason


def _problems(*days: int) -> OverdueProblems:
    return OverdueProblems(
        items=[
            OverdueProblem(problem=f"p-{i}", deadline="2025-01-01", days=d)
            for i, d in enumerate(days, start=1)
        ]
    )


RATE, FLAG, COUNT, OCCURRENCES, DATE, VALUE, PROBLEMS = (
    Measure.RATE,
    Measure.FLAG,
    Measure.COUNT,
    Measure.OCCURRENCES,
    Measure.DATE,
    Measure.VALUE,
    Measure.PROBLEMS,
)

#: (id, measure, value, rule, scoring options, code, English, Chinese)
CASES: list[tuple[str, Measure, Any, dict[str, Any], dict[str, Any], str, str, str]] = [
    (
        "rate-target met",
        RATE,
        Rate.from_percent("95"),
        {"kind": "rate-target", "target": 95, "floor": 80},
        {},
        "rate-target.met",
        "95.00% ≥ target 95%",
        "95.00%，达到目标值95%",
    ),
    (
        "rate-target met, lower is better",
        RATE,
        Rate.from_counts(1, 20),
        {"kind": "rate-target", "target": 5, "floor": 20},
        {"direction": "lower"},
        "rate-target.met",
        "1/20 (5.00%) ≤ target 5%",
        "1/20（5.00%），不高于目标值5%",
    ),
    (
        "rate-target short, floor",
        RATE,
        Rate.from_counts(91, 99),
        {"kind": "rate-target", "target": 100, "floor": 80},
        {},
        "rate-target.linear",
        "91/99 (91.92%) short of target 100%: linear to floor 80% → 59.60 of 100",
        "91/99（91.92%），未达到目标值100%，按80%计0分线性折算：得59.60分（满分100分）",
    ),
    (
        "rate-target short, per point",
        RATE,
        Rate.from_percent("97.5"),
        {"kind": "rate-target", "target": 100, "per_point": 5},
        {},
        "rate-target.per-point",
        "97.50% is 2.5 points short of target 100%: −5 per point → 87.5 of 100",
        "97.50%，与目标值100%相差2.5个百分点，每个百分点扣5分：得87.5分（满分100分）",
    ),
    (
        "empty denominator, not applicable",
        RATE,
        UndefinedRate(),
        {"kind": "rate-target", "floor": 80},
        {},
        "rule.empty-not-applicable",
        "0/0 (empty denominator): not applicable, its weight goes to the rest",
        "0/0（分母为空）：不适用，其权重分配给其余指标",
    ),
    (
        "empty denominator, full",
        RATE,
        UndefinedRate(),
        {"kind": "bands", "bands": BANDS, "empty": "full"},
        {},
        "rule.empty-full",
        "0/0 (empty denominator): full points as declared",
        "0/0（分母为空）：按规定得满分",
    ),
    (
        "empty denominator, zero",
        RATE,
        UndefinedRate(),
        {"kind": "rate-target", "floor": 80, "empty": "zero"},
        {},
        "rule.empty-zero",
        "0/0 (empty denominator): zero as declared",
        "0/0（分母为空）：按规定得0分",
    ),
    (
        "bands",
        RATE,
        Rate.from_counts(46, 50),
        {"kind": "bands", "bands": BANDS},
        {},
        "bands.in-band",
        "46/50 (92.00%) in band [90, 95) → 80 of 100",
        "46/50（92.00%），属于“[90, 95)”档：得80分（满分100分）",
    ),
    (
        "bands, labelled",
        VALUE,
        Value(value=50),
        {
            "kind": "bands",
            "bands": [
                {"max": 50, "max_inclusive": True, "points": 100, "label": "≤50天"},
                {"min": 50, "min_inclusive": False, "points": 0},
            ],
        },
        {},
        "bands.in-band",
        "50 in band ≤50天 → 100 of 100",
        "50，属于“≤50天”档：得100分（满分100分）",
    ),
    (
        "compliance yes",
        FLAG,
        Flag(value="是"),
        {"kind": "compliance"},
        {},
        "compliance.met",
        "met",
        "达标",
    ),
    (
        "compliance no",
        FLAG,
        Flag(value="否"),
        {"kind": "compliance"},
        {},
        "compliance.not-met",
        "not met",
        "未达标",
    ),
    (
        "compliance no, with a reason",
        FLAG,
        Flag(value="否", reason="未聘请"),
        {"kind": "compliance"},
        {},
        "compliance.not-met-reason",
        "not met (未聘请)",
        "未达标（未聘请）",
    ),
    (
        "compliance partly",
        FLAG,
        Flag(value="部分", reason="仅部分单位配备"),
        {"kind": "compliance", "max": 5},
        {},
        "compliance.partly",
        "partly met (仅部分单位配备) → 2.5 of 5",
        "部分达标（仅部分单位配备）：得2.5分（满分5分）",
    ),
    (
        "compliance partly, amount assessed",
        FLAG,
        Flag(value="部分", reason="顾问合同到期未续", amount=70),
        {"kind": "compliance", "partly_min": 40, "partly_max": 80},
        {},
        "compliance.partly-assessed",
        "partly met (顾问合同到期未续) → 70 of 100 as assessed",
        "部分达标（顾问合同到期未续）：按评定得70分（满分100分）",
    ),
    (
        "count-target met",
        COUNT,
        Count(value=4),
        {"kind": "count-target", "target": 4},
        {},
        "count-target.met",
        "4 ≥ target 4",
        "4，达到目标值4",
    ),
    (
        "count-target short",
        COUNT,
        Count(value=3),
        {"kind": "count-target", "target": 4},
        {},
        "count-target.short",
        "3 of target 4 → 75 of 100",
        "3，目标值4，按比例得75分（满分100分）",
    ),
    (
        "count-target short, per missing",
        COUNT,
        Count(value=3),
        {"kind": "count-target", "target": 4, "per_missing": "0.5", "max": 3},
        {},
        "count-target.short-per-missing",
        "3 of required 4: 1 short × −0.5 → 2.5 of 3",
        "3，要求4：少1个，每少1个扣0.5分：得2.5分（满分3分）",
    ),
    (
        "deduction, none",
        OCCURRENCES,
        Occurrences(),
        {"kind": "deduction", "per": 20},
        {},
        "deduction.none",
        "no occurrences",
        "无扣分情形",
    ),
    (
        "deduction, none counted",
        OCCURRENCES,
        Occurrences(dates=["2023-12-30"]),
        {"kind": "deduction", "per": 20},
        {},
        "deduction.none-counted",
        "no occurrences (1 outside 2024-01-01 … 2024-12-31 or after 2025-03-31)",
        "无扣分情形（1次不在考核期2024年1月1日至2024年12月31日内或晚于2025年3月31日）",
    ),
    (
        "deduction",
        OCCURRENCES,
        Occurrences(dates=["2024-03-02", "2024-05-09"]),
        {"kind": "deduction", "per": 20},
        {},
        "deduction.deducted",
        "2 × −20 (2024-03-02, 2024-05-09) → 60 of 100",
        "扣分2次，每次扣20分（2024年3月2日、2024年5月9日）：得60分（满分100分）",
    ),
    (
        "deduction, one not counted",
        OCCURRENCES,
        Occurrences(dates=["2024-03-02", "2024-05-09", "2025-06-01"]),
        {"kind": "deduction", "per": 20},
        {},
        "deduction.deducted-ignored",
        "2 × −20 (2024-03-02, 2024-05-09); 1 not counted (outside the period or after "
        "2025-03-31) → 60 of 100",
        "扣分2次，每次扣20分（2024年3月2日、2024年5月9日）；另有1次不计（不在考核期内或晚于"
        "2025年3月31日）：得60分（满分100分）",
    ),
    (
        "deduction, capped",
        OCCURRENCES,
        Occurrences(dates=["2024-01-05", "2024-03-02", "2024-05-09", "2024-08-15"]),
        {"kind": "deduction", "per": 20, "cap": 50},
        {},
        "deduction.deducted-capped",
        "4 × −20 (2024-01-05, 2024-03-02, 2024-05-09, 2024-08-15), capped at −50 → 50 of 100",
        "扣分4次，每次扣20分（2024年1月5日、2024年3月2日、2024年5月9日、2024年8月15日），"
        "最多扣50分：得50分（满分100分）",
    ),
    (
        "deduction, capped, one not counted",
        OCCURRENCES,
        Occurrences(dates=["2024-01-05", "2024-03-02", "2025-08-15"]),
        {"kind": "deduction", "per": 20, "cap": 30},
        {},
        "deduction.deducted-capped-ignored",
        "2 × −20 (2024-01-05, 2024-03-02), capped at −30; 1 not counted (outside the period "
        "or after 2025-03-31) → 70 of 100",
        "扣分2次，每次扣20分（2024年1月5日、2024年3月2日），最多扣30分；另有1次不计（不在考核期"
        "内或晚于2025年3月31日）：得70分（满分100分）",
    ),
    (
        "deduction, priced",
        OCCURRENCES,
        Occurrences.of_kinds({"未按时报送": ["2024-07-12"], "未报送": ["2024-10-15"]}),
        {"kind": "deduction", "prices": {"未按时报送": "0.5", "未报送": 1}, "max": 3},
        {},
        "deduction.priced",
        "1 未按时报送 × −0.5 (2024-07-12), 1 未报送 × −1 (2024-10-15) → 1.5 of 3",
        "未按时报送1次，每次扣0.5分（2024年7月12日）、未报送1次，每次扣1分（2024年10月15日）："
        "得1.5分（满分3分）",
    ),
    (
        "deduction, priced, capped",
        OCCURRENCES,
        Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2024-05-09", "2024-06-01"]}),
        {"kind": "deduction", "prices": {"late": "0.5", "missed": 1}, "max": 2},
        {},
        "deduction.priced-capped",
        "1 late × −0.5 (2024-03-02), 2 missed × −1 (2024-05-09, 2024-06-01), capped at −2 → 0 of 2",
        "late1次，每次扣0.5分（2024年3月2日）、missed2次，每次扣1分（2024年5月9日、2024年6月1日），"
        "最多扣2分：得0分（满分2分）",
    ),
    (
        "deduction, priced, one not counted",
        OCCURRENCES,
        Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2025-06-01"]}),
        {"kind": "deduction", "prices": {"late": "0.5", "missed": 1}, "max": 2},
        {},
        "deduction.priced-ignored",
        "1 late × −0.5 (2024-03-02); 1 not counted (outside the period or after 2025-03-31) → "
        "1.5 of 2",
        "late1次，每次扣0.5分（2024年3月2日）；另有1次不计（不在考核期内或晚于2025年3月31日）："
        "得1.5分（满分2分）",
    ),
    (
        "deduction, priced, capped, one not counted",
        OCCURRENCES,
        Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2024-05-09", "2023-12-01"]}),
        {"kind": "deduction", "prices": {"late": "0.5", "missed": 1}, "max": 2, "cap": 1},
        {},
        "deduction.priced-capped-ignored",
        "1 late × −0.5 (2024-03-02), 1 missed × −1 (2024-05-09), capped at −1; 1 not counted "
        "(outside the period or after 2025-03-31) → 1 of 2",
        "late1次，每次扣0.5分（2024年3月2日）、missed1次，每次扣1分（2024年5月9日），最多扣1分；"
        "另有1次不计（不在考核期内或晚于2025年3月31日）：得1分（满分2分）",
    ),
    (
        "deadline on time",
        DATE,
        DateValue(date="2025-02-27"),
        {"kind": "deadline", "due": "2025-03-01", "per_day": 5},
        {},
        "deadline.on-time",
        "done 2025-02-27, due 2025-03-01: on time",
        "2025年2月27日完成，截止日期2025年3月1日：按时完成",
    ),
    (
        "deadline late, per day",
        DATE,
        DateValue(date="2025-03-04"),
        {"kind": "deadline", "due": "2025-03-01", "per_day": 5},
        {},
        "deadline.late-per-day",
        "done 2025-03-04, due 2025-03-01: 3 days late, −5 a day → 85 of 100",
        "2025年3月4日完成，截止日期2025年3月1日：逾期3天，每天扣5分：得85分（满分100分）",
    ),
    (
        "deadline late, fixed",
        DATE,
        DateValue(date="2025-03-02"),
        {"kind": "deadline", "due": "2025-03-01", "late": 30},
        {},
        "deadline.late-fixed",
        "done 2025-03-02, due 2025-03-01: 1 day late, −30 when late → 70 of 100",
        "2025年3月2日完成，截止日期2025年3月1日：逾期1天，逾期扣30分：得70分（满分100分）",
    ),
    (
        "deadline not done",
        DATE,
        DateValue(date="2025-04-02"),
        {"kind": "deadline", "due": "2025-03-01", "late": 30},
        {},
        "deadline.not-done",
        "dated 2025-04-02, after the evaluation date 2025-03-31: not done as of then",
        "日期为2025年4月2日，晚于考核评价日2025年3月31日：截至该日视为未完成",
    ),
    (
        "relative, proportional",
        VALUE,
        Value(value=80),
        {"kind": "relative"},
        {"peers": PEERS},
        "relative.proportional",
        "80 against best 100 of 3 → 80 of 100",
        "80，3个同类单位中最优为100：按比例得80分（满分100分）",
    ),
    (
        "relative, rank",
        VALUE,
        Value(value=80),
        {"kind": "relative", "method": "rank"},
        {"peers": PEERS},
        "relative.rank",
        "80: rank 2 of 3 → 50 of 100",
        "80，在3个同类单位中排名第2：得50分（满分100分）",
    ),
    (
        "given-score",
        VALUE,
        Value(value="8.6"),
        {"kind": "given-score", "out_of": 10},
        {},
        "given-score.scaled",
        "8.6 of 10 → 86 of 100",
        "评定得分8.6（满分10分）：折算得86分（满分100分）",
    ),
    (
        "overdue problems, none",
        PROBLEMS,
        _problems(),
        {"kind": "overdue-problems", "per": 25},
        {},
        "overdue-problems.none",
        "no problem overdue",
        "无逾期未整改问题",
    ),
    (
        "overdue problems, none by min_days",
        PROBLEMS,
        _problems(3),
        {"kind": "overdue-problems", "per": 25, "min_days": 7},
        {},
        "overdue-problems.none-by-min-days",
        "no problem overdue by 7 days or more",
        "无逾期7天及以上的未整改问题",
    ),
    (
        "overdue problems",
        PROBLEMS,
        _problems(12, 1),
        {"kind": "overdue-problems", "per": 25},
        {},
        "overdue-problems.deducted",
        "2 overdue × −25 (p-1 (12 days), p-2 (1 day)) → 50 of 100",
        "逾期未整改问题2个，每个扣25分：p-1（逾期12天）、p-2（逾期1天）；得50分（满分100分）",
    ),
    (
        "overdue problems, capped",
        PROBLEMS,
        _problems(40, 40, 40, 40, 40),
        {"kind": "overdue-problems", "per": 25, "cap": 100},
        {},
        "overdue-problems.deducted-capped",
        "5 overdue × −25 (p-1 (40 days), p-2 (40 days), p-3 (40 days), p-4 (40 days), p-5 "
        "(40 days)), capped at −100 → 0 of 100",
        "逾期未整改问题5个，每个扣25分：p-1（逾期40天）、p-2（逾期40天）、p-3（逾期40天）、"
        "p-4（逾期40天）、p-5（逾期40天）；最多扣100分，得0分（满分100分）",
    ),
]


@pytest.mark.parametrize(
    ("measure", "value", "rule", "options", "code", "english", "chinese"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_reason_reads_in_english_and_chinese(
    measure: Measure,
    value: ObservedValue,
    rule: dict[str, Any],
    options: dict[str, Any],
    code: str,
    english: str,
    chinese: str,
) -> None:
    """Each kind's reason has its code, its English text as before, and its Chinese text."""
    reason = _reason(measure, value, rule, **options)
    assert (reason.code, str(reason), reason.text("zh-CN")) == (code, english, chinese)
    assert reason.text("en") == english
    assert _message_problem(reason, builtin_catalogue()) is None


def test_rate_target_reason_parameters() -> None:
    """A rate-target reason carries the observed value's message and the points as shown."""
    reason = _reason(
        RATE, Rate.from_counts(91, 99), {"kind": "rate-target", "target": 100, "floor": 80}
    )
    assert params_data(reason) == {
        "observed": {
            "code": "value.rate-counts",
            "params": {"numerator": 91, "denominator": 99, "percent": "91.92"},
        },
        "target": "100",
        "floor": "80",
        "points": "59.60",
        "max": "100",
    }


def test_met_reason_names_its_comparison_as_a_message() -> None:
    """A met target's comparison is a message: ≥ or ≤ in English, 达到 or 不高于 in Chinese."""
    higher = _reason(
        RATE, Rate.from_percent("95"), {"kind": "rate-target", "target": 95, "floor": 80}
    )
    lower = _reason(
        RATE,
        Rate.from_counts(1, 20),
        {"kind": "rate-target", "target": 5, "floor": 20},
        direction="lower",
    )
    found = [r.param("comparison") for r in (higher, lower)]
    assert [(m.code, str(m), m.text("zh-CN")) for m in found] == [  # type: ignore[attr-defined]
        ("rule.at-least", "≥", "达到"),
        ("rule.at-most", "≤", "不高于"),
    ]


def test_deduction_reason_parameters() -> None:
    """A deduction's reason carries the count, the loss, the counted days and the points."""
    reason = _reason(
        OCCURRENCES,
        Occurrences(dates=["2024-01-05", "2024-03-02", "2025-08-15"]),
        {"kind": "deduction", "per": "12.5", "cap": 20},
    )
    assert reason.params == (
        ("count", 2),
        ("per", Decimal("12.5")),
        ("dates", (dt.date(2024, 1, 5), dt.date(2024, 3, 2))),
        ("cap", Decimal("20")),
        ("ignored", 1),
        ("as_of", dt.date(2025, 3, 31)),
        ("points", Decimal("80")),
        ("max", Decimal("100")),
    )


def test_parameters_as_written_are_shown_as_written() -> None:
    """A parameter written ``1e-400`` reads ``1E-400`` in both languages, as English always did."""
    reason = _reason(
        OCCURRENCES, Occurrences(dates=["2024-03-02"]), {"kind": "deduction", "per": "1e-400"}
    )
    assert str(reason).startswith("1 × −1E-400 (2024-03-02) → ")
    assert reason.text("zh-CN").startswith("扣分1次，每次扣1E-400分（2024年3月2日）：")


def test_batch_reasons_are_the_same_messages() -> None:
    """``score_batch`` gives each value the message ``score`` gives it, code and parameters."""
    indicator = _indicator(OCCURRENCES, "higher", {"kind": "deduction", "per": 20})
    rule = default_registry().compile(indicator.rule, indicator, make_converter())
    values = [Occurrences(), Occurrences(dates=["2024-03-02"]), Occurrences(dates=["2026-01-01"])]
    context = RuleContext(
        unit=UNIT, indicator=indicator, as_of=pendulum.Date(2025, 3, 31), period=PERIOD
    )
    batch = rule.score_batch(  # type: ignore[attr-defined]
        values,
        BatchContext(indicator=indicator, as_of=context.as_of, period=context.period),
    )
    singles = [rule.score(v, context).reason for v in values]
    assert [(r.code, r.params, str(r)) for r in batch.reasons] == [
        (r.code, r.params, str(r)) for r in singles
    ]


# -- every reason is what its templates say, on generated cases -------------------------


@st.composite
def _cases(draw: st.DrawFn, kind: type[RuleBase]) -> tuple[Any, Indicator, ObservedValue, Any]:
    measure = draw(st.sampled_from(sorted(kind.measures, key=lambda m: m.value)))
    direction = draw(st.sampled_from(Direction))
    params = draw(rule_params(kind.name, direction))
    indicator = Indicator(
        id="1.1",
        title="受检指标",
        parent="1",
        measure=measure,
        direction=direction,
        rule=RuleSpec(kind=kind.name, params=params),
    )
    value = draw(observed_values(measure, states=False))
    peers = draw(st.lists(observed_values(measure, states=False), max_size=3))
    # periods and dates around the generated values' own, so that most dates count
    start = draw(st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)))
    end = draw(st.dates(start, dt.date(2030, 12, 31)))
    as_of = draw(st.dates(start, dt.date(2031, 12, 31)))
    return indicator, value, peers, (start, end, as_of)


@pytest.mark.parametrize("kind", BUILTIN_KINDS, ids=lambda k: k.name)
def test_every_reason_is_what_its_templates_render(kind: type[RuleBase]) -> None:
    """On generated cases, every reason of every kind has both templates and reads as they do."""
    registry = default_registry()
    converter = make_converter()
    catalogue = builtin_catalogue()

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=_cases(kind))
    def check(case: tuple[Indicator, ObservedValue, list[ObservedValue], Any]) -> None:
        indicator, value, peers, (start, end, as_of) = case
        try:
            rule = registry.compile(indicator.rule, indicator, converter)
        except (SchemeError, ValidationError):
            return  # parameters that do not suit the indicator's direction
        context = RuleContext(
            unit=UNIT,
            indicator=indicator,
            as_of=pendulum.Date(as_of.year, as_of.month, as_of.day),
            period=Period(start=start, end=end),
            peers=PeerGroup({f"p{i}": v for i, v in enumerate([value, *peers])}),
        )
        try:
            outcome = rule.score(value, context)
        except EvaluationError as error:
            said = error.args[0]
            assert isinstance(said, Message)
            assert _message_problem(said, catalogue) is None
            return
        assert isinstance(outcome.reason, Message)
        assert _message_problem(outcome.reason, catalogue) is None, outcome.reason

    check()


# -- errors ------------------------------------------------------------------------------


def test_empty_denominator_declared_an_error_is_a_message() -> None:
    """``empty = "error"`` raises an error whose message names the place, in both languages."""
    with pytest.raises(EvaluationError) as info:
        _reason(RATE, UndefinedRate(), {"kind": "rate-target", "floor": 80, "empty": "error"})
    said = info.value.args[0]
    assert said.code == "rule.empty-is-error"
    assert str(said) == (
        "unit 'u1', indicator '1.1': empty denominator (0 of 0), which this scheme declares an "
        "error"
    )
    assert said.text("zh-CN") == "单位“u1”指标“1.1”：分母为空（0/0），本考核方案规定此情形为错误"
    assert said.param("place").code == "rule.at-unit"  # type: ignore[attr-defined]


def test_given_score_out_of_range_is_a_message() -> None:
    """A given score off its scale is refused at its row and when scored, in both languages."""
    indicator = _indicator(VALUE, "higher", {"kind": "given-score", "out_of": 10})
    rule = default_registry().compile(indicator.rule, indicator, make_converter())
    with pytest.raises(DataError) as refused:
        rule.check_value(Value(value=12))  # type: ignore[attr-defined]
    error = refused.value
    assert (error.code, str(error)) == (
        "given-score.out-of-range",
        "value: given score out of range (expected 0 to 10; got 12)",
    )
    assert error.problem.text("zh-CN") == "评定得分超出范围"  # type: ignore[attr-defined]
    assert error.expected.text("zh-CN") == "0至10"  # type: ignore[union-attr]
    with pytest.raises(EvaluationError) as info:
        _reason(VALUE, Value(value=12), {"kind": "given-score", "out_of": 10})
    said = info.value.args[0]
    assert (said.code, said.text("zh-CN")) == (
        "given-score.outside",
        "单位“u1”指标“1.1”：评定得分12超出0至10的范围",
    )


def test_partly_amount_outside_its_range_is_a_message() -> None:
    """A partly amount outside the declared range reads in both languages, with the range shown."""
    with pytest.raises(EvaluationError) as info:
        _reason(
            FLAG,
            Flag(value="部分", reason="x", amount=90),
            {"kind": "compliance", "partly_max": Decimal("62.5")},
        )
    said = info.value.args[0]
    assert (said.code, str(said), said.text("zh-CN")) == (
        "compliance.amount-outside",
        "unit 'u1', indicator '1.1': partly amount 90 outside 0 … 62.5",
        "单位“u1”指标“1.1”：部分达标的评定分值90超出0至62.5的范围",
    )


#: (measure, rule, code, English of the error, Chinese of its problem, of what was expected)
BAD_PARAMETERS: list[tuple[Measure, dict[str, Any], str, str, str, str]] = [
    (
        RATE,
        {"kind": "rate-target"},
        "rate-target.floor-or-per-point",
        "$.floor: give exactly one of 'floor' and 'per_point' (expected a floor rate "
        "(linear) or points per percentage point (per_point))",
        "floor与per_point须给出且只给出其中一项",
        "计0分的比率（floor，线性折算）或每个百分点的扣分（per_point）",
    ),
    (
        RATE,
        {"kind": "rate-target", "target": 90, "floor": 95},
        "rate-target.floor-above-target",
        "$.floor: floor above target for a higher-is-better indicator (expected below 90; got 95)",
        "越高越好的指标，floor高于目标值",
        "低于90",
    ),
    (
        RATE,
        {"kind": "bands", "bands": [{"min": 50, "points": 100}]},
        "bands.gap",
        "$.bands: the bands leave a gap at 0 for a rate measure (expected bands covering "
        "every possible value)",
        "分档未覆盖0（比率类指标）",
        "覆盖全部可能取值的分档",
    ),
    (
        RATE,
        {"kind": "bands", "bands": [{"points": 120}]},
        "bands.points-out-of-range",
        "$.bands[0].points: band points out of range (expected 0 to 100; got 120)",
        "分档得分超出范围",
        "0至100",
    ),
    (
        FLAG,
        {"kind": "compliance", "partly": 90, "partly_max": 80},
        "compliance.partly-outside-range",
        "$.partly: partly outside its range (expected 0 to 80; got 90)",
        "partly超出其范围",
        "0至80",
    ),
    (
        COUNT,
        {"kind": "count-target", "target": 4, "per_missing": 0},
        "count-target.per-missing-not-positive",
        "$.per_missing: per_missing must be positive (expected > 0; got 0)",
        "per_missing须为正数",
        "大于0",
    ),
    (
        OCCURRENCES,
        {"kind": "deduction", "per": 1, "prices": {"late": 1}},
        "deduction.per-or-prices",
        "$.per: give exactly one of 'per' and 'prices' (expected points lost per occurrence "
        "(per) or per kind of occurrence (prices))",
        "per与prices须给出且只给出其中一项",
        "每次情形的扣分（per）或每类情形的扣分（prices）",
    ),
    (
        OCCURRENCES,
        {"kind": "deduction", "prices": {}},
        "deduction.no-prices",
        "$.prices: no prices (expected at least one kind and its price, such as prices = "
        "{ late = 0.5 })",
        "未规定任何类别的扣分",
        "至少一类情形及其扣分，如prices = { late = 0.5 }",
    ),
    (
        OCCURRENCES,
        {"kind": "deduction", "prices": {"未 报送": 1}},
        "deduction.bad-kind",
        '$.prices."未 报送": not a kind of occurrence (expected a word with no spaces or list '
        "separators that is not a date, such as late; got '未 报送')",
        "不是有效的情形类别",
        "不含空格和分隔符、且不是日期的词，如“未报送”",
    ),
    (
        OCCURRENCES,
        {"kind": "deduction", "prices": {"未报送": 0}},
        "deduction.price-not-positive",
        "$.prices.\"未报送\": the price of '未报送' must be positive (expected > 0; got 0)",
        "“未报送”类情形的扣分须为正数",
        "大于0",
    ),
    (
        DATE,
        {"kind": "deadline", "due": "2025-03-01"},
        "deadline.per-day-or-late",
        "$.per_day: give exactly one of 'per_day' and 'late' (expected points lost per day "
        "late (per_day) or a fixed loss (late))",
        "per_day与late须给出且只给出其中一项",
        "逾期每天的扣分（per_day）或逾期的固定扣分（late）",
    ),
    (
        RATE,
        {"kind": "given-score"},
        "rule.cannot-score",
        "$.kind: rule kind 'rulelaw.given-score' cannot score a rate measure (expected an "
        "indicator measuring value)",
        "规则类型“rulelaw.given-score”不能为比率类指标计分",
        "计量方式为数值的指标",
    ),
    (
        RATE,
        {"kind": "no-such-kind"},
        "rule.unknown-kind",
        "$.kind: unknown rule kind 'no-such-kind' (expected one of 'rulelaw.bands', "
        "'rulelaw.compliance', 'rulelaw.count-target', 'rulelaw.deadline', "
        "'rulelaw.deduction', 'rulelaw.given-score', 'rulelaw.normalised', "
        "'rulelaw.overdue-problems', 'rulelaw.rate-target', 'rulelaw.relative')",
        "未知的规则类型“no-such-kind”",
        "以下之一：“rulelaw.bands”、“rulelaw.compliance”、“rulelaw.count-target”、"
        "“rulelaw.deadline”、“rulelaw.deduction”、“rulelaw.given-score”、"
        "“rulelaw.normalised”、“rulelaw.overdue-problems”、“rulelaw.rate-target”、"
        "“rulelaw.relative”",
    ),
]


@pytest.mark.parametrize(
    ("measure", "rule", "code", "english", "chinese", "expected"),
    BAD_PARAMETERS,
    ids=[case[2] for case in BAD_PARAMETERS],
)
def test_bad_parameters_are_refused_with_messages(
    measure: Measure, rule: dict[str, Any], code: str, english: str, chinese: str, expected: str
) -> None:
    """A rule's bad parameters are refused with a problem and an expectation in both languages."""
    indicator = _indicator(measure, "higher", rule)
    with pytest.raises(ValidationError) as info:
        default_registry().compile_scheme([indicator], make_converter())
    (error,) = info.value.errors
    assert error.code == code
    assert str(error) == english.replace("$.", "$.indicators[0].rule.", 1)
    assert error.problem.text("zh-CN") == chinese  # type: ignore[attr-defined]
    assert error.expected.text("zh-CN") == expected  # type: ignore[union-attr]


def test_no_kind_registered_is_said_in_both_languages() -> None:
    """An empty registry expects 'one of none registered'; in Chinese, that none is registered."""
    with pytest.raises(SchemeError) as info:
        Registry().get("rate-target")
    expected = info.value.expected
    assert isinstance(expected, Message)
    assert (str(expected), expected.text("zh-CN")) == (
        "one of none registered",
        "已注册的规则类型（当前没有）",
    )


# -- registration ------------------------------------------------------------------------


@attrs.define
class _Thawed:
    name: ClassVar[str] = "test.thawed"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.FLAG})
    max: Decimal = Decimal(100)

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        return Outcome.scored(self.max, "always full")


@attrs.frozen(kw_only=True)
class _Stray(RuleBase):
    name: ClassVar[str] = "test.stray"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.FLAG})
    messages: ClassVar[dict[str, dict[str, str]]] = {"other.met": {"en": "met", "zh-CN": "达标"}}

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        return self.full("met")


@pytest.mark.parametrize(
    ("kind", "code", "english", "chinese"),
    [
        (
            _Thawed,
            "rule.not-frozen",
            f"rule kind {__name__}._Thawed must be frozen (use @attrs.frozen): rules are values",
            f"规则类型{__name__}._Thawed须为不可变类（使用@attrs.frozen）：规则是值",
        ),
        (
            _Stray,
            "rule.message-outside-namespace",
            f"rule kind {__name__}._Stray: message code 'other.met' is outside the kind's "
            "namespace 'test.'",
            f"规则类型{__name__}._Stray：消息代码“other.met”不在其命名空间“test.”内",
        ),
    ],
    ids=["not-frozen", "outside-namespace"],
)
def test_registration_errors_are_messages(
    kind: type, code: str, english: str, chinese: str
) -> None:
    """A kind refused at registration is told why in a message, English as before and Chinese."""
    with pytest.raises(RegistrationError) as info:
        Registry().register(kind)
    said = info.value.args[0]
    assert isinstance(said, Message)
    assert (said.code, str(info.value), said.text("zh-CN")) == (code, english, chinese)


# -- RuleBase.say -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Survey(RuleBase):
    """A kind speaking its own messages, nesting an observed value's."""

    name: ClassVar[str] = "acmetest.survey"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.VALUE})
    messages: ClassVar[dict[str, dict[str, str]]] = {
        "acmetest.survey.met": {"en": "{observed} met", "zh-CN": "{observed}，达标"},
    }

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        return self.full(self.say("acmetest.survey.met", observed=value.describe()))


def test_say_renders_the_kinds_own_templates_nesting_rulelaws() -> None:
    """``say`` renders the kind's English template now; its catalogue renders it in Chinese."""
    said = _Survey().say("acmetest.survey.met", observed=Rate.from_counts(9, 10).describe())
    assert (said.code, str(said)) == ("acmetest.survey.met", "9/10 (90.00%) met")
    assert said.text("zh-CN", kind_catalogue(_Survey)) == "9/10（90.00%），达标"
    registry = default_registry()
    registry.register(_Survey)
    assert said.text("zh-CN", registry.catalogue()) == "9/10（90.00%），达标"


def test_say_docstring_example_runs() -> None:
    """``RuleBase.say``'s docstring example runs as a doctest."""
    import doctest

    from rulelaw.rules import _protocol

    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner()
    for test in finder.find(RuleBase.say, "say", globs=vars(_protocol)):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert (results.failed, results.attempted >= 4) == (0, True)
