"""An assessment: a scheme, the roster of units and people, and a year's evidence."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any

import attrs

from rulelaw.errors import DataError, LookupFailed, ValidationError
from rulelaw.messages import Message
from rulelaw.model._base import frozen_map
from rulelaw.model.adjustments import AdjustmentEvent, Bonus
from rulelaw.model.evidence import (
    ACCEPTED,
    STATES,
    Evidence,
    EvidenceColumns,
    NotApplicable,
    Observation,
    _columns_of,
    repeated_rows,
)
from rulelaw.model.indicators import Indicator, Measure, measure_word
from rulelaw.model.ledger import AnnualReportFiling, Problem
from rulelaw.model.people import ResponsiblePerson, Tenure
from rulelaw.model.reports import Ballot, LawReport, scale_points
from rulelaw.model.scheme import Scheme
from rulelaw.model.surveys import SurveyAnswer
from rulelaw.model.units import Unit

__all__ = ["Assessment", "Finding", "check_roster"]


@attrs.frozen
class Finding:
    """A problem found by a cross-check, at an item of a collection.

    ``collection`` is ``"units"``, ``"people"``, ``"tenures"`` or
    ``"evidence"``; ``index`` is the item's position and ``field`` the field
    (a column in the CSV files); ``problem`` (and ``expected``) is a
    :class:`~rulelaw.messages.Message`. :meth:`error` turns it into an error
    at a place the caller describes.
    """

    collection: str
    index: int
    field: str | None
    problem: str
    expected: str | None = None
    got: object = None

    def error(self, locate: Callable[[Finding], tuple[str | None, Place]]) -> DataError:
        """A :class:`DataError` at the file and place ``locate`` gives for this finding.

        The place is a text (``where``: ``"row 4, column 'unit'"``) or the
        place's fields by name (``{"row": 4, "column": "unit"}``, ``{"key_path":
        "$.units[2].unit"}``).
        """
        file, place = locate(self)
        fields = {"where": place} if isinstance(place, str) else dict(place)
        return DataError(self.problem, file=file, **fields, expected=self.expected, got=self.got)


#: A place as ``where`` text, or as the fields of an :class:`~rulelaw.errors.InputError`.
Place = str | Mapping[str, Any]


def _key_path(finding: Finding) -> tuple[str | None, Place]:
    path = f"$.{finding.collection}[{finding.index}]"
    return None, {"key_path": path + (f".{finding.field}" if finding.field else "")}


def _one_of(ids: Iterable[str]) -> Message:
    shown = tuple(sorted(ids))
    if not shown:
        return Message.of("roster.none-declared")
    if len(shown) > 6:
        return Message.of("roster.one-of-more", ids=shown[:6])
    return Message.of("roster.one-of", ids=shown)


def _kind_word(kind: str) -> Message | str:
    """An observation's kind as messages name it: the measure it is evidence for."""
    if kind == "undefined-rate":
        return Message.of("measure.undefined-rate")
    try:
        return measure_word(Measure(kind))
    except ValueError:
        return kind


@attrs.frozen
class _Known:
    """The unit and person ids references are checked against.

    ``None`` means the file could not be read: its references are not
    checked, as they would all look unknown. Ids of refused rows count as
    known, so a refused row is reported once, not again at every reference.
    """

    units: frozenset[str] | None
    people: frozenset[str] | None

    @classmethod
    def of(
        cls,
        units: Sequence[Unit],
        people: Sequence[ResponsiblePerson],
        unreadable: Collection[str],
        rejected: Collection[str],
    ) -> _Known:
        return cls(
            units=None if "units" in unreadable else frozenset(u.id for u in units) | set(rejected),
            people=None
            if "people" in unreadable
            else frozenset(p.id for p in people) | set(rejected),
        )

    def unit(self, collection: str, index: int, unit: str) -> Iterator[Finding]:
        """An 'unknown unit' finding at the item, if the unit is not known."""
        if self.units is not None and unit not in self.units:
            yield Finding(
                collection,
                index,
                "unit",
                Message.of("roster.unknown-unit", unit=unit),
                expected=Message.of("roster.expected-unit-id"),
            )

    def person(self, collection: str, index: int, person: str | None) -> Iterator[Finding]:
        """An 'unknown person' finding at the item, if the person is given and not known."""
        if self.people is not None and person is not None and person not in self.people:
            yield Finding(
                collection,
                index,
                "person",
                Message.of("roster.unknown-person", person=person),
                expected=Message.of("roster.expected-person-id"),
            )


