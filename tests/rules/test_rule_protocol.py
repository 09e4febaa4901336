"""The rule-kind protocol's small values: ``fmt`` (numbers in reasons), Outcomes, BatchContext."""

from __future__ import annotations

import decimal
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulelaw import (
    BatchContext,
    Indicator,
    Level,
    Measure,
    Outcome,
    Outcomes,
    Period,
    RuleContext,
    RuleSpec,
    Unit,
)
from rulelaw.model.evidence import Value
from rulelaw.rules._protocol import PeerGroup, fmt, where

# -- fmt against the Decimal version it replaced ------------------------------------------

# The context the Decimal version ran in: Python's default (28 digits).
_OLD_CONTEXT = decimal.Context(prec=28)


def _only_twos_and_fives(denominator: int) -> bool:
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    return denominator == 1


def _reference_fmt(value: Fraction | Decimal | int, places: int = 2) -> str:
    """``fmt`` as it was worked in Decimal before it was worked in integers."""
    frac = Fraction(value)
    numerator, denominator = frac.numerator, frac.denominator
    if denominator == 1:
        return str(numerator)
    dec = _OLD_CONTEXT.divide(Decimal(numerator), Decimal(denominator))
    exponent = dec.as_tuple().exponent
    assert isinstance(exponent, int)
    exact = _only_twos_and_fives(denominator) and dec.as_integer_ratio() == (
        numerator,
        denominator,
    )
    if exact and -exponent <= places:
        return str(dec)
    return str(
        dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_OLD_CONTEXT)
    )


# Any denominator up to a million, and often one of only 2s and 5s (a short exact decimal).
_DENOMINATORS = st.integers(1, 10**6) | st.builds(
    lambda twos, fives: 2**twos * 5**fives, st.integers(0, 6), st.integers(0, 6)
)


@settings(max_examples=300)
@given(
    numerator=st.integers(-(10**9), 10**9),
    denominator=_DENOMINATORS,
    places=st.integers(0, 4),
)
def test_fmt_gives_what_the_decimal_version_gave(
    numerator: int, denominator: int, places: int
) -> None:
    """``fmt`` in integers equals the old Decimal ``fmt`` for every fraction and 0–4 places."""
    value = Fraction(numerator, denominator)
    assert fmt(value, places) == _reference_fmt(value, places)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1, 4), "0.25"),
        (Fraction(2, 3), "0.67"),
        (Fraction(-1, 8), "-0.13"),
        (Fraction(-1, 1000), "-0.00"),
        (Fraction(5900, 99), "59.60"),
        (Decimal("2.50"), "2.5"),
        (7, "7"),
        (Fraction(-5, 2), "-2.5"),
        (Fraction(1, 200), "0.01"),
        (Fraction(-1, 200), "-0.01"),
        (Fraction(1, 201), "0.00"),
    ],
)
def test_fmt_examples(value: Fraction | Decimal | int, text: str) -> None:
    """Exact when two places hold it, else half-up away from zero; the Decimal version agrees."""
    assert fmt(value) == text
    assert _reference_fmt(value) == text


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(5, 2), 0, "3"),
        (Fraction(-5, 2), 0, "-3"),
        (Fraction(1, 3), 0, "0"),
        (Fraction(1, 16), 4, "0.0625"),
        (Fraction(1, 32), 4, "0.0313"),
        (Fraction(-7, 3), 3, "-2.333"),
    ],
)
def test_fmt_other_places(value: Fraction, places: int, text: str) -> None:
    """``places`` sets the digits kept: 0 rounds to a whole number, 4 keeps 1/16 exact."""
    assert fmt(value, places) == text == _reference_fmt(value, places)


def test_fmt_refuses_negative_places() -> None:
    """Negative places are a ValueError saying what was given."""
    with pytest.raises(ValueError, match=r"^places must be 0 or more, got -1$"):
        fmt(Fraction(1, 3), -1)


# -- Outcomes -----------------------------------------------------------------------------


def test_outcomes_from_lists_convert_points_to_fractions() -> None:
    """Lists become tuples; Decimal and int points become exact Fractions."""
    outcomes = Outcomes(points=[Decimal("2.5"), 3, Fraction(1, 3)], reasons=["a", "b", "c"])
    assert outcomes.points == (Fraction(5, 2), Fraction(3), Fraction(1, 3))
    assert [type(p) for p in outcomes.points] == [Fraction] * 3
    assert outcomes.reasons == ("a", "b", "c")
    assert (outcomes.bands, outcomes.applicable) == (None, None)
    assert len(outcomes) == 3


