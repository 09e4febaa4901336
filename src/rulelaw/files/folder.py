"""An assessment folder: ``scheme.toml`` plus CSV files for the roster and the evidence.

========================  ========  =============================================
file                      needed    columns
========================  ========  =============================================
``scheme.toml``           yes       see the scheme file reference
``units.csv``             yes       id, name, level, category, [parent], [any…]
``people.csv``            no        id, name, [any…]
``tenures.csv``           no        person, unit, role, start, [end]
``evidence.csv``          yes       unit, indicator, [status], [value],
                                    [numerator], [denominator], [reason],
                                    [dates], [source], [date]
``adjustments.csv``       no        unit, item, [achievement], [level], [date],
                                    [reason], [source]
``reports.csv``           no        id, person, unit, date, forms, [signed],
                                    [duties], [panel]
``ballots.csv``           no        report, group, rater, value
``problems.csv``          no        id, unit, source, found, deadline,
                                    description, [person], [measures]
``problem_status.csv``    no        problem, status, date, [reason]
``filings.csv``           no        unit, [submitted], [published], [sections]
========================  ========  =============================================

Extra columns of ``units.csv`` and ``people.csv`` become attributes.
Loading checks everything and reports every problem at once; files are only
ever opened for reading.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
import pendulum

from rulelaw.convert import shared_converter, structure
from rulelaw.errors import DataError, InputError, ValidationError
from rulelaw.files import _columnar
from rulelaw.files._text import CsvTable, InputFolder, decode, read_csv, split_dates
from rulelaw.files._write import write_folder_atomically
from rulelaw.files.scheme_file import scheme_from_text, scheme_to_text
from rulelaw.model import (
    AdjustmentEvent,
    AnnualReportFiling,
    Assessment,
    Ballot,
    Count,
    DateValue,
    Evidence,
    EvidenceColumns,
    Falsified,
    Finding,
    Flag,
    Indicator,
    LawReport,
    Measure,
    NotApplicable,
    NotSubmitted,
    Observation,
    ObservedValue,
    Occurrences,
    Problem,
    ProblemStatus,
    Rate,
    ResponsiblePerson,
    Scheme,
    StatusChange,
    Tenure,
    UndefinedRate,
    Unit,
    Value,
    check_roster,
    to_date,
    to_decimal,
)
from rulelaw.rules import Registry, RuleKind, default_registry

__all__ = ["FILES", "dump", "load", "validate"]

T = TypeVar("T")

SCHEME_FILE = "scheme.toml"
UNITS_FILE = "units.csv"
PEOPLE_FILE = "people.csv"
TENURES_FILE = "tenures.csv"
EVIDENCE_FILE = "evidence.csv"
ADJUSTMENTS_FILE = "adjustments.csv"
REPORTS_FILE = "reports.csv"
BALLOTS_FILE = "ballots.csv"
PROBLEMS_FILE = "problems.csv"
STATUS_FILE = "problem_status.csv"
FILINGS_FILE = "filings.csv"

UNIT_COLUMNS = ("id", "name", "level", "category")
UNIT_OPTIONAL = ("parent", "not_graded")
PERSON_COLUMNS = ("id", "name")
# the columns that are fields; any other column of units.csv or people.csv is an attribute
_UNIT_FIELDS = frozenset((*UNIT_COLUMNS, *UNIT_OPTIONAL))
_PERSON_FIELDS = frozenset(PERSON_COLUMNS)
TENURE_COLUMNS = ("person", "unit", "role", "start")
TENURE_OPTIONAL = ("end",)
EVIDENCE_COLUMNS = ("unit", "indicator")
EVIDENCE_OPTIONAL = (
    "status",
    "value",
    "numerator",
    "denominator",
    "reason",
    "dates",
    "source",
    "date",
    "amount",
)

ADJUSTMENT_COLUMNS = ("unit", "item")
ADJUSTMENT_OPTIONAL = ("achievement", "level", "date", "reason", "source")

REPORT_COLUMNS = ("id", "person", "unit", "date", "forms")
REPORT_OPTIONAL = ("signed", "duties", "panel")
BALLOT_COLUMNS = ("report", "group", "rater", "value")
PROBLEM_COLUMNS = ("id", "unit", "source", "found", "deadline", "description")
PROBLEM_OPTIONAL = ("person", "measures")
STATUS_COLUMNS = ("problem", "status", "date")
STATUS_OPTIONAL = ("reason",)
FILING_COLUMNS = ("unit",)
FILING_OPTIONAL = ("submitted", "published", "sections")

#: The files of an assessment folder and whether each must be present.
FILES: Mapping[str, bool] = {
    SCHEME_FILE: True,
    UNITS_FILE: True,
    PEOPLE_FILE: False,
    TENURES_FILE: False,
    EVIDENCE_FILE: True,
    ADJUSTMENTS_FILE: False,
    REPORTS_FILE: False,
    BALLOTS_FILE: False,
    PROBLEMS_FILE: False,
    STATUS_FILE: False,
    FILINGS_FILE: False,
}

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


def _csv_place(table: CsvTable, index: int, where: str | None) -> str:
    """A key path from structuring (``$.level``) as a CSV place (``row 5, column 'level'``)."""
    column = None
    if where and where.startswith("$."):
        column = where[2:].split(".", 1)[0].split("[", 1)[0]
    return table.where(index, column)


def _csv_problem(problem: str) -> str:
    """The converter's words for a missing key, in a spreadsheet's words."""
    if problem.startswith("missing required key"):
        return "empty cell"
    return problem


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
            problems.extend(
                DataError(
                    _csv_problem(e.problem),
                    file=table.file,
                    where=_csv_place(table, index, e.where),
                    expected=e.expected,
                    got=e.got,
                )
                for e in exc.errors
            )
        except InputError as exc:
            problems.append(
                DataError(
                    exc.problem,
                    file=table.file,
                    where=_csv_place(table, index, exc.where),
                    expected=exc.expected,
                    got=exc.got,
                )
            )
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
        if exc.where and exc.where.startswith("$."):
            where = exc.where
        elif exc.where in EVIDENCE_OPTIONAL:
            where = f"$.{exc.where}"  # the model names a field that is also a column
        else:
            where = f"$.{column}"
        raise DataError(exc.problem, where=where, expected=exc.expected, got=exc.got) from None


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
            "unknown status",
            where="$.status",
            expected="empty, 'na' (不适用), 'missing' (未报送) or 'false' (虚假)",
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
                    "a rate is given either as counts or as a percentage, not both",
                    where="$.value",
                    expected="numerator and denominator, or a percentage in 'value'",
                    got=value,
                )
            for needed in ("numerator", "denominator"):
                if needed not in record:
                    raise DataError(
                        f"missing {needed}",
                        where=f"$.{needed}",
                        expected="numerator and denominator both given",
                    )
            numerator = _at("numerator", lambda: conv.structure(record.get("numerator"), int))
            denominator = _at("denominator", lambda: conv.structure(record.get("denominator"), int))

            def counts() -> Rate | UndefinedRate:
                try:
                    return Rate.from_counts(numerator, denominator)
                except InputError as exc:
                    column = exc.where if exc.where in ("numerator", "denominator") else "numerator"
                    raise DataError(
                        exc.problem, where=f"$.{column}", expected=exc.expected, got=exc.got
                    ) from None

            return counts()
        if value is not None:
            text = value.strip().removesuffix("%").removesuffix("％").strip()
            try:
                return Rate.from_percent(text)
            except InputError as exc:
                raise DataError(
                    exc.problem, where="$.value", expected=exc.expected, got=value
                ) from None
        raise DataError(
            f"no value for rate indicator {indicator.id!r}",
            where="$.numerator",
            expected="numerator and denominator, or a percentage in 'value'",
        )
    if value is None and measure is not Measure.OCCURRENCES:
        raise DataError(
            f"no value for {measure.value} indicator {indicator.id!r}",
            where="$.value",
            expected=f"a {measure.value}, or status 'na' or 'missing'",
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
    return _at("dates", lambda: Occurrences(dates=split_dates(dates)))


def _observation(record: dict[str, str], scheme: Scheme, conv: cattrs.Converter) -> Observation:
    indicator_id = record.get("indicator")
    unit_id = record.get("unit")
    if unit_id is None:
        raise DataError("missing value", where="$.unit", expected="a unit id")
    if indicator_id is None:
        raise DataError("missing value", where="$.indicator", expected="an indicator id")
    try:
        indicator = scheme.indicator(indicator_id)
    except KeyError:
        raise DataError(
            f"unknown indicator {indicator_id!r}",
            where="$.indicator",
            expected="a leaf indicator id of the scheme",
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
        raise DataError("empty cell", where="$.problem", expected="a problem id")
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
                        f"unknown problem {problem!r}",
                        file=table.file,
                        where=table.where(index, "problem"),
                        expected="a problem id from problems.csv",
                    )
                )
            continue
        if change.date < found[problem]:
            problems.append(
                DataError(
                    f"status {change.status.value!r} dated before problem {problem!r} was found",
                    file=table.file,
                    where=table.where(index, "date"),
                    expected=f"on or after {found[problem].isoformat()}",
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
                what = "goes back" if step < 0 else "skips a stage"
                problems.append(
                    DataError(
                        f"status history of {problem!r} {what} ({previous.value} → "
                        f"{change.status.value}) without a reason",
                        file=changes.table.file,
                        where=changes.table.where(index, "reason"),
                        expected="a reason for going back or skipping a stage",
                    )
                )
                continue
            good.append(change)
            previous = change.status
        histories[problem] = tuple(good)
    changes.items = []  # consumed: the history now lives on each problem
    return histories


def _checked(observation: Observation, rules: Mapping[str, RuleKind]) -> Observation:
    """The observation, once its indicator's rule has accepted the value (if the rule checks)."""
    rule = rules.get(observation.indicator)
    check = getattr(rule, "check_value", None)
    if check is not None:
        try:
            check(observation.value)
        except InputError as exc:
            where = f"$.{exc.where}" if exc.where in EVIDENCE_OPTIONAL else "$.value"
            raise DataError(exc.problem, where=where, expected=exc.expected, got=exc.got) from None
    return observation


