"""Each built-in rule kind on hand-computed examples, and the registry's checks."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

import attrs
import pendulum
import pytest

from rulelaw import (
    Count,
    DateValue,
    EvaluationError,
    Flag,
    Indicator,
    Level,
    Measure,
    Occurrences,
    Period,
    Rate,
    RegistrationError,
    RuleSpec,
    SchemeError,
    UndefinedRate,
    Unit,
    ValidationError,
    Value,
    default_registry,
)
from rulelaw.files import make_converter
from rulelaw.rules import BatchContext, Outcome, Outcomes, RuleContext
from rulelaw.rules._protocol import PeerGroup, fmt

UNIT = Unit(id="u1", name="青岚县", level=Level.COUNTY, category="county")
PERIOD = Period(start="2024-01-01", end="2024-12-31")


def _indicator(measure: Measure, direction: str = "higher", **rule: Any) -> Indicator:
    kind = rule.pop("kind")
    return Indicator(
        id="1.1",
        title="测试指标",
        parent="1",
        measure=measure,
        direction=direction,
        rule=RuleSpec(kind=kind, params=rule),
    )


def _score(
    indicator: Indicator,
    value: Any,
    *,
    as_of: str = "2025-03-31",
    peers: dict[str, Any] | None = None,
) -> Outcome:
    return _scorer(indicator, as_of=as_of, peers=peers)(value)


def _scorer(
    indicator: Indicator, *, as_of: str = "2025-03-31", peers: dict[str, Any] | None = None
) -> Callable[[Any], Outcome]:
    """One compiled rule, scoring value after value in one context (as the engine does)."""
    rule = default_registry().compile(indicator.rule, indicator, make_converter())
    context = RuleContext(
        unit=UNIT,
        indicator=indicator,
        as_of=pendulum.Date(*map(int, as_of.split("-"))),
        period=PERIOD,
        peers=PeerGroup(peers or {}),
    )
    return lambda value: rule.score(value, context)


def _compile_error(indicator: Indicator) -> list[str]:
    with pytest.raises(ValidationError) as info:
        default_registry().compile_scheme([indicator], make_converter())
    return [str(e) for e in info.value.errors]


# -- rate-target ----------------------------------------------------------------------


def test_rate_target_linear_to_floor() -> None:
    """91/99 against target 100, floor 80 scores 100 × (91/99·100 − 80)/20 = 5900/99."""
    ind = _indicator(Measure.RATE, kind="rate-target", target=100, floor=80)
    out = _score(ind, Rate.from_counts(91, 99))
    assert out.points == Fraction(5900, 99)
    assert out.reason == "91/99 (91.92%) short of target 100%: linear to floor 80% → 59.60 of 100"


def test_rate_target_full_at_target() -> None:
    """A rate at the target scores full points."""
    ind = _indicator(Measure.RATE, kind="rate-target", target=95, floor=80)
    out = _score(ind, Rate.from_percent("95"))
    assert out.points == 100
    assert out.reason == "95.00% ≥ target 95%"


def test_rate_target_below_floor_is_zero() -> None:
    """Below the floor the points stop at zero."""
    ind = _indicator(Measure.RATE, kind="rate-target", target=100, floor=80)
    assert _score(ind, Rate.from_counts(7, 10)).points == 0


def test_rate_target_per_point() -> None:
    """97.5% against target 100 at −5 per point scores 100 − 12.5 = 87.5."""
    ind = _indicator(Measure.RATE, kind="rate-target", target=100, per_point=5)
    out = _score(ind, Rate.from_percent("97.5"))
    assert out.points == Fraction(175, 2)


def test_rate_target_lower_is_better() -> None:
    """A correction rate of 10% with ceiling 5 and floor 20 scores 100 × (20 − 10)/15."""
    ind = _indicator(Measure.RATE, "lower", kind="rate-target", target=5, floor=20)
    assert _score(ind, Rate.from_counts(2, 20)).points == Fraction(200, 3)
    assert _score(ind, Rate.from_counts(1, 20)).points == 100


@pytest.mark.parametrize(
    ("empty", "points", "applicable"),
    [("not-applicable", 0, False), ("full", 100, True), ("zero", 0, True)],
)
def test_rate_target_empty_denominator(empty: str, points: int, applicable: bool) -> None:
    """0 of 0 scores as declared: not applicable, full or zero."""
    ind = _indicator(Measure.RATE, kind="rate-target", floor=80, empty=empty)
    out = _score(ind, UndefinedRate())
    assert (out.points, out.applicable) == (points, applicable)


def test_rate_target_empty_denominator_error() -> None:
    """``empty = "error"`` makes 0 of 0 an evaluation error naming unit and indicator."""
    ind = _indicator(Measure.RATE, kind="rate-target", floor=80, empty="error")
    with pytest.raises(EvaluationError, match=r"unit 'u1', indicator '1\.1': empty denominator"):
        _score(ind, UndefinedRate())


def test_rate_target_needs_floor_or_per_point() -> None:
    """Neither or both of floor and per_point is a scheme error at the rule's key path."""
    ind = _indicator(Measure.RATE, kind="rate-target", target=100)
    assert _compile_error(ind) == [
        "$.indicators[0].rule.floor: give exactly one of 'floor' and 'per_point' "
        "(expected a floor rate (linear) or points per percentage point (per_point))"
    ]


