"""The frozen domain values: hand-computed examples of what they hold, derive and refuse."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest

from rulelaw.errors import (
    DataError,
    EncodingError,
    InputError,
    LookupFailed,
    RulelawError,
    SchemeError,
    ValidationError,
)
from rulelaw.model import (
    DEFAULT_GRADE_SCALE,
    PARTY_HEAD,
    Category,
    CategoryWeights,
    Count,
    DateValue,
    Dimension,
    Duty,
    DutyList,
    Evidence,
    Flag,
    FlagValue,
    Grade,
    GradeScale,
    Indicator,
    Level,
    Measure,
    NotApplicable,
    NotSubmitted,
    Observation,
    Occurrences,
    Period,
    Rate,
    RoundingMode,
    RoundingPolicy,
    RuleSpec,
    Scheme,
    Tenure,
    UndefinedRate,
    Unit,
    Value,
)
from rulelaw.model._base import iso_date, to_decimal

YEAR_2024 = Period(start="2024-01-01", end="2024-12-31")


def day(text: str) -> pendulum.Date:
    """The pendulum date of an ISO text."""
    return pendulum.Date.fromisoformat(text)


def message(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """The text of a caught error."""
    return str(excinfo.value)


# -- periods and tenures --------------------------------------------------------------


def test_period_days_in_a_leap_year() -> None:
    """2024 has 366 days, both ends counted."""
    assert YEAR_2024.days == 366


def test_period_days_in_a_common_year() -> None:
    """2023 has 365 days."""
    assert Period(start="2023-01-01", end="2023-12-31").days == 365


def test_one_day_period() -> None:
    """A period starting and ending on the same day lasts one day."""
    assert Period(start="2024-02-29", end="2024-02-29").days == 1


def test_period_contains_both_ends() -> None:
    """A period contains its first and last day and nothing outside them."""
    assert day("2024-01-01") in YEAR_2024
    assert day("2024-12-31") in YEAR_2024
    assert day("2025-01-01") not in YEAR_2024
    assert "2024-06-01" not in YEAR_2024


def test_period_text() -> None:
    """A period reads as its two ends."""
    assert str(YEAR_2024) == "2024-01-01 … 2024-12-31"


def test_period_ending_before_it_starts() -> None:
    """A period ending before it starts is a scheme error naming both days."""
    with pytest.raises(SchemeError) as excinfo:
        Period(start="2024-01-01", end="2023-12-31")
    assert message(excinfo) == (
        "end: period ends before it starts "
        "(expected a date on or after 2024-01-01; got '2023-12-31')"
    )


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2024-07-01", None, 184),  # open: July to December
        ("2023-01-01", "2024-06-30", 182),  # 31 + 29 + 31 + 30 + 31 + 30
        ("2024-12-31", None, 1),  # starts on the last day
        ("2023-03-01", "2024-01-01", 1),  # ends on the first day
        ("2022-01-01", "2023-12-31", 0),  # over before the period
        ("2025-01-01", None, 0),  # starts after the period
        ("2020-01-01", "2030-12-31", 366),  # spans the whole period
    ],
)
def test_tenure_overlap_days(start: str, end: str | None, days: int) -> None:
    """Overlap days count the days of 2024 in post, both ends included."""
    tenure = Tenure(person="p-101", unit="unit-001", role="party-head", start=start, end=end)
    assert tenure.overlap_days(YEAR_2024) == days


def test_tenure_covers_its_ends() -> None:
    """A tenure covers its first and last day, and no day outside them."""
    tenure = Tenure(
        person="p-101", unit="unit-001", role="party-head", start="2024-03-01", end="2024-06-30"
    )
    assert tenure.covers(day("2024-03-01"))
    assert tenure.covers(day("2024-06-30"))
    assert not tenure.covers(day("2024-02-29"))
    assert not tenure.covers(day("2024-07-01"))


def test_open_tenure_covers_every_later_day() -> None:
    """A tenure without an end covers every day from its start on."""
    tenure = Tenure(person="p-101", unit="unit-001", role="party-head", start="2024-03-01")
    assert tenure.covers(day("2099-12-31"))
    assert not tenure.covers(day("2024-02-29"))


@pytest.mark.parametrize(
    ("first_end", "second_start", "expected"),
    [
        ("2024-06-30", "2024-06-30", True),  # hand-over on the same day: both in post
        ("2024-06-30", "2024-07-01", False),  # next day: no shared day
        (None, "2030-01-01", True),  # an open tenure reaches every later start
    ],
)
def test_tenure_overlaps(first_end: str | None, second_start: str, expected: bool) -> None:
    """Two tenures overlap when they share a day; the answer is the same both ways round."""
    first = Tenure(
        person="p-101", unit="unit-001", role="party-head", start="2023-01-01", end=first_end
    )
    second = Tenure(person="p-102", unit="unit-001", role="party-head", start=second_start)
    assert first.overlaps(second) is expected
    assert second.overlaps(first) is expected


def test_tenure_ending_before_it_starts() -> None:
    """A tenure ending before it starts is a data error naming both days."""
    with pytest.raises(DataError) as excinfo:
        Tenure(
            person="p-101", unit="unit-001", role="party-head", start="2024-07-01", end="2024-06-30"
        )
    assert message(excinfo) == (
        "end: tenure ends before it starts "
        "(expected a date on or after 2024-07-01; got '2024-06-30')"
    )


def test_evolve_checks_again() -> None:
    """``attrs.evolve`` re-runs the checks: moving a tenure's end before its start raises."""
    tenure = Tenure(person="p-101", unit="unit-001", role="party-head", start="2024-07-01")
    assert attrs.evolve(tenure, end="2024-12-31").end == day("2024-12-31")
    with pytest.raises(DataError, match="tenure ends before it starts"):
        attrs.evolve(tenure, end="2023-01-01")


