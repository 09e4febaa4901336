"""The rule-kind conformance check: built-in kinds pass it, broken kinds fail it clearly."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

import attrs
import pytest
from hypothesis import strategies as st

from rulelaw import (
    BatchContext,
    Count,
    Direction,
    EvaluationError,
    Measure,
    Outcome,
    Outcomes,
    RuleBase,
    RuleContext,
)
from rulelaw.messages import Catalogue, Message
from rulelaw.model import ObservedValue
from rulelaw.model._base import to_decimal
from rulelaw.rules import default_registry
from rulelaw.rules.kinds import BUILTIN_KINDS, CountTarget, GivenScore
from rulelaw.testing import _params
from rulelaw.testing.conformance import check_rule_kind

FEW = 5  # examples for the broken kinds: each breaks on its first case
HERE = re.escape(__name__)  # "tests.test_conformance" or "test_conformance", by import mode


@pytest.mark.parametrize("kind", BUILTIN_KINDS, ids=lambda k: k.name)
def test_builtin_kind_conforms(kind: type[RuleBase]) -> None:
    """Every built-in kind passes the conformance check with its own parameter strategy."""
    check_rule_kind(kind)


def test_builtin_kinds_are_checked_with_the_strategy_schemes_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A built-in kind's cases take their parameters from ``rule_params`` (errors allowed)."""
    asked: list[tuple[Direction, bool]] = []

    def recorded(direction: Direction, errors: bool) -> st.SearchStrategy[dict[str, int]]:
        asked.append((direction, errors))
        return st.just({"target": 3})

    monkeypatch.setitem(_params.BUILTIN_PARAMS, "count-target", recorded)
    check_rule_kind(CountTarget, examples=5)
    assert asked
    assert {errors for _, errors in asked} == {True}


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
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "test.quotient": {"en": "{quotient}", "zh-CN": "商为{quotient}"}
    }

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Max divided by the count."""
        assert isinstance(value, Count)
        return self.full(self.say("test.quotient", quotient=self.max / value.value))


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


@attrs.frozen(kw_only=True)
class TitleNamed(RuleBase):
    """Names the indicator's title in its reason; declares no indicator_fields."""

    name: ClassVar[str] = "test.title-named"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "test.title-full": {"en": "{title}: full", "zh-CN": "{title}：满分"}
    }

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, with the indicator's title."""
        return self.full(self.say("test.title-full", title=context.indicator.title))


@attrs.frozen(kw_only=True)
class TitleBlind(TitleNamed):
    """TitleNamed, declaring that it reads no field of the indicator: untrue."""

    name: ClassVar[str] = "test.title-blind"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()


@attrs.frozen(kw_only=True)
class TitleDeclared(TitleNamed):
    """TitleNamed, declaring the field it reads."""

    name: ClassVar[str] = "test.title-declared"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset({"title"})


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


def test_indicator_dependent_kind_declaring_fewer_indicator_fields_fails() -> None:
    """A kind reading the indicator's title while declaring ``frozenset()`` fails, showing both."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.title-blind' \({HERE}.TitleBlind\): "
        r"score depends on more of the indicator than indicator_fields declares \(none\): "
        r"for indicator '9.9' \(另一指标, (higher|lower)\) it returned "
        r"Outcome\(points=Fraction\(100, 1\), reason='另一指标: full', applicable=True, "
        r"band=None\) instead of Outcome\(points=Fraction\(100, 1\), reason='受检指标: full', "
        r"applicable=True, band=None\) \(the engine reuses one outcome for every indicator "
        r"with an equal rule and equal declared fields\)\n  parameters: \{\}\n",
    ):
        check_rule_kind(TitleBlind, examples=FEW)


@pytest.mark.parametrize("kind", [TitleNamed, TitleDeclared], ids=["undeclared", "title-declared"])
def test_indicator_dependent_kind_declaring_nothing_or_its_fields_conforms(
    kind: type[RuleBase],
) -> None:
    """Without indicator_fields, or declaring the title it reads, the same kind passes."""
    check_rule_kind(kind, examples=20)


def test_parameters_without_defaults_need_a_strategy() -> None:
    """A kind with a required parameter and no ``params`` fails, pointing at the strategy."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.percent-as-share' \({HERE}."
        r"PercentStoredAsShare\): refused parameters meant to be valid \(check the params "
        r"strategy\): 1 problem:\n  - \$.target: missing required key 'target'",
    ):
        check_rule_kind(PercentStoredAsShare, examples=FEW)


