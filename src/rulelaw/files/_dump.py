"""Writing an assessment as a folder that loads back to an equal value."""

from __future__ import annotations

import csv
import datetime as dt
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
    ObservedValue,
    Occurrences,
    Rate,
    UndefinedRate,
    Value,
)

__all__ = ["assessment_rows", "cell_text", "dump", "entry_cells"]


#: A cell of a table as the model gives it: a text, a day, a yes or no, or nothing (empty).
Cell = str | dt.date | bool | None

#: A table of the folder: its columns and its rows (a row may leave a column out: empty).
Rows = tuple[list[str], Iterable[Mapping[str, Cell]]]


def cell_text(cell: Cell) -> str:
    """A cell as a CSV file holds it: a day in ISO form, ``true``/``false``, empty for nothing."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return cell


def _csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: cell_text(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


def entry_cells(value: ObservedValue, source: str, date: dt.date | None) -> dict[str, Cell]:
    """The cells of an evidence row besides its unit and indicator: what reads back as the entry."""
    row: dict[str, Cell] = {"source": source}
    if date is not None:
        row["date"] = date
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
        row["value"] = value.date
    return row


def _observation_row(obs: Observation) -> dict[str, Cell]:
    return {
        "unit": obs.unit,
        "indicator": obs.indicator,
        **entry_cells(obs.value, obs.source, obs.date),
    }


def dump(assessment: Assessment, path: str | os.PathLike[str]) -> None:
    """Write an assessment as a new folder that :func:`load` reads back to an equal value.

    The folder must not exist yet (or be empty); it appears whole or not at
    all. Raises :class:`~rulelaw.errors.DataError` for an existing folder.
    """
    files = {SCHEME_FILE: scheme_to_text(assessment.scheme).encode("utf-8")}
    for name, (columns, rows) in assessment_rows(assessment).items():
        files[name] = _csv_bytes(columns, rows)
    write_folder_atomically(Path(path), files)


def assessment_rows(assessment: Assessment, *, every: bool = False) -> dict[str, Rows]:
    """The folder's tables of an assessment: per file, its columns and rows of cells.

    What :func:`dump` writes: the optional files only where they have rows,
    and the optional columns ``not_graded`` and ``amount`` only where a row
    fills them; ``every`` gives every table and every column.
    """
    extra_unit = sorted({k for u in assessment.units for k in u.attributes})
    has_amounts = every or any(
        isinstance(o.value, Flag) and o.value.amount is not None
        for o in assessment.evidence.observations
    )
    extra_person = sorted({k for p in assessment.people for k in p.attributes})
    files: dict[str, Rows] = {
        UNITS_FILE: (
            [
                *UNIT_COLUMNS,
                "parent",
                *(["not_graded"] if every or any(u.not_graded for u in assessment.units) else []),
                *extra_unit,
            ],
            (
                {
                    "id": u.id,
                    "name": u.name,
                    "level": u.level.value,
                    "category": u.category,
                    "parent": u.parent,
                    **({"not_graded": u.not_graded} if u.not_graded else {}),
                    **u.attributes,
                }
                for u in assessment.units
            ),
        ),
        PEOPLE_FILE: (
            [*PERSON_COLUMNS, *extra_person],
            ({"id": p.id, "name": p.name, **p.attributes} for p in assessment.people),
        ),
        TENURES_FILE: (
            [*TENURE_COLUMNS, *TENURE_OPTIONAL],
            (
                {"person": t.person, "unit": t.unit, "role": t.role, "start": t.start, "end": t.end}
                for t in assessment.tenures
            ),
        ),
        EVIDENCE_FILE: (
            [
                *EVIDENCE_COLUMNS,
                # the amount column only when some partial finding has an amount
                *(c for c in EVIDENCE_OPTIONAL if c != "amount" or has_amounts),
            ],
            (_observation_row(o) for o in assessment.evidence.observations),
        ),
    }
    if every or assessment.adjustments:
        files[ADJUSTMENTS_FILE] = (
            [*ADJUSTMENT_COLUMNS, *ADJUSTMENT_OPTIONAL],
            (
                {
                    "unit": e.unit,
                    "item": e.item,
                    "achievement": e.achievement,
                    "level": e.level,
                    "date": e.date,
                    "reason": e.reason,
                    "source": e.source,
                }
                for e in assessment.adjustments
            ),
        )
    files.update(_law_report_rows(assessment, every))
    return files


def _law_report_rows(assessment: Assessment, every: bool) -> dict[str, Rows]:
    """The optional tables of law reports, ballots, problems and filings (those with rows)."""
    files: dict[str, Rows] = {}
    if every or assessment.reports:
        files[REPORTS_FILE] = (
            [*REPORT_COLUMNS, *REPORT_OPTIONAL],
            (
                {
                    "id": r.id,
                    "person": r.person,
                    "unit": r.unit,
                    "date": r.date,
                    "forms": ";".join(f.value for f in sorted(r.forms, key=lambda f: f.value)),
                    "signed": r.signed,
                    "duties": ";".join(r.duties),
                    "panel": r.panel,
                }
                for r in assessment.reports
            ),
        )
    if every or assessment.ballots:
        files[BALLOTS_FILE] = (
            list(BALLOT_COLUMNS),
            (
                {"report": b.report, "group": b.group, "rater": b.rater, "value": b.value}
                for b in assessment.ballots
            ),
        )
    if every or assessment.problems:
        files[PROBLEMS_FILE] = (
            [*PROBLEM_COLUMNS, *PROBLEM_OPTIONAL],
            (
                {
                    "id": p.id,
                    "unit": p.unit,
                    "source": p.source.value,
                    "found": p.found,
                    "deadline": p.deadline,
                    "description": p.description,
                    "person": p.person,
                    "measures": p.measures,
                }
                for p in assessment.problems
            ),
        )
        files[STATUS_FILE] = (
            [*STATUS_COLUMNS, *STATUS_OPTIONAL],
            (
                {"problem": p.id, "status": c.status.value, "date": c.date, "reason": c.reason}
                for p in assessment.problems
                for c in p.history
            ),
        )
    if every or assessment.filings:
        files[FILINGS_FILE] = (
            [*FILING_COLUMNS, *FILING_OPTIONAL],
            (
                {
                    "unit": f.unit,
                    "submitted": f.submitted,
                    "published": f.published,
                    "sections": ";".join(f.sections),
                }
                for f in assessment.filings
            ),
        )
    if every or assessment.answers:
        files[SURVEY_FILE] = (
            list(SURVEY_COLUMNS),
            (
                {"survey": a.survey, "unit": a.unit, "respondent": a.respondent, "answer": a.answer}
                for a in assessment.answers
            ),
        )
    return files
