"""The JSON document of an evaluation: decimals as strings, keys in a fixed order.

The document's shape is published as a JSON Schema
(``rulelaw/schemas/evaluation.schema.json``); the same evaluation always
gives the same bytes.

A text field that holds a :class:`~rulelaw.messages.Message` (a reason, a
grade step) carries its code and parameters beside the rendered text:
``"reason"``, ``"reason_code"``, ``"reason_params"`` (for a list of texts,
``"grade_steps"``, ``"grade_steps_codes"``, ``"grade_steps_params"``). The
texts are in the language asked for (``lang``); the codes and parameters
are the same in every language.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from decimal import Decimal
from itertools import chain
from json.encoder import encode_basestring
from typing import Any, BinaryIO

from rulelaw.engine import (
    Adjustment,
    CategoryBlock,
    DimensionLines,
    DimensionResult,
    Distribution,
    Evaluation,
    IndicatorLines,
    UnitResult,
)
from rulelaw.files import write_pieces
from rulelaw.messages import Catalogue, Message, params_data
from rulelaw.model import decimal_text, round_quotient, scaled
from rulelaw.report._words import language, message_fields, message_lists, shown
from rulelaw.report.lawreports import coverage_data, ledger_data, panel_data
from rulelaw.report.people import person_data

__all__ = ["evaluation_data", "pieces", "to_json", "unit_data", "unit_json", "write_json"]


def unit_data(
    u: UnitResult, *, lang: str = "en", catalogue: Catalogue | None = None
) -> dict[str, Any]:
    """One unit's part of the JSON document (an item of ``units``) as Python data.

    Texts are in ``lang``, rendered by ``catalogue`` (rulelaw's own by
    default; pass the evaluation's, ``result.catalogue``, for the texts of
    third-party kinds).
    """
    return {
        **_unit_head(u, lang, catalogue),
        "indicators": [
            {
                "indicator": r.indicator,
                "status": r.status,
                **message_fields("observed", r.observed, lang, catalogue),
                "rule_points": decimal_text(r.rule_points),
                "max": decimal_text(r.effective_weight),
                "points": decimal_text(r.points),
                "band": r.band,
                **message_fields("reason", r.reason, lang, catalogue),
                **message_fields("source", r.source, lang, catalogue),
            }
            for r in u.indicators
        ],
        "dimensions": [_dimension(d, lang, catalogue) for d in u.dimensions],
        "adjustments": _adjustments(u, lang, catalogue),
    }


def unit_json(u: UnitResult, *, lang: str = "en", catalogue: Catalogue | None = None) -> str:
    """One unit's part of the JSON document as a JSON text of its own, indented, with a newline.

    The same data as the unit's item of ``units`` in :func:`to_json`; the
    indicators' titles and kinds are in the document's ``scheme.indicators``.
    ``lang`` and ``catalogue`` as for :func:`unit_data`.
    """
    data = unit_data(u, lang=language(lang), catalogue=catalogue)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _dimension(d: DimensionResult, lang: str, catalogue: Catalogue | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "dimension": d.dimension,
        "points": decimal_text(d.points),
        "max": decimal_text(d.max),
    }
    found.update(message_fields("reason", d.reason, lang, catalogue))
    if d.rounding is not None:
        found["rounding"] = _dimension_line(d.rounding, lang, catalogue)
    return found


def _dimension_line(line: Adjustment, lang: str, catalogue: Catalogue | None) -> dict[str, Any]:
    """A dimension's rounding line: its points and reason (its kind and item go without saying)."""
    return {
        "points": decimal_text(line.points),
        **message_fields("reason", line.reason, lang, catalogue),
    }


def _adjustments(u: UnitResult, lang: str, catalogue: Catalogue | None) -> list[dict[str, Any]]:
    return [
        {
            "kind": a.kind,
            "item": a.item,
            "points": decimal_text(a.points),
            **message_fields("reason", a.reason, lang, catalogue),
        }
        for a in u.adjustments
    ]


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