def test_rate_target_floor_on_wrong_side() -> None:
    """A floor above the target of a higher-is-better indicator is refused."""
    ind = _indicator(Measure.RATE, kind="rate-target", target=90, floor=95)
    assert _compile_error(ind) == [
        "$.indicators[0].rule.floor: floor above target for a higher-is-better indicator "
        "(expected below 90; got 95)"
    ]


def test_unknown_parameter_is_refused() -> None:
    """A parameter the kind does not have is reported by name."""
    ind = _indicator(Measure.RATE, kind="rate-target", floor=80, flor=70)
    assert _compile_error(ind) == ["$.indicators[0].rule.flor: unknown key 'flor'"]


def test_kind_must_match_measure() -> None:
    """A kind cannot score a measure it does not declare."""
    ind = _indicator(Measure.FLAG, kind="rate-target", floor=80)
    assert _compile_error(ind) == [
        "$.indicators[0].rule.kind: rule kind 'rulelaw.rate-target' cannot score a flag "
        "measure (expected an indicator measuring rate)"
    ]


def test_unknown_kind() -> None:
    """An unknown kind is reported with the kinds the registry knows."""
    ind = _indicator(Measure.RATE, kind="rate-targt")
    (message,) = _compile_error(ind)
    assert message.startswith("$.indicators[0].rule.kind: unknown rule kind 'rate-targt'")


# -- bands ----------------------------------------------------------------------------

BANDS = [
    {"min": 95, "points": 100},
    {"min": 90, "max": 95, "points": 80},
    {"max": 90, "points": 40},
]


@pytest.mark.parametrize(
    ("percent", "points", "band"),
    [
        ("96", 100, "[95, +∞)"),
        ("95", 100, "[95, +∞)"),
        ("92", 80, "[90, 95)"),
        ("89.99", 40, "(−∞, 90)"),
    ],
)
def test_bands(percent: str, points: int, band: str) -> None:
    """The first band containing the value gives the points; bounds as declared."""
    ind = _indicator(Measure.RATE, kind="bands", bands=BANDS)
    out = _score(ind, Rate.from_percent(percent))
    assert (out.points, out.band) == (points, band)


def test_bands_max_inclusive() -> None:
    """``max_inclusive`` puts the upper bound in the lower band."""
    bands = [
        {"max": 50, "max_inclusive": True, "points": 100},
        {"min": 50, "min_inclusive": False, "points": 0},
    ]
    ind = _indicator(Measure.VALUE, "lower", kind="bands", bands=bands)
    assert _score(ind, Value(value=50)).points == 100
    assert _score(ind, Value(value="50.01")).points == 0


