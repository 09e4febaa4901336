"""Two rubric shapes: points lost per one short of a count, and deductions priced by kind.

``count-target`` with ``per_missing`` (每少一次扣0.5分) and ``deduction`` with
``prices`` (未按时报送扣0.5分，未报送扣1分, one pool): hand-computed scores on
both scoring paths, the reasons in both languages, the parameters' checks,
and the evidence syntax (``late 2024-03-02``) read row by row and column by
column, refused at its file, row and column.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings

import rulelaw
from rulelaw import (
    Assessment,
    Count,
    EvaluationError,
    Evidence,
    Indicator,
    Level,
    Measure,
    Observation,
    Occurrences,
    Period,
    RuleSpec,
    Unit,
    ValidationError,
    default_registry,
)
from rulelaw.errors import DataError
from rulelaw.files import _columnar, make_converter, scheme_from_text
from rulelaw.model.evidence import parse_occurrence
from rulelaw.rules import BatchContext, RuleContext
from rulelaw.testing import check_paths_agree, check_rule_kind, observed_values, rule_params
from rulelaw.testing._common import OCCURRENCE_KINDS

UNIT = Unit(id="u1", name="青岚县", level=Level.COUNTY, category="county")
PERIOD = Period(start="2024-01-01", end="2024-12-31")
AS_OF = pendulum.Date(2025, 3, 31)
REPORTS = {"kind": "deduction", "prices": {"late": "0.5", "missed": 1}, "max": 2}


def _indicator(measure: Measure, rule: dict[str, Any]) -> Indicator:
    params = dict(rule)
    return Indicator(
        id="1.1",
        title="材料报送",
        parent="1",
        measure=measure,
        rule=RuleSpec(kind=params.pop("kind"), params=params),
    )


def _rule(measure: Measure, rule: dict[str, Any]) -> Any:
    indicator = _indicator(measure, rule)
    return default_registry().compile(indicator.rule, indicator, make_converter())


def _context(measure: Measure, rule: dict[str, Any]) -> RuleContext:
    return RuleContext(unit=UNIT, indicator=_indicator(measure, rule), as_of=AS_OF, period=PERIOD)


def _score(measure: Measure, rule: dict[str, Any], value: Any) -> rulelaw.Outcome:
    return _rule(measure, rule).score(value, _context(measure, rule))  # type: ignore[no-any-return]


def _problems(measure: Measure, rule: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(ValidationError) as info:
        default_registry().compile_scheme([_indicator(measure, rule)], make_converter())
    return [(e.code, e.key_path or "", str(e)) for e in info.value.errors]  # type: ignore[attr-defined]


# -- count-target, per_missing -----------------------------------------------------------

PER_MISSING = {"kind": "count-target", "target": 4, "per_missing": "0.5", "max": 3}


@pytest.mark.parametrize(
    ("count", "points"),
    [(4, 3), (7, 3), (3, Fraction(5, 2)), (1, Fraction(3, 2)), (0, 1)],
)
def test_per_missing_loses_a_fixed_amount_for_each_one_short(count: int, points: Any) -> None:
    """Target 4, −0.5 a missing one, of 3: 4 or more → 3; 3 → 2.5; 1 → 1.5; 0 → 3 − 2 = 1."""
    assert _score(Measure.COUNT, PER_MISSING, Count(value=count)).points == points


def test_per_missing_stops_at_zero() -> None:
    """Target 4, −1 a missing one, of 3: 0 held is 4 short, 3 − 4 < 0 → 0, never negative."""
    rule = {**PER_MISSING, "per_missing": 1}
    outcome = _score(Measure.COUNT, rule, Count(value=0))
    assert outcome.points == 0
    assert outcome.reason == "0 of required 4: 4 short × −1 → 0 of 3"


def test_per_missing_reason_in_both_languages() -> None:
    """3 of 4 at −0.5 a missing one, of 3: 1 short → 2.5, in English and Chinese."""
    reason = _score(Measure.COUNT, PER_MISSING, Count(value=3)).reason
    assert reason.code == "count-target.short-per-missing"  # type: ignore[attr-defined]
    assert reason == "3 of required 4: 1 short × −0.5 → 2.5 of 3"
    assert reason.text("zh-CN") == (  # type: ignore[attr-defined]
        "3，要求4：少1个，每少1个扣0.5分：得2.5分（满分3分）"
    )


def test_without_per_missing_a_count_stays_proportional() -> None:
    """The default is unchanged: target 4 of 100, 3 held → 100 × 3 / 4 = 75."""
    outcome = _score(Measure.COUNT, {"kind": "count-target", "target": 4}, Count(value=3))
    assert (outcome.points, outcome.reason) == (75, "3 of target 4 → 75 of 100")


@pytest.mark.parametrize("bad", [0, -1, "-0.5"])
def test_per_missing_must_be_positive(bad: object) -> None:
    """A per_missing of 0 or less is refused at its key path, with the kind's own code."""
    ((code, path, _),) = _problems(Measure.COUNT, {**PER_MISSING, "per_missing": bad})
    assert (code, path) == (
        "count-target.per-missing-not-positive",
        "$.indicators[0].rule.per_missing",
    )


