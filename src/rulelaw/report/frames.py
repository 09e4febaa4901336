"""An evaluation's results as tidy tables (Apache Arrow), for pandas, polars and Arrow itself.

:func:`evaluation_frames` gives :class:`~rulelaw.files.Frames`:

- ``units``: a row per unit: id, name, category, level, peer group, each
  top-level dimension's points under its title, subtotal, adjustments
  (what they changed), total, vetoes, grade label and id, the reason it is
  not graded, ranks;
- ``dimensions``: a row per unit and dimension (every level): points, max;
- ``indicators``: a row per unit and indicator (long form): title,
  dimension, status, observed value, rule points, points, max, band, reason,
  source;
- ``adjustments``: a row per adjustment line: kind, item, points, reason;
- ``grade_steps``: a row per grading decision of a unit, in order;
- ``people``, ``panels``, ``ledger``: a row per leader, per law report
  rated by a panel, per problem of the rectification ledger.

Points are exact: Arrow ``decimal128(18, places)`` with the scheme's places
(see :class:`~rulelaw.files.Frames` for pandas and polars). A text that is a
message (a reason, a grade step) is shown in ``lang`` with its code beside
it in ``<field>_code`` (null for a plain text), as the JSON document has;
ids, names and titles are as the scheme and the roster write them.

The ``indicators`` table of units scored in a category's arrays is taken
from those arrays (:class:`~rulelaw.engine.CategoryBlock`): each verdict's
texts made once, the numbers read as integer counts of ``10**-places``;
``reference=True`` builds every row from the unit's line objects instead.
:func:`rulelaw.testing.check_paths_agree` proves both ways give equal tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from rulelaw.engine import CategoryBlock, Evaluation, IndicatorLines, IndicatorResult, UnitResult
from rulelaw.files import Frames
from rulelaw.messages import Catalogue
from rulelaw.model import decimal_text, scaled
from rulelaw.report._words import language, shown
from rulelaw.report.text import _adjusted

__all__ = ["INDICATOR_COLUMNS", "UNIT_COLUMNS", "evaluation_frames"]

#: The columns of the units table before and after the dimensions' (named by their titles).
UNIT_COLUMNS: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("unit", "name", "category", "level", "peer_group"),
    (
        "subtotal",
        "adjustments",
        "total",
        "vetoes",
        "grade",
        "grade_id",
        "not_graded",
        "rank",
        "rank_overall",
    ),
)

#: The columns of the indicators table, in order.
INDICATOR_COLUMNS: tuple[str, ...] = (
    "unit",
    "indicator",
    "title",
    "dimension",
    "status",
    "observed",
    "observed_code",
    "rule_points",
    "points",
    "max",
    "band",
    "reason",
    "reason_code",
    "source",
    "source_code",
    "tags",
)

#: The digits of a decimal column, the fewest first: 18 leaves room for arithmetic (Arrow
#: gives a − b one digit more than its operands, a × b the digits of both) within the 38
#: of decimal128; a column whose values need more has 38, and beyond that is text.
_PRECISIONS = (18, 38)


class _TooWide(Exception):
    """A decimal that a column of this precision cannot hold: the next precision is tried."""


def evaluation_frames(result: Evaluation, *, lang: str = "en", reference: bool = False) -> Frames:
    """The evaluation's tidy tables (Arrow): units, dimensions, indicators, adjustments, ….

    ``lang`` (``"en"`` or ``"zh-CN"``) is the language of the texts that are
    messages; ``reference=True`` builds the indicators table from each unit's
    line objects rather than from the category arrays (the same table).
    """
    lang = language(lang)
    catalogue = result.catalogue
    places = result.places
    # each table's points at their level's places (a level may declare its own)
    shown = {name: result.level_places.get(name, places) for name in ("indicator", "dimension")}
    return Frames(
        {
            "units": _units(result, places),
            "dimensions": _dimensions(result.units, shown["dimension"]),
            "indicators": _with_tags(
                _indicators(result.units, shown["indicator"], lang, catalogue, reference), result
            ),
            "adjustments": _adjustments(result.units, places, lang, catalogue),
            "grade_steps": _grade_steps(result.units, lang, catalogue),
            "people": _people(result, places, lang, catalogue),
            "panels": _panels(result, places, lang, catalogue),
            "ledger": _ledger(result),
        }
    )


# -- columns ---------------------------------------------------------------------------------


def _with_tags(lines: Any, result: Evaluation) -> Any:
    """The indicator lines with each indicator's tags (a list of texts, ``[]`` for none).

    Taken from the scheme's table of indicators by the ``indicator`` column,
    the same for lines made from the arrays or the plain way: a tag's
    subtotal is a filter and a sum (``tag_subtotals``).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    info = result.indicators
    tags = pa.array([list(i.tags) for i in info], type=pa.list_(pa.string()))
    at = pc.index_in(lines.column("indicator"), value_set=_texts(i.indicator for i in info))
    return lines.append_column("tags", tags.take(at))