def evaluation_data(result: Evaluation, *, units: bool = True, lang: str = "en") -> dict[str, Any]:
    """The JSON document as Python data (dicts, lists, strings); ``units=False`` leaves them out.

    Texts are in ``lang`` (``"en"`` or ``"zh-CN"``), with their codes and
    parameters beside them.
    """
    lang = language(lang)
    catalogue = result.catalogue
    data = {
        "rulelaw": result.rulelaw_version,
        "scheme": {
            "id": result.scheme_id,
            "title": result.scheme_title,
            "version": result.scheme_version,
            "scale": decimal_text(result.scale),
            "places": result.places,
            "categories": dict(result.categories),
            "dimensions": {
                d.dimension: {"title": d.title, "parent": d.parent, "level": d.level}
                for d in result.dimensions
            },
            "indicators": {
                i.indicator: {
                    "title": i.title,
                    "dimension": i.dimension,
                    "kind": i.kind,
                    "rule_max": decimal_text(i.rule_max),
                    "weights": {c: decimal_text(w) for c, w in i.weights.items()},
                    "tags": list(i.tags),
                }
                for i in result.indicators
            },
        },
        "as_of": result.as_of.isoformat(),
        "sources": {name: {"sha256": digest} for name, digest in result.sources.items()},
        "peer_group": result.peer_group,
        "distribution": [_distribution(d) for d in result.distribution],
        "people_distribution": [_distribution(d) for d in result.people_distribution],
        "people": [
            person_data(p, lang=lang, catalogue=catalogue, result=result) for p in result.people
        ],
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
        "panels": [panel_data(r, lang=lang, catalogue=catalogue) for r in result.panels],
        "report_distribution": [_distribution(d) for d in result.report_distribution],
        "rejected_ballots": [
            {
                **message_fields("origin", b.origin, lang, catalogue),
                "report": b.report,
                "group": b.group,
                "rater": b.rater,
                "value": b.value,
                **message_fields("reason", b.reason, lang, catalogue),
            }
            for b in result.rejected_ballots
        ],
        "coverage": [coverage_data(r) for r in result.coverage],
        "ledger": [ledger_data(r) for r in result.ledger],
    }
    if units:
        data["units"] = [unit_data(u, lang=lang, catalogue=catalogue) for u in result.units]
    return data


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ": "))


def _text(value: str | None) -> str:
    """A string (or ``None``) as JSON text, exactly as :func:`json.dumps` writes it."""
    return "null" if value is None else encode_basestring(value)


def _unit_head(
    u: UnitResult, lang: str = "en", catalogue: Catalogue | None = None
) -> dict[str, Any]:
    """A unit's fields before its lines (the first keys of :func:`unit_data`)."""
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
        **message_lists("grade_steps", u.grade_steps, lang, catalogue),
    }


def _texts(values: tuple[str, ...]) -> str:
    return "[" + ",".join(map(_text, values)) + "]"


def _head_text(u: UnitResult, lang: str = "en", catalogue: Catalogue | None = None) -> str:
    """``_dumps(_unit_head(u))`` less its closing brace, put together directly (it is quicker)."""
    steps = u.grade_steps
    return (
        f'{{"unit": {_text(u.unit)},"name": {_text(u.name)},"category": {_text(u.category)}'
        f',"level": {_text(str(u.level))},"subtotal": "{decimal_text(u.subtotal)}"'
        f',"total": "{decimal_text(u.total)}","vetoes": {_texts(u.vetoes)}'
        f',"peer_group": {_text(u.peer_group)},"grade": {_text(u.grade_label)}'
        f',"grade_id": {_text(u.grade)},"not_graded": {_text(u.not_graded or None)}'
        f',"rank": {int(u.rank)},"rank_overall": {int(u.rank_overall)}'
        f',"grade_steps": {_texts(tuple(shown(s, lang, catalogue) for s in steps))}'
        + _steps_said(steps)
    )


def _steps_said(steps: tuple[str, ...]) -> str:
    """The ``grade_steps_codes`` and ``grade_steps_params`` of a unit's head, as JSON text."""
    if not any(isinstance(s, Message) for s in steps):
        nulls = "[" + ",".join(["null"] * len(steps)) + "]"
        return f',"grade_steps_codes": {nulls},"grade_steps_params": {nulls}'
    codes = _dumps([s.code if isinstance(s, Message) else None for s in steps])
    params = "[" + ",".join(_params_text(s) for s in steps) + "]"
    return f',"grade_steps_codes": {codes},"grade_steps_params": {params}'


