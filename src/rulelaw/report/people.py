"""Renderings for responsible persons: the people table and the leader's evaluation sheet.

The sheet (述职评议表) and the table take ``lang`` (``"en"`` or ``"zh-CN"``):
in Chinese they read as the form a leader signs, every label in Chinese,
dates as 2025年3月1日. The CSV's headers are column names for programs, the
same in every language.
"""

from __future__ import annotations

import json
from typing import Any

from tabulate import tabulate

from rulelaw.engine import Evaluation, LedgerRow, PanelResult, PersonResult
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
from rulelaw.report.text import NOT_GRADED

__all__ = ["people_csv", "people_table", "person_data", "sheet"]


def _reports_of(result: Evaluation | None, person: str) -> list[PanelResult]:
    return [] if result is None else [r for r in result.panels if r.person == person]


def _problems_of(result: Evaluation | None, person: PersonResult) -> list[LedgerRow]:
    """The ledger's problems named against the person, or unassigned ones of a unit they led."""
    if result is None:
        return []
    units = {p.unit for p in person.posts}
    return [
        row
        for row in result.ledger
        if row.person == person.person or (row.person is None and row.unit in units)
    ]


def person_data(
    person: PersonResult,
    *,
    lang: str = "en",
    catalogue: Catalogue | None = None,
    result: Evaluation | None = None,
) -> dict[str, Any]:
    """One person's result as JSON-ready data (decimals as strings).

    Texts are in ``lang``, each with its message code and parameters beside
    it (``not_graded_code``, ``grade_steps_codes`` …; see the JSON output's
    reference); ``catalogue`` renders them (rulelaw's own by default).
    With the ``result`` the person belongs to, their law reports' results
    and the problems named against them are given too (else empty lists).
    """
    return {
        "person": person.person,
        "name": person.name,
        "roles": list(person.roles),
        "main_role": person.main_role,
        "main_unit": person.main_unit,
        "days_in_post": person.days_in_post,
        **message_fields("time_in_post", person.time_in_post, lang, catalogue),
        "eligible": person.eligible,
        **message_fields("not_graded", person.not_graded or None, lang, catalogue),
        "score": decimal_text(person.score),
        "peer_group": person.peer_group,
        "grade": person.grade_label,
        "grade_id": person.grade,
        "rank": person.rank,
        "rank_overall": person.rank_overall,
        **message_lists("grade_steps", person.grade_steps, lang, catalogue),
        "vetoes": list(person.vetoes),
        "posts": [
            {
                "unit": p.unit,
                "unit_name": p.unit_name,
                "role": p.role,
                "start": p.start.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "days": p.days,
                "share": decimal_text(p.share),
                "total": decimal_text(p.total),
                "grade": p.grade,
                "rank": p.rank,
                "peer_group": p.peer_group,
            }
            for p in person.posts
        ],
        "duties": [
            {
                "role": d.role,
                "duty": d.duty,
                "title": d.title,
                "group": d.group,
                "weight": decimal_text(d.weight),
                "rate": decimal_text(d.rate),
                "flagged": d.flagged,
                "indicators": list(d.indicators),
                **message_fields("reason", d.reason, lang, catalogue),
            }
            for d in person.duties
        ],
        "fulfilment": decimal_text(person.fulfilment),
        "flagged": list(person.flagged),
        "attributes": dict(person.attributes),
        "law_reports": [
            {
                "report": r.report,
                "unit": r.unit,
                "date": r.date.isoformat(),
                "panel": r.panel,
                "score": decimal_text(r.score),
                "grade": r.grade_label,
                "grade_id": r.grade,
                "rank": r.rank,
            }
            for r in _reports_of(result, person.person)
        ],
        "recommendations": [
            {
                "consequence": r.consequence,
                "title": r.title,
                **message_fields("reason", r.reason, lang, catalogue),
            }
            for r in person.recommendations
        ],
        "problems": [
            {
                "problem": row.problem,
                "unit": row.unit,
                "deadline": row.deadline.isoformat(),
                "status": row.status,
                "days_overdue": row.days_overdue,
            }
            for row in _problems_of(result, person)
        ],
    }


