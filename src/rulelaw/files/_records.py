"""Rows of an assessment folder's CSV files made into model values, each problem placed at its row.

The row-by-row reader: every table's records structured through the one
converter (``rulelaw.convert``), an error of a value placed at its file,
row and column; evidence records read by what their indicator measures
(states, rates from counts or percentages, counts, values, flags, dates,
dated occurrences) and checked by their rule's ``check_value``; problem
status histories checked step by step. The column reader
(:mod:`rulelaw.files._columnar`) reads large evidence files with the same
functions for every distinct cell.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

import cattrs
import pendulum

from rulelaw.convert import structure
from rulelaw.errors import DataError, InputError, ValidationError
from rulelaw.files._layout import (
    EVIDENCE_OPTIONAL,
)
from rulelaw.files._text import CsvTable, split_dates
from rulelaw.messages import Message
from rulelaw.model import (
    Count,
    DateValue,
    Falsified,
    Finding,
    Flag,
    Indicator,
    Measure,
    NotApplicable,
    NotSubmitted,
    Observation,
    ObservedValue,
    Occurrences,
    ProblemStatus,
    Rate,
    Scheme,
    StatusChange,
    UndefinedRate,
    Value,
    to_date,
    to_decimal,
)
from rulelaw.model.evidence import parse_occurrence
from rulelaw.model.indicators import measure_word
from rulelaw.rules import Registry, RuleKind

__all__: list[str] = []  # the package's own: see rulelaw.files._load

T = TypeVar("T")

_NA_WORDS = frozenset({"na", "n/a", "not-applicable", "not applicable", "不适用"})
_FALSE_WORDS = frozenset({"false", "falsified", "虚假", "弄虚作假"})
_MISSING_WORDS = frozenset(
    {"missing", "not-submitted", "not submitted", "未报送", "缺报", "未提供"}
)
_OBSERVED_WORDS = frozenset({"", "observed", "ok", "已报送"})


class _Rows:
    """Objects built from one CSV table, each with the table index it came from."""

    def __init__(self, table: CsvTable | None) -> None:
        self.table = table
        self.items: list[Any] = []
        self.origin: list[int] = []

    def add(self, item: Any, index: int) -> None:
        self.items.append(item)
        self.origin.append(index)

    def rejected_ids(self) -> set[str]:
        """The ``id`` cells of the rows that could not be built."""
        if self.table is None:
            return set()
        kept = set(self.origin)
        return {
            row["id"]
            for index, row in enumerate(self.table.rows)
            if index not in kept and "id" in row
        }


def _csv_column(key_path: str | None) -> str | None:
    """The column a key path from structuring names: ``$.level`` is column ``level``."""
    if key_path and key_path.startswith("$."):
        return key_path[2:].split(".", 1)[0].split("[", 1)[0]
    return None


#: The converter's problems that a spreadsheet words otherwise: a missing key is an empty cell.
_CSV_PROBLEMS = {
    "convert.missing-key": "csv.empty-cell",
    "convert.missing-required-key": "csv.empty-cell",
}


def _csv_problem(problem: str) -> str:
    """The converter's words for a missing key, in a spreadsheet's words (another code)."""
    code = _CSV_PROBLEMS.get(getattr(problem, "code", None) or "")
    return Message.of(code) if code is not None else problem


def _in_row(table: CsvTable, index: int, error: InputError, problem: str) -> DataError:
    """``error`` placed at row ``index`` of ``table``, in the column its key path names."""
    return DataError(
        problem,
        file=table.file,
        **table.place(index, _csv_column(error.key_path)),
        expected=error.expected,
        got=error.got,
    )


def _structure_rows(
    table: CsvTable | None,
    build: Callable[[dict[str, str]], Any],
    problems: list[InputError],
) -> _Rows:
    rows = _Rows(table)
    if table is None:
        return rows
    for index, record in enumerate(table.rows):
        try:
            rows.add(build(record), index)
        except ValidationError as exc:
            problems.extend(_in_row(table, index, e, _csv_problem(e.problem)) for e in exc.errors)
        except InputError as exc:
            problems.append(_in_row(table, index, exc, exc.problem))
    return rows


def _with_attributes(record: dict[str, str], fixed: frozenset[str]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in record.items() if k in fixed}
    data["attributes"] = {k: v for k, v in record.items() if k not in fixed}
    return data


def _lists(record: dict[str, str], *columns: str) -> dict[str, Any]:
    """The record with the ``;``-separated cells of ``columns`` split into lists."""
    data: dict[str, Any] = dict(record)
    for column in columns:
        if column in data:
            data[column] = [
                part.strip() for part in data[column].replace("；", ";").split(";") if part.strip()
            ]
    return data


def _at(column: str, build: Callable[[], T]) -> T:
    """Run ``build``; a problem it raises without a column is placed at ``column``."""
    try:
        return build()
    except InputError as exc:
        key = exc.key_path
        if key and key.startswith("$."):
            where = key
        elif key in EVIDENCE_OPTIONAL:
            where = f"$.{key}"  # the model names a field that is also a column
        else:
            where = f"$.{column}"
        raise DataError(exc.problem, key_path=where, expected=exc.expected, got=exc.got) from None


def _state(record: Mapping[str, str]) -> NotApplicable | NotSubmitted | Falsified | None:
    """The explicit state a record's status declares; ``None`` when it gives an observed value.

    Only the ``status`` and ``reason`` cells are read. Raises
    :class:`~rulelaw.errors.DataError` for an unknown status.
    """
    status = record.get("status", "").strip().lower()
    reason = record.get("reason", "")
    if status in _NA_WORDS:
        return NotApplicable(reason=reason)
    if status in _MISSING_WORDS:
        return NotSubmitted(reason=reason)
    if status in _FALSE_WORDS:
        return Falsified(reason=reason)
    if status not in _OBSERVED_WORDS:
        raise DataError(
            Message.of("csv.unknown-status"),
            key_path="$.status",
            expected=Message.of("csv.expected-status"),
            got=record.get("status"),
        )
    return None


def _observed_value(
    record: dict[str, str], indicator: Indicator, conv: cattrs.Converter
) -> ObservedValue:
    state = _state(record)
    if state is not None:
        return state
    reason = record.get("reason", "")
    value = record.get("value")
    measure = indicator.measure
    if measure is Measure.RATE:
        if "numerator" in record or "denominator" in record:
            if value is not None:
                raise DataError(
                    Message.of("csv.rate-counts-and-percent"),
                    key_path="$.value",
                    expected=Message.of("csv.expected-rate"),
                    got=value,
                )
            for needed in ("numerator", "denominator"):
                if needed not in record:
                    raise DataError(
                        Message.of("csv.missing-count", column=needed),
                        key_path=f"$.{needed}",
                        expected=Message.of("csv.expected-both-counts"),
                    )
            numerator = _at("numerator", lambda: conv.structure(record.get("numerator"), int))
            denominator = _at("denominator", lambda: conv.structure(record.get("denominator"), int))

            def counts() -> Rate | UndefinedRate:
                try:
                    return Rate.from_counts(numerator, denominator)
                except InputError as exc:
                    key = exc.key_path
                    column = key if key in ("numerator", "denominator") else "numerator"
                    raise DataError(
                        exc.problem, key_path=f"$.{column}", expected=exc.expected, got=exc.got
                    ) from None

            return counts()
        if value is not None:
            text = value.strip().removesuffix("%").removesuffix("％").strip()
            try:
                return Rate.from_percent(text)
            except InputError as exc:
                raise DataError(
                    exc.problem, key_path="$.value", expected=exc.expected, got=value
                ) from None
        raise DataError(
            Message.of("csv.no-rate", indicator=indicator.id),
            key_path="$.numerator",
            expected=Message.of("csv.expected-rate"),
        )
    if value is None and measure is not Measure.OCCURRENCES:
        raise DataError(
            Message.of("csv.no-value", measure=measure_word(measure), indicator=indicator.id),
            key_path="$.value",
            expected=Message.of("csv.expected-value-or-status", measure=measure_word(measure)),
        )
    text = value or ""
    if measure is Measure.COUNT:
        return _at("value", lambda: Count(value=conv.structure(text, int)))
    if measure is Measure.VALUE:
        return _at("value", lambda: Value(value=to_decimal(text)))
    if measure is Measure.FLAG:
        amount = record.get("amount")
        return _at(
            "value",
            lambda: Flag(
                value=text,
                reason=reason,
                amount=_at("amount", lambda: to_decimal(amount)) if amount else None,
            ),
        )
    if measure is Measure.DATE:
        return _at("value", lambda: DateValue(date=to_date(text)))
    dates = record.get("dates", text)
    return _at("dates", lambda: _occurrences(split_dates(dates)))


def _occurrences(parts: list[str]) -> Occurrences:
    """The occurrences a cell lists: dates, each perhaps after its kind (``late 2024-03-02``)."""
    found = [parse_occurrence(part) for part in parts]
    return Occurrences(dates=[day for _, day in found], kinds=[kind for kind, _ in found])


def _observation(record: dict[str, str], scheme: Scheme, conv: cattrs.Converter) -> Observation:
    indicator_id = record.get("indicator")
    unit_id = record.get("unit")
    if unit_id is None:
        raise DataError(
            Message.of("csv.missing-value"),
            key_path="$.unit",
            expected=Message.of("csv.expected-unit-id"),
        )
    if indicator_id is None:
        raise DataError(
            Message.of("csv.missing-value"),
            key_path="$.indicator",
            expected=Message.of("csv.expected-indicator-id"),
        )
    try:
        indicator = scheme.indicator(indicator_id)
    except KeyError:
        raise DataError(
            Message.of("roster.unknown-indicator", indicator=indicator_id),
            key_path="$.indicator",
            expected=Message.of("roster.expected-leaf-indicator"),
        ) from None
    value = _observed_value(record, indicator, conv)
    date = record.get("date")
    return Observation(
        unit=unit_id,
        indicator=indicator_id,
        value=value,
        source=record.get("source", ""),
        date=_at("date", lambda: to_date(date)) if date else None,
    )


def _status_change(record: dict[str, str], conv: cattrs.Converter) -> tuple[str, StatusChange]:
    problem = record.get("problem")
    if not problem:
        raise DataError(
            Message.of("csv.empty-cell"),
            key_path="$.problem",
            expected=Message.of("csv.expected-problem-id"),
        )
    data = {k: v for k, v in record.items() if k != "problem"}
    return problem, structure(conv, data, StatusChange)


def _histories(
    changes: _Rows,
    found: Mapping[str, pendulum.Date],
    unreadable: Collection[str],
    problems: list[InputError],
) -> dict[str, tuple[StatusChange, ...]]:
    """Each problem's status history, checked step by step (errors at the status row).

    ``found`` gives the day each known problem was found; a step for an
    unknown problem, or dated before the problem was found, is an error
    (unless the problem's own row was refused: ``unreadable``, or ``*`` for
    a file that could not be read).
    """
    by_problem: dict[str, list[tuple[int, StatusChange]]] = {}
    table = changes.table
    for (problem, change), index in zip(changes.items, changes.origin, strict=True):
        assert table is not None
        if problem not in found:
            if problem not in unreadable and "*" not in unreadable:
                problems.append(
                    DataError(
                        Message.of("history.unknown-problem", problem=problem),
                        file=table.file,
                        **table.place(index, "problem"),
                        expected=Message.of("history.expected-problem-id"),
                    )
                )
            continue
        if change.date < found[problem]:
            problems.append(
                DataError(
                    Message.of(
                        "history.status-before-problem-found",
                        status=change.status.word,
                        problem=problem,
                    ),
                    file=table.file,
                    **table.place(index, "date"),
                    expected=Message.of("date.not-before", date=found[problem]),
                    got=change.date.isoformat(),
                )
            )
            continue
        by_problem.setdefault(problem, []).append((index, change))
    histories: dict[str, tuple[StatusChange, ...]] = dict.fromkeys(found, ())
    for problem, steps in by_problem.items():
        ordered = sorted(steps, key=lambda s: s[1].date)  # same day: in file order
        previous = ProblemStatus.OPEN
        good: list[StatusChange] = []
        for index, change in ordered:
            step = change.status.order - previous.order
            if (step < 0 or step > 1) and not change.reason.strip():
                assert changes.table is not None
                problems.append(
                    DataError(
                        Message.of(
                            "history.of-goes-back" if step < 0 else "history.of-skips-stage",
                            problem=problem,
                            previous=previous.word,
                            status=change.status.word,
                        ),
                        file=changes.table.file,
                        **changes.table.place(index, "reason"),
                        expected=Message.of("history.expected-reason"),
                    )
                )
                continue
            good.append(change)
            previous = change.status
        histories[problem] = tuple(good)
    changes.items = []  # consumed: the history now lives on each problem
    return histories


#: Per indicator, its rule's check of an observed value (for the kinds that check values).
_Checks = Mapping[str, Callable[[ObservedValue], object]]


def _value_checks(compiled: Mapping[str, RuleKind], kinds: Registry) -> _Checks:
    """The value checks of the rules whose kinds have one (the rule-kind contract's)."""
    return {
        indicator: functools.partial(contract.check_value, rule)
        for indicator, rule in compiled.items()
        if (contract := kinds.contract(rule)).checks_values
    }


def _checked(
    observation: Observation, checks: _Checks, record: Mapping[str, str] | None = None
) -> Observation:
    """The observation, once its indicator's rule has accepted the value (if the rule checks).

    A problem is placed at the column the rule names; dates the row gave in
    ``value`` (it has no ``dates`` cell) are placed there.
    """
    check = checks.get(observation.indicator)
    if check is not None:
        try:
            check(observation.value)
        except InputError as exc:
            column = exc.key_path
            if column == "dates" and record is not None and "dates" not in record:
                column = "value"
            where = f"$.{column}" if column in EVIDENCE_OPTIONAL else "$.value"
            raise DataError(
                exc.problem, key_path=where, expected=exc.expected, got=exc.got
            ) from None
    return observation


def _locate(
    tables: Mapping[str, _Rows],
) -> Callable[[Finding], tuple[str | None, dict[str, Any]]]:
    def locate(finding: Finding) -> tuple[str | None, dict[str, Any]]:
        rows = tables[finding.collection]
        assert rows.table is not None
        return rows.table.file, rows.table.place(rows.origin[finding.index], finding.field)

    return locate