# -- deduction, prices --------------------------------------------------------------------


def test_priced_kinds_come_off_one_pool() -> None:
    """Late −0.5, missed −1, of 2: one late and one missed → 2 − 0.5 − 1 = 0.5."""
    value = Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2024-05-09"]})
    outcome = _score(Measure.OCCURRENCES, REPORTS, value)
    assert outcome.points == Fraction(1, 2)
    assert outcome.reason == "1 late × −0.5 (2024-03-02), 1 missed × −1 (2024-05-09) → 0.5 of 2"


def test_priced_kinds_stop_at_zero_together() -> None:
    """One late and two missed lose 0.5 + 2 = 2.5 of 2: the pool stops at 0 (capped at −2)."""
    value = Occurrences.of_kinds({"missed": ["2024-05-09", "2024-06-01"], "late": ["2024-03-02"]})
    outcome = _score(Measure.OCCURRENCES, REPORTS, value)
    assert outcome.points == 0
    assert outcome.reason == (
        "1 late × −0.5 (2024-03-02), 2 missed × −1 (2024-05-09, 2024-06-01), capped at −2 → 0 of 2"
    )


def test_the_cap_applies_to_the_pool() -> None:
    """Cap 1.5 of 4: 1 late + 2 missed lose 2.5, capped at 1.5 → 4 − 1.5 = 2.5."""
    rule = {**REPORTS, "max": 4, "cap": "1.5"}
    value = Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2024-05-09", "2024-06-01"]})
    assert _score(Measure.OCCURRENCES, rule, value).points == Fraction(5, 2)


def test_priced_reason_lists_each_kind_and_what_did_not_count_in_both_languages() -> None:
    """Two late in 2024 count (−1 of 2 → 1); one missed dated 2025-06-01 is after as_of."""
    value = Occurrences.of_kinds({"late": ["2024-07-12", "2024-01-15"], "missed": ["2025-06-01"]})
    reason = _score(Measure.OCCURRENCES, REPORTS, value).reason
    assert reason.code == "deduction.priced-ignored"  # type: ignore[attr-defined]
    assert reason == (
        "2 late × −0.5 (2024-01-15, 2024-07-12); 1 not counted (outside the period or after "
        "2025-03-31) → 1 of 2"
    )
    assert reason.text("zh-CN") == (  # type: ignore[attr-defined]
        "late2次，每次扣0.5分（2024年1月15日、2024年7月12日）；另有1次不计（不在考核期内或晚于"
        "2025年3月31日）：得1分（满分2分）"
    )


def test_priced_kinds_are_listed_from_the_cheapest_whatever_the_order_written() -> None:
    """The reason lists kinds by price, then name: the same for either order in the scheme."""
    value = Occurrences.of_kinds({"未报送": ["2024-10-15"], "未按时报送": ["2024-07-12"]})
    first = {"kind": "deduction", "prices": {"未报送": 1, "未按时报送": "0.5"}, "max": 3}
    second = {"kind": "deduction", "prices": {"未按时报送": "0.5", "未报送": 1}, "max": 3}
    reasons = {str(_score(Measure.OCCURRENCES, r, value).reason) for r in (first, second)}
    assert reasons == {"1 未按时报送 × −0.5 (2024-07-12), 1 未报送 × −1 (2024-10-15) → 1.5 of 3"}
    zh = _score(Measure.OCCURRENCES, first, value).reason.text("zh-CN")  # type: ignore[attr-defined]
    assert zh == (
        "未按时报送1次，每次扣0.5分（2024年7月12日）、未报送1次，每次扣1分（2024年10月15日）："
        "得1.5分（满分3分）"
    )


