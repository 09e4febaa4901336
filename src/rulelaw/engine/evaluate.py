"""``evaluate``: from an assessment to exact, explained points for every unit.

Steps, each small: compile the rules once (:mod:`rulelaw.rules`), plan each
category's tree (:class:`_CategoryPlan`), score the leaves, allot the weights
(not-applicable indicators out, the rest rescaled so the maximum is kept, all
on the scheme's scale), adjust (:mod:`rulelaw.engine.adjust`), round.
Arithmetic is exact (:class:`~fractions.Fraction`) until the declared rounding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from rulelaw._version import __version__
from rulelaw.engine.adjust import adjustments_for
from rulelaw.engine.results import (
    Adjustment,
    DimensionResult,
    Evaluation,
    IndicatorResult,
    Status,
    UnitResult,
)
from rulelaw.errors import DataError, EvaluationError
from rulelaw.files._converter import make_converter
from rulelaw.model import (
    AdjustmentEvent,
    Assessment,
    Category,
    Dimension,
    Indicator,
    NotApplicable,
    NotSubmitted,
    NotSubmittedPolicy,
    ObservedValue,
    Scheme,
    Unit,
)
from rulelaw.model._base import to_date
from rulelaw.rules import Outcome, Registry, RuleContext, RuleKind, default_registry

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


@attrs.frozen
class _CategoryPlan:
    """The part of the indicator tree one category is scored on, with its weights."""

    category: Category
    leaves: tuple[Indicator, ...]
    dimensions: tuple[tuple[Dimension, int], ...]
    children: Mapping[str | None, tuple[str, ...]]
    weight: Mapping[str, Fraction]


def _plan(scheme: Scheme, category: Category) -> _CategoryPlan:
    points = scheme.weights_for(category.id).points
    leaves: list[Indicator] = []
    dimensions: list[tuple[Dimension, int]] = []
    children: dict[str | None, tuple[str, ...]] = {}
    weight: dict[str, Fraction] = {}

    def walk(node_id: str | None, depth: int) -> bool:
        kept: list[str] = []
        for child in scheme.children(node_id):
            if isinstance(child, Indicator):
                if child.applies_to(category.id):
                    leaves.append(child)
                    weight[child.id] = Fraction(points[child.id])
                    kept.append(child.id)
            else:
                position = len(dimensions)
                dimensions.append((child, depth + 1))
                if walk(child.id, depth + 1):
                    kept.append(child.id)
                    declared = points.get(child.id)
                    weight[child.id] = (
                        Fraction(declared)
                        if declared is not None
                        else sum((weight[c] for c in children[child.id]), Fraction(0))
                    )
                else:
                    del dimensions[position:]
        children[node_id] = tuple(kept)
        return bool(kept)

    walk(None, 0)
    return _CategoryPlan(category, tuple(leaves), tuple(dimensions), children, weight)


def _check_outcome(outcome: Outcome, rule: RuleKind, unit: Unit, indicator: Indicator) -> None:
    if not isinstance(outcome, Outcome):
        raise EvaluationError(
            f"rule kind {rule.name!r} returned {outcome!r} for unit {unit.id!r}, indicator "
            f"{indicator.id!r}; expected an Outcome"
        )
    if not 0 <= outcome.points <= Fraction(rule.max) or not outcome.reason.strip():
        raise EvaluationError(
            f"rule kind {rule.name!r} gave unit {unit.id!r}, indicator {indicator.id!r} "
            f"points {outcome.points} (expected 0 … {rule.max}) with reason {outcome.reason!r}"
        )


def evaluate(
    assessment: Assessment,
    *,
    as_of: object = None,
    registry: Registry | None = None,
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
    rules = (registry or default_registry()).compile_scheme(scheme.indicators, make_converter())
    day = _as_of(as_of, scheme)
    plans = {c.id: _plan(scheme, c) for c in scheme.categories}
    events: dict[str, list[AdjustmentEvent]] = {}
    for event in assessment.adjustments:
        events.setdefault(event.unit, []).append(event)
    peers = _Peers(assessment, rules)
    units = tuple(
        _evaluate_unit(
            assessment, unit, plans[unit.category], rules, day, peers, events.get(unit.id, ())
        )
        for unit in assessment.units
    )
    return Evaluation(
        scheme_id=scheme.id,
        scheme_title=scheme.title,
        scheme_version=scheme.version,
        as_of=day,
        scale=scheme.scale,
        places=scheme.rounding.places,
        rulelaw_version=__version__,
        sources=assessment.sources,
        categories={c.id: c.name for c in scheme.categories},
        units=units,
    )


class _Peers:
    """Observed values of one indicator across a category, built once when a rule needs them."""

    def __init__(self, assessment: Assessment, rules: Mapping[str, RuleKind]) -> None:
        self._assessment = assessment
        self._needs = {i for i, r in rules.items() if getattr(r, "needs_peers", False)}
        self._cache: dict[tuple[str, str], Mapping[str, ObservedValue]] = {}

    def of(self, indicator: str, category: str) -> Mapping[str, ObservedValue]:
        if indicator not in self._needs:
            return {}
        key = (indicator, category)
        if key not in self._cache:
            values: dict[str, ObservedValue] = {}
            for unit in self._assessment.units_in(category):
                value = self._assessment.evidence.get(unit.id, indicator).value
                if not isinstance(value, NotApplicable | NotSubmitted):
                    values[unit.id] = value
            self._cache[key] = values
        return self._cache[key]


def _evaluate_unit(
    assessment: Assessment,
    unit: Unit,
    plan: _CategoryPlan,
    rules: Mapping[str, RuleKind],
    as_of: pendulum.Date,
    peers: _Peers,
    events: list[AdjustmentEvent] | tuple[()],
) -> UnitResult:
    scheme = assessment.scheme
    rounding = scheme.rounding
    missing_is_zero = scheme.scoring.not_submitted is NotSubmittedPolicy.ZERO
    # 1. score the leaves
    scored: dict[str, tuple[Fraction | None, Outcome | None, str, str, str]] = {}
    active: set[str] = set()
    for indicator in plan.leaves:
        rule = rules[indicator.id]
        observation = assessment.evidence.get(unit.id, indicator.id)
        value = observation.value
        if isinstance(value, NotApplicable):
            scored[indicator.id] = (
                None,
                None,
                Status.NOT_APPLICABLE,
                value.describe() + ": left out, weight given to the rest",
                observation.source,
            )
            continue
        if isinstance(value, NotSubmitted):
            if missing_is_zero:
                scored[indicator.id] = (
                    Fraction(0),
                    None,
                    Status.NOT_SUBMITTED,
                    value.describe() + ": scores 0 (not_submitted = zero)",
                    observation.source,
                )
                active.add(indicator.id)
            else:
                scored[indicator.id] = (
                    None,
                    None,
                    Status.NOT_SUBMITTED,
                    value.describe() + ": left out (not_submitted = not-applicable)",
                    observation.source,
                )
            continue
        context = RuleContext(
            unit=unit,
            indicator=indicator,
            as_of=as_of,
            period=scheme.period,
            peers=peers.of(indicator.id, unit.category),
        )
        outcome = rule.score(value, context)
        _check_outcome(outcome, rule, unit, indicator)
        if outcome.applicable:
            active.add(indicator.id)
            scored[indicator.id] = (
                outcome.points,
                outcome,
                Status.SCORED,
                outcome.reason,
                observation.source,
            )
        else:
            scored[indicator.id] = (
                None,
                outcome,
                Status.NOT_APPLICABLE,
                outcome.reason,
                observation.source,
            )

    # 2. allot the scheme's scale over what is active, rescaling within each dimension
    effective: dict[str, Fraction] = {}

    def is_active(node: str) -> bool:
        kids = plan.children.get(node)
        return node in active if kids is None else any(is_active(k) for k in kids)

    def allot(node: str | None, budget: Fraction) -> None:
        kids = [k for k in plan.children.get(node, ()) if is_active(k)]
        base = sum((plan.weight[k] for k in kids), Fraction(0))
        for kid in kids:
            share = budget * plan.weight[kid] / base if base else Fraction(0)
            effective[kid] = share
            if kid in plan.children:
                allot(kid, share)

    allot(None, Fraction(scheme.scale))

    # 3. contributions, shown rounded; exact sums carried on
    results: list[IndicatorResult] = []
    exact: dict[str, Fraction] = {}
    for indicator in plan.leaves:
        rule = rules[indicator.id]
        points, verdict, status, reason, source = scored[indicator.id]
        weight = effective.get(indicator.id, Fraction(0))
        contribution = (
            points / Fraction(rule.max) * weight if points is not None and weight else Fraction(0)
        )
        if rounding.indicators:
            contribution = Fraction(rounding.apply(contribution))
        exact[indicator.id] = contribution
        results.append(
            IndicatorResult(
                indicator=indicator.id,
                title=indicator.title,
                dimension=indicator.parent,
                kind=rule.name,
                status=status,
                observed=assessment.evidence.get(unit.id, indicator.id).value.describe(),
                rule_points=None if points is None else rounding.apply(points),
                rule_max=rule.max,
                weight=Decimal(plan.weight[indicator.id].numerator)
                / Decimal(plan.weight[indicator.id].denominator),
                effective_weight=rounding.apply(weight),
                points=rounding.apply(contribution),
                reason=reason,
                band=verdict.band if verdict is not None else None,
                source=source,
            )
        )

    def under(node: str) -> Fraction:
        kids = plan.children.get(node)
        if kids is None:
            return exact.get(node, Fraction(0))
        return sum((under(k) for k in kids), Fraction(0))

    dimension_exact = {d.id: under(d.id) for d, _ in plan.dimensions}
    dimensions = tuple(
        DimensionResult(
            dimension=d.id,
            title=d.title,
            level=depth,
            points=rounding.apply(dimension_exact[d.id]),
            max=rounding.apply(effective.get(d.id, Fraction(0))),
        )
        for d, depth in plan.dimensions
    )
    subtotal = sum(exact.values(), Fraction(0))

    # 4. adjustments, then the declared rounding of the total
    adjustments, vetoes = adjustments_for(scheme, events, subtotal, dimension_exact)
    total_exact = subtotal + sum((a for a, _ in adjustments), Fraction(0))
    total = rounding.apply(total_exact)
    shown = [
        Adjustment(
            kind=line.kind, item=line.item, points=rounding.apply(points), reason=line.reason
        )
        for points, line in adjustments
    ]
    difference = (
        total
        - sum((r.points for r in results), Decimal(0))
        - sum((a.points for a in shown), Decimal(0))
    )
    if difference:
        shown.append(
            Adjustment(
                kind="rounding",
                item="rounding",
                points=difference,
                reason=f"indicator points are shown rounded to {rounding.places} places "
                f"({rounding.mode.value}); this line makes them add up to the total",
            )
        )
    return UnitResult(
        unit=unit.id,
        name=unit.name,
        category=unit.category,
        level=unit.level.value,
        indicators=tuple(results),
        dimensions=dimensions,
        adjustments=tuple(shown),
        subtotal=rounding.apply(subtotal),
        total=total,
        vetoes=vetoes,
    )
