"""Evidence: one observation per unit and indicator, of typed kinds.

Missing is never zero. Besides the observed kinds there are three explicit
states, each visible in every result:

- :class:`NotApplicable` — the indicator does not apply to this unit this
  year (its weight is taken out and the rest rescaled);
- :class:`NotSubmitted` — the unit owed evidence and gave none (scored as the
  scheme says);
- :class:`UndefinedRate` — a rate whose denominator is empty (0 of 0
  decisions reviewed): neither 0% nor 100%;
- :class:`Falsified` — evidence found to be false: scores 0, and the rule
  may declare a penalty on the total.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, ClassVar

import attrs
import pendulum

from rulelaw.errors import DataError
from rulelaw.messages import Message
from rulelaw.model._base import (
    id_validator,
    iso_date,
    optional_decimal,
    to_date,
    to_decimal,
    to_optional_date,
)
from rulelaw.model.indicators import Measure
from rulelaw.model.policy import RoundingMode, round_fraction

__all__ = [
    "Count",
    "DateValue",
    "Entry",
    "Evidence",
    "EvidenceColumns",
    "Falsified",
    "Flag",
    "FlagValue",
    "NotApplicable",
    "NotSubmitted",
    "Observation",
    "ObservedValue",
    "Occurrences",
    "OverdueProblem",
    "OverdueProblems",
    "Rate",
    "UndefinedRate",
    "Value",
]


def _written(text: str, code: str, params: tuple[tuple[str, object], ...]) -> Message:
    """The message ``code`` with ``params`` whose English ``text`` is made already.

    For the texts made once per distinct value (a description is asked for
    each value an evaluation judges): the text is built from pieces kept on
    the value, as the code's English template builds it, instead of rendered
    again (rendering costs some twenty times more). A test checks every
    description against its template.
    """
    message = str.__new__(Message, text)
    message.code = code
    message.params = params
    return message


def day(value: dt.date) -> dt.date:
    """``value`` as a plain :class:`datetime.date`, for a message parameter: the same day.

    Unlike a ``pendulum.Date``, a plain date is not tracked by the garbage
    collector, so a message whose parameters are texts, numbers and such days
    costs a collection nothing once made (an evaluation keeps one or two
    messages per distinct value judged, tens of thousands in a province).
    """
    return value if type(value) is dt.date else dt.date(value.year, value.month, value.day)


def days(values: Iterable[dt.date]) -> tuple[dt.date, ...]:
    """Each of ``values`` as a plain date (see :func:`day`)."""
    return tuple([day(value) for value in values])


def _say(code: str, **params: object) -> Message:
    return Message.of(code, **params)


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DataError(
            _say("evidence.not-a-whole-number"),
            expected=_say("evidence.expected-count"),
            got=value,
        )
    if value < 0:
        raise DataError(
            _say("evidence.negative-count"), expected=_say("evidence.expected-count"), got=value
        )
    return value


def _optional_count(value: object) -> int | None:
    return None if value is None else _count(value)


def as_written(number: Decimal | None) -> object:
    """A decimal compared as it was written: ``100`` and ``100.00`` are two values.

    They score alike, but each is shown (and explained) as it was written, so
    two values are one only when they read the same: a verdict remembered for
    one is never shown for the other, whichever reader or path met it first.
    """
    return None if number is None else (number, number.as_tuple())


@attrs.frozen(kw_only=True)
class UndefinedRate:
    """A rate with an empty denominator (0 of 0): its own state, not 0% and not 100%."""

    kind: ClassVar[str] = "undefined-rate"

    def describe(self) -> Message:
        """A short human text of the value: ``0/0 (undefined rate)``."""
        return _UNDEFINED_RATE


@attrs.frozen(kw_only=True)
class Rate:
    """A rate, from counts (``numerator`` of ``denominator``) or as a given percentage.

    Build it with :meth:`from_counts` (which returns :class:`UndefinedRate`
    for 0 of 0) or :meth:`from_percent`.

    >>> Rate.from_counts(91, 99).fraction
    Fraction(91, 99)
    >>> Rate.from_percent("97.5").fraction
    Fraction(39, 40)
    """

    kind: ClassVar[str] = "rate"

    numerator: int | None = attrs.field(default=None, converter=_optional_count)
    denominator: int | None = attrs.field(default=None, converter=_optional_count)
    percent: Decimal | None = attrs.field(default=None, converter=optional_decimal, eq=as_written)

    def __attrs_post_init__(self) -> None:
        counts = (self.numerator, self.denominator)
        if self.percent is not None:
            if counts != (None, None):
                raise DataError(_say("evidence.counts-and-percent"), where="percent")
            if not Decimal(0) <= self.percent <= Decimal(100):
                raise DataError(
                    _say("evidence.percent-out-of-range"),
                    where="percent",
                    expected=_say("value.range", low=0, high=100),
                    got=self.percent,
                )
            return
        if self.numerator is None or self.denominator is None:
            raise DataError(
                _say("evidence.rate-needs-counts"),
                where="denominator" if self.numerator is not None else "numerator",
                expected=_say("evidence.expected-both-counts"),
            )
        if self.denominator == 0:
            raise DataError(
                _say("evidence.empty-denominator"),
                where="denominator",
                expected=_say("evidence.expected-denominator"),
                got=0,
            )
        if self.numerator > self.denominator:
            raise DataError(
                _say("evidence.numerator-above-denominator"),
                where="numerator",
                expected=_say(
                    "evidence.expected-at-most-denominator", denominator=self.denominator
                ),
                got=self.numerator,
            )

    @classmethod
    def from_counts(cls, numerator: int, denominator: int) -> Rate | UndefinedRate:
        """The rate ``numerator / denominator``; :class:`UndefinedRate` when both are 0."""
        if denominator == 0 and numerator == 0:
            return UndefinedRate()
        return cls(numerator=numerator, denominator=denominator)

    @classmethod
    def from_percent(cls, percent: object) -> Rate:
        """A rate given directly as a percentage between 0 and 100."""
        return cls(percent=to_decimal(percent))

    # ``fraction`` and the text are kept once made: one rate is often scored by many rules

    @cached_property
    def fraction(self) -> Fraction:
        """The exact rate as a fraction of one."""
        if self.percent is not None:
            return Fraction(self.percent) / 100
        assert self.numerator is not None
        assert self.denominator is not None
        return Fraction(self.numerator, self.denominator)

    def describe(self) -> Message:
        """A short human text of the value, e.g. ``'91/99 (91.92%)'``."""
        return self._text

    @cached_property
    def _text(self) -> Message:
        percent = round_fraction(self.fraction * 100, 2, RoundingMode.HALF_EVEN)
        shown = f"{percent}%"
        if self.percent is not None:
            return _written(shown, "value.rate-percent", (("percent", percent),))
        return _written(
            f"{self.numerator}/{self.denominator} ({shown})",
            "value.rate-counts",
            (
                ("numerator", self.numerator),
                ("denominator", self.denominator),
                ("percent", percent),
            ),
        )


@attrs.frozen(kw_only=True)
class Count:
    """A whole number of things (cases, staff, events), never negative."""

    kind: ClassVar[str] = "count"

    value: int = attrs.field(converter=_count)

    def describe(self) -> Message:
        """A short human text of the value: the number."""
        return _written(str(self.value), "value.count", (("value", self.value),))


@attrs.frozen(kw_only=True)
class Value:
    """A decimal value, e.g. a satisfaction score or a number of days."""

    kind: ClassVar[str] = "value"

    value: Decimal = attrs.field(converter=to_decimal, eq=as_written)
    #: how the value was arrived at, when derived (a survey's "3 answers: mean of …")
    note: str = ""

    def describe(self) -> Message:
        """A short human text of the value: the number as written, or ``85.00 (note)``."""
        if self.note:
            return _written(
                f"{self.value} ({self.note})",
                "value.number-note",
                (("value", self.value), ("note", self.note)),
            )
        return _written(str(self.value), "value.number", (("value", self.value),))


class FlagValue(enum.Enum):
    """Yes (是), no (否), or partly (部分)."""

    YES = "yes"
    NO = "no"
    PARTLY = "partly"

    @classmethod
    def parse(cls, value: object) -> FlagValue:
        """Read ``yes``/``no``/``partly`` or 是/否/部分 (and a few common spellings)."""
        if isinstance(value, FlagValue):
            return value
        if isinstance(value, str):
            key = value.strip().lower()
            for flag, words in _FLAG_WORDS.items():
                if key in words:
                    return flag
        raise DataError(
            _say("evidence.not-a-flag"), expected=_say("evidence.expected-flag"), got=value
        )


_FLAG_WORDS = {
    FlagValue.YES: frozenset({"yes", "y", "true", "是", "有", "已完成", "达标"}),
    FlagValue.NO: frozenset({"no", "n", "false", "否", "无", "未完成", "未达标"}),
    FlagValue.PARTLY: frozenset({"partly", "partial", "部分", "部分完成", "基本达标"}),
}


#: How each flag value reads (the English is the value's own name).
_FLAG_SHOWN = {flag: _written(flag.value, f"value.flag-{flag.value}", ()) for flag in FlagValue}


def _flag_value(value: object) -> FlagValue:
    return FlagValue.parse(value)


@attrs.frozen(kw_only=True)
class Flag:
    """A yes / no / partly finding; *partly* needs the reason that justifies it.

    ``amount`` is the assessor's partial score for a *partly* finding, on the
    rule's scale (the compliance rule checks it against its declared range).
    """

    kind: ClassVar[str] = "flag"

    value: FlagValue = attrs.field(converter=_flag_value)
    reason: str = ""
    amount: Decimal | None = attrs.field(default=None, converter=optional_decimal, eq=as_written)

    def __attrs_post_init__(self) -> None:
        if self.value is FlagValue.PARTLY and not self.reason.strip():
            raise DataError(
                _say("evidence.partly-needs-reason"),
                where="reason",
                expected=_say("evidence.expected-reason"),
            )
        if self.amount is not None and self.value is not FlagValue.PARTLY:
            raise DataError(
                _say("evidence.amount-only-for-partly"),
                where="amount",
                expected=_say("evidence.expected-no-amount"),
                got=self.amount,
            )
        if self.amount is not None and self.amount < 0:
            raise DataError(
                _say("evidence.negative-amount"),
                where="amount",
                expected=_say("evidence.expected-not-negative"),
                got=self.amount,
            )

    def describe(self) -> Message:
        """A short human text of the value: ``yes``, ``partly (两项未完成)``, ``partly 60 (…)``."""
        word = _FLAG_SHOWN[self.value]
        if self.amount is not None:
            return _written(
                f"{word} {self.amount}" + (f" ({self.reason})" if self.reason else ""),
                "value.flag-amount-reason" if self.reason else "value.flag-amount",
                (("flag", word), ("amount", self.amount), ("reason", self.reason))
                if self.reason
                else (("flag", word), ("amount", self.amount)),
            )
        if self.reason:
            return _written(
                f"{word} ({self.reason})",
                "value.flag-reason",
                (("flag", word), ("reason", self.reason)),
            )
        return word


def _dates(value: Iterable[object]) -> tuple[pendulum.Date, ...]:
    return tuple([to_date(v) for v in value])


#: What separates the occurrences listed in one cell (the first is the canonical one).
LIST_SEPARATORS = (";", "；", "、", ",", "，")


def check_occurrence_kind(name: object) -> str:
    """Return ``name`` if it can name a kind of occurrence, else raise :class:`DataError`.

    A kind is a word a scheme prices and evidence writes before a date
    (``late 2024-03-02``, ``未报送 2024-05-09``): a non-empty text of printable
    characters with no whitespace and none of the list separators
    (``;`` ``；`` ``、`` ``,`` ``，``), and not itself a date (two dates with no
    separator between them are a mistake, not a kind).
    """
    if (
        not isinstance(name, str)
        or not name
        or not name.isprintable()
        or any(c.isspace() or c in LIST_SEPARATORS for c in name)
        or _is_a_date(name)
    ):
        raise DataError(
            _say("evidence.bad-occurrence-kind"),
            expected=_say("evidence.expected-occurrence-kind"),
            got=name,
        )
    return name


def _is_a_date(text: str) -> bool:
    try:
        to_date(text)
    except DataError:
        return False
    return True


def _kinds(value: Iterable[object]) -> tuple[str, ...]:
    return tuple(["" if v is None or v == "" else check_occurrence_kind(v) for v in value])


def parse_occurrence(text: str) -> tuple[str, pendulum.Date]:
    """One occurrence as a cell lists it: ``2024-03-02``, or its kind first: ``late 2024-03-02``.

    Returns the kind (``""`` for a plain date) and the day. Raises
    :class:`DataError` for a text that is neither.

    >>> parse_occurrence(" 未报送 2024-05-09 ")
    ('未报送', Date(2024, 5, 9))
    """
    part = text.strip()
    words = part.rsplit(None, 1)
    if len(words) < 2:
        return "", to_date(part)
    kind, day = words
    try:
        found = to_date(day)
    except DataError:
        raise DataError(
            _say("date.not-a-date"), expected=_say("evidence.expected-kind-and-date"), got=part
        ) from None
    return check_occurrence_kind(kind.strip()), found


@attrs.frozen(kw_only=True)
class Occurrences:
    """Dated occurrences (incidents, late filings, problems found), kept in date order.

    Each may name its *kind* (``kinds``, one a date, ``""`` for none), for a
    rule that prices kinds differently: a late report and a missed one. The
    occurrences are kept in order of date, then kind; ``kinds`` is empty when
    no occurrence names one.

    >>> Occurrences(dates=["2024-05-09", "2024-03-02"], kinds=["missed", "late"]).describe()
    '2: late 2024-03-02, missed 2024-05-09'
    """

    kind: ClassVar[str] = "occurrences"

    dates: tuple[pendulum.Date, ...] = attrs.field(factory=tuple, converter=_dates)
    kinds: tuple[str, ...] = attrs.field(factory=tuple, converter=_kinds)

    def __attrs_post_init__(self) -> None:
        kinds = self.kinds
        if not kinds:
            object.__setattr__(self, "dates", tuple(sorted(self.dates)))
            return
        if len(kinds) != len(self.dates):
            raise DataError(
                _say("evidence.kinds-not-one-a-date", kinds=len(kinds), dates=len(self.dates)),
                where="kinds",
                expected=_say("evidence.expected-kind-a-date"),
                got=len(kinds),
            )
        pairs = sorted(zip(self.dates, kinds, strict=True))
        object.__setattr__(self, "dates", tuple([day for day, _ in pairs]))
        named = any(kinds)
        object.__setattr__(self, "kinds", tuple([k for _, k in pairs]) if named else ())

    @classmethod
    def _of_sorted(
        cls, dates: tuple[pendulum.Date, ...], kinds: tuple[str, ...] = ()
    ) -> Occurrences:
        """Occurrences of dates already converted and sorted, taken as they are.

        For a reader that parses each distinct day once and sorts in arrays:
        ``dates`` must be what the converter makes (a tuple of
        ``pendulum.Date`` in ascending order), and ``kinds`` empty or, when
        some occurrence names a kind, one checked kind a date with the pairs
        in ascending order; they are not checked again.
        """
        made = cls.__new__(cls)
        object.__setattr__(made, "dates", dates)
        object.__setattr__(made, "kinds", kinds)
        return made

    @classmethod
    def of_kinds(cls, listed: Mapping[str, Iterable[object]]) -> Occurrences:
        """Occurrences given kind by kind: ``{"late": ["2024-03-02"], "missed": […]}``.

        The kind ``""`` holds the dates that name no kind.

        >>> Occurrences.of_kinds({"late": ["2024-03-02"], "missed": ["2024-05-09"]}).kinds
        ('late', 'missed')
        """
        pairs = [(day, kind) for kind, days in listed.items() for day in days]
        return cls(dates=[day for day, _ in pairs], kinds=[kind for _, kind in pairs])

    def kind_of(self, index: int) -> str:
        """The kind of the ``index``-th occurrence (in date order); ``""`` for none."""
        return self.kinds[index] if self.kinds else ""

    @cached_property
    def dates_text(self) -> str:
        """The dates as ``YYYY-MM-DD``, comma-separated (made once: reasons repeat it)."""
        return ", ".join(map(iso_date, self.dates))

    @cached_property
    def listed(self) -> tuple[object, ...]:
        """Each occurrence as a message shows it: its day, or its kind and day (made once)."""
        if not self.kinds:
            return days(self.dates)
        return tuple(
            [
                occurrence_item(kind, day) if kind else day
                for kind, day in zip(self.kinds, days(self.dates), strict=True)
            ]
        )

    def describe(self) -> Message:
        """A short human text: ``2: 2024-03-02, 2024-05-09``, ``1: late 2024-03-02``, ``none``."""
        if not self.dates:
            return _NONE
        count = len(self.dates)
        if self.kinds:
            return _written(
                f"{count}: " + ", ".join(map(str, self.listed)),
                "value.occurrences",
                (("count", count), ("dates", self.listed)),
            )
        return _written(
            f"{count}: {self.dates_text}",
            "value.occurrences",
            (("count", count), ("dates", days(self.dates))),
        )


def occurrence_item(kind: str, when: dt.date) -> Message:
    """One occurrence of a kind as a message: ``late 2024-03-02`` (``2024年3月2日（late）``)."""
    return _written(
        f"{kind} {iso_date(when)}",
        "value.occurrence-of-kind",
        (("kind", kind), ("date", day(when))),
    )


@attrs.frozen(kw_only=True)
class DateValue:
    """The day something was done, e.g. an annual report submitted."""

    kind: ClassVar[str] = "date"

    date: pendulum.Date = attrs.field(converter=to_date)
    note: str = ""

    def describe(self) -> Message:
        """A short human text of the value: ``2025-03-04``, or ``2025-03-04 (note)``."""
        if self.note:
            return _written(
                f"{iso_date(self.date)} ({self.note})",
                "value.date-note",
                (("date", day(self.date)), ("note", self.note)),
            )
        return _written(iso_date(self.date), "value.date", (("date", day(self.date)),))


@attrs.frozen(kw_only=True)
class NotApplicable:
    """The indicator does not apply to this unit: left out, weights rescaled."""

    kind: ClassVar[str] = "not-applicable"

    reason: str = ""

    def describe(self) -> Message:
        """A short human text of the value: ``not applicable``, with the reason if any."""
        return _with_reason(_NOT_APPLICABLE, self.reason)


@attrs.frozen(kw_only=True)
class NotSubmitted:
    """The unit owed evidence and gave none; the scheme says how that scores."""

    kind: ClassVar[str] = "not-submitted"

    reason: str = ""

    def describe(self) -> Message:
        """A short human text of the value: ``not submitted``, with the reason if any."""
        return _with_reason(_NOT_SUBMITTED, self.reason)


@attrs.frozen(kw_only=True)
class OverdueProblem:
    """One problem past its rectification deadline on the evaluation date."""

    problem: str = attrs.field(validator=id_validator)
    deadline: pendulum.Date = attrs.field(converter=to_date)
    days: int

    def describe(self) -> Message:
        """The problem and how many days it is overdue: ``p1 (12 days)``."""
        days = self.days
        return _written(
            f"{self.problem} ({days} day{'s' if days != 1 else ''})",
            "value.overdue-problem",
            (("problem", self.problem), ("days", days)),
        )


def _overdue(value: Iterable[OverdueProblem]) -> tuple[OverdueProblem, ...]:
    return tuple(sorted(value, key=lambda p: (p.deadline, p.problem)))


@attrs.frozen(kw_only=True)
class OverdueProblems:
    """The overdue problems of a unit's rectification ledger, derived on the evaluation date."""

    kind: ClassVar[str] = "problems"

    items: tuple[OverdueProblem, ...] = attrs.field(factory=tuple, converter=_overdue)

    def describe(self) -> Message:
        """A short human text of the value: ``2 overdue: p1 (12 days), p2 (40 days)``."""
        if not self.items:
            return _NO_OVERDUE
        listed = tuple(p.describe() for p in self.items)
        count = len(listed)
        return _written(
            f"{count} overdue: " + ", ".join(listed),
            "value.overdue-problems",
            (("count", count), ("problems", listed)),
        )


