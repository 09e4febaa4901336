"""The grade scale, quotas per peer group, and the rules for ties (等次评定).

A scheme declares ordered grades with thresholds (优秀 ≥ 90, 良好 ≥ 80 …),
in points or as percentages of the scheme's scale (优秀 ≥ 90% of it),
optionally the most (and least) share of a peer group each grade may hold
(控制同类型单位的等次比例), how a share becomes a count, and what happens to
units tied at a quota's cut-off. The grading itself is done by
:mod:`rulelaw.engine.grade`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

import attrs

from rulelaw.errors import InputError, SchemeError
from rulelaw.messages import Message
from rulelaw.model._base import (
    id_validator,
    optional_decimal,
    percent,
    positive,
    text_validator,
    to_decimal,
    unique_ids,
)
from rulelaw.model._numbers import EXACT, decimal_text, exact_sum

__all__ = [
    "DEFAULT_GRADE_SCALE",
    "Grade",
    "GradeScale",
    "GradingPolicy",
    "PercentOfScale",
    "QuotaRounding",
    "RankTies",
    "TieRule",
]


@attrs.frozen
class PercentOfScale:
    """A grade threshold written as a percentage of the scale totals are on: ``"90%"``.

    On a scheme's scale of 35, ``"90%"`` is 31.5; on the usual 100, it is 90.
    The percentage is from 0 to 100 (a threshold above the scale could never
    be reached).

    >>> PercentOfScale(Decimal(90)).of(Decimal(35))
    Decimal('31.5')
    >>> str(PercentOfScale(Decimal("87.5")))
    '87.5%'
    """

    percent: Decimal = attrs.field(converter=to_decimal)

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.percent <= 100:
            raise SchemeError(
                Message.of("scheme.threshold-not-a-percentage"),
                expected=Message.of("number.range", low=0, high=100),
                got=str(self),
            )

    def of(self, scale: Decimal) -> Decimal:
        """The threshold on ``scale``, exact, without trailing zeros after the point (90, 31.5)."""
        value = EXACT.multiply(scale, self.percent).scaleb(-2, EXACT)
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # a finite number
        if not value:
            return Decimal(0)
        if exponent > 0:
            return value.quantize(Decimal(1), context=EXACT)
        cut = 0
        while exponent + cut < 0 and cut < len(digits) - 1 and digits[len(digits) - 1 - cut] == 0:
            cut += 1
        if not cut:
            return value
        return Decimal((sign, digits[: len(digits) - cut], exponent + cut))

    def __str__(self) -> str:
        return f"{decimal_text(self.percent)}%"


#: A grade's threshold: points on the scale, or a percentage of it.
Threshold = Decimal | PercentOfScale


def _threshold(value: object) -> Threshold | None:
    """A threshold as written: a number, or a text ending in ``%`` (``"90%"``: 90 per cent)."""
    if value is None or isinstance(value, PercentOfScale):
        return value
    try:
        if isinstance(value, str):
            text = value.strip()
            if text.endswith(("%", "％")):
                return PercentOfScale(text[:-1])
        return to_decimal(value)
    except InputError as error:
        raise error.located(prefix="minimum", as_type=SchemeError) from None


def _shown(threshold: Threshold) -> Decimal | str:
    """A threshold as a message shows it: a number as it is, a percentage as ``90%``."""
    return threshold if isinstance(threshold, Decimal) else str(threshold)


@attrs.frozen(kw_only=True)
class Grade:
    """One grade of a scale (优秀, 良好…), the lowest total that earns it, and its quota.

    ``minimum`` is the threshold: points on the scale totals are on (``90``),
    or a percentage of that scale (``"90%"``, a :class:`PercentOfScale`),
    which follows the scheme's ``scale``: 31.5 on a scale of 35. The grades
    of one scale are written all one way or all the other.
    The last grade of a scale has ``minimum=None``: it takes everything below.
    ``max_percent`` caps the share of a peer group the grade may hold (优秀 ≤
    20%); ``min_percent`` asks for at least that share, filled by moving the
    lowest-ranked units of better grades down (never up).
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    label: str = attrs.field(validator=text_validator)
    name_en: str = ""
    minimum: Decimal | PercentOfScale | None = attrs.field(default=None, converter=_threshold)
    max_percent: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=percent
    )
    min_percent: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=percent
    )

    def __attrs_post_init__(self) -> None:
        if (
            self.min_percent is not None
            and self.max_percent is not None
            and self.min_percent > self.max_percent
        ):
            raise SchemeError(
                Message.of("scheme.min-above-max-percent"),
                key_path="min_percent",
                expected=Message.of("number.at-most", bound=self.max_percent),
                got=self.min_percent,
            )


