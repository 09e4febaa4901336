"""Writing an assessment as a folder that loads back to an equal value."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rulelaw.files._layout import (
    ADJUSTMENT_COLUMNS,
    ADJUSTMENT_OPTIONAL,
    ADJUSTMENTS_FILE,
    BALLOT_COLUMNS,
    BALLOTS_FILE,
    EVIDENCE_COLUMNS,
    EVIDENCE_FILE,
    EVIDENCE_OPTIONAL,
    FILING_COLUMNS,
    FILING_OPTIONAL,
    FILINGS_FILE,
    PEOPLE_FILE,
    PERSON_COLUMNS,
    PROBLEM_COLUMNS,
    PROBLEM_OPTIONAL,
    PROBLEMS_FILE,
    REPORT_COLUMNS,
    REPORT_OPTIONAL,
    REPORTS_FILE,
    SCHEME_FILE,
    STATUS_COLUMNS,
    STATUS_FILE,
    STATUS_OPTIONAL,
    SURVEY_COLUMNS,
    SURVEY_FILE,
    TENURE_COLUMNS,
    TENURE_OPTIONAL,
    TENURES_FILE,
    UNIT_COLUMNS,
    UNITS_FILE,
)
from rulelaw.files._scheme_file import scheme_to_text
from rulelaw.files._write import write_folder_atomically
from rulelaw.model import (
    Assessment,
    Count,
    DateValue,
    Falsified,
    Flag,
    NotApplicable,
    NotSubmitted,
    Observation,
    Occurrences,
    Rate,
    UndefinedRate,
    Value,
)

__all__ = ["dump"]


def _csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _observation_row(obs: Observation) -> dict[str, str]:
    row = {"unit": obs.unit, "indicator": obs.indicator, "source": obs.source}
    if obs.date is not None:
        row["date"] = obs.date.isoformat()
    value = obs.value
    if isinstance(value, NotApplicable):
        row.update(status="na", reason=value.reason)
    elif isinstance(value, NotSubmitted):
        row.update(status="missing", reason=value.reason)
    elif isinstance(value, Falsified):
        row.update(status="false", reason=value.reason)
    elif isinstance(value, UndefinedRate):
        row.update(numerator="0", denominator="0")
    elif isinstance(value, Rate):
        if value.percent is not None:
            row["value"] = str(value.percent)
        else:
            row.update(numerator=str(value.numerator), denominator=str(value.denominator))
    elif isinstance(value, Count | Value):
        row["value"] = str(value.value)
    elif isinstance(value, Flag):
        row.update(value=value.value.value, reason=value.reason)
        if value.amount is not None:
            row["amount"] = str(value.amount)
    elif isinstance(value, Occurrences):
        row["dates"] = ";".join(
            f"{kind} {day.isoformat()}" if kind else day.isoformat()
            for kind, day in zip(value.kinds or ("",) * len(value.dates), value.dates, strict=True)
        )
    elif isinstance(value, DateValue):
        row["value"] = value.date.isoformat()
    return row


def dump(assessment: Assessment, path: str | os.PathLike[str]) -> None:
    """Write an assessment as a new folder that :func:`load` reads back to an equal value.

    The folder must not exist yet (or be empty); it appears whole or not at
    all. Raises :class:`~rulelaw.errors.DataError` for an existing folder.
    """
    extra_unit = sorted({k for u in assessment.units for k in u.attributes})
    has_amounts = any(
        isinstance(o.value, Flag) and o.value.amount is not None
        for o in assessment.evidence.observations
    )
    extra_person = sorted({k for p in assessment.people for k in p.attributes})
    files = {
        SCHEME_FILE: scheme_to_text(assessment.scheme).encode("utf-8"),
        UNITS_FILE: _csv_bytes(
            [
                *UNIT_COLUMNS,
                "parent",
                *(["not_graded"] if any(u.not_graded for u in assessment.units) else []),
                *extra_unit,
            ],
            (
                {
                    "id": u.id,
                    "name": u.name,
                    "level": u.level.value,
                    "category": u.category,
                    "parent": u.parent or "",
                    **({"not_graded": u.not_graded} if u.not_graded else {}),
                    **u.attributes,
                }
                for u in assessment.units
            ),
        ),
        PEOPLE_FILE: _csv_bytes(
            [*PERSON_COLUMNS, *extra_person],
            ({"id": p.id, "name": p.name, **p.attributes} for p in assessment.people),
        ),
        TENURES_FILE: _csv_bytes(
            [*TENURE_COLUMNS, *TENURE_OPTIONAL],
            (
                {
                    "person": t.person,
                    "unit": t.unit,
                    "role": t.role,
                    "start": t.start.isoformat(),
                    "end": t.end.isoformat() if t.end else "",
                }
                for t in assessment.tenures
            ),
        ),
        EVIDENCE_FILE: _csv_bytes(
            [
                *EVIDENCE_COLUMNS,
                # the amount column only when some partial finding has an amount
                *(c for c in EVIDENCE_OPTIONAL if c != "amount" or has_amounts),
            ],
            (_observation_row(o) for o in assessment.evidence.observations),
        ),
    }
    if assessment.adjustments:
        files[ADJUSTMENTS_FILE] = _csv_bytes(
            [*ADJUSTMENT_COLUMNS, *ADJUSTMENT_OPTIONAL],
            (
                {
                    "unit": e.unit,
                    "item": e.item,
                    "achievement": e.achievement,
                    "level": e.level,
                    "date": e.date.isoformat() if e.date else "",
                    "reason": e.reason,
                    "source": e.source,
                }
                for e in assessment.adjustments
            ),
        )
    files.update(_law_report_files(assessment))
    write_folder_atomically(Path(path), files)


def _law_report_files(assessment: Assessment) -> dict[str, bytes]:
    """The optional files of law reports, ballots, problems and filings (those with rows)."""
    files: dict[str, bytes] = {}
    if assessment.reports:
        files[REPORTS_FILE] = _csv_bytes(
            [*REPORT_COLUMNS, *REPORT_OPTIONAL],
            (
                {
                    "id": r.id,
                    "person": r.person,
                    "unit": r.unit,
                    "date": r.date.isoformat(),
                    "forms": ";".join(f.value for f in sorted(r.forms, key=lambda f: f.value)),
                    "signed": "true" if r.signed else "false",
                    "duties": ";".join(r.duties),
                    "panel": r.panel or "",
                }
                for r in assessment.reports
            ),
        )
    if assessment.ballots:
        files[BALLOTS_FILE] = _csv_bytes(
            BALLOT_COLUMNS,
            (
                {"report": b.report, "group": b.group, "rater": b.rater, "value": b.value}
                for b in assessment.ballots
            ),
        )
    if assessment.problems:
        files[PROBLEMS_FILE] = _csv_bytes(
            [*PROBLEM_COLUMNS, *PROBLEM_OPTIONAL],
            (
                {
                    "id": p.id,
                    "unit": p.unit,
                    "source": p.source.value,
                    "found": p.found.isoformat(),
                    "deadline": p.deadline.isoformat(),
                    "description": p.description,
                    "person": p.person or "",
                    "measures": p.measures,
                }
                for p in assessment.problems
            ),
        )
        files[STATUS_FILE] = _csv_bytes(
            [*STATUS_COLUMNS, *STATUS_OPTIONAL],
            (
                {
                    "problem": p.id,
                    "status": c.status.value,
                    "date": c.date.isoformat(),
                    "reason": c.reason,
                }
                for p in assessment.problems
                for c in p.history
            ),
        )
    if assessment.filings:
        files[FILINGS_FILE] = _csv_bytes(
            [*FILING_COLUMNS, *FILING_OPTIONAL],
            (
                {
                    "unit": f.unit,
                    "submitted": f.submitted.isoformat() if f.submitted else "",
                    "published": f.published.isoformat() if f.published else "",
                    "sections": ";".join(f.sections),
                }
                for f in assessment.filings
            ),
        )
    if assessment.answers:
        files[SURVEY_FILE] = _csv_bytes(
            SURVEY_COLUMNS,
            (
                {"survey": a.survey, "unit": a.unit, "respondent": a.respondent, "answer": a.answer}
                for a in assessment.answers
            ),
        )
    return files
