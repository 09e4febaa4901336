"""Loading an assessment folder: every file read, checked, and every problem reported at once."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import attrs
import cattrs
import pendulum

from rulelaw.convert import shared_converter, structure
from rulelaw.errors import DataError, InputError, ValidationError
from rulelaw.files import _columnar
from rulelaw.files._layout import (
    _PERSON_FIELDS,
    _UNIT_FIELDS,
    ADJUSTMENT_COLUMNS,
    ADJUSTMENT_OPTIONAL,
    ADJUSTMENTS_FILE,
    BALLOT_COLUMNS,
    BALLOTS_FILE,
    EVIDENCE_COLUMNS,
    EVIDENCE_FILE,
    EVIDENCE_OPTIONAL,
    FILES,
    FILING_COLUMNS,
    FILING_OPTIONAL,
    FILINGS_FILE,
    PEOPLE_FILE,
    PERSON_COLUMNS,
    PROBLEM_COLUMNS,
    PROBLEM_OPTIONAL,
    PROBLEMS_FILE,
    REPORT_COLUMNS,
    REPORT_OPTIONAL,
    REPORTS_FILE,
    SCHEME_FILE,
    STATUS_COLUMNS,
    STATUS_FILE,
    STATUS_OPTIONAL,
    SURVEY_COLUMNS,
    SURVEY_FILE,
    TENURE_COLUMNS,
    TENURE_OPTIONAL,
    TENURES_FILE,
    UNIT_COLUMNS,
    UNITS_FILE,
)
from rulelaw.files._records import (
    _checked,
    _Checks,
    _histories,
    _lists,
    _locate,
    _observation,
    _observed_value,
    _Rows,
    _state,
    _status_change,
    _structure_rows,
    _value_checks,
    _with_attributes,
)
from rulelaw.files._scheme_file import scheme_from_text
from rulelaw.files._text import CsvTable, InputFolder, decode, read_csv
from rulelaw.messages import Message
from rulelaw.model import (
    AdjustmentEvent,
    AnnualReportFiling,
    Assessment,
    Ballot,
    Evidence,
    EvidenceColumns,
    LawReport,
    Problem,
    ResponsiblePerson,
    Scheme,
    SurveyAnswer,
    Tenure,
    Unit,
    check_roster,
)
from rulelaw.rules import Registry, default_registry

__all__ = ["load", "validate"]


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
                problems.append(_missing(name, folder))
            return None
        table, found = read_csv(data, name, required, optional)
    except InputError as exc:
        problems.append(exc)
        return None
    problems.extend(found)
    if table is not None:
        sources[name] = table.sha256
    return table


def _missing(name: str, folder: InputFolder) -> DataError:
    return DataError(
        Message.of("file.missing"),
        file=name,
        expected=Message.of("file.expected-in-folder", name=name, folder=str(folder.path)),
    )


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


class Tables:
    """Where an assessment's tables are read from: a folder's CSV files, or data frames.

    :func:`assemble` reads each table through :meth:`read`, and the evidence
    column by column where :meth:`columnar_evidence` gives it in Arrow; the
    rest (structuring, every check, every message) is the same whatever the
    tables are read from.
    """

    #: the number messages give the first row of a table (a CSV file's header is row 1)
    first_row = 2
    #: the optional columns of the ballots' table (a frame may say where each ballot came from)
    ballot_optional: tuple[str, ...] = ()

    def name(self, file: str) -> str:
        """The name of a table in messages and sources (``units.csv``)."""
        return file

    def read(
        self,
        file: str,
        required: Sequence[str],
        optional: Sequence[str] | None,
        problems: list[InputError],
        sources: dict[str, str],
    ) -> CsvTable | None:
        """The table ``file``, its header checked; ``None`` when absent or refused."""
        raise NotImplementedError

    def given(self, file: str) -> bool:
        """Whether table ``file`` was there to read (read or not)."""
        raise NotImplementedError

    def columnar_evidence(self) -> tuple[_columnar.Table, Callable[[], str | None]] | None:
        """The evidence as an Arrow table to read column by column, and its digest; or ``None``.

        The digest (a SHA-256, or ``None`` when the sources are not recorded)
        is asked for only when the table was read column by column.
        """
        return None


class _FolderTables(Tables):
    """The CSV files of an assessment folder, a large ``evidence.csv`` read early."""

    def __init__(self, folder: InputFolder, early: _Early | None) -> None:
        self.folder = folder
        self.early = early

    def read(
        self,
        file: str,
        required: Sequence[str],
        optional: Sequence[str] | None,
        problems: list[InputError],
        sources: dict[str, str],
    ) -> CsvTable | None:
        return _read_table(self.folder, file, required, optional, problems, sources)

    def given(self, file: str) -> bool:
        return FILES[file] or self.folder.present(file)

    def columnar_evidence(self) -> tuple[_columnar.Table, Callable[[], str | None]] | None:
        if self.early is None:
            return None
        try:
            arrow_table, hashed = self.early.result()
        except (InputError, OSError):  # read again, row by row, and reported there
            return None
        return None if arrow_table is None else (arrow_table, hashed.result)


def _read_evidence(
    tables: Tables,
    scheme: Scheme | None,
    checks: _Checks,
    conv: cattrs.Converter,
    unit_ids: Collection[str],
    problems: list[InputError],
    sources: dict[str, str],
) -> tuple[_Rows, EvidenceColumns | None]:
    """The evidence: column by column when it is large and plainly valid, else row by row.

    Returns the rows (built row by row, or only numbered when the table was
    read column by column) and the columns, if it was.
    """
    early = tables.columnar_evidence() if scheme is not None else None
    if scheme is not None and early is not None:
        arrow_table, digest = early
        parsed = _columnar.encoded(arrow_table)
        columns = None
        if parsed is not None:
            columns = _columnar.read_evidence_columns(
                parsed,
                scheme=scheme,
                unit_ids=unit_ids,
                state=_state,
                value=lambda record, indicator: _observed_value(record, indicator, conv),
                checks=checks,
            )
        if parsed is not None and columns is not None:
            name = tables.name(EVIDENCE_FILE)
            sha256 = digest()
            if sha256 is not None:
                sources[name] = sha256
            first = tables.first_row
            numbers = range(first, len(columns) + first)
            rows = _Rows(CsvTable(name, parsed.header, (), numbers, sha256 or ""))
            rows.origin = range(len(columns))  # type: ignore[assignment]
            return rows, columns
    read = tables.read(EVIDENCE_FILE, EVIDENCE_COLUMNS, EVIDENCE_OPTIONAL, problems, sources)
    by_row = _Rows(read)
    if scheme is not None:
        by_row = _structure_rows(
            read, lambda r: _checked(_observation(r, scheme, conv), checks, r), problems
        )
    return by_row, None


def load(
    path: str | os.PathLike[str],
    *,
    registry: Registry | None = None,
    converter: cattrs.Converter | None = None,
    outside_links: bool = False,
    reference: bool = False,
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

    A large ``evidence.csv`` is read column by column (Apache Arrow's CSV
    reader) when it is plainly valid; ``reference=True`` reads it row by
    row, the reference way, as every small or doubtful file is read (the
    same assessment either way: see :func:`rulelaw.testing.check_paths_agree`).

    Example::

        a = rulelaw.load("examples/demo-city")
        print(a.summary())
    """
    folder = input_folder(path, outside_links=outside_links)
    with ThreadPoolExecutor(max_workers=2) as pool:
        early = None if reference else _read_early(folder, pool)  # parsed meanwhile
        return _load(folder, str(path), registry, converter or shared_converter(), early)


