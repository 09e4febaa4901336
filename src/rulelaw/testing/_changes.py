"""One-line assertions about a change to a scheme, over a :class:`~rulelaw.analysis.Comparison`.

Each fails with an :class:`AssertionError` listing every offending unit with
its before and after and why it moved, so a failing test explains itself::

    cmp = rulelaw.compare_schemes(old, new, assessment)
    assert_no_grade_moves(cmp, more_than=1)
    assert_ranks_within(cmp, 3)
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rulelaw.analysis import Comparison, UnitChange
from rulelaw.messages import Message
from rulelaw.model import decimal_text

__all__ = [
    "assert_no_grade_moves",
    "assert_ranks_within",
    "assert_totals_within",
    "assert_unchanged",
]


def _line(u: UnitChange) -> str:
    total = f"{_text(u.total_before)} → {_text(u.total_after)}"
    ungraded = Message.of("compare.not-graded")
    before, after = u.grade_label_before or ungraded, u.grade_label_after or ungraded
    grade = before if before == after else f"{before} → {after}"
    why = "; ".join(u.causes) or "no cause found"
    rank = (
        str(u.rank_before) if u.rank_before == u.rank_after else f"{u.rank_before} → {u.rank_after}"
    )
    return f"  {u.unit} {u.name}: total {total}, rank {rank}, grade {grade} ({why})"


def _text(value: Decimal | None) -> str:
    return "—" if value is None else decimal_text(value)


def _fail(what: str, units: Iterable[UnitChange]) -> None:
    found = list(units)
    if found:
        raise AssertionError(
            f"{what}: {len(found)} unit{'s' if len(found) != 1 else ''}\n"
            + "\n".join(map(_line, found))
        )


def assert_no_grade_moves(comparison: Comparison, *, more_than: int = 0) -> None:
    """No unit's grade moves more than ``more_than`` steps, up or down (0: none moves).

    A unit graded on one side only (不确定等次) counts as a move of any size.
    """
    _fail(
        f"grades moved more than {more_than} step{'s' if more_than != 1 else ''}",
        (
            u
            for u in comparison.units
            if u.presence == "both"
            and (
                abs(u.grade_steps) > more_than
                or (u.grade_before is None) != (u.grade_after is None)
            )
        ),
    )


def assert_ranks_within(comparison: Comparison, places: int) -> None:
    """No unit's rank in its peer group moves by more than ``places``."""
    _fail(
        f"ranks moved by more than {places}",
        (u for u in comparison.units if abs(u.rank_change) > places),
    )


def assert_totals_within(comparison: Comparison, delta: Decimal | int | str) -> None:
    """No unit's total changes by more than ``delta`` points, up or down."""
    limit = Decimal(delta)
    _fail(
        f"totals changed by more than {decimal_text(limit)}",
        (u for u in comparison.units if abs(u.delta) > limit),
    )


def assert_unchanged(comparison: Comparison, units: Iterable[str] | None = None) -> None:
    """The units named (every unit when ``None``) keep their total, grade and rank."""
    wanted = None if units is None else set(units)
    if wanted is not None:
        known = {u.unit for u in comparison.units}
        unknown = sorted(wanted - known)
        if unknown:
            raise AssertionError(f"no such units in the comparison: {', '.join(unknown)}")
    _fail(
        "changed",
        (u for u in comparison.units if u.moved and (wanted is None or u.unit in wanted)),
    )