def check_roster(
    scheme: Scheme | None,
    units: Sequence[Unit],
    people: Sequence[ResponsiblePerson],
    tenures: Sequence[Tenure],
    observations: Sequence[Observation] | EvidenceColumns,
    adjustments: Sequence[AdjustmentEvent] = (),
    *,
    unreadable: Collection[str] = (),
    rejected: Collection[str] = (),
    reports: Sequence[LawReport] = (),
    problems: Sequence[Problem] = (),
    filings: Sequence[AnnualReportFiling] = (),
    answers: Sequence[SurveyAnswer] = (),
) -> list[Finding]:
    """Every cross-reference problem of a roster and its evidence against a scheme.

    Checks duplicate ids, unknown categories, units, people, roles and
    indicators, cycles in the unit tree, two people in one post at once,
    observations of the wrong kind, and two observations of one pair. With
    no scheme (it failed to load), the checks that need one are skipped;
    ``unreadable`` names the collections (``"units"``, ``"people"``) whose
    file could not be read: references to them are not checked, as they
    would all look unknown. ``rejected`` holds the ids of units and people
    whose own row was refused: references to them are not reported again.
    """
    known = _Known.of(units, people, unreadable, rejected)
    return [
        *_check_units(scheme, units),
        *_check_people(people),
        *_check_tenures(scheme, tenures, known),
        *_check_evidence(scheme, units, observations, known),
        *_check_adjustments(scheme, adjustments, known),
        *_check_reports(scheme, reports, known),
        *_check_problems(problems, known),
        *_check_filings(filings, known),
        *_check_answers(scheme, answers, known),
    ]


def _check_answers(
    scheme: Scheme | None, answers: Sequence[SurveyAnswer], known: _Known
) -> Iterator[Finding]:
    """A survey answer names a survey and a unit, once per respondent, on the survey's scale."""
    seen: set[tuple[str, str, str]] = set()
    for index, answer in enumerate(answers):
        key = (answer.survey, answer.unit, answer.respondent)
        if key in seen:
            yield Finding(
                "answers",
                index,
                "respondent",
                Message.of(
                    "survey.second-answer",
                    respondent=answer.respondent,
                    survey=answer.survey,
                    unit=answer.unit,
                ),
            )
        seen.add(key)
        yield from known.unit("answers", index, answer.unit)
        if scheme is None:
            continue
        survey = scheme.survey(answer.survey)
        if survey is None:
            yield Finding(
                "answers",
                index,
                "survey",
                Message.of("scheme.unknown-survey", survey=answer.survey),
                expected=_one_of(s.id for s in scheme.surveys)
                if scheme.surveys
                else Message.of("scheme.no-surveys-declared"),
            )
            continue
        points, why = scale_points(survey, answer.answer)
        if points is None:
            yield Finding("answers", index, "answer", why)


def _check_reports(
    scheme: Scheme | None, reports: Sequence[LawReport], known: _Known
) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, report in enumerate(reports):
        if report.id in seen:
            yield Finding(
                "reports", index, "id", Message.of("roster.duplicate-report", id=report.id)
            )
        seen.add(report.id)
        yield from known.person("reports", index, report.person)
        yield from known.unit("reports", index, report.unit)
        if scheme is not None and report.panel is not None and scheme.panel(report.panel) is None:
            yield Finding(
                "reports",
                index,
                "panel",
                Message.of("roster.unknown-panel", panel=report.panel),
                expected=_one_of(p.id for p in scheme.panels),
            )