def people_table(result: Evaluation, tablefmt: str = "simple", *, lang: str = "en") -> str:
    """Every leader by peer group and rank: posts, days, score, grade, duty fulfilment."""
    lang = language(lang)
    catalogue = result.catalogue
    blocks = [
        say("report.people.head", lang, catalogue, title=result.scheme_title, as_of=result.as_of)
    ]
    columns = headers(
        "report.people.column",
        ("rank", "person", "name", "posts", "days", "score", "grade", "duties", "flagged"),
        lang,
        catalogue,
    )
    for distribution in result.people_distribution:
        members = sorted(
            (p for p in result.people if p.peer_group == distribution.peer_group),
            key=lambda p: (p.rank, p.person),
        )
        rows = [
            (
                p.rank,
                p.person,
                p.name,
                joined((f"{post.unit} {post.share}%" for post in p.posts), lang),
                p.days_in_post,
                p.score,
                p.grade_label or NOT_GRADED,
                "—" if p.fulfilment is None else f"{p.fulfilment}%",
                joined(p.flagged, lang),
            )
            for p in members
        ]
        blocks.append(
            say("report.people.group", lang, catalogue, name=distribution.name, n=len(members))
        )
        blocks.append(tabulate(rows, headers=columns, tablefmt=tablefmt, disable_numparse=True))
    if result.post_gaps:
        blocks.append(
            say("report.heading", lang, catalogue, title=say("report.gaps.title", lang, catalogue))
        )
        blocks.append(
            tabulate(
                [
                    (
                        g.unit,
                        result.roles.get(g.role, g.role),
                        day(g.start, lang),
                        day(g.end, lang),
                        g.days,
                    )
                    for g in result.post_gaps
                ],
                headers=headers(
                    "report.gaps.column", ("unit", "role", "from", "to", "days"), lang, catalogue
                ),
                tablefmt=tablefmt,
                disable_numparse=True,
            )
        )
    return "\n\n".join(blocks) + "\n"


def people_csv(result: Evaluation, *, lang: str = "en") -> str:
    """One row per leader, for the organisation department's export.

    Peer group, rank, posts, days, score, grade, eligibility, duty
    fulfilment; the law reports' panel scores, grades and panels (``;``
    between several reports); how many problems named against the leader are
    not yet rectified; and the leader's other columns of ``people.csv`` (职级
    …), each under its own name (``people.<name>`` where that name is one of
    these columns). The header row holds column names for programs, the same
    in every language; ``not_graded``, a reason, is in ``lang``. Text cells
    that a spreadsheet would run as a formula are neutralised (see
    :mod:`rulelaw.report._csv`); numbers are written as they are.
    """
    lang = language(lang)
    fixed = [
        "peer_group",
        "rank",
        "person",
        "name",
        "main_role",
        "posts",
        "days",
        "score",
        "grade",
        "eligible",
        "not_graded",
        "fulfilment",
        "flagged",
        "report_scores",
        "report_grades",
        "report_panels",
        "open_problems",
        "recommendations",
    ]
    names = list(dict.fromkeys(name for p in result.people for name in p.attributes))
    rows: list[list[object]] = [[*fixed, *(f"people.{n}" if n in fixed else n for n in names)]]
    for distribution in result.people_distribution:
        members = sorted(
            (p for p in result.people if p.peer_group == distribution.peer_group),
            key=lambda p: (p.rank, p.person),
        )
        for p in members:
            rows.append(
                [
                    p.peer_group,
                    p.rank,
                    p.person,
                    p.name,
                    p.main_role,
                    ";".join(f"{post.unit}:{post.role}:{post.days}" for post in p.posts),
                    p.days_in_post,
                    p.score,
                    p.grade_label or "",
                    "yes" if p.eligible else "no",
                    shown(p.not_graded, lang, result.catalogue),
                    "" if p.fulfilment is None else p.fulfilment,
                    ";".join(p.flagged),
                    *_report_cells(_reports_of(result, p.person)),
                    sum(1 for row in _problems_of(result, p) if row.status in _OPEN),
                    ";".join(r.title for r in p.recommendations),
                    *(p.attributes.get(n, "") for n in names),
                ]
            )
    return csv_text(rows)