# -- score_batch ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Tally(RuleBase):
    """Ten points a count, up to max; ``score_batch`` gives the same in columns."""

    name: ClassVar[str] = "test.tally"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "test.tally": {"en": "{count} × 10", "zh-CN": "{count}×10分"}
    }

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Ten points a count, clamped."""
        assert isinstance(value, Count)
        points = self.clamp(Fraction(10 * value.value))
        return Outcome.scored(points, self.say("test.tally", count=value.value))

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """Each value as ``score`` scores it."""
        points, reasons = [], []
        for value in values:
            assert isinstance(value, Count)
            points.append(self.clamp(Fraction(10 * value.value)))
            reasons.append(self.say("test.tally", count=value.value))
        return Outcomes(points=points, reasons=reasons)


@attrs.frozen(kw_only=True)
class Best(RuleBase):
    """Full points for the best count of the peer group, else zero; batches read the peers once."""

    name: ClassVar[str] = "test.best"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})
    needs_peers: ClassVar[bool] = True
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "test.best": {"en": "best", "zh-CN": "最优"},
        "test.not-best": {"en": "not best", "zh-CN": "非最优"},
    }

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full when no peer has more."""
        assert isinstance(value, Count)
        best = max(v.value for v in context.peers.values() if isinstance(v, Count))
        return self._against(value.value, best)

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """Each value against the best of ``context.peers``, found once."""
        best = max(v.value for v in context.peers.values() if isinstance(v, Count))
        return Outcomes.of(self._against(v.value, best) for v in values if isinstance(v, Count))

    def _against(self, count: int, best: int) -> Outcome:
        if count >= best:
            return self.full(self.say("test.best"))
        return Outcome.scored(0, self.say("test.not-best"))


@attrs.frozen(kw_only=True)
class Disagreeing(Tally):
    """``score_batch`` gives every value zero, whatever ``score`` gives it."""

    name: ClassVar[str] = "test.disagreeing"

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """Zero each."""
        return Outcomes(points=[0] * len(values), reasons=["zero"] * len(values))


@attrs.frozen(kw_only=True)
class Short(Tally):
    """``score_batch`` scores the first value only."""

    name: ClassVar[str] = "test.short"

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """The first value's outcome."""
        return Outcomes.of([Tally.score(self, values[0], context)])  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class Listed(Tally):
    """``score_batch`` returns a list of outcomes instead of Outcomes."""

    name: ClassVar[str] = "test.listed"

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """A list."""
        return [self.full("full") for _ in values]  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class Picky(Tally):
    """``score`` refuses counts above 5; ``score_batch`` scores them anyway."""

    name: ClassVar[str] = "test.picky"

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Refuse counts above 5."""
        assert isinstance(value, Count)
        if value.value > 5:
            raise EvaluationError(f"unit {context.unit.id!r}: {value.value} is above 5")
        return super().score(value, context)


@attrs.frozen(kw_only=True)
class Refusing(Tally):
    """``score_batch`` refuses every batch that ``score`` scores."""

    name: ClassVar[str] = "test.refusing"

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """Refuse."""
        raise EvaluationError("batches are not scored")


@pytest.mark.parametrize("kind", [Tally, Best], ids=lambda k: k.name)
def test_kind_with_a_right_score_batch_conforms(kind: type[RuleBase]) -> None:
    """A score_batch that agrees with score passes, with and without peers."""
    check_rule_kind(kind, examples=30)


def test_score_batch_disagreeing_with_score_fails() -> None:
    """A batch outcome unequal to score's fails, naming the value and both outcomes."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.disagreeing' \({HERE}.Disagreeing\): "
        r"score_batch disagrees with score on value 1 of \d \((\d+)\): it gave "
        r"Outcome\(points=Fraction\(0, 1\), reason='zero', applicable=True, band=None\) "
        r"where score gives Outcome\(points=Fraction\(\d+, 1\), reason='\1 × 10', "
        r"applicable=True, band=None\)\n  parameters: \{\}\n  value: \1 \(Count\(value=\1\)\)\n"
        r"(.|\n)*  more values \(for score_batch\): \d+",
    ):
        check_rule_kind(Disagreeing, examples=FEW)