@attrs.frozen(kw_only=True)
class Falsified:
    """Evidence found to be false (弄虚作假): scores 0, and the rule's ``false_penalty`` on top."""

    kind: ClassVar[str] = "falsified"

    reason: str = ""

    def describe(self) -> Message:
        """A short human text of the value: ``evidence marked false``, with the reason if any."""
        return _with_reason(_FALSIFIED, self.reason)


def _with_reason(state: Message, reason: str) -> Message:
    """A state's description, with the reason given for it in brackets when there is one."""
    if not reason:
        return state
    return _written(f"{state} ({reason})", state.code + "-reason", (("reason", reason),))


_UNDEFINED_RATE = _written("0/0 (undefined rate)", "value.undefined-rate", ())
_NONE = _written("none", "value.none", ())
_NOT_APPLICABLE = _written("not applicable", "value.not-applicable", ())
_NOT_SUBMITTED = _written("not submitted", "value.not-submitted", ())
_FALSIFIED = _written("evidence marked false", "value.falsified", ())
_NO_OVERDUE = _written("no overdue problems", "value.no-overdue-problems", ())

#: Why a unit × indicator pair with no evidence row is :class:`NotSubmitted`.
NO_EVIDENCE_ROW = _written("no evidence row", "value.no-evidence-row", ())

