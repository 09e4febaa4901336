"""Normalisation as COINr does it: ``normalised`` (min-max, z-score, goalposts, rank, distance).

One kind, ``rulelaw.normalised``, with a ``method``: the value is put on the
rule's scale ``0 … max`` by comparing it with its peers' values (min-max,
z-score, rank, distance to a target from the worst peer) or with fixed
goalposts. The formulas are COINr's (``n_minmax``, ``n_zscore``,
``n_goalposts``, ``n_prank`` over ``n_rank``, ``n_dist2targ``); a
lower-is-better indicator is normalised as COINr does after multiplying
by −1. Every method but ``zscore`` is exact rational arithmetic; the z-score
needs a square root, which is worked out in integers and rounded half-even
to :data:`Z_DIGITS` significant digits (:func:`sqrt_rounded`), so the same
inputs give the same points everywhere.
"""

from __future__ import annotations

import bisect
import enum
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from math import isqrt
from typing import Any, ClassVar

import attrs

from rulelaw.errors import SchemeError
from rulelaw.messages import Message
from rulelaw.model import (
    Direction,
    Measure,
    ObservedValue,
    UndefinedRate,
    optional_decimal,
    positive,
)
from rulelaw.rules._protocol import (
    BatchContext,
    Judged,
    JudgedRule,
    PeerGroup,
    PeerScope,
    RuleBase,
    RuleContext,
    as_fraction,
)
from rulelaw.rules.kinds.peers import sorted_numbers
from rulelaw.rules.kinds.rates import (
    EmptyDenominator,
    empty_denominator,
    numeric_value,
    points_text,
)

__all__ = ["Z_DIGITS", "Normalised", "NormalisedMethod", "Ties", "sqrt_rounded"]

#: The significant digits a z-score is worked out to (rounded half-even), before it is scaled.
Z_DIGITS = 28

_ZERO = Fraction(0)
_ONE = Fraction(1)


class NormalisedMethod(enum.Enum):
    """How a value is put on the rule's scale (COINr's ``n_…`` functions)."""

    MINMAX = "minmax"
    ZSCORE = "zscore"
    GOALPOSTS = "goalposts"
    RANK = "rank"
    DIST2TARG = "dist2targ"


class Ties(enum.Enum):
    """Which rank tied values share under ``method = "rank"``: the lowest (COINr's) or highest."""

    MIN = "min"
    MAX = "max"


#: The parameters only some methods take (any other method refuses them).
_FOR_METHOD: dict[str, frozenset[NormalisedMethod]] = {
    "lowest": frozenset({NormalisedMethod.MINMAX}),
    "highest": frozenset({NormalisedMethod.MINMAX}),
    "mean": frozenset({NormalisedMethod.ZSCORE}),
    "sd": frozenset({NormalisedMethod.ZSCORE}),
    "lower": frozenset({NormalisedMethod.GOALPOSTS}),
    "upper": frozenset({NormalisedMethod.GOALPOSTS}),
    "target": frozenset({NormalisedMethod.DIST2TARG}),
    "scale": frozenset({NormalisedMethod.GOALPOSTS, NormalisedMethod.DIST2TARG}),
    "uncapped": frozenset({NormalisedMethod.GOALPOSTS, NormalisedMethod.DIST2TARG}),
    "ties": frozenset({NormalisedMethod.RANK}),
}
#: The parameters each method cannot do without.
_REQUIRED: dict[NormalisedMethod, tuple[str, ...]] = {
    NormalisedMethod.MINMAX: (),
    NormalisedMethod.ZSCORE: ("mean", "sd"),
    NormalisedMethod.GOALPOSTS: ("lower", "upper"),
    NormalisedMethod.RANK: (),
    NormalisedMethod.DIST2TARG: ("target",),
}


