"""Kinds over flags, counts, occurrences and dates.

``compliance``, ``count-target``, ``deduction`` and ``deadline``.
"""

from __future__ import annotations

import bisect
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import ClassVar

import attrs
import pendulum

from rulelaw.errors import DataError, EvaluationError, SchemeError
from rulelaw.messages import Message
from rulelaw.model import (
    Count,
    DateValue,
    Flag,
    FlagValue,
    Measure,
    ObservedValue,
    Occurrences,
    OverdueProblems,
    iso_date,
    not_negative,
    optional_decimal,
    positive,
    to_date,
    to_decimal,
)
from rulelaw.model.evidence import day, days
from rulelaw.rules._protocol import (
    BatchContext,
    Judged,
    JudgedRule,
    RuleBase,
    RuleContext,
    as_fraction,
    fmt,
    where,
    written,
)
from rulelaw.rules.kinds.rates import AT_LEAST, points_text

__all__ = ["Compliance", "CountTarget", "Deadline", "Deduction", "OverdueProblemsRule"]

_ZERO = Fraction(0)
_MET = written("met", "compliance.met", ())
_NOT_MET = written("not met", "compliance.not-met", ())
_NO_OCCURRENCES = written("no occurrences", "deduction.none", ())
_NO_PROBLEM_OVERDUE = written("no problem overdue", "overdue-problems.none", ())


@attrs.frozen(kw_only=True)
class Compliance(JudgedRule, RuleBase):
    """Met / partly met / not met → full points / a partial amount / zero.

    A *partly* finding always carries its reason (the evidence file requires
    it). The assessor may give its amount in the evidence (column
    ``amount``); it must lie within ``partly_min … partly_max`` (default
    0 … max). Without one, ``partly`` applies (default: half of ``max``).

    Example: max 100, partly 60; 部分 (顾问合同到期未续) → 60 points; the same
    with amount 70 → 70 points.
    """

    name: ClassVar[str] = "rulelaw.compliance"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.FLAG})

    partly: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=not_negative
    )
    partly_min: Decimal = attrs.field(
        default=Decimal(0), converter=to_decimal, validator=not_negative
    )
    partly_max: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=not_negative
    )

    def __attrs_post_init__(self) -> None:
        top = self.max if self.partly_max is None else self.partly_max
        if top > self.max:
            raise SchemeError(
                Message.of("compliance.partly-max-above-max"),
                where="partly_max",
                expected=Message.of("rule.expected-at-most", limit=self.max),
                got=top,
            )
        if self.partly_min > top:
            raise SchemeError(
                Message.of("compliance.partly-min-above-partly-max"),
                where="partly_min",
                expected=Message.of("rule.expected-at-most", limit=top),
                got=self.partly_min,
            )
        if self.partly is not None and not self.partly_min <= self.partly <= top:
            raise SchemeError(
                Message.of("compliance.partly-outside-range"),
                where="partly",
                expected=Message.of("value.range", low=self.partly_min, high=top),
                got=self.partly,
            )

    @property
    def partly_range(self) -> tuple[Fraction, Fraction]:
        """The amounts a *partly* finding may score."""
        top = self.max if self.partly_max is None else self.partly_max
        return Fraction(self.partly_min), Fraction(top)

    @property
    def partly_points(self) -> Fraction:
        """Points for a *partly* finding that gives no amount."""
        if self.partly is not None:
            return Fraction(self.partly)
        low, high = self.partly_range
        return min(high, max(low, Fraction(self.max) / 2))

    def check_value(self, value: ObservedValue) -> None:
        """A *partly* amount must lie within the declared range."""
        if isinstance(value, Flag) and value.amount is not None:
            low, high = self.partly_range
            if not low <= value.amount <= high:
                raise DataError(
                    Message.of("compliance.amount-outside-range"),
                    where="amount",
                    expected=Message.of(
                        "value.range", low=Decimal(fmt(low)), high=Decimal(fmt(high))
                    ),
                    got=value.amount,
                )

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Score a yes / no / partly finding."""
        if not isinstance(value, Flag):
            raise TypeError(f"compliance scores flags, not {value!r}")
        if value.value is FlagValue.YES:
            return self._full(_MET, band="met")
        if value.value is FlagValue.NO:
            if not value.reason:
                return _ZERO, _NOT_MET, "not met", True
            reason = Message.of("compliance.not-met-reason", reason=value.reason)
            return _ZERO, reason, "not met", True
        if value.amount is not None:
            low, high = self.partly_range
            if not low <= value.amount <= high:
                raise EvaluationError(
                    Message.of(
                        "compliance.amount-outside",
                        place=where(context),
                        amount=value.amount,
                        low=Decimal(fmt(low)),
                        high=Decimal(fmt(high)),
                    )
                )
            points = Fraction(value.amount)
            code = "compliance.partly-assessed"
        else:
            points = self.partly_points
            code = "compliance.partly"
        reason = Message.of(code, reason=value.reason, points=Decimal(fmt(points)), max=self.max)
        return points, reason, "partly", True


@attrs.frozen(kw_only=True)
class CountTarget(JudgedRule, RuleBase):
    """At least ``target`` for full points, in proportion below.

    Example: target 4, max 100; 3 → 75 points.
    """

    name: ClassVar[str] = "rulelaw.count-target"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    target: int = attrs.field(validator=positive)

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Score a count against the target."""
        if not isinstance(value, Count):
            raise TypeError(f"count-target scores counts, not {value!r}")
        seen = value.describe()
        if value.value >= self.target:
            return self._full(
                written(
                    f"{seen} ≥ target {self.target}",
                    "count-target.met",
                    (("observed", seen), ("comparison", AT_LEAST), ("target", self.target)),
                )
            )
        points = self._max_points * value.value / self.target
        shown, exact = points_text(points)
        reason = written(
            f"{seen} of target {self.target} → {shown}{self._of_max}",
            "count-target.short",
            (("observed", seen), ("target", self.target), ("points", exact), ("max", self.max)),
        )
        return points, reason, None, True


