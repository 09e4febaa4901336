"""Each built-in rule kind's ``score_batch``: hand-computed outcomes, as ``score`` gives them."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pendulum
import pytest

from rulelaw import (
    BatchContext,
    Count,
    DateValue,
    EvaluationError,
    Flag,
    Indicator,
    Level,
    Measure,
    Occurrences,
    Outcome,
    Outcomes,
    Period,
    Rate,
    RuleContext,
    RuleSpec,
    UndefinedRate,
    Unit,
    Value,
    default_registry,
)
from rulelaw.files import make_converter
from rulelaw.model import ObservedValue, OverdueProblem, OverdueProblems
from rulelaw.rules._protocol import PeerGroup

UNIT = Unit(id="u1", name="青岚县", level=Level.COUNTY, category="county")
PERIOD = Period(start="2024-01-01", end="2024-12-31")
AS_OF = pendulum.Date(2025, 3, 31)


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


def _batch(
    indicator: Indicator,
    values: list[ObservedValue],
    peers: dict[str, ObservedValue] | None = None,
) -> list[Outcome]:
    """The rule's ``score_batch`` of ``values``, checked equal to ``score`` of each."""
    rule: Any = default_registry().compile(indicator.rule, indicator, make_converter())
    batch = BatchContext(
        indicator=indicator, as_of=AS_OF, period=PERIOD, peers=PeerGroup(peers or {})
    )
    outcomes = rule.score_batch(values, batch)
    assert isinstance(outcomes, Outcomes)
    one = RuleContext(
        unit=UNIT, indicator=indicator, as_of=AS_OF, period=PERIOD, peers=PeerGroup(peers or {})
    )
    assert list(outcomes) == [rule.score(value, one) for value in values]
    return list(outcomes)


def _shown(outcomes: list[Outcome]) -> list[tuple[Fraction, str]]:
    return [(o.points, o.reason) for o in outcomes]


# -- deduction ----------------------------------------------------------------------------


def test_deduction_batch() -> None:
    """−20 an occurrence capped at −50: 2 → 60, none → 100, 3 → 50, 1 counted of 3 → 80."""
    rule = _indicator(Measure.OCCURRENCES, kind="deduction", per=20, cap=50)
    values: list[ObservedValue] = [
        Occurrences(dates=["2024-03-02", "2024-05-09"]),
        Occurrences(dates=[]),
        Occurrences(dates=["2024-01-05", "2024-02-05", "2024-03-05"]),
        Occurrences(dates=["2023-12-31", "2024-06-01", "2025-04-02"]),
    ]
    assert _shown(_batch(rule, values)) == [
        (60, "2 × −20 (2024-03-02, 2024-05-09) → 60 of 100"),
        (100, "no occurrences"),
        (50, "3 × −20 (2024-01-05, 2024-02-05, 2024-03-05), capped at −50 → 50 of 100"),
        (
            80,
            "1 × −20 (2024-06-01); 2 not counted (outside the period or after 2025-03-31) "
            "→ 80 of 100",
        ),
    ]


# -- rate-target --------------------------------------------------------------------------


def test_rate_target_floor_higher_is_better_batch() -> None:
    """Target 100, floor 80: 91/99 → 5900/99, 10/10 full, 7/10 → 0, 9/10 → 50, 0/0 left out."""
    rule = _indicator(Measure.RATE, kind="rate-target", target=100, floor=80)
    values: list[ObservedValue] = [
        Rate.from_counts(91, 99),
        Rate.from_counts(10, 10),
        Rate.from_counts(7, 10),
        Rate.from_counts(9, 10),
        UndefinedRate(),
    ]
    outcomes = _batch(rule, values)
    assert _shown(outcomes) == [
        (
            Fraction(5900, 99),
            "91/99 (91.92%) short of target 100%: linear to floor 80% → 59.60 of 100",
        ),
        (100, "10/10 (100.00%) ≥ target 100%"),
        (0, "7/10 (70.00%) short of target 100%: linear to floor 80% → 0 of 100"),
        (50, "9/10 (90.00%) short of target 100%: linear to floor 80% → 50 of 100"),
        (0, "0/0 (empty denominator): not applicable, its weight goes to the rest"),
    ]
    assert [o.applicable for o in outcomes] == [True, True, True, True, False]


