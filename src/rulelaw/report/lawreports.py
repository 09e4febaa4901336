"""Renderings of law reports: panel results, coverage by form, the rectification ledger.

Each takes ``lang`` (``"en"`` or ``"zh-CN"``): the tables' headers and
labels, the forms (书面述法 …), statuses (未整改 …), sources and dates in
that language, and the reasons rendered in it. The CSV's headers and the
JSON's keys are names for programs, the same in every language; ids (a
form, a status) stay ids there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from rulelaw.engine import CoverageRow, Evaluation, LedgerRow, PanelResult
from rulelaw.messages import Catalogue
from rulelaw.model import decimal_text
from rulelaw.report._csv import csv_text
from rulelaw.report._words import (
    day,
    headers,
    joined,
    label,
    language,
    message_fields,
    message_lists,
    say,
    shown,
)

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
    result: PanelResult,
    *,
    number: Callable[[Any], object] = decimal_text,
    lang: str = "en",
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """One report's panel result as JSON-ready data (``number`` turns each decimal into text).

    Texts are in ``lang``, each with its message code and parameters beside
    it (``reason_code``, ``reason_params`` …).
    """
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
        **message_fields("reason", result.reason, lang, catalogue),
        **message_lists("grade_steps", result.grade_steps, lang, catalogue),
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
                **message_fields("method", g.method, lang, catalogue),
                **message_fields("reason", g.reason, lang, catalogue),
            }
            for g in result.groups
        ],
        "rejected": [
            {
                **message_fields("origin", r.origin, lang, catalogue),
                "group": r.group,
                "rater": r.rater,
                "value": r.value,
                **message_fields("reason", r.reason, lang, catalogue),
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


def _head(code: str, result: Evaluation, lang: str) -> str:
    return say(code, lang, result.catalogue, title=result.scheme_title, as_of=result.as_of)


def panels_text(result: Evaluation, tablefmt: str = "simple", *, lang: str = "en") -> str:
    """Each report's panel score and grade, its groups, and the ballots that did not count."""
    lang = language(lang)
    catalogue = result.catalogue
    blocks = [_head("report.panels.head", result, lang)]
    rows = [
        (
            r.report,
            r.person,
            r.unit,
            r.panel,
            joined((label("form", f, lang, catalogue) for f in r.forms), lang, en=";"),
            "—" if r.score is None else r.score,
            r.grade_label or "—",
            r.rank or "—",
        )
        for r in result.panels
    ]
    blocks.append(
        tabulate(
            rows,
            headers=headers(
                "report.panels.column",
                ("report", "person", "unit", "panel", "forms", "score", "grade", "rank"),
                lang,
                catalogue,
            ),
            tablefmt=tablefmt,
            disable_numparse=True,
        )
    )
    for r in result.panels:
        lines = [
            say(
                "report.panels.report",
                lang,
                catalogue,
                report=r.report,
                panel=r.panel,
                reason=shown(r.reason, lang, catalogue),
            )
        ]
        for g in r.groups:
            line = say(
                "report.panels.group",
                lang,
                catalogue,
                group=g.group,
                title=g.title,
                weight=str(g.weight),
                score="—" if g.score is None else str(g.score),
                ballots=say("report.panels.ballots", lang, catalogue, n=g.ballots),
                how=shown(g.method if g.valid else g.reason, lang, catalogue),
            )
            lines.append(f"  {line}")
        blocks.append("\n".join(lines))
    if result.rejected_ballots:
        blocks.append(
            say(
                "report.heading",
                lang,
                catalogue,
                title=say("report.rejected.title", lang, catalogue),
            )
        )
        blocks.append(
            tabulate(
                [
                    (
                        shown(b.origin, lang, catalogue),
                        b.report,
                        b.group,
                        b.rater,
                        b.value,
                        shown(b.reason, lang, catalogue),
                    )
                    for b in result.rejected_ballots
                ],
                headers=headers(
                    "report.rejected.column",
                    ("where", "report", "group", "rater", "value", "why"),
                    lang,
                    catalogue,
                ),
                tablefmt=tablefmt,
                disable_numparse=True,
            )
        )
    return "\n\n".join(blocks) + "\n"


