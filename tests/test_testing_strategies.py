"""The public strategies of ``rulelaw.testing``: each one draws values of its type."""

from __future__ import annotations

import inspect
from types import ModuleType

import pendulum
import pytest
from hypothesis import given, settings

import rulelaw.testing
from rulelaw.model import (
    Assessment,
    Bonus,
    Category,
    Count,
    DateValue,
    Duty,
    DutyList,
    ExtraDeduction,
    Flag,
    GradeScale,
    Indicator,
    NotApplicable,
    NotSubmitted,
    Observation,
    Occurrences,
    Period,
    Rate,
    ResponsiblePerson,
    Role,
    RoundingPolicy,
    RuleSpec,
    Scheme,
    ScoringPolicy,
    Tenure,
    UndefinedRate,
    Unit,
    Value,
    Veto,
)
from rulelaw.testing import strategies

#: What each public strategy, called without arguments, draws.
DRAWS: dict[str, tuple[type, ...]] = {
    "adjustment_items": (Bonus, ExtraDeduction, Veto),
    "assessments": (Assessment,),
    "categories": (Category,),
    "dates": (pendulum.Date,),
    "duties": (Duty,),
    "duty_lists": (DutyList,),
    "grade_scales": (GradeScale,),
    "ids": (str,),
    "indicators": (Indicator,),
    "observations": (Observation,),
    "observed_values": (
        Rate,
        UndefinedRate,
        Count,
        Value,
        Flag,
        Occurrences,
        DateValue,
        NotApplicable,
        NotSubmitted,
    ),
    "periods": (Period,),
    "rates": (Rate, UndefinedRate),
    "responsible_persons": (ResponsiblePerson,),
    "roles": (Role,),
    "rounding_policies": (RoundingPolicy,),
    "rule_specs": (RuleSpec,),
    "schemes": (Scheme,),
    "scoring_policies": (ScoringPolicy,),
    "tenures": (tuple,),
    "units": (Unit,),
}


@pytest.mark.parametrize("name", strategies.__all__)
def test_strategy_draws_values_of_its_type(name: str) -> None:
    """Each public strategy draws at least one value, always of the type it promises."""
    drawn: list[object] = []

    @settings(max_examples=10)
    @given(getattr(rulelaw.testing, name)())
    def collect(value: object) -> None:
        assert isinstance(value, DRAWS[name])
        drawn.append(value)

    collect()
    assert drawn


@given(rulelaw.testing.tenures())
@settings(max_examples=10)
def test_tenures_draws_tenures(drawn: tuple[Tenure, ...]) -> None:
    """``tenures()`` draws a tuple of Tenure values."""
    assert all(isinstance(t, Tenure) for t in drawn)


def test_every_strategy_has_an_expected_type() -> None:
    """The table of expected types names exactly the exported strategies."""
    assert sorted(DRAWS) == strategies.__all__
    assert set(rulelaw.testing.__all__) == {
        *strategies.__all__,
        "check_paths_agree",
        "check_rule_kind",
    }


def test_all_is_sorted_and_names_every_public_name() -> None:
    """``rulelaw.testing.__all__`` is the sorted list of its public, non-module names."""
    public = sorted(
        name
        for name, value in vars(rulelaw.testing).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    )
    assert rulelaw.testing.__all__ == public


def test_every_strategy_is_exported() -> None:
    """Every public function of the strategies module is in its ``__all__`` and the package's."""
    defined = sorted(
        name
        for name, value in vars(strategies).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == strategies.__name__
    )
    assert strategies.__all__ == defined
    assert set(defined) <= set(rulelaw.testing.__all__)


@pytest.mark.parametrize("name", strategies.__all__)
def test_strategy_has_a_docstring_with_an_example(name: str) -> None:
    """Each public strategy documents itself with a runnable ``@given`` example."""
    doc = inspect.getdoc(getattr(rulelaw.testing, name)) or ""
    assert f"@given({name}(" in doc
