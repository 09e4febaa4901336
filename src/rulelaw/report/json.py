"""The JSON document of an evaluation: decimals as strings, keys in a fixed order.

The document's shape is published as a JSON Schema
(``rulelaw/schemas/evaluation.schema.json``); the same evaluation always
gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from rulelaw.engine.results import Distribution, Evaluation, UnitResult
from rulelaw.report._format import decimal_text
from rulelaw.report.lawreports import coverage_data, ledger_data, panel_data
from rulelaw.report.people import person_data

__all__ = ["evaluation_data", "to_json"]


def _unit(u: UnitResult) -> dict[str, Any]:
    return {
        "unit": u.unit,
        "name": u.name,
        "category": u.category,
        "level": u.level,
        "subtotal": decimal_text(u.subtotal),
        "total": decimal_text(u.total),
        "vetoes": list(u.vetoes),
        "peer_group": u.peer_group,
        "grade": u.grade_label,
        "grade_id": u.grade,
        "not_graded": u.not_graded or None,
        "rank": u.rank,
        "rank_overall": u.rank_overall,
        "grade_steps": list(u.grade_steps),
        "indicators": [
            {
                "indicator": r.indicator,
                "title": r.title,
                "dimension": r.dimension,
                "kind": r.kind,
                "status": r.status,
                "observed": r.observed,
                "rule_points": decimal_text(r.rule_points),
                "rule_max": decimal_text(r.rule_max),
                "weight": decimal_text(r.weight),
                "max": decimal_text(r.effective_weight),
                "points": decimal_text(r.points),
                "band": r.band,
                "reason": r.reason,
                "source": r.source,
            }
            for r in u.indicators
        ],
        "dimensions": [
            {
                "dimension": d.dimension,
                "title": d.title,
                "level": d.level,
                "points": decimal_text(d.points),
                "max": decimal_text(d.max),
            }
            for d in u.dimensions
        ],
        "adjustments": [
            {"kind": a.kind, "item": a.item, "points": decimal_text(a.points), "reason": a.reason}
            for a in u.adjustments
        ],
    }


def _distribution(d: Distribution) -> dict[str, Any]:
    return {
        "peer_group": d.peer_group,
        "name": d.name,
        "units": d.units,
        "counted": d.counted,
        "not_graded": d.not_graded,
        "grades": [
            {
                "grade": g.label,
                "grade_id": g.grade,
                "count": g.count,
                "max": g.max,
                "min": g.min,
                "exceeded": g.exceeded,
                "short": g.short,
            }
            for g in d.grades
        ],
    }


def evaluation_data(result: Evaluation) -> dict[str, Any]:
    """The JSON document as Python data (dicts, lists, strings)."""
    return {
        "rulelaw": result.rulelaw_version,
        "scheme": {
            "id": result.scheme_id,
            "title": result.scheme_title,
            "version": result.scheme_version,
            "scale": decimal_text(result.scale),
            "places": result.places,
            "categories": dict(result.categories),
        },
        "as_of": result.as_of.isoformat(),
        "sources": {name: {"sha256": digest} for name, digest in result.sources.items()},
        "peer_group": result.peer_group,
        "distribution": [_distribution(d) for d in result.distribution],
        "people_distribution": [_distribution(d) for d in result.people_distribution],
        "people": [person_data(p) for p in result.people],
        "post_gaps": [
            {
                "unit": g.unit,
                "role": g.role,
                "start": g.start.isoformat(),
                "end": g.end.isoformat(),
                "days": g.days,
            }
            for g in result.post_gaps
        ],
        "panels": [panel_data(r) for r in result.panels],
        "report_distribution": [_distribution(d) for d in result.report_distribution],
        "rejected_ballots": [
            {
                "origin": b.origin,
                "report": b.report,
                "group": b.group,
                "rater": b.rater,
                "value": b.value,
                "reason": b.reason,
            }
            for b in result.rejected_ballots
        ],
        "coverage": [coverage_data(r) for r in result.coverage],
        "ledger": [ledger_data(r) for r in result.ledger],
        "units": [_unit(u) for u in result.units],
    }


def to_json(result: Evaluation) -> str:
    """The evaluation as a JSON text (Chinese kept as is), ending in a newline.

    The head is indented for reading; each unit takes one compact line, which
    keeps a province-sized document quick to write and easy to ``grep``.
    """
    data = evaluation_data(result)
    units = data.pop("units")
    head = json.dumps(data, ensure_ascii=False, indent=2)
    if not units:
        return head[:-2] + ',\n  "units": []\n}\n'
    lines = ",\n".join(
        "    " + json.dumps(u, ensure_ascii=False, separators=(",", ": ")) for u in units
    )
    return head[:-2] + ',\n  "units": [\n' + lines + "\n  ]\n}\n"