def test_score_batch_of_the_wrong_length_fails() -> None:
    """A batch with fewer outcomes than values fails, giving both numbers."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.short' \({HERE}.Short\): "
        r"score_batch returned 1 outcomes for [2-5] values\n  parameters: \{\}\n",
    ):
        check_rule_kind(Short, examples=FEW)


def test_score_batch_returning_a_list_fails() -> None:
    """A batch that is not Outcomes fails, showing what came back."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.listed' \({HERE}.Listed\): "
        r"score_batch returned \[Outcome\(.*\)\], not Outcomes \(rulelaw.rules.Outcomes\)\n",
    ):
        check_rule_kind(Listed, examples=FEW)


def test_score_batch_scoring_what_score_refuses_fails() -> None:
    """When score raises EvaluationError for a value, the batch must raise too."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.picky' \({HERE}.Picky\): "
        r"score_batch returned Outcomes\(.*\) for \d values, but score raised "
        r"EvaluationError\(\"unit 'unit-00[12]': (\d+) is above 5\"\) for value \d of \d "
        r"\(\1\): a batch holding a value that cannot be scored must raise EvaluationError "
        r"too\n  parameters: \{\}\n",
    ):
        check_rule_kind(Picky, examples=50)


def test_score_batch_refusing_what_score_scores_fails() -> None:
    """A batch raising EvaluationError where score scores every value fails."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.refusing' \({HERE}.Refusing\): "
        r"score_batch raised EvaluationError \(batches are not scored\) for \d values that "
        r"score scores one by one\n",
    ):
        check_rule_kind(Refusing, examples=FEW)


# -- reasons are messages -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Plain(RuleBase):
    """Full points, the reason a plain text."""

    name: ClassVar[str] = "test.plain"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, said in English only."""
        return self.full("always full")


@attrs.frozen(kw_only=True)
class Spoken(RuleBase):
    """Full points, the reason a message of its own: the kind that passes."""

    name: ClassVar[str] = "test.spoken"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "test.spoken.full": {"en": "{observed}: full", "zh-CN": "{observed}：满分"},
        "test.spoken.other": {"en": "{observed} and {other}", "zh-CN": "{observed}，{other}"},
    }

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, with the observed value's description."""
        return self.full(self.say("test.spoken.full", observed=value.describe()))


@attrs.frozen(kw_only=True)
class Borrowing(Spoken):
    """Its reason a message of rulelaw's own (``value.none``), outside its namespace."""

    name: ClassVar[str] = "test.borrowing"

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, said with another namespace's code."""
        return self.full(self.say("value.none"))


@attrs.frozen(kw_only=True)
class Undeclared(Spoken):
    """Its reason's code is in its namespace but among none of its messages."""

    name: ClassVar[str] = "test.undeclared"

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, said with a code it never declared."""
        return self.full(self.say("test.spoken.nowhere", observed=value.describe()))


@attrs.frozen(kw_only=True)
class Fractional(Spoken):
    """Gives a Fraction as a message parameter."""

    name: ClassVar[str] = "test.fractional"

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, the observed value a Fraction."""
        return self.full(self.say("test.spoken.full", observed=Fraction(1, 3)))