def test_priced_reason_parameters() -> None:
    """Each kind's part carries its count, kind, price as written and days."""
    value = Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2024-05-09"]})
    reason = _score(Measure.OCCURRENCES, REPORTS, value).reason
    late, missed = reason.param("items")  # type: ignore[attr-defined]
    assert late.code == "deduction.priced-item"
    assert dict(late.params) == {
        "count": 1,
        "kind": "late",
        "price": Decimal("0.5"),
        "dates": (pendulum.Date(2024, 3, 2),),
    }
    assert missed.param("price") == Decimal(1)
    assert reason.param("points") == Decimal("0.5")  # type: ignore[attr-defined]


def test_a_priced_batch_gives_what_score_gives() -> None:
    """score_batch of several kinded lists: 0.5, 2 (none), 1 (2 late), 0 (3 missed, capped)."""
    rule = _rule(Measure.OCCURRENCES, REPORTS)
    values = [
        Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2024-05-09"]}),
        Occurrences(),
        Occurrences.of_kinds({"late": ["2024-03-02", "2024-04-02"]}),
        Occurrences.of_kinds({"missed": ["2024-03-02", "2024-04-02", "2024-05-02"]}),
    ]
    context = _context(Measure.OCCURRENCES, REPORTS)
    batch = rule.score_batch(
        values, BatchContext(indicator=context.indicator, as_of=AS_OF, period=PERIOD)
    )
    assert list(batch.points) == [Fraction(1, 2), 2, 1, 0]
    assert list(batch.reasons) == [rule.score(v, context).reason for v in values]


@pytest.mark.parametrize(
    ("rule", "value", "message"),
    [
        (
            REPORTS,
            Occurrences.of_kinds({"late": ["2024-03-02"], "lost": ["2024-05-09"]}),
            "unit 'u1', indicator '1.1': occurrence of kind 'lost', which the rule does not "
            "price (expected one of 'late', 'missed' before each date, as in late 2024-03-02; "
            "got 'lost 2024-05-09')",
        ),
        (
            REPORTS,
            Occurrences(dates=["2024-03-02"]),
            "unit 'u1', indicator '1.1': occurrence of no kind, but the rule prices "
            "occurrences by kind (expected one of 'late', 'missed' before each date, as in "
            "late 2024-03-02; got '2024-03-02')",
        ),
        (
            {"kind": "deduction", "per": 1},
            Occurrences.of_kinds({"late": ["2024-03-02"]}),
            "unit 'u1', indicator '1.1': occurrence of kind 'late', which the rule does not "
            "price (expected dates alone (the rule prices no kinds); got 'late 2024-03-02')",
        ),
    ],
    ids=["unpriced-kind", "no-kind", "kind-without-prices"],
)
def test_an_occurrence_the_rule_does_not_price_is_an_evaluation_error(
    rule: dict[str, Any], value: Occurrences, message: str
) -> None:
    """In an assessment built in code, an unpriced kind stops scoring with a message."""
    with pytest.raises(EvaluationError) as info:
        _score(Measure.OCCURRENCES, rule, value)
    assert str(info.value) == message
    assert info.value.args[0].code == "deduction.cannot-score"


@pytest.mark.parametrize(
    ("rule", "code", "path"),
    [
        ({"kind": "deduction"}, "deduction.per-or-prices", "per"),
        ({"kind": "deduction", "per": 1, "prices": {"late": 1}}, "deduction.per-or-prices", "per"),
        ({"kind": "deduction", "prices": {}}, "deduction.no-prices", "prices"),
        (
            {"kind": "deduction", "prices": {"late": 0}},
            "deduction.price-not-positive",
            "prices.late",
        ),
        (
            {"kind": "deduction", "prices": {"未报送": -1}},
            "deduction.price-not-positive",
            'prices."未报送"',
        ),
        (
            {"kind": "deduction", "prices": {"not on time": 1}},
            "deduction.bad-kind",
            'prices."not on time"',
        ),
        (
            {"kind": "deduction", "prices": {"2024-03-02": 1}},
            "deduction.bad-kind",
            "prices.2024-03-02",
        ),
    ],
    ids=["neither", "both", "empty", "zero", "negative", "spaces", "a-date"],
)
def test_bad_prices_are_refused_at_their_key_path(
    rule: dict[str, Any], code: str, path: str
) -> None:
    """Exactly one of per and prices; prices at least one, each positive, of a usable kind."""
    ((found, where, _),) = _problems(Measure.OCCURRENCES, rule)
    assert (found, where) == (code, f"$.indicators[0].rule.{path}")


