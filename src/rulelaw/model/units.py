"""Assessed units, their categories and levels."""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

import attrs

from rulelaw.errors import DataError
from rulelaw.messages import Message
from rulelaw.model._base import (
    frozen_map,
    id_validator,
    optional_id_validator,
    positive,
    text_validator,
    to_decimal,
)

__all__ = ["Category", "Level", "Unit"]


class Level(enum.Enum):
    """Administrative level of a unit: city (市), county (县), township (乡镇/街道)."""

    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"

    @property
    def label(self) -> str:
        """The Chinese name of the level."""
        return _LEVEL_LABELS[self]

    @classmethod
    def parse(cls, value: object) -> Level:
        """Read a level from its English value or a Chinese name (市, 县, 乡镇, 街道…).

        >>> Level.parse("县")
        <Level.COUNTY: 'county'>
        """
        if isinstance(value, Level):
            return value
        if isinstance(value, str) and (level := _level_of_text(value)) is not None:
            return level
        raise DataError(
            Message.of("roster.unknown-level"),
            expected=Message.of("roster.expected-level"),
            got=value,
        )


_LEVEL_LABELS = {Level.CITY: "市", Level.COUNTY: "县", Level.TOWNSHIP: "乡镇"}
_LEVEL_SYNONYMS: dict[Level, frozenset[str]] = {
    Level.CITY: frozenset({"市", "市级", "地级市"}),
    Level.COUNTY: frozenset({"县", "县级", "区", "县市区", "县(市、区)"}),
    Level.TOWNSHIP: frozenset({"乡镇", "乡", "镇", "街道", "乡镇(街道)"}),
}


@functools.lru_cache(maxsize=256)
def _level_of_text(value: str) -> Level | None:
    """The level a text names, or ``None`` (remembered: a roster repeats a few words)."""
    key = value.strip()
    for level in Level:
        if key.lower() == level.value or key in _LEVEL_SYNONYMS[level]:
            return level
    return None


def _level(value: object) -> Level:
    return Level.parse(value)


@attrs.frozen(kw_only=True)
class Category:
    """A category of assessed units with its own indicator set and weights (分类考核).

    ``maximum`` is the most points a unit of this category can score before
    conversion to the scheme's scale (e.g. departments scored out of 50).

    >>> Category(id="county", name="县市区", maximum=100).maximum
    Decimal('100')
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    name: str = attrs.field(validator=text_validator)
    maximum: Decimal = attrs.field(default=Decimal(100), converter=to_decimal, validator=positive)


_NOT_REASONS = frozenset(
    {"yes", "no", "y", "n", "true", "false", "0", "1", "是", "否", "x", "√", "×"}
)


@attrs.frozen(kw_only=True)
class Unit:
    """An assessed unit: a county government, a municipal department, a park.

    ``parent`` is the id of the unit above it in the unit tree, if any.
    ``attributes`` holds any further columns of the roster (such as a
    department's kind), usable to form peer groups. ``not_graded`` gives the
    reason a unit is kept out of grading (e.g. newly established): it keeps
    its score and rank and gets no grade (不确定等次).

    >>> Unit(id="county-01", name="青岚县", level=Level.COUNTY, category="county").parent is None
    True
    """

    id: str = attrs.field(validator=id_validator)
    name: str = attrs.field(validator=text_validator)
    level: Level = attrs.field(converter=_level)
    category: str = attrs.field(validator=id_validator)
    parent: str | None = attrs.field(default=None, validator=optional_id_validator)
    attributes: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_map)
    not_graded: str = ""

    def __attrs_post_init__(self) -> None:
        if self.parent == self.id:
            raise DataError(
                Message.of("roster.unit-own-parent"), key_path="parent", got=self.parent
            )
        if self.not_graded.strip().lower() in _NOT_REASONS:
            raise DataError(
                Message.of("roster.not-graded-yes-no"),
                key_path="not_graded",
                expected=Message.of("roster.expected-not-graded-reason"),
                got=self.not_graded,
            )

    def peer_key(self, peer_group: str) -> str | None:
        """The value that puts this unit in its peer group (category, level or an attribute)."""
        if peer_group == "category":
            return self.category
        if peer_group == "level":
            return self.level.value
        return self.attributes.get(peer_group)
