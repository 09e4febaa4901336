"""The reference way of scoring: one unit at a time, in exact fractions.

It is the executable specification of scoring, short enough to read in one
go; the arrays (:mod:`rulelaw.engine._arrays`) must give the same result for
every unit (``rulelaw.evaluate(..., reference=True)`` runs this for all, and
``rulelaw.testing.check_paths_agree`` compares). Units with adjustment events
or a false-evidence penalty always come here. Every step of the aggregation
is :mod:`rulelaw.engine._aggregate`'s exact version.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from rulelaw.engine._adjust import adjustments_for
from rulelaw.engine._aggregate import (
    dimension_lines_of,
    dimension_sums,
    rounding_line_of,
    short_of_data,
    short_of_data_reason,
)
from rulelaw.engine._plan import CategoryPlan
from rulelaw.engine._results import Adjustment, DimensionResult, IndicatorResult, UnitResult
from rulelaw.engine._scorer import Scorer, observe
from rulelaw.model import AdjustmentEvent, Assessment, Unit

__all__ = ["evaluate_unit"]

_ZERO = Fraction(0)


def evaluate_unit(
    assessment: Assessment,
    unit: Unit,
    plan: CategoryPlan,
    scorer: Scorer,
    events: Sequence[AdjustmentEvent],
) -> tuple[UnitResult, Fraction]:
    """The result of one unit, every point exact until it is shown; and its exact total.

    Each level is shown rounded as the scheme declares for it: the
    indicators (by the scorer), the dimensions, the subtotal, adjustments
    and total.
    """
    scheme = assessment.scheme
    rounding = scheme.rounding
    dim = rounding.level("dimension").apply
    apply = rounding.level("total").apply

    # 1. a verdict for each leaf (the same value of the same indicator gives the same verdict)
    verdicts = [
        (indicator, observation, scorer.verdict(unit, indicator, observation.value))
        for indicator in plan.leaves
        for observation in (observe(assessment, scorer.derived, unit.id, indicator.id),)
    ]
    active = frozenset(i.id for i, _, v in verdicts if v.active)
    # 1b. dimensions with too few indicators present are not scored: their leaves left out
    short = short_of_data(plan, frozenset(i.id for i, _, v in verdicts if v.present))
    if short:
        leaves = plan.leaves
        active = active - {leaves[j].id for d in short for j in plan.below[d]}
    penalties = [v.penalty for _, _, v in verdicts if v.penalty is not None]

    # 2. allot the scheme's scale over what is active, rescaling within each dimension
    effective = scorer.allotment(plan, active, Fraction(scheme.scale))

    # 3. contributions, shown rounded; exact sums carried on
    results: list[IndicatorResult] = []
    added: dict[str, Fraction] = {}
    for indicator, observation, verdict in verdicts:
        result, contribution = scorer.result(plan, indicator, verdict, effective, observation)
        results.append(result)
        added[indicator.id] = contribution
    sums = dimension_sums(plan, added)
    subtotals = {d.id: dim(sums[d.id]) for d, _ in plan.dimensions}
    lines = (
        dimension_lines_of(plan, {r.indicator: r.points for r in results}, subtotals, rounding)
        if rounding.dimension_lines
        else {}
    )
    dimensions = tuple(
        DimensionResult(
            dimension=d.id,
            title=d.title,
            level=depth,
            points=subtotals[d.id],
            max=dim(effective.get(d.id, _ZERO)),
            rounding=lines.get(d.id),
            reason=short_of_data_reason(*short[d.id], plan.thresholds[d.id])
            if d.id in short
            else "",
        )
        for d, depth in plan.dimensions
    )
    subtotal = sum(added.values(), _ZERO)

    # 4. adjustments, then the declared rounding of the total
    adjustments, vetoes = adjustments_for(
        scheme,
        events,
        subtotal,
        sums,
        penalties,
        period=scheme.period,
        as_of=scorer.as_of,
    )
    exact = subtotal + sum((a for a, _ in adjustments), _ZERO)
    total = apply(exact)
    shown = [
        Adjustment(kind=line.kind, item=line.item, points=apply(points), reason=line.reason)
        for points, line in adjustments
    ]
    line = rounding_line_of(
        total, [*(r.points for r in results), *(a.points for a in shown)], rounding
    )
    if line is not None:
        shown.append(line)
    unit_result = UnitResult(
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
        peer_group=unit.peer_key(scheme.grading.peer_group) or "",
        not_graded=unit.not_graded,
    )
    return unit_result, exact