ObservedValue = (
    Rate
    | UndefinedRate
    | Count
    | Value
    | Flag
    | Occurrences
    | DateValue
    | NotApplicable
    | NotSubmitted
    | Falsified
    | OverdueProblems
)

#: The explicit states, accepted as evidence for any measure.
STATES = (NotApplicable, NotSubmitted, Falsified)

#: Which observed kinds each measure accepts (the explicit states are accepted by all).
ACCEPTED: Mapping[Measure, tuple[type[Any], ...]] = {
    Measure.RATE: (Rate, UndefinedRate),
    Measure.COUNT: (Count,),
    Measure.VALUE: (Value,),
    Measure.FLAG: (Flag,),
    Measure.OCCURRENCES: (Occurrences,),
    Measure.DATE: (DateValue,),
    Measure.PROBLEMS: (OverdueProblems,),
}


def _value_validator(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    allowed = (
        Rate,
        UndefinedRate,
        Count,
        Value,
        Flag,
        Occurrences,
        DateValue,
        NotApplicable,
        NotSubmitted,
        Falsified,
        OverdueProblems,
    )
    if not isinstance(value, allowed):
        raise DataError(_say("evidence.not-an-observed-value"), where="value", got=value)


@attrs.frozen(kw_only=True)
class Observation:
    """What was observed for one unit on one indicator, with its source and date.

    >>> Observation(unit="county-01", indicator="1.1.1",
    ...             value=Rate.from_counts(91, 99)).value.describe()
    '91/99 (91.92%)'
    """

    unit: str = attrs.field(validator=id_validator)
    indicator: str = attrs.field(validator=id_validator)
    value: ObservedValue = attrs.field(validator=_value_validator)
    source: str = ""
    date: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)

    def accepted_by(self, measure: Measure) -> bool:
        """Whether this observation's kind is evidence for an indicator of ``measure``."""
        if isinstance(self.value, STATES):
            return True
        return isinstance(self.value, ACCEPTED[measure])