@attrs.frozen(kw_only=True)
class Deduction(JudgedRule, RuleBase):
    """Minus ``per`` for each dated occurrence in the period up to ``as_of``, at most ``cap``.

    Never below zero. Occurrences dated outside the assessment period, or
    after the evaluation date, do not count (and are named in the reason).

    Example: per 20, max 100; occurrences on 2024-03-02 and 2024-05-09 → 60.
    """

    name: ClassVar[str] = "rulelaw.deduction"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.OCCURRENCES})

    per: Decimal = attrs.field(converter=to_decimal, validator=positive)
    cap: Decimal | None = attrs.field(default=None, converter=optional_decimal, validator=positive)

    @cached_property
    def _losses(self) -> _Losses:
        return _Losses("deduction.deducted", "", self.per, self.cap, self.max)

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Deduct for the occurrences that count."""
        if not isinstance(value, Occurrences):
            raise TypeError(f"deduction scores occurrences, not {value!r}")
        start, end = context.period.start, min(context.period.end, context.as_of)
        # the dates are kept in order, so those that count are one run of them
        dates = value.dates
        if not dates or (start <= dates[0] and dates[-1] <= end):  # the usual case: all count
            counted = dates
        else:
            counted = dates[bisect.bisect_left(dates, start) : bisect.bisect_right(dates, end)]
        ignored = len(dates) - len(counted)
        if not counted:
            if not ignored:
                return self._full(_NO_OCCURRENCES)
            period = context.period
            return self._full(
                Message.of(
                    "deduction.none-counted",
                    ignored=ignored,
                    start=day(period.start),
                    end=day(period.end),
                    as_of=day(context.as_of),
                )
            )
        loss = self._losses[len(counted)]
        if ignored:
            dates_text = ", ".join(map(iso_date, counted))
            not_counted = f"; {ignored} not counted (outside the period or after {context.as_of})"
            reason = written(
                f"{loss.head}{dates_text}{loss.capped}{not_counted}{loss.points_text}",
                loss.code + "-ignored",
                (
                    *loss.head_params,
                    ("dates", days(counted)),
                    *loss.capped_params,
                    ("ignored", ignored),
                    ("as_of", day(context.as_of)),
                    *loss.points_params,
                ),
            )
        else:
            reason = written(
                f"{loss.head}{value.dates_text}{loss.capped}{loss.points_text}",
                loss.code,
                (
                    *loss.head_params,
                    ("dates", days(counted)),
                    *loss.capped_params,
                    *loss.points_params,
                ),
            )
        return loss.points, reason, None, True


@attrs.frozen
class _Loss:
    """What ``n`` deductions come to: the points, and the reason's fixed parts.

    The reason reads ``{head}{what is deducted for}{capped}…{points_text}``, e.g.
    ``3 × −20 (`` … ``), capped at −50`` … `` → 50 of 100``; its message is
    ``code`` (capped or not) with the params of each part.
    """

    points: Fraction
    head: str
    capped: str
    points_text: str
    code: str
    head_params: tuple[tuple[str, object], ...]
    capped_params: tuple[tuple[str, object], ...]
    points_params: tuple[tuple[str, object], ...]


class _Losses:
    """``n`` deductions of ``per`` off ``max``, at most ``cap`` (default ``max``), by ``n``.

    Never below 0. Each ``n`` is worked out when first asked for and kept: the points
    depend only on how many occurrences count, not on which.
    """

    def __init__(
        self, code: str, counted_as: str, per: Decimal, cap: Decimal | None, maximum: Decimal
    ) -> None:
        self._code = code
        self._counted_as = counted_as
        self._per = per
        self._cap = cap if cap is not None else maximum
        self._max = maximum
        self._by_count: dict[int, _Loss] = {}

    def __getitem__(self, n: int) -> _Loss:
        found = self._by_count.get(n)
        if found is None:
            found = self._by_count[n] = self._work_out(n)
        return found

    def _work_out(self, n: int) -> _Loss:
        lost = as_fraction(self._per) * n
        cap = as_fraction(self._cap)
        capped = min(lost, cap)
        points = max(as_fraction(self._max) - capped, _ZERO)  # capped >= 0: never above max
        shown, exact = points_text(points)
        cap_shown, cap_exact = points_text(cap)
        return _Loss(
            points=points,
            head=f"{n}{self._counted_as} × −{self._per} (",
            capped=f"), capped at −{cap_shown}" if capped < lost else ")",
            points_text=f" → {shown} of {self._max}",
            code=self._code + "-capped" if capped < lost else self._code,
            head_params=(("count", n), ("per", self._per)),
            capped_params=(("cap", cap_exact),) if capped < lost else (),
            points_params=(("points", exact), ("max", self._max)),
        )


def _due(value: object) -> pendulum.Date:
    return to_date(value)


@attrs.frozen(kw_only=True)
class Deadline(JudgedRule, RuleBase):
    """On time (the due day included) full; late loses ``per_day`` a day or a fixed ``late``.

    A date after the evaluation date counts as not yet done. Dates are
    calendar days in China Standard Time (Asia/Shanghai): evidence carries
    dates, not instants.

    Example: due 2025-03-01, per_day 5, max 100; filed 2025-03-04 → 3 days
    late → 85 points.
    """

    name: ClassVar[str] = "rulelaw.deadline"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.DATE})

    due: pendulum.Date = attrs.field(converter=_due)
    per_day: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=positive
    )
    late: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=not_negative
    )

    def __attrs_post_init__(self) -> None:
        if (self.per_day is None) == (self.late is None):
            raise SchemeError(
                Message.of("deadline.per-day-or-late"),
                where="per_day",
                expected=Message.of("deadline.expected-per-day-or-late"),
            )

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Score the day something was done against the due day."""
        if not isinstance(value, DateValue):
            raise TypeError(f"deadline scores dates, not {value!r}")
        done = value.date
        if done > context.as_of:
            reason = written(
                f"dated {iso_date(done)}, after the evaluation date {context.as_of}: "
                "not done as of then",
                "deadline.not-done",
                (("done", day(done)), ("as_of", day(context.as_of))),
            )
            return _ZERO, reason, "not done", True
        late = (done - self.due).days
        if late <= 0:
            return self._full(
                written(
                    f"done {iso_date(done)}, due {self._due_text}: on time",
                    "deadline.on-time",
                    (("done", day(done)), self._due_param),
                ),
                band="on time",
            )
        if self.per_day is not None:
            points = self.clamp(self._max_points - as_fraction(self.per_day) * late)
            how = f"−{self.per_day} a day"
            code, loss = "deadline.late-per-day", ("per_day", self.per_day)
        else:
            assert self.late is not None
            points = self.clamp(self._max_points - as_fraction(self.late))
            how = f"−{self.late} when late"
            code, loss = "deadline.late-fixed", ("late", self.late)
        shown, exact = points_text(points)
        reason = written(
            f"done {iso_date(done)}, due {self._due_text}: {late} day"
            f"{'s' if late != 1 else ''} late, {how} → {shown}{self._of_max}",
            code,
            (
                ("done", day(done)),
                self._due_param,
                ("days", late),
                loss,
                ("points", exact),
                ("max", self.max),
            ),
        )
        return points, reason, "late", True

    @cached_property
    def _due_text(self) -> str:
        return iso_date(self.due)

    @cached_property
    def _due_param(self) -> tuple[str, object]:
        return ("due", day(self.due))