def _locate(tables: Mapping[str, _Rows]) -> Callable[[Finding], tuple[str | None, str]]:
    def locate(finding: Finding) -> tuple[str | None, str]:
        rows = tables[finding.collection]
        assert rows.table is not None
        return rows.table.file, rows.table.where(rows.origin[finding.index], finding.field)

    return locate


def _read_table(
    folder: InputFolder,
    name: str,
    required: Sequence[str],
    optional: Sequence[str] | None,
    problems: list[InputError],
    sources: dict[str, str],
) -> CsvTable | None:
    try:
        data = folder.read(name)
        if data is None:
            if FILES[name]:
                problems.append(
                    DataError("missing file", file=name, expected=f"{name} in {folder.path}")
                )
            return None
        table, found = read_csv(data, name, required, optional)
    except InputError as exc:
        problems.append(exc)
        return None
    problems.extend(found)
    if table is not None:
        sources[name] = table.sha256
    return table


#: A large evidence.csv read and parsed early: Arrow's table and the SHA-256 of the bytes.
_Early = Future[tuple[_columnar.Table | None, Future[str]]]


def _read_early(folder: InputFolder, pool: ThreadPoolExecutor) -> _Early | None:
    """Start reading a large ``evidence.csv`` in the background, if there is one.

    Arrow's parsing and hashing let go of the GIL, so they run while the
    other files are read; the table is encoded (:func:`_columnar.encoded`)
    by the thread that reads it on. A file that cannot be read here is read
    again (and its problem reported) by the row-by-row reader.
    """
    size = folder.size(EVIDENCE_FILE)
    if size is None or size < _columnar.COLUMNAR_FROM:
        return None

    def read() -> tuple[_columnar.Table | None, Future[str]]:
        data = folder.read(EVIDENCE_FILE)
        if data is None:
            raise FileNotFoundError(EVIDENCE_FILE)
        hashed = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        allowed = {*EVIDENCE_COLUMNS, *EVIDENCE_OPTIONAL}
        return _columnar.read_table(data, allowed=allowed, required=EVIDENCE_COLUMNS), hashed

    return pool.submit(read)


