"""Adjustments after aggregation: bonuses, extra deductions, vetoes, the floor at zero.

Order: bonus items (each achievement once, at its highest level; capped per
item, then all bonuses together), deduction items (per event, capped),
penalties for evidence marked false,
zero-dimension vetoes, the floor at zero, zero-total vetoes. A cap-grade veto
moves no points: it is recorded for grading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs
import pendulum

from rulelaw.engine._texts import joined, shown
from rulelaw.messages import Message, Text
from rulelaw.model import (
    AdjustmentEvent,
    Bonus,
    ExtraDeduction,
    Period,
    Scheme,
    Veto,
    VetoEffect,
)

__all__ = ["AdjustmentLine", "adjustments_for"]

#: Parts of an adjustment's reason are joined with "; " (in Chinese "；").
_JOIN = "adjust.semicolon-list"


@attrs.frozen
class AdjustmentLine:
    """What an adjustment is, before its points are rounded for display.

    ``reason`` is a :class:`~rulelaw.messages.Message` (``adjust.…`` codes).
    """

    kind: str
    item: str
    reason: Text


def _bonus(item: Bonus, events: list[AdjustmentEvent]) -> tuple[Fraction, Text] | None:
    best: dict[str, tuple[Fraction, str]] = {}
    for event in events:
        points = Fraction(item.levels[event.level])
        if event.achievement not in best or points > best[event.achievement][0]:
            best[event.achievement] = (points, event.level)
    if not best:
        return None
    total = sum((p for p, _ in best.values()), Fraction(0))
    parts = tuple(
        Message.of("adjust.bonus-part", achievement=name, level=level, points=shown(p))
        for name, (p, level) in sorted(best.items())
    )
    once = len(events) > len(best)  # an achievement given more than once
    if item.cap is not None and total > Fraction(item.cap):
        code = "adjust.bonus-once-capped" if once else "adjust.bonus-capped"
        return Fraction(item.cap), Message.of(code, title=item.title, parts=parts, cap=item.cap)
    code = "adjust.bonus-once" if once else "adjust.bonus"
    return total, Message.of(code, title=item.title, parts=parts)


def _event(event: AdjustmentEvent) -> Message:
    """One event as a deduction's reason names it: its date and reason, as far as known."""
    if event.date is not None and event.reason:
        return Message.of("adjust.event-dated", date=event.date, reason=event.reason)
    if event.date is not None:
        return Message.of("adjust.event-date", date=event.date)
    if event.reason:
        return Message.of("adjust.event-reason", reason=event.reason)
    return Message.of("adjust.event")


def _deduction(item: ExtraDeduction, events: list[AdjustmentEvent]) -> tuple[Fraction, Text]:
    lost = Fraction(item.per) * len(events)
    params: dict[str, object] = {
        "title": item.title,
        "count": len(events),
        "per": item.per,
        "events": joined(_JOIN, [_event(e) for e in events]),
    }
    if item.cap is not None and lost > Fraction(item.cap):
        return -Fraction(item.cap), Message.of("adjust.deduction-capped", **params, cap=item.cap)
    return -lost, Message.of("adjust.deduction", **params)


def _veto(veto: Veto, events: Iterable[AdjustmentEvent]) -> Message:
    """The veto as its lines name it: its title, and the events' reasons if any."""
    why = joined(_JOIN, [e.reason for e in events if e.reason])
    if why:
        return Message.of("adjust.veto-why", title=veto.title, why=why)
    return Message.of("adjust.veto", title=veto.title)


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
                    Message.of("adjust.bonus-total-capped", total=shown(bonus_total), cap=cap),
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
        named = _veto(veto, by_item[veto.id])
        if veto.effect is VetoEffect.ZERO_DIMENSION:
            assert veto.dimension is not None
            if veto.dimension not in zeroed:
                zeroed.add(veto.dimension)
                lines.append(
                    (
                        -dimensions.get(veto.dimension, Fraction(0)),
                        AdjustmentLine(
                            "veto",
                            veto.id,
                            Message.of(
                                "adjust.veto-zero-dimension", veto=named, dimension=veto.dimension
                            ),
                        ),
                    )
                )
        elif veto.effect is VetoEffect.CAP_GRADE:
            lines.append(
                (
                    Fraction(0),
                    AdjustmentLine(
                        "veto",
                        veto.id,
                        Message.of("adjust.veto-cap-grade", veto=named, grade=veto.grade),
                    ),
                )
            )

    running = subtotal + sum((p for p, _ in lines), Fraction(0))
    if running < 0 and scheme.scoring.floor_at_zero:
        lines.append((-running, AdjustmentLine("floor", "floor", Message.of("adjust.floor"))))
        running = Fraction(0)
    for veto in vetoes:
        if veto.effect is VetoEffect.ZERO_TOTAL:
            named = _veto(veto, by_item[veto.id])
            lines.append(
                (
                    -running,
                    AdjustmentLine(
                        "veto", veto.id, Message.of("adjust.veto-zero-total", veto=named)
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
    # the period's start and the evaluation date (the text "…" where not known)
    start: object = period.start if period else "…"
    end: object = as_of if as_of else "…"
    noted = list(lines)
    for item_id, events in ignored.items():
        dates = tuple(e.date for e in events if e.date)
        outside = {"dates": dates, "start": start, "end": end}
        for index, (points, line) in enumerate(noted):
            if line.item == item_id:
                reason = Message.of("adjust.also-not-counted", reason=line.reason, **outside)
                noted[index] = (points, attrs.evolve(line, reason=reason))
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
            noted.append(
                (
                    Fraction(0),
                    AdjustmentLine(
                        kind, item_id, Message.of("adjust.not-counted", title=title, **outside)
                    ),
                )
            )
    return noted
