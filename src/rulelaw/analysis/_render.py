"""A comparison as text, Markdown, HTML and JSON."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
from tabulate import tabulate

from rulelaw.messages import Message, params_data
from rulelaw.model import PercentOfScale, decimal_text, signed_text

# The comparison's classes are read by their fields only (this module sits below
# rulelaw.analysis._compare, whose methods call it): annotated as Any.
Comparison = Any
UnitChange = Any

__all__ = ["comparison_data", "comparison_json", "comparison_text"]


def _say(code: str, lang: str, **params: object) -> str:
    return Message(code, tuple(params.items())).text(lang)


def _number(value: Decimal | None) -> str:
    return "—" if value is None else decimal_text(value)


def _arrow(before: object, after: object) -> str:
    a = "—" if before is None else str(before)
    b = "—" if after is None else str(after)
    return a if a == b else f"{a} → {b}"


def _grade(label: str | None, lang: str) -> str:
    return label if label is not None else _say("compare.not-graded", lang)


def comparison_text(result: Comparison, *, lang: str = "en", tablefmt: str = "simple") -> str:
    """The units that moved (and why), each peer group's grade transitions, the scheme's changes."""
    heading = {"html": "<h3>{}</h3>", "github": "## {}"}.get(tablefmt, "{}")
    sub = {"html": "<h4>{}</h4>", "github": "### {}"}.get(tablefmt, "{}")
    moved = result.moved
    blocks = [
        heading.format(
            _say(
                "compare.head.title",
                lang,
                before=result.before,
                after=result.after,
                units=len(result.units),
                moved=len(moved),
            )
        )
    ]
    if moved:
        rows = [_row(u, lang) for u in moved]
        headers = [
            _say(f"compare.head.{h}", lang)
            for h in ("unit", "name", "total", "delta", "rank", "grade", "why")
        ]
        blocks.append(tabulate(rows, headers=headers, tablefmt=tablefmt, disable_numparse=True))
    else:
        blocks.append(_say("compare.head.nothing-moved", lang))
    still: list[str] = []
    for group in dict.fromkeys(t.peer_group for t in result.transitions):
        if all(
            t.grade_before == t.grade_after for t in result.transitions if t.peer_group == group
        ):
            still.append(group)
            continue
        counts = {
            (t.grade_before, t.grade_after): t.count
            for t in result.transitions
            if t.peer_group == group
        }
        labels = _labels(result, group)
        order = [g for g in result.grades if any(g in key for key in counts)]
        if any(k[0] is None or k[1] is None for k in counts):
            order.append(None)  # not graded
        rows = [
            [_grade(labels.get(x), lang)] + [str(counts.get((x, y), 0)) for y in order]
            for x in order
        ]
        blocks.append(sub.format(_say("compare.head.transitions", lang, group=group)))
        blocks.append(
            tabulate(
                rows,
                headers=["", *(_grade(labels.get(y), lang) for y in order)],
                tablefmt=tablefmt,
                disable_numparse=True,
            )
        )
    if still:
        blocks.append(_say("compare.head.no-grade-moved", lang, groups=tuple(still)))
    if result.schemes is not None and result.schemes.changes:
        blocks.append(scheme_diff_text(result.schemes, lang=lang, tablefmt=tablefmt).rstrip("\n"))
    return "\n\n".join(blocks) + "\n"


def _labels(result: Comparison, group: str) -> dict[str | None, str]:
    labels: dict[str | None, str] = {}
    for u in result.units:
        if u.peer_group != group:
            continue
        if u.grade_before is not None and u.grade_label_before is not None:
            labels[u.grade_before] = u.grade_label_before
        if u.grade_after is not None and u.grade_label_after is not None:
            labels[u.grade_after] = u.grade_label_after
    return labels


def _row(u: UnitChange, lang: str) -> list[str]:
    return [
        u.unit,
        u.name,
        _arrow(_number(u.total_before), _number(u.total_after)),
        signed_text(u.delta) if u.presence == "both" else "",
        _arrow(u.rank_before, u.rank_after),
        _arrow(_grade(u.grade_label_before, lang), _grade(u.grade_label_after, lang)),
        "; ".join(c.text(lang) for c in u.causes),
    ]


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def _message(m: Message, lang: str) -> dict[str, Any]:
    return {"code": m.code, "params": params_data(m), "text": m.text(lang)}


def comparison_data(result: Comparison, *, lang: str = "en") -> dict[str, Any]:
    """The comparison as JSON-ready data (see ``comparison.schema.json``)."""
    return {
        "before": result.before,
        "after": result.after,
        "units": [
            {
                "unit": u.unit,
                "name": u.name,
                "presence": u.presence,
                "peer_group": u.peer_group,
                "total_before": _decimal(u.total_before),
                "total_after": _decimal(u.total_after),
                "delta": decimal_text(u.delta),
                "grade_before": u.grade_before,
                "grade_after": u.grade_after,
                "grade_steps": u.grade_steps,
                "rank_before": u.rank_before,
                "rank_after": u.rank_after,
                "adjustments": decimal_text(u.adjustments),
                "passed_by": list(u.passed_by),
                "passed": list(u.passed),
                "indicators": [
                    {
                        "indicator": c.indicator,
                        "before": _decimal(c.before),
                        "after": _decimal(c.after),
                        "delta": decimal_text(c.delta),
                        "causes": list(c.causes),
                    }
                    for c in u.indicators
                ],
                "causes": [_message(c, lang) for c in u.causes],
            }
            for u in result.units
        ],
        "transitions": [
            {
                "peer_group": t.peer_group,
                "grade_before": t.grade_before,
                "grade_after": t.grade_after,
                "count": t.count,
            }
            for t in result.transitions
        ],
        "schemes": None if result.schemes is None else scheme_diff_data(result.schemes, lang=lang),
    }


def scheme_diff_text(diff: Any, *, lang: str = "en", tablefmt: str = "simple") -> str:
    """A :class:`~rulelaw.analysis.SchemeDiff` as a heading and one line per change."""
    head = _say("compare.head.schemes", lang, before=diff.before, after=diff.after)
    if tablefmt == "html":
        items = "".join(f"<li>{html.escape(c.describe(lang))}</li>" for c in diff.changes)
        return f"<p>{html.escape(head)}</p><ul>{items}</ul>\n"
    if not diff.changes:
        return head + "\n" + _say("compare.head.no-changes", lang) + "\n"
    return head + "\n" + "".join(f"- {c.describe(lang)}\n" for c in diff.changes)


def scheme_diff_data(diff: Any, *, lang: str = "en") -> dict[str, Any]:
    """A :class:`~rulelaw.analysis.SchemeDiff` as JSON-ready data (the comparison's ``schemes``)."""
    return {
        "before": diff.before,
        "after": diff.after,
        "changes": [
            {
                "kind": c.kind,
                "node": c.node,
                "category": c.category,
                "param": c.param,
                "before": _plain(c.before),
                "after": _plain(c.after),
                "text": c.describe(lang),
            }
            for c in diff.changes
        ],
    }


def scheme_diff_json(diff: Any, *, lang: str = "en") -> str:
    """A :class:`~rulelaw.analysis.SchemeDiff` as a JSON text, ending in a newline."""
    return json.dumps(scheme_diff_data(diff, lang=lang), ensure_ascii=False, indent=2) + "\n"


def _plain(value: object) -> Any:
    """A scheme value as JSON: decimals as text, enums by value, sets sorted, the rest as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, frozenset | set):
        return sorted(map(str, value))
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, PercentOfScale):  # a grade's threshold: "90%"
        return str(value)
    if attrs.has(type(value)):  # an adjustment item or a verification case, field by field
        fields: tuple[Any, ...] = attrs.fields(type(value))  # type: ignore[arg-type]
        return {f.alias: _plain(getattr(value, f.name)) for f in fields if f.init}
    enum_value = getattr(value, "value", None)
    if isinstance(enum_value, str):
        return enum_value
    return str(value)


def comparison_json(result: Comparison, *, lang: str = "en") -> str:
    """The comparison as a JSON text (Chinese kept as is), ending in a newline."""
    return json.dumps(comparison_data(result, lang=lang), ensure_ascii=False, indent=2) + "\n"
