"""The rule-kind conformance check: built-in kinds pass it, broken kinds fail it clearly."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

import attrs
import pytest
from hypothesis import strategies as st

from rulelaw import Count, Measure, Outcome, RuleBase, RuleContext
from rulelaw.model import ObservedValue
from rulelaw.model._base import to_decimal
from rulelaw.rules import default_registry
from rulelaw.rules.kinds import BUILTIN_KINDS, CountTarget, GivenScore
from rulelaw.testing.conformance import check_rule_kind

FEW = 5  # examples for the broken kinds: each breaks on its first case
HERE = re.escape(__name__)  # "tests.test_conformance" or "test_conformance", by import mode


@pytest.mark.parametrize("kind", BUILTIN_KINDS, ids=lambda k: k.name)
def test_builtin_kind_conforms(kind: type[RuleBase]) -> None:
    """Every built-in kind passes the conformance check with its own parameter strategy."""
    check_rule_kind(kind)


def test_builtin_kind_conforms_through_the_default_registry() -> None:
    """A kind already in the given registry is checked through it without a clash."""
    check_rule_kind(GivenScore, registry=default_registry(), examples=10)


def test_one_measure_and_given_params() -> None:
    """``measure`` and ``params`` narrow the cases; a kind without defaults needs ``params``."""
    check_rule_kind(CountTarget, measure=Measure.COUNT, params=st.just({"target": 3}), examples=10)


def test_measure_the_kind_does_not_score() -> None:
    """Asking for a measure the kind does not score is a ValueError naming the kind."""
    with pytest.raises(
        ValueError,
        match=r"^rule kind 'rulelaw.count-target' \(rulelaw.rules.kinds.events.CountTarget\) "
        r"does not score rate measures \(only count\)$",
    ):
        check_rule_kind(CountTarget, measure=Measure.RATE)


# -- broken kinds -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TooMany(RuleBase):
    """Scores half as much again as its maximum."""

    name: ClassVar[str] = "test.too-many"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Max × 1.5."""
        return Outcome.scored(Fraction(self.max) * 3 / 2, "more than full")


@attrs.frozen(kw_only=True)
class Unexplained(RuleBase):
    """Full points without a reason."""

    name: ClassVar[str] = "test.unexplained"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full points, reason blank."""
        return Outcome.scored(self.max, "  ")


_calls = itertools.count()


@attrs.frozen(kw_only=True)
class Flickering(RuleBase):
    """Full points on every other call: reads a module-level counter."""

    name: ClassVar[str] = "test.flickering"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full or zero by the parity of a global counter."""
        if next(_calls) % 2:
            return self.full("odd call")
        return Outcome.scored(0, "even call")


def _percent_as_share(value: object) -> Decimal:
    return to_decimal(value) / 100


@attrs.frozen(kw_only=True)
class PercentStoredAsShare(RuleBase):
    """Stores ``target`` (written in per cent) as a share, so it unstructures as a share."""

    name: ClassVar[str] = "test.percent-as-share"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    target: Decimal = attrs.field(converter=_percent_as_share)

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full points when the count reaches the target share of 100."""
        assert isinstance(value, Count)
        if value.value >= self.target * 100:
            return self.full("reached")
        return Outcome.scored(0, "short")


@attrs.frozen(kw_only=True)
class NoMaxCheck:
    """A kind whose own ``max`` field has no validator, so it takes a negative maximum."""

    name: ClassVar[str] = "test.no-max-check"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    max: Decimal = attrs.field(default=Decimal(100), converter=to_decimal)

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Always full."""
        return Outcome.scored(self.max, "always full")


@attrs.frozen(kw_only=True)
class Crashing(RuleBase):
    """Divides by the count, so a count of 0 raises ZeroDivisionError."""

    name: ClassVar[str] = "test.crashing"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Max divided by the count."""
        assert isinstance(value, Count)
        return self.full(f"{self.max / value.value}")


@attrs.define(kw_only=True)
class Mutable:
    """Not frozen: refused by the registry."""

    name: ClassVar[str] = "test.mutable"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    max: Decimal = Decimal(100)

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Always full."""
        return Outcome.scored(self.max, "always full")


@attrs.frozen(kw_only=True)
class UnitNamed(RuleBase):
    """Names the unit in its reason without declaring needs_peers."""

    name: ClassVar[str] = "test.unit-named"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, with the unit's name."""
        return self.full(f"{context.unit.name}: full")