def test_evolve_checks_a_category_maximum() -> None:
    """Evolving a category to a zero maximum is refused as a scheme error."""
    county = Category(id="county", name="县市区")
    with pytest.raises(SchemeError) as excinfo:
        attrs.evolve(county, maximum=0)
    assert message(excinfo) == "maximum: maximum must be positive (expected > 0; got 0)"


# -- ids, units, levels ---------------------------------------------------------------


def test_id_with_spaces_is_a_data_error_for_units() -> None:
    """A unit id with surrounding spaces is refused as a data error naming the field."""
    with pytest.raises(DataError) as excinfo:
        Unit(id=" unit-001", name="青岚县", level="county", category="county")
    assert message(excinfo) == (
        "id: invalid id (expected a non-empty text without surrounding spaces; got ' unit-001')"
    )


def test_empty_id_is_a_scheme_error_for_scheme_values() -> None:
    """An empty category id is a scheme error, since categories belong to a scheme."""
    with pytest.raises(SchemeError) as excinfo:
        Category(id="", name="县市区")
    assert message(excinfo) == (
        "id: invalid id (expected a non-empty text without surrounding spaces; got '')"
    )


def test_unit_cannot_be_its_own_parent() -> None:
    """A unit whose parent is itself is refused."""
    with pytest.raises(DataError) as excinfo:
        Unit(id="unit-001", name="青岚县", level="county", category="county", parent="unit-001")
    assert message(excinfo) == "parent: a unit cannot be its own parent (got 'unit-001')"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("city", Level.CITY),
        ("City", Level.CITY),
        ("市", Level.CITY),
        ("市级", Level.CITY),
        (" county ", Level.COUNTY),
        ("县", Level.COUNTY),
        ("区", Level.COUNTY),
        ("县市区", Level.COUNTY),
        ("乡", Level.TOWNSHIP),
        ("镇", Level.TOWNSHIP),
        ("街道", Level.TOWNSHIP),
        ("乡镇(街道)", Level.TOWNSHIP),
        (Level.TOWNSHIP, Level.TOWNSHIP),
    ],
)
def test_level_parse_synonyms(text: str | Level, level: Level) -> None:
    """Levels read from their English values and their Chinese names."""
    assert Level.parse(text) is level


def test_level_parse_unknown() -> None:
    """An unknown level is refused with the accepted names."""
    with pytest.raises(DataError) as excinfo:
        Level.parse("省")
    assert message(excinfo) == (
        "unknown level (expected one of 'city', 'county', 'township' (市/县/乡镇); got '省')"
    )


def test_level_labels() -> None:
    """Each level has its Chinese label."""
    assert [level.label for level in Level] == ["市", "县", "乡镇"]


# -- evidence values ------------------------------------------------------------------


def test_rate_from_counts() -> None:
    """91 of 99 is the exact fraction 91/99, shown with two decimals of per cent."""
    rate = Rate.from_counts(91, 99)
    assert rate.fraction == Fraction(91, 99)
    assert rate.describe() == "91/99 (91.92%)"


