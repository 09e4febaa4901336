"""Adjustments after aggregation: bonus items (加分), extra deductions (扣分), vetoes (一票否决).

The scheme declares the items; the evidence lists what happened to each unit
(:class:`AdjustmentEvent`, one row of ``adjustments.csv``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

import attrs
import pendulum

from rulelaw.errors import SchemeError
from rulelaw.messages import Message
from rulelaw.model._base import (
    frozen_map,
    id_validator,
    optional_decimal,
    optional_id_validator,
    percent,
    positive,
    text_validator,
    to_decimal,
    to_optional_date,
)

__all__ = [
    "AdjustmentEvent",
    "Bonus",
    "ExtraDeduction",
    "NotSubmittedPolicy",
    "ScoringPolicy",
    "Veto",
    "VetoEffect",
]


def _level_points(value: Mapping[str, object]) -> Mapping[str, Decimal]:
    if not isinstance(value, Mapping) or not value:
        raise SchemeError(
            Message.of("scheme.levels-not-a-table"),
            key_path="levels",
            expected=Message.of("scheme.expected-level-points"),
            got=value,
        )
    points = {str(k): to_decimal(v) for k, v in value.items()}
    for level, p in points.items():
        if p <= 0:
            raise SchemeError(
                Message.of("scheme.bonus-points-not-positive"), key_path=f"levels.{level}", got=p
            )
    return frozen_map(points)


@attrs.frozen(kw_only=True)
class Bonus:
    """A bonus item (加分项), e.g. demonstration awards (示范创建) by level.

    One achievement counts once, at its highest level; ``cap`` limits the
    item's points for one unit. ``levels`` maps level names to points.
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    levels: Mapping[str, Decimal] = attrs.field(converter=_level_points)
    cap: Decimal | None = attrs.field(default=None, converter=optional_decimal, validator=positive)


@attrs.frozen(kw_only=True)
class ExtraDeduction:
    """A deduction item (扣分项) outside the indicators: ``per`` for each event, up to ``cap``."""

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    per: Decimal = attrs.field(converter=to_decimal, validator=positive)
    cap: Decimal | None = attrs.field(default=None, converter=optional_decimal, validator=positive)


class VetoEffect(enum.Enum):
    """What a veto (一票否决) does.

    Zero the total, zero a dimension, cap the grade (the unit can be graded at
    best ``grade``), or force the lowest grade.
    """

    ZERO_TOTAL = "zero-total"
    ZERO_DIMENSION = "zero-dimension"
    CAP_GRADE = "cap-grade"
    LOWEST_GRADE = "lowest-grade"


@attrs.frozen(kw_only=True)
class Veto:
    """A veto item and its declared effect.

    ``dimension`` names the dimension a ``zero-dimension`` veto zeroes;
    ``grade`` the best grade a ``cap-grade`` veto still allows.
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    effect: VetoEffect = attrs.field(converter=VetoEffect)
    dimension: str | None = attrs.field(default=None, validator=optional_id_validator)
    grade: str | None = attrs.field(default=None, validator=optional_id_validator)

    def __attrs_post_init__(self) -> None:
        if self.effect is VetoEffect.ZERO_DIMENSION and self.dimension is None:
            raise SchemeError(
                Message.of("scheme.veto-needs-dimension"),
                key_path="dimension",
                expected=Message.of("scheme.expected-dimension-id"),
            )
        if self.effect is VetoEffect.CAP_GRADE and self.grade is None:
            raise SchemeError(
                Message.of("scheme.veto-needs-grade"),
                key_path="grade",
                expected=Message.of("scheme.expected-grade-id"),
            )


class NotSubmittedPolicy(enum.Enum):
    """How an indicator without evidence scores: zero, or left out like not applicable."""

    ZERO = "zero"
    NOT_APPLICABLE = "not-applicable"


@attrs.frozen(kw_only=True)
class ScoringPolicy:
    """Scheme-wide scoring choices.

    ``as_of`` is the evaluation date used when none is given; ``not_submitted``
    says how missing evidence scores; ``bonus_cap`` limits all bonus items
    together; ``floor_at_zero`` keeps a total from going below zero;
    ``data_threshold`` (per cent, COINr's ``dat_thresh``) leaves a dimension
    unscored for a unit with fewer than that share of the indicators under it
    present (a dimension's own ``data_threshold`` overrides it).
    """

    _scheme_value: ClassVar[bool] = True

    as_of: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    not_submitted: NotSubmittedPolicy = attrs.field(
        default=NotSubmittedPolicy.ZERO, converter=NotSubmittedPolicy
    )
    bonus_cap: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=positive
    )
    floor_at_zero: bool = True
    data_threshold: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=percent
    )


@attrs.frozen(kw_only=True)
class AdjustmentEvent:
    """Something that happened to a unit that an adjustment item counts.

    For a bonus: the ``achievement`` (e.g. the project's name) and its
    ``level``; for a deduction or a veto, one event with its reason.
    """

    unit: str = attrs.field(validator=id_validator)
    item: str = attrs.field(validator=id_validator)
    achievement: str = ""
    level: str = ""
    date: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    reason: str = ""
    source: str = ""