#: One distinct observed thing: the value with its source and date (no unit, no indicator).
Entry = tuple[ObservedValue, str, "pendulum.Date | None"]


@attrs.frozen(eq=False, repr=False, slots=False)
class EvidenceColumns:
    """Evidence in columns: each distinct entry stored once, every row three small integers.

    ``units``, ``indicators`` and ``entries`` list the distinct unit ids,
    indicator ids and entries (value, source, date) in first-seen order; row
    ``r`` observed ``entries[entry[r]]`` for ``units[unit[r]]`` on
    ``indicators[indicator[r]]``. The arrays are NumPy ``int32`` arrays of one
    length, never changed. This is what the engine scores from: each distinct
    entry of an indicator is scored once.
    """

    units: tuple[str, ...]
    indicators: tuple[str, ...]
    entries: tuple[Entry, ...]
    unit: Any  # numpy.ndarray[int32]
    indicator: Any  # numpy.ndarray[int32]
    entry: Any  # numpy.ndarray[int32]

    def __len__(self) -> int:
        return len(self.unit)

    def observation(self, row: int) -> Observation:
        """The observation of one row."""
        value, source, date = self.entries[int(self.entry[row])]
        return Observation(
            unit=self.units[int(self.unit[row])],
            indicator=self.indicators[int(self.indicator[row])],
            value=value,
            source=source,
            date=date,
        )

    @cached_property
    def unit_positions(self) -> Mapping[str, int]:
        """Unit id → its position in :attr:`units`."""
        return {u: i for i, u in enumerate(self.units)}

    @cached_property
    def indicator_positions(self) -> Mapping[str, int]:
        """Indicator id → its position in :attr:`indicators`."""
        return {k: i for i, k in enumerate(self.indicators)}

    @cached_property
    def sources(self) -> tuple[tuple[str, ...], Any]:
        """The distinct sources (first-seen order) and each entry's position among them."""
        import numpy as np

        distinct: dict[str, int] = {}
        of_entry = np.array(
            [distinct.setdefault(e[1], len(distinct)) for e in self.entries], dtype=np.int64
        )
        of_entry.flags.writeable = False
        return tuple(distinct), of_entry

    @cached_property
    def cells(self) -> Any:
        """The dense matrix of rows: ``[unit position, indicator position]`` → row, or −1."""
        import numpy as np

        found = np.full((len(self.units), len(self.indicators)), -1, dtype=np.int32)
        found[self.unit, self.indicator] = np.arange(len(self.unit), dtype=np.int32)
        found.flags.writeable = False
        return found


