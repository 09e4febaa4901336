"""Properties every generated domain value keeps, checked with ``rulelaw.testing`` strategies."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import rulelaw
from rulelaw.files import scheme_from_text, scheme_to_text
from rulelaw.model import (
    Assessment,
    Evidence,
    Indicator,
    NotSubmitted,
    Observation,
    Period,
    Scheme,
    Tenure,
    Unit,
)
from rulelaw.model._base import to_decimal
from rulelaw.testing import assessments, observations, periods, schemes, tenures


@given(schemes())
def test_scheme_round_trips_through_toml(scheme: Scheme) -> None:
    """A generated scheme written as TOML reads back to an equal scheme."""
    assert scheme_from_text(scheme_to_text(scheme)) == scheme


@given(assessments())
def test_assessment_round_trips_through_a_folder(assessment: Assessment) -> None:
    """A generated assessment dumped to a folder loads back to an equal assessment."""
    # A fresh folder per example: hypothesis runs this body many times.
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "assessment"
        rulelaw.dump(assessment, folder)
        loaded = rulelaw.load(folder)
    assert loaded == assessment
    assert loaded.summary() == assessment.summary()


@given(schemes())
def test_category_weights_sum_to_the_maximum(scheme: Scheme) -> None:
    """The leaf weights of every category add up to its maximum, and declared dimensions too."""
    for category in scheme.categories:
        points = scheme.weights_for(category.id).points
        leaves = [i for i in scheme.leaves() if i.applies_to(category.id)]
        assert sum((points[i.id] for i in leaves), Decimal(0)) == category.maximum
        for node_id, declared in points.items():
            node = scheme.node(node_id)
            if not isinstance(node, Indicator):
                below = [i for i in scheme.leaves(node_id) if i.applies_to(category.id)]
                assert sum((points[i.id] for i in below), Decimal(0)) == declared


@given(st.lists(observations(), max_size=8, unique_by=lambda o: (o.unit, o.indicator)))
def test_evidence_returns_what_was_put_in(found: list[Observation]) -> None:
    """Evidence gives back each observation for its pair, and NotSubmitted for any other pair."""
    evidence = Evidence(observations=found)
    assert len(evidence) == len(found)
    for obs in found:
        assert evidence.has(obs.unit, obs.indicator)
        assert evidence.get(obs.unit, obs.indicator) is obs
    missing = evidence.get("unit-none", "0.0.0")
    assert not evidence.has("unit-none", "0.0.0")
    assert missing == Observation(
        unit="unit-none", indicator="0.0.0", value=NotSubmitted(reason="no evidence row")
    )


@given(assessments(), st.data())
def test_reordering_keeps_the_assessment_valid(assessment: Assessment, data: st.DataObject) -> None:
    """Shuffled units, people, tenures, observations and events validate and look up the same."""
    shuffled = Assessment(
        scheme=assessment.scheme,
        units=data.draw(st.permutations(assessment.units)),
        people=data.draw(st.permutations(assessment.people)),
        tenures=data.draw(st.permutations(assessment.tenures)),
        evidence=Evidence(
            observations=data.draw(st.permutations(assessment.evidence.observations))
        ),
        adjustments=data.draw(st.permutations(assessment.adjustments)),
    )
    assert shuffled.summary() == assessment.summary()
    for unit in assessment.units:
        assert shuffled.unit(unit.id) == unit
        assert set(shuffled.tenures_at(unit.id)) == set(assessment.tenures_at(unit.id))
        for indicator in assessment.scheme.indicators:
            assert shuffled.evidence.get(unit.id, indicator.id) == assessment.evidence.get(
                unit.id, indicator.id
            )
    for person in assessment.people:
        assert shuffled.person(person.id) == person
    for category in assessment.scheme.categories:
        # Sorted, not as sets: a Unit with attributes is not hashable.
        assert sorted(shuffled.units_in(category.id), key=by_id) == sorted(
            assessment.units_in(category.id), key=by_id
        )


def by_id(unit: Unit) -> str:
    """Sort key: the unit's id."""
    return unit.id


@given(tenures(), periods())
def test_overlap_days_lies_within_the_period(drawn: tuple[Tenure, ...], period: Period) -> None:
    """A tenure overlaps a period on at least 0 and at most all of its days."""
    for tenure in drawn:
        assert 0 <= tenure.overlap_days(period) <= period.days


@given(tenures(), periods().filter(lambda p: p.days >= 2), st.data())
def test_overlap_days_adds_up_over_a_split_period(
    drawn: tuple[Tenure, ...], period: Period, data: st.DataObject
) -> None:
    """Splitting a period in two splits each tenure's overlap days between the halves."""
    cut = data.draw(st.integers(1, period.days - 1))
    first = Period(start=period.start, end=period.start.add(days=cut - 1))
    second = Period(start=period.start.add(days=cut), end=period.end)
    assert first.days + second.days == period.days
    for tenure in drawn:
        assert tenure.overlap_days(period) == tenure.overlap_days(first) + tenure.overlap_days(
            second
        )


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_to_decimal_reads_a_decimal_back_from_its_text(value: Decimal) -> None:
    """``to_decimal`` of a finite decimal's text is equal to that decimal."""
    assert to_decimal(str(value)) == value