def test_bands_gap_is_a_scheme_error() -> None:
    """Bands that leave values uncovered are refused, naming the first gap."""
    bands = [
        {"min": 95, "points": 100},
        {"min": 80, "max": 90, "points": 50},
        {"max": 80, "points": 0},
    ]
    ind = _indicator(Measure.RATE, kind="bands", bands=bands)
    assert _compile_error(ind) == [
        "$.indicators[0].rule.bands: the bands leave a gap at 90 for a rate measure "
        "(expected bands covering every possible value)"
    ]


def test_bands_count_needs_only_nonnegative_cover() -> None:
    """For a count, bands from 0 upward cover everything."""
    bands = [{"min": 0, "max": 3, "points": 50}, {"min": 3, "points": 100}]
    ind = _indicator(Measure.COUNT, kind="bands", bands=bands)
    assert _score(ind, Count(value=2)).points == 50


# -- compliance, count-target, deduction, deadline -------------------------------------


def test_compliance() -> None:
    """Met → full, partly → the declared partial amount with its reason, not met → 0."""
    ind = _indicator(Measure.FLAG, kind="compliance", partly=60)
    assert _score(ind, Flag(value="yes")).points == 100
    partly = _score(ind, Flag(value="部分", reason="顾问合同到期未续"))
    assert (partly.points, partly.reason) == (60, "partly met (顾问合同到期未续) → 60 of 100")
    assert _score(ind, Flag(value="no")).points == 0


def test_compliance_partly_defaults_to_half() -> None:
    """Without ``partly``, a partial finding scores half of max."""
    ind = _indicator(Measure.FLAG, kind="compliance", max=5)
    assert _score(ind, Flag(value="partly", reason="x")).points == Fraction(5, 2)


def test_count_target() -> None:
    """3 of target 4 scores 75; 5 scores full."""
    ind = _indicator(Measure.COUNT, kind="count-target", target=4)
    assert _score(ind, Count(value=3)).points == 75
    assert _score(ind, Count(value=5)).points == 100


def test_deduction_counts_only_the_period_up_to_as_of() -> None:
    """Two occurrences in 2024 cost 2 × 20; one in 2023 and one after as_of do not count."""
    ind = _indicator(Measure.OCCURRENCES, kind="deduction", per=20)
    value = Occurrences(dates=["2024-03-02", "2024-05-09", "2023-12-31", "2025-04-02"])
    out = _score(ind, value)
    assert out.points == 60
    assert out.reason == (
        "2 × −20 (2024-03-02, 2024-05-09); 2 not counted (outside the period or after "
        "2025-03-31) → 60 of 100"
    )


def test_deduction_cap_and_floor() -> None:
    """Six occurrences at −20, capped at 50, leave 50; never below zero."""
    ind = _indicator(Measure.OCCURRENCES, kind="deduction", per=20, cap=50)
    dates = [f"2024-0{m}-01" for m in range(1, 7)]
    assert _score(ind, Occurrences(dates=dates)).points == 50
    uncapped = _indicator(Measure.OCCURRENCES, kind="deduction", per=30)
    assert _score(uncapped, Occurrences(dates=dates)).points == 0


def test_deduction_same_count_same_points_whatever_the_dates() -> None:
    """One rule scores each number of counted dates alike, naming the dates of each value."""
    score = _scorer(_indicator(Measure.OCCURRENCES, kind="deduction", per=20, cap=50))
    three = score(Occurrences(dates=["2024-01-05", "2024-02-05", "2024-03-05"]))
    three_again = score(Occurrences(dates=["2024-04-01", "2024-04-02", "2024-04-03", "2023-12-31"]))
    two = score(Occurrences(dates=["2024-04-01", "2024-04-02"]))
    assert [three.points, three_again.points, two.points] == [50, 50, 60]
    assert three.reason == (
        "3 × −20 (2024-01-05, 2024-02-05, 2024-03-05), capped at −50 → 50 of 100"
    )
    assert three_again.reason == (
        "3 × −20 (2024-04-01, 2024-04-02, 2024-04-03), capped at −50; 1 not counted "
        "(outside the period or after 2025-03-31) → 50 of 100"
    )
    assert two.reason == "2 × −20 (2024-04-01, 2024-04-02) → 60 of 100"