def test_rate_describe_rounds_the_percentage() -> None:
    """2 of 3 shows as 66.67%, 1 of 1 as 100.00%."""
    assert Rate.from_counts(2, 3).describe() == "2/3 (66.67%)"
    assert Rate.from_counts(1, 1).describe() == "1/1 (100.00%)"


def test_rate_from_percent() -> None:
    """97.5 per cent is the fraction 39/40 and shows without counts."""
    rate = Rate.from_percent("97.5")
    assert rate.fraction == Fraction(39, 40)
    assert rate.percent == Decimal("97.5")
    assert rate.describe() == "97.50%"


def test_rate_keeps_its_fraction_and_text() -> None:
    """A rate makes its fraction and text once; equality, hash, pickle and evolve ignore them."""
    rate = Rate.from_counts(91, 99)
    assert rate.fraction is rate.fraction
    assert rate.describe() is rate.describe() == "91/99 (91.92%)"
    fresh = Rate.from_counts(91, 99)
    assert fresh == rate
    assert hash(fresh) == hash(rate)
    assert pickle.loads(pickle.dumps(rate)).describe() == "91/99 (91.92%)"
    assert attrs.evolve(rate, numerator=90).describe() == "90/99 (90.91%)"


def test_zero_of_zero_is_undefined() -> None:
    """0 of 0 is an UndefinedRate, neither 0% nor 100%."""
    rate = Rate.from_counts(0, 0)
    assert rate == UndefinedRate()
    assert rate.describe() == "0/0 (undefined rate)"


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (
            lambda: Rate.from_counts(5, 3),
            "numerator: numerator larger than denominator (expected at most the denominator 3; "
            "got 5)",
        ),
        (
            lambda: Rate.from_counts(3, 0),
            "denominator: empty denominator "
            "(expected a denominator > 0 (0 of 0 is UndefinedRate); got 0)",
        ),
        (
            lambda: Rate(numerator=-1, denominator=3),
            "negative count (expected a whole number >= 0; got -1)",
        ),
        (
            lambda: Rate(numerator=True, denominator=3),
            "not a whole number (expected a whole number >= 0; got True)",
        ),
        (
            lambda: Rate.from_percent("100.5"),
            "percent: percentage out of range (expected 0 to 100; got 100.5)",
        ),
        (
            lambda: Rate.from_percent(-1),
            "percent: percentage out of range (expected 0 to 100; got -1)",
        ),
        (
            lambda: Rate(numerator=1, denominator=2, percent=50),
            "percent: a rate is given either as counts or as a percentage, not both",
        ),
        (
            lambda: Rate(numerator=1),
            "denominator: a rate needs a numerator and a denominator, or a percentage "
            "(expected both counts)",
        ),
    ],
)
def test_rate_errors(build: Callable[[], object], expected: str) -> None:
    """Impossible rates are refused with a message saying what was wrong."""
    with pytest.raises(DataError) as excinfo:
        build()
    assert message(excinfo) == expected


def test_count() -> None:
    """A count is a whole number and reads as itself."""
    assert Count(value=7).describe() == "7"
    with pytest.raises(DataError, match="negative count"):
        Count(value=-1)
    with pytest.raises(DataError, match="not a whole number"):
        Count(value=2.0)


def test_value_is_exact() -> None:
    """A value keeps its decimal digits; a float is read through its shortest text."""
    assert Value(value="3.50").value == Decimal("3.50")
    assert Value(value=0.1).value == Decimal("0.1")
    assert Value(value="1,234.5").describe() == "1234.5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc", "not a number (expected a decimal number; got 'abc')"),
        ("NaN", "not a finite number (expected a decimal number; got 'NaN')"),
        (float("inf"), "not a finite number (expected a decimal number; got inf)"),
        (True, "not a number (expected a decimal number; got True)"),
    ],
)
def test_value_refuses_what_is_not_a_finite_number(text: object, expected: str) -> None:
    """Texts that are not numbers, NaN, infinities and booleans are no values."""
    with pytest.raises(DataError) as excinfo:
        to_decimal(text)
    assert message(excinfo) == expected