def _check_problems(problems: Sequence[Problem], known: _Known) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, problem in enumerate(problems):
        if problem.id in seen:
            yield Finding("problems", index, "id", Message.of("problem.duplicate", id=problem.id))
        seen.add(problem.id)
        yield from known.unit("problems", index, problem.unit)
        yield from known.person("problems", index, problem.person)


def _check_filings(filings: Sequence[AnnualReportFiling], known: _Known) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, filing in enumerate(filings):
        if filing.unit in seen:
            yield Finding(
                "filings", index, "unit", Message.of("roster.second-filing", unit=filing.unit)
            )
        seen.add(filing.unit)
        yield from known.unit("filings", index, filing.unit)


def _check_adjustments(
    scheme: Scheme | None, events: Sequence[AdjustmentEvent], known: _Known
) -> Iterator[Finding]:
    for index, event in enumerate(events):
        yield from known.unit("adjustments", index, event.unit)
        if scheme is None:
            continue
        item = scheme.adjustment_item(event.item)
        if item is None:
            items = [
                *(b.id for b in scheme.bonuses),
                *(d.id for d in scheme.deductions),
                *(v.id for v in scheme.vetoes),
            ]
            yield Finding(
                "adjustments",
                index,
                "item",
                Message.of("roster.unknown-adjustment-item", item=event.item),
                expected=_one_of(items),
            )
        elif isinstance(item, Bonus):
            if event.level not in item.levels:
                yield Finding(
                    "adjustments",
                    index,
                    "level",
                    Message.of("roster.unknown-bonus-level", level=event.level, bonus=item.id),
                    expected=_one_of(item.levels),
                )
            if not event.achievement:
                yield Finding(
                    "adjustments",
                    index,
                    "achievement",
                    Message.of("roster.bonus-needs-achievement", bonus=item.id),
                    expected=Message.of("roster.expected-achievement"),
                )


def _check_units(scheme: Scheme | None, units: Sequence[Unit]) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, unit in enumerate(units):
        if unit.id in seen:
            yield Finding("units", index, "id", Message.of("roster.duplicate-unit", id=unit.id))
        seen.add(unit.id)
    categories = {c.id for c in scheme.categories} if scheme else set()
    all_ids = {u.id for u in units}
    for index, unit in enumerate(units):
        if scheme is not None and unit.category not in categories:
            yield Finding(
                "units",
                index,
                "category",
                Message.of("roster.unknown-category", category=unit.category),
                expected=_one_of(categories),
            )
        if unit.parent is not None and unit.parent not in all_ids:
            yield Finding(
                "units",
                index,
                "parent",
                Message.of("roster.unknown-parent", parent=unit.parent),
                expected=Message.of("roster.expected-other-unit"),
            )
    peer_group = scheme.grading.peer_group if scheme is not None else "category"
    if peer_group not in ("category", "level"):
        for index, unit in enumerate(units):
            if not unit.attributes.get(peer_group):
                yield Finding(
                    "units",
                    index,
                    peer_group,
                    Message.of("roster.no-peer-key", peer_group=peer_group, unit=unit.id),
                    expected=Message.of("roster.expected-column-value", column=peer_group),
                )
    parents = {u.id: u.parent for u in units}
    reported: set[str] = set()
    for index, unit in enumerate(units):
        chain = [unit.id]
        current = unit.parent
        while current is not None and current in parents and current not in chain:
            chain.append(current)
            current = parents[current]
        if current is not None and current in chain and not reported & set(chain):
            reported.update(chain)
            cycle = [*chain[chain.index(current) :], current]
            yield Finding(
                "units", index, "parent", Message.of("roster.unit-cycle", cycle=" → ".join(cycle))
            )


