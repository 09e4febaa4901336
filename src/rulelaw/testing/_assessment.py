"""Assessments under a scheme: the roster, evidence, and every other input the scheme reads.

What a scheme needs is worked out once, when the strategy is made
(:class:`_Plan`): its rules compiled, the evidence-fed indicators of each
category with the values their rules score, the cap a panel's ballots must
keep so that a ``given-score`` fed by it stays on its scale, the due days of
filings. A draw then only chooses.

Draws shrink toward few units and simple inputs: the units are a list, each
unit with its evidence rows, so that a shrink drops a unit with everything
it holds; a unit's record is chosen whole first (none, perfect, or row by
row), so that it shrinks in a step or two; and each remaining choice's
simplest value is the plainest case (no row, no person, no report, a
group's quorum of ballots, no problem, no filing, a value that earns full
points).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from functools import cached_property
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from rulelaw.convert import shared_converter
from rulelaw.model import (
    EXACT,
    AdjustmentEvent,
    AnnualReportFiling,
    Assessment,
    Ballot,
    BallotScale,
    Bonus,
    Evidence,
    ExtraDeduction,
    LawReport,
    NotApplicable,
    NotSubmitted,
    Observation,
    ObservedValue,
    Panel,
    Problem,
    ProblemSource,
    ProblemStatus,
    RaterGroup,
    ReportForm,
    Scheme,
    StatusChange,
    SurveyAnswer,
    Tenure,
    Unit,
    Veto,
)
from rulelaw.rules import Registry, RuleKind, default_registry
from rulelaw.rules.kinds import Deadline, GivenScore
from rulelaw.testing._common import SOURCES, dates, near, part_of, reasons, shifted
from rulelaw.testing._evidence import Fit, fitting_values
from rulelaw.testing._roster import PERSON_DRAFTS, draw_tenures, pick, unit_drafts
from rulelaw.testing._scheme import schemes

__all__ = ["assessments"]

_MAX_UNITS = 5
_MAX_PEOPLE = 4
_ACHIEVEMENTS = ("依法行政示范项目", "法治乡村建设项目")
_PROBLEMS = ("重大行政决策目录未公开", "执法案卷不规范", "法律顾问未配备")
_MEASURES_TAKEN = ("", "限期整改", "集中整改并复查")
_STEP_REASONS = ("复查发现问题反弹", "整改与验收同日完成")

_Item = Bonus | ExtraDeduction | Veto

_CHOICE = st.integers(0, 9)
_REPORTED = st.integers(0, 3).map(bool)  # three in four; shrinks to False
_RATED = st.integers(0, 3).map(lambda n: n < 3)  # three in four; shrinks to True
_REASONS = reasons()
_SOURCES = st.sampled_from(SOURCES)
_FORMS = st.lists(st.sampled_from(ReportForm), min_size=1, unique=True)
_PROBLEM_SOURCES = st.sampled_from(ProblemSource)
_DESCRIPTIONS = st.sampled_from(_PROBLEMS)
_MEASURES = st.sampled_from(_MEASURES_TAKEN)
_STEPS = st.sampled_from((1, 1, 1, 2, -1))  # forward, mostly one stage at a time
_STEP_REASON = st.sampled_from(_STEP_REASONS)
_ACHIEVEMENT = st.sampled_from(_ACHIEVEMENTS)


@attrs.frozen(eq=False, slots=False)  # slots=False: for the cached strategy
class _Plan:
    """What drawing an assessment under ``scheme`` needs, worked out (and its strategies made) once.

    Every strategy a draw uses is made here or at module level: hypothesis
    checks each new strategy object the first time it draws from it, and
    making them in every draw would cost more than the drawing itself.
    """

    scheme: Scheme
    #: per category: the evidence-fed indicators that apply, with the values their rules score
    fed: Mapping[str, tuple[tuple[str, Fit], ...]]
    #: per category: the evidence-fed indicators that do not apply (at most "not applicable")
    elsewhere: Mapping[str, tuple[str, ...]]
    units: SearchStrategy[Unit]
    #: the source and date of a unit's evidence rows
    stamps: SearchStrategy[tuple[str, Any]]
    roles: tuple[str, ...]
    #: per panel and rater group: its valid ballots (``None``: none is low enough)
    ballots: Mapping[str, Mapping[str, SearchStrategy[str] | None]]
    #: per panel and rater group: how many ballots it gets
    ballot_counts: Mapping[str, Mapping[str, SearchStrategy[int]]]
    report_days: SearchStrategy[Any]
    #: whether the scheme reads the rectification ledger
    problems: bool
    #: the days an annual report is submitted and published (``None``: filings not read)
    filing_days: tuple[SearchStrategy[Any], SearchStrategy[Any]] | None
    days: SearchStrategy[Any]
    items: tuple[_Item, ...]

    @cached_property
    def units_with_evidence(self) -> SearchStrategy[list[tuple[Unit, list[Observation]]]]:
        """One to five units, each with its evidence rows."""
        return st.lists(_unit_with_evidence(self), min_size=1, max_size=_MAX_UNITS)


def _plan(scheme: Scheme, registry: Registry | None) -> _Plan:
    kinds = registry or default_registry()
    rules = kinds.compile_scheme(scheme.indicators, shared_converter())
    typed = [i for i in scheme.indicators if i.evidence_from is None]
    values = {
        i.id: fitting_values(i, rules[i.id], scheme.period, kinds.contract(rules[i.id]))
        for i in typed
    }
    peer = scheme.grading.peer_group
    sources = {i.evidence_from for i in scheme.indicators}
    caps = _ballot_caps(scheme, rules)
    filing_days = None
    if sources & {"filing:submitted", "filing:published"}:
        submit_by, publish_by = _filing_dues(scheme, rules)
        filing_days = (st.none() | near(submit_by, 20, 40), st.none() | near(publish_by, 20, 40))
    return _Plan(
        scheme=scheme,
        fed={
            c.id: tuple((i.id, values[i.id]) for i in typed if i.applies_to(c.id))
            for c in scheme.categories
        },
        elsewhere={
            c.id: tuple(i.id for i in typed if not i.applies_to(c.id)) for c in scheme.categories
        },
        units=unit_drafts(
            [c.id for c in scheme.categories],
            None if peer in ("category", "level") else peer,
        ),
        stamps=st.tuples(_SOURCES, st.none() | dates(within=scheme.period)),
        roles=tuple(r.id for r in scheme.all_roles),
        ballots={
            p.id: {g.id: _ballot_values(g, caps[p.id]) for g in p.groups} for p in scheme.panels
        },
        ballot_counts={p.id: {g.id: _ballot_count(g) for g in p.groups} for p in scheme.panels},
        report_days=near(scheme.period.end, 60, 60),
        problems="problems" in sources,
        filing_days=filing_days,
        days=st.none() | dates(within=scheme.period),
        items=(*scheme.bonuses, *scheme.deductions, *scheme.vetoes),
    )


def _ballot_caps(scheme: Scheme, rules: Mapping[str, RuleKind]) -> dict[str, Decimal | None]:
    """The most points (0 … 100) a ballot of each panel may give (``None``: no limit).

    A panel's score feeds the indicators that take their evidence from law
    reports (of any panel, or of this one). A ``given-score`` rule refuses a
    score above its ``out_of``: the ballots then stay at or below it, on the
    rounding grid, so that neither the means nor their rounding go above.
    """
    grid = scheme.rounding.level("panel").quantum
    caps: dict[str, Decimal | None] = {}
    for panel in scheme.panels:
        cap: Decimal | None = None
        for indicator in scheme.indicators:
            if indicator.evidence_from not in ("law-report", f"law-report:{panel.id}"):
                continue
            rule = rules[indicator.id]
            if isinstance(rule, GivenScore) and rule.out_of < 100:
                top = rule.out_of.quantize(grid, rounding=ROUND_FLOOR, context=EXACT)
                cap = top if cap is None else min(cap, top)
        caps[panel.id] = cap
    return caps


def _filing_dues(scheme: Scheme, rules: Mapping[str, RuleKind]) -> tuple[Any, Any]:
    """The due days of submitting and publishing the annual report (the period's end if none)."""
    dues: dict[str, Any] = {}
    for indicator in scheme.indicators:
        rule = rules[indicator.id]
        if indicator.evidence_from and isinstance(rule, Deadline):
            dues.setdefault(indicator.evidence_from, rule.due)
    submitted = dues.get("filing:submitted", scheme.period.end)
    return submitted, dues.get("filing:published", submitted)


def _ballot_count(group: RaterGroup) -> SearchStrategy[int]:
    """How many raters of a group vote: mostly its quorum or a few more, shrinking to the quorum.

    Never more than the raters invited; now and then fewer than the quorum.
    """
    most = group.quorum + 2
    if group.raters is not None:
        most = min(most, group.raters)
    enough = range(min(group.quorum, most), most + 1)
    return st.sampled_from([*enough, *range(min(group.quorum, most))])


def _ballot_values(group: RaterGroup, cap: Decimal | None) -> SearchStrategy[str] | None:
    """Valid ballots of a rater group worth at most ``cap`` points; ``None`` if none is."""
    if group.ballot is BallotScale.GRADES:
        labels = [label for label, points in group.grades.items() if cap is None or points <= cap]
        return st.sampled_from(labels) if labels else None
    # numbers from min to max are scaled to 0 … 100: at most ``cap`` of the way
    top = 100 if cap is None else int(min(cap, Decimal(100)))
    low, high = group.min, group.max
    return st.integers(0, top).map(lambda t: format(part_of(low, high, t), "f"))


# -- units and their evidence -------------------------------------------------------------


@st.composite
def _unit_with_evidence(draw: st.DrawFn, plan: _Plan) -> tuple[Unit, list[Observation]]:
    """A unit (its id ``unit-000``, replaced later) and its evidence rows.

    First a record is chosen whole: no evidence at all (the simplest), a
    perfect record (each indicator's best value), or one row at a time. A
    row is absent (the simplest), the best value, not applicable, not
    submitted, or a value drawn. So a shrink reaches a plain record in a step
    or two, not one indicator at a time.
    """
    unit = draw(plan.units)
    source, day = draw(plan.stamps)
    fed = plan.fed[unit.category]
    record = draw(_CHOICE)
    found: list[tuple[str, ObservedValue]] = []
    if record == 1:
        found = [(indicator, fit.best) for indicator, fit in fed if fit.best is not None]
    elif record > 1:
        for indicator, fit in fed:
            choice = draw(_CHOICE)
            value: ObservedValue
            if choice == 1 and fit.best is not None:
                value = fit.best
            elif choice <= 1:  # no row (also for a best value the rule would refuse)
                continue
            elif choice == 2:
                value = NotApplicable(reason=draw(_REASONS))
            elif choice == 3:
                value = NotSubmitted(reason=draw(_REASONS))
            else:
                value = draw(fit.values)
            found.append((indicator, value))
        # Only an explicit "not applicable" may be given for an indicator that does not apply.
        found.extend(
            (indicator, NotApplicable())
            for indicator in plan.elsewhere[unit.category]
            if draw(_CHOICE) == 9
        )
    rows = [
        Observation(unit=unit.id, indicator=indicator, value=value, source=source, date=day)
        for indicator, value in found
    ]
    return unit, rows


def _units_and_evidence(draw: st.DrawFn, plan: _Plan) -> tuple[list[Unit], list[Observation]]:
    units: list[Unit] = []
    found: list[Observation] = []
    for number, (draft, rows) in enumerate(draw(plan.units_with_evidence), start=1):
        unit_id = f"unit-{number:03d}"
        # A parent is always an earlier unit, so the unit tree has no cycle.
        parent = None
        if units:
            at = draw(st.integers(0, len(units)))
            parent = units[at - 1].id if at else None
        units.append(attrs.evolve(draft, id=unit_id, parent=parent))
        found.extend(attrs.evolve(row, unit=unit_id) for row in rows)
    return units, found


# -- law reports and ballots ----------------------------------------------------------------


def _ballots(draw: st.DrawFn, plan: _Plan, report: LawReport, panel: Panel) -> list[Ballot]:
    ballots: list[Ballot] = []
    for group in panel.groups:
        values = plan.ballots[panel.id][group.id]
        if values is None:
            continue
        for rater in range(1, draw(plan.ballot_counts[panel.id][group.id]) + 1):
            ballots.append(
                Ballot(
                    report=report.id,
                    group=group.id,
                    rater=f"{group.id}-{rater:02d}",
                    value=draw(values),
                )
            )
    return ballots


def _reports(
    draw: st.DrawFn, plan: _Plan, tenures: Sequence[Tenure]
) -> tuple[list[LawReport], list[Ballot]]:
    """Law reports by the holders of posts, most rated by a panel, with valid ballots."""
    scheme = plan.scheme
    posts = list(dict.fromkeys((t.person, t.unit, t.role) for t in tenures))
    # most post holders report (shrinking to none)
    chosen = [post for post in posts if draw(_REPORTED)]
    reports: list[LawReport] = []
    ballots: list[Ballot] = []
    for number, (person, unit, role) in enumerate(chosen, start=1):
        duty_list = scheme.duty_list(role)
        duties = duty_list.ids if duty_list is not None else ()
        # most reports are rated, by one of the panels (shrinking to the first)
        panel = pick(draw, scheme.panels) if draw(_RATED) else None
        report = LawReport(
            id=f"R-{number:03d}",
            person=person,
            unit=unit,
            date=draw(plan.report_days),
            forms=draw(_FORMS),
            signed=draw(st.booleans()),
            duties=[duties[d] for d in draw(_indices(len(duties)))],
            panel=None if panel is None else panel.id,
        )
        reports.append(report)
        if panel is not None:
            ballots.extend(_ballots(draw, plan, report, panel))
    return reports, ballots


def _indices(size: int) -> SearchStrategy[list[int]]:
    """Distinct positions in a sequence of ``size`` (in increasing order: as declared)."""
    if not size:
        return st.just([])
    return st.lists(st.integers(0, size - 1), max_size=size, unique=True).map(sorted)


# -- the ledger, filings and adjustments -----------------------------------------------------


def _problem(
    draw: st.DrawFn, plan: _Plan, number: int, units: Sequence[str], people: Sequence[str]
) -> Problem:
    """A problem with a status history that goes forward, one stage at a time.

    Now and then a step skips a stage or goes back, with its reason. Every
    step is dated on or after the day the problem was found.
    """
    period = plan.scheme.period
    found = shifted(period.start, draw(st.integers(0, min(period.days - 1, 400))))
    history: list[StatusChange] = []
    status, day = ProblemStatus.OPEN, found
    for _ in range(draw(st.integers(0, 3))):
        step = draw(_STEPS)
        if not 0 <= status.order + step < len(ProblemStatus):
            break
        status = list(ProblemStatus)[status.order + step]
        day = shifted(day, draw(st.integers(0, 90)))
        reason = "" if step == 1 else draw(_STEP_REASON)
        history.append(StatusChange(status=status, date=day, reason=reason))
    person = None
    if people:
        at = draw(st.integers(0, len(people)))
        person = people[at - 1] if at else None
    return Problem(
        id=f"P-{number:02d}",
        unit=pick(draw, units),
        source=draw(_PROBLEM_SOURCES),
        found=found,
        deadline=shifted(found, draw(st.integers(0, 200))),
        description=draw(_DESCRIPTIONS),
        person=person,
        measures=draw(_MEASURES),
        history=history,
    )


def _filings(draw: st.DrawFn, plan: _Plan, units: Sequence[str]) -> list[AnnualReportFiling]:
    """At most one annual-report filing per unit, dated near the due days."""
    assert plan.filing_days is not None
    submitted, published = plan.filing_days
    sections = plan.scheme.filing.sections
    return [
        AnnualReportFiling(
            unit=units[u],
            submitted=draw(submitted),
            published=draw(published),
            sections=[sections[s] for s in draw(_indices(len(sections)))],
        )
        for u in draw(_indices(len(units)))
    ]


def _answers(draw: st.DrawFn, scheme: Scheme, units: Sequence[str]) -> list[SurveyAnswer]:
    """For each survey and some units, up to eight answers on the survey's scale."""
    found = []
    for survey in scheme.surveys:
        if survey.ballot is BallotScale.GRADES:
            answer: SearchStrategy[str] = st.sampled_from(list(survey.grades))
        else:
            answer = st.decimals(survey.min, survey.max, places=2, allow_nan=False).map(str)
        for u in draw(_indices(len(units))):
            for n in range(1, draw(st.integers(0, 8)) + 1):
                found.append(
                    SurveyAnswer(
                        survey=survey.id, unit=units[u], respondent=f"r{n}", answer=draw(answer)
                    )
                )
    return found


def _adjustment_event(draw: st.DrawFn, plan: _Plan, units: Sequence[str]) -> AdjustmentEvent:
    item = pick(draw, plan.items)
    achievement = level = ""
    if isinstance(item, Bonus):
        level = pick(draw, sorted(item.levels))
        achievement = draw(_ACHIEVEMENT)
    return AdjustmentEvent(
        unit=pick(draw, units),
        item=item.id,
        achievement=achievement,
        level=level,
        date=draw(plan.days),
        reason=draw(_REASONS),
        source=draw(_SOURCES),
    )


# -- the whole ----------------------------------------------------------------------------


@st.composite
def _assessments(draw: st.DrawFn, plan: _Plan | None, registry: Registry | None) -> Assessment:
    if plan is None:
        plan = _plan(draw(schemes()), registry)
    scheme = plan.scheme
    units, found = _units_and_evidence(draw, plan)
    unit_ids = [u.id for u in units]
    people = [
        attrs.evolve(draw(PERSON_DRAFTS), id=f"p-{n:03d}")
        for n in range(1, draw(st.integers(0, _MAX_PEOPLE)) + 1)
    ]
    person_ids = [p.id for p in people]
    tenures: tuple[Tenure, ...] = ()
    if people:
        # people are drawn to hold posts: at least one
        tenures = draw(draw_tenures(person_ids, unit_ids, plan.roles, scheme.period, 1))
    reports: list[LawReport] = []
    ballots: list[Ballot] = []
    if scheme.panels and tenures:
        reports, ballots = _reports(draw, plan, tenures)
    problems = []
    if plan.problems:
        count = draw(st.integers(0, 4))
        problems = [_problem(draw, plan, n, unit_ids, person_ids) for n in range(1, count + 1)]
    filings = _filings(draw, plan, unit_ids) if plan.filing_days is not None else []
    events = []
    if plan.items:
        events = [_adjustment_event(draw, plan, unit_ids) for _ in range(draw(st.integers(0, 3)))]
    return Assessment(
        scheme=scheme,
        units=units,
        people=people,
        tenures=tenures,
        evidence=Evidence(observations=found),
        adjustments=events,
        reports=reports,
        ballots=ballots,
        problems=problems,
        filings=filings,
        answers=_answers(draw, scheme, unit_ids) if scheme.surveys else [],
    )


def assessments(
    scheme: Scheme | None = None, *, registry: Registry | None = None
) -> SearchStrategy[Assessment]:
    """Valid assessments under ``scheme``: units, people, tenures, evidence and all it reads.

    Every draw builds (:class:`~rulelaw.Assessment` raises nothing) and
    evaluates (:func:`rulelaw.evaluate` raises nothing), for any valid
    scheme whose rules compile:

    - one to five units of the scheme's categories, at any level, sometimes
      under an earlier unit, sometimes kept out of grading; when grading
      groups peers by an attribute, every unit has it;
    - up to four people holding non-overlapping tenures in the scheme's
      roles around its period, one post at a time;
    - at most one observation per unit and indicator, only for indicators
      whose evidence is typed in (no ``evidence_from``): for an indicator
      that applies to the unit's category a value its rule scores (a given
      score within ``out_of``, a *partly* amount within its range, no 0-of-0
      rate where ``empty = "error"``, dates near a deadline's due day),
      sometimes :class:`~rulelaw.NotApplicable` or
      :class:`~rulelaw.NotSubmitted`, or no row; for one that does not apply,
      at most an explicit "not applicable";
    - when the scheme declares panels: law reports by post holders, most
      rated by a panel, with valid ballots for each rater group (known
      labels or numbers in range, one per rater, no more than invited, and
      low enough that a ``given-score`` fed by the panel stays on its scale);
    - when an indicator reads the rectification ledger: up to four problems
      with status histories (dated on or after the day found; a step that
      skips a stage or goes back gives its reason);
    - when an indicator reads annual-report filings: filings of some units,
      submitted and published near the due days;
    - when the scheme declares bonuses, deductions or vetoes: up to three
      adjustment events (a bonus with one of its levels and an achievement).

    Draws shrink toward one unit with few evidence rows and plain values.

    Parameters
    ----------
    scheme:
        The scheme to assess under; a new one from :func:`schemes` for each
        draw if ``None``.
    registry:
        The rule kinds the scheme's rules are compiled with (the built-in
        kinds by default); values are fitted to the compiled rules, and a
        kind's ``check_value`` must accept them.

    Raises
    ------
    rulelaw.ValidationError
        A rule of ``scheme`` does not compile (an unknown kind, bad parameters).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(assessments())
    ... def test_units(a): assert a.units
    >>> test_units()

    """
    plan = _plan(scheme, registry) if scheme is not None else None
    return _assessments(plan, registry)
