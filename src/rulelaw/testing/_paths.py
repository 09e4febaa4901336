"""``check_paths_agree``: the fast paths give what the reference paths give, on any assessment.

rulelaw has one meaning of scoring and, for speed, two ways to reach it:

- evidence read column by column (Apache Arrow) or row by row;
- units scored a category at a time in integer arrays, or one at a time in
  exact fractions (the executable specification);
- the JSON document written from a category's arrays, or from each unit's
  line objects;
- the indicators table of :meth:`~rulelaw.Evaluation.frames` taken from a
  category's arrays, or made from each unit's line objects.

Each pair shares its plan and its arithmetic (``rulelaw.engine._aggregate``);
this check proves the pairs equal where it is run, naming the first
difference by unit and indicator.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from rulelaw.engine import Evaluation, UnitResult, evaluate
from rulelaw.files import load
from rulelaw.model import Assessment
from rulelaw.rules import Registry

__all__ = ["check_paths_agree"]


def check_paths_agree(
    assessment: Assessment | str | os.PathLike[str],
    *,
    as_of: object = None,
    registry: Registry | None = None,
) -> Evaluation:
    """Check that every fast path agrees with its reference path; return the evaluation.

    ``assessment`` is an :class:`~rulelaw.Assessment`, or a folder: then it is
    also loaded both ways (``load(path)`` and ``load(path, reference=True)``),
    and the two assessments must be equal. The assessment is evaluated both
    ways (``evaluate(...)`` and ``evaluate(..., reference=True)``): every
    unit's result must be equal, line by line; and the JSON document must be
    the same bytes however it is written (from arrays, or the plain way, for
    both evaluations); and the tables of :meth:`~rulelaw.Evaluation.frames` must be
    equal, cell by cell and type by type, however they are made (from arrays,
    or the plain way, for both evaluations).

    Raises :class:`AssertionError` naming the first difference — which
    path, unit, indicator (or dimension, or adjustment) and field, with both
    values::

        rulelaw.testing.check_paths_agree("examples/demo-city")
    """
    if isinstance(assessment, Assessment):
        loaded = assessment
    else:
        path = Path(assessment)
        loaded = load(path, registry=registry)
        by_rows = load(path, registry=registry, reference=True)
        if loaded != by_rows:
            raise AssertionError(f"{path}: {_first_evidence_difference(loaded, by_rows)}")
    fast = evaluate(loaded, as_of=as_of, registry=registry)
    reference = evaluate(loaded, as_of=as_of, registry=registry, reference=True)
    difference = _first_difference(fast.units, reference.units)
    if difference is not None:
        raise AssertionError(f"scored in arrays and the reference way: {difference}")
    if fast != reference:
        raise AssertionError(
            "scored in arrays and the reference way: the units agree, the rest of the "
            "evaluation (grades, people, panels, ledger) does not"
        )
    documents = {
        "arrays, written from arrays": fast.to_json(),
        "arrays, written the plain way": fast.to_json(reference=True),
        "reference, written the plain way": reference.to_json(),
    }
    first = documents["arrays, written from arrays"]
    for way, text in documents.items():
        if text != first:
            at = next(
                (i for i, (a, b) in enumerate(zip(first, text, strict=False)) if a != b),
                min(len(first), len(text)),
            )
            line = first.count("\n", 0, at) + 1
            got, wanted = text[at - 40 : at + 40], first[at - 40 : at + 40]
            raise AssertionError(
                f"the JSON document {way} differs from the one written from arrays "
                f"at line {line}: {got!r} (arrays: {wanted!r})"
            )
    tables = {
        "arrays, made from arrays": fast.frames(),
        "arrays, made the plain way": fast.frames(reference=True),
        "reference, made the plain way": reference.frames(),
    }
    made = tables["arrays, made from arrays"]
    for way, frames in tables.items():
        difference = _first_frame_difference(made, frames)
        if difference is not None:
            raise AssertionError(
                f"the frames {way} differ from those made from arrays: {difference}"
            )
    return fast


def _first_frame_difference(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> str | None:
    """The first table, column and row in which two sets of frames differ, in words."""
    if list(mine) != list(theirs):
        return f"the tables are {list(theirs)}, not {list(mine)}"
    for name, table in mine.items():
        other = theirs[name]
        if table.equals(other):
            continue
        if table.schema != other.schema:
            return f"table {name!r}: the columns are {other.schema}, not {table.schema}"
        if table.num_rows != other.num_rows:
            return f"table {name!r}: {other.num_rows} rows, not {table.num_rows}"
        for column in table.column_names:
            values, others = table[column].to_pylist(), other[column].to_pylist()
            for row, (value, found) in enumerate(zip(values, others, strict=True)):
                if value != found:
                    return f"table {name!r}, row {row}, column {column!r}: {found!r}, not {value!r}"
        return f"table {name!r}: the tables differ"  # in no value: in their chunks' metadata
    return None


def _first_difference(fast: Sequence[UnitResult], reference: Sequence[UnitResult]) -> str | None:
    """The first field that differs, unit by unit and line by line, in words."""
    if [u.unit for u in fast] != [u.unit for u in reference]:
        return "the units differ, or come in another order"
    for mine, theirs in zip(fast, reference, strict=True):
        for label, lines, others, key in (
            ("indicator", mine.indicators, theirs.indicators, "indicator"),
            ("dimension", mine.dimensions, theirs.dimensions, "dimension"),
            ("adjustment", mine.adjustments, theirs.adjustments, "item"),
        ):
            if len(lines) != len(others):
                return (
                    f"unit {mine.unit!r}: {len(lines)} {label} lines in arrays, "
                    f"{len(others)} the reference way"
                )
            for line, other in zip(lines, others, strict=True):
                if line != other:
                    field = _field(line, other)
                    return (
                        f"unit {mine.unit!r}, {label} {getattr(line, key)!r}: {field} is "
                        f"{getattr(line, field)!r} in arrays, {getattr(other, field)!r} the "
                        "reference way"
                    )
        if mine != theirs:
            field = _field(mine, theirs)
            return (
                f"unit {mine.unit!r}: {field} is {getattr(mine, field)!r} in arrays, "
                f"{getattr(theirs, field)!r} the reference way"
            )
    return None


def _field(one: object, other: object) -> str:
    """The name of the first attrs field in which two values of one class differ."""
    for field in attrs.fields(type(one)):  # type: ignore[arg-type]  # results are attrs values
        name: str = field.name
        if getattr(one, name) != getattr(other, name):
            return name
    return "(none)"


def _first_evidence_difference(by_columns: Assessment, by_rows: Assessment) -> str:
    """The first observation that the two evidence readers read differently."""
    columns = {(o.unit, o.indicator): o for o in by_columns.evidence.observations}
    rows = {(o.unit, o.indicator): o for o in by_rows.evidence.observations}
    for key in sorted(set(columns) | set(rows)):
        if columns.get(key) != rows.get(key):
            return (
                f"evidence of unit {key[0]!r}, indicator {key[1]!r}: read by columns "
                f"{columns.get(key)!r}, by rows {rows.get(key)!r}"
            )
    return "the assessments differ, outside the evidence"
