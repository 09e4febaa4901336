"""The rule-kind protocol: what a rule kind is, what it gets, what it returns.

A rule kind is a frozen attrs class whose fields are its parameters. It has
one pure method, :meth:`RuleKind.score`, turning an observed value and a
:class:`RuleContext` into an :class:`Outcome`. Nothing in a rule reads the
clock or global state: the evaluation date arrives in the context.

Points are exact :class:`~fractions.Fraction` values on the rule's own scale
``0 … max`` (``max`` defaults to 100, i.e. per cent of the indicator's
weight); the engine converts them to the indicator's weight for the unit's
category.

A reason is a :class:`~rulelaw.messages.Message`: a code and its parameters,
whose text is English and which renders in any language the catalogue
speaks. The built-in kinds' codes are in rulelaw's catalogue
(``messages/catalogue/rules.toml``); a third-party kind declares its own
templates in ``messages`` and says its reasons with :meth:`RuleBase.say`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from types import MappingProxyType
from typing import Any, ClassVar, Protocol, runtime_checkable

import attrs
import pendulum

from rulelaw.messages import Catalogue, Message, builtin_catalogue
from rulelaw.model import (
    Indicator,
    Measure,
    ObservedValue,
    Period,
    Unit,
    as_fraction,
    fmt,
    not_negative,
    positive,
    to_decimal,
)

__all__ = [
    "NO_PEERS",
    "BatchContext",
    "Outcome",
    "Outcomes",
    "PeerGroup",
    "PeerScope",
    "RuleBase",
    "RuleContext",
    "RuleKind",
    "as_fraction",
    "fmt",
]


def _points(value: Fraction | Decimal | int) -> Fraction:
    if type(value) is Fraction:  # the usual case, first: built-in kinds give exact Fractions
        return value
    if isinstance(value, bool) or not isinstance(value, Fraction | Decimal | int):
        raise TypeError(f"points must be a Fraction, Decimal or int, got {value!r}")
    return as_fraction(value)


@attrs.frozen(kw_only=True)
class Outcome:
    """What a rule made of one observation: points on the rule's scale and the reason.

    The reason is a :class:`~rulelaw.messages.Message` (a plain text still
    works, shown as it is in every language, but the conformance check
    requires a message). ``applicable=False`` takes the indicator out of the unit's score (its
    weight is given to the others) — used for an empty denominator the scheme
    declares not applicable. ``band`` names the band or step that applied.
    """

    points: Fraction = attrs.field(converter=_points)
    reason: str
    applicable: bool = True
    band: str | None = None

    @classmethod
    def scored(
        cls, points: Fraction | Decimal | int, reason: str, band: str | None = None
    ) -> Outcome:
        """An outcome that counts, with its points and reason."""
        return cls(points=points, reason=reason, band=band)

    @classmethod
    def not_applicable(cls, reason: str) -> Outcome:
        """An outcome that takes the indicator out of the unit's score."""
        return cls(points=0, reason=reason, applicable=False)


def _point_column(values: Iterable[Fraction | Decimal | int]) -> tuple[Fraction, ...]:
    return tuple(p if type(p) is Fraction else _points(p) for p in values)