def _read_evidence(
    folder: InputFolder,
    scheme: Scheme | None,
    compiled: Mapping[str, RuleKind],
    conv: cattrs.Converter,
    unit_ids: Collection[str],
    problems: list[InputError],
    sources: dict[str, str],
    early: _Early | None,
) -> tuple[_Rows, EvidenceColumns | None]:
    """``evidence.csv``: column by column when it is large and plainly valid, else row by row.

    Returns the rows (built row by row, or only numbered when the file was
    read column by column) and the columns, if it was.
    """
    try:
        arrow_table, hashed = early.result() if early is not None else (None, None)
    except (InputError, OSError):  # read again below, row by row, and reported there
        arrow_table, hashed = None, None
    parsed = _columnar.encoded(arrow_table)
    if scheme is not None and parsed is not None and hashed is not None:
        columns = _columnar.read_evidence_columns(
            parsed,
            scheme=scheme,
            unit_ids=unit_ids,
            state=_state,
            value=lambda record, indicator: _observed_value(record, indicator, conv),
            checks={
                i: check
                for i, rule in compiled.items()
                if (check := getattr(rule, "check_value", None)) is not None
            },
        )
        if columns is not None:
            digest = hashed.result()
            sources[EVIDENCE_FILE] = digest
            table = CsvTable(EVIDENCE_FILE, parsed.header, (), range(2, len(columns) + 2), digest)
            rows = _Rows(table)
            rows.origin = range(len(columns))  # type: ignore[assignment]
            return rows, columns
    read = _read_table(
        folder, EVIDENCE_FILE, EVIDENCE_COLUMNS, EVIDENCE_OPTIONAL, problems, sources
    )
    by_row = _Rows(read)
    if scheme is not None:
        by_row = _structure_rows(
            read, lambda r: _checked(_observation(r, scheme, conv), compiled), problems
        )
    return by_row, None