def _texts(values: Iterable[str | None]) -> Any:
    import pyarrow as pa

    return pa.array(list(values), type=pa.string())


def _said(values: Sequence[str | None], lang: str, catalogue: Catalogue) -> tuple[Any, Any]:
    """Texts that may be messages: shown in ``lang``, and their codes (null for a plain text)."""
    return (
        _texts(None if v is None else shown(v, lang, catalogue) for v in values),
        _texts(getattr(v, "code", None) for v in values),
    )


def _numbers(values: Iterable[int | None]) -> Any:
    import pyarrow as pa

    return pa.array(list(values), type=pa.int64())


def _lists(values: Iterable[Sequence[str]]) -> Any:
    import pyarrow as pa

    return pa.array([list(v) for v in values], type=pa.list_(pa.string()))


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def _decimal_type(places: int, precision: int) -> Any:
    import pyarrow as pa

    if places > precision:
        raise _TooWide
    return pa.decimal128(precision, places)


def _fixed(values: Sequence[Decimal | None], places: int, precision: int) -> Any:
    """Decimals of at most ``places`` places as ``decimal128(precision, places)``.

    Raises ``_TooWide`` for one that the column cannot hold.
    """
    import pyarrow as pa

    kind = _decimal_type(places, precision)
    for v in values:
        if v is not None and (
            -_exponent(v) > places or len(v.as_tuple().digits) + places + _exponent(v) > precision
        ):
            raise _TooWide
    return pa.array(values, type=kind)


def _decimals(values: Sequence[Decimal | None], places: int) -> Any:
    """Decimals exactly: ``decimal128(18, p)``, ``p`` the scheme's places or as many as one needs.

    A column whose decimals need more digits is ``decimal128(38, p)``; one that
    38 digits cannot hold is text (each decimal as JSON writes it).
    """
    needed = max((-_exponent(v) for v in values if v is not None), default=places)
    for precision in _PRECISIONS:
        try:
            return _fixed(values, max(places, needed), precision)
        except _TooWide:
            continue
    return _texts(decimal_text(v) for v in values)


def _table(columns: dict[str, Any]) -> Any:
    import pyarrow as pa

    return pa.Table.from_arrays(list(columns.values()), names=list(columns))


# -- units, dimensions, adjustments, grade steps -------------------------------------------------


def _titles(result: Evaluation) -> dict[str, str]:
    """The top-level dimensions, id → column name: the title (with the id where titles clash)."""
    top = [d for d in result.dimensions if d.level == 1]
    fixed = {*UNIT_COLUMNS[0], *UNIT_COLUMNS[1]}
    counts: dict[str, int] = {}
    for d in top:
        counts[d.title] = counts.get(d.title, 0) + 1
    return {
        d.dimension: d.title
        if counts[d.title] == 1 and d.title not in fixed and d.title
        else f"{d.title} ({d.dimension})"
        for d in top
    }


