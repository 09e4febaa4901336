"""``evaluate``: from an assessment to exact, explained points for every unit.

The steps, each in a module of its own: compile the rules once
(:mod:`rulelaw.rules`); plan each category's tree (:mod:`._plan`); derive the
evidence that law reports, the ledger and filings give (:mod:`._panels`,
:mod:`._ledger`); judge every value (:mod:`._scorer`); aggregate, a category
at a time in arrays (:mod:`._arrays`) or a unit at a time in exact fractions
(:mod:`._reference`), both through :mod:`._aggregate`; grade and rank
(:mod:`._grade`); attribute to the responsible persons (:mod:`._people`).
Nothing reads the clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

import pendulum

from rulelaw._version import __version__
from rulelaw.convert import shared_converter
from rulelaw.engine._arrays import Scored, score_category
from rulelaw.engine._consequences import recommend
from rulelaw.engine._grade import grade_units
from rulelaw.engine._ledger import derived_evidence, ledger_rows
from rulelaw.engine._panels import coverage, panel_results
from rulelaw.engine._people import attribute_people, post_gaps
from rulelaw.engine._plan import CategoryPlan, plan_category
from rulelaw.engine._reference import evaluate_unit
from rulelaw.engine._results import DimensionInfo, Evaluation, IndicatorInfo, UnitResult
from rulelaw.engine._scorer import Peers, Scorer
from rulelaw.errors import DataError
from rulelaw.model import (
    ROUNDING_LEVELS,
    AdjustmentEvent,
    Assessment,
    Level,
    RankOn,
    Scheme,
    Unit,
    to_date,
)
from rulelaw.rules import Registry, default_registry

__all__ = ["evaluate"]

SHANGHAI = pendulum.timezone("Asia/Shanghai")


def _as_of(value: object, scheme: Scheme) -> pendulum.Date:
    """The evaluation date: given, else the scheme's ``scoring.as_of``, else the period's end.

    A date-time is read as the calendar day it falls on in Asia/Shanghai.
    """
    if value is None:
        return scheme.scoring.as_of or scheme.period.end
    if isinstance(value, dt.datetime):
        when = pendulum.instance(value) if value.tzinfo else pendulum.instance(value, SHANGHAI)
        local = when.in_timezone(SHANGHAI)
        return pendulum.Date(local.year, local.month, local.day)
    try:
        return to_date(value)
    except DataError as exc:
        raise DataError(exc.problem, where="as_of", expected=exc.expected, got=exc.got) from None


def evaluate(
    assessment: Assessment,
    *,
    as_of: object = None,
    registry: Registry | None = None,
    reference: bool = False,
) -> Evaluation:
    """Score every unit of an assessment: exact points, every one explained.

    Parameters
    ----------
    assessment:
        A loaded or built :class:`~rulelaw.Assessment`.
    as_of:
        The evaluation date (a ``YYYY-MM-DD`` string, a date, or a date-time,
        read in Asia/Shanghai); defaults to the scheme's ``scoring.as_of``,
        else the end of the assessment period. Nothing reads the clock.
    registry:
        The rule kinds to score with; the built-in kinds by default.
    reference:
        Score every unit the reference way: one unit at a time, in exact
        fractions (the executable specification). The result is the same as
        the default's, which scores a category at a time in integer arrays
        wherever it can; slower, for checking (see
        :func:`rulelaw.testing.check_paths_agree`).

    Raises
    ------
    rulelaw.ValidationError
        A rule's kind is unknown to the registry or its parameters are bad.
    rulelaw.EvaluationError
        Evidence a rule cannot score (e.g. a given score above its scale).

    Example::

        result = rulelaw.evaluate(rulelaw.load("examples/demo-city"), as_of="2025-03-31")
        print(result.table())

    """
    scheme = assessment.scheme
    kinds = registry or default_registry()
    rules = kinds.compile_scheme(scheme.indicators, shared_converter())
    contracts = {i: kinds.contract(rule) for i, rule in rules.items()}
    day = _as_of(as_of, scheme)
    plans = {c.id: plan_category(scheme, c) for c in scheme.categories}
    events: dict[str, list[AdjustmentEvent]] = {}
    for event in assessment.adjustments:
        events.setdefault(event.unit, []).append(event)
    panels, report_distribution, rejected = panel_results(assessment)
    ledger = ledger_rows(assessment, day)
    derived = derived_evidence(assessment, panels, ledger, day)
    peers = Peers(assessment, contracts, derived, rules)
    scorer = Scorer(rules, contracts, peers, scheme, day, derived)
    units, exact = _score_units(assessment, plans, scorer, events, reference=reference)
    peer_group = scheme.grading.peer_group
    names: dict[str, str] = {}
    if peer_group == "category":
        names = {c.id: c.name for c in scheme.categories}
    elif peer_group == "level":
        names = {level.value: level.label for level in Level}
    units, distribution = grade_units(scheme, units, names, exact=exact)
    people, people_distribution = attribute_people(assessment, units)
    people = recommend(scheme, people, panels, units)
    return Evaluation(
        scheme_id=scheme.id,
        scheme_title=scheme.title,
        scheme_version=scheme.version,
        as_of=day,
        scale=scheme.scale,
        places=scheme.rounding.level("total").places,
        level_places={str(name): scheme.rounding.level(name).places for name in ROUNDING_LEVELS},
        rulelaw_version=__version__,
        sources=assessment.sources,
        categories={c.id: c.name for c in scheme.categories},
        units=units,
        distribution=distribution,
        peer_group=peer_group,
        people=people,
        people_distribution=people_distribution,
        post_gaps=post_gaps(assessment),
        period_start=scheme.period.start,
        period_end=scheme.period.end,
        roles={r.id: r.name for r in scheme.all_roles},
        panels=panels,
        report_distribution=report_distribution,
        rejected_ballots=rejected,
        coverage=coverage(assessment, day),
        ledger=ledger,
        indicators=tuple(
            IndicatorInfo(
                indicator=leaf.id,
                title=leaf.title,
                dimension=leaf.parent,
                kind=rules[leaf.id].name,
                rule_max=rules[leaf.id].max,
                weights={
                    c: plan.shown_weight[leaf.id]
                    for c, plan in plans.items()
                    if leaf.id in plan.shown_weight
                },
                tags=leaf.tags,
            )
            for leaf in scheme.indicators
        ),
        dimensions=_dimension_infos(scheme),
        catalogue=kinds.catalogue(),
    )


def _dimension_infos(scheme: Scheme) -> tuple[DimensionInfo, ...]:
    """The scheme's dimensions with their depth in the tree (1 at the top)."""
    parent = {d.id: d.parent for d in scheme.dimensions}

    def level(dimension_id: str) -> int:
        above = parent[dimension_id]
        return 1 if above is None else 1 + level(above)

    return tuple(
        DimensionInfo(dimension=d.id, title=d.title, parent=d.parent, level=level(d.id))
        for d in scheme.dimensions
    )


