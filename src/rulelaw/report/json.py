"""The JSON document of an evaluation: decimals as strings, keys in a fixed order.

The document's shape is published as a JSON Schema
(``rulelaw/schemas/evaluation.schema.json``); the same evaluation always
gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, BinaryIO

import attrs

from rulelaw.engine.columnar import CategoryBlock, DimensionLines, IndicatorLines, _div_round
from rulelaw.engine.results import Distribution, Evaluation, UnitResult
from rulelaw.report._format import decimal_text
from rulelaw.report.lawreports import coverage_data, ledger_data, panel_data
from rulelaw.report.people import person_data

__all__ = ["evaluation_data", "pieces", "to_json", "write_json"]


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


def evaluation_data(result: Evaluation, *, units: bool = True) -> dict[str, Any]:
    """The JSON document as Python data (dicts, lists, strings); ``units=False`` leaves them out."""
    data = {
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
    }
    if units:
        data["units"] = [_unit(u) for u in result.units]
    return data


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ": "))


def _text(value: str | None) -> str:
    """A string (or ``None``) as JSON text, exactly as :func:`json.dumps` writes it."""
    return "null" if value is None else encode_basestring(value)


_UNIT_TAIL = ("indicators", "dimensions", "adjustments")


def _unit_text(u: UnitResult, blocks: dict[int, _BlockText]) -> str:
    """One unit's compact JSON line; lines kept in arrays are written from their block."""
    indicators, dimensions = u.indicators, u.dimensions
    if not (isinstance(indicators, IndicatorLines) and isinstance(dimensions, DimensionLines)):
        return _dumps(_unit(u))
    data = _unit(attrs.evolve(u, indicators=(), dimensions=()))
    head = {k: v for k, v in data.items() if k not in _UNIT_TAIL}
    block = blocks.get(id(indicators.block))
    if block is None:
        block = blocks[id(indicators.block)] = _BlockText(indicators.block)
    return (
        _dumps(head)[:-1]
        + ',"indicators": ['
        + block.indicators(indicators.position)
        + '],"dimensions": ['
        + block.dimensions(dimensions.position)
        + '],"adjustments": '
        + _dumps(data["adjustments"])
        + "}"
    )


