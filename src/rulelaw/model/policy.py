"""Per-category weights, the rounding policy and the grade scale."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from rulelaw.errors import SchemeError, key_part
from rulelaw.messages import Message
from rulelaw.model._base import (
    frozen_map,
    id_validator,
    to_decimal,
)
from rulelaw.model._numbers import EXACT, RoundingMode, round_fraction, scaled

__all__ = [
    "CategoryWeights",
    "RoundingMode",
    "RoundingPolicy",
    "round_fraction",
]


def _points_map(value: Mapping[str, object]) -> Mapping[str, Decimal]:
    if not isinstance(value, Mapping):
        raise SchemeError(
            Message.of("scheme.weights-not-a-table"),
            expected=Message.of("scheme.expected-node-points"),
            got=value,
        )
    return frozen_map((str(k), to_decimal(v)) for k, v in value.items())


@attrs.frozen(kw_only=True)
class CategoryWeights:
    """Points per indicator-tree node for one category (分类设置指标权重).

    Every leaf indicator that applies to the category needs points; a
    dimension may also be given points, which its children must then add up
    to. The top-level points add up to the category's maximum (checked by
    :class:`~rulelaw.model.Scheme`).
    """

    _scheme_value: ClassVar[bool] = True

    category: str = attrs.field(validator=id_validator)
    points: Mapping[str, Decimal] = attrs.field(converter=_points_map)

    def __attrs_post_init__(self) -> None:
        for node, points in self.points.items():
            if points < 0:
                raise SchemeError(
                    Message.of("scheme.negative-weight"),
                    key_path=f"$.{key_part(node)}",
                    expected=Message.of("number.at-least", bound=0),
                    got=points,
                )


def _places(instance: Any, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise SchemeError(
            Message.of("scheme.rounding-places-out-of-range"),
            key_path="places",
            expected=Message.of("number.range", low=0, high=10),
            got=value,
        )


@attrs.frozen(kw_only=True)
class RoundingPolicy:
    """Declared rounding of official scores: places and mode (default half-up to 2).

    The total is always rounded; ``indicators = true`` also rounds each
    indicator's points before they are added up (as many spreadsheets do).

    >>> RoundingPolicy().apply(Decimal("87.125"))
    Decimal('87.13')
    """

    _scheme_value: ClassVar[bool] = True

    places: int = attrs.field(default=2, validator=_places)
    mode: RoundingMode = attrs.field(default=RoundingMode.HALF_UP, converter=RoundingMode)
    indicators: bool = False

    @property
    def quantum(self) -> Decimal:
        """The smallest step a rounded score can take, e.g. ``Decimal('0.01')``."""
        return scaled(1, self.places)

    def apply(self, value: Decimal | Fraction | int) -> Decimal:
        """Round ``value`` as declared; a Fraction is rounded exactly, never via a float.

        >>> RoundingPolicy().apply(Fraction(5900, 99))
        Decimal('59.60')
        """
        if isinstance(value, Decimal):
            return value.quantize(self.quantum, rounding=self.mode.decimal_mode, context=EXACT)
        return round_fraction(Fraction(value), self.places, self.mode)