def test_rate_target_floor_lower_is_better_batch() -> None:
    """Ceiling 5, floor 20: 10% → 100 × 10/15, 5% full, 25% → 0, 15% → 100 × 5/15."""
    rule = _indicator(Measure.RATE, "lower", kind="rate-target", target=5, floor=20)
    values: list[ObservedValue] = [
        Rate.from_counts(2, 20),
        Rate.from_counts(1, 20),
        Rate.from_counts(5, 20),
        Rate.from_counts(3, 20),
    ]
    assert _shown(_batch(rule, values)) == [
        (
            Fraction(200, 3),
            "2/20 (10.00%) short of target 5%: linear to floor 20% → 66.67 of 100",
        ),
        (100, "1/20 (5.00%) ≤ target 5%"),
        (0, "5/20 (25.00%) short of target 5%: linear to floor 20% → 0 of 100"),
        (
            Fraction(100, 3),
            "3/20 (15.00%) short of target 5%: linear to floor 20% → 33.33 of 100",
        ),
    ]


def test_rate_target_per_point_higher_is_better_batch() -> None:
    """Target 95, −5 a point: 91/99 → 100 − 5 × 305/99, 96% full, 90% → 75, 70% → 0."""
    rule = _indicator(Measure.RATE, kind="rate-target", target=95, per_point=5)
    values: list[ObservedValue] = [
        Rate.from_counts(91, 99),
        Rate.from_percent("96"),
        Rate.from_percent("90"),
        Rate.from_percent("70"),
    ]
    assert _shown(_batch(rule, values)) == [
        (
            Fraction(8375, 99),
            "91/99 (91.92%) is 3.08 points short of target 95%: −5 per point → 84.60 of 100",
        ),
        (100, "96.00% ≥ target 95%"),
        (75, "90.00% is 5 points short of target 95%: −5 per point → 75 of 100"),
        (0, "70.00% is 25 points short of target 95%: −5 per point → 0 of 100"),
    ]


def test_rate_target_per_point_lower_is_better_batch() -> None:
    """Ceiling 10, −2.5 a point: 12% → 95, 10% full, 1/3 → 100 − 2.5 × 70/3 = 125/3."""
    rule = _indicator(Measure.RATE, "lower", kind="rate-target", target=10, per_point="2.5")
    values: list[ObservedValue] = [
        Rate.from_counts(3, 25),
        Rate.from_percent("10"),
        Rate.from_counts(1, 3),
    ]
    assert _shown(_batch(rule, values)) == [
        (95, "3/25 (12.00%) is 2 points short of target 10%: −2.5 per point → 95 of 100"),
        (100, "10.00% ≤ target 10%"),
        (
            Fraction(125, 3),
            "1/3 (33.33%) is 23.33 points short of target 10%: −2.5 per point → 41.67 of 100",
        ),
    ]


def test_rate_target_batch_with_an_empty_denominator_declared_an_error() -> None:
    """``empty = "error"``: a batch holding 0/0 raises, naming the indicator (it has no unit)."""
    rule = _indicator(Measure.RATE, kind="rate-target", floor=80, empty="error")
    with pytest.raises(
        EvaluationError,
        match=r"^indicator '1\.1': empty denominator \(0 of 0\), which this scheme declares "
        r"an error$",
    ):
        _batch(rule, [Rate.from_counts(9, 10), UndefinedRate()])


# -- relative -----------------------------------------------------------------------------


def test_relative_proportional_batch_reads_the_peers_of_its_context() -> None:
    """The whole peer group in one batch: best 100 of 3, so 80 → 80, 100 → 100, 50 → 50."""
    peers: dict[str, ObservedValue] = {
        "a": Value(value=80),
        "b": Value(value=100),
        "c": Value(value=50),
    }
    outcomes = _batch(_indicator(Measure.VALUE, kind="relative"), list(peers.values()), peers)
    assert _shown(outcomes) == [
        (80, "80 against best 100 of 3 → 80 of 100"),
        (100, "100 against best 100 of 3 → 100 of 100"),
        (50, "50 against best 100 of 3 → 50 of 100"),
    ]