def _check_people(people: Sequence[ResponsiblePerson]) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, person in enumerate(people):
        if person.id in seen:
            yield Finding(
                "people", index, "id", Message.of("roster.duplicate-person", id=person.id)
            )
        seen.add(person.id)


def _span(tenure: Tenure) -> Message:
    if tenure.end is None:
        return Message.of("roster.span-open", start=tenure.start)
    return Message.of("roster.span", start=tenure.start, end=tenure.end)


def _check_tenures(
    scheme: Scheme | None, tenures: Sequence[Tenure], known: _Known
) -> Iterator[Finding]:
    role_ids = [r.id for r in scheme.all_roles] if scheme else None
    by_post: dict[tuple[str, str], list[tuple[int, Tenure]]] = {}
    by_person: dict[str, list[Tenure]] = {}
    for index, tenure in enumerate(tenures):
        yield from known.person("tenures", index, tenure.person)
        yield from known.unit("tenures", index, tenure.unit)
        if role_ids is not None and tenure.role not in role_ids:
            yield Finding(
                "tenures",
                index,
                "role",
                Message.of("roster.unknown-role", role=tenure.role),
                expected=_one_of(role_ids),
            )
        for _, other in by_post.get((tenure.unit, tenure.role), ()):
            if other.overlaps(tenure):
                yield Finding(
                    "tenures",
                    index,
                    "start",
                    Message.of(
                        "roster.same-person-same-post"
                        if other.person == tenure.person
                        else "roster.two-people-same-post",
                        role=tenure.role,
                        unit=tenure.unit,
                        first=other.person,
                        first_span=_span(other),
                        second=tenure.person,
                        second_span=_span(tenure),
                    ),
                )
        for other in by_person.get(tenure.person, ()):
            same_post = (other.unit, other.role) == (tenure.unit, tenure.role)
            allowed = scheme is not None and scheme.people.concurrent(other.role, tenure.role)
            if not same_post and not allowed and other.overlaps(tenure):
                yield Finding(
                    "tenures",
                    index,
                    "start",
                    Message.of(
                        "roster.person-two-posts",
                        person=tenure.person,
                        first_role=other.role,
                        first_unit=other.unit,
                        first_span=_span(other),
                        second_role=tenure.role,
                        second_unit=tenure.unit,
                        second_span=_span(tenure),
                    ),
                    expected=Message.of("roster.expected-no-overlap"),
                )
        by_post.setdefault((tenure.unit, tenure.role), []).append((index, tenure))
        by_person.setdefault(tenure.person, []).append(tenure)


