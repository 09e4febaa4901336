"""Invariants of the engine over generated assessments (hypothesis)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from unittest import mock

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rulelaw
from rulelaw import Assessment, Evidence, Observation, Rate, RoundingMode
from rulelaw.engine._aggregate import exact_fraction_sum as _exact_sum
from rulelaw.engine._aggregate import round_bounded as _round_bounded
from rulelaw.files import scheme_from_text, scheme_to_text
from rulelaw.model import round_fraction
from rulelaw.model import round_quotient as _div_round
from rulelaw.report.json import _BlockText
from rulelaw.testing import strategies as rs

# Each example evaluates whole assessments; fewer examples keep the file quick.
FEW = settings(max_examples=30, deadline=None)


def _no_adjustments(a: Assessment) -> Assessment:
    return attrs.evolve(a, adjustments=())


@FEW
@given(rs.assessments())
def test_indicator_points_within_bounds(a: Assessment) -> None:
    """Every rule's own points lie in 0 … its max, and every contribution in 0 … its worth."""
    for unit in rulelaw.evaluate(a).units:
        for r in unit.indicators:
            if r.rule_points is not None:
                assert 0 <= r.rule_points <= r.rule_max
            assert 0 <= r.points <= r.effective_weight + Decimal("0.01")


@FEW
@given(rs.assessments())
def test_total_within_scale_before_adjustments(a: Assessment) -> None:
    """Without adjustments a total lies in 0 … the scale (plus what per-indicator rounding adds)."""
    result = rulelaw.evaluate(_no_adjustments(a))
    rounding = a.scheme.rounding
    shown, total = rounding.level("indicator"), rounding.level("total")
    for unit in result.units:
        # Rounding each indicator first (declared) adds to each at most what its level's mode
        # can, and rounding their sum at the total's level (its own places) at most a step more.
        slack = _most_added(shown.mode) * shown.quantum * len(unit.indicators)
        slack += _most_added(total.mode) * total.quantum
        assert Decimal(0) <= unit.total <= a.scheme.scale + (slack if rounding.indicators else 0)


def _most_added(mode: RoundingMode) -> Decimal:
    """The most that rounding a non-negative number adds, in steps: up to a step, half, none."""
    if mode in (RoundingMode.UP, RoundingMode.CEILING):
        return Decimal(1)  # 1.001 → 1.01: nearly a whole step
    if mode in (RoundingMode.DOWN, RoundingMode.FLOOR):
        return Decimal(0)
    return Decimal("0.5")


@pytest.mark.parametrize(
    ("mode", "most"),
    [
        (RoundingMode.UP, "0.01"),
        (RoundingMode.CEILING, "0.01"),
        (RoundingMode.HALF_UP, "0.005"),
        (RoundingMode.HALF_EVEN, "0.005"),
        (RoundingMode.HALF_DOWN, "0.005"),
        (RoundingMode.DOWN, "0"),
        (RoundingMode.FLOOR, "0"),
    ],
)
def test_up_rounding_of_each_indicator_may_add_nearly_a_whole_step(
    mode: RoundingMode, most: str
) -> None:
    """The allowance above is what rounding can add: 0.00501 → 0.01 up, 0.005 half-up, 0 down."""
    cases = [Fraction(1, 10**5), Fraction(1, 200), Fraction(501, 10**5), Fraction(999, 10**5)]
    added = max(round_fraction(x, 2, mode) - Decimal(x.numerator) / x.denominator for x in cases)
    assert added <= _most_added(mode) * Decimal("0.01")
    assert added > _most_added(mode) * Decimal("0.01") - Decimal("0.0001")
    assert _most_added(mode) * Decimal("0.01") == Decimal(most)


@FEW
@given(rs.assessments())
def test_explained_points_add_up(a: Assessment) -> None:
    """Indicator points plus adjustment points equal the total, for every unit."""
    for unit in rulelaw.evaluate(a).units:
        explained = sum((r.points for r in unit.indicators), Decimal(0)) + sum(
            (x.points for x in unit.adjustments), Decimal(0)
        )
        assert explained == unit.total


@FEW
@given(rs.assessments(), st.randoms(use_true_random=False))
def test_order_of_rows_does_not_matter(a: Assessment, rnd: object) -> None:
    """Shuffling units, people, tenures and observations changes no unit's result."""
    import random

    assert isinstance(rnd, random.Random)

    def shuffled(items: tuple[object, ...]) -> list[object]:
        items_list = list(items)
        rnd.shuffle(items_list)
        return items_list

    b = attrs.evolve(
        a,
        units=shuffled(a.units),
        people=shuffled(a.people),
        tenures=shuffled(a.tenures),
        evidence=Evidence(observations=shuffled(a.evidence.observations)),
        adjustments=shuffled(a.adjustments),
    )
    first = {u.unit: u for u in rulelaw.evaluate(a).units}
    second = {u.unit: u for u in rulelaw.evaluate(b).units}
    assert first == second


@FEW
@given(rs.assessments())
def test_scheme_dump_and_load_change_nothing(a: Assessment) -> None:
    """A scheme written to TOML and read back scores exactly as before."""
    again = attrs.evolve(a, scheme=scheme_from_text(scheme_to_text(a.scheme)))
    assert rulelaw.evaluate(a).units == rulelaw.evaluate(again).units