def test_deduction_counts_the_first_day_and_as_of_itself() -> None:
    """The period's first day and the evaluation date count; the days beside them do not."""
    score = _scorer(_indicator(Measure.OCCURRENCES, kind="deduction", per=20), as_of="2024-06-30")
    out = score(Occurrences(dates=["2023-12-31", "2024-01-01", "2024-06-30", "2024-07-01"]))
    assert (out.points, out.reason) == (
        60,
        "2 × −20 (2024-01-01, 2024-06-30); 2 not counted (outside the period or after "
        "2024-06-30) → 60 of 100",
    )
    none = score(Occurrences(dates=["2023-12-31", "2024-07-01"]))
    assert (none.points, none.reason) == (
        100,
        "no occurrences (2 outside 2024-01-01 … 2024-12-31 or after 2024-06-30)",
    )


def test_deadline_on_the_day_is_on_time() -> None:
    """Filed on the due day: on time, full points."""
    ind = _indicator(Measure.DATE, kind="deadline", due="2025-03-01", per_day=5)
    assert _score(ind, DateValue(date="2025-03-01")).points == 100


def test_deadline_per_day() -> None:
    """Three days late at −5 a day scores 85."""
    ind = _indicator(Measure.DATE, kind="deadline", due="2025-03-01", per_day=5)
    out = _score(ind, DateValue(date="2025-03-04"))
    assert out.points == 85
    assert out.reason == "done 2025-03-04, due 2025-03-01: 3 days late, −5 a day → 85 of 100"


def test_deadline_fixed_and_after_as_of() -> None:
    """A fixed loss when late; a date after as_of counts as not done."""
    ind = _indicator(Measure.DATE, kind="deadline", due="2025-03-01", late=40)
    assert _score(ind, DateValue(date="2025-03-02")).points == 60
    assert _score(ind, DateValue(date="2025-04-02")).points == 0


# -- relative, given-score ------------------------------------------------------------


def test_relative_proportional() -> None:
    """Best gets full points; others in proportion (80 of best 100 → 80)."""
    ind = _indicator(Measure.VALUE, kind="relative")
    peers = {"a": Value(value=80), "b": Value(value=100), "c": Value(value=50)}
    assert _score(ind, Value(value=80), peers=peers).points == 80


def test_relative_lower_is_better() -> None:
    """Lower-is-better: best (smallest) over the value (30 days vs best 20 → 200/3)."""
    ind = _indicator(Measure.VALUE, "lower", kind="relative")
    peers = {"a": Value(value=20), "b": Value(value=30)}
    assert _score(ind, Value(value=30), peers=peers).points == Fraction(200, 3)


def test_relative_rank_with_ties() -> None:
    """Competition ranks 1, 2, 2, 4 of 4 score 100, 200/3, 200/3, 0."""
    ind = _indicator(Measure.VALUE, kind="relative", method="rank")
    peers = {k: Value(value=v) for k, v in zip("abcd", (9, 7, 7, 3), strict=True)}
    assert [_score(ind, Value(value=v), peers=peers).points for v in (9, 7, 3)] == [
        100,
        Fraction(200, 3),
        0,
    ]


def test_relative_equal_numbers_from_different_values_tie() -> None:
    """1/2 and 2/4 are both 50%: they share rank 2 of 3 (0/0 is no peer)."""
    ind = _indicator(Measure.RATE, kind="relative", method="rank")
    peers = {
        "a": Rate.from_counts(1, 2),
        "b": Rate.from_counts(2, 4),
        "c": Rate.from_counts(3, 4),
        "d": UndefinedRate(),
    }
    half = _score(ind, Rate.from_counts(2, 4), peers=peers)
    assert (half.points, half.reason) == (50, "2/4 (50.00%): rank 2 of 3 → 50 of 100")
    assert _score(ind, Rate.from_counts(3, 4), peers=peers).points == 100