def repeated_rows(columns: EvidenceColumns) -> list[tuple[int, int]]:
    """Each row that repeats an earlier row's unit × indicator pair, with that pair's first row.

    In row order: ``(row, first row of its pair)``.
    """
    import numpy as np

    if len(columns) < 2:
        return []
    # the dense matrix (which the engine reads too) keeps one row per pair: when no
    # pair is given twice, every row finds itself there
    dense = len(columns.units) * len(columns.indicators) <= 4 * len(columns) + (1 << 20)
    if dense and (columns.cells[columns.unit, columns.indicator] == np.arange(len(columns))).all():
        return []
    key = columns.unit.astype(np.int64) * max(1, len(columns.indicators)) + columns.indicator
    order = np.argsort(key, kind="stable")  # rows grouped by pair, each group in row order
    starts = np.r_[True, key[order][1:] != key[order][:-1]]
    first = order[starts][np.cumsum(starts) - 1]  # per sorted position: its group's first row
    return sorted(zip(order[~starts].tolist(), first[~starts].tolist(), strict=True))


def _check_columns(columns: EvidenceColumns) -> None:
    """Raise on two rows of one unit × indicator pair (the first repeating row is named)."""
    repeated = repeated_rows(columns)
    if repeated:
        position = repeated[0][0]
        unit = columns.units[int(columns.unit[position])]
        indicator = columns.indicators[int(columns.indicator[position])]
        raise DataError(
            _say("evidence.two-observations", indicator=indicator, unit=unit),
            where=f"observations[{position}]",
            expected=_say("evidence.expected-one-observation"),
        )