@pytest.mark.parametrize(
    ("word", "flag"),
    [
        ("yes", FlagValue.YES),
        (" YES ", FlagValue.YES),
        ("是", FlagValue.YES),
        ("达标", FlagValue.YES),
        ("否", FlagValue.NO),
        ("未完成", FlagValue.NO),
        ("未达标", FlagValue.NO),
        ("部分", FlagValue.PARTLY),
        ("基本达标", FlagValue.PARTLY),
    ],
)
def test_flag_words(word: str, flag: FlagValue) -> None:
    """Flags read from English and Chinese words."""
    assert FlagValue.parse(word) is flag


def test_flag_unknown_word() -> None:
    """A word that is no flag is refused with the accepted words."""
    with pytest.raises(DataError) as excinfo:
        FlagValue.parse("maybe")
    assert message(excinfo) == (
        "not a yes/no/partly flag (expected one of yes, no, partly (是/否/部分); got 'maybe')"
    )


def test_partly_flag_needs_a_reason() -> None:
    """A 'partly' flag without a reason, or with a blank one, is refused."""
    for reason in ("", "   "):
        with pytest.raises(DataError) as excinfo:
            Flag(value="部分", reason=reason)
        assert message(excinfo) == (
            "reason: a 'partly' flag needs a reason (expected a reason text)"
        )


def test_flag_describe() -> None:
    """A flag reads as its value, with its reason when there is one."""
    assert Flag(value="是").describe() == "yes"
    assert Flag(value="部分", reason="两项未完成").describe() == "partly (两项未完成)"


def test_occurrences_are_sorted() -> None:
    """Occurrences keep their dates in date order, whatever order they came in."""
    occurrences = Occurrences(dates=["2024-05-09", "2024-03-02", "2024-03-02"])
    assert occurrences.dates == (day("2024-03-02"), day("2024-03-02"), day("2024-05-09"))
    assert occurrences.describe() == "3: 2024-03-02, 2024-03-02, 2024-05-09"
    assert Occurrences().describe() == "none"


def test_iso_date_is_the_iso_text_of_the_day() -> None:
    """A day's text is YYYY-MM-DD, for pendulum and standard dates alike."""
    assert iso_date(day("2024-03-02")) == "2024-03-02"
    assert iso_date(dt.date(987, 1, 9)) == "0987-01-09"
    assert DateValue(date="2025-03-04", note="逾期").describe() == "2025-03-04 (逾期)"


def test_evidence_without_a_row_is_not_submitted() -> None:
    """A pair with no observation reads as NotSubmitted, never as zero."""
    evidence = Evidence(
        observations=[Observation(unit="unit-001", indicator="1.1", value=Count(value=3))]
    )
    assert evidence.get("unit-001", "1.1").value == Count(value=3)
    assert evidence.get("unit-001", "1.2") == Observation(
        unit="unit-001", indicator="1.2", value=NotSubmitted(reason="no evidence row")
    )
    assert evidence.has("unit-001", "1.1")
    assert not evidence.has("unit-001", "1.2")


def test_evidence_refuses_two_observations_of_a_pair() -> None:
    """Two observations of one unit and indicator are refused, naming the second."""
    first = Observation(unit="unit-001", indicator="1.1", value=Count(value=3))
    with pytest.raises(DataError) as excinfo:
        Evidence(observations=[first, attrs.evolve(first, value=Count(value=4))])
    assert message(excinfo) == (
        "observations[1]: two observations of indicator '1.1' for unit 'unit-001' "
        "(expected one observation per unit and indicator)"
    )


def test_assessment_names_wrong_observations_by_key_path(mini_path: Path) -> None:
    """Built in code, an Assessment refuses observations of the wrong kind, category or id."""
    import rulelaw

    assessment = rulelaw.load(mini_path)
    added = [
        Observation(unit="dept-justice", indicator="2.1", value=Rate.from_counts(1, 2)),
        Observation(unit="county-b", indicator="2.2", value=Count(value=3)),
        Observation(unit="county-b", indicator="2.1", value=NotApplicable()),
        Observation(unit="county-b", indicator="1.2", value=Count(value=3)),
        Observation(unit="dept-justice", indicator="9.9", value=Count(value=3)),
        Observation(unit="county-z", indicator="2.1", value=Count(value=3)),
    ]
    observations = [*assessment.evidence.observations, *added]
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(assessment, evidence=Evidence(observations=observations))
    assert [str(e) for e in excinfo.value.errors] == [
        "$.evidence[11].indicator: indicator '2.1' does not apply to category 'department' "
        "of unit 'dept-justice'",
        "$.evidence[12].indicator: a count observation for indicator '2.2', which measures a "
        "flag (expected a flag observation)",
        "$.evidence[14].indicator: a count observation for indicator '1.2', which measures a "
        "occurrences (expected a occurrences observation)",
        "$.evidence[15].indicator: unknown indicator '9.9' (expected a leaf indicator id of "
        "the scheme)",
        "$.evidence[16].unit: unknown unit 'county-z' (expected a unit id from the unit list)",
        "$.evidence[16].indicator: a count observation for indicator '2.1', which measures a "
        "rate (expected a rate observation)",
    ]


