"""Kinds that look beyond one observation: ``relative`` and ``given-score``."""

from __future__ import annotations

import bisect
import enum
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import ClassVar

import attrs

from rulelaw.errors import DataError, EvaluationError
from rulelaw.messages import Message
from rulelaw.model import (
    Direction,
    Measure,
    ObservedValue,
    UndefinedRate,
    positive,
    to_decimal,
)
from rulelaw.model import Value as ValueObs
from rulelaw.rules._protocol import (
    BatchContext,
    Judged,
    JudgedRule,
    PeerGroup,
    PeerScope,
    RuleBase,
    RuleContext,
    as_fraction,
    where,
    written,
)
from rulelaw.rules.kinds.rates import (
    EmptyDenominator,
    empty_denominator,
    numeric_value,
    points_text,
)

__all__ = ["GivenScore", "PeerScope", "Relative", "RelativeMethod", "sorted_numbers"]


class RelativeMethod(enum.Enum):
    """How points follow from a unit's place among its peers."""

    PROPORTIONAL = "proportional"
    RANK = "rank"


@attrs.frozen(kw_only=True)
class Relative(JudgedRule, RuleBase):
    """Points relative to the peer group: the best gets full points.

    ``proportional``: higher-is-better scores ``max × value / best``,
    lower-is-better ``max × best / value``. ``rank``: competition rank r of
    n peers scores ``max × (n − r) / (n − 1)`` (1, 2, 2, 4 …). Peers are the
    units of the same category (``peers = "peer-group"``: of the same grading
    peer group) with an observation of the indicator; a rate of 0 of 0
    scores as ``empty`` declares and is no peer.

    Example: proportional, values 80, 100, 50 → 80, 100, 50 points.
    """

    name: ClassVar[str] = "rulelaw.relative"
    contract: ClassVar[int] = 2
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset({"direction"})
    needs_peers: ClassVar[bool] = True
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.VALUE, Measure.COUNT, Measure.RATE})

    method: RelativeMethod = attrs.field(
        default=RelativeMethod.PROPORTIONAL, converter=RelativeMethod
    )
    peers: PeerScope = attrs.field(default=PeerScope.CATEGORY, converter=PeerScope)
    empty: EmptyDenominator = attrs.field(
        default=EmptyDenominator.NOT_APPLICABLE, converter=EmptyDenominator
    )

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Score against the peers' values."""
        if isinstance(value, UndefinedRate):
            return empty_denominator(self, self.empty, context)
        x = numeric_value(value)
        higher = context.indicator.direction is Direction.HIGHER_IS_BETTER
        numbers: list[Fraction] = context.peers.derived("relative.numbers", sorted_numbers)
        if not numbers:
            numbers = [x]
        n = len(numbers)
        top = self._max_points
        if self.method is RelativeMethod.RANK:
            # competition rank: 1 + how many peers are strictly better
            better = (
                n - bisect.bisect_right(numbers, x) if higher else bisect.bisect_left(numbers, x)
            )
            rank = better + 1
            points = self.clamp(top if n == 1 else top * (n - rank) / (n - 1))
            seen = value.describe()
            shown, exact = points_text(points)
            reason = written(
                f"{seen}: rank {rank} of {n} → {shown}{self._of_max}",
                "relative.rank",
                (
                    ("observed", seen),
                    ("rank", rank),
                    ("peers", n),
                    ("points", exact),
                    ("max", self.max),
                ),
            )
            return points, reason, None, True
        best = numbers[-1] if higher else numbers[0]
        if higher:
            points = top if best <= 0 else self.clamp(top * x / best)
        else:
            points = top if x <= 0 else self.clamp(top * best / x)
        seen = value.describe()
        best_shown, best_exact = points_text(best)
        shown, exact = points_text(points)
        reason = written(
            f"{seen} against best {best_shown} of {n} → {shown}{self._of_max}",
            "relative.proportional",
            (
                ("observed", seen),
                ("best", best_exact),
                ("peers", n),
                ("points", exact),
                ("max", self.max),
            ),
        )
        return points, reason, None, True


def sorted_numbers(peers: PeerGroup) -> list[Fraction]:
    """The numbers of the peers' values in ascending order (0-of-0 rates left out)."""
    # count the values, then turn only the distinct ones into numbers (that is slow) and
    # sort those (comparing fractions is slow too), then repeat each number
    counts: Counter[Fraction] = Counter()
    for value, times in peers.counts().items():
        if not isinstance(value, UndefinedRate):
            counts[numeric_value(value)] += times
    return [number for number in sorted(counts) for _ in range(counts[number])]


@attrs.frozen(kw_only=True)
class GivenScore(JudgedRule, RuleBase):
    """A score from elsewhere (a survey, a panel), out of ``out_of``, scaled to ``max``.

    Example: out_of 10; 8.6 → 86 points of 100.
    """

    name: ClassVar[str] = "rulelaw.given-score"
    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.VALUE})

    out_of: Decimal = attrs.field(default=Decimal(100), converter=to_decimal, validator=positive)

    def check_value(self, value: ObservedValue) -> None:
        """A given score lies within 0 … ``out_of``."""
        if isinstance(value, ValueObs) and not 0 <= value.value <= self.out_of:
            raise DataError(
                Message.of("given-score.out-of-range"),
                where="value",
                expected=Message.of("value.range", low=0, high=self.out_of),
                got=value.value,
            )

    def _judge(self, value: ObservedValue, context: RuleContext | BatchContext) -> Judged:
        """Scale the given score."""
        if not isinstance(value, ValueObs):
            raise TypeError(f"given-score scores values, not {value!r}")
        if not 0 <= value.value <= self.out_of:
            raise EvaluationError(
                Message.of(
                    "given-score.outside",
                    place=where(context),
                    score=value.value,
                    out_of=self.out_of,
                )
            )
        points = self._per_unit * as_fraction(value.value)
        seen = value.describe()
        shown, exact = points_text(points)
        reason = written(
            f"{seen}{self._of_out_of}{shown}{self._of_max}",
            "given-score.scaled",
            (("observed", seen), ("out_of", self.out_of), ("points", exact), ("max", self.max)),
        )
        return points, reason, None, True

    @cached_property
    def _of_out_of(self) -> str:
        """The reason's middle: ``" of 10 → "``."""
        return f" of {self.out_of} → "

    @cached_property
    def _per_unit(self) -> Fraction:
        """The points one unit of the given score is worth: ``max / out_of``."""
        return self._max_points / as_fraction(self.out_of)
