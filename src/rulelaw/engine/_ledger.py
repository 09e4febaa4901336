"""The rectification ledger as of a date, and evidence derived for ``evidence_from``.

Indicators may take their evidence from law reports (the panel scores),
from the ledger (overdue problems) or from annual-report filings. The
reasons and notes the derived values carry, and the observations' sources,
are :class:`~rulelaw.messages.Message` values (``panel.…``, ``ledger.…``,
``filing.…`` codes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import pendulum

from rulelaw.engine._panels import aggregate_points, reports_by_unit
from rulelaw.engine._results import LedgerRow, PanelResult
from rulelaw.messages import Message, Text
from rulelaw.model import (
    Assessment,
    BelowSample,
    DateValue,
    NotApplicable,
    NotSubmitted,
    Observation,
    ObservedValue,
    OverdueProblem,
    OverdueProblems,
    Rate,
    Survey,
    Value,
    scale_points,
)
from rulelaw.model.policy import RoundingPolicy

__all__ = ["derived_evidence", "ledger_rows"]


def ledger_rows(assessment: Assessment, as_of: pendulum.Date) -> tuple[LedgerRow, ...]:
    """Every problem as of ``as_of``: status, days overdue and the escalation stage reached."""
    policy = assessment.scheme.ledger
    rows = []
    for problem in sorted(assessment.problems, key=lambda p: (p.unit, p.deadline, p.id)):
        if problem.found > as_of:
            continue
        status = problem.status_on(as_of)
        since = max((c.date for c in problem.history if c.date <= as_of), default=problem.found)
        overdue = problem.overdue_days(as_of)
        rows.append(
            LedgerRow(
                problem=problem.id,
                unit=problem.unit,
                person=problem.person,
                source=problem.source.value,
                found=problem.found,
                deadline=problem.deadline,
                status=status.value,
                since=since,
                days_overdue=overdue,
                stage=policy.stage_for(overdue) if overdue else None,
                description=problem.description,
                measures=problem.measures,
            )
        )
    return tuple(rows)


def _law_report_value(
    results: Sequence[PanelResult], panel: str | None, rounding: RoundingPolicy
) -> ObservedValue:
    mine = [r for r in results if panel is None or r.panel == panel]
    scored = [r for r in mine if r.score is not None]
    if scored:
        mean = sum((Fraction(r.score) for r in scored if r.score is not None), Fraction(0))
        mean /= len(scored)
        return Value(value=rounding.apply(mean))
    if mine:
        return NotSubmitted(reason=Message.of("panel.report-without-result", reason=mine[0].reason))
    return NotSubmitted(reason=Message.of("panel.no-report"))


def _survey_value(
    survey: Survey, points: Sequence[Fraction], rounding: RoundingPolicy
) -> tuple[ObservedValue, Message]:
    """A unit's value from its answers to ``survey``, and the source naming how many answered.

    The share at or above ``satisfied`` points is a rate; else the answers'
    mean, trimmed mean or median on 0 … 100, rounded as the scheme declares.
    Fewer answers than ``min_sample``: as ``below_min`` says.
    """
    n = len(points)
    below = n < survey.min_sample
    if not n or (below and survey.below_min is not BelowSample.SCORE):
        # no answers at all cannot be scored, whatever below_min says
        reason = Message.of("survey.too-few", n=n, min=survey.min_sample)
        source = Message.of("survey.source", survey=survey.id, title=survey.title, n=n)
        if survey.below_min is BelowSample.NOT_APPLICABLE:
            return NotApplicable(reason=reason), source
        return NotSubmitted(reason=reason), source
    value: ObservedValue
    if survey.satisfied is not None:
        satisfied = sum(1 for p in points if p >= survey.satisfied)
        value = Rate(numerator=satisfied, denominator=n)
        method = Message.of("survey.share", satisfied=satisfied, n=n, points=survey.satisfied)
    else:
        mean, method = aggregate_points(survey, points, words="survey")
        note = Message.of("survey.note", n=n, method=method)
        value = Value(value=rounding.apply(mean), note=note)
    code = "survey.source-below-min" if below else "survey.source-method"
    params = {"min": survey.min_sample} if below else {}
    source = Message.of(code, survey=survey.id, title=survey.title, n=n, method=method, **params)
    return value, source


def derived_evidence(
    assessment: Assessment,
    panels: Sequence[PanelResult],
    ledger: Sequence[LedgerRow],
    as_of: pendulum.Date,
) -> Mapping[tuple[str, str], Observation]:
    """Observations for the indicators whose evidence comes from reports, ledger or filings."""
    scheme = assessment.scheme
    derived_indicators = [i for i in scheme.indicators if i.evidence_from is not None]
    if not derived_indicators:
        return {}
    by_unit = reports_by_unit(panels)
    filings = {f.unit: f for f in assessment.filings}
    overdue: dict[str, list[OverdueProblem]] = {}
    for row in ledger:
        if row.days_overdue:
            overdue.setdefault(row.unit, []).append(
                OverdueProblem(problem=row.problem, deadline=row.deadline, days=row.days_overdue)
            )
    required = scheme.filing.sections
    # the sources of derived observations, and why an annual report is not there (by
    # whether the indicator asks for it submitted): one message each, shared by every unit
    law_reports = Message.of("panel.source")
    ledger_source = Message.of("ledger.source", as_of=as_of)
    filing_source = Message.of("filing.source")
    not_filed = {
        True: Message.of("filing.not-submitted"),
        False: Message.of("filing.not-published"),
    }
    answered: dict[tuple[str, str], list[Fraction]] = {}
    surveys = {s.id: s for s in scheme.surveys}
    for answer in assessment.answers:
        points, _ = scale_points(surveys[answer.survey], answer.answer)
        assert points is not None  # the assessment checked every answer
        answered.setdefault((answer.survey, answer.unit), []).append(points)
    observations: dict[tuple[str, str], Observation] = {}
    for unit in assessment.units:
        for indicator in derived_indicators:
            if not indicator.applies_to(unit.category):
                continue
            source = indicator.evidence_from or ""
            value: ObservedValue
            origin: Text
            if source.startswith("survey:"):
                survey = scheme.survey(source[len("survey:") :])
                assert survey is not None  # the scheme checked it
                value, origin = _survey_value(
                    survey, answered.get((survey.id, unit.id), []), scheme.rounding
                )
            elif source.startswith("law-report"):
                panel = source.split(":", 1)[1] if ":" in source else None
                value = _law_report_value(
                    by_unit.get(unit.id, []), panel, scheme.rounding.level("panel")
                )
                origin = law_reports
            elif source == "problems":
                value = OverdueProblems(items=overdue.get(unit.id, []))
                origin = ledger_source
            else:
                filing = filings.get(unit.id)
                day = None
                if filing is not None:
                    day = filing.submitted if source == "filing:submitted" else filing.published
                if day is None:
                    value = NotSubmitted(reason=not_filed[source == "filing:submitted"])
                else:
                    assert filing is not None
                    missing = tuple(s for s in required if s not in filing.sections)
                    note: Text = (
                        Message.of("filing.missing-sections", sections=missing) if missing else ""
                    )
                    value = DateValue(date=day, note=note)
                origin = filing_source
            observations[(unit.id, indicator.id)] = Observation(
                unit=unit.id, indicator=indicator.id, value=value, source=origin
            )
    return observations
