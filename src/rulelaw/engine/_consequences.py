"""The scheme's consequences each leader's results meet: recommendations, with their reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from rulelaw.engine._results import PanelResult, PersonResult, Recommendation, UnitResult
from rulelaw.messages import Message
from rulelaw.model import Consequence, Scheme

__all__ = ["recommend"]


def recommend(
    scheme: Scheme,
    people: Sequence[PersonResult],
    panels: Sequence[PanelResult],
    units: Sequence[UnitResult],
) -> tuple[PersonResult, ...]:
    """``people`` with the consequences of ``scheme`` each one's results meet."""
    if not scheme.consequences:
        return tuple(people)
    reports: dict[str, list[PanelResult]] = {}
    for report in panels:
        reports.setdefault(report.person, []).append(report)
    vetoes = {u.unit: u.vetoes for u in units}
    return tuple(
        attrs.evolve(
            person,
            recommendations=tuple(
                Recommendation(consequence=c.id, title=c.title, reason=reason)
                for c in scheme.consequences
                for reason in (_met(c, person, reports.get(person.person, []), vetoes),)
                if reason is not None
            ),
        )
        for person in people
    )


def _met(
    consequence: Consequence,
    person: PersonResult,
    reports: Sequence[PanelResult],
    vetoes: Mapping[str, tuple[str, ...]],
) -> Message | None:
    """Why the person meets every condition of ``consequence``, or ``None`` if one fails."""
    when = consequence.when
    why: list[Message] = []
    if when.grade is not None:
        if person.grade not in when.grade:
            return None
        why.append(Message.of("consequence.because-grade", grade=person.grade_label or ""))
    if when.report_grade is not None:
        graded = [r for r in reports if r.grade in when.report_grade]
        if not graded:
            return None
        why.extend(
            Message.of("consequence.because-report", report=r.report, grade=r.grade_label or "")
            for r in graded
        )
    if when.vetoed is not None:
        led = tuple(dict.fromkeys(v for post in person.posts for v in vetoes.get(post.unit, ())))
        if bool(led) is not when.vetoed:
            return None
        why.append(
            Message.of("consequence.because-vetoed", vetoes=led)
            if led
            else Message.of("consequence.because-no-veto")
        )
    if when.not_graded is not None:
        if (not person.eligible or person.grade is None) is not when.not_graded:
            return None
        why.append(
            Message.of("consequence.because-not-graded")
            if when.not_graded
            else Message.of("consequence.because-graded")
        )
    if when.flagged is not None:
        if bool(person.flagged) is not when.flagged:
            return None
        why.append(
            Message.of("consequence.because-flagged", duties=person.flagged)
            if person.flagged
            else Message.of("consequence.because-no-flag")
        )
    return Message.of("consequence.because", parts=tuple(why))