def _unit_parts(
    u: UnitResult, blocks: dict[int, _BlockText], lang: str, catalogue: Catalogue
) -> list[bytes | memoryview]:
    """A unit's compact JSON line in UTF-8 parts; lines kept in arrays are cut from their block."""
    indicators, dimensions = u.indicators, u.dimensions
    if not (
        isinstance(indicators, IndicatorLines)
        and isinstance(dimensions, DimensionLines)
        and indicators.block is dimensions.block
        and indicators.position == dimensions.position
    ):
        return [_dumps(unit_data(u, lang=lang, catalogue=catalogue)).encode("utf-8")]
    block = blocks.get(id(indicators.block))
    if block is None:  # the plain way (asked for: ``reference``)
        return [_dumps(unit_data(u, lang=lang, catalogue=catalogue)).encode("utf-8")]
    lines, dims = block.unit(indicators.position)
    head = _head_text(u, lang, catalogue) + ',"indicators": ['
    adjustments = _dumps(_adjustments(u, lang, catalogue)) if u.adjustments else "[]"
    tail = '],"adjustments": ' + adjustments + "}"
    return [head.encode("utf-8"), lines, b'],"dimensions": [', dims, tail.encode("utf-8")]


class _BlockText:
    """The JSON of a category block's lines, assembled in Apache Arrow from pieces made once.

    An indicator line is four pieces: the text up to its ``max`` (fixed per
    verdict: the status, the observed value with its code and parameters),
    ``max`` with the ``points`` key, ``points``, and the text after (fixed per
    verdict and source: the band, the reason in the language asked for with
    its code and parameters, the source). The pieces are made with Arrow's
    string kernels and kept in one string array; the lines of a run of units
    are an Arrow ``take`` of piece numbers, one contiguous UTF-8 buffer cut at
    unit ends.
    """

    #: units assembled per ``take``: enough to amortise the call, and small enough (about
    #: 1.6 MB for 120 indicators) that the allocator reuses freed buffers rather than asking
    #: the system for fresh pages, whose first touch costs more than the copy (measured:
    #: the benchmark's JSON took 0.62 s with 64, 0.8 s with 512)
    CHUNK = 64

    def __init__(self, block: CategoryBlock, lang: str, catalogue: Catalogue) -> None:
        import numpy as np
        import pyarrow as pa

        self.block = block
        places = block.rounding.places
        leaves = block.plan.leaves
        verdicts = block.verdicts
        lead = _strings(
            [
                ("," if j else "") + '{"indicator": ' + _text(leaf.id)
                for j, leaf in enumerate(leaves)
            ]
        )
        of_leaf = block.verdict_leaf
        observed = [v.observed for v in verdicts]
        before = _join(
            lead.take(of_leaf),
            ',"status": ',
            _json_strings([v.status for v in verdicts], few=True),
            ',"observed": ',
            _json_strings([shown(o, lang, catalogue) for o in observed]),
            ',"observed_code": ',
            _json_strings([getattr(o, "code", None) for o in observed], few=True),
            ',"observed_params": ',
            _strings([_params_text(o) for o in observed]),
            ',"rule_points": ',
            _rule_points(block),
            ',"max": ',
        )
        # the text after the numbers: per (verdict, source)
        sources, source_id = block.sources()
        count = len(sources)
        # each source with its code and parameters: a few per block, each said once
        said_sources = [
            _text(shown(x, lang, catalogue))
            + ',"source_code": '
            + _text(getattr(x, "code", None))
            + ',"source_params": '
            + _params_text(x)
            for x in sources
        ]
        bands = _json_strings([v.band for v in verdicts], few=True)
        said = [v.reason for v in verdicts]
        messages = any(isinstance(r, Message) for r in said)
        if messages:  # each reason with its code and parameters
            reasons = _json_strings([shown(r, lang, catalogue) for r in said])
            codes = _json_strings([getattr(r, "code", None) for r in said], few=True)
            params = _strings([_params_text(r) for r in said])
        else:  # plain texts only (a third-party kind's): no code, no parameters
            reasons = _json_strings(said)
        if count > 1:
            keys, inverse = np.unique(
                block.verdict * count + source_id[block.entry], return_inverse=True
            )
            seen = pa.array(keys // count)
            bands, reasons = bands.take(seen), reasons.take(seen)
            if messages:
                codes, params = codes.take(seen), params.take(seen)
            source = _strings(said_sources).take(pa.array(keys % count))
        else:  # one source throughout: a verdict's text after the numbers is its own
            inverse = block.verdict
            source = pa.scalar(said_sources[0], type=pa.large_string())
        if messages:
            said_how = [',"reason_code": ', codes, ',"reason_params": ', params, ',"source": ']
        else:
            said_how = [',"reason_code": null,"reason_params": null,"source": ']
        after = _join(',"band": ', bands, ',"reason": ', reasons, *said_how, source, "}")
        n, m = block.verdict.shape
        numbers, (worth, points) = _numbers(places, block.worth, block.points)
        dims = block.plan.dimensions
        dim_numbers, (dim_points, dim_max) = _numbers(
            block.dim_rounding.places, block.dim_points, block.dim_max
        )
        lines = block.dim_line
        parts = [
            before,
            after,
            _strings([t + ',"points": ' for t in numbers]),
            _strings(numbers),
            _strings(
                [
                    ("," if d else "") + '{"dimension": ' + _text(dimension.id) + ',"points": '
                    for d, (dimension, _) in enumerate(dims)
                ]
            ),
            _strings([t + ',"max": ' for t in dim_numbers]),
            _strings(dim_numbers),
            # why a dimension is not scored ("" mostly), and its object's end without lines
            _strings(
                [
                    ',"reason": '
                    + _text(shown(r, lang, catalogue))
                    + ',"reason_code": '
                    + _text(getattr(r, "code", None))
                    + ',"reason_params": '
                    + _params_text(r)
                    + ("}" if lines is None else "")
                    for r in block.dim_reasons
                ]
            ),
        ]
        if lines is not None:  # each dimension's rounding line, or none, and the closing brace
            counts, at = np.unique(np.asarray(lines).ravel(), return_inverse=True)
            parts.append(_strings([_line_tail(block, int(k), lang, catalogue) for k in counts]))
            line_at = at.reshape(np.shape(lines)).astype(np.int64)
        starts = np.cumsum([0] + [len(p) for p in parts]).tolist()
        index = np.empty((n, m, 4), dtype=np.int64)
        index[:, :, 0] = block.verdict + starts[0]
        index[:, :, 1] = worth + starts[2]
        index[:, :, 2] = points + starts[3]
        index[:, :, 3] = inverse.reshape(n, m) + starts[1]
        self.line_index = index.reshape(n, m * 4)
        width = 4 if lines is None else 5
        index = np.empty((n, len(dims), width), dtype=np.int64)
        index[:, :, 0] = np.arange(len(dims)) + starts[4]
        index[:, :, 1] = dim_points + starts[5]
        index[:, :, 2] = dim_max + starts[6]
        index[:, :, 3] = block.dim_reason + starts[7]
        if lines is not None:
            index[:, :, 4] = line_at + starts[8]
        self.dim_index = index.reshape(n, len(dims) * width)
        self.texts = pa.concat_arrays(parts)
        self._run: _Run | None = None

    def unit(self, u: int) -> tuple[memoryview, memoryview]:
        """The indicator lines and the dimension lines of unit ``u``, each comma-separated."""
        run = self._run
        if run is None or not run.start <= u < run.stop:
            run = self._run = _Run(self, u, min(u + self.CHUNK, len(self.line_index)))
        return run.lines.text(u - run.start), run.dims.text(u - run.start)


def _line_tail(block: CategoryBlock, count: int, lang: str, catalogue: Catalogue) -> str:
    """The end of a dimension's JSON object: its rounding line of ``count`` (if any), and ``}``."""
    if not count:
        return "}"
    line = block.rounding_line(count)
    return ',"rounding": ' + _dumps(_dimension_line(line, lang, catalogue)) + "}"


class _Texts:
    """The texts of a run of units, one contiguous UTF-8 buffer cut at unit ends."""

    def __init__(self, texts: Any, index: Any) -> None:
        import numpy as np
        import pyarrow as pa

        width = index.shape[1]
        taken = texts.take(pa.array(index.ravel()))
        _, offsets, data = taken.buffers()
        self._data = memoryview(b"") if data is None else memoryview(data)
        ends = np.frombuffer(offsets, dtype=np.int64)[: len(taken) + 1]
        self._ends = ends[::width].tolist() if width else [0] * (len(index) + 1)

    def text(self, k: int) -> memoryview:
        """The text of the run's ``k``-th unit."""
        return self._data[self._ends[k] : self._ends[k + 1]]


class _Run:
    """Units ``start`` up to ``stop`` of a block, their lines assembled."""

    def __init__(self, block: _BlockText, start: int, stop: int) -> None:
        self.start, self.stop = start, stop
        self.lines = _Texts(block.texts, block.line_index[start:stop])
        self.dims = _Texts(block.texts, block.dim_index[start:stop])


def _params_text(text: str) -> str:
    """A message's parameters as JSON text, byte for byte as ``_dumps(params_data(text))``.

    Put together directly for the usual parameters (texts, whole numbers,
    decimals), which is several times quicker: the arrays' writer makes one
    for every verdict. ``"null"`` for a plain text.
    """
    if not isinstance(text, Message):
        return "null"
    parts = []
    for name, value in text.params:
        if type(value) is str:
            shown = encode_basestring(value)
        elif type(value) is Decimal:
            shown = '"' + format(value, "f") + '"'
        elif type(value) is int:  # not a bool, which JSON writes as true or false
            shown = str(value)
        else:  # a date, a nested message, a list: as the data says it
            return _dumps(params_data(text))
        parts.append(encode_basestring(name) + ": " + shown)
    return "{" + ",".join(parts) + "}"


#: a character that :func:`json.dumps` escapes (``"``, ``\\`` and control characters)
_ESCAPED = r'[\x00-\x1f"\\]'


def _strings(values: Sequence[str | None]) -> Any:
    """Python strings as an Arrow string array (64-bit offsets: a block's text may pass 2 GB)."""
    import pyarrow as pa

    return pa.array(values, type=pa.large_string())


def _json_strings(values: Sequence[str | None], *, few: bool = False) -> Any:
    """Each string as JSON text, exactly as :func:`json.dumps` writes it (``None`` as null).

    Quoted in Arrow; the few strings with a character to escape go through
    :func:`_text`. ``few``: the values repeat a handful of strings (a
    status), which are then quoted once each.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if few:
        encoded = _strings(values).dictionary_encode()
        distinct = encoded.dictionary.to_pylist()
        quoted = _json_strings(distinct).take(encoded.indices)
        return pc.fill_null(quoted, pa.scalar("null", type=pa.large_string()))
    strings = _strings(values)
    quoted = _join('"', strings, '"')
    escape = pc.fill_null(pc.match_substring_regex(strings, _ESCAPED), False)
    if pc.any(escape).as_py():
        rows = np.flatnonzero(escape.to_numpy(zero_copy_only=False)).tolist()
        escaped = _strings([_text(values[i]) for i in rows])
        quoted = pc.replace_with_mask(quoted, escape, escaped)
    return pc.fill_null(quoted, pa.scalar("null", type=pa.large_string()))


def _join(*parts: Any) -> Any:
    """Arrow string arrays (and strings, repeated) joined element by element."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(
        *(pa.scalar(p, type=pa.large_string()) if isinstance(p, str) else p for p in parts),
        pa.scalar("", type=pa.large_string()),
    )


