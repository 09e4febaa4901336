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

from rulelaw.engine._panels import reports_by_unit
from rulelaw.engine._results import LedgerRow, PanelResult
from rulelaw.messages import Message, Text
from rulelaw.model import (
    Assessment,
    DateValue,
    NotSubmitted,
    Observation,
    ObservedValue,
    OverdueProblem,
    OverdueProblems,
    Value,
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
    observations: dict[tuple[str, str], Observation] = {}
    for unit in assessment.units:
        for indicator in derived_indicators:
            if not indicator.applies_to(unit.category):
                continue
            source = indicator.evidence_from or ""
            value: ObservedValue
            origin: Text
            if source.startswith("law-report"):
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