def _text_column(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _optional_column(values: Iterable[Any] | None) -> tuple[Any, ...] | None:
    return None if values is None else tuple(values)


@attrs.frozen(kw_only=True)
class Outcomes:
    """What a rule made of many observations at once, in columns (see ``score_batch``).

    Value ``i`` scored ``points[i]`` for ``reasons[i]``; ``bands`` (``None``:
    no value fell in a named band) and ``applicable`` (``None``: every value
    counts) are columns of the same length when given. ``outcomes[i]`` is
    the :class:`Outcome` of value ``i``.

    >>> Outcomes(points=[100, 0], reasons=["met", "not met"])[1]
    Outcome(points=Fraction(0, 1), reason='not met', applicable=True, band=None)
    """

    points: tuple[Fraction, ...] = attrs.field(converter=_point_column)
    reasons: tuple[str, ...] = attrs.field(converter=_text_column)
    bands: tuple[str | None, ...] | None = attrs.field(default=None, converter=_optional_column)
    applicable: tuple[bool, ...] | None = attrs.field(default=None, converter=_optional_column)

    def __attrs_post_init__(self) -> None:
        size = len(self.points)
        for name in ("reasons", "bands", "applicable"):
            column = getattr(self, name)
            if column is not None and len(column) != size:
                raise ValueError(
                    f"Outcomes: {len(column)} {name} for {size} points (one each expected)"
                )

    @classmethod
    def of(cls, outcomes: Iterable[Outcome]) -> Outcomes:
        """The columns of single outcomes (a kind's ``score_batch`` may loop ``score``)."""
        rows = list(outcomes)
        return cls(
            points=[o.points for o in rows],
            reasons=[o.reason for o in rows],
            bands=[o.band for o in rows] if any(o.band is not None for o in rows) else None,
            applicable=None if all(o.applicable for o in rows) else [o.applicable for o in rows],
        )

    def __len__(self) -> int:
        return len(self.points)

    def __getitem__(self, i: int) -> Outcome:
        return Outcome(
            points=self.points[i],
            reason=self.reasons[i],
            applicable=True if self.applicable is None else self.applicable[i],
            band=None if self.bands is None else self.bands[i],
        )

    def __iter__(self) -> Iterator[Outcome]:
        return (self[i] for i in range(len(self)))


class PeerGroup(Mapping[str, ObservedValue]):
    """The observations of one indicator across a peer group, unit id → value.

    Only real observations are in it (no not-applicable or missing ones). It
    is built once per indicator and group and shared by every unit of the
    group, so what a rule derives from it can be cached on it with
    :meth:`derived` instead of recomputed per unit. :meth:`counts` gives
    each distinct value with how many peers hold it, which is all a rule
    comparing values needs.
    """

    def __init__(self, values: Mapping[str, ObservedValue] | None = None) -> None:
        self._values: dict[str, ObservedValue] | None = dict(values or {})
        self._build: Callable[[], Mapping[str, ObservedValue]] = dict
        self._counts: dict[ObservedValue, int] | None = None
        self._derived: dict[object, Any] = {}

    @classmethod
    def counted(
        cls,
        counts: Mapping[ObservedValue, int],
        values: Callable[[], Mapping[str, ObservedValue]],
    ) -> PeerGroup:
        """A group known by its :meth:`counts`; ``values()`` gives unit id → value when first read.

        For an engine that has the counts already (from arrays) and would
        otherwise build a mapping no rule reads. ``counts`` must be what
        ``values()`` holds.
        """
        group = cls()
        group._values = None
        group._build = values
        group._counts = {value: times for value, times in counts.items() if times > 0}
        return group

    def _mapping(self) -> dict[str, ObservedValue]:
        if self._values is None:
            self._values = dict(self._build())
        return self._values

    def __getitem__(self, key: str) -> ObservedValue:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        if self._values is None:  # known by its counts: not built for its size
            return sum(self.counts().values())
        return len(self._values)

    def counts(self) -> Mapping[ObservedValue, int]:
        """Each distinct value and how many peers hold it (worked out once)."""
        if self._counts is None:
            found: dict[ObservedValue, int] = {}
            for value in self._mapping().values():
                found[value] = found.get(value, 0) + 1
            self._counts = found
        return self._counts

    def derived(self, key: object, compute: Callable[[PeerGroup], Any]) -> Any:
        """``compute(self)``, computed once per ``key`` and kept (e.g. the sorted values)."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]


NO_PEERS = PeerGroup()


class PeerScope(enum.Enum):
    """Whose values a unit is compared with: a peer-reading kind's ``peers`` field (contract 2).

    ``category`` (what every kind that needs peers gets by default): the
    units of the unit's category; ``peer-group``: the units of its grading
    peer group (the scheme's ``grading.peer_group``: the category, the
    level, or a column of units.csv), whatever their category. Either way
    only units the indicator applies to, with an observation of it.
    """

    CATEGORY = "category"
    PEER_GROUP = "peer-group"


_ZERO = Fraction(0)


@attrs.frozen(kw_only=True)
class RuleContext:
    """What a rule may know besides the observation.

    ``peers`` holds the peer group's observations of the same indicator; it
    is filled only for kinds that declare ``needs_peers = True`` (relative
    rules) and empty otherwise.
    """

    unit: Unit
    indicator: Indicator
    as_of: pendulum.Date
    period: Period
    peers: PeerGroup = NO_PEERS


@attrs.frozen(kw_only=True)
class BatchContext:
    """What a rule may know when it scores many values at once: a context less the unit.

    The values of one batch may belong to different units. For a kind that
    needs peers they all belong to one peer group, which is in ``peers``.
    """

    indicator: Indicator
    as_of: pendulum.Date
    period: Period
    peers: PeerGroup = NO_PEERS


@runtime_checkable
class RuleKind(Protocol):
    """The protocol every rule kind follows (built-in and third-party alike).

    - ``name``: a unique dotted name, such as ``rulelaw.rate-target`` or
      ``acme.survey`` (class variable);
    - ``measures``: the indicator measures it can score (class variable);
    - ``max``: a field, the rule's own full points (default 100);
    - ``score(value, context)``: a pure method returning an :class:`Outcome`
      with ``0 <= points <= max`` and a non-empty reason. The outcome may
      depend only on the value, the indicator, ``as_of`` and ``period`` (and
      ``peers`` for kinds that need them) — not on ``context.unit``, which is
      there for error messages: the engine reuses the outcome of a value seen
      before;
    - optionally ``needs_peers = True`` (class variable): the engine then
      fills ``context.peers`` with the peer group's observations — of the
      unit's category, or (contract 2, a field ``peers`` holding
      ``"peer-group"``, see :class:`PeerScope`) of its grading peer group;
    - optionally ``indicator_fields`` (class variable): a frozenset naming
      the fields of ``context.indicator`` the outcome depends on (such as
      ``frozenset({"direction"})``; ``frozenset()`` for none). The engine
      then shares one outcome of a value between indicators whose rules are
      equal and whose named fields agree, as it does between units. Without
      it the engine assumes the outcome may depend on the whole indicator;
    - optionally ``score_batch(values, context)``: the outcomes of many
      values at once, as :class:`Outcomes` (``context`` a
      :class:`BatchContext`); it must give what ``score`` gives each value,
      and lets a kind skip the per-value overhead. If it raises, the engine
      scores the batch value by value, so the error names the unit. For a
      kind that needs peers, a batch holds the values of one peer group;
    - optionally ``check_value(value)``: raise
      :class:`~rulelaw.errors.DataError` for an observed value the rule cannot
      score (a given score above its scale); loading reports it at its row;
    - optionally ``check(indicator)``: raise :class:`~rulelaw.errors.SchemeError`
      when the parameters do not suit the indicator (e.g. a floor on the
      wrong side of the target for its direction).
    """

    name: ClassVar[str]
    measures: ClassVar[frozenset[Measure]]

    @property
    def max(self) -> Decimal: ...

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome: ...


@attrs.frozen(kw_only=True)
class RuleBase:
    """A convenient base for rule kinds: the ``max`` and ``false_penalty`` parameters.

    ``false_penalty`` is taken off the unit's total (on the scheme's scale)
    when the evidence for the indicator is marked false (:class:`Falsified`);
    the indicator itself then scores 0.
    """

    _scheme_value: ClassVar[bool] = True

    #: the kind's own message templates, code → {language: template}, its codes in its
    #: namespace (the part of ``name`` before the first dot); see :meth:`say`
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = MappingProxyType({})
    #: the rule-kind contract version the kind was written for (see ``rulelaw.rules``)
    contract: ClassVar[int] = 1
    #: whether ``context.peers`` must be filled with the peer group's observations
    needs_peers: ClassVar[bool] = False
    #: the ``Indicator`` fields an outcome reads (``None``: it may read the whole indicator)
    indicator_fields: ClassVar[frozenset[str] | None] = None
    max: Decimal = attrs.field(default=Decimal(100), converter=to_decimal, validator=positive)
    false_penalty: Decimal = attrs.field(
        default=Decimal(0), converter=to_decimal, validator=not_negative
    )

    @cached_property
    def _max_points(self) -> Fraction:
        """``max`` as an exact Fraction (made once: a rule scales by it on every score)."""
        return as_fraction(self.max)

    @cached_property
    def _of_max(self) -> str:
        """The end of a reason that gives points out of ``max``: ``" of 100"``."""
        return f" of {self.max}"

    def say(self, code: str, **params: object) -> Message:
        """The message ``code`` with ``params``: a reason (or an error) in the kind's own words.

        ``code`` is one of the kind's :attr:`messages` (or of rulelaw's
        catalogue); the message's text is its English template rendered now,
        and ``message.text(lang, result.catalogue)`` gives it in another
        language (an evaluation's catalogue holds the templates of every kind
        that scored it). Parameters are texts, whole numbers, decimals as
        shown, dates, other messages (an observed value's ``describe()``) and
        tuples of these.

        >>> from rulelaw.model import Value
        >>> @attrs.frozen(kw_only=True)
        ... class Survey(RuleBase):
        ...     name: ClassVar[str] = "acme.survey"
        ...     messages: ClassVar[Mapping[str, Mapping[str, str]]] = {
        ...         "acme.survey.met": {"en": "{observed} met", "zh-CN": "{observed}，达标"}
        ...     }
        >>> said = Survey().say("acme.survey.met", observed=Value(value="93.5").describe())
        >>> (said, said.code)
        ('93.5 met', 'acme.survey.met')
        >>> said.text("zh-CN", kind_catalogue(Survey))
        '93.5，达标'
        """
        return Message(code, tuple(params.items()), self._catalogue)

    @cached_property
    def _catalogue(self) -> Catalogue:
        """What :meth:`say` renders with: rulelaw's catalogue and the kind's ``messages``."""
        return kind_catalogue(type(self))

    def full(self, reason: str, band: str | None = None) -> Outcome:
        """Full points."""
        return Outcome(points=self._max_points, reason=reason, band=band)

    def _full(self, reason: str, band: str | None = None) -> Judged:
        """Full points, judged (see :class:`JudgedRule`)."""
        return self._max_points, reason, band, True

    def clamp(self, points: Fraction) -> Fraction:
        """``points`` limited to ``0 … max``."""
        top = self._max_points
        if points > top:
            return top
        return points if points > 0 else _ZERO

    def check(self, indicator: Indicator) -> None:
        """Accept every indicator whose measure the kind scores (override to check more)."""

    def check_value(self, value: ObservedValue) -> None:
        """Accept every observed value (override to refuse one at its row when loading)."""


def kind_catalogue(kind: type[Any]) -> Catalogue:
    """Rulelaw's catalogue with the templates of ``kind``'s own ``messages``.

    What :meth:`RuleBase.say` renders with (made once a rule);
    ``Registry.catalogue()`` holds those of every kind registered.
    """
    own = getattr(kind, "messages", None)
    return builtin_catalogue().merged(own) if own else builtin_catalogue()


def written(text: str, code: str, params: tuple[tuple[str, object], ...]) -> Message:
    """The message ``code`` with ``params`` whose English ``text`` is made already.

    For the built-in kinds' reasons, one per distinct value judged (tens of
    thousands in a province): the text is joined from pieces a rule keeps,
    as the code's English template joins them, instead of rendered again
    (rendering costs some twenty times more). The conformance check holds
    every reason to its template: a text that is not what the template
    renders fails it.
    """
    message = str.__new__(Message, text)
    message.code = code
    message.params = params
    return message


#: What a built-in kind's ``_judge`` makes of one value: points, reason, band, applicable.
Judged = tuple[Fraction, str, str | None, bool]


def where(context: RuleContext | BatchContext) -> Message:
    """The place an error is about: ``unit 'x', indicator 'y'`` (no unit for a batch)."""
    unit = getattr(context, "unit", None)
    if unit is None:
        return Message.of("rule.at-indicator", indicator=context.indicator.id)
    return Message.of("rule.at-unit", unit=unit.id, indicator=context.indicator.id)


class JudgedRule:
    """``score`` and ``score_batch`` both from one ``_judge(value, context)`` (built-in kinds).

    ``_judge`` returns a :data:`Judged` tuple; a batch is a loop of it with
    no object made per value but the reason.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A subclass that rewrites how it scores keeps no promise the old scoring made.

        Rewriting ``score`` alone drops the old ``score_batch`` (it would
        score the old way); rewriting any of the three without declaring
        ``indicator_fields`` anew drops the old declaration (the new scoring
        may read more of the indicator).
        """
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        if "score" in own and "_judge" not in own and "score_batch" not in own:
            cls.score_batch = None  # type: ignore[assignment,method-assign]
        rewritten = any(name in own for name in ("score", "_judge", "score_batch"))
        if rewritten and "indicator_fields" not in own:
            cls.indicator_fields = None  # type: ignore[attr-defined]

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        raise NotImplementedError

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """The outcome of one value."""
        points, reason, band, applicable = self._judge(value, context)
        return Outcome(points=points, reason=reason, band=band, applicable=applicable)

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """The outcomes of many values, as ``score`` gives each."""
        judge = self._judge
        rows = [judge(value, context) for value in values]
        if not rows:
            return Outcomes(points=(), reasons=())
        points, reasons, bands, applicable = zip(*rows, strict=True)
        return Outcomes(
            points=points,
            reasons=reasons,
            bands=bands if any(band is not None for band in bands) else None,
            applicable=None if all(applicable) else applicable,
        )