def input_folder(path: str | os.PathLike[str], *, outside_links: bool = False) -> InputFolder:
    """The assessment folder at ``path`` (a folder, or its ``scheme.toml``) to read from.

    Raises :class:`~rulelaw.errors.ValidationError` when there is no such folder.
    """
    where = Path(path)
    if where.is_file():
        where = where.parent
    if not where.is_dir():
        raise ValidationError(
            [
                DataError(
                    Message.of("file.no-such-folder"),
                    file=str(path),
                    expected=Message.of("file.expected-folder"),
                )
            ],
            source=str(path),
        )
    return InputFolder(where, outside_links=outside_links)


def read_scheme(
    folder: InputFolder,
    conv: cattrs.Converter,
    problems: list[InputError],
    sources: dict[str, str] | None,
) -> Scheme | None:
    """A folder's ``scheme.toml``: its problems added to ``problems``, its digest to ``sources``.

    A scheme that was built but failed its cross-checks is returned all the
    same: it still tells which units, roles and indicators exist, so the rest
    is checked against it. ``None`` when there is no scheme to check against.
    """
    scheme: Scheme | None = None
    try:
        scheme_data = folder.read(SCHEME_FILE)
        if scheme_data is None:
            problems.append(_missing(SCHEME_FILE, folder))
        else:
            if sources is not None:
                sources[SCHEME_FILE] = hashlib.sha256(scheme_data).hexdigest()
            scheme = scheme_from_text(
                decode(scheme_data, SCHEME_FILE), file=SCHEME_FILE, converter=conv, folder=folder
            )
    except ValidationError as exc:
        problems.extend(exc.errors)
        if isinstance(exc.partial, Scheme):
            scheme = exc.partial
    except InputError as exc:
        problems.append(exc)
    return scheme


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
    scheme = read_scheme(folder, conv, problems, sources)
    return assemble(_FolderTables(folder, early), scheme, path, registry, conv, problems, sources)