def test_a_bad_price_reads_in_both_languages() -> None:
    """The price of 'late' at 0: the problem names the kind, in English and in Chinese."""
    with pytest.raises(ValidationError) as info:
        default_registry().compile_scheme(
            [_indicator(Measure.OCCURRENCES, {"kind": "deduction", "prices": {"late": 0}})],
            make_converter(),
        )
    (error,) = info.value.errors
    assert str(error) == (
        "$.indicators[0].rule.prices.late: the price of 'late' must be positive "
        "(expected > 0; got 0)"
    )
    assert error.problem.text("zh-CN") == "“late”类情形的扣分须为正数"  # type: ignore[attr-defined]


# -- the evidence: kinds of occurrence ---------------------------------------------------


def test_occurrences_keep_kinds_in_order_of_day_then_kind() -> None:
    """Kinds follow their days into date order; all-plain kinds are no kinds at all."""
    value = Occurrences(dates=["2024-05-09", "2024-03-02", "2024-03-02"], kinds=["b", "", "a"])
    assert value.dates == (
        pendulum.Date(2024, 3, 2),
        pendulum.Date(2024, 3, 2),
        pendulum.Date(2024, 5, 9),
    )
    assert value.kinds == ("", "a", "b")
    assert Occurrences(dates=["2024-03-02"], kinds=[""]) == Occurrences(dates=["2024-03-02"])
    assert Occurrences(dates=["2024-03-02"], kinds=[""]).kinds == ()


def test_kinded_occurrences_describe_themselves_in_both_languages() -> None:
    """``2: late 2024-03-02, 2024-05-09``; in Chinese the kind follows its day."""
    shown = Occurrences(dates=["2024-05-09", "2024-03-02"], kinds=["", "late"]).describe()
    assert (shown.code, str(shown)) == ("value.occurrences", "2: late 2024-03-02, 2024-05-09")
    assert shown.text("zh-CN") == "2次：2024年3月2日（late）、2024年5月9日"


def test_kinds_must_be_one_a_date_and_usable_words() -> None:
    """Two kinds for one date, or a kind with a space, are data errors."""
    with pytest.raises(DataError, match="2 kinds for 1 dates"):
        Occurrences(dates=["2024-03-02"], kinds=["a", "b"])
    with pytest.raises(DataError, match="not a kind of occurrence"):
        Occurrences(dates=["2024-03-02"], kinds=["a b"])


@pytest.mark.parametrize(
    ("text", "kind", "day"),
    [
        ("2024-03-02", "", pendulum.Date(2024, 3, 2)),
        ("late 2024-03-02", "late", pendulum.Date(2024, 3, 2)),
        ("  未报送\u30002024-05-09 ", "未报送", pendulum.Date(2024, 5, 9)),
    ],
)
def test_a_cell_part_is_a_date_or_a_kind_and_a_date(
    text: str, kind: str, day: pendulum.Date
) -> None:
    """A part reads as a plain date, or a kind, whitespace (a full-width space too), a date."""
    assert parse_occurrence(text) == (kind, day)


@settings(max_examples=60, deadline=None)
@given(observed_values(Measure.OCCURRENCES, states=False))
def test_every_occurrence_list_survives_its_cell(value: Occurrences) -> None:
    """Written as dump writes a dates cell and read back part by part, a list is itself."""
    kinds = value.kinds or ("",) * len(value.dates)
    cell = ";".join(f"{k} {d}" if k else str(d) for k, d in zip(kinds, value.dates, strict=True))
    parts = [parse_occurrence(p) for p in cell.split(";") if p]
    back = Occurrences(dates=[d for _, d in parts], kinds=[k for k, _ in parts])
    assert back == value


@settings(max_examples=40, deadline=None)
@given(rule_params("deduction"))
def test_drawn_deduction_parameters_price_invented_kinds(params: dict[str, Any]) -> None:
    """Drawn deductions give per or prices (never both), the kinds from the invented words."""
    assert ("per" in params) != ("prices" in params)
    assert set(params.get("prices", {})) <= set(OCCURRENCE_KINDS)
    _rule(Measure.OCCURRENCES, {"kind": "deduction", **params})


