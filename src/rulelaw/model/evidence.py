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

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, ClassVar

import attrs
import pendulum

from rulelaw.errors import DataError
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


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DataError("not a whole number", expected="a whole number >= 0", got=value)
    if value < 0:
        raise DataError("negative count", expected="a whole number >= 0", got=value)
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

    def describe(self) -> str:
        """A short human text of the value."""
        return "0/0 (undefined rate)"


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
                raise DataError(
                    "a rate is given either as counts or as a percentage, not both",
                    where="percent",
                )
            if not Decimal(0) <= self.percent <= Decimal(100):
                raise DataError(
                    "percentage out of range",
                    where="percent",
                    expected="0 to 100",
                    got=self.percent,
                )
            return
        if self.numerator is None or self.denominator is None:
            raise DataError(
                "a rate needs a numerator and a denominator, or a percentage",
                where="denominator" if self.numerator is not None else "numerator",
                expected="both counts",
            )
        if self.denominator == 0:
            raise DataError(
                "empty denominator",
                where="denominator",
                expected="a denominator > 0 (0 of 0 is UndefinedRate)",
                got=0,
            )
        if self.numerator > self.denominator:
            raise DataError(
                "numerator larger than denominator",
                where="numerator",
                expected=f"at most the denominator {self.denominator}",
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

    def describe(self) -> str:
        """A short human text of the value, e.g. ``'91/99 (91.92%)'``."""
        return self._text

    @cached_property
    def _text(self) -> str:
        shown = f"{round_fraction(self.fraction * 100, 2, RoundingMode.HALF_EVEN)}%"
        if self.percent is not None:
            return shown
        return f"{self.numerator}/{self.denominator} ({shown})"


@attrs.frozen(kw_only=True)
class Count:
    """A whole number of things (cases, staff, events), never negative."""

    kind: ClassVar[str] = "count"

    value: int = attrs.field(converter=_count)

    def describe(self) -> str:
        """A short human text of the value."""
        return str(self.value)


@attrs.frozen(kw_only=True)
class Value:
    """A decimal value, e.g. a satisfaction score or a number of days."""

    kind: ClassVar[str] = "value"

    value: Decimal = attrs.field(converter=to_decimal, eq=as_written)

    def describe(self) -> str:
        """A short human text of the value."""
        return str(self.value)


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
            "not a yes/no/partly flag", expected="one of yes, no, partly (是/否/部分)", got=value
        )


_FLAG_WORDS = {
    FlagValue.YES: frozenset({"yes", "y", "true", "是", "有", "已完成", "达标"}),
    FlagValue.NO: frozenset({"no", "n", "false", "否", "无", "未完成", "未达标"}),
    FlagValue.PARTLY: frozenset({"partly", "partial", "部分", "部分完成", "基本达标"}),
}


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
                "a 'partly' flag needs a reason", where="reason", expected="a reason text"
            )
        if self.amount is not None and self.value is not FlagValue.PARTLY:
            raise DataError(
                "an amount is given only for a 'partly' flag",
                where="amount",
                expected="no amount for yes or no",
                got=self.amount,
            )
        if self.amount is not None and self.amount < 0:
            raise DataError("negative amount", where="amount", expected=">= 0", got=self.amount)

    def describe(self) -> str:
        """A short human text of the value."""
        amount = f" {self.amount}" if self.amount is not None else ""
        return self.value.value + amount + (f" ({self.reason})" if self.reason else "")


def _dates(value: Iterable[object]) -> tuple[pendulum.Date, ...]:
    return tuple(sorted(to_date(v) for v in value))


