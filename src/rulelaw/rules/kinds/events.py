"""Kinds over flags, counts, occurrences and dates.

``compliance``, ``count-target``, ``deduction`` and ``deadline``.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import ClassVar

import attrs
import pendulum

from rulelaw.errors import DataError, EvaluationError, SchemeError, key_part
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
    frozen_map,
    iso_date,
    not_negative,
    optional_decimal,
    positive,
    to_date,
    to_decimal,
)
from rulelaw.model.evidence import check_occurrence_kind, day, days
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
    """At least ``target`` for full points; below it in proportion, or minus ``per_missing`` each.

    Without ``per_missing`` a count short of the target scores
    ``max × count / target``; with it, ``max − per_missing × (target − count)``,
    never below zero (每少一次扣0.5分).

    Example: target 4, max 100; 3 → 75 points. Target 4, max 3,
    per_missing 0.5; 3 → 2.5 points, 0 → 1 point.
    """

    name: ClassVar[str] = "rulelaw.count-target"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    target: int = attrs.field(validator=positive)
    per_missing: Decimal | None = attrs.field(default=None, converter=optional_decimal)

    def __attrs_post_init__(self) -> None:
        if self.per_missing is not None and self.per_missing <= 0:
            raise SchemeError(
                Message.of("count-target.per-missing-not-positive"),
                where="per_missing",
                expected=Message.of("rule.expected-positive"),
                got=self.per_missing,
            )

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
        if self.per_missing is not None:
            short = self.target - value.value
            points = self.clamp(self._max_points - as_fraction(self.per_missing) * short)
            shown, exact = points_text(points)
            reason = written(
                f"{seen} of required {self.target}: {short} short × −{self.per_missing}"
                f" → {shown}{self._of_max}",
                "count-target.short-per-missing",
                (
                    ("observed", seen),
                    ("target", self.target),
                    ("short", short),
                    ("per_missing", self.per_missing),
                    ("points", exact),
                    ("max", self.max),
                ),
            )
            return points, reason, None, True
        points = self._max_points * value.value / self.target
        shown, exact = points_text(points)
        reason = written(
            f"{seen} of target {self.target} → {shown}{self._of_max}",
            "count-target.short",
            (("observed", seen), ("target", self.target), ("points", exact), ("max", self.max)),
        )
        return points, reason, None, True


def _prices(value: Mapping[str, Decimal] | None) -> Mapping[str, Decimal] | None:
    return None if value is None else frozen_map({k: to_decimal(v) for k, v in value.items()})


@attrs.frozen(kw_only=True)
class Deduction(JudgedRule, RuleBase):
    """Minus ``per`` for each dated occurrence in the period up to ``as_of``, at most ``cap``.

    Or, with ``prices`` instead of ``per``, minus the price of each
    occurrence's kind (a late report −0.5, a missed one −1: 未按时报送扣0.5分，
    未报送扣1分), every kind from the one pool of ``max``, at most ``cap`` in
    all. Never below zero. Occurrences dated outside the assessment period,
    or after the evaluation date, do not count (and are named in the reason).

    Example: per 20, max 100; occurrences on 2024-03-02 and 2024-05-09 → 60.
    Prices late 0.5 and missed 1, max 2; one late, one missed → 0.5.
    """

    name: ClassVar[str] = "rulelaw.deduction"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.OCCURRENCES})

    per: Decimal | None = attrs.field(default=None, converter=optional_decimal, validator=positive)
    prices: Mapping[str, Decimal] | None = attrs.field(default=None, converter=_prices)
    cap: Decimal | None = attrs.field(default=None, converter=optional_decimal, validator=positive)

    def __attrs_post_init__(self) -> None:
        if (self.per is None) == (self.prices is None):
            raise SchemeError(
                Message.of("deduction.per-or-prices"),
                where="per",
                expected=Message.of("deduction.expected-per-or-prices"),
            )
        if self.prices is None:
            return
        if not self.prices:
            raise SchemeError(
                Message.of("deduction.no-prices"),
                where="prices",
                expected=Message.of("deduction.expected-a-price"),
            )
        for kind, price in self.prices.items():
            try:
                check_occurrence_kind(kind)
            except DataError:
                raise SchemeError(
                    Message.of("deduction.bad-kind"),
                    where=f"prices.{key_part(kind)}",
                    expected=Message.of("evidence.expected-occurrence-kind"),
                    got=kind,
                ) from None
            if price <= 0:
                raise SchemeError(
                    Message.of("deduction.price-not-positive", kind=kind),
                    where=f"prices.{key_part(kind)}",
                    expected=Message.of("rule.expected-positive"),
                    got=price,
                )

    @cached_property
    def _losses(self) -> _Losses:
        assert self.per is not None
        return _Losses("deduction.deducted", "", self.per, self.cap, self.max)

    @cached_property
    def _priced(self) -> _PricedLosses:
        assert self.prices is not None
        return _PricedLosses(self.prices, self.cap, self.max)

    def check_value(self, value: ObservedValue) -> None:
        """Every occurrence must be of a kind the rule prices (or of none, without ``prices``)."""
        if isinstance(value, Occurrences):
            refused = self._refused(value)
            if refused is not None:
                problem, expected, got = refused
                raise DataError(problem, where="dates", expected=expected, got=got)

    def _refused(self, value: Occurrences) -> tuple[Message, Message, str] | None:
        """Why the rule cannot score ``value``: problem, expectation, the occurrence as written.

        ``None`` when it can: without ``prices`` no occurrence may name a kind;
        with them each must name one the rule prices.
        """
        if self.prices is None:
            for index, kind in enumerate(value.kinds):
                if kind:
                    return (
                        Message.of("deduction.kind-not-priced", kind=kind),
                        Message.of("deduction.expected-plain-dates"),
                        f"{kind} {iso_date(value.dates[index])}",
                    )
            return None
        for index, when in enumerate(value.dates):
            kind = value.kind_of(index)
            if kind not in self.prices:
                priced = self._priced.kinds
                return (
                    Message.of("deduction.kind-not-priced", kind=kind)
                    if kind
                    else Message.of("deduction.kind-needed"),
                    Message.of("deduction.expected-priced-kind", kinds=priced, example=priced[0]),
                    f"{kind} {iso_date(when)}" if kind else iso_date(when),
                )
        return None

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Deduct for the occurrences that count."""
        if not isinstance(value, Occurrences):
            raise TypeError(f"deduction scores occurrences, not {value!r}")
        if value.kinds or self.prices is not None:
            refused = self._refused(value)
            if refused is not None:
                problem, expected, got = refused
                raise EvaluationError(
                    Message.of(
                        "deduction.cannot-score",
                        place=where(context),
                        problem=problem,
                        expected=expected,
                        got=got,
                    )
                )
        start, end = context.period.start, min(context.period.end, context.as_of)
        # the dates are kept in order, so those that count are one run of them
        dates = value.dates
        if not dates or (start <= dates[0] and dates[-1] <= end):  # the usual case: all count
            first, stop = 0, len(dates)
        else:
            first, stop = bisect.bisect_left(dates, start), bisect.bisect_right(dates, end)
        counted = dates[first:stop]
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
        if self.prices is not None:
            return self._judge_priced(value.kinds[first:stop], counted, ignored, context)
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

    def _judge_priced(
        self,
        kinds: tuple[str, ...],
        counted: tuple[pendulum.Date, ...],
        ignored: int,
        context: RuleContext | BatchContext,
    ) -> Judged:
        """Deduct each counted occurrence's price (the kinds are all priced: checked before)."""
        by_kind: dict[str, list[pendulum.Date]] = {}
        for kind, when in zip(kinds, counted, strict=True):
            by_kind.setdefault(kind, []).append(when)
        loss = self._priced[tuple(len(by_kind.get(k, ())) for k in self._priced.kinds)]
        items = tuple(
            _priced_item(kind, by_kind[kind], self._priced.price_of[kind])
            for kind in self._priced.kinds
            if kind in by_kind
        )
        items_text = ", ".join(items)
        params: tuple[tuple[str, object], ...] = (("items", items), *loss.capped_params)
        text = f"{items_text}{loss.capped}"
        code = loss.code
        if ignored:
            text += f"; {ignored} not counted (outside the period or after {context.as_of})"
            params += (("ignored", ignored), ("as_of", day(context.as_of)))
            code += "-ignored"
        reason = written(f"{text}{loss.points_text}", code, (*params, *loss.points_params))
        return loss.points, reason, None, True