def _units(result: Evaluation, places: int) -> Any:
    units = result.units
    titles = _titles(result)
    subtotals = [{d.dimension: d.points for d in u.dimensions} for u in units]
    return _table(
        {
            "unit": _texts(u.unit for u in units),
            "name": _texts(u.name for u in units),
            "category": _texts(u.category for u in units),
            "level": _texts(str(u.level) for u in units),
            "peer_group": _texts(u.peer_group for u in units),
            **{
                title: _decimals([s.get(dimension) for s in subtotals], places)
                for dimension, title in titles.items()
            },
            "subtotal": _decimals([u.subtotal for u in units], places),
            "adjustments": _decimals([_adjusted(u, places) for u in units], places),
            "total": _decimals([u.total for u in units], places),
            "vetoes": _lists(u.vetoes for u in units),
            "grade": _texts(u.grade_label for u in units),
            "grade_id": _texts(u.grade for u in units),
            "not_graded": _texts(u.not_graded or None for u in units),
            "rank": _numbers(u.rank for u in units),
            "rank_overall": _numbers(u.rank_overall for u in units),
        }
    )


def _dimensions(units: Sequence[UnitResult], places: int) -> Any:
    rows = [(u.unit, d) for u in units for d in u.dimensions]
    return _table(
        {
            "unit": _texts(unit for unit, _ in rows),
            "dimension": _texts(d.dimension for _, d in rows),
            "title": _texts(d.title for _, d in rows),
            "level": _numbers(d.level for _, d in rows),
            "points": _decimals([d.points for _, d in rows], places),
            "max": _decimals([d.max for _, d in rows], places),
        }
    )


def _adjustments(units: Sequence[UnitResult], places: int, lang: str, catalogue: Catalogue) -> Any:
    rows = [(u.unit, a) for u in units for a in u.adjustments]
    reasons, codes = _said([a.reason for _, a in rows], lang, catalogue)
    return _table(
        {
            "unit": _texts(unit for unit, _ in rows),
            "kind": _texts(a.kind for _, a in rows),
            "item": _texts(a.item for _, a in rows),
            "points": _decimals([a.points for _, a in rows], places),
            "reason": reasons,
            "reason_code": codes,
        }
    )


def _grade_steps(units: Sequence[UnitResult], lang: str, catalogue: Catalogue) -> Any:
    rows = [(u.unit, n, s) for u in units for n, s in enumerate(u.grade_steps, start=1)]
    steps, codes = _said([s for _, _, s in rows], lang, catalogue)
    return _table(
        {
            "unit": _texts(unit for unit, _, _ in rows),
            "number": _numbers(n for _, n, _ in rows),
            "step": steps,
            "step_code": codes,
        }
    )


# -- indicators ------------------------------------------------------------------------------


def _indicators(
    units: Sequence[UnitResult], places: int, lang: str, catalogue: Catalogue, reference: bool
) -> Any:
    """The indicator lines of every unit, in order: from the category arrays unless ``reference``.

    Rows of units kept in a block are the block's rows (all of its units'
    rows made at once); the other units' rows are made from their lines.
    One ``take`` puts them in the units' order.
    """
    for precision in _PRECISIONS:
        try:
            return _indicator_rows(units, places, lang, catalogue, reference, precision)
        except _TooWide:  # points that this precision cannot hold: the next, else text
            continue
    return _indicator_rows(units, places, lang, catalogue, reference, None)


def _indicator_rows(
    units: Sequence[UnitResult],
    places: int,
    lang: str,
    catalogue: Catalogue,
    reference: bool,
    precision: int | None,
) -> Any:
    import numpy as np
    import pyarrow as pa

    blocks: dict[int, tuple[int, CategoryBlock]] = {}  # id → (first row, block)
    plain: list[IndicatorResult] = []
    at: list[tuple[int, int, int]] = []  # per unit: block id (or -1), position, rows
    for u in units:
        lines = u.indicators
        if not reference and isinstance(lines, IndicatorLines):
            key = id(lines.block)
            blocks.setdefault(key, (0, lines.block))
            at.append((key, lines.position, len(lines.block.plan.leaves)))
        else:
            at.append((-1, len(plain), len(lines)))
            plain.extend(lines)
    pieces = [_plain_lines(plain, places, lang, catalogue, precision)]
    start = len(plain)
    for key, (_, block) in list(blocks.items()):
        blocks[key] = (start, block)
        piece = _block_lines(block, places, lang, catalogue, precision)
        pieces.append(piece)
        start += piece.num_rows
    index = np.concatenate(
        [np.zeros(0, dtype=np.int64)]
        + [
            np.arange(p, p + rows, dtype=np.int64)
            if key == -1
            else blocks[key][0] + p * rows + np.arange(rows, dtype=np.int64)
            for key, p, rows in at
        ]
    )
    lines = pa.concat_tables(pieces).take(pa.array(index))
    owner = np.repeat(np.arange(len(units), dtype=np.int64), [rows for _, _, rows in at])
    unit = _texts(u.unit for u in units).take(pa.array(owner))
    # the lines' own columns: the tags are added from the scheme's table (``_with_tags``)
    own = INDICATOR_COLUMNS[1:-1]
    return _table({"unit": unit, **{name: lines.column(name) for name in own}})


