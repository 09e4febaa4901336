"""The rule-kind conformance check: the protocol's promises, tested on any kind.

A rule kind — built-in or published by someone else — promises more than
its signature says: ``score`` is pure and deterministic, its points lie in
``0 … max``, every outcome has a reason — a message of the kind's own, with
a template in every language rulelaw speaks —, its parameters survive a trip
through the converter (so a scheme can be dumped and loaded again), and bad
parameters are refused with a rulelaw error that names the place. A kind
with the optional ``score_batch`` also promises that scoring many values at
once gives, value by value, what ``score`` gives, and raises where ``score``
would. :func:`check_rule_kind` runs a kind through all of these with
generated parameters, observations and contexts, as scikit-learn's
``check_estimator`` does for estimators::

    from rulelaw.testing import check_rule_kind

    def test_my_kind_conforms():
        check_rule_kind(MyKind, params=st.just({"target": 5}))

Needs `hypothesis <https://hypothesis.readthedocs.io>`_ (the ``testing``
extra).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pendulum
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from hypothesis.errors import FailedHealthCheck, Flaky, Unsatisfiable
from hypothesis.strategies import SearchStrategy

from rulelaw.convert import make_converter, structure
from rulelaw.errors import EvaluationError, RegistrationError, RulelawError, SchemeError
from rulelaw.messages import LANGUAGES, Catalogue, Message
from rulelaw.model import (
    Direction,
    Indicator,
    Level,
    Measure,
    ObservedValue,
    Occurrences,
    Period,
    RuleSpec,
    Unit,
    Value,
)
from rulelaw.rules import (
    NO_PEERS,
    BatchContext,
    Outcome,
    Outcomes,
    PeerGroup,
    RuleContext,
    RuleKind,
)
from rulelaw.rules.registry import BUILTIN_PREFIX, Registry
from rulelaw.testing._evidence import observed_values
from rulelaw.testing._params import BUILTIN_PARAMS, rule_params

__all__ = ["check_rule_kind"]

# -- the fixed and generated context ----------------------------------------------------

# Invented units: the one scored, and another of the same category (a rule that
# does not look at its peers must not depend on which unit it scores, because
# the engine reuses its outcome for every unit with the same value).
_UNIT = Unit(id="unit-001", name="青岚县", level=Level.COUNTY, category="county")
_OTHER_UNIT = Unit(id="unit-002", name="澄桐区", level=Level.COUNTY, category="county")
_OTHER_DIRECTION = {
    Direction.HIGHER_IS_BETTER: Direction.LOWER_IS_BETTER,
    Direction.LOWER_IS_BETTER: Direction.HIGHER_IS_BETTER,
}
_UNKNOWN = "no_such_parameter"
_MORE = 4  # at most so many values besides the case's own in a batch (peers are the batch)
_FIRST_DAY = pendulum.Date(2024, 1, 1)
_LAST_DAY = pendulum.Date(2025, 12, 31)


def _peer_unit(n: int) -> Unit:
    """The invented unit holding the ``n``-th other peer (from 101 on)."""
    return Unit(id=f"unit-{n:03d}", name=f"邻县{n}", level=Level.COUNTY, category="county")


def _days() -> SearchStrategy[pendulum.Date]:
    return st.integers(0, (_LAST_DAY - _FIRST_DAY).days).map(lambda n: _FIRST_DAY.add(days=n))


@st.composite
def _periods(draw: st.DrawFn) -> Period:
    start, end = sorted((draw(_days()), draw(_days())))
    return Period(start=start, end=end)


# -- valid parameters ------------------------------------------------------------------

_ParamsFor = Callable[[Direction], SearchStrategy[dict[str, Any]]]


def _builtin_params(kind_name: str) -> _ParamsFor | None:
    """The parameter strategy of a built-in kind, by direction (the one schemes are drawn with).

    ``empty = "error"`` may come: a rate of 0 of 0 must then raise an
    EvaluationError with a message, which the check accepts.
    """
    short = kind_name.removeprefix(BUILTIN_PREFIX)
    if short == kind_name or short not in BUILTIN_PARAMS:
        return None
    return lambda direction: rule_params(kind_name, direction, errors=True)


def _values(kind_name: str, params: Mapping[str, Any], measure: Measure) -> SearchStrategy[Any]:
    """Observed values of ``measure``; for ``given-score`` half of them on its scale.

    For a ``deduction`` that prices kinds, half of them are occurrences of
    its kinds (the others mostly name none, which it cannot score).
    """
    values = observed_values(measure, states=False)
    if kind_name == "rulelaw.given-score":
        out_of = Decimal(params.get("out_of", 100))
        fitting = st.integers(0, int(out_of * 100)).map(lambda n: Value(value=Decimal(n) / 100))
        return fitting | values
    if kind_name == "rulelaw.deduction" and params.get("prices"):
        pairs = st.tuples(_days(), st.sampled_from(sorted(params["prices"])))
        kinded = st.lists(pairs, max_size=4).map(
            lambda found: Occurrences(dates=[d for d, _ in found], kinds=[k for _, k in found])
        )
        return kinded | values
    return values


# -- one generated case -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Case:
    """Everything one check runs on (its repr is the falsifying example hypothesis prints)."""

    params: dict[str, Any]
    measure: Measure
    direction: Direction
    value: ObservedValue
    peers: tuple[ObservedValue, ...]
    more: tuple[ObservedValue, ...]
    as_of: pendulum.Date
    period: Period

    def describe(self) -> str:
        """The case, one fact a line, for failure messages."""
        lines = [
            f"  parameters: {self.params!r}",
            f"  value: {self.value.describe()} ({self.value!r})",
            f"  indicator: measure {self.measure.value}, direction {self.direction.value}",
            f"  as_of {self.as_of.isoformat()}, period {self.period}",
        ]
        if self.peers:
            shown = ", ".join(v.describe() for v in self.peers)
            lines.append(f"  other peers: {shown}")
        if self.more:
            shown = ", ".join(v.describe() for v in self.more)
            lines.append(f"  more values (for score_batch): {shown}")
        return "\n".join(lines)


@st.composite
def _cases(
    draw: st.DrawFn,
    kind_name: str,
    measures: tuple[Measure, ...],
    params_for: _ParamsFor,
    needs_peers: bool,
    batches: bool,
) -> _Case:
    measure = draw(st.sampled_from(measures))
    direction = draw(st.sampled_from(Direction))
    params = draw(params_for(direction))
    values = _values(kind_name, params, measure)
    return _Case(
        params=params,
        measure=measure,
        direction=direction,
        value=draw(values),
        peers=tuple(draw(st.lists(values, max_size=4))) if needs_peers else (),
        # a batch of a kind that needs peers is its peer group: the value and the peers
        more=tuple(draw(st.lists(values, min_size=1, max_size=_MORE)))
        if batches and not needs_peers
        else (),
        as_of=draw(_days()),
        period=draw(_periods()),
    )


# -- the check --------------------------------------------------------------------------


def _describe_kind(kind: object) -> str:
    name = getattr(kind, "name", None)
    where = f"{getattr(kind, '__module__', '?')}.{getattr(kind, '__qualname__', repr(kind))}"
    return f"rule kind {name!r} ({where})" if isinstance(name, str) else f"rule kind {where}"


def _wrong_type_fields(kind: type[Any]) -> list[str]:
    """The parameters a table (``{错误 = "类型"}``) is the wrong type for."""
    try:
        hints = typing.get_type_hints(kind)
    except Exception:  # unresolvable annotations: try every field
        hints = {}
    names = []
    for field in attrs.fields(kind):
        if not field.init:
            continue
        hint = hints.get(field.name)
        options = typing.get_args(hint) if _is_union(hint) else (hint,)
        if not any(_takes_a_table(option) for option in options):
            names.append(field.alias)
    return names


def _is_union(hint: object) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _takes_a_table(hint: object) -> bool:
    """Whether a parameter of this type may rightly be a table (a mapping, or anything)."""
    origin = typing.get_origin(hint) or hint
    return (
        hint is Any or hint is object or (isinstance(origin, type) and issubclass(origin, Mapping))
    )


def _differ(first: Outcome | EvaluationError, other: Outcome | EvaluationError) -> bool:
    """Whether two calls differ: one raised and the other did not, or the outcomes are unequal.

    (Two errors may word their place differently: the unit or indicator is named.)
    """
    if type(first) is not type(other):
        return True
    return isinstance(first, Outcome) and first != other


class _Checker:
    """The checks for one kind, run on each generated case."""

    def __init__(self, kind: type[Any], registry: Registry) -> None:
        self.kind = kind
        self.name: str = kind.name
        self.who = _describe_kind(kind)
        self.registry = registry
        self.converter = make_converter()
        self.contract = registry.contract(kind)  # registered already: checked, with defaults
        self.needs_peers = self.contract.needs_peers
        self.batches = self.contract.batches
        self.wrong_type_fields = _wrong_type_fields(kind)
        self.catalogue = registry.catalogue()
        # a built-in kind speaks rulelaw's catalogue; any other, its own namespace
        builtin = self.name.startswith(BUILTIN_PREFIX)
        self.namespace = None if builtin else self.name.split(".", 1)[0] + "."
        self.scored = 0

    def fail(self, problem: str, case: _Case) -> AssertionError:
        return AssertionError(f"{self.who}: {problem}\n{case.describe()}")

    def indicator(self, case: _Case, params: Mapping[str, Any]) -> Indicator:
        return Indicator(
            id="1.1",
            title="受检指标",
            parent="1",
            measure=case.measure,
            direction=case.direction,
            rule=RuleSpec(kind=self.name, params=params),
        )

    def peers(self, case: _Case, unit: Unit = _UNIT) -> PeerGroup:
        """The case's peer group, ``unit`` holding its value (none unless the kind needs peers).

        A new group each time: what a rule caches on one must not change its result.
        """
        if not self.needs_peers:
            return NO_PEERS
        others = {_peer_unit(n).id: v for n, v in enumerate(case.peers, start=101)}
        return PeerGroup({unit.id: case.value, **others})

    def context(
        self,
        case: _Case,
        indicator: Indicator,
        unit: Unit = _UNIT,
        peers: PeerGroup | None = None,
    ) -> RuleContext:
        """The case's context for ``unit``; its peer group made anew unless ``peers`` is given."""
        return RuleContext(
            unit=unit,
            indicator=indicator,
            as_of=case.as_of,
            period=case.period,
            peers=self.peers(case, unit) if peers is None else peers,
        )

    def run(self, case: _Case) -> None:
        rule = self.compiled(case)
        self.round_trip(case, rule)
        self.bad_parameters(case)
        self.scores(case, rule)
        if self.batches:
            self.batch(case, rule)

    def compiled(self, case: _Case) -> RuleKind:
        indicator = self.indicator(case, case.params)
        try:
            built = structure(self.converter, dict(case.params), self.kind)
        except RulelawError as exc:
            raise self.fail(
                f"refused parameters meant to be valid (check the params strategy): {exc}", case
            ) from None
        if self.contract.checks_indicators:
            try:
                self.contract.check(built, indicator)
            except SchemeError:
                # Valid parameters that do not suit this indicator (e.g. its
                # direction): not a case to score.
                reject()
        try:
            rule: RuleKind = self.registry.compile(indicator.rule, indicator, self.converter)
        except RulelawError as exc:
            raise self.fail(f"Registry.compile refused valid parameters: {exc}", case) from None
        if not isinstance(rule, RuleKind):
            raise self.fail(f"compiled to {rule!r}, which lacks the RuleKind members", case)
        if rule != built:
            raise self.fail(
                f"compiling gave {rule!r}, unequal to the same parameters structured: {built!r}",
                case,
            )
        return rule

    def round_trip(self, case: _Case, rule: RuleKind) -> None:
        data = self.converter.unstructure(rule)
        if not isinstance(data, Mapping):
            raise self.fail(f"unstructures to {data!r}, not to a table of parameters", case)
        try:
            back = structure(self.converter, data, self.kind)
        except RulelawError as exc:
            raise self.fail(
                f"does not survive a converter round-trip: its unstructured parameters "
                f"{data!r} are refused: {exc}",
                case,
            ) from None
        if back != rule:
            raise self.fail(
                f"does not survive a converter round-trip: {rule!r} unstructures to {data!r}, "
                f"which structures to {back!r}",
                case,
            )

    def bad_parameters(self, case: _Case) -> None:
        # (what is wrong, the parameters, a word the error must contain)
        bad: list[tuple[str, dict[str, Any], str]] = [
            ("a negative max (max = -5)", {**case.params, "max": -5}, ""),
            (
                f"an unknown parameter {_UNKNOWN!r}",
                {**case.params, _UNKNOWN: 1},
                _UNKNOWN,
            ),
        ]
        bad.extend(
            (f"a table where {name!r} belongs", {**case.params, name: {"错误": "类型"}}, "")
            for name in self.wrong_type_fields
        )
        for what, params, named in bad:
            indicator = self.indicator(case, params)
            try:
                rule = self.registry.compile(indicator.rule, indicator, self.converter)
            except RulelawError as exc:
                if named not in str(exc):
                    raise self.fail(f"refused {what} without naming it: {exc}", case) from None
                continue
            except Exception as exc:
                raise self.fail(
                    f"refused {what} with {type(exc).__name__} ({exc}) instead of a rulelaw "
                    "error (rulelaw.RulelawError)",
                    case,
                ) from None
            raise self.fail(f"accepted {what}: built {rule!r}", case)

    def call(
        self,
        rule: RuleKind,
        case: _Case,
        context: RuleContext,
        value: ObservedValue | None = None,
        which: str = "",
    ) -> Outcome | EvaluationError:
        """``score`` of ``value`` (the case's by default; ``which`` names another in errors)."""
        try:
            return rule.score(case.value if value is None else value, context)
        except EvaluationError as exc:  # evidence the rule cannot score: allowed, if explained
            if not str(exc).strip():
                raise self.fail(
                    f"raised an EvaluationError without a message{which}", case
                ) from None
            return exc
        except Exception as exc:
            raise self.fail(
                f"score raised {type(exc).__name__}: {exc}{which} (only EvaluationError may "
                "say that evidence cannot be scored)",
                case,
            ) from None

    def scores(self, case: _Case, rule: RuleKind) -> None:
        indicator = self.indicator(case, case.params)
        context = self.context(case, indicator)
        first = self.call(rule, case, context)
        again = self.call(rule, case, context)
        if _shown(first) != _shown(again):
            raise self.fail(
                "score is not deterministic: called twice in a row with the same value and "
                f"context it returned {_shown(first)} and then {_shown(again)} (does it read "
                "or keep global state?)",
                case,
            )
        # An equal rule, built anew, in an equal context.
        twin = structure(self.converter, dict(case.params), self.kind)
        other = self.call(twin, case, self.context(case, indicator))
        if _shown(first) != _shown(other):
            raise self.fail(
                "score is not deterministic: an equal rule in an equal context returned "
                f"{_shown(other)} instead of {_shown(first)}",
                case,
            )
        if not self.needs_peers:
            moved = self.call(rule, case, self.context(case, indicator, _OTHER_UNIT))
            if _differ(first, moved):
                raise self.fail(
                    "score depends on the unit, but the kind does not declare needs_peers: for "
                    f"unit {_OTHER_UNIT.id!r} it returned {_shown(moved)} instead of "
                    f"{_shown(first)} (the engine reuses one outcome for every unit with the "
                    "same value)",
                    case,
                )
        self.elsewhere(case, rule, indicator, first)
        if isinstance(first, EvaluationError):
            return
        self.outcome(case, rule, first)
        self.scored += 1

    def elsewhere(
        self,
        case: _Case,
        rule: RuleKind,
        indicator: Indicator,
        first: Outcome | EvaluationError,
    ) -> None:
        """A kind that names the indicator fields it reads scores alike where only others differ.

        ``first`` is what it gave for the case's ``indicator``.
        """
        fields = self.contract.indicator_fields
        if fields is None:
            return
        changes: dict[str, Any] = {
            "id": "9.9",
            "title": "另一指标",
            "parent": "9",
            "unit_of_measure": "件",
            "description": "同一规则，另一指标",
            "categories": frozenset({"elsewhere"}),
            "direction": _OTHER_DIRECTION[indicator.direction],
        }
        other = attrs.evolve(indicator, **{k: v for k, v in changes.items() if k not in fields})
        if self.contract.checks_indicators and other.direction is not indicator.direction:
            try:
                self.contract.check(rule, other)
            except SchemeError:  # the rule does not suit the other direction: keep this one
                other = attrs.evolve(other, direction=indicator.direction)
        there = self.call(rule, case, self.context(case, other))
        if _differ(first, there):
            declared = ", ".join(sorted(fields)) or "none"
            raise self.fail(
                f"score depends on more of the indicator than indicator_fields declares "
                f"({declared}): for indicator {other.id!r} ({other.title}, "
                f"{other.direction.value}) it returned {_shown(there)} instead of "
                f"{_shown(first)} (the engine reuses one outcome for every indicator with an "
                "equal rule and equal declared fields)",
                case,
            )

    def batch(self, case: _Case, rule: RuleKind) -> None:
        """``score_batch`` gives each value what ``score`` gives it, or raises where it raises.

        The batch is the case's value and more of the same measure held by two
        units in turn, or, for a kind that needs peers, the case's peer group.
        """
        indicator = self.indicator(case, case.params)
        values: list[ObservedValue]
        if self.needs_peers:
            values = [case.value, *case.peers]
            holders = [_UNIT, *(_peer_unit(n) for n in range(101, 101 + len(case.peers)))]
        else:
            values = [case.value, *case.more]
            holders = [(_UNIT, _OTHER_UNIT)[i % 2] for i in range(len(values))]
        size = len(values)
        place = [f"value {i} of {size} ({v.describe()})" for i, v in enumerate(values, start=1)]
        one_by_one = self.peers(case)
        expected = [
            self.call(
                rule, case, self.context(case, indicator, unit, one_by_one), value, f" for {where}"
            )
            for unit, value, where in zip(holders, values, place, strict=True)
        ]
        context = BatchContext(
            indicator=indicator, as_of=case.as_of, period=case.period, peers=self.peers(case)
        )
        refused = [i for i, found in enumerate(expected) if isinstance(found, EvaluationError)]
        try:
            outcomes = self.contract.score_batch(rule, values, context)
        except EvaluationError as exc:
            if not refused:
                raise self.fail(
                    f"score_batch raised EvaluationError ({exc}) for {size} values that score "
                    "scores one by one",
                    case,
                ) from None
            if not str(exc).strip():
                raise self.fail(
                    "score_batch raised an EvaluationError without a message", case
                ) from None
            return
        except Exception as exc:
            raise self.fail(
                f"score_batch raised {type(exc).__name__}: {exc} (only EvaluationError may say "
                "that evidence cannot be scored)",
                case,
            ) from None
        if refused:
            first = refused[0]
            raise self.fail(
                f"score_batch returned {outcomes!r} for {size} values, but score raised "
                f"{_shown(expected[first])} for {place[first]}: a batch holding a value "
                "that cannot be scored must raise EvaluationError too",
                case,
            )
        if not isinstance(outcomes, Outcomes):
            raise self.fail(
                f"score_batch returned {outcomes!r}, not Outcomes (rulelaw.rules.Outcomes)", case
            )
        if len(outcomes) != size:
            raise self.fail(
                f"score_batch returned {len(outcomes)} outcomes for {size} values", case
            )
        for i, want in enumerate(expected):
            got = outcomes[i]
            if got != want:
                raise self.fail(
                    f"score_batch disagrees with score on {place[i]}: it gave {got!r} where "
                    f"score gives {want!r}",
                    case,
                )
            assert isinstance(want, Outcome)  # an error was refused above
            if _said(got.reason) != _said(want.reason):
                raise self.fail(
                    f"score_batch disagrees with score on {place[i]}: its reason {got.reason!r} "
                    f"is {_said(got.reason)} where score's is {_said(want.reason)}",
                    case,
                )

    def outcome(self, case: _Case, rule: RuleKind, outcome: object) -> None:
        if not isinstance(outcome, Outcome):
            raise self.fail(f"score returned {outcome!r}, not an Outcome", case)
        full = Fraction(rule.max)
        if outcome.points < 0:
            raise self.fail(f"score returned {outcome.points} points, below zero", case)
        if outcome.points > full:
            raise self.fail(
                f"score returned {outcome.points} points, above its max {rule.max}", case
            )
        if not isinstance(outcome.reason, str) or not outcome.reason.strip():
            raise self.fail(f"score returned an empty reason ({outcome.reason!r})", case)
        if outcome.band is not None and not isinstance(outcome.band, str):
            raise self.fail(f"score returned a band {outcome.band!r} that is not a text", case)
        self.message(case, outcome.reason)

    def message(self, case: _Case, reason: str) -> None:
        """A reason is a message of the kind's namespace, rendered alike by its templates."""
        if not isinstance(reason, Message):
            where = f"its own messages (codes {self.namespace}…)" if self.namespace else "rulelaw's"
            raise self.fail(
                f"score returned a plain text reason ({reason!r}), not a message: a reason is "
                f"a rulelaw.messages.Message with a code of {where} and a template in every "
                f"language ({', '.join(LANGUAGES)}); say it with self.say(code, **params) "
                "(see Write a rule kind: Reasons in every language)",
                case,
            )
        code = reason.code
        if self.namespace is not None and not code.startswith(self.namespace):
            raise self.fail(
                f"score returned a reason with code {code!r}, outside the kind's namespace "
                f"{self.namespace!r}",
                case,
            )
        problem = _message_problem(reason, self.catalogue)
        if problem is not None:
            raise self.fail(f"score returned a reason {reason!r} whose {problem}", case)


