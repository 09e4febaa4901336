"""Adjustments after aggregation: bonuses, extra deductions, vetoes, the floor at zero.

Order: bonus items (each achievement once, at its highest level; capped per
item, then all bonuses together), deduction items (per event, capped),
penalties for evidence marked false,
zero-dimension vetoes, the floor at zero, zero-total vetoes. A cap-grade veto
moves no points: it is recorded for grading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from rulelaw.engine._results import Adjustment
from rulelaw.model import (
    AdjustmentEvent,
    Bonus,
    ExtraDeduction,
    Period,
    RoundingPolicy,
    Scheme,
    Veto,
    VetoEffect,
    fmt,
)

__all__ = ["AdjustmentLine", "adjustments_for", "rounding_adjustment"]


@attrs.frozen
class AdjustmentLine:
    """What an adjustment is, before its points are rounded for display."""

    kind: str
    item: str
    reason: str


def _bonus(item: Bonus, events: list[AdjustmentEvent]) -> tuple[Fraction, str] | None:
    best: dict[str, tuple[Fraction, str]] = {}
    for event in events:
        points = Fraction(item.levels[event.level])
        if event.achievement not in best or points > best[event.achievement][0]:
            best[event.achievement] = (points, event.level)
    if not best:
        return None
    total = sum((p for p, _ in best.values()), Fraction(0))
    parts = ", ".join(f"{name} ({level} +{fmt(p)})" for name, (p, level) in sorted(best.items()))
    reason = f"{item.title}: {parts}"
    if len(events) > len(best):
        reason += "; each achievement counted once, at its highest level"
    if item.cap is not None and total > Fraction(item.cap):
        total = Fraction(item.cap)
        reason += f"; capped at {item.cap}"
    return total, reason


def _deduction(item: ExtraDeduction, events: list[AdjustmentEvent]) -> tuple[Fraction, str]:
    lost = Fraction(item.per) * len(events)
    details = "; ".join(
        " ".join(p for p in ((e.date.isoformat() if e.date else ""), e.reason) if p) or "event"
        for e in events
    )
    reason = f"{item.title}: {len(events)} × −{item.per} ({details})"
    if item.cap is not None and lost > Fraction(item.cap):
        lost = Fraction(item.cap)
        reason += f"; capped at −{item.cap}"
    return -lost, reason


def _event_order(event: AdjustmentEvent) -> tuple[str, str, str, str, str]:
    day = event.date.isoformat() if event.date else ""
    return (day, event.achievement, event.level, event.reason, event.source)


def adjustments_for(
    scheme: Scheme,
    events: Iterable[AdjustmentEvent],
    subtotal: Fraction,
    dimensions: Mapping[str, Fraction],
    penalties: Iterable[tuple[Fraction, AdjustmentLine]] = (),
    *,
    period: Period | None = None,
    as_of: pendulum.Date | None = None,
) -> tuple[list[tuple[Fraction, AdjustmentLine]], tuple[str, ...]]:
    """The adjustment lines of one unit (exact points first) and the ids of its vetoes.

    ``penalties`` are the deductions for evidence marked false, placed after
    the declared deduction items. A dated event counts when it falls between
    the start of ``period`` and ``as_of`` (an award announced, or a report
    filed late, after the year but before the evaluation still counts); the
    others are named in the explanation and count nothing.
    """
    by_item: dict[str, list[AdjustmentEvent]] = {}
    ignored: dict[str, list[AdjustmentEvent]] = {}
    # Sorted, so that the order of rows in the file never changes a reason's text.
    for event in sorted(events, key=_event_order):
        counts = event.date is None or (
            (period is None or event.date >= period.start)
            and (as_of is None or event.date <= as_of)
        )
        (by_item if counts else ignored).setdefault(event.item, []).append(event)
    lines: list[tuple[Fraction, AdjustmentLine]] = []

    bonus_total = Fraction(0)
    for bonus in scheme.bonuses:
        found = _bonus(bonus, by_item.get(bonus.id, []))
        if found is not None:
            points, reason = found
            bonus_total += points
            lines.append((points, AdjustmentLine("bonus", bonus.id, reason)))
    cap = scheme.scoring.bonus_cap
    if cap is not None and bonus_total > Fraction(cap):
        lines.append(
            (
                Fraction(cap) - bonus_total,
                AdjustmentLine(
                    "bonus",
                    "bonus-cap",
                    f"bonuses add up to {fmt(bonus_total)}; all bonuses together are capped at "
                    f"{cap}",
                ),
            )
        )

    for deduction in scheme.deductions:
        happened = by_item.get(deduction.id, [])
        if happened:
            points, reason = _deduction(deduction, happened)
            lines.append((points, AdjustmentLine("deduction", deduction.id, reason)))
    lines.extend(penalties)

    vetoes: list[Veto] = [v for v in scheme.vetoes if by_item.get(v.id)]
    zeroed: set[str] = set()
    for veto in vetoes:
        why = "; ".join(e.reason for e in by_item[veto.id] if e.reason)
        title = veto.title + (f" ({why})" if why else "")
        if veto.effect is VetoEffect.ZERO_DIMENSION:
            assert veto.dimension is not None
            if veto.dimension not in zeroed:
                zeroed.add(veto.dimension)
                lines.append(
                    (
                        -dimensions.get(veto.dimension, Fraction(0)),
                        AdjustmentLine(
                            "veto", veto.id, f"{title}: dimension {veto.dimension} scores 0"
                        ),
                    )
                )
        elif veto.effect is VetoEffect.CAP_GRADE:
            lines.append(
                (
                    Fraction(0),
                    AdjustmentLine(
                        "veto", veto.id, f"{title}: grade capped at {veto.grade!r} when graded"
                    ),
                )
            )

    running = subtotal + sum((p for p, _ in lines), Fraction(0))
    if running < 0 and scheme.scoring.floor_at_zero:
        lines.append(
            (-running, AdjustmentLine("floor", "floor", "the total is kept from going below 0"))
        )
        running = Fraction(0)
    for veto in vetoes:
        if veto.effect is VetoEffect.ZERO_TOTAL:
            why = "; ".join(e.reason for e in by_item[veto.id] if e.reason)
            lines.append(
                (
                    -running,
                    AdjustmentLine(
                        "veto",
                        veto.id,
                        veto.title + (f" ({why})" if why else "") + ": the total scores 0",
                    ),
                )
            )
            running = Fraction(0)
    if ignored:
        lines = _note_ignored(scheme, lines, ignored, period, as_of)
    return lines, tuple(v.id for v in vetoes)


def _note_ignored(
    scheme: Scheme,
    lines: list[tuple[Fraction, AdjustmentLine]],
    ignored: Mapping[str, list[AdjustmentEvent]],
    period: Period | None,
    as_of: pendulum.Date | None,
) -> list[tuple[Fraction, AdjustmentLine]]:
    """Name the events that did not count, on their item's line (or a line of 0 points)."""
    start = period.start.isoformat() if period else "…"
    end = as_of.isoformat() if as_of else "…"
    noted = list(lines)
    for item_id, events in ignored.items():
        dates = ", ".join(e.date.isoformat() for e in events if e.date)
        note = f"not counted: dated {dates}, outside {start} … {end}"
        for index, (points, line) in enumerate(noted):
            if line.item == item_id:
                noted[index] = (points, attrs.evolve(line, reason=f"{line.reason}; {note}"))
                break
        else:
            item = scheme.adjustment_item(item_id)
            kind = (
                "bonus"
                if isinstance(item, Bonus)
                else "veto"
                if isinstance(item, Veto)
                else "deduction"
            )
            title = item.title if item is not None else item_id
            noted.append((Fraction(0), AdjustmentLine(kind, item_id, f"{title}: {note}")))
    return noted


def rounding_adjustment(difference: Decimal, rounding: RoundingPolicy) -> Adjustment:
    """The ``rounding`` line that makes a unit's shown indicator points add up to its total."""
    return Adjustment(
        kind="rounding",
        item="rounding",
        points=difference,
        reason=f"indicator points are shown rounded to {rounding.places} places "
        f"({rounding.mode.value}); this line makes them add up to the total",
    )
