"""Rate and value kinds: ``rate-target`` and ``bands``."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import ClassVar

import attrs

from rulelaw.errors import EvaluationError, SchemeError
from rulelaw.messages import Message
from rulelaw.model import (
    Count,
    Direction,
    Indicator,
    Measure,
    ObservedValue,
    Rate,
    UndefinedRate,
    optional_decimal,
    percent,
    to_decimal,
)
from rulelaw.model import Value as ValueObs
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

__all__ = [
    "AT_LEAST",
    "AT_MOST",
    "Band",
    "Bands",
    "EmptyDenominator",
    "RateTarget",
    "empty_denominator",
    "measure_name",
    "numeric_value",
    "points_text",
]


class EmptyDenominator(enum.Enum):
    """What a rate with an empty denominator (0 of 0) scores."""

    NOT_APPLICABLE = "not-applicable"
    FULL = "full"
    ZERO = "zero"
    ERROR = "error"


_ZERO = Fraction(0)

_EMPTY_NOT_APPLICABLE = written(
    "0/0 (empty denominator): not applicable, its weight goes to the rest",
    "rule.empty-not-applicable",
    (),
)
_EMPTY_FULL = written("0/0 (empty denominator): full points as declared", "rule.empty-full", ())
_EMPTY_ZERO = written("0/0 (empty denominator): zero as declared", "rule.empty-zero", ())


def empty_denominator(
    rule: RuleBase, policy: EmptyDenominator, context: RuleContext | BatchContext
) -> Judged:
    """What a rate of 0 of 0 comes to under the declared policy."""
    if policy is EmptyDenominator.NOT_APPLICABLE:
        return _ZERO, _EMPTY_NOT_APPLICABLE, None, False
    if policy is EmptyDenominator.FULL:
        return rule._full(_EMPTY_FULL)
    if policy is EmptyDenominator.ZERO:
        return _ZERO, _EMPTY_ZERO, None, True
    raise EvaluationError(Message.of("rule.empty-is-error", place=where(context)))


#: How a value that meets its target compares with it, by direction: ``≥`` or ``≤``.
AT_LEAST = written("≥", "rule.at-least", ())
AT_MOST = written("≤", "rule.at-most", ())


def points_text(points: Fraction) -> tuple[str, Decimal]:
    """Points as a reason shows them (``fmt``), and as the decimal its message carries."""
    shown = fmt(points)
    return shown, Decimal(shown)


@attrs.frozen(kw_only=True)
class RateTarget(JudgedRule, RuleBase):
    """Full points at or beyond a target rate; below it, linear to a floor or minus per point.

    Parameters: ``target`` (per cent, default 100); exactly one of ``floor``
    (the rate at which points reach zero, linear in between) or ``per_point``
    (points lost per percentage point short of the target); ``empty``: what 0
    of 0 scores (``not-applicable`` — the default —, ``full``, ``zero`` or
    ``error``). For a lower-is-better indicator the target is a ceiling and the
    floor lies above it.

    Example: target 100, floor 80, max 100; a rate of 91/99 = 91.92% scores
    100 × (91.92 − 80) / (100 − 80) = 59.60 (exactly 5900/99).
    """

    name: ClassVar[str] = "rulelaw.rate-target"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset({"direction"})
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.RATE})

    target: Decimal = attrs.field(default=Decimal(100), converter=to_decimal, validator=percent)
    floor: Decimal | None = attrs.field(default=None, converter=optional_decimal, validator=percent)
    per_point: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    empty: EmptyDenominator = attrs.field(
        default=EmptyDenominator.NOT_APPLICABLE, converter=EmptyDenominator
    )

    def __attrs_post_init__(self) -> None:
        if (self.floor is None) == (self.per_point is None):
            raise SchemeError(
                Message.of("rate-target.floor-or-per-point"),
                where="floor",
                expected=Message.of("rate-target.expected-floor-or-per-point"),
            )
        if self.per_point is not None and self.per_point <= 0:
            raise SchemeError(
                Message.of("rate-target.per-point-not-positive"),
                where="per_point",
                expected=Message.of("rule.expected-positive"),
                got=self.per_point,
            )
        if self.floor is not None and self.floor == self.target:
            raise SchemeError(
                Message.of("rate-target.floor-equals-target"),
                where="floor",
                expected=Message.of("rate-target.expected-other-rate", target=self.target),
            )

    def check(self, indicator: Indicator) -> None:
        """The floor must lie on the losing side of the target for the indicator's direction."""
        if self.floor is None:
            return
        higher = indicator.direction is Direction.HIGHER_IS_BETTER
        if higher and self.floor > self.target:
            raise SchemeError(
                Message.of("rate-target.floor-above-target"),
                where="floor",
                expected=Message.of("rule.expected-below", limit=self.target),
                got=self.floor,
            )
        if not higher and self.floor < self.target:
            raise SchemeError(
                Message.of("rate-target.floor-below-target"),
                where="floor",
                expected=Message.of("rule.expected-above", limit=self.target),
                got=self.floor,
            )

    @cached_property
    def _target(self) -> Fraction:
        return as_fraction(self.target)

    @cached_property
    def _met(self) -> dict[bool, tuple[str, tuple[tuple[str, object], ...]]]:
        """By direction (higher is better or not): the met reason after the value; its params."""
        target = self.target
        return {
            higher: (
                f" {comparison} target {target}%",
                (("comparison", comparison), ("target", self.target)),
            )
            for higher, comparison in ((True, AT_LEAST), (False, AT_MOST))
        }

    @cached_property
    def _linear(self) -> tuple[int, int, int, int, str, tuple[tuple[str, object], ...]]:
        """For a floor: ``fn, fd, pn, pd``, the reason's middle and its params.

        The floor ``fn/fd`` and the points ``pn/pd`` a percentage point above it
        is worth, in integers.
        """
        assert self.floor is not None
        floor = as_fraction(self.floor)
        per_point = self._max_points / (self._target - floor)
        return (
            floor.numerator,
            floor.denominator,
            per_point.numerator,
            per_point.denominator,
            f" short of target {self.target}%: linear to floor {self.floor}% → ",
            (("target", self.target), ("floor", self.floor)),
        )

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Score a rate against the target (worked in integers: rates are ratios of counts)."""
        if isinstance(value, UndefinedRate):
            return empty_denominator(self, self.empty, context)
        if not isinstance(value, Rate):
            raise TypeError(f"rate-target scores rates, not {value!r}")
        rate = value.fraction
        a, b = rate.numerator, rate.denominator  # the rate in per cent is 100·a / b
        target = self._target
        higher = context.indicator.direction is Direction.HIGHER_IS_BETTER
        # how far short of the target, over the denominator target.denominator · b
        gap = target.numerator * b - 100 * a * target.denominator
        if not higher:
            gap = -gap
        seen = value.describe()
        if gap <= 0:
            tail, params = self._met[higher]
            return self._full(
                written(seen + tail, "rate-target.met", (("observed", seen), *params))
            )
        if self.floor is not None:
            fn, fd, pn, pd, middle, middle_params = self._linear
            over = pn * (100 * a * fd - fn * b)  # points = over / under
            under = pd * b * fd
            top = self._max_points
            if over <= 0:
                points = _ZERO
            elif over * top.denominator >= top.numerator * under:
                points = top
            else:
                points = Fraction(over, under)
            shown, exact = points_text(points)
            reason = written(
                f"{seen}{middle}{shown}{self._of_max}",
                "rate-target.linear",
                (("observed", seen), *middle_params, ("points", exact), ("max", self.max)),
            )
            return points, reason, None, True
        assert self.per_point is not None
        short = Fraction(gap, target.denominator * b)
        points = self.clamp(self._max_points - as_fraction(self.per_point) * short)
        short_shown, short_exact = points_text(short)
        shown, exact = points_text(points)
        reason = written(
            f"{seen} is {short_shown} points short of target {self.target}%: "
            f"−{self.per_point} per point → {shown}{self._of_max}",
            "rate-target.per-point",
            (
                ("observed", seen),
                ("short", short_exact),
                ("target", self.target),
                ("per_point", self.per_point),
                ("points", exact),
                ("max", self.max),
            ),
        )
        return points, reason, None, True


def numeric_value(value: ObservedValue) -> Fraction:
    """The number a value, count or rate (in per cent) stands for."""
    if isinstance(value, Rate):
        return value.fraction * 100
    if isinstance(value, Count):
        return Fraction(value.value)
    if isinstance(value, ValueObs):
        return Fraction(value.value)
    raise TypeError(f"not a number: {value!r}")


@attrs.frozen(kw_only=True)
class Band:
    """One band: ``min`` (inclusive by default) to ``max`` (exclusive by default) → points."""

    _scheme_value: ClassVar[bool] = True

    points: Decimal = attrs.field(converter=to_decimal)
    min: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    max: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    min_inclusive: bool = True
    max_inclusive: bool = False
    label: str = ""

    def __attrs_post_init__(self) -> None:
        if (
            self.min is not None
            and self.max is not None
            and (
                self.min > self.max
                or (self.min == self.max and not (self.min_inclusive and self.max_inclusive))
            )
        ):
            raise SchemeError(
                Message.of("bands.empty-band"),
                where="max",
                expected=Message.of("bands.expected-above-min", min=self.min),
                got=self.max,
            )

    @cached_property
    def _ends(self) -> tuple[Fraction | None, Fraction | None]:
        """``min`` and ``max`` as exact Fractions (made once: every value is compared to them)."""
        return (
            None if self.min is None else as_fraction(self.min),
            None if self.max is None else as_fraction(self.max),
        )

    def contains(self, x: Fraction) -> bool:
        """Whether ``x`` falls in this band."""
        low, high = self._ends
        if low is not None and (x < low or (x == low and not self.min_inclusive)):
            return False
        return high is None or not (x > high or (x == high and not self.max_inclusive))

    def describe(self) -> str:
        """The band as an interval, e.g. ``[90, 95)``."""
        low = "(−∞" if self.min is None else ("[" if self.min_inclusive else "(") + str(self.min)
        high = "+∞)" if self.max is None else str(self.max) + ("]" if self.max_inclusive else ")")
        return self.label or f"{low}, {high}"


def _bands(value: Iterable[Band]) -> tuple[Band, ...]:
    return tuple(value)


_DOMAIN: dict[Measure, tuple[Fraction | None, Fraction | None]] = {
    Measure.RATE: (Fraction(0), Fraction(100)),
    Measure.COUNT: (Fraction(0), None),
    Measure.VALUE: (None, None),
}


@attrs.frozen(kw_only=True)
class Bands(JudgedRule, RuleBase):
    """Stepped points by bands over a value, count or rate (in per cent); first match wins.

    The bands must cover every possible value of the measure (a rate 0–100,
    a count from 0, a value everywhere) — a gap is a scheme error. ``empty``
    says what a rate of 0 of 0 scores, as for ``rate-target``.

    Example: ``[{min = 95, points = 100}, {min = 90, max = 95, points = 80},
    {max = 90, points = 40}]``: 92% → band [90, 95) → 80 points.
    """

    name: ClassVar[str] = "rulelaw.bands"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.VALUE, Measure.COUNT, Measure.RATE})

    bands: tuple[Band, ...] = attrs.field(converter=_bands)
    empty: EmptyDenominator = attrs.field(
        default=EmptyDenominator.NOT_APPLICABLE, converter=EmptyDenominator
    )

    def __attrs_post_init__(self) -> None:
        if not self.bands:
            raise SchemeError(
                Message.of("bands.no-bands"),
                where="bands",
                expected=Message.of("bands.expected-a-band"),
            )
        for index, band in enumerate(self.bands):
            if not 0 <= band.points <= self.max:
                raise SchemeError(
                    Message.of("bands.points-out-of-range"),
                    where=f"bands[{index}].points",
                    expected=Message.of("value.range", low=0, high=self.max),
                    got=band.points,
                )

    @cached_property
    def _outcomes(self) -> tuple[tuple[Fraction, str, str, tuple[tuple[str, object], ...]], ...]:
        """Per band: its points, its name, the reason after the value, and the reason's params."""
        of_max = self._of_max
        return tuple(
            (
                as_fraction(band.points),
                band.describe(),
                f" in band {band.describe()} → {band.points}{of_max}",
                (("band", band.describe()), ("points", band.points), ("max", self.max)),
            )
            for band in self.bands
        )

    def check(self, indicator: Indicator) -> None:
        """Every value the indicator's measure can take falls in some band."""
        low, high = _DOMAIN[indicator.measure]
        gap = _first_gap(self.bands, low, high)
        if gap is not None:
            raise SchemeError(
                Message.of("bands.gap", gap=Decimal(gap), measure=measure_name(indicator.measure)),
                where="bands",
                expected=Message.of("bands.expected-cover"),
            )

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Score by the first band the value falls in."""
        if isinstance(value, UndefinedRate):
            return empty_denominator(self, self.empty, context)
        x = numeric_value(value)
        for band, (points, shown, tail, params) in zip(self.bands, self._outcomes, strict=True):
            if band.contains(x):
                seen = value.describe()
                reason = written(seen + tail, "bands.in-band", (("observed", seen), *params))
                return points, reason, shown, True
        raise EvaluationError(  # unreachable for checked schemes over their measure's domain
            Message.of("bands.no-band", place=where(context), observed=value.describe())
        )


def measure_name(measure: Measure) -> Message:
    """A measure's name as a message (``rate``, ``count`` …) for texts that name it."""
    return Message.of(f"rule.measure-{measure.value}")


def _first_gap(bands: tuple[Band, ...], low: Fraction | None, high: Fraction | None) -> str | None:
    """The first value of [low, high] that no band covers, described; None if covered."""
    # Candidate points: the domain ends and every band end, plus points just
    # beside each end (midpoints between consecutive candidates, and beyond).
    ends = sorted({Fraction(e) for b in bands for e in (b.min, b.max) if e is not None})
    if low is not None:
        ends = sorted({low, *[e for e in ends if e >= low]})
    if high is not None:
        ends = sorted({high, *[e for e in ends if e <= high]})
    probes: list[Fraction] = []
    if not ends:
        probes = [Fraction(0)]
    else:
        probes.extend(ends)
        probes.extend((a + b) / 2 for a, b in itertools.pairwise(ends))
        if low is None:
            probes.append(ends[0] - 1)
        if high is None:
            probes.append(ends[-1] + 1)
    for x in sorted(probes):
        if (
            (low is None or x >= low)
            and (high is None or x <= high)
            and not any(b.contains(x) for b in bands)
        ):
            return fmt(x)
    return None