def _points(values: Sequence[Decimal | None], places: int, precision: int | None) -> Any:
    """Points as ``decimal128(precision, places)``, or as texts when ``precision`` is ``None``."""
    if precision is None:
        return _texts(decimal_text(v) for v in values)
    return _fixed(values, places, precision)


def _plain_lines(
    lines: Sequence[IndicatorResult],
    places: int,
    lang: str,
    catalogue: Catalogue,
    precision: int | None,
) -> Any:
    """Indicator rows (without the unit) made from line objects: the reference way."""
    observed, observed_codes = _said([r.observed for r in lines], lang, catalogue)
    reasons, reason_codes = _said([r.reason for r in lines], lang, catalogue)
    sources, source_codes = _said([r.source for r in lines], lang, catalogue)
    return _table(
        {
            "indicator": _texts(r.indicator for r in lines),
            "title": _texts(r.title for r in lines),
            "dimension": _texts(r.dimension for r in lines),
            "status": _texts(r.status for r in lines),
            "observed": observed,
            "observed_code": observed_codes,
            "rule_points": _points([r.rule_points for r in lines], places, precision),
            "points": _points([r.points for r in lines], places, precision),
            "max": _points([r.effective_weight for r in lines], places, precision),
            "band": _texts(r.band for r in lines),
            "reason": reasons,
            "reason_code": reason_codes,
            "source": sources,
            "source_code": source_codes,
        }
    )


def _counts(counts: Any, of: int, places: int, precision: int | None) -> Any:
    """Integer counts of ``10**-of`` as ``places``-place decimals, read by Arrow without Python.

    The counts' own places ``of`` are the block's; a table at other places
    (an older evaluation's) takes them one by one.
    """
    import numpy as np
    import pyarrow as pa

    counts = np.asarray(counts).ravel()
    if precision is None or counts.dtype.kind not in "iu" or of != places:
        return _points([scaled(int(k), of) for k in counts.tolist()], places, precision)
    kind = _decimal_type(places, precision)
    if len(counts) and int(np.abs(counts).max()) >= 10**precision:
        raise _TooWide
    # int64 casts to 19 digits or more; the counts were checked to fit ``precision``
    whole = pa.array(counts.astype(np.int64)).cast(pa.decimal128(38, 0))
    return whole.cast(pa.decimal128(precision, 0)).view(kind)


def _block_lines(
    block: CategoryBlock, places: int, lang: str, catalogue: Catalogue, precision: int | None
) -> Any:
    """Indicator rows (without the unit) of every unit of a block, unit by unit, leaf by leaf.

    What :meth:`CategoryBlock.line` gives, a column at a time: each verdict's
    texts and rule points made once and taken per cell, each source's once
    per entry, each leaf's id, title and dimension once per leaf.
    """
    import numpy as np
    import pyarrow as pa

    n, m = block.verdict.shape
    verdicts = block.verdicts
    verdict = pa.array(np.asarray(block.verdict, dtype=np.int64).ravel())
    leaf = pa.array(np.tile(np.arange(m, dtype=np.int64), n))
    leaves = block.plan.leaves
    observed, observed_codes = _said([v.observed for v in verdicts], lang, catalogue)
    reasons, reason_codes = _said([v.reason for v in verdicts], lang, catalogue)
    distinct, source_of = block.sources()
    sources, source_codes = _said(distinct, lang, catalogue)
    source = pa.array(np.asarray(source_of, dtype=np.int64)[np.asarray(block.entry).ravel()])
    rule_points = [block.rule_points(v) for v in range(len(verdicts))]
    return _table(
        {
            "indicator": _texts(k.id for k in leaves).take(leaf),
            "title": _texts(k.title for k in leaves).take(leaf),
            "dimension": _texts(k.parent for k in leaves).take(leaf),
            "status": _texts(v.status for v in verdicts).take(verdict),
            "observed": observed.take(verdict),
            "observed_code": observed_codes.take(verdict),
            "rule_points": _points(rule_points, places, precision).take(verdict),
            "points": _counts(block.points, block.rounding.places, places, precision),
            "max": _counts(block.worth, block.rounding.places, places, precision),
            "band": _texts(v.band for v in verdicts).take(verdict),
            "reason": reasons.take(verdict),
            "reason_code": reason_codes.take(verdict),
            "source": sources.take(source),
            "source_code": source_codes.take(source),
        }
    )