def test_relative_lower_is_better_batch() -> None:
    """Lower is better: best 20, so 20 → 100 and 30 → 100 × 20/30."""
    peers: dict[str, ObservedValue] = {"a": Value(value=20), "b": Value(value=30)}
    indicator = _indicator(Measure.VALUE, "lower", kind="relative")
    assert _shown(_batch(indicator, list(peers.values()), peers)) == [
        (100, "20 against best 20 of 2 → 100 of 100"),
        (Fraction(200, 3), "30 against best 20 of 2 → 66.67 of 100"),
    ]


def test_relative_rank_batch_with_ties() -> None:
    """Competition ranks 1, 2, 2, 4 of 4 score 100, 200/3, 200/3, 0."""
    peers: dict[str, ObservedValue] = {
        k: Value(value=v) for k, v in zip("abcd", (9, 7, 7, 3), strict=True)
    }
    indicator = _indicator(Measure.VALUE, kind="relative", method="rank")
    assert _shown(_batch(indicator, list(peers.values()), peers)) == [
        (100, "9: rank 1 of 4 → 100 of 100"),
        (Fraction(200, 3), "7: rank 2 of 4 → 66.67 of 100"),
        (Fraction(200, 3), "7: rank 2 of 4 → 66.67 of 100"),
        (0, "3: rank 4 of 4 → 0 of 100"),
    ]


# -- the other kinds: a batch equals score of each value ----------------------------------

_BANDS = [
    {"min": 95, "points": 100, "label": "优"},
    {"min": 80, "max": 95, "points": "70.5"},
    {"max": 80, "points": 30},
]

_OTHERS: list[tuple[Indicator, list[ObservedValue], list[Fraction]]] = [
    (
        _indicator(Measure.RATE, kind="bands", bands=_BANDS),
        [Rate.from_counts(91, 99), Rate.from_percent("95"), Rate.from_counts(1, 2)],
        [Fraction(141, 2), Fraction(100), Fraction(30)],
    ),
    (
        _indicator(Measure.FLAG, kind="compliance", partly=60),
        [Flag(value="yes"), Flag(value="partly", reason="顾问合同到期未续"), Flag(value="no")],
        [Fraction(100), Fraction(60), Fraction(0)],
    ),
    (
        _indicator(Measure.COUNT, kind="count-target", target=3),
        [Count(value=2), Count(value=0), Count(value=4)],
        [Fraction(200, 3), Fraction(0), Fraction(100)],
    ),
    (
        _indicator(Measure.DATE, kind="deadline", due="2025-03-01", per_day=5),
        [
            DateValue(date="2025-03-01"),
            DateValue(date="2025-03-04"),
            DateValue(date="2025-04-02"),
        ],
        [Fraction(100), Fraction(85), Fraction(0)],
    ),
    (
        _indicator(Measure.VALUE, kind="given-score", out_of=10),
        [Value(value="8.6"), Value(value=0), Value(value=10)],
        [Fraction(86), Fraction(0), Fraction(100)],
    ),
    (
        _indicator(Measure.PROBLEMS, kind="overdue-problems", per=5, cap=12),
        [
            OverdueProblems(),
            OverdueProblems(items=[OverdueProblem(problem="p1", deadline="2025-01-31", days=59)]),
            OverdueProblems(
                items=[
                    OverdueProblem(problem=f"p{n}", deadline="2025-01-31", days=59)
                    for n in range(1, 4)
                ]
            ),
        ],
        [Fraction(100), Fraction(95), Fraction(88)],
    ),
]


@pytest.mark.parametrize(
    ("indicator", "values", "points"), _OTHERS, ids=[i.rule.kind for i, _, _ in _OTHERS]
)
def test_other_kinds_batch_as_they_score(
    indicator: Indicator, values: list[ObservedValue], points: list[Fraction]
) -> None:
    """Bands, compliance, count-target, deadline, given-score, overdue-problems in a batch."""
    assert [o.points for o in _batch(indicator, values)] == points


def test_batch_of_no_values() -> None:
    """An empty batch is empty Outcomes."""
    rule = _indicator(Measure.COUNT, kind="count-target", target=3)
    assert _batch(rule, []) == []


def test_given_score_batch_names_the_indicator_of_a_score_off_its_scale() -> None:
    """A given score above its scale in a batch is an error naming the indicator and value."""
    with pytest.raises(EvaluationError, match=r"^indicator '1\.1': given score 11 outside 0 … 10$"):
        _batch(
            _indicator(Measure.VALUE, kind="given-score", out_of=10),
            [Value(value=5), Value(value=11)],
        )
