"""Renderings for responsible persons: the people table and the leader's evaluation sheet."""

from __future__ import annotations

import json
from typing import Any

from tabulate import tabulate

from rulelaw.engine import Evaluation, PersonResult
from rulelaw.model import decimal_text
from rulelaw.report._csv import csv_text

__all__ = ["people_csv", "people_table", "person_data", "sheet"]


def person_data(person: PersonResult) -> dict[str, Any]:
    """One person's result as JSON-ready data (decimals as strings)."""
    return {
        "person": person.person,
        "name": person.name,
        "roles": list(person.roles),
        "main_role": person.main_role,
        "main_unit": person.main_unit,
        "days_in_post": person.days_in_post,
        "time_in_post": person.time_in_post,
        "eligible": person.eligible,
        "not_graded": person.not_graded or None,
        "score": decimal_text(person.score),
        "peer_group": person.peer_group,
        "grade": person.grade_label,
        "grade_id": person.grade,
        "rank": person.rank,
        "rank_overall": person.rank_overall,
        "grade_steps": list(person.grade_steps),
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
                "reason": d.reason,
            }
            for d in person.duties
        ],
        "fulfilment": decimal_text(person.fulfilment),
        "flagged": list(person.flagged),
    }


def people_table(result: Evaluation, tablefmt: str = "simple") -> str:
    """Every leader by peer group and rank: posts, days, score, grade, duty fulfilment."""
    blocks = [f"{result.scheme_title} — responsible persons, as of {result.as_of.isoformat()}"]
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
                ", ".join(f"{post.unit} {post.share}%" for post in p.posts),
                p.days_in_post,
                p.score,
                p.grade_label or "不确定等次",
                "—" if p.fulfilment is None else f"{p.fulfilment}%",
                ", ".join(p.flagged),
            )
            for p in members
        ]
        blocks.append(f"{distribution.name} — {len(members)}")
        blocks.append(
            tabulate(
                rows,
                headers=(
                    "rank",
                    "person",
                    "name",
                    "posts (share of period)",
                    "days",
                    "score",
                    "grade",
                    "duties",
                    "flagged",
                ),
                tablefmt=tablefmt,
                disable_numparse=True,
            )
        )
    if result.post_gaps:
        blocks.append("posts that stood empty:")
        blocks.append(
            tabulate(
                [
                    (
                        g.unit,
                        result.roles.get(g.role, g.role),
                        g.start.isoformat(),
                        g.end.isoformat(),
                        g.days,
                    )
                    for g in result.post_gaps
                ],
                headers=("unit", "role", "from", "to", "days"),
                tablefmt=tablefmt,
                disable_numparse=True,
            )
        )
    return "\n\n".join(blocks) + "\n"


def people_csv(result: Evaluation) -> str:
    """One row per leader: peer group, rank, posts, days, score, grade, duty fulfilment.

    Text cells that a spreadsheet would run as a formula are neutralised
    (see :mod:`rulelaw.report._csv`); numbers are written as they are.
    """
    rows: list[list[object]] = [
        [
            "peer_group",
            "rank",
            "person",
            "name",
            "main_role",
            "posts",
            "days",
            "score",
            "grade",
            "not_graded",
            "fulfilment",
            "flagged",
        ]
    ]
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
                    p.not_graded,
                    "" if p.fulfilment is None else p.fulfilment,
                    ";".join(p.flagged),
                ]
            )
    return csv_text(rows)


def _sheet_text(result: Evaluation, person: PersonResult) -> str:
    roles = ", ".join(result.roles.get(r, r) for r in person.roles)
    period = (
        f"{result.period_start.isoformat()} … {result.period_end.isoformat()}"
        if result.period_start and result.period_end
        else ""
    )
    grade = person.grade_label or f"不确定等次 ({person.not_graded})"
    lines = [
        "述职评议表 — leader's evaluation sheet",
        f"{result.scheme_title} ({result.scheme_id} v{result.scheme_version}), "
        f"period {period}, as of {result.as_of.isoformat()}",
        "",
        f"{person.name} ({person.person}) — {roles}",
        f"in post {person.time_in_post} of the period ({person.days_in_post} days)",
        f"score {person.score} (days-weighted mean of the units' totals); grade {grade}; "
        f"rank {person.rank} among {person.peer_group!r}, {person.rank_overall} overall",
        "",
        "posts:",
        tabulate(
            [
                (
                    p.unit,
                    p.unit_name,
                    result.roles.get(p.role, p.role),
                    p.start.isoformat(),
                    p.end.isoformat() if p.end else "—",
                    p.days,
                    f"{p.share}%",
                    p.total,
                    p.grade or "不确定等次",
                    p.rank,
                )
                for p in person.posts
            ],
            headers=(
                "unit",
                "name",
                "role",
                "from",
                "to",
                "days",
                "share",
                "total",
                "grade",
                "rank",
            ),
            disable_numparse=True,
        ),
        "",
        "grade decided:",
        *(f"  {step}" for step in person.grade_steps),
        "",
    ]
    if person.duties:
        lines.append(
            "duty fulfilment"
            + ("" if person.fulfilment is None else f" (overall {person.fulfilment}%)")
            + ":"
        )
        lines.append(
            tabulate(
                [
                    (
                        result.roles.get(d.role, d.role),
                        d.duty,
                        d.title,
                        d.group or "",
                        f"{d.weight}%",
                        "—" if d.rate is None else f"{d.rate}%",
                        "⚑ below threshold" if d.flagged else "",
                    )
                    for d in person.duties
                ],
                headers=("role", "duty", "title", "group", "weight", "fulfilled", "flag"),
                disable_numparse=True,
            )
        )
        lines.append("")
        lines.append("evidence:")
        lines.extend(f"  {d.duty}  {d.reason}" for d in person.duties)
    else:
        lines.append("duty fulfilment: the scheme declares no duty list for these roles")
    if person.vetoes:
        lines.append("")
        lines.append("vetoes at the units led: " + ", ".join(person.vetoes))
    reports = [r for r in result.panels if r.person == person.person]
    lines.append("")
    if reports:
        lines.append("law reports (述法):")
        for r in reports:
            score = "no result" if r.score is None else f"{r.score}, {r.grade_label or '—'}"
            lines.append(
                f"  {r.report} {r.date.isoformat()} ({'; '.join(r.forms)}) on panel "
                f"{r.panel}: {score} — {r.reason}"
            )
    else:
        lines.append("law reports (述法): none rated by a panel")
    units = {p.unit for p in person.posts}
    problems = [
        row
        for row in result.ledger
        if (row.person == person.person or (row.person is None and row.unit in units))
        and row.status not in ("rectified", "verified")
    ]
    lines.append("")
    if problems:
        lines.append("open problems (整改台账):")
        for row in problems:
            days = f"{row.days_overdue} day{'s' if row.days_overdue != 1 else ''}"
            overdue = f", {days} overdue ({row.stage})" if row.days_overdue else ""
            lines.append(
                f"  {row.problem} {row.unit}: {row.description} — {row.status}, "
                f"due {row.deadline.isoformat()}{overdue}"
            )
    else:
        lines.append("open problems (整改台账): none")
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


def sheet(result: Evaluation, person: PersonResult, format: str = "text") -> str:
    """The leader's evaluation sheet (述职评议表) as text, JSON or CSV."""
    if format == "json":
        return json.dumps(person_data(person), ensure_ascii=False, indent=2) + "\n"
    if format == "csv":
        return _sheet_csv(person)
    if format == "text":
        return _sheet_text(result, person)
    raise ValueError(f"unknown sheet format {format!r} (expected text, json or csv)")