def test_given_score() -> None:
    """8.6 out of 10 scores 86; above the scale is an evaluation error."""
    ind = _indicator(Measure.VALUE, kind="given-score", out_of=10)
    assert _score(ind, Value(value="8.6")).points == 86
    with pytest.raises(EvaluationError, match="given score 11 outside 0 … 10"):
        _score(ind, Value(value=11))


def test_given_score_scales_to_max() -> None:
    """8.6 of 10 on a rule of max 20 scores 17.2, and says so."""
    out = _score(
        _indicator(Measure.VALUE, kind="given-score", out_of=10, max=20), Value(value="8.6")
    )
    assert (out.points, out.reason) == (Fraction(86, 5), "8.6 of 10 → 17.2 of 20")


# -- one compiled rule scoring value after value; numbers in reasons ----------------------


def test_reasons_of_one_rule_scoring_many_values() -> None:
    """Each kind's reasons and bands, exact, from one compiled rule scoring several values."""
    per_point = _scorer(_indicator(Measure.RATE, kind="rate-target", target=95, per_point=5))
    assert per_point(Rate.from_counts(91, 99)) == Outcome.scored(
        Fraction(8375, 99),
        "91/99 (91.92%) is 3.08 points short of target 95%: −5 per point → 84.60 of 100",
    )
    assert per_point(Rate.from_percent("96")).reason == "96.00% ≥ target 95%"
    bands = [
        {"min": 95, "points": 100, "label": "优"},
        {"min": 80, "max": 95, "points": "70.5"},
        {"max": 80, "points": 30},
    ]
    banded = _scorer(_indicator(Measure.RATE, kind="bands", bands=bands))
    assert [
        (o.points, o.reason, o.band)
        for o in map(
            banded, [Rate.from_counts(91, 99), Rate.from_percent("95"), Rate.from_counts(1, 2)]
        )
    ] == [
        (Fraction(141, 2), "91/99 (91.92%) in band [80, 95) → 70.5 of 100", "[80, 95)"),
        (100, "95.00% in band 优 → 100 of 100", "优"),
        (30, "1/2 (50.00%) in band (−∞, 80) → 30 of 100", "(−∞, 80)"),
    ]
    late = _scorer(_indicator(Measure.DATE, kind="deadline", due="2025-03-01", late=40, max=50))
    assert [
        (o.points, o.reason, o.band)
        for o in map(late, [DateValue(date=d) for d in ("2025-03-02", "2025-04-02", "2025-02-02")])
    ] == [
        (10, "done 2025-03-02, due 2025-03-01: 1 day late, −40 when late → 10 of 50", "late"),
        (
            0,
            "dated 2025-04-02, after the evaluation date 2025-03-31: not done as of then",
            "not done",
        ),
        (50, "done 2025-02-02, due 2025-03-01: on time", "on time"),
    ]
    counted = _scorer(_indicator(Measure.COUNT, kind="count-target", target=3))
    assert counted(Count(value=2)).reason == "2 of target 3 → 66.67 of 100"


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(5900, 99), 2, "59.60"),
        (Fraction(5900, 99), 4, "59.5960"),
        (Fraction(3, 4), 2, "0.75"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(1, 8), 4, "0.125"),
        (Fraction(75, 2), 0, "38"),
        (Fraction(-1, 3), 2, "-0.33"),
        (Decimal("2.50"), 2, "2.5"),
        (7, 2, "7"),
        (Fraction(1, 2**40), 2, "0.00"),
        (Fraction(1, 2**100), 4, "0.0000"),
    ],
)
def test_fmt_exact_when_short_else_rounded_half_up(
    value: Fraction | Decimal | int, places: int, text: str
) -> None:
    """A number in a reason: exact when it has at most ``places`` decimals, else rounded."""
    assert fmt(value, places) == text


# -- registry ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Good:
    name: ClassVar[str] = "acme.always-full"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.FLAG})
    max: Decimal = Decimal(100)

    def score(self, value: Any, context: RuleContext) -> Outcome:
        return Outcome.scored(self.max, "always full")