def load(
    path: str | os.PathLike[str],
    *,
    registry: Registry | None = None,
    converter: cattrs.Converter | None = None,
    outside_links: bool = False,
) -> Assessment:
    """Load an assessment folder: ``scheme.toml`` and its CSV files.

    ``path`` is the folder (or its ``scheme.toml``). Every file is read,
    never written. Each indicator's rule is checked against ``registry``
    (the built-in kinds by default): unknown kinds and bad parameters are
    reported like any other problem. Raises :class:`~rulelaw.errors.ValidationError` listing
    every problem in every file — file, row or key path, what was expected
    and what was found.

    Only regular files are read: a directory, a FIFO or a device where a
    file belongs, or a symbolic link that loops or leads nowhere, is a
    problem of that file. A symbolic link that leads outside the folder is
    refused too, unless ``outside_links`` is true.

    Example::

        a = rulelaw.load("examples/demo-city")
        print(a.summary())
    """
    where = Path(path)
    if where.is_file():
        where = where.parent
    if not where.is_dir():
        raise ValidationError(
            [DataError("no such folder", file=str(path), expected="an assessment folder")],
            source=str(path),
        )
    folder = InputFolder(where, outside_links=outside_links)
    with ThreadPoolExecutor(max_workers=2) as pool:
        early = _read_early(folder, pool)  # parsed while the other files are read
        return _load(folder, str(path), registry, converter or shared_converter(), early)