def test_the_built_in_kinds_still_conform() -> None:
    """check_rule_kind passes count-target and deduction with their new parameters drawn."""
    from rulelaw.rules.kinds import CountTarget, Deduction

    check_rule_kind(CountTarget, examples=60)
    check_rule_kind(Deduction, examples=60)


# -- a folder: both readers, both scoring paths, errors at their row ---------------------

SCHEME = """\
id = "shapes"
title = "评分写法示例"
version = "1"
period = { start = 2024-01-01, end = 2024-12-31 }
scale = 10

[[categories]]
id = "department"
name = "县直部门"
maximum = 10

[scoring]
as_of = 2025-03-31

[[dimensions]]
id = "1"
title = "组织领导"

[[indicators]]
id = "1.1"
parent = "1"
title = "集体学法"
measure = "count"
rule = { kind = "count-target", target = 4, per_missing = 0.5, max = 3 }

[[indicators]]
id = "1.2"
parent = "1"
title = "材料报送"
measure = "occurrences"
rule = { kind = "deduction", prices = { late = 0.5, missed = 1 }, max = 3 }

[[indicators]]
id = "1.3"
parent = "1"
title = "执法问题"
measure = "occurrences"
rule = { kind = "deduction", per = 1, max = 4 }

[weights.department]
"1.1" = 3
"1.2" = 3
"1.3" = 4
"""
UNITS = """\
id,name,level,category
d1,甲局,county,department
d2,乙局,county,department
d3,丙局,county,department
"""
EVIDENCE = """\
unit,indicator,value,dates
d1,1.1,3,
d1,1.2,,missed 2024-05-09；late 2024-03-02
d1,1.3,,2024-06-01
d2,1.1,0,
d2,1.2,,late 2024-01-10;late 2024-02-10;missed 2024-03-10;missed 2024-04-10
d2,1.3,,
d3,1.1,4,
d3,1.2,,"late 2024-03-02, late 2025-05-01"
d3,1.3,,2024-06-01、2024-07-01
"""


def _folder(tmp_path: Path, evidence: str = EVIDENCE) -> Path:
    folder = tmp_path / "shapes"
    folder.mkdir()
    (folder / "scheme.toml").write_text(SCHEME, encoding="utf-8")
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "evidence.csv").write_text(evidence, encoding="utf-8")
    return folder