def _grades(value: Iterable[Grade]) -> tuple[Grade, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class GradeScale:
    """Ordered grades, best first, with descending thresholds, on a scale of ``out_of``.

    ``out_of`` is the scale the graded totals are on (100 unless a scheme
    says otherwise): the thresholds written as percentages are taken of it
    (``thresholds``). A :class:`~rulelaw.model.Scheme` puts its grading on
    its own ``scale``.

    >>> DEFAULT_GRADE_SCALE.grade_for(Decimal("85"))
    'good'
    >>> GradeScale(grades=DEFAULT_GRADE_SCALE.grades, out_of=35).thresholds
    (Decimal('31.5'), Decimal('28'), Decimal('21'), None)
    """

    _scheme_value: ClassVar[bool] = True

    grades: tuple[Grade, ...] = attrs.field(converter=_grades)
    out_of: Decimal = attrs.field(
        default=Decimal(100), converter=to_decimal, validator=positive, kw_only=True
    )
    #: each grade's threshold in points on ``out_of`` (``None`` for the last grade)
    thresholds: tuple[Decimal | None, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self,
            "thresholds",
            tuple(
                g.minimum.of(self.out_of) if isinstance(g.minimum, PercentOfScale) else g.minimum
                for g in self.grades
            ),
        )
        if not self.grades:
            raise SchemeError(Message.of("scheme.no-grades"), key_path="grades")
        for index, key in unique_ids(self.grades):
            raise SchemeError(
                Message.of("scheme.duplicate-grade", id=key), key_path=f"grades[{index}].id"
            )
        *upper, last = self.grades
        last_index = len(self.grades) - 1
        if last.minimum is not None:
            raise SchemeError(
                Message.of("scheme.last-grade-minimum"),
                key_path=f"grades[{last_index}].minimum",
                expected=Message.of("scheme.expected-no-minimum"),
                got=last.minimum,
            )
        if last.max_percent is not None and last.max_percent < 100:
            raise SchemeError(
                Message.of("scheme.last-grade-capped"),
                key_path=f"grades[{last_index}].max_percent",
                expected=Message.of("scheme.expected-no-cap"),
                got=last.max_percent,
            )
        previous: Grade | None = None
        for index, grade in enumerate(upper):
            if grade.minimum is None:
                raise SchemeError(
                    Message.of("scheme.grade-needs-minimum"),
                    key_path=f"grades[{index}].minimum",
                    expected=Message.of("convert.a-number"),
                )
            if previous is not None and previous.minimum is not None:
                relative = isinstance(previous.minimum, PercentOfScale)
                if isinstance(grade.minimum, PercentOfScale) is not relative:
                    raise SchemeError(
                        Message.of("scheme.grade-thresholds-mixed"),
                        key_path=f"grades[{index}].minimum",
                        expected=Message.of(
                            "scheme.expected-percentage" if relative else "scheme.expected-points"
                        ),
                        got=_shown(grade.minimum),
                    )
                if self.thresholds[index] >= self.thresholds[index - 1]:  # type: ignore[operator]
                    raise SchemeError(
                        Message.of("scheme.grades-out-of-order"),
                        key_path=f"grades[{index}].minimum",
                        expected=Message.of(
                            "scheme.expected-below-previous", previous=_shown(previous.minimum)
                        ),
                        got=_shown(grade.minimum),
                    )
            previous = grade
        if self.grades[0].min_percent is not None and len(self.grades) > 1:
            raise SchemeError(
                Message.of("scheme.best-grade-minimum-share"),
                key_path="grades[0].min_percent",
                expected=Message.of("scheme.expected-lower-grade-share"),
                got=self.grades[0].min_percent,
            )
        floors = exact_sum(g.min_percent or Decimal(0) for g in self.grades)
        if floors > 100:
            raise SchemeError(
                Message.of("scheme.minimum-shares-over-100"),
                key_path="grades",
                expected=Message.of("scheme.expected-shares-at-most-100"),
                got=floors,
            )

    @property
    def ids(self) -> tuple[str, ...]:
        """Grade ids, best first."""
        return tuple(g.id for g in self.grades)

    def grade(self, grade_id: str) -> Grade:
        """The grade with this id."""
        for grade in self.grades:
            if grade.id == grade_id:
                return grade
        raise KeyError(grade_id)

    def position(self, grade_id: str) -> int:
        """The grade's place in the scale: 0 for the best, 1 for the next, and so on."""
        return self.ids.index(grade_id)

    def threshold(self, grade_id: str) -> Decimal | None:
        """The lowest total on ``out_of`` that earns the grade (``None``: the last grade)."""
        return self.thresholds[self.position(grade_id)]

    def grade_for(self, total: Decimal) -> str:
        """The id of the best grade whose threshold ``total`` reaches."""
        for grade, threshold in zip(self.grades, self.thresholds, strict=True):
            if threshold is None or total >= threshold:
                return grade.id
        raise AssertionError("unreachable: the last grade has no minimum")  # pragma: no cover

    def on_scale(self, out_of: Decimal) -> GradeScale:
        """The same grades on a scale of ``out_of`` (their percentages taken of it)."""
        return GradeScale(grades=self.grades, out_of=out_of)


#: 优秀 ≥ 90%, 良好 ≥ 80%, 合格 ≥ 60% of the scale, 不合格 below: 90/80/60 on the usual 100.
DEFAULT_GRADE_SCALE = GradeScale(
    grades=(
        Grade(id="excellent", label="优秀", name_en="excellent", minimum="90%"),
        Grade(id="good", label="良好", name_en="good", minimum="80%"),
        Grade(id="pass", label="合格", name_en="pass", minimum="60%"),
        Grade(id="fail", label="不合格", name_en="fail"),
    )
)


class TieRule(enum.Enum):
    """What happens to units tied at a quota's cut-off.

    ``break``: the declared tie-break keys decide; units still tied all move
    down (the quota is never exceeded). ``move-all``: every tied unit moves
    down. ``keep-all``: every tied unit keeps the grade and the quota is
    flagged as exceeded.
    """

    BREAK = "break"
    MOVE_ALL = "move-all"
    KEEP_ALL = "keep-all"


class QuotaRounding(enum.Enum):
    """How a share of a peer group becomes a count of units (20% of 13 = 2.6 → 2)."""

    FLOOR = "floor"
    HALF_UP = "half-up"
    CEILING = "ceiling"

    def count(self, percent: Decimal, group_size: int, *, at_least_one: bool = False) -> int:
        """The number of units ``percent`` of ``group_size`` allows.

        >>> QuotaRounding.FLOOR.count(Decimal(20), 13)
        2
        """
        exact = Fraction(group_size) * Fraction(percent) / 100  # no decimal context involved
        if self is QuotaRounding.FLOOR:
            count = math.floor(exact)
        elif self is QuotaRounding.CEILING:
            count = math.ceil(exact)
        else:  # half-up: the shares are never negative
            count = math.floor(exact + Fraction(1, 2))
        if at_least_one and percent > 0 and group_size > 0:
            count = max(count, 1)
        return count


class RankTies(enum.Enum):
    """Whether equal totals share a rank (1, 2, 2, 4) or the tie-break keys order them."""

    SHARED = "shared"
    BROKEN = "broken"


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise SchemeError(
            Message.of("scheme.tie-break-not-a-list"),
            key_path="tie_break",
            expected=Message.of("convert.expected-id-list"),
            got=value,
        )
    return tuple(value)


@attrs.frozen(kw_only=True)
class GradingPolicy:
    """How totals become grades and ranks.

    - ``grades``: the grades, best first, with thresholds and quotas
      (checked as a :class:`GradeScale`, available as ``scale``: on a scale
      of 100 until a scheme puts the policy on its own, :meth:`on_scale`);
    - ``peer_group``: ``"category"`` (the default), ``"level"``, or the name
      of a unit attribute (a column of ``units.csv``, e.g. ``kind``);
    - ``tie_break``: dimension or indicator ids whose points decide between
      equal totals, in order; ``tie_break_unit_id``: the unit id decides last
      (only if the scheme says so — input order never decides);
    - ``ties``: the rule at a quota's cut-off (:class:`TieRule`);
    - ``quota_rounding`` and ``quota_at_least_one``: share → count;
    - ``count_not_graded``: whether units excluded from grading still count
      in the group size the shares are taken of;
    - ``rank_ties``: whether equal totals share a rank.
    """

    _scheme_value: ClassVar[bool] = True

    grades: tuple[Grade, ...] = attrs.field(default=DEFAULT_GRADE_SCALE.grades, converter=_grades)
    peer_group: str = attrs.field(default="category", validator=id_validator)
    tie_break: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    tie_break_unit_id: bool = False
    ties: TieRule = attrs.field(default=TieRule.BREAK, converter=TieRule)
    quota_rounding: QuotaRounding = attrs.field(
        default=QuotaRounding.FLOOR, converter=QuotaRounding
    )
    quota_at_least_one: bool = False
    count_not_graded: bool = False
    rank_ties: RankTies = attrs.field(default=RankTies.SHARED, converter=RankTies)
    scale: GradeScale = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "scale", GradeScale(grades=self.grades))

    def on_scale(self, out_of: Decimal) -> GradingPolicy:
        """The same policy grading totals on a scale of ``out_of`` (``scale.out_of``).

        Its thresholds written as percentages are taken of ``out_of``; the
        policy is equal to this one and is written to a file the same way.
        """
        if out_of == self.scale.out_of:
            return self
        policy = attrs.evolve(self)
        object.__setattr__(policy, "scale", self.scale.on_scale(out_of))
        return policy