def _rule_points(block: CategoryBlock) -> Any:
    """Each verdict's own points as JSON text, rounded as declared (in integers when safe)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    places, mode = block.rounding.places, block.rounding.mode
    nums, dens = block.rule_num, block.rule_den
    if (
        min(nums, default=0) < 0
        or max(nums, default=0) * 10**places * 2 >= 1 << 62
        or max(dens, default=1) * 2 >= 1 << 62
    ):
        return _strings([_text(decimal_text(block.rule_points(v))) for v in range(len(nums))])
    counts = round_quotient(
        np.array(nums, dtype=np.int64), np.array(dens, dtype=np.int64), places, mode
    )
    texts, (codes,) = _numbers(places, counts)
    found = _strings(texts).take(pa.array(codes))
    left_out = pa.array(~block.active)
    return pc.if_else(left_out, pa.scalar("null", type=pa.large_string()), found)


def _numbers(places: int, *arrays: Any) -> tuple[list[str], list[Any]]:
    """Integer counts of ``10**-places`` as JSON strings, each distinct count formatted once.

    Returns the texts and, per array, the position of each count's text in them.
    """
    import numpy as np

    arrays = tuple(np.asarray(a) for a in arrays)
    kind = np.int64 if all(a.dtype.kind in "iu" for a in arrays) else object  # big: Python ints
    flat = np.concatenate([a.astype(kind).ravel() for a in arrays])
    if not len(flat):
        return [], [np.zeros(np.shape(a), dtype=np.int64) for a in arrays]
    top, bottom = int(flat.max()), int(flat.min())
    if bottom >= 0 and top < 1 << 16:  # a table of every count up to the largest
        texts = [_text(decimal_text(scaled(k, places))) for k in range(top + 1)]
        return texts, [np.asarray(a, dtype=np.int64) for a in arrays]
    distinct, inverse = np.unique(flat, return_inverse=True)
    texts = [_text(decimal_text(scaled(int(k), places))) for k in distinct.tolist()]
    found: list[Any] = []
    start = 0
    inverse = inverse.reshape(-1).astype(np.int64)
    for a in arrays:
        size = int(np.size(a))
        found.append(inverse[start : start + size].reshape(np.shape(a)))
        start += size
    return texts, found


def _encoded(
    result: Evaluation, *, reference: bool = False, lang: str = "en"
) -> Iterator[list[bytes | memoryview]]:
    """The JSON document in UTF-8 parts: the head, then the parts of each unit's line.

    A unit whose lines are kept in a category's arrays is written from the
    arrays (:class:`_BlockText`), unless ``reference``: then every unit is
    written the plain way, from its line objects through :func:`json.dumps`.
    """
    lang = language(lang)
    catalogue = result.catalogue
    data = evaluation_data(result, units=False, lang=lang)
    head = json.dumps(data, ensure_ascii=False, indent=2)
    if not result.units:
        yield [(head[:-2] + ',\n  "units": []\n}\n').encode("utf-8")]
        return
    yield [(head[:-2] + ',\n  "units": [\n').encode("utf-8")]
    blocks = {} if reference else _block_texts(result.units, lang, catalogue)
    last = len(result.units) - 1
    for i, u in enumerate(result.units):
        parts = _unit_parts(u, blocks, lang, catalogue)
        yield [b"    ", *parts, b",\n" if i < last else b"\n  ]\n}\n"]


def _block_texts(
    units: Sequence[UnitResult], lang: str, catalogue: Catalogue
) -> dict[int, _BlockText]:
    """The texts of every category block the units' lines are kept in, made side by side.

    A block's texts are mostly made by Arrow kernels, which let go of the
    GIL: made in threads, one block's kernels run while another's Python
    runs.
    """
    from concurrent.futures import ThreadPoolExecutor

    found: dict[int, CategoryBlock] = {}
    for u in units:
        lines = u.indicators
        if isinstance(lines, IndicatorLines):
            found.setdefault(id(lines.block), lines.block)
    if len(found) < 2:
        return {key: _BlockText(block, lang, catalogue) for key, block in found.items()}
    with ThreadPoolExecutor(min(len(found), 4), thread_name_prefix="rulelaw-json") as pool:
        made = pool.map(lambda block: _BlockText(block, lang, catalogue), found.values())
        return dict(zip(found, made, strict=True))


def pieces(result: Evaluation, *, lang: str = "en") -> Iterator[str]:
    """The JSON document in pieces (the head, then one piece per unit); texts in ``lang``."""
    for parts in _encoded(result, lang=lang):
        yield b"".join(parts).decode("utf-8")


def to_json(result: Evaluation, *, reference: bool = False, lang: str = "en") -> str:
    """The evaluation as a JSON text (Chinese kept as is), ending in a newline.

    The head is indented for reading; each unit takes one compact line, which
    keeps a province-sized document quick to write and easy to ``grep``.
    ``reference=True`` writes every unit the plain way (the same bytes).
    ``lang`` (``"en"`` or ``"zh-CN"``) is the language of the texts; their
    codes and parameters, beside them, are the same in every language.
    """
    parts = _encoded(result, reference=reference, lang=lang)
    return b"".join(chain.from_iterable(parts)).decode("utf-8")


def write_json(
    result: Evaluation, stream: BinaryIO, *, reference: bool = False, lang: str = "en"
) -> None:
    """Write :func:`to_json`'s text to a binary stream in UTF-8.

    Written in batches by a helper thread while the next batch is made (see
    :func:`rulelaw.files.write_pieces`).
    """
    write_pieces(stream, chain.from_iterable(_encoded(result, reference=reference, lang=lang)))