# -- rounding and grades --------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "positive", "negative"),
    [
        (RoundingMode.HALF_UP, "2.35", "-2.35"),
        (RoundingMode.HALF_EVEN, "2.34", "-2.34"),
        (RoundingMode.HALF_DOWN, "2.34", "-2.34"),
        (RoundingMode.UP, "2.35", "-2.35"),
        (RoundingMode.DOWN, "2.34", "-2.34"),
        (RoundingMode.CEILING, "2.35", "-2.34"),
        (RoundingMode.FLOOR, "2.34", "-2.35"),
    ],
)
def test_rounding_modes_on_ties(mode: RoundingMode, positive: str, negative: str) -> None:
    """Each mode rounds the ties 2.345 and -2.345 to two places as its name says."""
    policy = RoundingPolicy(places=2, mode=mode)
    assert str(policy.apply(Decimal("2.345"))) == positive
    assert str(policy.apply(Decimal("-2.345"))) == negative


def test_half_even_rounds_to_the_even_digit() -> None:
    """Half-even sends 2.355 up to 2.36 and 2.345 down to 2.34."""
    policy = RoundingPolicy(mode="half-even")
    assert str(policy.apply(Decimal("2.355"))) == "2.36"
    assert str(policy.apply(Decimal("2.345"))) == "2.34"


def test_default_rounding_is_half_up_to_two_places() -> None:
    """Official scores round half up to two places by default, padding with zeros."""
    policy = RoundingPolicy()
    assert policy.quantum == Decimal("0.01")
    assert str(policy.apply(Decimal("87.125"))) == "87.13"
    assert str(policy.apply(Decimal("87"))) == "87.00"


def test_rounding_to_whole_points() -> None:
    """With no places, 2.5 rounds half up to 3 and half even to 2."""
    assert str(RoundingPolicy(places=0).apply(Decimal("2.5"))) == "3"
    assert str(RoundingPolicy(places=0, mode="half-even").apply(Decimal("2.5"))) == "2"


def test_rounding_places_out_of_range() -> None:
    """More than ten places is refused."""
    with pytest.raises(SchemeError) as excinfo:
        RoundingPolicy(places=11)
    assert message(excinfo) == "places: rounding places out of range (expected 0 to 10; got 11)"


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("80", "good"),
        ("79.99", "pass"),
        ("60", "pass"),
        ("59.99", "fail"),
        ("0", "fail"),
        ("-5", "fail"),
    ],
)
def test_default_grades_at_the_boundaries(total: str, grade: str) -> None:
    """A total reaching a grade's minimum earns it; just below earns the next one."""
    assert DEFAULT_GRADE_SCALE.grade_for(Decimal(total)) == grade


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        (
            [
                Grade(id="a", label="优秀", minimum=80),
                Grade(id="b", label="良好", minimum=90),
                Grade(id="c", label="不合格"),
            ],
            "grades[1].minimum: grade thresholds out of order "
            "(expected less than 80 (grades are listed best first); got 90)",
        ),
        (
            [
                Grade(id="a", label="优秀", minimum=80),
                Grade(id="b", label="良好", minimum=80),
                Grade(id="c", label="不合格"),
            ],
            "grades[1].minimum: grade thresholds out of order "
            "(expected less than 80 (grades are listed best first); got 80)",
        ),
        (
            [Grade(id="a", label="优秀", minimum=90), Grade(id="b", label="合格", minimum=60)],
            "grades[1].minimum: the last grade takes every lower total and has no minimum "
            "(expected no minimum; got 60)",
        ),
        (
            [Grade(id="a", label="优秀"), Grade(id="b", label="不合格")],
            "grades[0].minimum: every grade but the last needs a minimum (expected a number)",
        ),
        (
            [Grade(id="a", label="优秀", minimum=90), Grade(id="a", label="不合格")],
            "grades[1].id: duplicate grade id 'a'",
        ),
        ([], "grades: a grade scale needs at least one grade"),
    ],
)
def test_grade_scale_errors(grades: list[Grade], expected: str) -> None:
    """A grade scale out of order, with a bounded last grade, or with a repeated id is refused."""
    with pytest.raises(SchemeError) as excinfo:
        GradeScale(grades=grades)
    assert message(excinfo) == expected