def test_outcomes_optional_columns() -> None:
    """Bands and applicability, when given, are columns of the same length, kept as tuples."""
    outcomes = Outcomes(
        points=[0, 100], reasons=["0/0", "met"], bands=[None, "优"], applicable=[False, True]
    )
    assert outcomes.bands == (None, "优")
    assert outcomes.applicable == (False, True)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"reasons": ["a"]}, "Outcomes: 1 reasons for 2 points (one each expected)"),
        (
            {"reasons": ["a", "b"], "bands": ["x", None, "y"]},
            "Outcomes: 3 bands for 2 points (one each expected)",
        ),
        (
            {"reasons": ["a", "b"], "applicable": [True]},
            "Outcomes: 1 applicable for 2 points (one each expected)",
        ),
    ],
)
def test_outcomes_columns_of_another_length_are_refused(
    columns: dict[str, list[object]], message: str
) -> None:
    """A column longer or shorter than the points is a ValueError naming the column."""
    with pytest.raises(ValueError, match=rf"^{re.escape(message)}$"):
        Outcomes(points=[1, 2], **columns)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [True, 0.5, "1"])
def test_outcomes_refuse_points_that_are_not_exact_numbers(bad: object) -> None:
    """A bool, float or text among the points is a TypeError, as in Outcome."""
    with pytest.raises(TypeError, match=r"^points must be a Fraction, Decimal or int, got "):
        Outcomes(points=[1, bad], reasons=["a", "b"])  # type: ignore[list-item]


def test_outcomes_of_single_outcomes() -> None:
    """``Outcomes.of`` makes columns; bands and applicability only when some value needs them."""
    rows = [
        Outcome.scored(100, "met"),
        Outcome.not_applicable("0/0"),
        Outcome.scored(Decimal("37.5"), "partly", band="部分"),
    ]
    outcomes = Outcomes.of(rows)
    assert outcomes == Outcomes(
        points=[100, 0, Fraction(75, 2)],
        reasons=["met", "0/0", "partly"],
        bands=[None, None, "部分"],
        applicable=[True, False, True],
    )
    plain = Outcomes.of(iter([Outcome.scored(1, "one"), Outcome.scored(2, "two")]))
    assert (plain.bands, plain.applicable) == (None, None)
    assert len(Outcomes.of([])) == 0


def test_outcomes_index_and_iterate_as_outcomes() -> None:
    """``outcomes[i]`` is value i's Outcome; iteration gives them in order; ``of`` round-trips."""
    rows = [
        Outcome.scored(Fraction(200, 3), "rank 2", band="中"),
        Outcome.not_applicable("0/0 (empty denominator)"),
        Outcome.scored(0, "rank 3"),
    ]
    outcomes = Outcomes.of(rows)
    assert outcomes[0] == Outcome(
        points=Fraction(200, 3), reason="rank 2", applicable=True, band="中"
    )
    assert outcomes[1] == Outcome(
        points=0, reason="0/0 (empty denominator)", applicable=False, band=None
    )
    assert outcomes[-1] == rows[2]
    assert list(outcomes) == rows
    with pytest.raises(IndexError):
        outcomes[3]
    plain = Outcomes(points=[5], reasons=["five"])
    assert list(plain) == [Outcome(points=5, reason="five", applicable=True, band=None)]


# -- BatchContext -------------------------------------------------------------------------

_INDICATOR = Indicator(
    id="1.1",
    title="测试指标",
    parent="1",
    measure=Measure.RATE,
    rule=RuleSpec(kind="rate-target", params={"floor": 80}),
)
_PERIOD = Period(start="2024-01-01", end="2024-12-31")


def test_batch_context_is_a_context_less_the_unit() -> None:
    """A BatchContext has no unit and no peers by default; errors name only the indicator."""
    batch = BatchContext(indicator=_INDICATOR, as_of=pendulum.Date(2025, 3, 31), period=_PERIOD)
    assert not hasattr(batch, "unit")
    assert len(batch.peers) == 0
    assert where(batch) == "indicator '1.1'"
    unit = Unit(id="u1", name="青岚县", level=Level.COUNTY, category="county")
    one = RuleContext(
        unit=unit, indicator=_INDICATOR, as_of=pendulum.Date(2025, 3, 31), period=_PERIOD
    )
    assert where(one) == "unit 'u1', indicator '1.1'"


# -- PeerGroup: counts, and a group known by its counts -------------------------------------


def test_peer_group_counts_each_distinct_value() -> None:
    """``counts()``: each distinct value with how many peers hold it."""
    group = PeerGroup(
        {"a": Value(value=Decimal(3)), "b": Value(value=Decimal(5)), "c": Value(value=Decimal(3))}
    )
    assert group.counts() == {Value(value=Decimal(3)): 2, Value(value=Decimal(5)): 1}
    assert group.counts() is group.counts()  # worked out once


def test_counted_peer_group_builds_its_mapping_only_when_read() -> None:
    """A group known by its counts builds unit → value once, when first read."""
    built: list[int] = []

    def mapping() -> dict[str, Value]:
        built.append(1)
        return {"a": Value(value=Decimal(3)), "b": Value(value=Decimal(3))}

    group = PeerGroup.counted({Value(value=Decimal(3)): 2, Value(value=Decimal(9)): 0}, mapping)
    assert group.counts() == {Value(value=Decimal(3)): 2}  # no value held by nobody
    assert len(group) == 2
    assert built == []
    assert dict(group) == {"a": Value(value=Decimal(3)), "b": Value(value=Decimal(3))}
    assert group["b"] == Value(value=Decimal(3))
    assert len(group) == 2
    assert built == [1]  # built once