#: What a message parameter may be (and tuples of these): data, never a float or a Fraction.
_PARAMETER_TYPES = (str, int, Decimal, dt.date, Message)


def _message_problem(
    message: Message, catalogue: Catalogue, within: str | None = None
) -> str | None:
    """What is wrong with a message (``None``: nothing), nested messages included.

    Its code must have a template in every language in ``catalogue``, its
    parameters be data, its text render in every language, and its English
    be what its template renders. ``within`` names the parameter a nested
    message is.
    """
    head = "" if within is None else f"parameter {within!r}, a message, has "
    code = message.code
    templates = catalogue.get(code, {})
    missing = [lang for lang in LANGUAGES if not templates.get(lang)]
    if missing:
        return (
            f"{head}code {code!r} has no {', '.join(missing)} template (declare it in the "
            "kind's messages)"
        )
    for name, value in message.params:
        found = _parameter_problem(name, value, catalogue)
        if found is not None:
            return head + found
    for lang in LANGUAGES:
        try:
            message.text(lang, catalogue)
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            return (
                f"{head}{lang} template of {code!r} does not render with its parameters "
                f"({type(exc).__name__}: {exc})"
            )
    rendered = Message(code, message.params, catalogue)
    if str.__str__(rendered) != str.__str__(message):
        return f"{head}text is not what the template of {code!r} renders ({str(rendered)!r})"
    return None