@attrs.frozen(kw_only=True)
class Mismatched(Spoken):
    """Its Chinese template names a parameter its English one does not (and it never gives)."""

    name: ClassVar[str] = "test.mismatched"
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "test.mismatched.full": {"en": "{observed}: full", "zh-CN": "{observed}：{points}分"},
    }

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, the points left out."""
        return self.full(self.say("test.mismatched.full", observed=value.describe()))


@attrs.frozen(kw_only=True)
class Misspoken(Spoken):
    """Makes its message's text by hand, unlike its template."""

    name: ClassVar[str] = "test.misspoken"

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, the text 'full' where the template says 'observed: full'."""
        said = self.say("test.spoken.full", observed=value.describe())
        return self.full(Message("test.spoken.full", said.params, Catalogue(_FULL_ONLY)))


_FULL_ONLY = {"test.spoken.full": {"en": "full", "zh-CN": "满分"}}


@attrs.frozen(kw_only=True)
class BatchMisspoken(Spoken):
    """``score_batch`` gives the same text as ``score`` under another code."""

    name: ClassVar[str] = "test.batch-misspoken"
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {
        **Spoken.messages,
        "test.batch-misspoken.full": {"en": "{observed}: full", "zh-CN": "{observed}：满分"},
    }

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """Each value full, said with the other code."""
        return Outcomes.of(
            self.full(self.say("test.batch-misspoken.full", observed=v.describe())) for v in values
        )


def test_kind_speaking_its_own_messages_conforms() -> None:
    """A kind whose reasons are messages of its own namespace, in every language, passes."""
    check_rule_kind(Spoken, examples=20)


def test_plain_text_reason_fails() -> None:
    """A reason that is a plain ``str`` fails, naming the kind, the reason and the way out."""
    with pytest.raises(AssertionError) as info:
        check_rule_kind(Plain, examples=FEW)
    message = str(info.value)
    assert message.startswith(
        f"rule kind 'test.plain' ({__name__}.Plain): score returned a plain text reason "
        "('always full'), not a message: a reason is a rulelaw.messages.Message with a code "
        "of its own messages (codes test.…) and a template in every language (en, zh-CN); "
        "say it with self.say(code, **params) (see Write a rule kind: Reasons in every "
        "language)\n  parameters: {}\n  value: "
    )


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        (
            Borrowing,
            r"score returned a reason with code 'value.none', outside the kind's namespace "
            r"'test.'",
        ),
        (
            Undeclared,
            r"score returned a reason 'test.spoken.nowhere\(observed=\d+\)' whose code "
            r"'test.spoken.nowhere' has no en, zh-CN template \(declare it in the kind's "
            r"messages\)",
        ),
        (
            Fractional,
            r"score returned a reason '1/3: full' whose parameter 'observed' is Fraction\(1, 3\) "
            r"\(Fraction\): a message parameter is a text, a whole number, a decimal as shown, "
            r"a date, another message, or a tuple of these",
        ),
        (
            Mismatched,
            r"score returned a reason '\d+: full' whose zh-CN template of "
            r"'test.mismatched.full' does not render with its parameters \(KeyError: 'points'\)",
        ),
        (
            Misspoken,
            r"score returned a reason 'full' whose text is not what the template of "
            r"'test.spoken.full' renders \('\d+: full'\)",
        ),
    ],
    ids=["outside-namespace", "undeclared", "fraction", "mismatched", "misspoken"],
)
def test_reason_that_is_no_proper_message_fails(kind: type[RuleBase], problem: str) -> None:
    """A reason outside the namespace, without templates, or unlike them fails, saying which."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind '{kind.name}' \({HERE}.{kind.__name__}\): {problem}\n  parameters: ",
    ):
        check_rule_kind(kind, examples=FEW)


def test_score_batch_reason_of_another_code_fails() -> None:
    """A batch reason of the same text as score's but another code fails, showing both codes."""
    with pytest.raises(
        AssertionError,
        match=rf"^rule kind 'test.batch-misspoken' \({HERE}.BatchMisspoken\): score_batch "
        r"disagrees with score on value 1 of \d \(\d+\): its reason '\d+: full' is the message "
        r"'test.batch-misspoken.full' with .* where score's is the message 'test.spoken.full' "
        r"with ",
    ):
        check_rule_kind(BatchMisspoken, examples=FEW)
