"""From unit results to responsible persons: tenure shares, eligibility, duty fulfilment.

For each leader and each post they held during the period: the days in post
(both ends counted, leap years as they come) and the share of the period.
A leader's score is the days-weighted mean of the totals of the units they
led; vetoes of those units apply to the leader too. A leader in post for
less than the scheme's ``people.min_months`` gets no grade (不确定等次),
with the reason, and keeps the score. Duty fulfilment is, per duty of the
role's duty list, the points its evidence indicators scored at the units
led as a share of what they were worth, days-weighted across posts.

The texts (time in post, why not graded, duty reasons) are
:class:`~rulelaw.messages.Message` values (``people.…`` codes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from rulelaw.engine._grade import Candidate, decide, node_points
from rulelaw.engine._results import (
    Distribution,
    DutyResult,
    PersonResult,
    Post,
    PostGap,
    UnitResult,
)
from rulelaw.engine._texts import joined
from rulelaw.messages import Message, Text
from rulelaw.model import Assessment, Period, Scheme, Tenure

__all__ = ["attribute_people", "post_gaps", "time_in_post"]


def _clip(tenure: Tenure, period: Period) -> tuple[pendulum.Date, pendulum.Date] | None:
    start = max(tenure.start, period.start)
    end = period.end if tenure.end is None else min(tenure.end, period.end)
    return (start, end) if start <= end else None


def _merge(
    spans: Iterable[tuple[pendulum.Date, pendulum.Date]],
) -> list[tuple[pendulum.Date, pendulum.Date]]:
    merged: list[tuple[pendulum.Date, pendulum.Date]] = []
    for start, end in sorted(spans):
        if merged and (start - merged[-1][1]).days <= 1:  # overlapping or next day
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def time_in_post(spans: Iterable[tuple[pendulum.Date, pendulum.Date]]) -> tuple[int, int]:
    """Whole calendar months and remaining days in post over the spans (ends included).

    The spans are merged, then laid end to end from the first one's first
    day, so that days carry into months; 2024-07-01 … 2024-12-31 is exactly
    6 months, 0 days.

    >>> time_in_post([(pendulum.Date(2024, 7, 1), pendulum.Date(2024, 12, 31))])
    (6, 0)
    """
    merged = _merge(spans)
    if not merged:
        return 0, 0
    # Spans apart are laid end to end from the first day, so days carry into months.
    total = sum((end - start).days + 1 for start, end in merged)
    # The calendar repeats every 400 years (146,097 days, 4,800 months): whole cycles are
    # counted apart and the rest laid from the same day of a year early in the calendar,
    # so that no date near the calendar's end (9999-12-31) is overstepped.
    cycles, rest = divmod(total, _CYCLE_DAYS)
    first = merged[0][0]
    start = pendulum.Date(1 + (first.year - 1) % 400, first.month, first.day)
    after = start.add(days=rest)
    months = (after - start).in_months()
    return cycles * _CYCLE_MONTHS + months, (after - start.add(months=months)).days


_CYCLE_DAYS = 146_097
_CYCLE_MONTHS = 4_800


def _describe_time(months: int, days: int) -> Message:
    return Message.of("people.time-in-post", months=months, days=days)


def post_gaps(assessment: Assessment) -> tuple[PostGap, ...]:
    """Spans of the period in which a post (a role at a unit) that anyone held stood empty."""
    period = assessment.scheme.period
    spans: dict[tuple[str, str], list[tuple[pendulum.Date, pendulum.Date]]] = {}
    for tenure in assessment.tenures:
        spans.setdefault((tenure.unit, tenure.role), [])
        clipped = _clip(tenure, period)
        if clipped is not None:
            spans[(tenure.unit, tenure.role)].append(clipped)
    gaps: list[PostGap] = []
    for (unit, role), held in sorted(spans.items()):
        cursor = period.start  # the first day not known to be covered
        to_the_end = False  # (a span ending on the period's last day: no day after it to step to)
        for start, end in _merge(held):
            if start > cursor:
                last = start.subtract(days=1)
                gaps.append(
                    PostGap(
                        unit=unit, role=role, start=cursor, end=last, days=(last - cursor).days + 1
                    )
                )
            if end >= period.end:
                to_the_end = True
                break
            cursor = max(cursor, end.add(days=1))
        if not to_the_end:
            gaps.append(
                PostGap(
                    unit=unit,
                    role=role,
                    start=cursor,
                    end=period.end,
                    days=(period.end - cursor).days + 1,
                )
            )
    return tuple(gaps)


def _percent_of(points: Fraction, worth: Fraction) -> Fraction:
    return points / worth * 100


def _duties(
    scheme: Scheme,
    posts: Sequence[tuple[Post, UnitResult]],
) -> tuple[tuple[DutyResult, ...], Fraction | None]:
    rounding = scheme.rounding
    results: list[DutyResult] = []
    weighed: list[tuple[Fraction, Fraction]] = []
    for role in dict.fromkeys(p.role for p, _ in posts):
        duty_list = scheme.duty_list(role)
        if duty_list is None:
            continue
        held = [(p, u) for p, u in posts if p.role == role]
        for duty in duty_list.duties:
            parts: list[tuple[int, Fraction]] = []
            notes: list[Text] = []
            for post, unit in held:
                lines = [r for r in unit.indicators if r.indicator in duty.indicators]
                worth = sum((Fraction(r.effective_weight) for r in lines), Fraction(0))
                if not worth:
                    notes.append(Message.of("people.duty-nothing-scored", unit=post.unit))
                    continue
                points = sum((Fraction(r.points) for r in lines), Fraction(0))
                unit_rate = _percent_of(points, worth)
                parts.append((post.days, unit_rate))
                notes.append(
                    Message.of(
                        "people.duty-at-unit",
                        unit=post.unit,
                        days=post.days,
                        indicators=tuple(r.indicator for r in lines),
                        rate=rounding.apply(unit_rate),
                    )
                )
            weight = duty_list.weight_of(duty)
            role_days = sum(p.days for p, _ in held)
            if parts:
                days = sum(d for d, _ in parts)
                rate_exact = sum((Fraction(d) * r for d, r in parts), Fraction(0)) / days
                rate: Decimal | None = rounding.apply(rate_exact)
                # across roles, each role's duties weigh by the days the role was held
                weighed.append((Fraction(weight) * role_days, rate_exact))
            else:
                rate = None
                if not duty.indicators:
                    notes = [Message.of("people.duty-no-indicators")]
            flagged = rate is not None and rate < duty_list.flag_below
            reason = joined("people.duty-notes", notes)
            if flagged:
                reason = Message.of(
                    "people.duty-below", notes=reason, flag_below=duty_list.flag_below
                )
            results.append(
                DutyResult(
                    role=role,
                    duty=duty.id,
                    title=duty.title,
                    group=duty.group,
                    weight=rounding.apply(Fraction(weight)),
                    rate=rate,
                    flagged=flagged,
                    indicators=duty.indicators,
                    reason=reason,
                )
            )
    total_weight = sum((w for w, _ in weighed), Fraction(0))
    fulfilment = (
        sum((w * r for w, r in weighed), Fraction(0)) / total_weight if total_weight else None
    )
    return tuple(results), fulfilment


def attribute_people(
    assessment: Assessment, units: Sequence[UnitResult]
) -> tuple[tuple[PersonResult, ...], tuple[Distribution, ...]]:
    """Every leader who held a post during the period, graded and ranked as the scheme says."""
    scheme = assessment.scheme
    policy = scheme.people
    period = scheme.period
    rounding = scheme.rounding
    by_unit = {u.unit: u for u in units}
    role_names = {r.id: r.name for r in scheme.all_roles}
    role_order = [r.id for r in scheme.all_roles]
    tenures: dict[str, list[Tenure]] = {}
    for tenure in assessment.tenures:
        tenures.setdefault(tenure.person, []).append(tenure)

    drafts: list[tuple[PersonResult, Candidate]] = []
    for person in assessment.people:
        held: list[tuple[Post, UnitResult]] = []
        spans = []
        for tenure in sorted(tenures.get(person.id, []), key=lambda t: (t.start, t.unit, t.role)):
            clipped = _clip(tenure, period)
            if clipped is None:
                continue
            spans.append(clipped)
            unit = by_unit[tenure.unit]
            days = tenure.overlap_days(period)
            held.append(
                (
                    Post(
                        unit=unit.unit,
                        unit_name=unit.name,
                        role=tenure.role,
                        role_name=role_names.get(tenure.role, tenure.role),
                        start=tenure.start,
                        end=tenure.end,
                        days=days,
                        share=rounding.apply(Fraction(days * 100, period.days)),
                        total=unit.total,
                        grade=unit.grade_label,
                        rank=unit.rank,
                        peer_group=unit.peer_group,
                    ),
                    unit,
                )
            )
        if not held:
            continue
        post_days = sum(p.days for p, _ in held)  # posts held at once each count (weights)
        days_in_post = sum((end - start).days + 1 for start, end in _merge(spans))
        score_exact = sum((Fraction(p.days) * Fraction(u.total) for p, u in held), Fraction(0))
        score_exact /= post_days
        by_role: dict[str, int] = {}
        for post, _ in held:
            by_role[post.role] = by_role.get(post.role, 0) + post.days
        main_role = min(by_role, key=lambda r: (-by_role[r], role_order.index(r)))
        main_post, main_unit = min(
            (pu for pu in held if pu[0].role == main_role),
            key=lambda pu: (-pu[0].days, pu[0].start),
        )
        months, extra = time_in_post(spans)
        described = _describe_time(months, extra)
        enough = (months, extra) > (policy.min_months, 0) or (
            (months, extra) == (policy.min_months, 0) and policy.exactly_min_eligible
        )
        not_graded: Text = (
            ""
            if enough
            else Message.of("people.too-short", time=described, min_months=policy.min_months)
        )
        if (months, extra) == (policy.min_months, 0) and not policy.exactly_min_eligible:
            not_graded = Message.of("people.exactly-minimum", min_months=policy.min_months)
        duties, fulfilment = _duties(scheme, held)
        peer_group = {
            "role": main_role,
            "category": main_unit.category,
            "level": main_unit.level,
        }.get(policy.grading.peer_group, main_role)
        vetoes = tuple(dict.fromkeys(v for _, u in held for v in u.vetoes))
        tie_values = tuple(
            rounding.apply(
                sum((Fraction(p.days) * Fraction(node_points(u, n)) for p, u in held), Fraction(0))
                / post_days
            )
            for n in policy.grading.tie_break
        )
        score = rounding.apply(score_exact)
        result = PersonResult(
            person=person.id,
            name=person.name,
            roles=tuple(by_role),
            main_role=main_role,
            main_unit=main_post.unit,
            posts=tuple(p for p, _ in held),
            days_in_post=days_in_post,
            time_in_post=described,
            eligible=not not_graded,
            not_graded=not_graded,
            score=score,
            peer_group=peer_group,
            vetoes=vetoes,
            duties=duties,
            fulfilment=None if fulfilment is None else rounding.apply(fulfilment),
            flagged=tuple(d.duty for d in duties if d.flagged),
            attributes=person.attributes,
        )
        candidate = Candidate(
            id=person.id,
            total=score,
            peer_group=peer_group,
            not_graded=not_graded,
            vetoes=vetoes,
            tie_values=tie_values,
            exact=score_exact,
        )
        drafts.append((result, candidate))

    names: Mapping[str, str] = {}
    if policy.grading.peer_group == "role":
        names = {r: role_names[r] for r in role_order}
    elif policy.grading.peer_group == "category":
        names = {c.id: c.name for c in scheme.categories}
    decisions, distribution = decide(
        policy.grading, {v.id: v for v in scheme.vetoes}, [c for _, c in drafts], names
    )
    people = tuple(
        attrs.evolve(
            result,
            grade=decision.grade,
            grade_label=decision.label,
            rank=decision.rank,
            rank_overall=decision.rank_overall,
            grade_steps=decision.steps,
        )
        for result, _ in drafts
        for decision in (decisions[result.person],)
    )
    return people, distribution
