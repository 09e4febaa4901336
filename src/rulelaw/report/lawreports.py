"""Renderings of law reports: panel results, coverage by form, the rectification ledger."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from rulelaw.engine import CoverageRow, Evaluation, LedgerRow, PanelResult
from rulelaw.model import decimal_text
from rulelaw.report._csv import csv_text

__all__ = [
    "coverage_data",
    "coverage_text",
    "ledger_data",
    "ledger_text",
    "panel_data",
    "panels_text",
    "render",
]


def panel_data(
    result: PanelResult, *, number: Callable[[Any], object] = decimal_text
) -> dict[str, Any]:
    """One report's panel result as JSON-ready data (``number`` turns each decimal into text)."""
    return {
        "report": result.report,
        "person": result.person,
        "unit": result.unit,
        "panel": result.panel,
        "date": result.date.isoformat(),
        "forms": list(result.forms),
        "signed": result.signed,
        "score": number(result.score),
        "grade": result.grade_label,
        "grade_id": result.grade,
        "rank": result.rank or None,
        "reason": result.reason,
        "grade_steps": list(result.grade_steps),
        "groups": [
            {
                "group": g.group,
                "title": g.title,
                "stage": g.stage,
                "weight": number(g.weight),
                "ballots": g.ballots,
                "invited": g.invited,
                "score": number(g.score),
                "valid": g.valid,
                "method": g.method,
                "reason": g.reason,
            }
            for g in result.groups
        ],
        "rejected": [
            {
                "origin": r.origin,
                "group": r.group,
                "rater": r.rater,
                "value": r.value,
                "reason": r.reason,
            }
            for r in result.rejected
        ],
    }


def coverage_data(
    row: CoverageRow, *, number: Callable[[Any], object] = decimal_text
) -> dict[str, Any]:
    """One coverage row as JSON-ready data (``number`` turns each decimal into text)."""
    return {
        "form": row.form,
        "by": row.by,
        "group": row.group,
        "persons": row.persons,
        "filed": row.filed,
        "share": number(row.share),
        "missing": list(row.missing),
    }


def ledger_data(row: LedgerRow) -> dict[str, Any]:
    """One ledger row as JSON-ready data."""
    return {
        "problem": row.problem,
        "unit": row.unit,
        "person": row.person,
        "source": row.source,
        "found": row.found.isoformat(),
        "deadline": row.deadline.isoformat(),
        "status": row.status,
        "since": row.since.isoformat(),
        "days_overdue": row.days_overdue,
        "stage": row.stage,
        "description": row.description,
        "measures": row.measures,
    }


def panels_text(result: Evaluation, tablefmt: str = "simple") -> str:
    """Each report's panel score and grade, its groups, and the ballots that did not count."""
    blocks = [f"{result.scheme_title} — law reports, as of {result.as_of.isoformat()}"]
    rows = [
        (
            r.report,
            r.person,
            r.unit,
            r.panel,
            ";".join(r.forms),
            "—" if r.score is None else r.score,
            r.grade_label or "—",
            r.rank or "—",
        )
        for r in result.panels
    ]
    blocks.append(
        tabulate(
            rows,
            headers=("report", "person", "unit", "panel", "forms", "score", "grade", "rank"),
            tablefmt=tablefmt,
            disable_numparse=True,
        )
    )
    for r in result.panels:
        lines = [f"{r.report} ({r.panel}): {r.reason}"]
        for g in r.groups:
            score = "—" if g.score is None else g.score
            how = g.method if g.valid else g.reason
            counted = f"{g.ballots} ballot" + ("s" if g.ballots != 1 else "")
            lines.append(f"  {g.group} {g.title} ×{g.weight}: {score} ({counted}; {how})")
        blocks.append("\n".join(lines))
    if result.rejected_ballots:
        blocks.append("ballots not counted:")
        blocks.append(
            tabulate(
                [
                    (b.origin, b.report, b.group, b.rater, b.value, b.reason)
                    for b in result.rejected_ballots
                ],
                headers=("where", "report", "group", "rater", "value", "why"),
                tablefmt=tablefmt,
                disable_numparse=True,
            )
        )
    return "\n\n".join(blocks) + "\n"


def _first(ids: tuple[str, ...], shown: int = 6) -> str:
    if len(ids) <= shown:
        return ", ".join(ids)
    return ", ".join(ids[:shown]) + f" … and {len(ids) - shown} more"


def coverage_text(result: Evaluation, tablefmt: str = "simple") -> str:
    """The share of leaders in post who filed each form, by level and by category."""
    rows = [
        (r.form, r.by, r.group, r.persons, r.filed, f"{r.share}%", _first(r.missing))
        for r in result.coverage
    ]
    table: str = tabulate(
        rows,
        headers=("form", "by", "group", "leaders", "filed", "share", "missing"),
        tablefmt=tablefmt,
        disable_numparse=True,
    )
    return (
        f"{result.scheme_title} — law-report coverage, as of {result.as_of.isoformat()}\n\n"
        + table
        + "\n"
    )


def ledger_text(result: Evaluation, tablefmt: str = "simple") -> str:
    """The rectification ledger as of the evaluation date, overdue problems flagged."""
    rows = [
        (
            r.problem,
            r.unit,
            r.source,
            r.found.isoformat(),
            r.deadline.isoformat(),
            r.status,
            r.days_overdue or "",
            r.stage or "",
            r.description,
        )
        for r in result.ledger
    ]
    table: str = tabulate(
        rows,
        headers=(
            "problem",
            "unit",
            "source",
            "found",
            "deadline",
            "status",
            "overdue",
            "stage",
            "description",
        ),
        tablefmt=tablefmt,
        disable_numparse=True,
    )
    return (
        f"{result.scheme_title} — rectification ledger, as of {result.as_of.isoformat()}\n\n"
        + table
        + "\n"
    )


def _as_is(value: object) -> object:
    return value


def render(result: Evaluation, what: str, fmt: str) -> str:
    """``panels``, ``coverage`` or ``ledger`` as table, markdown, json or csv.

    In the CSV, text cells that a spreadsheet would run as a formula are
    neutralised (see :mod:`rulelaw.report._csv`); numbers, kept as decimals
    for it, are written as they are.
    """
    number = _as_is if fmt == "csv" else decimal_text
    data: list[dict[str, Any]]
    if what == "panels":
        data = [panel_data(r, number=number) for r in result.panels]
        text = panels_text
    elif what == "coverage":
        data = [coverage_data(r, number=number) for r in result.coverage]
        text = coverage_text
    else:
        data = [ledger_data(r) for r in result.ledger]
        text = ledger_text
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        nested = {"groups", "rejected", "grade_steps"}  # in the JSON only
        flat = [
            {
                k: (";".join(map(str, v)) if isinstance(v, list) else v)
                for k, v in row.items()
                if k not in nested
            }
            for row in data
        ]
        columns = list(flat[0]) if flat else ["none"]
        return csv_text([columns, *([row[c] for c in columns] for row in flat)])
    return text(result, tablefmt="github" if fmt == "markdown" else "simple")