@settings(max_examples=15, deadline=None)
@given(rs.assessments())
def test_folder_round_trip_gives_identical_json(a: Assessment) -> None:
    """Dumped and loaded again, an assessment gives the same JSON, run after run."""
    with tempfile.TemporaryDirectory() as tmp:
        rulelaw.dump(a, Path(tmp) / "a")
        loaded = rulelaw.load(Path(tmp) / "a")
        first = rulelaw.evaluate(loaded).to_json()
        second = rulelaw.evaluate(rulelaw.load(Path(tmp) / "a")).to_json()
    assert first == second
    assert [u.total for u in rulelaw.evaluate(a).units] == [
        u.total for u in rulelaw.evaluate(loaded).units
    ]


def _raise_rate(obs: Observation) -> Observation:
    """The same observation one case better: one more of the denominator met."""
    value = obs.value
    if (
        isinstance(value, Rate)
        and value.numerator is not None
        and value.denominator is not None
        and value.numerator < value.denominator
    ):
        return attrs.evolve(obs, value=Rate.from_counts(value.numerator + 1, value.denominator))
    return obs


@FEW
@given(rs.assessments())
def test_raising_a_higher_is_better_rate_never_lowers_a_total(a: Assessment) -> None:
    """One more case met on every higher-is-better rate never lowers any unit's total."""
    higher = {
        i.id
        for i in a.scheme.indicators
        if i.direction is rulelaw.Direction.HIGHER_IS_BETTER
        and i.rule.kind not in ("relative", "rulelaw.relative")  # peers move too
    }
    better = attrs.evolve(
        a,
        evidence=Evidence(
            observations=[
                _raise_rate(o) if o.indicator in higher else o for o in a.evidence.observations
            ]
        ),
    )
    before = {u.unit: u.total for u in rulelaw.evaluate(a).units}
    after = {u.unit: u.total for u in rulelaw.evaluate(better).units}
    for unit, total in before.items():
        assert after[unit] >= total


def _reference(a: Assessment) -> rulelaw.Evaluation:
    """The evaluation with every unit the reference way (one unit at a time, no arrays)."""
    return rulelaw.evaluate(a, reference=True)


@FEW
@given(rs.assessments())
def test_scoring_in_arrays_equals_the_reference_path(a: Assessment) -> None:
    """Every unit scored in arrays equals the per-unit exact path, line for line and in JSON."""
    fast = rulelaw.evaluate(a)
    reference = _reference(a)
    assert fast.units == reference.units
    assert fast.to_json() == reference.to_json()
    # the JSON writer assembles runs of units: any run length, any order of units
    backwards = attrs.evolve(fast, units=fast.units[::-1])
    with mock.patch.object(_BlockText, "CHUNK", 2):
        assert fast.to_json() == reference.to_json()
        assert backwards.to_json() == attrs.evolve(reference, units=reference.units[::-1]).to_json()


MODES = list(RoundingMode)


@given(
    st.lists(st.tuples(st.integers(0, 10**9), st.integers(1, 10**6)), min_size=1, max_size=150),
    st.integers(0, 4),
    st.sampled_from(MODES),
)
def test_integer_and_bounded_float_rounding_are_exact(
    parts: list[tuple[int, int]], places: int, mode: RoundingMode
) -> None:
    """Cell rounding in integers equals exact rounding; a sum said certain is rounded exactly."""
    num = np.array([n for n, _ in parts], dtype=np.int64)
    den = np.array([d for _, d in parts], dtype=np.int64)
    got = _div_round(num, den, places, mode)
    for (n, d), value in zip(parts, got.tolist(), strict=True):
        assert Decimal(value).scaleb(-places) == round_fraction(Fraction(n, d), places, mode)
    total = sum((Fraction(n, d) for n, d in parts), Fraction(0))
    approx = np.array([(num.astype(float) / den.astype(float)).sum()])
    value, certain = _round_bounded(approx, len(parts), places, mode)
    if certain[0]:
        assert Decimal(int(value[0])).scaleb(-places) == round_fraction(total, places, mode)


@pytest.mark.parametrize("mode", MODES)
def test_a_sum_on_a_rounding_boundary_is_never_called_certain(mode: RoundingMode) -> None:
    """87.125 is exactly between 87.12 and 87.13, and 87.10 exactly a step: no float decides.

    Half-way is the boundary for the half modes, a whole step for the others.
    """
    for exact in (Fraction(87125, 1000), Fraction(8710, 100)):
        _, certain = _round_bounded(np.array([float(exact)]), 3, 2, mode)
        if mode.value.startswith("half"):
            boundary = exact * 1000 % 10 == 5
        else:
            boundary = (exact * 100).denominator == 1
        assert certain[0] is not boundary  # off a boundary, the float interval is decisive


@given(st.lists(st.tuples(st.integers(0, 10**12), st.integers(1, 10**9)), max_size=60))
def test_exact_sum_over_a_common_denominator_equals_adding_fractions(
    terms: list[tuple[int, int]],
) -> None:
    """Sums recomputed on a rounding boundary are exact."""
    nums = [n for n, _ in terms]
    dens = [d for _, d in terms]
    assert _exact_sum(nums, dens) == sum((Fraction(n, d) for n, d in terms), Fraction(0))
