"""Law-report panels: ballots checked, groups aggregated under quorum, reports scored and graded.

For each report rated by a panel:

1. every ballot is checked — a known rater group, a known grade label or a
   number in range, one ballot per rater and group; a rejected ballot is
   named with its file and row;
2. if any ballot was rejected and the panel does not allow partial results,
   the report has no result;
3. each group's valid ballots become points (grade → points, or a number
   scaled to 0 … 100) and are aggregated (mean, trimmed mean dropping the
   ``trim`` highest and lowest, or median) if the group reaches its quorum;
4. the panel score is the weighted mean of the valid groups (a group below
   quorum gives its weight to the others, or leaves no result, as declared);
5. reports are graded on the law-report scale among their peers, under the
   same quotas and tie rules as units.

Also here: coverage — the share of responsible persons who filed each form.

Reasons and methods are :class:`~rulelaw.messages.Message` values
(``panel.…`` and ``ballot.…`` codes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from rulelaw.engine._grade import Candidate, decide
from rulelaw.engine._results import (
    CoverageRow,
    Distribution,
    GroupResult,
    PanelResult,
    RejectedBallot,
)
from rulelaw.engine._texts import shown
from rulelaw.messages import Message, Text
from rulelaw.model import (
    Aggregation,
    AnswerScale,
    Assessment,
    Ballot,
    BelowQuorum,
    LawReport,
    Level,
    Panel,
    RaterGroup,
    ReportForm,
    scale_points,
)
from rulelaw.model.policy import RoundingPolicy

__all__ = ["aggregate_points", "coverage", "panel_results"]


def aggregate_points(
    scale: AnswerScale, points: Sequence[Fraction], words: str = "panel"
) -> tuple[Fraction, Message]:
    """The mean, trimmed mean or median of ``points`` as ``scale`` declares, and its method.

    A rater group's ballots and a survey's answers are aggregated by it
    alike; ``words`` is the prefix of the method's message (``panel.mean``:
    of ballots, ``survey.mean``: of answers).
    """
    ordered = sorted(points)
    n = len(ordered)
    if scale.aggregate is Aggregation.MEDIAN:
        middle = n // 2
        value = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        return value, Message.of(f"{words}.median", n=n)
    if scale.aggregate is Aggregation.TRIMMED:
        k = scale.trim
        kept = ordered[k : n - k]
        value = sum(kept, Fraction(0)) / len(kept)
        return value, Message.of(
            f"{words}.trimmed-mean",
            kept=len(kept),
            trim=k,
            lowest=tuple(shown(p) for p in ordered[:k]),
            highest=tuple(shown(p) for p in ordered[n - k :]),
        )
    return sum(ordered, Fraction(0)) / n, Message.of(f"{words}.mean", n=n)


def _quorum(group: RaterGroup, valid: int) -> Text:
    """Empty when the group reaches its quorum, else why not."""
    if valid < group.quorum:
        return Message.of("panel.below-quorum", valid=valid, quorum=group.quorum)
    if group.quorum_percent is not None and group.raters:
        share = Fraction(valid * 100, group.raters)
        if share < Fraction(group.quorum_percent):
            return Message.of(
                "panel.below-participation",
                valid=valid,
                raters=group.raters,
                share=shown(share),
                quorum_percent=group.quorum_percent,
            )
    return ""


def _check_ballots(
    assessment: Assessment,
) -> tuple[dict[str, list[tuple[RaterGroup, Ballot, Fraction]]], list[RejectedBallot]]:
    reports = {r.id: r for r in assessment.reports}
    accepted: dict[str, list[tuple[RaterGroup, Ballot, Fraction]]] = {}
    rejected: list[RejectedBallot] = []
    seen: set[tuple[str, str, str]] = set()
    counted: dict[tuple[str, str], int] = {}
    for ballot in assessment.ballots:
        report = reports.get(ballot.report)
        panel = (
            assessment.scheme.panel(report.panel)
            if report is not None and report.panel is not None
            else None
        )
        reason: Text = ""
        group = panel.group(ballot.group) if panel is not None else None
        points: Fraction | None = None
        if report is None:
            reason = Message.of("ballot.unknown-report", report=ballot.report)
        elif panel is None:
            reason = Message.of("ballot.no-panel", report=ballot.report)
        elif group is None:
            reason = Message.of(
                "ballot.unknown-group",
                group=ballot.group,
                known=tuple(g.id for g in panel.groups),
            )
        elif (ballot.report, ballot.group, ballot.rater) in seen:
            reason = Message.of("ballot.second", rater=ballot.rater, group=ballot.group)
        else:
            points, reason = scale_points(group, ballot.value)
            full = group.raters is not None and counted.get((ballot.report, group.id), 0) >= (
                group.raters
            )
            if not reason and full:
                points, reason = (
                    None,
                    Message.of("ballot.more-than-invited", raters=group.raters, group=group.id),
                )
        seen.add((ballot.report, ballot.group, ballot.rater))
        if reason or group is None or points is None:
            rejected.append(
                RejectedBallot(
                    origin=ballot.origin,
                    report=ballot.report,
                    group=ballot.group,
                    rater=ballot.rater,
                    value=ballot.value,
                    reason=reason,
                )
            )
            continue
        accepted.setdefault(ballot.report, []).append((group, ballot, points))
        counted[(ballot.report, group.id)] = counted.get((ballot.report, group.id), 0) + 1
    return accepted, rejected


def _score_report(
    report: LawReport,
    panel: Panel,
    ballots: Sequence[tuple[RaterGroup, Ballot, Fraction]],
    rejected: Sequence[RejectedBallot],
    rounding: RoundingPolicy,
) -> tuple[Fraction | None, tuple[GroupResult, ...], Message]:
    groups: list[GroupResult] = []
    valid_scores: list[tuple[Fraction, Fraction]] = []
    invalid: list[str] = []
    for group in panel.groups:
        points = [p for g, _, p in ballots if g.id == group.id]
        why_not = _quorum(group, len(points))
        score: Decimal | None = None
        method: Text = ""
        if why_not:
            invalid.append(group.id)
        else:
            value, method = aggregate_points(group, points)
            valid_scores.append((Fraction(group.weight), value))
            score = rounding.apply(value)
        groups.append(
            GroupResult(
                group=group.id,
                title=group.title,
                stage=group.stage,
                weight=group.weight,
                ballots=len(points),
                invited=group.raters,
                score=score,
                valid=not why_not,
                method=method,
                reason=why_not,
            )
        )
    if rejected and not panel.partial:
        return (
            None,
            tuple(groups),
            Message.of("panel.no-result-rejected", n=len(rejected)),
        )
    if invalid and panel.below_quorum is BelowQuorum.NO_RESULT:
        return (
            None,
            tuple(groups),
            Message.of("panel.no-result-below-quorum", groups=tuple(invalid)),
        )
    if not valid_scores:
        return None, tuple(groups), Message.of("panel.no-result-no-quorum")
    weight = sum((w for w, _ in valid_scores), Fraction(0))
    total = sum((w * s for w, s in valid_scores), Fraction(0)) / weight
    parts = tuple(
        Message.of("panel.group-part", group=g.group, score=g.score, weight=g.weight)
        for g in groups
        if g.valid
    )
    if invalid:
        reason = Message.of("panel.weighted-mean-without", parts=parts, below=tuple(invalid))
    else:
        reason = Message.of("panel.weighted-mean", parts=parts)
    return total, tuple(groups), reason


def panel_results(
    assessment: Assessment,
) -> tuple[tuple[PanelResult, ...], tuple[Distribution, ...], tuple[RejectedBallot, ...]]:
    """Every report rated by a panel, scored and graded; the grade counts; rejected ballots."""
    scheme = assessment.scheme
    rounding = scheme.rounding.level("panel")
    accepted, rejected = _check_ballots(assessment)
    units = {u.id: u for u in assessment.units}
    drafts: list[tuple[PanelResult, Candidate | None]] = []
    policy = scheme.law_reports.grading
    for report in assessment.reports:
        panel = scheme.panel(report.panel) if report.panel is not None else None
        if panel is None:
            continue
        mine = [r for r in rejected if r.report == report.id]
        score, groups, reason = _score_report(
            report, panel, accepted.get(report.id, []), mine, rounding
        )
        unit = units.get(report.unit)
        peer = {
            "panel": panel.id,
            "category": unit.category if unit else "",
            "level": unit.level.value if unit else "",
        }.get(policy.peer_group, panel.id)
        result = PanelResult(
            report=report.id,
            person=report.person,
            unit=report.unit,
            panel=panel.id,
            date=report.date,
            forms=tuple(sorted(f.value for f in report.forms)),
            signed=report.signed,
            score=None if score is None else rounding.apply(score),
            reason=reason,
            groups=groups,
            rejected=tuple(mine),
            peer_group=peer,
        )
        candidate = (
            None
            if score is None
            else Candidate(id=report.id, total=rounding.apply(score), peer_group=peer, exact=score)
        )
        drafts.append((result, candidate))
    candidates = [c for _, c in drafts if c is not None]
    names: dict[str, str] = {}
    if policy.peer_group == "panel":
        names = {p.id: p.title for p in scheme.panels}
    elif policy.peer_group == "category":
        names = {c.id: c.name for c in scheme.categories}
    elif policy.peer_group == "level":
        names = {level.value: level.label for level in Level}
    decisions, distribution = decide(policy, {}, candidates, names)
    results = []
    for result, candidate in drafts:
        if candidate is None:
            results.append(result)
            continue
        decision = decisions[result.report]
        results.append(
            attrs.evolve(
                result,
                grade=decision.grade,
                grade_label=decision.label,
                rank=decision.rank,
                grade_steps=decision.steps,
            )
        )
    return tuple(results), distribution, tuple(rejected)


def _main_units(assessment: Assessment) -> dict[str, str]:
    """Each person in post during the period → the unit they spent most days at."""
    period = assessment.scheme.period
    days: dict[str, dict[str, int]] = {}
    for tenure in assessment.tenures:
        held = tenure.overlap_days(period)
        if held:
            per_unit = days.setdefault(tenure.person, {})
            per_unit[tenure.unit] = per_unit.get(tenure.unit, 0) + held
    return {
        person: min(per_unit, key=lambda u: (-per_unit[u], u)) for person, per_unit in days.items()
    }


def coverage(assessment: Assessment, as_of: pendulum.Date) -> tuple[CoverageRow, ...]:
    """For each form and each level and category: who of the leaders in post filed it.

    A report counts when it is dated between the start of the period and
    ``as_of`` (reports on a year are often given early in the next).
    """
    period = assessment.scheme.period
    units = {u.id: u for u in assessment.units}
    main = _main_units(assessment)
    filed: dict[ReportForm, set[str]] = {form: set() for form in ReportForm}
    for report in assessment.reports:
        if period.start <= report.date <= as_of:
            for form in report.forms:
                filed[form].add(report.person)
    groups: list[tuple[str, str, set[str]]] = []
    by_level: dict[str, set[str]] = {}
    by_category: dict[str, set[str]] = {}
    for person, unit_id in main.items():
        unit = units[unit_id]
        by_level.setdefault(unit.level.value, set()).add(person)
        by_category.setdefault(unit.category, set()).add(person)
    levels = [lv for lv in ("city", "county", "township") if lv in by_level]
    groups.extend(("level", lv, by_level[lv]) for lv in levels)
    groups.extend(
        ("category", c.id, by_category[c.id])
        for c in assessment.scheme.categories
        if c.id in by_category
    )
    if main:
        groups.append(("all", "all", set(main)))
    rows = []
    for form in ReportForm:
        for by, key, people in groups:
            done = people & filed[form]
            rows.append(
                CoverageRow(
                    form=form.value,
                    by=by,
                    group=key,
                    persons=len(people),
                    filed=len(done),
                    share=RoundingPolicy().apply(Fraction(len(done) * 100, len(people))),
                    missing=tuple(sorted(people - done)),
                )
            )
    return tuple(rows)


def reports_by_unit(results: Iterable[PanelResult]) -> Mapping[str, list[PanelResult]]:
    """Panel results grouped by the unit reported for."""
    grouped: dict[str, list[PanelResult]] = {}
    for result in results:
        grouped.setdefault(result.unit, []).append(result)
    return grouped