def _priced_item(kind: str, dates: list[pendulum.Date], price: Decimal) -> Message:
    """One kind's part of a priced deduction: ``2 missed × −1 (2024-05-09, 2024-06-01)``."""
    count = len(dates)
    return written(
        f"{count} {kind} × −{price} ({', '.join(map(iso_date, dates))})",
        "deduction.priced-item",
        (("count", count), ("kind", kind), ("price", price), ("dates", days(dates))),
    )


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


class _PricedLosses:
    """Deductions priced by kind off ``max``, at most ``cap`` (default ``max``), by counts.

    ``kinds`` lists the priced kinds from the cheapest (then by name): the
    order a reason lists them in, whatever order the scheme wrote them in.
    Each tuple of counts (one a kind, in that order) is worked out when first
    asked for and kept.
    """

    def __init__(
        self, prices: Mapping[str, Decimal], cap: Decimal | None, maximum: Decimal
    ) -> None:
        self.kinds = tuple(sorted(prices, key=lambda k: (prices[k], k)))
        self.price_of = dict(prices)
        self._prices = [as_fraction(prices[k]) for k in self.kinds]
        self._cap = cap if cap is not None else maximum
        self._max = maximum
        self._by_counts: dict[tuple[int, ...], _Loss] = {}

    def __getitem__(self, counts: tuple[int, ...]) -> _Loss:
        found = self._by_counts.get(counts)
        if found is None:
            found = self._by_counts[counts] = self._work_out(counts)
        return found

    def _work_out(self, counts: tuple[int, ...]) -> _Loss:
        lost = sum((price * n for price, n in zip(self._prices, counts, strict=True)), _ZERO)
        cap = as_fraction(self._cap)
        capped = min(lost, cap)
        points = max(as_fraction(self._max) - capped, _ZERO)
        shown, exact = points_text(points)
        cap_shown, cap_exact = points_text(cap)
        return _Loss(
            points=points,
            head="",
            capped=f", capped at −{cap_shown}" if capped < lost else "",
            points_text=f" → {shown} of {self._max}",
            code="deduction.priced-capped" if capped < lost else "deduction.priced",
            head_params=(),
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