def test_a_folder_scores_the_same_on_both_paths_and_both_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule max = weight, so rule points add up to the total (of 10).

    d1: 3 of 4 → 3 − 0.5 = 2.5; late + missed → 3 − 1.5 = 1.5; one → 4 − 1 = 3: 7.
    d2: 0 of 4 → 3 − 2 = 1; 2 late + 2 missed → 3 − 3 = 0; none → 4: 5.
    d3: 4 → 3; 1 late counted (one after as_of) → 2.5; two → 2: 7.5.
    """
    folder = _folder(tmp_path)
    monkeypatch.setattr(_columnar, "COLUMNAR_FROM", 0)  # load() reads column by column
    result = check_paths_agree(folder)  # and by rows, then scores both ways
    totals = {u.unit: u.total for u in result.units}
    assert totals == {"d1": Decimal("7.00"), "d2": Decimal("5.00"), "d3": Decimal("7.50")}
    points = {(u.unit, r.indicator): r.rule_points for u in result.units for r in u.indicators}
    assert points[("d2", "1.2")] == Decimal("0.00")
    assert points[("d3", "1.2")] == Decimal("2.50")
    loaded = rulelaw.load(folder)
    d1 = loaded.evidence.get("d1", "1.2").value
    assert d1 == Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2024-05-09"]})


def test_a_kinded_folder_comes_back_equal_from_dump(tmp_path: Path) -> None:
    """Dump writes each kind before its day; load reads the same assessment back."""
    loaded = rulelaw.load(_folder(tmp_path))
    rulelaw.dump(loaded, tmp_path / "again")
    text = (tmp_path / "again" / "evidence.csv").read_text(encoding="utf-8")
    assert "late 2024-03-02;missed 2024-05-09" in text
    assert rulelaw.load(tmp_path / "again") == loaded


@pytest.mark.parametrize("columnar", [True, False], ids=["by-columns", "by-rows"])
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "missed 2024-05-09；late",
            "lost 2024-05-09；late",
            "evidence.csv, row 3, column 'dates': occurrence of kind 'lost', which the rule "
            "does not price (expected one of 'late', 'missed' before each date, as in late "
            "2024-03-02; got 'lost 2024-05-09')",
        ),
        (
            "missed 2024-05-09；late",
            "2024-05-09；late",
            "evidence.csv, row 3, column 'dates': occurrence of no kind, but the rule prices "
            "occurrences by kind (expected one of 'late', 'missed' before each date, as in "
            "late 2024-03-02; got '2024-05-09')",
        ),
        (
            "d1,1.3,,2024-06-01",
            "d1,1.3,,late 2024-06-01",
            "evidence.csv, row 4, column 'dates': occurrence of kind 'late', which the rule "
            "does not price (expected dates alone (the rule prices no kinds); got "
            "'late 2024-06-01')",
        ),
        (
            "missed 2024-05-09；late",
            "missed 2024-5-9；late",
            "evidence.csv, row 3, column 'dates': not a date (expected a date YYYY-MM-DD, or a "
            "kind and a date such as late 2024-03-02; got 'missed 2024-5-9')",
        ),
        (
            "missed 2024-05-09；late",
            "missed twice 2024-05-09；late",
            "evidence.csv, row 3, column 'dates': not a kind of occurrence (expected a word "
            "with no spaces or list separators that is not a date, such as late; got "
            "'missed twice')",
        ),
    ],
    ids=["unpriced", "no-kind", "kind-without-prices", "bad-date", "bad-kind"],
)
def test_an_occurrence_the_rule_cannot_price_is_refused_at_its_row_and_column(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    columnar: bool,
    old: str,
    new: str,
    message: str,
) -> None:
    """Loading reports the cell at its file, row and column, whichever reader reads it."""
    assert EVIDENCE.count(old) == 1
    folder = _folder(tmp_path, EVIDENCE.replace(old, new))
    monkeypatch.setattr(_columnar, "COLUMNAR_FROM", 0 if columnar else 1 << 60)
    with pytest.raises(ValidationError) as info:
        rulelaw.load(folder)
    assert [str(e) for e in info.value.errors] == [message]


def test_a_refused_kind_reads_in_chinese(tmp_path: Path) -> None:
    """The same refusal, in Chinese: the file, row and column, the kinds the rule prices."""
    folder = _folder(tmp_path, EVIDENCE.replace("missed 2024-05-09；late", "lost 2024-05-09；late"))
    with pytest.raises(ValidationError) as info:
        rulelaw.load(folder)
    (error,) = info.value.errors
    assert error.text("zh-CN") == (  # type: ignore[attr-defined]
        "evidence.csv，第3行“dates”列：扣分规则未对“lost”类情形规定扣分（应为每个日期前注明类别"
        "“late”、“missed”之一，如“late 2024-03-02”；实为“lost 2024-05-09”）"
    )


def test_dates_in_the_value_column_are_refused_there(tmp_path: Path) -> None:
    """Without a dates cell the list is read from value, and refused at column 'value'."""
    evidence = "unit,indicator,value\nd1,1.1,3\nd1,1.2,lost 2024-05-09\n"
    with pytest.raises(ValidationError) as info:
        rulelaw.load(_folder(tmp_path, evidence))
    (error,) = info.value.errors
    assert (error.file, error.row, error.column) == ("evidence.csv", 3, "value")  # type: ignore[attr-defined]


def test_an_assessment_built_in_code_agrees_on_both_paths() -> None:
    """Kinded occurrences built in code: 1 late, 1 missed of 3 → 1.5, the same both ways."""
    scheme = scheme_from_text(SCHEME)
    units = [Unit(id="d1", name="甲局", level=Level.COUNTY, category="department")]
    value = Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2024-05-09"]})
    evidence = Evidence(
        [
            Observation(unit="d1", indicator="1.1", value=Count(value=4)),
            Observation(unit="d1", indicator="1.2", value=value),
            Observation(unit="d1", indicator="1.3", value=Occurrences()),
        ]
    )
    result = check_paths_agree(Assessment(scheme=scheme, units=units, evidence=evidence))
    assert result.unit("d1").total == Decimal("8.50")  # 3 + (3 − 1.5) + 4
