"""Per-category weights, the rounding policy and the grade scale."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal

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
    "ROUNDING_LEVELS",
    "CategoryWeights",
    "LevelRounding",
    "RoundingLevel",
    "RoundingMode",
    "RoundingPolicy",
    "round_fraction",
]

#: The levels whose shown points a scheme may round on their own (``[rounding.LEVEL]``).
RoundingLevel = Literal["indicator", "dimension", "total", "panel"]
ROUNDING_LEVELS: tuple[RoundingLevel, ...] = ("indicator", "dimension", "total", "panel")


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


def _optional_places(instance: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None:
        _places(instance, attribute, value)


def _optional_mode(value: object) -> RoundingMode | None:
    return None if value is None else RoundingMode(value)


@attrs.frozen(kw_only=True)
class LevelRounding:
    """How one level's shown points are rounded, where it differs from the scheme's rounding.

    A scheme's ``[rounding.dimension]`` (or ``indicator``, ``total``,
    ``panel``) table: ``places`` and ``mode``, each ``None`` to keep the
    ``[rounding]`` table's own.
    """

    _scheme_value: ClassVar[bool] = True

    places: int | None = attrs.field(default=None, validator=_optional_places)
    mode: RoundingMode | None = attrs.field(default=None, converter=_optional_mode)


@attrs.frozen(kw_only=True)
class RoundingPolicy:
    """Declared rounding of official scores: places and mode (default half-up to 2).

    The total is always rounded; ``indicators = true`` also rounds each
    indicator's points before they are added up (as many spreadsheets do).

    Each level may round its shown points its own way (:class:`LevelRounding`):
    ``indicator`` (an indicator's points, worth and rule points), ``dimension``
    (a dimension's subtotal and worth), ``total`` (the subtotal, the
    adjustments and the total) and ``panel`` (a law-report panel's group and
    report scores); :meth:`level` gives the rounding a level uses.
    ``dimension_lines = true`` adds, to each dimension whose shown parts do
    not add up to its shown subtotal, a ``rounding`` line for the difference.

    >>> RoundingPolicy().apply(Decimal("87.125"))
    Decimal('87.13')
    >>> RoundingPolicy(dimension=LevelRounding(places=1)).level("dimension").places
    1
    """

    _scheme_value: ClassVar[bool] = True

    places: int = attrs.field(default=2, validator=_places)
    mode: RoundingMode = attrs.field(default=RoundingMode.HALF_UP, converter=RoundingMode)
    indicators: bool = False
    dimension_lines: bool = False
    indicator: LevelRounding | None = None
    dimension: LevelRounding | None = None
    total: LevelRounding | None = None
    panel: LevelRounding | None = None
    _levels: dict[str, RoundingPolicy] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        levels: dict[str, RoundingPolicy] = {}
        for name in ROUNDING_LEVELS:
            own: LevelRounding | None = getattr(self, name)
            places = self.places if own is None or own.places is None else own.places
            mode = self.mode if own is None or own.mode is None else own.mode
            levels[name] = (
                self
                if (places, mode) == (self.places, self.mode) and self.plain
                else RoundingPolicy(places=places, mode=mode, indicators=self.indicators)
            )
        object.__setattr__(self, "_levels", levels)

    @property
    def plain(self) -> bool:
        """No level of its own and no dimension lines: one rounding for everything."""
        return not self.dimension_lines and all(
            getattr(self, name) is None for name in ROUNDING_LEVELS
        )

    def level(self, name: RoundingLevel) -> RoundingPolicy:
        """The rounding of one level's shown points (``indicators`` kept, no levels of its own).

        >>> RoundingPolicy(places=3).level("total").places
        3
        """
        return self._levels[name]

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