def test_points_above_max_fail() -> None:
    """A kind scoring above its max fails, naming the kind, the points and the case."""
    with pytest.raises(AssertionError) as info:
        check_rule_kind(TooMany, examples=FEW)
    message = str(info.value)
    assert message.startswith(
        f"rule kind 'test.too-many' ({__name__}.TooMany): "
        "score returned 150 points, above its max 100\n  parameters: {}\n  value: "
    )
    assert "indicator: measure count, direction " in message


def test_empty_reason_fails() -> None:
    """A kind returning a blank reason fails, quoting it."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.unexplained' \({HERE}.Unexplained\): "
        r"score returned an empty reason \('  '\)\n  parameters: \{\}\n",
    ):
        check_rule_kind(Unexplained, examples=FEW)


def test_nondeterministic_kind_fails() -> None:
    """A kind that reads a module-level counter fails the twice-in-a-row comparison."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.flickering' \({HERE}.Flickering\): "
        r"score is not deterministic: called twice in a row with the same value and context "
        r"it returned Outcome\(.*\) and then Outcome\(.*\) \(does it read or keep global "
        r"state\?\)\n",
    ):
        check_rule_kind(Flickering, examples=FEW)


def test_parameters_that_do_not_round_trip_fail() -> None:
    """A kind whose stored parameter differs from what was written fails the round-trip."""
    with pytest.raises(AssertionError) as info:
        check_rule_kind(PercentStoredAsShare, params=st.just({"target": 50}), examples=FEW)
    assert str(info.value).startswith(
        f"rule kind 'test.percent-as-share' ({__name__}.PercentStoredAsShare): "
        "does not survive a converter round-trip: "
        "PercentStoredAsShare(max=Decimal('100'), false_penalty=Decimal('0'), "
        "target=Decimal('0.5')) unstructures to {'max': Decimal('100'), "
        "'false_penalty': Decimal('0'), 'target': Decimal('0.5')}, which structures to "
        "PercentStoredAsShare(max=Decimal('100'), false_penalty=Decimal('0'), "
        "target=Decimal('0.005'))\n"
        "  parameters: {'target': 50}\n"
    )


def test_negative_max_accepted_fails() -> None:
    """A kind that takes a negative max fails the bad-parameter check."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.no-max-check' \({HERE}.NoMaxCheck\): "
        r"accepted a negative max \(max = -5\): built NoMaxCheck\(max=Decimal\('-5'\)\)\n",
    ):
        check_rule_kind(NoMaxCheck, examples=FEW)


def test_score_raising_other_errors_fails() -> None:
    """An exception other than EvaluationError from score fails, with its type and the case."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.crashing' \({HERE}.Crashing\): "
        r"score raised (ZeroDivisionError|decimal.DivisionByZero|DivisionByZero): .*"
        r"\(only EvaluationError may say that evidence cannot be scored\)\n"
        r"(.|\n)*  value: 0 \(Count\(value=0\)\)",
    ):
        check_rule_kind(Crashing, examples=50)


def test_unregistrable_kind_fails() -> None:
    """A kind the registry refuses fails with the registry's reason."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.mutable' \({HERE}.Mutable\) does not register: "
        rf"rule kind {HERE}.Mutable must be frozen",
    ):
        check_rule_kind(Mutable, examples=FEW)


def test_unit_dependent_kind_without_peers_fails() -> None:
    """A kind whose outcome depends on the unit must declare needs_peers, or it fails."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.unit-named' \({HERE}.UnitNamed\): "
        r"score depends on the unit, but the kind does not declare needs_peers: "
        r"for unit 'unit-002' it returned Outcome\(points=Fraction\(100, 1\), "
        r"reason='澄桐区: full'",
    ):
        check_rule_kind(UnitNamed, examples=FEW)


def test_parameters_without_defaults_need_a_strategy() -> None:
    """A kind with a required parameter and no ``params`` fails, pointing at the strategy."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.percent-as-share' \({HERE}."
        r"PercentStoredAsShare\): refused parameters meant to be valid \(check the params "
        r"strategy\): 1 problem:\n  - \$.target: missing required key 'target'",
    ):
        check_rule_kind(PercentStoredAsShare, examples=FEW)