def _load(
    folder: InputFolder,
    path: str,
    registry: Registry | None,
    conv: cattrs.Converter,
    early: _Early | None,
) -> Assessment:
    """:func:`load` of a folder that exists, its large evidence file being read early."""
    problems: list[InputError] = []
    sources: dict[str, str] = {}

    scheme: Scheme | None = None
    compiled: dict[str, RuleKind] = {}
    try:
        scheme_data = folder.read(SCHEME_FILE)
        if scheme_data is None:
            problems.append(
                DataError(
                    "missing file", file=SCHEME_FILE, expected=f"{SCHEME_FILE} in {folder.path}"
                )
            )
        else:
            sources[SCHEME_FILE] = hashlib.sha256(scheme_data).hexdigest()
            scheme = scheme_from_text(
                decode(scheme_data, SCHEME_FILE), file=SCHEME_FILE, converter=conv
            )
    except ValidationError as exc:
        problems.extend(exc.errors)
        # A scheme that was built but failed its cross-checks still tells
        # which units, roles and indicators exist: check the rest against it.
        if isinstance(exc.partial, Scheme):
            scheme = exc.partial
    except InputError as exc:
        problems.append(exc)

    if scheme is not None:
        kinds = registry if registry is not None else default_registry()
        compiled, bad_rules = kinds.compile_each(scheme.indicators, conv)
        problems.extend(e.located(file=SCHEME_FILE) for e in bad_rules)

    unit_table = _read_table(folder, UNITS_FILE, UNIT_COLUMNS, None, problems, sources)
    people_table = _read_table(folder, PEOPLE_FILE, PERSON_COLUMNS, None, problems, sources)
    tenure_table = _read_table(
        folder, TENURES_FILE, TENURE_COLUMNS, TENURE_OPTIONAL, problems, sources
    )
    adjustment_table = _read_table(
        folder, ADJUSTMENTS_FILE, ADJUSTMENT_COLUMNS, ADJUSTMENT_OPTIONAL, problems, sources
    )
    report_table = _read_table(
        folder, REPORTS_FILE, REPORT_COLUMNS, REPORT_OPTIONAL, problems, sources
    )
    ballot_table = _read_table(folder, BALLOTS_FILE, BALLOT_COLUMNS, (), problems, sources)
    problem_table = _read_table(
        folder, PROBLEMS_FILE, PROBLEM_COLUMNS, PROBLEM_OPTIONAL, problems, sources
    )
    status_table = _read_table(
        folder, STATUS_FILE, STATUS_COLUMNS, STATUS_OPTIONAL, problems, sources
    )
    filing_table = _read_table(
        folder, FILINGS_FILE, FILING_COLUMNS, FILING_OPTIONAL, problems, sources
    )

    units = _structure_rows(
        unit_table,
        lambda r: structure(conv, _with_attributes(r, _UNIT_FIELDS), Unit),
        problems,
    )
    people = _structure_rows(
        people_table,
        lambda r: structure(conv, _with_attributes(r, _PERSON_FIELDS), ResponsiblePerson),
        problems,
    )
    tenures = _structure_rows(tenure_table, lambda r: structure(conv, r, Tenure), problems)
    adjustments = _structure_rows(
        adjustment_table, lambda r: structure(conv, r, AdjustmentEvent), problems
    )
    reports = _structure_rows(
        report_table, lambda r: structure(conv, _lists(r, "duties", "forms"), LawReport), problems
    )
    ballots = _structure_rows(
        ballot_table,
        lambda r: structure(conv, r, Ballot),
        problems,
    )
    if ballot_table is not None:
        ballots.items = [
            attrs.evolve(b, origin=f"{BALLOTS_FILE}, {ballot_table.where(i)}")
            for b, i in zip(ballots.items, ballots.origin, strict=True)
        ]
    problem_rows = _structure_rows(
        problem_table,
        lambda r: structure(conv, {**r, "history": []}, Problem),
        problems,
    )
    changes = _structure_rows(status_table, lambda r: _status_change(r, conv), problems)
    found: dict[str, pendulum.Date] = {}
    firsts: set[int] = set()  # the first row of each id (a second is reported as a duplicate)
    for position, p in enumerate(problem_rows.items):
        if p.id not in found:
            found[p.id] = p.found
            firsts.add(position)
    histories = _histories(
        changes,
        found,
        problem_rows.rejected_ids() | ({"*"} if problem_table is None else set()),
        problems,
    )
    problem_rows.items = [
        attrs.evolve(p, history=histories[p.id]) if position in firsts else p
        for position, p in enumerate(problem_rows.items)
    ]
    filings = _structure_rows(
        filing_table,
        lambda r: structure(conv, _lists(r, "sections"), AnnualReportFiling),
        problems,
    )
    observations, columns = _read_evidence(
        folder, scheme, compiled, conv, {u.id for u in units.items}, problems, sources, early
    )

    refused: ValidationError | InputError | None = None
    if not problems:
        assert scheme is not None
        try:
            # building the assessment runs the cross-checks once; only when they
            # find something are they run again below, to place each problem at its row
            return Assessment(
                scheme=scheme,
                units=units.items,
                people=people.items,
                tenures=tenures.items,
                evidence=(
                    Evidence.from_columns(columns)
                    if columns is not None
                    else Evidence(observations=observations.items)
                ),
                adjustments=adjustments.items,
                reports=reports.items,
                ballots=ballots.items,
                problems=problem_rows.items,
                filings=filings.items,
                sources=sources,
            )
        except (ValidationError, InputError) as exc:
            refused = exc

    findings = check_roster(
        scheme,
        units.items,
        people.items,
        tenures.items,
        columns if columns is not None else observations.items,
        adjustments.items,
        reports=reports.items,
        problems=problem_rows.items,
        filings=filings.items,
        # A file that could not be read, or a row that was refused, would make every
        # reference to it look unknown: those are not reported again.
        unreadable=[
            name
            for name, table, file in (
                ("units", unit_table, UNITS_FILE),
                ("people", people_table, PEOPLE_FILE),
            )
            if table is None and (FILES[file] or folder.present(file))
        ],
        rejected=units.rejected_ids() | people.rejected_ids(),
    )
    locate = _locate(
        {
            "units": units,
            "people": people,
            "tenures": tenures,
            "evidence": observations,
            "adjustments": adjustments,
            "reports": reports,
            "problems": problem_rows,
            "filings": filings,
        }
    )
    problems.extend(f.error(locate) for f in findings)
    if not problems and refused is not None:
        raise refused  # the same checks found nothing here: not expected, but never hidden
    raise ValidationError(sorted(problems, key=_reading_order), source=str(path))


