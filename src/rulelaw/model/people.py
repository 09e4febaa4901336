"""Responsible persons, their roles, and their tenures in post."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
import pendulum

from rulelaw.errors import DataError, SchemeError
from rulelaw.messages import Message
from rulelaw.model._base import (
    frozen_map,
    id_validator,
    text_validator,
    to_date,
    to_optional_date,
)
from rulelaw.model.grading import GradingPolicy

__all__ = [
    "BUILTIN_ROLES",
    "DEPARTMENT_HEAD",
    "GOVERNMENT_HEAD",
    "PARTY_HEAD",
    "PeoplePolicy",
    "Period",
    "ResponsiblePerson",
    "Role",
    "Tenure",
]


@attrs.frozen(kw_only=True)
class Period:
    """A span of days, both ends included, such as an assessment year.

    >>> Period(start="2024-01-01", end="2024-12-31").days
    366
    """

    _scheme_value: ClassVar[bool] = True

    start: pendulum.Date = attrs.field(converter=to_date)
    end: pendulum.Date = attrs.field(converter=to_date)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise SchemeError(
                Message.of("scheme.period-ends-before-start"),
                key_path="end",
                expected=Message.of("date.on-or-after", date=self.start),
                got=self.end.isoformat(),
            )

    @property
    def days(self) -> int:
        """Number of days in the period, both ends counted."""
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, pendulum.Date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()} … {self.end.isoformat()}"


@attrs.frozen(kw_only=True)
class Role:
    """A post whose holder is a first responsible person (第一责任人).

    Three roles are built in (:data:`PARTY_HEAD`, :data:`GOVERNMENT_HEAD`,
    :data:`DEPARTMENT_HEAD`); a scheme may add more.
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    name: str = attrs.field(validator=text_validator)
    name_en: str = attrs.field(default="")


PARTY_HEAD = Role(id="party-head", name="党委主要负责人", name_en="party committee head")
GOVERNMENT_HEAD = Role(id="government-head", name="政府主要负责人", name_en="government head")
DEPARTMENT_HEAD = Role(id="department-head", name="部门主要负责人", name_en="department head")
BUILTIN_ROLES: tuple[Role, ...] = (PARTY_HEAD, GOVERNMENT_HEAD, DEPARTMENT_HEAD)


@attrs.frozen(kw_only=True)
class ResponsiblePerson:
    """A principal leader (党政主要负责人) who holds posts through tenures.

    >>> ResponsiblePerson(id="p-001", name="林晓舟").name
    '林晓舟'
    """

    id: str = attrs.field(validator=id_validator)
    name: str = attrs.field(validator=text_validator)
    attributes: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_map)


def _not_before_start(instance: Tenure, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and isinstance(value, pendulum.Date) and value < instance.start:
        raise DataError(
            Message.of("roster.tenure-ends-before-start"),
            key_path="end",
            expected=Message.of("date.on-or-after", date=instance.start),
            got=value.isoformat(),
        )


@attrs.frozen(kw_only=True)
class Tenure:
    """A person holding a role at a unit from ``start`` to ``end`` (inclusive; open if None).

    >>> t = Tenure(person="p-001", unit="county-01", role="party-head", start="2024-07-01")
    >>> t.overlap_days(Period(start="2024-01-01", end="2024-12-31"))
    184
    """

    person: str = attrs.field(validator=id_validator)
    unit: str = attrs.field(validator=id_validator)
    role: str = attrs.field(validator=id_validator)
    start: pendulum.Date = attrs.field(converter=to_date)
    end: pendulum.Date | None = attrs.field(
        default=None, converter=to_optional_date, validator=_not_before_start
    )

    def covers(self, day: pendulum.Date) -> bool:
        """Whether the person was in post on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)

    def overlap_days(self, period: Period) -> int:
        """Number of days of ``period`` during which this tenure ran (0 if none)."""
        first = max(self.start, period.start)
        last = period.end if self.end is None else min(self.end, period.end)
        return max(0, (last - first).days + 1)

    def overlaps(self, other: Tenure) -> bool:
        """Whether the two tenures share at least one day."""
        self_end = self.end or pendulum.Date.max
        other_end = other.end or pendulum.Date.max
        return self.start <= other_end and other.start <= self_end


def _role_pairs(value: object) -> tuple[tuple[str, str], ...]:
    pairs = []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise SchemeError(
            Message.of("scheme.concurrent-roles-not-a-list"),
            key_path="concurrent_roles",
            expected=Message.of("scheme.expected-role-pairs"),
            got=value,
        )
    for index, pair in enumerate(value):
        if isinstance(pair, str) or not isinstance(pair, list | tuple) or len(pair) != 2:
            raise SchemeError(
                Message.of("scheme.not-a-role-pair"),
                key_path=f"concurrent_roles[{index}]",
                expected='["role-a", "role-b"]',
                got=pair,
            )
        pairs.append((str(pair[0]), str(pair[1])))
    return tuple(pairs)


def _people_grading(value: object) -> GradingPolicy:
    if isinstance(value, GradingPolicy):
        return value
    raise SchemeError(Message.of("scheme.not-a-grading-policy"), key_path="grading", got=value)


def _min_months(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 12:
        raise SchemeError(
            Message.of("scheme.min-months-out-of-range"),
            key_path="min_months",
            expected=Message.of("number.range", low=0, high=12),
            got=value,
        )


@attrs.frozen(kw_only=True)
class PeoplePolicy:
    """How unit results are carried to responsible persons (第一责任人).

    - ``min_months``: a leader in post for less of the period gets no grade
      (不确定等次), with the reason; ``exactly_min_eligible`` says whether
      exactly that long counts as enough (default: it does);
    - ``grading``: the grade scale and peer groups of leaders (``role`` by
      default; ``category`` and ``level`` of the leader's main unit also
      work), with the same quotas and tie rules as for units;
    - ``concurrent_roles``: pairs of roles one person may hold at the same
      time; any other overlap of one person's tenures is an input error.
    """

    _scheme_value: ClassVar[bool] = True

    min_months: int = attrs.field(default=6, validator=_min_months)
    exactly_min_eligible: bool = True
    grading: GradingPolicy = attrs.field(
        factory=lambda: GradingPolicy(peer_group="role"), converter=_people_grading
    )
    concurrent_roles: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_role_pairs)

    def concurrent(self, first: str, second: str) -> bool:
        """Whether one person may hold both roles at once."""
        return (first, second) in self.concurrent_roles or (
            second,
            first,
        ) in self.concurrent_roles