# -- schemes --------------------------------------------------------------------------


def small_scheme() -> Scheme:
    """A scheme with a three-level branch, a county-only indicator and two categories.

    The tree: ``1`` > (``1.1`` > ``1.1.1``, ``1.1.2``), ``1.2``; ``2`` > ``2.1``.
    Indicators are declared out of tree order to show that leaves follow the
    tree and, within a node, the declared order.
    """

    def leaf(id: str, parent: str, measure: Measure, **extra: Any) -> Indicator:
        return Indicator(
            id=id,
            title="学法考试参考率",
            parent=parent,
            measure=measure,
            rule=RuleSpec(kind="compliance" if measure is Measure.FLAG else "count-target"),
            **extra,
        )

    return Scheme(
        id="qinglan-2024",
        title="青岚市法治政府建设考核",
        version="1",
        period=YEAR_2024,
        categories=[
            Category(id="county", name="县市区", maximum=100),
            Category(id="department", name="市直单位", maximum=50),
        ],
        dimensions=[
            Dimension(id="1", title="学法用法"),
            Dimension(id="1.1", title="学法考试", parent="1"),
            Dimension(id="2", title="依法决策"),
        ],
        indicators=[
            leaf("1.2", "1", Measure.COUNT),
            leaf("1.1.2", "1.1", Measure.FLAG),
            leaf("2.1", "2", Measure.COUNT, categories=["county"]),
            leaf("1.1.1", "1.1", Measure.COUNT),
        ],
        weights=[
            CategoryWeights(
                category="county",
                points={"1": 60, "1.1.1": 30, "1.1.2": 20, "1.2": 10, "2.1": 40},
            ),
            CategoryWeights(category="department", points={"1.1.1": 20, "1.1.2": 10, "1.2": 20}),
        ],
    )


def ids(nodes: Iterable[Dimension | Indicator]) -> list[str]:
    """The ids of tree nodes."""
    return [node.id for node in nodes]


def test_scheme_children_in_declared_order() -> None:
    """Children of a node are its dimensions then its indicators; a leaf has none."""
    scheme = small_scheme()
    assert ids(scheme.children(None)) == ["1", "2"]
    assert ids(scheme.children("1")) == ["1.1", "1.2"]
    assert ids(scheme.children("1.1")) == ["1.1.2", "1.1.1"]
    assert scheme.children("1.1.1") == ()
    assert scheme.children("no-such-node") == ()


def test_scheme_leaves_depth_first() -> None:
    """Leaves come depth first through the tree, declared order within a node."""
    scheme = small_scheme()
    assert ids(scheme.leaves()) == ["1.1.2", "1.1.1", "1.2", "2.1"]
    assert ids(scheme.leaves("1.1")) == ["1.1.2", "1.1.1"]
    assert ids(scheme.leaves("2")) == ["2.1"]


def test_scheme_weights_and_categories() -> None:
    """Weights and categories are found by category id."""
    scheme = small_scheme()
    assert scheme.weights_for("county").points["1"] == Decimal(60)
    assert scheme.weights_for("department").points == {
        "1.1.1": Decimal(20),
        "1.1.2": Decimal(10),
        "1.2": Decimal(20),
    }
    assert scheme.category("department").maximum == Decimal(50)


def test_scheme_indicator_and_node() -> None:
    """``indicator`` finds leaves only; ``node`` finds dimensions too."""
    scheme = small_scheme()
    assert scheme.indicator("2.1").categories == frozenset({"county"})
    assert scheme.node("1.1") == Dimension(id="1.1", title="学法考试", parent="1")
    assert scheme.duty_list("party-head") is None
    assert scheme.all_roles[0] == PARTY_HEAD