@attrs.frozen(kw_only=True)
class OverdueProblemsRule(JudgedRule, RuleBase):
    """Minus ``per`` for each problem open past its rectification deadline, at most ``cap``.

    The evidence is derived from the rectification ledger on the evaluation
    date (``evidence_from = "problems"``); a problem counts once it is
    ``min_days`` overdue. Never below zero.

    Example: per 25, cap 100; two problems 12 and 40 days overdue → 50.
    """

    name: ClassVar[str] = "rulelaw.overdue-problems"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.PROBLEMS})

    per: Decimal = attrs.field(converter=to_decimal, validator=positive)
    cap: Decimal | None = attrs.field(default=None, converter=optional_decimal, validator=positive)
    min_days: int = attrs.field(default=1, validator=positive)

    @cached_property
    def _losses(self) -> _Losses:
        return _Losses("overdue-problems.deducted", " overdue", self.per, self.cap, self.max)

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Deduct for the overdue problems that count."""
        if not isinstance(value, OverdueProblems):
            raise TypeError(f"overdue-problems scores the ledger, not {value!r}")
        counted = [p for p in value.items if p.days >= self.min_days]
        if not counted:
            if self.min_days > 1:
                return self._full(
                    Message.of("overdue-problems.none-by-min-days", min_days=self.min_days)
                )
            return self._full(_NO_PROBLEM_OVERDUE)
        loss = self._losses[len(counted)]
        listed = tuple(p.describe() for p in counted)
        reason = written(
            f"{loss.head}{', '.join(listed)}{loss.capped}{loss.points_text}",
            loss.code,
            (*loss.head_params, ("problems", listed), *loss.capped_params, *loss.points_params),
        )
        return loss.points, reason, None, True