_FILE_ORDER = {name: index for index, name in enumerate(FILES)}


def _reading_order(error: InputError) -> tuple[int, int]:
    """Sort key: files in loading order, then rows top to bottom (stable otherwise)."""
    row = 0
    if error.where and error.where.startswith("row "):
        digits = error.where[4:].split(",", 1)[0].split(" ", 1)[0]
        row = int(digits) if digits.isdigit() else 0
    return _FILE_ORDER.get(error.file or "", len(_FILE_ORDER)), row


def validate(
    path: str | os.PathLike[str],
    *,
    registry: Registry | None = None,
    outside_links: bool = False,
) -> list[InputError]:
    """Every problem of an assessment folder; an empty list when it is valid (see :func:`load`)."""
    try:
        load(path, registry=registry, outside_links=outside_links)
    except ValidationError as exc:
        return list(exc.errors)
    return []


# -- writing --------------------------------------------------------------------------


def _csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _observation_row(obs: Observation) -> dict[str, str]:
    row = {"unit": obs.unit, "indicator": obs.indicator, "source": obs.source}
    if obs.date is not None:
        row["date"] = obs.date.isoformat()
    value = obs.value
    if isinstance(value, NotApplicable):
        row.update(status="na", reason=value.reason)
    elif isinstance(value, NotSubmitted):
        row.update(status="missing", reason=value.reason)
    elif isinstance(value, Falsified):
        row.update(status="false", reason=value.reason)
    elif isinstance(value, UndefinedRate):
        row.update(numerator="0", denominator="0")
    elif isinstance(value, Rate):
        if value.percent is not None:
            row["value"] = str(value.percent)
        else:
            row.update(numerator=str(value.numerator), denominator=str(value.denominator))
    elif isinstance(value, Count | Value):
        row["value"] = str(value.value)
    elif isinstance(value, Flag):
        row.update(value=value.value.value, reason=value.reason)
        if value.amount is not None:
            row["amount"] = str(value.amount)
    elif isinstance(value, Occurrences):
        row["dates"] = ";".join(d.isoformat() for d in value.dates)
    elif isinstance(value, DateValue):
        row["value"] = value.date.isoformat()
    return row