def _check_evidence(
    scheme: Scheme | None,
    units: Sequence[Unit],
    evidence: Sequence[Observation] | EvidenceColumns,
    known: _Known,
) -> Iterator[Finding]:
    """Evidence problems in row order, each check run once per distinct unit, indicator, entry."""
    if scheme is None:
        return
    import numpy as np

    columns = evidence if isinstance(evidence, EvidenceColumns) else _columns_of(tuple(evidence))
    if not len(columns):
        return
    category_of = {u.id: u.category for u in units}
    indicators: dict[str, Indicator] = {}
    for declared in scheme.indicators:
        indicators.setdefault(declared.id, declared)  # the first declaration wins
    found: list[tuple[int, int, Finding]] = []  # (row, check, finding): sorted into row order

    def at_rows(mask: Any, check: int, finding: Finding) -> None:
        for row in np.flatnonzero(mask).tolist():
            found.append((row, check, attrs.evolve(finding, index=row)))

    for position, unit in enumerate(columns.units):
        for finding in known.unit("evidence", 0, unit):
            at_rows(columns.unit == position, 0, finding)
    measured: dict[int, Indicator] = {}
    for position, indicator_id in enumerate(columns.indicators):
        indicator = indicators.get(indicator_id)
        if indicator is None:
            problem = Message.of("roster.unknown-indicator", indicator=indicator_id)
            expected: Message | None = Message.of("roster.expected-leaf-indicator")
        elif indicator.evidence_from is not None:
            problem = Message.of(
                "roster.derived-evidence",
                indicator=indicator_id,
                source=indicator.evidence_from,
            )
            expected = None
        else:
            measured[position] = indicator
            continue
        at_rows(
            columns.indicator == position,
            1,
            Finding("evidence", 0, "indicator", problem, expected=expected),
        )
    # the kind of each row's entry against its indicator's measure, as a table of
    # (measure, kind of value); only the rows it refuses are looked at one by one
    kinds: dict[type[Any], int] = {}
    kind_of = np.array(
        [kinds.setdefault(type(v), len(kinds)) for v, _, _ in columns.entries], dtype=np.int64
    )
    measures = list(dict.fromkeys(i.measure for i in measured.values()))
    measure_of = np.full(len(columns.indicators), -1, dtype=np.int64)
    for position, indicator in measured.items():
        measure_of[position] = measures.index(indicator.measure)
    accepts = np.array(
        [[issubclass(kind, (*STATES, *ACCEPTED[m])) for kind in kinds] for m in measures]
        + [[True] * len(kinds)],  # the last row, taken for -1: indicators not measured
        dtype=bool,
    ).reshape(len(measures) + 1, len(kinds))
    row_measure = measure_of[columns.indicator]
    refused = ~accepts[row_measure, kind_of[columns.entry]]
    width = len(columns.entries)
    for pair in np.unique(row_measure[refused] * width + columns.entry[refused]).tolist():
        m, entry = divmod(pair, width)
        value = columns.entries[entry][0]
        bad = refused & (row_measure == m) & (columns.entry == entry)
        for position in np.unique(columns.indicator[bad]).tolist():
            indicator = measured[position]
            at_rows(
                bad & (columns.indicator == position),
                1,
                Finding(
                    "evidence",
                    0,
                    "indicator",
                    Message.of(
                        "roster.wrong-observation",
                        kind=_kind_word(value.kind),
                        indicator=indicator.id,
                        measure=measure_word(indicator.measure),
                    ),
                    expected=Message.of(
                        "roster.expected-observation", measure=measure_word(indicator.measure)
                    ),
                ),
            )
    # indicators given for units of a category they do not apply to, as a table of
    # (indicator, category); the last category stands for units not in the roster
    names = sorted(set(category_of.values()))
    refuses = np.zeros((len(columns.indicators), len(names) + 1), dtype=bool)
    for position, indicator in measured.items():
        if indicator.categories is not None:
            refuses[position, :-1] = [not indicator.applies_to(c) for c in names]
    if refuses.any():
        at = {c: k for k, c in enumerate(names)}
        unit_category = np.array(
            [at[category_of[u]] if u in category_of else len(names) for u in columns.units],
            dtype=np.int64,
        )
        given = ~np.array([issubclass(kind, NotApplicable) for kind in kinds], dtype=bool)
        wrong = refuses[columns.indicator, unit_category[columns.unit]]
        wrong &= given[kind_of[columns.entry]]
        pairs = columns.indicator[wrong].astype(np.int64) * len(columns.units) + columns.unit[wrong]
        for pair in np.unique(pairs).tolist():
            position, u = divmod(pair, len(columns.units))
            indicator, unit = measured[position], columns.units[u]
            at_rows(
                wrong & (columns.indicator == position) & (columns.unit == u),
                2,
                Finding(
                    "evidence",
                    0,
                    "indicator",
                    Message.of(
                        "roster.indicator-not-applicable",
                        indicator=indicator.id,
                        category=category_of[unit],
                        unit=unit,
                    ),
                ),
            )
    # a second row of one pair
    for row, first in repeated_rows(columns):
        found.append(
            (
                row,
                3,
                Finding(
                    "evidence",
                    row,
                    "indicator",
                    Message.of(
                        "roster.second-observation",
                        indicator=columns.indicators[int(columns.indicator[row])],
                        unit=columns.units[int(columns.unit[row])],
                        first=first + 1,
                    ),
                ),
            )
        )
    found.sort(key=lambda f: (f[0], f[1]))
    yield from (f for _, _, f in found)


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Assessment:
    """A scheme with its roster (units, people, tenures) and a year's evidence.

    Building one cross-checks everything and raises a
    :class:`~rulelaw.errors.ValidationError` listing every problem, each at a
    key path such as ``$.tenures[4].role``. :func:`rulelaw.load` reads one
    from a folder and reports the problems by file and row instead.

    ``sources`` maps each input file name to the SHA-256 of its bytes, for
    the metadata of results; it does not take part in equality.
    """

    scheme: Scheme
    units: tuple[Unit, ...] = attrs.field(converter=_tuple)
    people: tuple[ResponsiblePerson, ...] = attrs.field(default=(), converter=_tuple)
    tenures: tuple[Tenure, ...] = attrs.field(default=(), converter=_tuple)
    evidence: Evidence = attrs.field(factory=Evidence)
    adjustments: tuple[AdjustmentEvent, ...] = attrs.field(default=(), converter=_tuple)
    reports: tuple[LawReport, ...] = attrs.field(default=(), converter=_tuple)
    ballots: tuple[Ballot, ...] = attrs.field(default=(), converter=_tuple)
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=_tuple)
    filings: tuple[AnnualReportFiling, ...] = attrs.field(default=(), converter=_tuple)
    #: respondents' answers to the scheme's surveys (``survey.csv``)
    answers: tuple[SurveyAnswer, ...] = attrs.field(default=(), converter=_tuple)
    sources: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_map, eq=False)

    def __attrs_post_init__(self) -> None:
        findings = check_roster(
            self.scheme,
            self.units,
            self.people,
            self.tenures,
            self.evidence.columns,
            self.adjustments,
            reports=self.reports,
            problems=self.problems,
            filings=self.filings,
            answers=self.answers,
        )
        if findings:
            raise ValidationError(
                (f.error(_key_path) for f in findings),
                source=Message.of("errors.source-assessment", id=self.scheme.id),
            )

    @cached_property
    def _units(self) -> Mapping[str, Unit]:
        return {u.id: u for u in self.units}

    @cached_property
    def _people(self) -> Mapping[str, ResponsiblePerson]:
        return {p.id: p for p in self.people}

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id; raises :class:`~rulelaw.errors.LookupFailed`."""
        try:
            return self._units[unit_id]
        except KeyError:
            raise LookupFailed("unit", unit_id, self._units) from None

    def person(self, person_id: str) -> ResponsiblePerson:
        """The person with this id; raises :class:`~rulelaw.errors.LookupFailed`."""
        try:
            return self._people[person_id]
        except KeyError:
            raise LookupFailed("person", person_id, self._people) from None

    def units_in(self, category_id: str) -> tuple[Unit, ...]:
        """The units of one category, in roster order."""
        return tuple(u for u in self.units if u.category == category_id)

    def tenures_at(self, unit_id: str) -> tuple[Tenure, ...]:
        """The tenures at one unit, in roster order."""
        return tuple(t for t in self.tenures if t.unit == unit_id)

    def summary(self) -> str:
        """One line: scheme, period and how many units, people and observations."""
        counts = ", ".join(f"{len(self.units_in(c.id))} {c.id}" for c in self.scheme.categories)
        return (
            f"{self.scheme.title} ({self.scheme.id} v{self.scheme.version}, "
            f"{self.scheme.period}): {len(self.units)} units ({counts}), "
            f"{len(self.scheme.indicators)} indicators, {len(self.people)} people, "
            f"{len(self.tenures)} tenures, {len(self.evidence)} observations"
        )