#: the ledger's statuses of a problem not yet rectified
_OPEN = frozenset({"open", "rectifying"})


def _report_cells(reports: list[PanelResult]) -> list[str]:
    """A leader's law reports' scores, grades and panels, each cell ``;``-separated."""
    return [
        ";".join("" if r.score is None else decimal_text(r.score) or "" for r in reports),
        ";".join(r.grade_label or "" for r in reports),
        ";".join(r.panel for r in reports),
    ]


def _sheet_text(result: Evaluation, person: PersonResult, lang: str) -> str:
    catalogue = result.catalogue

    def s(code: str, **params: object) -> str:
        return say(f"sheet.{code}", lang, catalogue, **params)

    def role(role_id: str) -> str:
        return result.roles.get(role_id, role_id)

    english = lang == "en"
    roles = joined((role(r) for r in person.roles), lang)
    scheme: dict[str, object] = {
        "title": result.scheme_title,
        "scheme": result.scheme_id,
        "version": result.scheme_version,
        "as_of": result.as_of,
    }
    if result.period_start and result.period_end:
        period = s("period", start=result.period_start, end=result.period_end)
        heading = s("scheme", period=period, **scheme)
    else:
        heading = s("scheme-no-period", **scheme)
    reason = shown(person.not_graded, lang, catalogue)
    grade = person.grade_label or s("not-graded", reason=reason)
    # the peer group by its key in English (as it always was), by its name in Chinese
    group = person.peer_group
    if not english:
        group = next(
            (d.name for d in result.people_distribution if d.peer_group == person.peer_group),
            group,
        )
    lines = [
        s("title"),
        heading,
        "",
        s("person", name=person.name, person=person.person, roles=roles),
        s(
            "in-post",
            time=shown(person.time_in_post, lang, catalogue),
            days=person.days_in_post,
        ),
        s(
            "score",
            score=str(person.score),
            grade=grade,
            rank=person.rank,
            peer_group=group,
            overall=person.rank_overall,
        ),
        "",
        s("posts"),
        tabulate(
            [
                (
                    p.unit,
                    p.unit_name,
                    role(p.role),
                    day(p.start, lang),
                    day(p.end, lang) if p.end else s("in-post-still"),
                    p.days,
                    f"{p.share}%",
                    p.total,
                    p.grade or NOT_GRADED,
                    p.rank,
                )
                for p in person.posts
            ],
            headers=headers(
                "sheet.post.column",
                ("unit", "name", "role", "from", "to", "days", "share", "total", "grade", "rank"),
                lang,
                catalogue,
            ),
            disable_numparse=True,
        ),
        "",
        s("grade-steps"),
        *(f"  {shown(step, lang, catalogue)}" for step in person.grade_steps),
        "",
    ]
    if person.duties:
        if person.fulfilment is None:
            lines.append(s("duties"))
        else:
            lines.append(s("duties-overall", rate=str(person.fulfilment)))
        lines.append(
            tabulate(
                [
                    (
                        role(d.role),
                        d.duty,
                        d.title,
                        label("duty-group", d.group, lang, catalogue) if d.group else "",
                        f"{d.weight}%",
                        "—" if d.rate is None else f"{d.rate}%",
                        s("duty.below") if d.flagged else "",
                    )
                    for d in person.duties
                ],
                headers=headers(
                    "sheet.duty.column",
                    ("role", "duty", "title", "group", "weight", "fulfilled", "flag"),
                    lang,
                    catalogue,
                ),
                disable_numparse=True,
            )
        )
        lines.append("")
        lines.append(s("evidence"))
        lines.extend(f"  {d.duty}  {shown(d.reason, lang, catalogue)}" for d in person.duties)
    else:
        lines.append(s("no-duty-list"))
    if person.vetoes:
        lines.append("")
        lines.append(s("vetoes", vetoes=joined(person.vetoes, lang)))
    reports = [r for r in result.panels if r.person == person.person]
    lines.append("")
    if reports:
        lines.append(s("law-reports"))
        for r in reports:
            if r.score is None:
                score = s("no-result")
            else:
                score = s("panel-score", score=str(r.score), grade=r.grade_label or "—")
            forms = joined((label("form", f, lang, catalogue) for f in r.forms), lang, en="; ")
            line = s(
                "law-report",
                report=r.report,
                date=r.date,
                forms=forms,
                panel=r.panel,
                score=score,
                reason=shown(r.reason, lang, catalogue),
            )
            lines.append(f"  {line}")
    else:
        lines.append(s("no-law-reports"))
    if person.recommendations:
        lines.append("")
        lines.append(s("recommendations"))
        lines.extend(
            "  "
            + s(
                "recommendation",
                title=r.title,
                consequence=r.consequence,
                reason=shown(r.reason, lang, catalogue),
            )
            for r in person.recommendations
        )
    problems = [row for row in _problems_of(result, person) if row.status in _OPEN]
    lines.append("")
    if problems:
        lines.append(s("problems"))
        for row in problems:
            found: dict[str, object] = {
                "problem": row.problem,
                "unit": row.unit,
                "description": row.description,
                "status": label("ledger.status", row.status, lang, catalogue),
                "deadline": row.deadline,
            }
            if not row.days_overdue:
                line = s("problem", **found)
            elif row.stage is None:
                line = s("problem-overdue", days=row.days_overdue, **found)
            else:
                line = s("problem-escalated", days=row.days_overdue, stage=row.stage, **found)
            lines.append(f"  {line}")
    else:
        lines.append(s("no-problems"))
    return "\n".join(lines) + "\n"