def dump(assessment: Assessment, path: str | os.PathLike[str]) -> None:
    """Write an assessment as a new folder that :func:`load` reads back to an equal value.

    The folder must not exist yet (or be empty); it appears whole or not at
    all. Raises :class:`~rulelaw.errors.DataError` for an existing folder.
    """
    extra_unit = sorted({k for u in assessment.units for k in u.attributes})
    has_amounts = any(
        isinstance(o.value, Flag) and o.value.amount is not None
        for o in assessment.evidence.observations
    )
    extra_person = sorted({k for p in assessment.people for k in p.attributes})
    files = {
        SCHEME_FILE: scheme_to_text(assessment.scheme).encode("utf-8"),
        UNITS_FILE: _csv_bytes(
            [
                *UNIT_COLUMNS,
                "parent",
                *(["not_graded"] if any(u.not_graded for u in assessment.units) else []),
                *extra_unit,
            ],
            (
                {
                    "id": u.id,
                    "name": u.name,
                    "level": u.level.value,
                    "category": u.category,
                    "parent": u.parent or "",
                    **({"not_graded": u.not_graded} if u.not_graded else {}),
                    **u.attributes,
                }
                for u in assessment.units
            ),
        ),
        PEOPLE_FILE: _csv_bytes(
            [*PERSON_COLUMNS, *extra_person],
            ({"id": p.id, "name": p.name, **p.attributes} for p in assessment.people),
        ),
        TENURES_FILE: _csv_bytes(
            [*TENURE_COLUMNS, *TENURE_OPTIONAL],
            (
                {
                    "person": t.person,
                    "unit": t.unit,
                    "role": t.role,
                    "start": t.start.isoformat(),
                    "end": t.end.isoformat() if t.end else "",
                }
                for t in assessment.tenures
            ),
        ),
        EVIDENCE_FILE: _csv_bytes(
            [
                *EVIDENCE_COLUMNS,
                # the amount column only when some partial finding has an amount
                *(c for c in EVIDENCE_OPTIONAL if c != "amount" or has_amounts),
            ],
            (_observation_row(o) for o in assessment.evidence.observations),
        ),
    }
    if assessment.adjustments:
        files[ADJUSTMENTS_FILE] = _csv_bytes(
            [*ADJUSTMENT_COLUMNS, *ADJUSTMENT_OPTIONAL],
            (
                {
                    "unit": e.unit,
                    "item": e.item,
                    "achievement": e.achievement,
                    "level": e.level,
                    "date": e.date.isoformat() if e.date else "",
                    "reason": e.reason,
                    "source": e.source,
                }
                for e in assessment.adjustments
            ),
        )
    files.update(_law_report_files(assessment))
    write_folder_atomically(Path(path), files)


def _law_report_files(assessment: Assessment) -> dict[str, bytes]:
    """The optional files of law reports, ballots, problems and filings (those with rows)."""
    files: dict[str, bytes] = {}
    if assessment.reports:
        files[REPORTS_FILE] = _csv_bytes(
            [*REPORT_COLUMNS, *REPORT_OPTIONAL],
            (
                {
                    "id": r.id,
                    "person": r.person,
                    "unit": r.unit,
                    "date": r.date.isoformat(),
                    "forms": ";".join(f.value for f in sorted(r.forms, key=lambda f: f.value)),
                    "signed": "true" if r.signed else "false",
                    "duties": ";".join(r.duties),
                    "panel": r.panel or "",
                }
                for r in assessment.reports
            ),
        )
    if assessment.ballots:
        files[BALLOTS_FILE] = _csv_bytes(
            BALLOT_COLUMNS,
            (
                {"report": b.report, "group": b.group, "rater": b.rater, "value": b.value}
                for b in assessment.ballots
            ),
        )
    if assessment.problems:
        files[PROBLEMS_FILE] = _csv_bytes(
            [*PROBLEM_COLUMNS, *PROBLEM_OPTIONAL],
            (
                {
                    "id": p.id,
                    "unit": p.unit,
                    "source": p.source.value,
                    "found": p.found.isoformat(),
                    "deadline": p.deadline.isoformat(),
                    "description": p.description,
                    "person": p.person or "",
                    "measures": p.measures,
                }
                for p in assessment.problems
            ),
        )
        files[STATUS_FILE] = _csv_bytes(
            [*STATUS_COLUMNS, *STATUS_OPTIONAL],
            (
                {
                    "problem": p.id,
                    "status": c.status.value,
                    "date": c.date.isoformat(),
                    "reason": c.reason,
                }
                for p in assessment.problems
                for c in p.history
            ),
        )
    if assessment.filings:
        files[FILINGS_FILE] = _csv_bytes(
            [*FILING_COLUMNS, *FILING_OPTIONAL],
            (
                {
                    "unit": f.unit,
                    "submitted": f.submitted.isoformat() if f.submitted else "",
                    "published": f.published.isoformat() if f.published else "",
                    "sections": ";".join(f.sections),
                }
                for f in assessment.filings
            ),
        )
    return files