def _parameter_problem(name: str, value: object, catalogue: Catalogue) -> str | None:
    """What is wrong with one message parameter (``None``: nothing)."""
    if isinstance(value, tuple):
        for item in value:
            found = _parameter_problem(name, item, catalogue)
            if found is not None:
                return found
        return None
    if isinstance(value, bool) or not isinstance(value, _PARAMETER_TYPES):
        return (
            f"parameter {name!r} is {value!r} ({type(value).__name__}): a message parameter "
            "is a text, a whole number, a decimal as shown, a date, another message, or a "
            "tuple of these"
        )
    if isinstance(value, Message):
        return _message_problem(value, catalogue, name)
    return None


def _said(reason: str) -> str:
    """A reason's code and parameters, for comparing two reasons of the same text."""
    if not isinstance(reason, Message):
        return "a plain text"
    return f"the message {reason.code!r} with {reason.params!r}"


def _no_params(direction: Direction) -> SearchStrategy[dict[str, Any]]:
    return st.just({})


def _shown(result: Outcome | EvaluationError) -> str:
    if isinstance(result, EvaluationError):
        return f"EvaluationError({str(result)!r})"
    return repr(result)


def check_rule_kind(
    kind: type[Any],
    *,
    measure: Measure | None = None,
    params: SearchStrategy[dict[str, Any]] | None = None,
    examples: int = 50,
    registry: Registry | None = None,
) -> None:
    """Check that a rule kind keeps the rule-kind protocol, on generated cases.

    The kind must register on a fresh registry (dotted unique name, frozen
    attrs class, ``measures``, a ``max`` field, ``score(self, value,
    context)``). Then, for ``examples`` generated cases — valid parameters,
    an observed value of a measure the kind scores, an indicator of either
    direction, an evaluation date and a period within 2024–2025, and peers
    for a kind that declares ``needs_peers`` — it checks that:

    - ``Registry.compile`` builds the rule, equal to the parameters structured
      by the converter, and the rule survives a converter round-trip
      (``unstructure`` then ``structure`` gives an equal rule);
    - a negative ``max``, an unknown parameter and a table given for any
      parameter are each refused with a :class:`~rulelaw.errors.RulelawError`;
    - ``score`` returns an :class:`~rulelaw.rules.Outcome` with
      ``0 <= points <= max`` and a non-empty reason, or raises an
      :class:`~rulelaw.errors.EvaluationError` with a message; nothing else;
    - the reason is a :class:`~rulelaw.messages.Message` (not a plain text)
      whose code is in the kind's namespace (the part of its ``name`` before
      the first dot; a built-in kind's in rulelaw's catalogue) and has a
      template in every language (:data:`~rulelaw.messages.LANGUAGES`) among
      the kind's ``messages`` or rulelaw's; its parameters are data (texts,
      whole numbers, decimals, dates, messages — each checked alike — and
      tuples of these); it renders in every language; and its text is what
      its English template renders;
    - ``score`` is deterministic: twice in a row on the same rule and context,
      and once on an equal rule in an equal context, it gives the same result;
      a kind that does not need peers gives the same for another unit; a kind
      that declares ``indicator_fields`` gives the same for an indicator that
      differs in every other field (id, title, direction, …);
    - if the kind has ``score_batch``: on a batch of values — the case's value
      and one to four more of the same measure, held by two units in turn, or,
      for a kind that needs peers, every value of the case's peer group, with
      the group in the :class:`~rulelaw.rules.BatchContext` —
      ``score_batch(values, context)`` returns :class:`~rulelaw.rules.Outcomes`
      of as many values, each equal to the :class:`~rulelaw.rules.Outcome`
      ``score`` gives that value in the :class:`~rulelaw.rules.RuleContext` of
      its unit (its reason a message of the same code and parameters); when
      ``score`` raises an :class:`~rulelaw.errors.EvaluationError` for any
      value of the batch, ``score_batch`` raises one too (and otherwise
      raises nothing);
    - at least one case is scored (a kind cannot pass by refusing everything).

    Parameters
    ----------
    kind:
        The rule kind class.
    measure:
        Check only this measure (one of ``kind.measures``); all of them if ``None``.
    params:
        A strategy of valid parameter tables for ``kind``, as a scheme would
        write them. Built-in kinds have their own; for another kind the
        default is ``st.just({})``, which suits only a kind whose parameters
        all have defaults. A case whose parameters the kind's ``check``
        refuses for the indicator (e.g. for its direction) is skipped.
    examples:
        How many cases to generate.
    registry:
        The registry to compile through (a copy; the kind is added to it).
        A new, empty one if ``None``.

    Raises
    ------
    AssertionError
        The kind breaks the protocol; the message names the kind, the broken
        promise and the failing case (parameters, value, indicator, dates).
    ValueError
        ``measure`` is not one the kind scores.

    Example
    -------
    >>> from hypothesis import strategies as st
    >>> from rulelaw.rules.kinds import CountTarget
    >>> check_rule_kind(CountTarget, params=st.just({"target": 4}), examples=5)

    """
    who = _describe_kind(kind)
    fresh = registry.copy() if registry is not None else Registry()
    try:
        fresh.register(kind)
    except RegistrationError as exc:
        raise AssertionError(f"{who} does not register: {exc}") from None
    measures = tuple(sorted(kind.measures, key=lambda m: m.value))
    if measure is not None:
        if measure not in kind.measures:
            accepted = ", ".join(m.value for m in measures)
            raise ValueError(f"{who} does not score {measure.value} measures (only {accepted})")
        measures = (measure,)
    params_for = _builtin_params(kind.name) or _no_params
    if params is not None:
        given_params = params
        params_for = lambda _direction: given_params  # noqa: E731  # the same for either direction
    checker = _Checker(kind, fresh)
    cases = _cases(kind.name, measures, params_for, checker.needs_peers, checker.batches)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,  # a check, not an exploration: nothing is written to disk
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(case=cases)
    def run(case: _Case) -> None:
        checker.run(case)

    try:
        run()
    except Unsatisfiable as exc:
        raise AssertionError(
            f"{who}: no generated case could be checked: the kind's check() refused every "
            f"indicator for the parameters given ({exc})"
        ) from None
    except FailedHealthCheck as exc:
        raise AssertionError(f"{who}: the cases could not be generated: {exc}") from None
    except Flaky as exc:
        raise AssertionError(
            f"{who}: fails only sometimes on the same case, so score is not deterministic: {exc}"
        ) from None
    if checker.scored == 0:
        raise AssertionError(
            f"{who}: score never returned an Outcome; every case raised EvaluationError"
        )