def _first(ids: tuple[str, ...], lang: str, catalogue: Catalogue, count: int = 6) -> str:
    if len(ids) <= count:
        return joined(ids, lang)
    return say(
        "report.coverage.more",
        lang,
        catalogue,
        first=joined(ids[:count], lang),
        more=len(ids) - count,
    )


def _coverage_group(row: CoverageRow, result: Evaluation, lang: str) -> str:
    """The group of a coverage row: its key in English; in Chinese a level's or category's name."""
    if lang == "en":
        return row.group
    if row.by == "category":
        return result.categories.get(row.group, row.group)
    if row.by == "level":
        return label("level", row.group, lang, result.catalogue)
    return label("coverage.by", row.group, lang, result.catalogue)  # all


def coverage_text(result: Evaluation, tablefmt: str = "simple", *, lang: str = "en") -> str:
    """The share of leaders in post who filed each form, by level and by category."""
    lang = language(lang)
    catalogue = result.catalogue
    rows = [
        (
            label("form", r.form, lang, catalogue),
            label("coverage.by", r.by, lang, catalogue),
            _coverage_group(r, result, lang),
            r.persons,
            r.filed,
            f"{r.share}%",
            _first(r.missing, lang, catalogue),
        )
        for r in result.coverage
    ]
    table: str = tabulate(
        rows,
        headers=headers(
            "report.coverage.column",
            ("form", "by", "group", "leaders", "filed", "share", "missing"),
            lang,
            catalogue,
        ),
        tablefmt=tablefmt,
        disable_numparse=True,
    )
    return _head("report.coverage.head", result, lang) + "\n\n" + table + "\n"


def ledger_text(result: Evaluation, tablefmt: str = "simple", *, lang: str = "en") -> str:
    """The rectification ledger as of the evaluation date, overdue problems flagged."""
    lang = language(lang)
    catalogue = result.catalogue
    rows = [
        (
            r.problem,
            r.unit,
            label("ledger.source", r.source, lang, catalogue),
            day(r.found, lang),
            day(r.deadline, lang),
            label("ledger.status", r.status, lang, catalogue),
            r.days_overdue or "",
            r.stage or "",
            r.description,
        )
        for r in result.ledger
    ]
    table: str = tabulate(
        rows,
        headers=headers(
            "report.ledger.column",
            (
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
            lang,
            catalogue,
        ),
        tablefmt=tablefmt,
        disable_numparse=True,
    )
    return _head("report.ledger.head", result, lang) + "\n\n" + table + "\n"


def _as_is(value: object) -> object:
    return value


#: keys of the JSON that the CSV leaves out: nested lists, and the messages' codes and parameters
_NOT_IN_CSV = {"groups", "rejected", "grade_steps"}


def _in_csv(key: str) -> bool:
    return key not in _NOT_IN_CSV and not key.endswith(("_code", "_codes", "_params"))


def render(result: Evaluation, what: str, fmt: str, *, lang: str = "en") -> str:
    """``panels``, ``coverage`` or ``ledger`` as table, markdown, json or csv.

    ``lang`` (``"en"`` or ``"zh-CN"``) is the language of the tables and of
    the texts in the JSON and the CSV; the JSON's keys, the CSV's headers and
    ids (forms, statuses, sources) are the same in every language. In the
    CSV, text cells that a spreadsheet would run as a formula are
    neutralised (see :mod:`rulelaw.report._csv`); numbers, kept as decimals
    for it, are written as they are.
    """
    lang = language(lang)
    catalogue = result.catalogue
    number = _as_is if fmt == "csv" else decimal_text
    data: list[dict[str, Any]]
    if what == "panels":
        data = [panel_data(r, number=number, lang=lang, catalogue=catalogue) for r in result.panels]
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
        flat = [
            {
                k: (";".join(map(str, v)) if isinstance(v, list) else v)
                for k, v in row.items()
                if _in_csv(k)
            }
            for row in data
        ]
        columns = list(flat[0]) if flat else ["none"]
        return csv_text([columns, *([row[c] for c in columns] for row in flat)])
    return text(result, tablefmt="github" if fmt == "markdown" else "simple", lang=lang)