def _score_units(
    assessment: Assessment,
    plans: Mapping[str, CategoryPlan],
    scorer: Scorer,
    events: Mapping[str, list[AdjustmentEvent]],
    *,
    reference: bool,
) -> tuple[tuple[UnitResult, ...], dict[str, Fraction]]:
    """Every unit's result, in roster order; and where ranks are taken on exact totals, those.

    Category by category in arrays (:mod:`._arrays`), and the reference way
    (:mod:`._reference`) for the units that need it (adjustment events,
    false-evidence penalties) — or for every unit when ``reference``.

    With ``rank_on = "exact"``, the exact totals are given of the units that
    share their shown total with another unit: only those can the exact
    total order differently (rounding never reverses an order), so no other
    unit's contributions need adding exactly.
    """
    scheme = assessment.scheme
    keep_exact = scheme.grading.rank_on is RankOn.EXACT
    by_category: dict[str, list[Unit]] = {}
    for unit in assessment.units:
        by_category.setdefault(unit.category, []).append(unit)
    found: dict[str, UnitResult] = {}
    exact: dict[str, Fraction] = {}
    pending: dict[str, Scored] = {}
    for category, members in by_category.items():
        plan = plans[category]
        if reference:
            scored: Sequence[Scored | None] = [None] * len(members)
        else:
            _, scored = score_category(
                assessment,
                plan,
                members,
                scorer,
                Fraction(scheme.scale),
                [unit.id in events for unit in members],
                keep_exact=keep_exact,
            )
        for unit, result in zip(members, scored, strict=True):
            if result is None:
                found[unit.id], exact[unit.id] = evaluate_unit(
                    assessment, unit, plan, scorer, events.get(unit.id, ())
                )
                continue
            if keep_exact:
                pending[unit.id] = result
            found[unit.id] = UnitResult(
                unit=unit.id,
                name=unit.name,
                category=unit.category,
                level=unit.level.value,
                indicators=result.indicators,
                dimensions=result.dimensions,
                adjustments=result.adjustments,
                subtotal=result.subtotal,
                total=result.total,
                peer_group=unit.peer_key(scheme.grading.peer_group) or "",
                not_graded=unit.not_graded,
            )
    units = tuple(found[unit.id] for unit in assessment.units)
    if not keep_exact:
        return units, {}
    times = Counter(u.total for u in units)
    needed = {u.unit for u in units if times[u.total] > 1}
    for unit_id, result in pending.items():
        if unit_id in needed:  # no adjustments on this path: the exact total is the subtotal
            lines = result.indicators
            exact[unit_id] = lines.block.exact_subtotal(lines.position)
    return units, {k: v for k, v in exact.items() if k in needed}