def test_registry_registers_and_refuses_duplicates() -> None:
    """A dotted, frozen kind registers once; another class under its name is refused."""
    registry = default_registry()
    registry.register(_Good)
    assert "acme.always-full" in registry

    @attrs.frozen(kw_only=True)
    class Other(_Good):
        pass

    with pytest.raises(RegistrationError, match=r"'acme\.always-full' of .*Other is already taken"):
        registry.register(Other)


def test_registry_refuses_mutable_and_bad_names_and_signatures() -> None:
    """Not frozen, an undotted name, or a wrong score signature are refused, naming the class."""

    @attrs.define
    class Mutable:
        name: ClassVar[str] = "acme.mutable"
        measures: ClassVar[frozenset[Measure]] = frozenset({Measure.FLAG})
        max: Decimal = Decimal(100)

        def score(self, value: Any, context: Any) -> Outcome:
            return Outcome.scored(0, "x")

    with pytest.raises(RegistrationError, match="Mutable must be frozen"):
        default_registry().register(Mutable)

    @attrs.frozen
    class Undotted(_Good):
        name: ClassVar[str] = "full"

    with pytest.raises(RegistrationError, match="needs a dotted lower-case"):
        default_registry().register(Undotted)

    @attrs.frozen
    class BadSignature(_Good):
        def score(self, observation: Any) -> Outcome:  # type: ignore[override]
            return Outcome.scored(0, "x")

    with pytest.raises(
        RegistrationError, match=r"score must have the signature \(self, value, context\)"
    ):
        default_registry().register(BadSignature)


def test_registry_checks_score_batch_signature() -> None:
    """A score_batch not taking (self, values, context), or not a method, is refused by name."""

    @attrs.frozen
    class OneArgument(_Good):
        def score_batch(self, values: Any) -> Outcomes:
            return Outcomes(points=[], reasons=[])

    @attrs.frozen
    class ValueNotValues(_Good):
        def score_batch(self, value: Any, context: BatchContext) -> Outcomes:
            return Outcomes(points=[], reasons=[])

    for kind, got in ((OneArgument, "self, values"), (ValueNotValues, "self, value, context")):
        with pytest.raises(RegistrationError) as info:
            default_registry().register(kind)
        assert str(info.value) == (
            f"rule kind {kind.__module__}.{kind.__qualname__}: score_batch must have the "
            f"signature (self, values, context), got ({got})"
        )

    @attrs.frozen
    class NotAMethod(_Good):
        score_batch: ClassVar[int] = 3

    with pytest.raises(
        RegistrationError,
        match=r"NotAMethod: score_batch must be a method score_batch\(self, values, context\) "
        r"\(got 3\)$",
    ):
        default_registry().register(NotAMethod)


def test_registry_accepts_a_right_score_batch_or_none() -> None:
    """score_batch(self, values, context) registers; ``score_batch = None`` opts out of one."""

    @attrs.frozen
    class Batched(_Good):
        name: ClassVar[str] = "acme.batched"

        def score_batch(self, values: Any, context: BatchContext) -> Outcomes:
            return Outcomes.of(Outcome.scored(self.max, "always full") for _ in values)

    @attrs.frozen
    class OptedOut(Batched):
        name: ClassVar[str] = "acme.opted-out"
        score_batch = None  # type: ignore[assignment]

    registry = default_registry()
    assert registry.register(Batched) is Batched
    assert registry.register(OptedOut) is OptedOut
    assert {"acme.batched", "acme.opted-out"} <= set(registry)