@pytest.mark.parametrize(
    ("lookup", "expected"),
    [
        (
            lambda s: s.weights_for("park"),
            "no weights for category with id 'park' (known: 'county', 'department')",
        ),
        (
            lambda s: s.category("park"),
            "no category with id 'park' (known: 'county', 'department')",
        ),
        (
            lambda s: s.indicator("1.1"),
            "no indicator with id '1.1' (known: '1.1.1', '1.1.2', '1.2', '2.1')",
        ),
        (
            lambda s: s.node("9"),
            "no indicator-tree node with id '9' "
            "(known: '1', '1.1', '1.1.1', '1.1.2', '1.2', '2', '2.1')",
        ),
    ],
)
def test_scheme_lookup_failures(lookup: Callable[[Scheme], object], expected: str) -> None:
    """A missing id raises LookupFailed naming the id and the known ones."""
    with pytest.raises(LookupFailed) as excinfo:
        lookup(small_scheme())
    assert message(excinfo) == expected


def scheme_problems(**changes: object) -> list[str]:
    """The messages of the problems of the small scheme with ``changes``."""
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(small_scheme(), **changes)
    return [str(e) for e in excinfo.value.errors]


def test_weights_not_adding_up_to_the_maximum() -> None:
    """Leaf weights short of the category maximum name the category, the sums and the top nodes."""
    weights = small_scheme().weights
    county = CategoryWeights(category="county", points={**weights[0].points, "2.1": Decimal(35)})
    assert scheme_problems(weights=[county, weights[1]]) == [
        "$.weights.county: weights for category 'county' must sum to 100 (got 95 over '1', '2')"
    ]


def test_dimension_points_not_matching_its_leaves() -> None:
    """Points declared for a dimension must equal the points of the leaves under it."""
    weights = small_scheme().weights
    county = CategoryWeights(category="county", points={**weights[0].points, "1.1": 45})
    assert scheme_problems(weights=[county, weights[1]]) == [
        "$.weights.county.\"1.1\": weights under '1.1' for category 'county' must sum to 45 "
        "(got 50 over '1.1.2', '1.1.1')"
    ]


def test_weight_for_an_indicator_that_does_not_apply() -> None:
    """A weight for an indicator outside the category is refused."""
    weights = small_scheme().weights
    department = CategoryWeights(category="department", points={**weights[1].points, "2.1": 0})
    assert scheme_problems(weights=[weights[0], department]) == [
        "$.weights.department.\"2.1\": weight for indicator '2.1', which does not apply to "
        "category 'department'"
    ]


def test_unknown_parent_dimension() -> None:
    """An indicator under an undeclared dimension names the known ones."""
    scheme = small_scheme()
    stray = attrs.evolve(scheme.indicator("1.2"), id="3.1", parent="3")
    assert scheme_problems(indicators=[*scheme.indicators, stray]) == [
        "$.indicators[4].parent: unknown parent dimension '3' "
        "(expected one of '1', '1.1', '2'; got '3')"
    ]


def test_builtin_role_declared_again() -> None:
    """A scheme cannot declare a built-in role again."""
    assert scheme_problems(roles=[PARTY_HEAD]) == [
        "$.roles[0].id: role 'party-head' is built in and cannot be declared again"
    ]


def test_duty_list_for_unknown_role_and_indicator() -> None:
    """A duty list for an unknown role, citing an unknown indicator, gives two problems."""
    duties = DutyList(
        role="mayor", duties=[Duty(id="D1", title="统筹谋划法治建设", indicators=("9.9",))]
    )
    assert scheme_problems(duty_lists=[duties]) == [
        "$.duty_lists[0].role: duty list for unknown role 'mayor' "
        "(expected one of 'party-head', 'government-head', 'department-head'; got 'mayor')",
        "$.duty_lists[0].duties[0].indicators: duty 'D1' refers to unknown indicator '9.9' "
        "(got '9.9')",
    ]


def test_scheme_validation_error_message_and_partial() -> None:
    """The ValidationError counts the problems, names the scheme and keeps the failed value."""
    with pytest.raises(ValidationError) as excinfo:
        attrs.evolve(small_scheme(), roles=[PARTY_HEAD])
    assert message(excinfo) == (
        "1 problem in scheme 'qinglan-2024':\n"
        "  - $.roles[0].id: role 'party-head' is built in and cannot be declared again"
    )
    assert isinstance(excinfo.value.partial, Scheme)
    assert excinfo.value.partial.roles == (PARTY_HEAD,)


# -- errors ---------------------------------------------------------------------------


