"""The roster: assessed units, roles, responsible persons and their tenures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import attrs
import pendulum
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from rulelaw.model import BUILTIN_ROLES, Level, Period, ResponsiblePerson, Role, Tenure, Unit
from rulelaw.testing._common import (
    GIVEN_NAMES,
    LEVEL_SUFFIXES,
    PLACES,
    ROLE_POOL,
    SURNAMES,
    ids,
    ids_of,
    periods,
    shifted,
    unique_numbers,
)

__all__ = ["responsible_persons", "roles", "tenures", "units"]

T = TypeVar("T")

#: Values of a unit attribute a scheme may group peers by (``peer_group = "kind"``).
PEER_VALUES = ("法治", "执法", "综合")
#: Reasons a unit is kept out of grading (``not_graded``).
NOT_GRADED = ("2024年新组建", "机构改革调整")


_LEVELS = st.sampled_from(Level)
_NAMES = {
    level: st.builds(
        lambda place, suffix: place + suffix,
        st.sampled_from(PLACES),
        st.sampled_from(LEVEL_SUFFIXES[level]),
    )
    for level in Level
}
_PEER_VALUES = st.sampled_from(PEER_VALUES)
_NOT_GRADED = st.sampled_from(NOT_GRADED)


def pick(draw: st.DrawFn, items: Sequence[T]) -> T:
    """One of ``items`` (at least one), shrinking to the first.

    By position, so that no strategy is made for each draw (an integer
    strategy is made once per range; a ``sampled_from`` anew every time).
    """
    return items[draw(st.integers(0, len(items) - 1))]


@st.composite
def _units(
    draw: st.DrawFn,
    categories: Sequence[str],
    peer_attribute: str | None,
    unit_id: SearchStrategy[str],
) -> Unit:
    level = draw(_LEVELS)
    attributes: dict[str, str] = {}
    if peer_attribute is not None:
        attributes[peer_attribute] = draw(_PEER_VALUES)
    elif draw(st.booleans()):
        attributes["kind"] = draw(_PEER_VALUES)
    not_graded = ""
    if draw(st.integers(0, 7)) == 7:
        not_graded = draw(_NOT_GRADED)
    return Unit(
        id=draw(unit_id),
        name=draw(_NAMES[level]),
        level=level,
        category=pick(draw, categories),
        attributes=attributes,
        not_graded=not_graded,
    )


def unit_drafts(categories: Sequence[str], peer_attribute: str | None) -> SearchStrategy[Unit]:
    """Units of ``categories`` without a parent, all with the id ``unit-000`` (to be replaced).

    ``peer_attribute`` names an attribute every unit must have (the scheme
    groups peers by it); otherwise a unit sometimes has a ``kind``. Now and
    then a unit is kept out of grading (``not_graded``).
    """
    return _units(tuple(categories), peer_attribute, st.just("unit-000"))


def units(
    categories: Sequence[str] = ("county", "department", "park"),
) -> SearchStrategy[Unit]:
    """Assessed units of one of ``categories``, at any level, without a parent.

    A unit sometimes has a ``kind`` attribute (法治, 执法 or 综合) and now and
    then is kept out of grading (``not_graded``, with its reason).

    Parameters
    ----------
    categories:
        The category ids to choose from (at least one).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(units(categories=["county"]))
    ... def test_county(unit): assert unit.category == "county"
    >>> test_county()

    """
    return _units(tuple(categories), None, ids(prefix="unit"))


def roles() -> SearchStrategy[Role]:
    """Roles a scheme may add to the built-in three (never one of the built-in ids).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(roles())
    ... def test_not_builtin(role): assert role not in BUILTIN_ROLES
    >>> test_not_builtin()

    """
    return st.sampled_from(ROLE_POOL).map(lambda r: Role(id=r[0], name=r[1], name_en=r[2]))


_PERSON_NAMES = st.builds(
    lambda surname, given: surname + given,
    st.sampled_from(SURNAMES),
    st.sampled_from(GIVEN_NAMES),
)
_PERSON_ATTRIBUTES: SearchStrategy[dict[str, str]] = st.one_of(
    st.just({}),
    st.sampled_from(("正处级", "副处级", "正科级")).map(lambda rank: {"rank": rank}),
)


@st.composite
def _persons(draw: st.DrawFn, person_id: SearchStrategy[str]) -> ResponsiblePerson:
    return ResponsiblePerson(
        id=draw(person_id), name=draw(_PERSON_NAMES), attributes=draw(_PERSON_ATTRIBUTES)
    )


#: Persons with the id ``p-000`` (to be replaced).
PERSON_DRAFTS = _persons(st.just("p-000"))


def responsible_persons() -> SearchStrategy[ResponsiblePerson]:
    """Principal leaders with invented names (林晓舟…) and sometimes a ``rank`` attribute.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(responsible_persons())
    ... def test_named(person): assert person.name
    >>> test_named()

    """
    return _persons(ids(prefix="p"))


@st.composite
def draw_tenures(
    draw: st.DrawFn,
    people: Sequence[str] | None,
    units: Sequence[str] | None,
    roles: Sequence[str] | None,
    period: Period | None,
    at_least: int = 0,
) -> tuple[Tenure, ...]:
    """Tenures of ``at_least`` to four posts; see :func:`tenures`."""
    person_ids = people if people else [f"p-{n:03d}" for n in draw(unique_numbers(3))]
    unit_ids = units if units else [f"unit-{n:03d}" for n in draw(unique_numbers(2))]
    role_ids = roles if roles else [r.id for r in BUILTIN_ROLES]
    span = period if period is not None else draw(periods())
    places = st.tuples(st.integers(0, len(unit_ids) - 1), st.integers(0, len(role_ids) - 1))
    posts = [
        (unit_ids[u], role_ids[r])
        for u, r in draw(st.lists(places, min_size=at_least, max_size=4, unique=True))
    ]
    result: list[Tenure] = []
    held: dict[str, list[Tenure]] = {}
    for unit_id, role_id in posts:
        # Tenures of one post follow each other, so no two of them share a day.
        start = shifted(span.start, -draw(st.integers(0, 400)))
        count = draw(st.integers(1, 3))
        for number in range(count):
            last = number == count - 1
            end: pendulum.Date | None
            if last and draw(st.booleans()):
                end = None
            else:
                end = shifted(start, draw(st.integers(0, 500)))
            # One person holds one post at a time: only people free over the span qualify.
            probe = Tenure(person=person_ids[0], unit=unit_id, role=role_id, start=start, end=end)
            free = [p for p in person_ids if not any(t.overlaps(probe) for t in held.get(p, []))]
            if not free:
                break
            tenure = attrs.evolve(probe, person=pick(draw, free))
            held.setdefault(tenure.person, []).append(tenure)
            result.append(tenure)
            if end is None or end == shifted(end, 1):  # open, or at the calendar's end
                break
            start = shifted(end, 1 + draw(st.integers(0, 60)))
    return tuple(result)


def tenures(
    people: Sequence[str | ResponsiblePerson] | None = None,
    units: Sequence[str | Unit] | None = None,
    roles: Sequence[str | Role] | None = None,
    period: Period | None = None,
) -> SearchStrategy[tuple[Tenure, ...]]:
    """Tenures of up to four posts (unit × role), no two in one post sharing a day.

    Each post has one to three tenures in a row, starting up to 400 days
    before the period; the last one may be open-ended. One person holds one
    post at a time.

    Parameters
    ----------
    people:
        Persons (or their ids) who may hold the posts; three invented ids if none.
    units:
        Units (or their ids) where the posts are; two invented ids if none.
    roles:
        Roles (or their ids); the built-in roles if none.
    period:
        The period the tenures are placed around; any period if ``None``.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(tenures(people=["p-001"], units=["unit-001"]))
    ... def test_holder(ts): assert all(t.person == "p-001" for t in ts)
    >>> test_holder()

    """
    return draw_tenures(
        ids_of(people) if people else None,
        ids_of(units) if units else None,
        ids_of(roles) if roles else None,
        period,
    )
