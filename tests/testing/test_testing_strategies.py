"""The public strategies of ``rulelaw.testing``: each one draws values of its type."""

from __future__ import annotations

import doctest
import inspect
import tomllib
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any

import pendulum
import pytest
import tomli_w
from hypothesis import find, given, settings
from hypothesis import strategies as st

import rulelaw
import rulelaw.model
import rulelaw.testing
from rulelaw.files import make_converter
from rulelaw.model import (
    Assessment,
    Bonus,
    Category,
    Count,
    DateValue,
    Direction,
    Duty,
    DutyList,
    ExtraDeduction,
    Flag,
    GradeScale,
    Indicator,
    Measure,
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
from rulelaw.rules import default_registry
from rulelaw.rules.kinds import BUILTIN_KINDS, Bands
from rulelaw.testing import strategies

#: What each public strategy, called with the arguments in CALLS (none by default), draws.
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
    "rule_params": (dict,),
    "rule_specs": (RuleSpec,),
    "schemes": (Scheme,),
    "scoring_policies": (ScoringPolicy,),
    "tenures": (tuple,),
    "units": (Unit,),
}
#: The arguments a strategy needs (every other one is called without any).
CALLS: dict[str, tuple[Any, ...]] = {"rule_params": ("rate-target",)}


@pytest.mark.parametrize("name", strategies.__all__)
def test_strategy_draws_values_of_its_type(name: str) -> None:
    """Each public strategy draws at least one value, always of the type it promises."""
    drawn: list[object] = []

    @settings(max_examples=10)
    @given(getattr(rulelaw.testing, name)(*CALLS.get(name, ())))
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
        "assert_no_grade_moves",
        "assert_ranks_within",
        "assert_totals_within",
        "assert_unchanged",
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


def test_strategies_module_gathers_the_private_modules() -> None:
    """``strategies`` re-exports every public function of the private strategy modules."""
    private = [
        value
        for name, value in vars(rulelaw.testing).items()
        if name.startswith("_")
        and isinstance(value, ModuleType)
        and name not in ("_paths", "_changes")
    ]  # check_paths_agree and the assertions about changes are not strategies
    assert sorted(m.__name__ for m in private) == [
        "rulelaw.testing._assessment",
        "rulelaw.testing._common",
        "rulelaw.testing._evidence",
        "rulelaw.testing._params",
        "rulelaw.testing._roster",
        "rulelaw.testing._scheme",
    ]
    defined = sorted(name for module in private for name in module.__all__)
    assert strategies.__all__ == defined
    for name in defined:
        function = getattr(strategies, name)
        assert inspect.isfunction(function)
        assert function.__module__.startswith("rulelaw.testing._")
        assert getattr(rulelaw.testing, name) is function


@pytest.mark.parametrize("name", strategies.__all__)
def test_strategy_has_a_docstring_with_an_example(name: str) -> None:
    """Each public strategy documents itself with a ``@given`` example."""
    doc = inspect.getdoc(getattr(rulelaw.testing, name)) or ""
    assert f"@given({name}(" in doc


@pytest.mark.parametrize("name", strategies.__all__)
def test_strategy_docstring_example_runs(name: str) -> None:
    """Each public strategy's docstring example runs and passes (as a doctest)."""
    function = getattr(rulelaw.testing, name)
    names = {**vars(rulelaw.model), **{n: getattr(strategies, n) for n in strategies.__all__}}
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(function, name, globs=names):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0
    assert results.attempted >= 3  # the import, the decorated test, and its call


# -- rule parameters ----------------------------------------------------------------------


def test_rule_params_refuses_a_kind_that_is_not_built_in() -> None:
    """``rule_params`` names the built-in kinds when asked for another one."""
    with pytest.raises(
        ValueError,
        match=r"^'acme\.bands' is not a built-in rule kind \(one of bands, compliance, "
        r"count-target, deadline, deduction, given-score, normalised, overdue-problems, "
        r"rate-target, "
        r"relative\)$",
    ):
        rulelaw.testing.rule_params("acme.bands")


def test_rule_params_covers_every_built_in_kind() -> None:
    """Every built-in kind has a parameter strategy, by its name with or without ``rulelaw.``."""
    for kind in BUILTIN_KINDS:
        rulelaw.testing.rule_params(kind.name)
        rulelaw.testing.rule_params(kind.name.removeprefix("rulelaw."))


_KINDS = [k.name for k in BUILTIN_KINDS]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(_KINDS).flatmap(
        lambda kind: st.tuples(
            st.just(kind),
            st.sampled_from(Direction).flatmap(
                lambda d: st.tuples(st.just(d), rulelaw.testing.rule_params(kind, d))
            ),
        )
    )
)
def test_rule_params_compile_for_their_direction_and_survive_toml(
    drawn: tuple[str, tuple[Direction, dict[str, Any]]],
) -> None:
    """Drawn parameters compile for every measure of the kind in their direction, TOML-safe."""
    kind_name, (direction, params) = drawn
    kind = default_registry().get(kind_name)
    for measure in kind.measures:
        indicator = Indicator(
            id="1.1",
            title="受检指标",
            parent="1",
            measure=measure,
            direction=direction,
            rule=RuleSpec(kind=kind_name, params=params),
        )
        default_registry().compile(indicator.rule, indicator, make_converter())
    assert "error" not in str(params.get("empty"))
    text = tomli_w.dumps({"rule": params})
    assert tomllib.loads(text, parse_float=Decimal)["rule"] == params


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(Direction).flatmap(lambda d: st.tuples(st.just(d), _bands(d))))
def test_bands_cover_the_line_and_favour_the_better_side(
    drawn: tuple[Direction, dict[str, Any]],
) -> None:
    """Bands leave no gap anywhere and never give a better value fewer points."""
    direction, params = drawn
    rule = make_converter().structure(params, Bands)
    indicator = Indicator(
        id="1.1",
        title="受检指标",
        parent="1",
        measure=Measure.VALUE,
        direction=direction,
        rule=RuleSpec(kind="bands", params=params),
    )
    rule.check(indicator)  # raises for a gap over the whole number line
    probes = [Fraction(n, 2) for n in range(-60, 260)]
    points = [next(b.points for b in rule.bands if b.contains(x)) for x in probes]
    if direction is Direction.LOWER_IS_BETTER:
        points.reverse()
    assert points == sorted(points)


def _bands(direction: Direction) -> st.SearchStrategy[dict[str, Any]]:
    return rulelaw.testing.rule_params("bands", direction)


@settings(max_examples=40, deadline=None)
@given(rulelaw.testing.rule_params("rate-target", errors=True))
def test_errors_true_may_declare_an_empty_denominator_an_error(params: dict[str, Any]) -> None:
    """With ``errors=True`` the empty policy ranges over all four, ``error`` included."""
    assert params.get("empty", "not-applicable") in ("not-applicable", "full", "zero", "error")


def test_errors_true_does_draw_an_error_policy() -> None:
    """``errors=True`` reaches ``empty = "error"``, which is never drawn without it."""
    found = find(
        rulelaw.testing.rule_params("relative", errors=True),
        lambda p: p.get("empty") == "error",
        settings=settings(database=None),
    )
    assert found == {"empty": "error"}