class _BlockText:
    """The JSON of a category block's lines, assembled from pieces made once.

    Each indicator line is the text before its ``max`` (fixed per verdict),
    the two numbers, and the text after (fixed per verdict and source): the
    pieces are made once and picked per unit from the block's arrays.
    """

    def __init__(self, block: CategoryBlock) -> None:
        import numpy as np

        self.block = block
        plan, places = block.plan, block.rounding.places
        position = {leaf.id: j for j, leaf in enumerate(plan.leaves)}
        fixed: dict[str, str] = {}  # per leaf: the text up to "status"
        for leaf in plan.leaves:
            fixed[leaf.id] = (
                ("," if position[leaf.id] else "")
                + '{"indicator": '
                + _text(leaf.id)
                + ',"title": '
                + _text(leaf.title)
                + ',"dimension": '
                + _text(leaf.parent)
                + ',"kind": '
                + _text(block.rules[leaf.id].name)
                + ',"status": '
            )
        tail = {  # per leaf: from "rule_max" up to "max"
            leaf.id: ',"rule_max": '
            + _text(decimal_text(block.rules[leaf.id].max))
            + ',"weight": '
            + _text(decimal_text(plan.shown_weight[leaf.id]))
            + ',"max": '
            for leaf in plan.leaves
        }
        rule_points = _rule_points(block)
        before = [
            fixed[leaf.id]
            + _text(verdict.status)
            + ',"observed": '
            + _text(verdict.observed)
            + ',"rule_points": '
            + shown
            + tail[leaf.id]
            for verdict, leaf, shown in zip(
                block.verdicts, block.verdict_leaf, rule_points, strict=True
            )
        ]
        # the text after the numbers: per (verdict, source)
        sources = [e[1] for e in block.entries]
        source_at: dict[str, int] = {}
        source_id = np.array(
            [source_at.setdefault(x, len(source_at)) for x in sources], dtype=np.int64
        )
        distinct_sources = list(source_at)
        key = block.verdict * len(distinct_sources) + source_id[block.entry]
        keys, inverse = np.unique(key, return_inverse=True)
        after = [
            ',"band": '
            + _text(block.verdicts[k // len(distinct_sources)].band)
            + ',"reason": '
            + _text(block.verdicts[k // len(distinct_sources)].reason)
            + ',"source": '
            + _text(distinct_sources[k % len(distinct_sources)])
            + "}"
            for k in keys.tolist()
        ]
        n, m = block.verdict.shape
        worth, points = _numbers(places, block.worth, block.points)
        pieces = np.empty((n, m, 5), dtype=object)
        pieces[:, :, 0] = np.array(before, dtype=object)[block.verdict]
        pieces[:, :, 1] = worth
        pieces[:, :, 2] = ',"points": '
        pieces[:, :, 3] = points
        pieces[:, :, 4] = np.array(after, dtype=object)[inverse.reshape(n, m)]
        self._lines = pieces.reshape(n, m * 5)
        dims = plan.dimensions
        dim_pieces = np.empty((n, len(dims), 4), dtype=object)
        for d, (dimension, depth) in enumerate(dims):
            dim_pieces[:, d, 0] = (
                ("," if d else "")
                + _dumps({"dimension": dimension.id, "title": dimension.title, "level": depth})[:-1]
                + ',"points": '
            )
            dim_pieces[:, d, 2] = ',"max": '
        dim_pieces[:, :, 1], dim_pieces[:, :, 3] = _numbers(places, block.dim_points, block.dim_max)
        close = np.empty((n, len(dims), 1), dtype=object)
        close[:] = "}"
        self._dims = np.concatenate([dim_pieces, close], axis=2).reshape(n, len(dims) * 5)

    def indicators(self, u: int) -> str:
        """The indicator lines of unit ``u``, comma-separated."""
        return "".join(self._lines[u].tolist())

    def dimensions(self, u: int) -> str:
        """The dimension lines of unit ``u``, comma-separated."""
        return "".join(self._dims[u].tolist())


def _rule_points(block: CategoryBlock) -> list[str]:
    """Each verdict's own points as JSON text, rounded as declared (in integers when safe)."""
    import numpy as np

    places, mode = block.rounding.places, block.rounding.mode
    points = [v.points for v in block.verdicts]
    nums = [0 if p is None else p.numerator for p in points]
    dens = [1 if p is None else p.denominator for p in points]
    if (
        any(n < 0 for n in nums)
        or max(nums, default=0) * 10**places * 2 >= 1 << 62
        or max(dens, default=1) * 2 >= 1 << 62
    ):
        return [_text(decimal_text(block.rule_points(v))) for v in range(len(points))]
    counts = _div_round(
        np.array(nums, dtype=np.int64), np.array(dens, dtype=np.int64), places, mode
    )
    (texts,) = _numbers(places, counts)
    return ["null" if p is None else t for p, t in zip(points, texts.tolist(), strict=True)]


def _numbers(places: int, *arrays: Any) -> list[Any]:
    """Integer counts of ``10**-places`` as JSON strings, each distinct count formatted once."""
    import numpy as np

    flat = np.concatenate([np.asarray(a, dtype=object).ravel() for a in arrays])
    if not len(flat):
        return [np.empty(np.shape(a), dtype=object) for a in arrays]
    top = int(flat.max())
    if top < 1 << 16:  # a table of every count up to the largest
        table = np.array(
            [_text(decimal_text(Decimal(k).scaleb(-places))) for k in range(top + 1)],
            dtype=object,
        )
        return [table[np.asarray(a, dtype=np.int64)] for a in arrays]
    distinct, inverse = np.unique(flat, return_inverse=True)
    texts = np.array(
        [_text(decimal_text(Decimal(int(k)).scaleb(-places))) for k in distinct.tolist()],
        dtype=object,
    )[inverse.reshape(-1)]
    found: list[Any] = []
    start = 0
    for a in arrays:
        size = int(np.size(a))
        found.append(texts[start : start + size].reshape(np.shape(a)))
        start += size
    return found


def pieces(result: Evaluation) -> Iterator[str]:
    """The JSON document in pieces (the head, then one piece per unit)."""
    data = evaluation_data(result, units=False)
    head = json.dumps(data, ensure_ascii=False, indent=2)
    if not result.units:
        yield head[:-2] + ',\n  "units": []\n}\n'
        return
    yield head[:-2] + ',\n  "units": [\n'
    blocks: dict[int, _BlockText] = {}
    last = len(result.units) - 1
    for i, u in enumerate(result.units):
        yield "    " + _unit_text(u, blocks) + (",\n" if i < last else "\n  ]\n}\n")


def to_json(result: Evaluation) -> str:
    """The evaluation as a JSON text (Chinese kept as is), ending in a newline.

    The head is indented for reading; each unit takes one compact line, which
    keeps a province-sized document quick to write and easy to ``grep``.
    """
    return "".join(pieces(result))


def write_json(result: Evaluation, stream: BinaryIO) -> None:
    """Write :func:`to_json`'s text to a binary stream in UTF-8, a unit at a time."""
    for piece in pieces(result):
        stream.write(piece.encode("utf-8"))