@attrs.frozen(kw_only=True)
class Occurrences:
    """Dated occurrences (incidents, late filings, problems found), kept in date order."""

    kind: ClassVar[str] = "occurrences"

    dates: tuple[pendulum.Date, ...] = attrs.field(factory=tuple, converter=_dates)

    @classmethod
    def _of_sorted(cls, dates: tuple[pendulum.Date, ...]) -> Occurrences:
        """Occurrences of dates already converted and sorted, taken as they are.

        For a reader that parses each distinct day once and sorts in arrays:
        ``dates`` must be what the converter makes (a tuple of
        ``pendulum.Date`` in ascending order); it is not checked again.
        """
        made = cls.__new__(cls)
        object.__setattr__(made, "dates", dates)
        return made

    @cached_property
    def dates_text(self) -> str:
        """The dates as ``YYYY-MM-DD``, comma-separated (made once: reasons repeat it)."""
        return ", ".join(map(iso_date, self.dates))

    def describe(self) -> str:
        """A short human text of the value."""
        if not self.dates:
            return "none"
        return f"{len(self.dates)}: {self.dates_text}"


@attrs.frozen(kw_only=True)
class DateValue:
    """The day something was done, e.g. an annual report submitted."""

    kind: ClassVar[str] = "date"

    date: pendulum.Date = attrs.field(converter=to_date)
    note: str = ""

    def describe(self) -> str:
        """A short human text of the value."""
        return iso_date(self.date) + (f" ({self.note})" if self.note else "")


@attrs.frozen(kw_only=True)
class NotApplicable:
    """The indicator does not apply to this unit: left out, weights rescaled."""

    kind: ClassVar[str] = "not-applicable"

    reason: str = ""

    def describe(self) -> str:
        """A short human text of the value."""
        return "not applicable" + (f" ({self.reason})" if self.reason else "")


@attrs.frozen(kw_only=True)
class NotSubmitted:
    """The unit owed evidence and gave none; the scheme says how that scores."""

    kind: ClassVar[str] = "not-submitted"

    reason: str = ""

    def describe(self) -> str:
        """A short human text of the value."""
        return "not submitted" + (f" ({self.reason})" if self.reason else "")


@attrs.frozen(kw_only=True)
class OverdueProblem:
    """One problem past its rectification deadline on the evaluation date."""

    problem: str = attrs.field(validator=id_validator)
    deadline: pendulum.Date = attrs.field(converter=to_date)
    days: int


def _overdue(value: Iterable[OverdueProblem]) -> tuple[OverdueProblem, ...]:
    return tuple(sorted(value, key=lambda p: (p.deadline, p.problem)))


@attrs.frozen(kw_only=True)
class OverdueProblems:
    """The overdue problems of a unit's rectification ledger, derived on the evaluation date."""

    kind: ClassVar[str] = "problems"

    items: tuple[OverdueProblem, ...] = attrs.field(factory=tuple, converter=_overdue)

    def describe(self) -> str:
        """A short human text of the value."""
        if not self.items:
            return "no overdue problems"
        return f"{len(self.items)} overdue: " + ", ".join(
            f"{p.problem} ({p.days} day{'s' if p.days != 1 else ''})" for p in self.items
        )


@attrs.frozen(kw_only=True)
class Falsified:
    """Evidence found to be false (弄虚作假): scores 0, and the rule's ``false_penalty`` on top."""

    kind: ClassVar[str] = "falsified"

    reason: str = ""

    def describe(self) -> str:
        """A short human text of the value."""
        return "evidence marked false" + (f" ({self.reason})" if self.reason else "")


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
        raise DataError("not an observed value", where="value", got=value)


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
            f"two observations of indicator {indicator!r} for unit {unit!r}",
            where=f"observations[{position}]",
            expected="one observation per unit and indicator",
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
                    "not an observation",
                    where=f"observations[{position}]",
                    expected="an Observation",
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
                unit=unit, indicator=indicator, value=NotSubmitted(reason="no evidence row")
            )
        if self._observations is not None:
            return self._observations[row]
        return self._columns.observation(row)

    def has(self, unit: str, indicator: str) -> bool:
        """Whether an observation was given (explicit states count as given)."""
        return self._row(unit, indicator) >= 0