def test_input_error_message_from_its_parts() -> None:
    """The message joins file and place, then the problem, then expected and got."""
    error = DataError(
        "duplicate unit id 'unit-001'",
        file="units.csv",
        where="row 3, column 'id'",
        expected="a new id",
        got="unit-001",
    )
    assert str(error) == (
        "units.csv, row 3, column 'id': duplicate unit id 'unit-001' "
        "(expected a new id; got 'unit-001')"
    )
    assert (error.file, error.where, error.expected, error.got) == (
        "units.csv",
        "row 3, column 'id'",
        "a new id",
        "unit-001",
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "bad value"),
        ({"file": "units.csv"}, "units.csv: bad value"),
        ({"where": "$.level"}, "$.level: bad value"),
        ({"got": 5}, "bad value (got 5)"),
        ({"expected": "a level"}, "bad value (expected a level)"),
    ],
)
def test_input_error_message_leaves_out_missing_parts(
    kwargs: dict[str, Any], expected: str
) -> None:
    """Parts that are not given are left out of the message."""
    assert str(InputError("bad value", **kwargs)) == expected


@pytest.mark.parametrize(
    ("where", "prefix", "located"),
    [
        ("$.level", "$.units[2]", "$.units[2].level"),
        ("level", "$.units[2]", "$.units[2].level"),
        ("[0]", "$.grades", "$.grades[0]"),
        (None, "$.units[2]", "$.units[2]"),
        ("$.level", None, "$.level"),
    ],
)
def test_located_puts_the_prefix_in_front(
    where: str | None, prefix: str | None, located: str
) -> None:
    """``located`` joins the prefix and the error's key path."""
    error = DataError("invalid value", where=where)
    assert error.located(prefix=prefix).where == located


def test_located_sets_file_and_class_and_leaves_the_original() -> None:
    """``located`` copies the error into a file, optionally as another class."""
    error = DataError("invalid value", where="$.level", expected="a level", got="省")
    moved = error.located(file="scheme.toml", as_type=SchemeError)
    assert type(moved) is SchemeError
    assert str(moved) == "scheme.toml, $.level: invalid value (expected a level; got '省')"
    assert error.file is None
    assert type(error.located()) is DataError


@pytest.mark.parametrize("cls", [InputError, SchemeError, DataError, EncodingError])
def test_input_errors_pickle(cls: type[InputError]) -> None:
    """Input errors survive pickling with their class, parts and message."""
    error = cls("bad", file="units.csv", where="row 2", expected="good", got=b"\xff")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert copy == error
    assert str(copy) == "units.csv, row 2: bad (expected good; got b'\\xff')"
    assert (copy.problem, copy.got) == ("bad", b"\xff")


def test_validation_error_pickles_without_its_partial_value() -> None:
    """A ValidationError pickles with its errors and source; the partial value is dropped."""
    error = ValidationError(
        [DataError("a", where="row 2"), SchemeError("b")], source="units.csv", partial=object()
    )
    assert str(error) == "2 problems in units.csv:\n  - row 2: a\n  - b"
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)
    assert copy.errors == error.errors
    assert copy.source == "units.csv"
    assert copy.partial is None


def test_validation_error_without_source() -> None:
    """One problem and no source read as '1 problem:'."""
    assert str(ValidationError([DataError("b")])) == "1 problem:\n  - b"


def test_lookup_failed_message_and_pickling() -> None:
    """LookupFailed reads as a sentence (not a quoted key) and pickles with its parts."""
    error = LookupFailed("unit", "unit-009", ["unit-002", "unit-001"])
    assert str(error) == "no unit with id 'unit-009' (known: 'unit-001', 'unit-002')"
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.kind, copy.key) == (str(error), "unit", "unit-009")


def test_lookup_failed_shortens_long_lists() -> None:
    """More than eight known ids are cut after the eighth."""
    error = LookupFailed("unit", "x", [f"u{n}" for n in range(10)])
    assert str(error) == (
        "no unit with id 'x' (known: 'u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', …)"
    )


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (InputError, ValueError),
        (SchemeError, ValueError),
        (DataError, ValueError),
        (EncodingError, DataError),
        (ValidationError, ValueError),
        (LookupFailed, KeyError),
    ],
)
def test_error_classes_subclass_the_right_builtin(
    cls: type[Exception], builtin: type[Exception]
) -> None:
    """Each error is a RulelawError and the builtin a caller would catch."""
    assert issubclass(cls, RulelawError)
    assert issubclass(cls, builtin)