def _columns_of(observations: tuple[Observation, ...]) -> EvidenceColumns:
    import numpy as np

    units: dict[str, int] = {}
    indicators: dict[str, int] = {}
    entries: dict[Entry, int] = {}
    n = len(observations)
    unit = np.empty(n, dtype=np.int32)
    indicator = np.empty(n, dtype=np.int32)
    entry = np.empty(n, dtype=np.int32)
    for row, obs in enumerate(observations):
        unit[row] = units.setdefault(obs.unit, len(units))
        indicator[row] = indicators.setdefault(obs.indicator, len(indicators))
        entry[row] = entries.setdefault((obs.value, obs.source, obs.date), len(entries))
    for array in (unit, indicator, entry):
        array.flags.writeable = False
    return EvidenceColumns(tuple(units), tuple(indicators), tuple(entries), unit, indicator, entry)


class Evidence:
    """All observations of an assessment, looked up by unit and indicator.

    A unit × indicator pair with no observation reads as :class:`NotSubmitted`
    (``reason="no evidence row"``), never as zero. Build it from
    observations, or from columns (:meth:`from_columns`, what
    :func:`rulelaw.load` does for a large ``evidence.csv``); either way it is
    kept in columns (:attr:`columns`), and :attr:`observations` is built
    when asked for.
    """

    __slots__ = ("_columns", "_observations")

    def __init__(self, observations: Iterable[Observation] = ()) -> None:
        found = tuple(observations)
        for position, obs in enumerate(found):
            if not isinstance(obs, Observation):
                raise DataError(
                    _say("evidence.not-an-observation"),
                    where=f"observations[{position}]",
                    expected=_say("evidence.expected-observation"),
                    got=obs,
                )
        columns = _columns_of(found)
        _check_columns(columns)
        self._columns = columns
        self._observations: tuple[Observation, ...] | None = found

    @classmethod
    def from_columns(cls, columns: EvidenceColumns) -> Evidence:
        """Evidence kept in columns; raises :class:`DataError` on a repeated pair."""
        _check_columns(columns)
        evidence = cls.__new__(cls)
        evidence._columns = columns
        evidence._observations = None
        return evidence

    @property
    def columns(self) -> EvidenceColumns:
        """The evidence in columns (what the engine reads)."""
        return self._columns

    @property
    def observations(self) -> tuple[Observation, ...]:
        """Every observation, in the order given (built from the columns when first asked)."""
        if self._observations is None:
            columns = self._columns
            self._observations = tuple(columns.observation(r) for r in range(len(columns)))
        return self._observations

    def __len__(self) -> int:
        return len(self._columns)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Evidence):
            return NotImplemented
        return self is other or self.observations == other.observations

    def __hash__(self) -> int:
        return hash(self.observations)

    def __repr__(self) -> str:
        return f"Evidence({len(self)} observations)"

    def _row(self, unit: str, indicator: str) -> int:
        columns = self._columns
        u = columns.unit_positions.get(unit)
        i = columns.indicator_positions.get(indicator)
        if u is None or i is None:
            return -1
        return int(columns.cells[u, i])

    def get(self, unit: str, indicator: str) -> Observation:
        """The observation of ``indicator`` for ``unit``; NotSubmitted if there is none."""
        row = self._row(unit, indicator)
        if row < 0:
            return Observation(
                unit=unit, indicator=indicator, value=NotSubmitted(reason=NO_EVIDENCE_ROW)
            )
        if self._observations is not None:
            return self._observations[row]
        return self._columns.observation(row)

    def has(self, unit: str, indicator: str) -> bool:
        """Whether an observation was given (explicit states count as given)."""
        return self._row(unit, indicator) >= 0