def sqrt_rounded(value: Fraction, digits: int = Z_DIGITS) -> Fraction:
    """The square root of ``value`` ≥ 0, rounded half-even to ``digits`` significant digits.

    Worked out in integers (no floating point, no decimal context), so it is
    the correctly rounded root on every machine.

    >>> sqrt_rounded(Fraction(4)), sqrt_rounded(Fraction(2), 5)
    (Fraction(2, 1), Fraction(14142, 10000))
    """
    if value < 0:
        raise ValueError(f"no square root of {value}")
    if value == 0:
        return _ZERO
    p, q = value.numerator, value.denominator

    def scaled(shift: int, times: int = 1) -> int:
        """``floor(sqrt(value) × 10**shift × times)``."""
        if shift >= 0:
            return isqrt(times * times * p * 10 ** (2 * shift) // q)
        return isqrt(times * times * p // (q * 10 ** (-2 * shift)))

    # the shift that gives the root ``digits`` digits before the point
    shift = digits - len(str(isqrt(p // q))) if p >= q else digits
    while True:
        found = scaled(shift)
        if found >= 10**digits:
            shift -= len(str(found)) - digits
        elif found < 10 ** (digits - 1):
            shift += digits - len(str(found)) if found else digits
        else:
            break
    doubled = scaled(shift, 2)  # floor(2r) for r = sqrt(value) × 10**shift decides r's rounding
    nearest = (doubled + 1) // 2
    halfway = Fraction(doubled, 2) ** 2 == value * Fraction(100) ** shift
    if doubled % 2 == 1 and nearest % 2 == 1 and halfway:
        nearest -= 1  # r lies exactly halfway (2r is an odd whole number): to the even one
    return Fraction(nearest, 10**shift) if shift >= 0 else Fraction(nearest * 10 ** (-shift))


@attrs.frozen
class _Moments:
    """A peer group's count, mean and sample variance (exact), for ``zscore``."""

    n: int
    mean: Fraction
    variance: Fraction


def _moments(peers: PeerGroup) -> _Moments:
    numbers = sorted_numbers(peers)
    n = len(numbers)
    if n == 0:
        return _Moments(0, _ZERO, _ZERO)
    mean = sum(numbers, _ZERO) / n
    if n == 1:
        return _Moments(1, mean, _ZERO)
    variance = sum(((x - mean) ** 2 for x in numbers), _ZERO) / (n - 1)
    return _Moments(n, mean, variance)


def _within(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: a number of points, if given, lies within ``0 … max``."""
    if value is not None and not 0 <= value <= instance.max:  # type: ignore[operator]
        raise SchemeError(
            Message.of("normalised.outside-max", parameter=attribute.name),
            where=attribute.name,
            expected=Message.of("value.range", low=0, high=instance.max),
            got=value,
        )


def _optional_bool(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise SchemeError(
        Message.of("normalised.not-a-boolean"),
        expected=Message.of("normalised.expected-boolean"),
        got=value,
    )


@attrs.frozen(kw_only=True)
class Normalised(JudgedRule, RuleBase):
    """Points by normalising the value against its peers (or fixed goalposts), as COINr does.

    ``minmax``: ``lowest + (x − min) / (max − min) × (highest − lowest)`` over
    the peers (defaults 0 and the rule's max). ``zscore``: ``mean + sd × (x −
    x̄) / s`` (``s`` the peers' sample standard deviation), clipped to
    ``0 … max``. ``goalposts``: ``scale × (x − lower) / (upper − lower)``,
    truncated to the posts unless ``uncapped``. ``rank``: ``max × (r − 1) /
    (n − 1)`` for the rank r of n counted from the worst (ties take the
    lowest rank, COINr's ``min``, or the highest). ``dist2targ``: ``scale ×
    (x − worst) / (target − worst)``, capped at the target unless
    ``uncapped``. Lower-is-better indicators mirror each (COINr's ×−1).

    Example: goalposts 0 and 10, max 1: 1 → 0.1; 11 → 1 (truncated).
    """

    name: ClassVar[str] = "rulelaw.normalised"
    contract: ClassVar[int] = 2
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset({"direction"})
    needs_peers: ClassVar[bool] = True
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.VALUE, Measure.COUNT, Measure.RATE})

    method: NormalisedMethod = attrs.field(
        default=NormalisedMethod.MINMAX, converter=NormalisedMethod
    )
    lowest: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=_within
    )
    highest: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=_within
    )
    mean: Decimal | None = attrs.field(default=None, converter=optional_decimal, validator=_within)
    sd: Decimal | None = attrs.field(default=None, converter=optional_decimal, validator=positive)
    lower: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    upper: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    target: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    scale: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=[positive, _within]
    )
    uncapped: bool | None = attrs.field(default=None, converter=_optional_bool)
    ties: Ties | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(Ties),
    )
    peers: PeerScope = attrs.field(default=PeerScope.CATEGORY, converter=PeerScope)
    empty: EmptyDenominator = attrs.field(
        default=EmptyDenominator.NOT_APPLICABLE, converter=EmptyDenominator
    )

    def __attrs_post_init__(self) -> None:
        method = self.method
        for parameter, methods in _FOR_METHOD.items():
            if getattr(self, parameter) is not None and method not in methods:
                raise SchemeError(
                    Message.of(
                        "normalised.not-for-method", parameter=parameter, method=method.value
                    ),
                    where=parameter,
                    expected=Message.of(
                        "normalised.expected-methods",
                        methods=tuple(m.value for m in NormalisedMethod if m in methods),
                    ),
                    got=getattr(self, parameter),
                )
        for parameter in _REQUIRED[method]:
            if getattr(self, parameter) is None:
                raise SchemeError(
                    Message.of("normalised.needs", parameter=parameter, method=method.value),
                    where=parameter,
                    expected=Message.of(f"normalised.expected-{parameter}"),
                )
        if method is NormalisedMethod.MINMAX and self._lowest >= self._highest:
            raise SchemeError(
                Message.of("normalised.lowest-not-below-highest"),
                where="lowest",
                expected=Message.of("rule.expected-below", limit=self._shown_highest),
                got=self._lowest_decimal,
            )
        if (
            method is NormalisedMethod.GOALPOSTS
            and self.lower is not None
            and self.upper is not None
            and self.lower >= self.upper
        ):
            raise SchemeError(
                Message.of("normalised.goalposts-order"),
                where="upper",
                expected=Message.of("rule.expected-above", limit=self.lower),
                got=self.upper,
            )

    # -- parameters as used ------------------------------------------------------------

    @cached_property
    def _lowest(self) -> Fraction:
        return _ZERO if self.lowest is None else as_fraction(self.lowest)

    @cached_property
    def _lowest_decimal(self) -> Decimal:
        return Decimal(0) if self.lowest is None else self.lowest

    @cached_property
    def _highest(self) -> Fraction:
        return self._max_points if self.highest is None else as_fraction(self.highest)

    @cached_property
    def _shown_highest(self) -> Decimal:
        return self.max if self.highest is None else self.highest

    @cached_property
    def _scale(self) -> Fraction:
        return self._max_points if self.scale is None else as_fraction(self.scale)

    @cached_property
    def _shown_scale(self) -> Decimal:
        return self.max if self.scale is None else self.scale

    # -- scoring -----------------------------------------------------------------------

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Normalise the value by the method against the peers (or the goalposts)."""
        if isinstance(value, UndefinedRate):
            return empty_denominator(self, self.empty, context)
        x = numeric_value(value)
        higher = context.indicator.direction is Direction.HIGHER_IS_BETTER
        seen = value.describe()
        method = self.method
        if method is NormalisedMethod.GOALPOSTS:
            return self._goalposts(x, higher, seen)
        numbers: list[Fraction] = context.peers.derived("relative.numbers", sorted_numbers)
        if not numbers:  # no peer group given (a rule tried alone): the value is its own
            numbers = [x]
        if method is NormalisedMethod.MINMAX:
            return self._minmax(x, higher, seen, numbers)
        if method is NormalisedMethod.RANK:
            return self._rank(x, higher, seen, numbers)
        if method is NormalisedMethod.DIST2TARG:
            return self._dist2targ(x, higher, seen, numbers)
        moments: _Moments = context.peers.derived("normalised.moments", _moments)
        if moments.n == 0:
            moments = _Moments(1, x, _ZERO)
        return self._zscore(x, higher, seen, moments)

    def _scored(
        self, points: Fraction, code: str, params: tuple[tuple[str, object], ...]
    ) -> Judged:
        """Points and their reason: the message ``code`` with ``params``, the points and max."""
        said = Message(code, (*params, ("points", points_text(points)[1]), ("max", self.max)))
        return points, said, None, True

    def _minmax(self, x: Fraction, higher: bool, seen: str, numbers: list[Fraction]) -> Judged:
        low, high = numbers[0], numbers[-1]
        n = len(numbers)
        low_shown, high_shown = points_text(low)[1], points_text(high)[1]
        if low == high:
            return self._scored(
                self._highest,
                "normalised.minmax-no-spread",
                (("observed", seen), ("peers", n), ("highest", self._shown_highest)),
            )
        share = (x - low) / (high - low) if higher else (high - x) / (high - low)
        points = self.clamp(self._lowest + share * (self._highest - self._lowest))
        return self._scored(
            points,
            "normalised.minmax",
            (
                ("observed", seen),
                ("low", low_shown),
                ("high", high_shown),
                ("peers", n),
                ("lowest", self._lowest_decimal),
                ("highest", self._shown_highest),
            ),
        )

    def _zscore(self, x: Fraction, higher: bool, seen: str, moments: _Moments) -> Judged:
        assert self.mean is not None  # checked when built
        assert self.sd is not None
        mean = as_fraction(self.mean)
        n = moments.n
        if moments.variance == 0:
            return self._scored(
                self.clamp(mean),
                "normalised.zscore-no-spread",
                (("observed", seen), ("peers", n), ("mean", self.mean)),
            )
        gap = x - moments.mean if higher else moments.mean - x
        z = sqrt_rounded(gap * gap / moments.variance)
        if gap < 0:
            z = -z
        raw = mean + self._sd_fraction * z
        points = self.clamp(raw)
        peers_sd = sqrt_rounded(moments.variance)
        params: tuple[tuple[str, object], ...] = (
            ("observed", seen),
            ("peer_mean", points_text(moments.mean)[1]),
            ("peer_sd", points_text(peers_sd)[1]),
            ("peers", n),
            ("z", points_text(z)[1]),
            ("mean", self.mean),
            ("sd", self.sd),
        )
        if points != raw:
            return self._scored(
                points, "normalised.zscore-clipped", (*params, ("raw", points_text(raw)[1]))
            )
        return self._scored(points, "normalised.zscore", params)

    @cached_property
    def _sd_fraction(self) -> Fraction:
        assert self.sd is not None
        return as_fraction(self.sd)

    def _goalposts(self, x: Fraction, higher: bool, seen: str) -> Judged:
        assert self.lower is not None  # checked when built
        assert self.upper is not None
        lower, upper = as_fraction(self.lower), as_fraction(self.upper)
        share = (x - lower) / (upper - lower) if higher else (upper - x) / (upper - lower)
        posts = (("observed", seen), ("lower", self.lower), ("upper", self.upper))
        if not self.uncapped and not _ZERO <= share <= _ONE:
            post = (
                (self.upper if share > 1 else self.lower)
                if higher
                else (self.lower if share > 1 else self.upper)
            )
            share = _ONE if share > 1 else _ZERO
            return self._scored(
                self.clamp(share * self._scale),
                "normalised.goalposts-truncated",
                (*posts, ("post", post)),
            )
        points = self.clamp(share * self._scale)
        return self._scored(
            points,
            "normalised.goalposts",
            (*posts, ("share", points_text(share)[1]), ("scale", self._shown_scale)),
        )

    def _rank(self, x: Fraction, higher: bool, seen: str, numbers: list[Fraction]) -> Judged:
        n = len(numbers)
        lowest_rank = self.ties is not Ties.MAX
        # rank 1 is the worst value: the smallest, or the largest when lower is better
        worse = bisect.bisect_left(numbers, x) if higher else n - bisect.bisect_right(numbers, x)
        alike = bisect.bisect_right(numbers, x) - bisect.bisect_left(numbers, x)
        rank = worse + 1 if lowest_rank else worse + alike
        points = self._max_points if n == 1 else self.clamp(self._max_points * (rank - 1) / (n - 1))
        return self._scored(
            points,
            "normalised.rank" if lowest_rank else "normalised.rank-ties-max",
            (("observed", seen), ("rank", rank), ("peers", n)),
        )

    def _dist2targ(self, x: Fraction, higher: bool, seen: str, numbers: list[Fraction]) -> Judged:
        assert self.target is not None  # checked when built
        target = as_fraction(self.target)
        n = len(numbers)
        worst = numbers[0] if higher else numbers[-1]
        worst_shown = points_text(worst)[1]
        reach = target - worst if higher else worst - target
        base = (("observed", seen), ("target", self.target), ("worst", worst_shown), ("peers", n))
        if reach <= 0:  # the worst peer meets the target already: every one does
            return self._scored(self.clamp(self._scale), "normalised.dist2targ-all-met", base)
        share = (x - worst) / reach if higher else (worst - x) / reach
        if share > 1 and not self.uncapped:
            return self._scored(self.clamp(self._scale), "normalised.dist2targ-capped", base)
        return self._scored(
            self.clamp(share * self._scale),
            "normalised.dist2targ",
            (*base, ("share", points_text(share)[1]), ("scale", self._shown_scale)),
        )