def assemble(
    tables: Tables,
    scheme: Scheme | None,
    path: str,
    registry: Registry | None,
    conv: cattrs.Converter,
    problems: list[InputError],
    sources: dict[str, str],
) -> Assessment:
    """The assessment of ``scheme`` and ``tables``: every table structured and checked.

    ``problems`` holds those found so far (the scheme's); raises
    :class:`~rulelaw.errors.ValidationError` naming ``path`` with every problem,
    each at its table and row.
    """
    checks: _Checks = {}
    if scheme is not None:
        kinds = registry if registry is not None else default_registry()
        compiled, bad_rules = kinds.compile_each(scheme.indicators, conv)
        checks = _value_checks(compiled, kinds)
        problems.extend(e.located(file=SCHEME_FILE) for e in bad_rules)

    unit_table = tables.read(UNITS_FILE, UNIT_COLUMNS, None, problems, sources)
    people_table = tables.read(PEOPLE_FILE, PERSON_COLUMNS, None, problems, sources)
    tenure_table = tables.read(TENURES_FILE, TENURE_COLUMNS, TENURE_OPTIONAL, problems, sources)
    adjustment_table = tables.read(
        ADJUSTMENTS_FILE, ADJUSTMENT_COLUMNS, ADJUSTMENT_OPTIONAL, problems, sources
    )
    report_table = tables.read(REPORTS_FILE, REPORT_COLUMNS, REPORT_OPTIONAL, problems, sources)
    ballot_table = tables.read(
        BALLOTS_FILE, BALLOT_COLUMNS, tables.ballot_optional, problems, sources
    )
    problem_table = tables.read(PROBLEMS_FILE, PROBLEM_COLUMNS, PROBLEM_OPTIONAL, problems, sources)
    status_table = tables.read(STATUS_FILE, STATUS_COLUMNS, STATUS_OPTIONAL, problems, sources)
    filing_table = tables.read(FILINGS_FILE, FILING_COLUMNS, FILING_OPTIONAL, problems, sources)
    survey_table = tables.read(SURVEY_FILE, SURVEY_COLUMNS, (), problems, sources)

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
            attrs.evolve(b, origin=b.origin or f"{ballot_table.file}, {ballot_table.where(i)}")
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
    answers = _structure_rows(survey_table, lambda r: structure(conv, r, SurveyAnswer), problems)
    observations, columns = _read_evidence(
        tables, scheme, checks, conv, {u.id for u in units.items}, problems, sources
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
                answers=answers.items,
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
        answers=answers.items,
        # A file that could not be read, or a row that was refused, would make every
        # reference to it look unknown: those are not reported again.
        unreadable=[
            name
            for name, table, file in (
                ("units", unit_table, UNITS_FILE),
                ("people", people_table, PEOPLE_FILE),
            )
            if table is None and tables.given(file)
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
            "answers": answers,
        }
    )
    problems.extend(f.error(locate) for f in findings)
    if not problems and refused is not None:
        raise refused  # the same checks found nothing here: not expected, but never hidden
    order = {tables.name(name): index for index, name in enumerate(FILES)}

    def reading_order(error: InputError) -> tuple[int, int]:
        """Sort key: tables in loading order, then rows top to bottom (stable otherwise)."""
        return order.get(error.file or "", len(order)), error.row or 0

    raise ValidationError(sorted(problems, key=reading_order), source=path)


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