# -- people, panels, ledger ------------------------------------------------------------------


def _people(result: Evaluation, places: int, lang: str, catalogue: Catalogue) -> Any:
    people = result.people
    times, time_codes = _said([p.time_in_post for p in people], lang, catalogue)
    reasons, reason_codes = _said([p.not_graded or None for p in people], lang, catalogue)
    import pyarrow as pa

    return _table(
        {
            "person": _texts(p.person for p in people),
            "name": _texts(p.name for p in people),
            "roles": _lists(p.roles for p in people),
            "main_role": _texts(p.main_role for p in people),
            "main_unit": _texts(p.main_unit for p in people),
            "days_in_post": _numbers(p.days_in_post for p in people),
            "time_in_post": times,
            "time_in_post_code": time_codes,
            "eligible": pa.array([p.eligible for p in people], type=pa.bool_()),
            "not_graded": reasons,
            "not_graded_code": reason_codes,
            "score": _decimals([p.score for p in people], places),
            "peer_group": _texts(p.peer_group for p in people),
            "grade": _texts(p.grade_label for p in people),
            "grade_id": _texts(p.grade for p in people),
            "rank": _numbers(p.rank for p in people),
            "rank_overall": _numbers(p.rank_overall for p in people),
            "fulfilment": _decimals([p.fulfilment for p in people], places),
            "flagged": _lists(p.flagged for p in people),
            "vetoes": _lists(p.vetoes for p in people),
        }
    )


def _panels(result: Evaluation, places: int, lang: str, catalogue: Catalogue) -> Any:
    import pyarrow as pa

    panels = result.panels
    reasons, codes = _said([r.reason for r in panels], lang, catalogue)
    return _table(
        {
            "report": _texts(r.report for r in panels),
            "person": _texts(r.person for r in panels),
            "unit": _texts(r.unit for r in panels),
            "panel": _texts(r.panel for r in panels),
            "date": pa.array([r.date for r in panels], type=pa.date32()),
            "forms": _lists(r.forms for r in panels),
            "signed": pa.array([r.signed for r in panels], type=pa.bool_()),
            "score": _decimals([r.score for r in panels], places),
            "reason": reasons,
            "reason_code": codes,
            "peer_group": _texts(r.peer_group for r in panels),
            "grade": _texts(r.grade_label for r in panels),
            "grade_id": _texts(r.grade for r in panels),
            "rank": _numbers(r.rank or None for r in panels),
        }
    )


def _ledger(result: Evaluation) -> Any:
    import pyarrow as pa

    rows = result.ledger
    return _table(
        {
            "problem": _texts(r.problem for r in rows),
            "unit": _texts(r.unit for r in rows),
            "person": _texts(r.person for r in rows),
            "source": _texts(r.source for r in rows),
            "found": pa.array([r.found for r in rows], type=pa.date32()),
            "deadline": pa.array([r.deadline for r in rows], type=pa.date32()),
            "status": _texts(r.status for r in rows),
            "since": pa.array([r.since for r in rows], type=pa.date32()),
            "days_overdue": _numbers(r.days_overdue for r in rows),
            "stage": _texts(r.stage for r in rows),
            "description": _texts(r.description for r in rows),
            "measures": _texts(r.measures for r in rows),
        }
    )