def _sheet_csv(person: PersonResult) -> str:
    rows: list[list[object]] = [
        [
            "section",
            "person",
            "name",
            "role",
            "unit",
            "duty",
            "title",
            "days",
            "share",
            "total",
            "grade",
            "rank",
            "weight",
            "rate",
            "flagged",
        ],
        [
            "person",
            person.person,
            person.name,
            person.main_role,
            person.main_unit,
            "",
            "",
            person.days_in_post,
            "",
            person.score,
            person.grade_label or "",
            person.rank,
            "",
            person.fulfilment if person.fulfilment is not None else "",
            ";".join(person.flagged),
        ],
    ]
    for p in person.posts:
        rows.append(
            [
                "post",
                person.person,
                person.name,
                p.role,
                p.unit,
                "",
                p.unit_name,
                p.days,
                p.share,
                p.total,
                p.grade or "",
                p.rank,
                "",
                "",
                "",
            ]
        )
    for d in person.duties:
        rows.append(
            [
                "duty",
                person.person,
                person.name,
                d.role,
                "",
                d.duty,
                d.title,
                "",
                "",
                "",
                "",
                "",
                d.weight,
                "" if d.rate is None else d.rate,
                "yes" if d.flagged else "",
            ]
        )
    return csv_text(rows)


def sheet(
    result: Evaluation, person: PersonResult, format: str = "text", *, lang: str = "en"
) -> str:
    """The leader's evaluation sheet (述职评议表) as text, JSON or CSV.

    ``lang`` (``"en"`` or ``"zh-CN"``) is the language of the text sheet and
    of the JSON's texts; the CSV is for programs: its headers and section
    names are the same in every language.
    """
    lang = language(lang)
    if format == "json":
        data = person_data(person, lang=lang, catalogue=result.catalogue, result=result)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if format == "csv":
        return _sheet_csv(person)
    if format == "text":
        return _sheet_text(result, person, lang)
    raise ValueError(f"unknown sheet format {format!r} (expected text, json or csv)")