FIELDS = (
    "categories, description, direction, evidence_from, id, measure, parent, rule, tags, "
    "title, unit_of_measure"
)


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"direction"}, "{'direction'}"),
        (frozenset({"nonsense"}), "frozenset({'nonsense'})"),
        (frozenset({1}), "frozenset({1})"),
        (("direction",), "('direction',)"),
    ],
    ids=["a-set", "not-a-field", "not-a-name", "a-tuple"],
)
def test_registry_refuses_indicator_fields_not_a_frozenset_of_field_names(
    fields: object, shown: str
) -> None:
    """indicator_fields must be a frozenset of Indicator field names; the error names the class."""

    @attrs.frozen
    class Declaring(_Good):
        indicator_fields: ClassVar[object] = fields

    with pytest.raises(RegistrationError) as info:
        default_registry().register(Declaring)
    assert str(info.value) == (
        f"rule kind {Declaring.__module__}.{Declaring.__qualname__}: indicator_fields must be "
        f"a frozenset of Indicator field names ({FIELDS}), or None; got {shown}"
    )


@pytest.mark.parametrize(
    "fields",
    [None, frozenset(), frozenset({"direction"}), frozenset({"title", "unit_of_measure"})],
    ids=["none", "empty", "direction", "two"],
)
def test_registry_accepts_indicator_fields_none_or_field_names(
    fields: frozenset[str] | None,
) -> None:
    """None (the whole indicator) and any frozenset of Indicator field names register."""

    @attrs.frozen
    class Declaring(_Good):
        indicator_fields: ClassVar[frozenset[str] | None] = fields

    assert default_registry().register(Declaring) is Declaring


def test_builtin_kinds_declare_their_indicator_fields() -> None:
    """rate-target, relative and normalised read the direction; the others no field."""
    registry = default_registry()
    declared = {name: registry.get(name).indicator_fields for name in registry}
    assert declared == {
        "rulelaw.bands": frozenset(),
        "rulelaw.compliance": frozenset(),
        "rulelaw.count-target": frozenset(),
        "rulelaw.deadline": frozenset(),
        "rulelaw.deduction": frozenset(),
        "rulelaw.given-score": frozenset(),
        "rulelaw.normalised": frozenset({"direction"}),
        "rulelaw.overdue-problems": frozenset(),
        "rulelaw.rate-target": frozenset({"direction"}),
        "rulelaw.relative": frozenset({"direction"}),
    }


def test_default_registry_is_a_new_instance() -> None:
    """Registering on one default registry does not change another (no global state)."""
    first = default_registry()
    first.register(_Good)
    assert "acme.always-full" not in default_registry()


def test_scheme_error_names_rule_path_in_file(tmp_path: Any) -> None:
    """A bad rule parameter in scheme.toml is reported by rulelaw.load at its key path."""
    import shutil
    from pathlib import Path

    import rulelaw

    folder = Path(tmp_path) / "x"
    shutil.copytree(Path(__file__).parents[1] / "data" / "mini", folder)
    text = (folder / "scheme.toml").read_text(encoding="utf-8")
    (folder / "scheme.toml").write_text(text.replace("floor = 80", "floor = 180"), "utf-8")
    with pytest.raises(ValidationError) as info:
        rulelaw.load(folder)
    assert [str(e) for e in info.value.errors] == [
        "scheme.toml, $.indicators[0].rule.floor: floor must be a percentage "
        "(expected 0 to 100; got 180)"
    ]
    assert isinstance(info.value.errors[0], SchemeError)


def test_compliance_assessed_amount_within_range() -> None:
    """A partly finding's own amount scores as assessed, inside the declared range."""
    ind = _indicator(Measure.FLAG, kind="compliance", partly_min=40, partly_max=80)
    out = _score(ind, Flag(value="partly", reason="制度未全覆盖", amount=70))
    assert (out.points, out.reason) == (70, "partly met (制度未全覆盖) → 70 of 100 as assessed")
    # without an amount: half of max, kept inside the range
    assert _score(ind, Flag(value="partly", reason="x")).points == 50


def test_compliance_range_is_checked() -> None:
    """A declared partly outside partly_min … partly_max is a scheme error."""
    ind = _indicator(Measure.FLAG, kind="compliance", partly=90, partly_max=80)
    assert _compile_error(ind) == [
        "$.indicators[0].rule.partly: partly outside its range (expected 0 to 80; got 90)"
    ]
