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
from rulelaw.engine.adjust import AdjustmentLine, adjustments_for
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
    Falsified,
    Indicator,
    NotApplicable,
    NotSubmitted,
    NotSubmittedPolicy,
    Observation,
    ObservedValue,
    Scheme,
    Unit,
)
from rulelaw.model._base import to_date
from rulelaw.rules import Outcome, Registry, RuleContext, RuleKind, default_registry
from rulelaw.rules._protocol import NO_PEERS, PeerGroup, fmt

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
    shown_weight: Mapping[str, Decimal]


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
    shown = {leaf.id: points[leaf.id] for leaf in leaves}
    return _CategoryPlan(category, tuple(leaves), tuple(dimensions), children, weight, shown)


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
    scorer = _Scorer(rules, _Peers(assessment, rules), scheme, day)
    units = tuple(
        _evaluate_unit(assessment, unit, plans[unit.category], scorer, events.get(unit.id, ()))
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
        self._cache: dict[tuple[str, str], PeerGroup] = {}

    def needed(self, indicator: str) -> bool:
        return indicator in self._needs

    def of(self, indicator: str, category: str) -> PeerGroup:
        if indicator not in self._needs:
            return NO_PEERS
        key = (indicator, category)
        if key not in self._cache:
            values: dict[str, ObservedValue] = {}
            for unit in self._assessment.units_in(category):
                value = self._assessment.evidence.get(unit.id, indicator).value
                if not isinstance(value, NotApplicable | NotSubmitted | Falsified):
                    values[unit.id] = value
            self._cache[key] = PeerGroup(values)
        return self._cache[key]


class _Scorer:
    """Scores observations, remembering the outcome of pure rules for a repeated value.

    A rule that does not look at its peers depends only on the value, the
    indicator and the evaluation date (the same for the whole evaluation), so
    ``(indicator, value)`` identifies its outcome.
    """

    def __init__(
        self, rules: Mapping[str, RuleKind], peers: _Peers, scheme: Scheme, as_of: pendulum.Date
    ) -> None:
        self.rules = rules
        self.peers = peers
        self.period = scheme.period
        self.as_of = as_of
        self._memo: dict[tuple[str, ObservedValue], Outcome] = {}
        self.max_of = {i: Fraction(r.max) for i, r in rules.items()}
        self._allotments: dict[tuple[str, frozenset[str]], Mapping[str, Fraction]] = {}

    def allotment(
        self, plan: _CategoryPlan, active: frozenset[str], scale: Fraction
    ) -> Mapping[str, Fraction]:
        """What each node is worth when only ``active`` leaves count (cached per pattern)."""
        key = (plan.category.id, active)
        found = self._allotments.get(key)
        if found is None:
            found = self._allotments[key] = _allot(plan, active, scale)
        return found

    def score(self, unit: Unit, indicator: Indicator, value: ObservedValue) -> Outcome:
        key = (indicator.id, value)
        pure = not self.peers.needed(indicator.id)
        if pure:
            found = self._memo.get(key)
            if found is not None:
                return found
        rule = self.rules[indicator.id]
        context = RuleContext(
            unit=unit,
            indicator=indicator,
            as_of=self.as_of,
            period=self.period,
            peers=self.peers.of(indicator.id, unit.category),
        )
        outcome = rule.score(value, context)
        _check_outcome(outcome, rule, unit, indicator)
        if pure:
            self._memo[key] = outcome
        return outcome


def _allot(plan: _CategoryPlan, active: frozenset[str], scale: Fraction) -> dict[str, Fraction]:
    """Share ``scale`` out over the tree: each node's weight among its live siblings.

    Leaves not in ``active`` and dimensions with no active leaf are left out,
    and their siblings' shares grow so that each parent keeps its worth.
    """
    live = set(active)
    for dimension, _ in reversed(plan.dimensions):  # children before parents
        if any(k in live for k in plan.children[dimension.id]):
            live.add(dimension.id)
    effective: dict[str, Fraction] = {}

    def allot(node: str | None, budget: Fraction) -> None:
        kids = [k for k in plan.children.get(node, ()) if k in live]
        base = sum((plan.weight[k] for k in kids), Fraction(0))
        for kid in kids:
            share = budget * plan.weight[kid] / base if base else Fraction(0)
            effective[kid] = share
            if kid in plan.children:
                allot(kid, share)

    allot(None, scale)
    return effective


def _evaluate_unit(
    assessment: Assessment,
    unit: Unit,
    plan: _CategoryPlan,
    scorer: _Scorer,
    events: list[AdjustmentEvent] | tuple[()],
) -> UnitResult:
    scheme = assessment.scheme
    rounding = scheme.rounding
    apply = rounding.apply
    missing_is_zero = scheme.scoring.not_submitted is NotSubmittedPolicy.ZERO
    rules = scorer.rules

    # 1. score the leaves: (points on the rule's scale or None if left out, outcome, status, reason)
    scored: list[tuple[Indicator, Observation, Fraction | None, Outcome | None, str, str]] = []
    active: set[str] = set()
    penalties: list[tuple[Fraction, AdjustmentLine]] = []
    for indicator in plan.leaves:
        observation = assessment.evidence.get(unit.id, indicator.id)
        value = observation.value
        if isinstance(value, NotApplicable):
            scored.append(
                (
                    indicator,
                    observation,
                    None,
                    None,
                    Status.NOT_APPLICABLE,
                    value.describe() + ": left out, its weight goes to the rest",
                )
            )
        elif isinstance(value, Falsified):
            active.add(indicator.id)
            penalty = Fraction(getattr(scorer.rules[indicator.id], "false_penalty", 0))
            note = f"; −{fmt(penalty)} off the total (false_penalty)" if penalty else ""
            scored.append(
                (
                    indicator,
                    observation,
                    Fraction(0),
                    None,
                    Status.FALSIFIED,
                    value.describe() + ": scores 0" + note,
                )
            )
            if penalty:
                penalties.append(
                    (
                        -penalty,
                        AdjustmentLine(
                            "deduction",
                            f"false-evidence:{indicator.id}",
                            f"{indicator.id} {indicator.title}: {value.describe()} (false_penalty)",
                        ),
                    )
                )
        elif isinstance(value, NotSubmitted):
            if missing_is_zero:
                active.add(indicator.id)
                scored.append(
                    (
                        indicator,
                        observation,
                        Fraction(0),
                        None,
                        Status.NOT_SUBMITTED,
                        value.describe() + ": scores 0 (not_submitted = zero)",
                    )
                )
            else:
                scored.append(
                    (
                        indicator,
                        observation,
                        None,
                        None,
                        Status.NOT_SUBMITTED,
                        value.describe() + ": left out (not_submitted = not-applicable)",
                    )
                )
        else:
            outcome = scorer.score(unit, indicator, value)
            if outcome.applicable:
                active.add(indicator.id)
                scored.append(
                    (indicator, observation, outcome.points, outcome, Status.SCORED, outcome.reason)
                )
            else:
                scored.append(
                    (indicator, observation, None, outcome, Status.NOT_APPLICABLE, outcome.reason)
                )

    # 2. allot the scheme's scale over what is active, rescaling within each dimension
    effective = scorer.allotment(plan, frozenset(active), Fraction(scheme.scale))

    # 3. contributions, shown rounded; exact sums carried on
    results: list[IndicatorResult] = []
    exact: dict[str, Fraction] = {}
    zero = Fraction(0)
    for indicator, observation, points, verdict, status, reason in scored:
        rule = rules[indicator.id]
        worth = effective.get(indicator.id, zero)
        contribution = points * worth / scorer.max_of[indicator.id] if points and worth else zero
        if rounding.indicators:
            contribution = Fraction(apply(contribution))
        exact[indicator.id] = contribution
        results.append(
            IndicatorResult(
                indicator=indicator.id,
                title=indicator.title,
                dimension=indicator.parent,
                kind=rule.name,
                status=status,
                observed=observation.value.describe(),
                rule_points=None if points is None else apply(points),
                rule_max=rule.max,
                weight=plan.shown_weight[indicator.id],
                effective_weight=apply(worth),
                points=apply(contribution),
                reason=reason,
                band=verdict.band if verdict is not None else None,
                source=observation.source,
            )
        )

    dimension_exact: dict[str, Fraction] = {}
    for dimension, _ in reversed(plan.dimensions):  # children before parents
        dimension_exact[dimension.id] = sum(
            (
                dimension_exact[k] if k in dimension_exact else exact.get(k, zero)
                for k in plan.children[dimension.id]
            ),
            zero,
        )
    dimensions = tuple(
        DimensionResult(
            dimension=d.id,
            title=d.title,
            level=depth,
            points=apply(dimension_exact[d.id]),
            max=apply(effective.get(d.id, zero)),
        )
        for d, depth in plan.dimensions
    )
    subtotal = sum(exact.values(), zero)

    # 4. adjustments, then the declared rounding of the total
    adjustments, vetoes = adjustments_for(scheme, events, subtotal, dimension_exact, penalties)
    total_exact = subtotal + sum((a for a, _ in adjustments), zero)
    total = apply(total_exact)
    shown = [
        Adjustment(kind=line.kind, item=line.item, points=apply(points), reason=line.reason)
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
        subtotal=apply(subtotal),
        total=total,
        vetoes=vetoes,
    )
