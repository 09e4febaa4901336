"""``evaluate``: from an assessment to exact, explained points for every unit.

Steps, each small: compile the rules once (:mod:`rulelaw.rules`), plan each
category's tree (:class:`_CategoryPlan`), score the leaves, allot the weights
(not-applicable indicators out, the rest rescaled so the maximum is kept, all
on the scheme's scale), adjust (:mod:`rulelaw.engine.adjust`), round.
Arithmetic is exact (:class:`~fractions.Fraction`) until the declared rounding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import attrs
import pendulum

from rulelaw._version import __version__
from rulelaw.engine.adjust import AdjustmentLine, adjustments_for, rounding_adjustment
from rulelaw.engine.columnar import score_category
from rulelaw.engine.grade import grade_units
from rulelaw.engine.ledger import derived_evidence, ledger_rows
from rulelaw.engine.panels import coverage, panel_results
from rulelaw.engine.people import attribute_people, post_gaps
from rulelaw.engine.results import (
    Adjustment,
    DimensionInfo,
    DimensionResult,
    Evaluation,
    IndicatorInfo,
    IndicatorResult,
    Status,
    UnitResult,
)
from rulelaw.errors import DataError, EvaluationError
from rulelaw.files._converter import shared_converter
from rulelaw.model import (
    AdjustmentEvent,
    Assessment,
    Category,
    Dimension,
    Falsified,
    Indicator,
    Level,
    NotApplicable,
    NotSubmitted,
    NotSubmittedPolicy,
    Observation,
    ObservedValue,
    Scheme,
    Unit,
)
from rulelaw.model._base import to_date
from rulelaw.model._numbers import EXACT, exact_sum
from rulelaw.model.evidence import STATES
from rulelaw.rules import Outcome, Registry, RuleContext, RuleKind, default_registry
from rulelaw.rules._protocol import NO_PEERS, BatchContext, Outcomes, PeerGroup, fmt

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


def _outside(points: Fraction, top: Fraction) -> bool:
    """Whether ``points`` lie outside ``0 … top``."""
    numerator = points.numerator
    return numerator < 0 or numerator * top.denominator > top.numerator * points.denominator


def _no_text(reason: object) -> bool:
    """Whether a reason is missing: not a string, or blank."""
    return not isinstance(reason, str) or not reason.strip()


def _check_outcome(
    outcome: Outcome, rule: RuleKind, top: Fraction, unit: Unit, indicator: Indicator
) -> None:
    """Refuse what is not an Outcome with ``0 <= points <= top`` (the rule's max) and a reason."""
    if not isinstance(outcome, Outcome):
        raise EvaluationError(
            f"rule kind {rule.name!r} returned {outcome!r} for unit {unit.id!r}, indicator "
            f"{indicator.id!r}; expected an Outcome"
        )
    points, reason, band = outcome.points, outcome.reason, outcome.band
    if _outside(points, top) or _no_text(reason):
        raise EvaluationError(
            f"rule kind {rule.name!r} gave unit {unit.id!r}, indicator {indicator.id!r} "
            f"points {points} (expected 0 … {rule.max}) with reason {reason!r}"
        )
    if band is not None and not isinstance(band, str):
        raise EvaluationError(
            f"rule kind {rule.name!r} gave unit {unit.id!r}, indicator {indicator.id!r} "
            f"band {band!r}; expected a text or none"
        )


class _BadBatch(Exception):
    """What is wrong with what a ``score_batch`` returned (then scored value by value)."""


def _check_outcomes(outcomes: object, top: Fraction, values: Sequence[ObservedValue]) -> None:
    """Refuse what is not :class:`Outcomes` of one per value in ``0 … top`` with texts."""
    if not isinstance(outcomes, Outcomes):
        raise _BadBatch(f"returned {type(outcomes).__name__}, not Outcomes")
    if len(outcomes) != len(values):
        raise _BadBatch(f"returned {len(outcomes)} outcomes for {len(values)} values")
    # points: each distinct object once (rules share them), then the first culprit
    if any(_outside(p, top) for p in {id(p): p for p in outcomes.points}.values()):
        i = next(i for i, p in enumerate(outcomes.points) if _outside(p, top))
        raise _BadBatch(
            f"value {i} ({values[i].describe()}): points {outcomes.points[i]} outside "
            f"0 … {fmt(top)}"
        )
    for i, reason in enumerate(outcomes.reasons):
        if _no_text(reason):
            raise _BadBatch(f"value {i} ({values[i].describe()}): reason {reason!r}")
    for i, band in enumerate(outcomes.bands or ()):
        if band is not None and not isinstance(band, str):
            raise _BadBatch(f"value {i} ({values[i].describe()}): band {band!r}")


def _verdict(
    points: Fraction, reason: str, band: str | None, applicable: bool, observed: str
) -> _Verdict:
    """The verdict of what a rule made of a value: scored, or left out as not applicable."""
    if applicable:
        return _Verdict(points, True, Status.SCORED, reason, observed, band)
    return _Verdict(None, False, Status.NOT_APPLICABLE, reason, observed, band)


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
    rules = (registry or default_registry()).compile_scheme(scheme.indicators, shared_converter())
    day = _as_of(as_of, scheme)
    plans = {c.id: _plan(scheme, c) for c in scheme.categories}
    events: dict[str, list[AdjustmentEvent]] = {}
    for event in assessment.adjustments:
        events.setdefault(event.unit, []).append(event)
    panels, report_distribution, rejected = panel_results(assessment)
    ledger = ledger_rows(assessment, day)
    derived = derived_evidence(assessment, panels, ledger, day)
    scorer = _Scorer(rules, _Peers(assessment, rules, derived), scheme, day, derived)
    units = _score_units(assessment, plans, scorer, events)
    peer_group = scheme.grading.peer_group
    names: dict[str, str] = {}
    if peer_group == "category":
        names = {c.id: c.name for c in scheme.categories}
    elif peer_group == "level":
        names = {level.value: level.label for level in Level}
    units, distribution = grade_units(scheme, units, names)
    people, people_distribution = attribute_people(assessment, units)
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
            )
            for leaf in scheme.indicators
        ),
        dimensions=_dimension_infos(scheme),
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
    plans: Mapping[str, _CategoryPlan],
    scorer: _Scorer,
    events: Mapping[str, list[AdjustmentEvent]],
) -> tuple[UnitResult, ...]:
    """Every unit's result, in roster order.

    Category by category in arrays (:mod:`rulelaw.engine.columnar`), and
    through :func:`_evaluate_unit` for the units that need it (adjustment
    events, false-evidence penalties).
    """
    scheme = assessment.scheme
    by_category: dict[str, list[Unit]] = {}
    for unit in assessment.units:
        by_category.setdefault(unit.category, []).append(unit)
    found: dict[str, UnitResult] = {}
    for category, members in by_category.items():
        plan = plans[category]
        _, scored = score_category(
            assessment,
            plan,
            members,
            scorer,
            Fraction(scheme.scale),
            [unit.id in events for unit in members],
        )
        for unit, result in zip(members, scored, strict=True):
            if result is None:
                found[unit.id] = _evaluate_unit(
                    assessment, unit, plan, scorer, events.get(unit.id, ())
                )
                continue
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
    return tuple(found[unit.id] for unit in assessment.units)


def _observe(
    assessment: Assessment,
    derived: Mapping[tuple[str, str], Observation],
    unit: str,
    indicator: str,
) -> Observation:
    """The observation of an indicator for a unit: derived (reports, ledger, filings) or given."""
    found = derived.get((unit, indicator))
    return found if found is not None else assessment.evidence.get(unit, indicator)


class _Peers:
    """Observed values of one indicator across a category, built once when a rule needs them."""

    def __init__(
        self,
        assessment: Assessment,
        rules: Mapping[str, RuleKind],
        derived: Mapping[tuple[str, str], Observation],
    ) -> None:
        self._assessment = assessment
        self._derived = derived
        self._needs = {i for i, r in rules.items() if getattr(r, "needs_peers", False)}
        self._cache: dict[tuple[str, str], PeerGroup] = {}

    def share(self, indicator: str, category: str, group: PeerGroup) -> None:
        """Use ``group`` as the peers of ``indicator`` in ``category`` (read from columns)."""
        if indicator in self._needs:
            self._cache[(indicator, category)] = group

    def needed(self, indicator: str) -> bool:
        return indicator in self._needs

    def of(self, indicator: str, category: str) -> PeerGroup:
        if indicator not in self._needs:
            return NO_PEERS
        key = (indicator, category)
        if key not in self._cache:
            values: dict[str, ObservedValue] = {}
            for unit in self._assessment.units_in(category):
                value = _observe(self._assessment, self._derived, unit.id, indicator).value
                if not isinstance(value, NotApplicable | NotSubmitted | Falsified):
                    values[unit.id] = value
            self._cache[key] = PeerGroup(values)
        return self._cache[key]


_ZERO = Fraction(0)


class _Verdict(NamedTuple):
    """What one observed value of one indicator comes to, before weights.

    ``points`` is on the rule's scale, ``None`` when the indicator is left out;
    ``penalty`` the adjustment line for evidence marked false, if any.
    """

    points: Fraction | None
    active: bool
    status: str
    reason: str
    observed: str
    band: str | None = None
    penalty: tuple[Fraction, AdjustmentLine] | None = None

    def line(
        self,
        plan: _CategoryPlan,
        indicator: Indicator,
        rule: RuleKind,
        numbers: tuple[Decimal | None, Decimal, Decimal],
        source: str,
    ) -> IndicatorResult:
        """The unit's line for this verdict; ``numbers``: rule points, worth and points shown."""
        rule_points, worth, points = numbers
        return IndicatorResult(
            indicator=indicator.id,
            title=indicator.title,
            dimension=indicator.parent,
            kind=rule.name,
            status=self.status,
            observed=self.observed,
            rule_points=rule_points,
            rule_max=rule.max,
            weight=plan.shown_weight[indicator.id],
            effective_weight=worth,
            points=points,
            reason=self.reason,
            band=self.band,
            source=source,
        )


class _Scorer:
    """Scores observations, remembering verdicts and result lines for repeated inputs.

    A rule that does not look at its peers depends only on the value, the
    indicator and the evaluation date (the same for the whole evaluation), so
    ``(indicator, value)`` identifies its outcome. Indicators whose rules are
    equal and declare which of the indicator's fields they read
    (``indicator_fields``), with those fields equal, form a family: a value's
    verdict is shared by the family.
    """

    def __init__(
        self,
        rules: Mapping[str, RuleKind],
        peers: _Peers,
        scheme: Scheme,
        as_of: pendulum.Date,
        derived: Mapping[tuple[str, str], Observation],
    ) -> None:
        self.rules = rules
        self.peers = peers
        self.derived = derived
        self.period = scheme.period
        self.as_of = as_of
        self._verdicts: dict[tuple[str, Hashable], _Verdict] = {}
        self._family = _families(rules, scheme)
        self._shared: dict[tuple[int, Hashable], _Verdict] = {}
        self._results: dict[
            tuple[str, int, int, str], tuple[_Verdict, IndicatorResult, Fraction]
        ] = {}
        self.rounding = scheme.rounding
        self.missing_is_zero = scheme.scoring.not_submitted is NotSubmittedPolicy.ZERO
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
        """The rule's outcome for an observed value (not an explicit state)."""
        rule = self.rules[indicator.id]
        context = RuleContext(
            unit=unit,
            indicator=indicator,
            as_of=self.as_of,
            period=self.period,
            peers=self.peers.of(indicator.id, unit.category),
        )
        outcome = rule.score(value, context)
        _check_outcome(outcome, rule, self.max_of[indicator.id], unit, indicator)
        return outcome

    def verdict(self, unit: Unit, indicator: Indicator, value: ObservedValue) -> _Verdict:
        """What one value of one indicator comes to, remembered unless the rule reads peers."""
        return self.verdicts(indicator, (unit,), (value,))[0]

    def verdicts(
        self,
        indicator: Indicator,
        holders: Sequence[Unit],
        values: Sequence[ObservedValue],
        keys: Sequence[Hashable] | None = None,
    ) -> list[_Verdict]:
        """What each of ``values`` of ``indicator`` comes to; ``holders[i]`` holds ``values[i]``.

        A verdict is remembered per value (or per ``keys[i]``, which must stand
        for one value) unless the rule reads peers: then a value's verdict
        depends on the holder's peer group. Values not seen before are scored
        in one batch when the kind has ``score_batch``. The holder is named in
        errors.
        """
        leaf = indicator.id
        if self.peers.needed(leaf):  # each peer group apart, nothing remembered
            by_group: dict[str, list[int]] = {}
            for i, unit in enumerate(holders):
                by_group.setdefault(unit.category, []).append(i)
            in_groups: list[_Verdict | None] = [None] * len(values)
            for category, at in by_group.items():
                judged = self._judge_all(
                    indicator,
                    [holders[i] for i in at],
                    [values[i] for i in at],
                    self.peers.of(leaf, category),
                )
                for i, judged_verdict in zip(at, judged, strict=True):
                    in_groups[i] = judged_verdict
            return in_groups  # type: ignore[return-value]  # every None was filled
        remembered = self._verdicts
        keys = values if keys is None else keys
        found: list[_Verdict | None] = []
        new: dict[Hashable, int] = {}  # key → the first position holding it
        for i, key in enumerate(keys):
            verdict = remembered.get((leaf, key))
            if verdict is None and key not in new:
                new[key] = i
            found.append(verdict)
        if not new:
            return found  # type: ignore[return-value]  # every verdict was remembered
        family = self._family.get(leaf)
        if family is not None:  # judged already for another indicator of the family
            shared = self._shared
            for key in [key for key in new if (family, key) in shared]:
                remembered[(leaf, key)] = shared[(family, key)]
                del new[key]
        if new:
            firsts = list(new.values())
            judged = self._judge_all(
                indicator, [holders[i] for i in firsts], [values[i] for i in firsts]
            )
            for key, new_verdict in zip(new, judged, strict=True):
                remembered[(leaf, key)] = new_verdict
                if family is not None and new_verdict.penalty is None:  # a penalty names the leaf
                    self._shared[(family, key)] = new_verdict
        for i, known in enumerate(found):
            if known is None:
                found[i] = remembered[(leaf, keys[i])]
        return found  # type: ignore[return-value]  # every None was filled

    def _judge_all(
        self,
        indicator: Indicator,
        holders: Sequence[Unit],
        values: Sequence[ObservedValue],
        peers: PeerGroup = NO_PEERS,
    ) -> list[_Verdict]:
        """Judge each value, the scored ones in one batch when the kind has ``score_batch``.

        ``peers``: the holders' peer group, for a kind that reads it.
        """
        rule = self.rules[indicator.id]
        batch = getattr(rule, "score_batch", None)
        scored = [i for i, value in enumerate(values) if not isinstance(value, STATES)]
        if batch is None or len(scored) < 2:
            return [self._judge(u, indicator, v) for u, v in zip(holders, values, strict=True)]
        found = [
            self._judge(u, indicator, v) if isinstance(v, STATES) else None
            for u, v in zip(holders, values, strict=True)
        ]
        batch_values = [values[i] for i in scored]
        context = BatchContext(
            indicator=indicator, as_of=self.as_of, period=self.period, peers=peers
        )
        try:
            outcomes = batch(batch_values, context)
            _check_outcomes(outcomes, self.max_of[indicator.id], batch_values)
        except Exception as exc:  # value by value: the error then names the unit
            for i in scored:
                self._judge(holders[i], indicator, values[i])
            cause = str(exc) if isinstance(exc, _BadBatch) else f"{type(exc).__name__}: {exc}"
            raise EvaluationError(
                f"rule kind {rule.name!r}, indicator {indicator.id!r}: score_batch failed "
                f"({cause}) where score, value by value, did not"
            ) from exc
        bands = outcomes.bands or [None] * len(scored)
        applicable = outcomes.applicable or [True] * len(scored)
        for i, points, reason, band, counts in zip(
            scored, outcomes.points, outcomes.reasons, bands, applicable, strict=True
        ):
            found[i] = _verdict(points, reason, band, counts, values[i].describe())
        return found  # type: ignore[return-value]  # every None was filled

    def _judge(self, unit: Unit, indicator: Indicator, value: ObservedValue) -> _Verdict:
        observed = value.describe()
        if isinstance(value, NotApplicable):
            return _Verdict(
                None,
                False,
                Status.NOT_APPLICABLE,
                observed + ": left out, its weight goes to the rest",
                observed,
            )
        if isinstance(value, Falsified):
            penalty = Fraction(getattr(self.rules[indicator.id], "false_penalty", 0))
            if not penalty:
                return _Verdict(
                    Fraction(0), True, Status.FALSIFIED, observed + ": scores 0", observed
                )
            line = AdjustmentLine(
                "deduction",
                f"false-evidence:{indicator.id}",
                f"{indicator.id} {indicator.title}: {observed} (false_penalty)",
            )
            return _Verdict(
                Fraction(0),
                True,
                Status.FALSIFIED,
                f"{observed}: scores 0; −{fmt(penalty)} off the total (false_penalty)",
                observed,
                penalty=(-penalty, line),
            )
        if isinstance(value, NotSubmitted):
            if self.missing_is_zero:
                return _Verdict(
                    Fraction(0),
                    True,
                    Status.NOT_SUBMITTED,
                    observed + ": scores 0 (not_submitted = zero)",
                    observed,
                )
            return _Verdict(
                None,
                False,
                Status.NOT_SUBMITTED,
                observed + ": left out (not_submitted = not-applicable)",
                observed,
            )
        outcome = self.score(unit, indicator, value)
        return _verdict(outcome.points, outcome.reason, outcome.band, outcome.applicable, observed)

    def result(
        self,
        plan: _CategoryPlan,
        indicator: Indicator,
        verdict: _Verdict,
        effective: Mapping[str, Fraction],
        observation: Observation,
    ) -> tuple[IndicatorResult, Fraction]:
        """The indicator's line in a unit's result, and its exact contribution.

        Remembered per verdict, allotment and source: equal inputs give equal
        (immutable) lines.
        """
        key = (indicator.id, id(verdict), id(effective), observation.source)
        found = self._results.get(key)
        if found is not None and found[0] is verdict:
            return found[1], found[2]
        apply = self.rounding.apply
        worth = effective.get(indicator.id, _ZERO)
        points = verdict.points
        contribution = points * worth / self.max_of[indicator.id] if points and worth else _ZERO
        if self.rounding.indicators:
            contribution = Fraction(apply(contribution))
        line = verdict.line(
            plan,
            indicator,
            self.rules[indicator.id],
            (None if points is None else apply(points), apply(worth), apply(contribution)),
            observation.source,
        )
        # the verdict is kept in the entry so that its id cannot be reused by another
        self._results[key] = (verdict, line, contribution)
        return line, contribution


def _families(rules: Mapping[str, RuleKind], scheme: Scheme) -> dict[str, int]:
    """Indicator id → its family: indicators whose verdicts of a value are the same.

    A family is the indicators whose rules are equal and written alike, of a
    kind that names the indicator fields it reads (``indicator_fields``) and
    not reading peers, with those fields equal. Other indicators have none.
    Rules equal but written differently (``target = 95`` and ``95.0``: equal
    Decimals) are not one family: reasons show the parameters as written.
    """
    families: dict[Hashable, int] = {}
    found: dict[str, int] = {}
    for indicator in scheme.indicators:
        rule = rules.get(indicator.id)
        fields = getattr(rule, "indicator_fields", None)
        if fields is None or indicator.id in found or getattr(rule, "needs_peers", False):
            continue
        key = (type(rule), rule, repr(rule), tuple(getattr(indicator, f) for f in sorted(fields)))
        try:
            found[indicator.id] = families.setdefault(key, len(families))
        except TypeError:  # a rule or field that cannot be a key: no family
            continue
    return found


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
    zero = Fraction(0)

    # 1. a verdict for each leaf (the same value of the same indicator gives the same verdict)
    verdicts = [
        (indicator, observation, scorer.verdict(unit, indicator, observation.value))
        for indicator in plan.leaves
        for observation in (_observe(assessment, scorer.derived, unit.id, indicator.id),)
    ]
    active = frozenset(i.id for i, _, v in verdicts if v.active)
    penalties = [v.penalty for _, _, v in verdicts if v.penalty is not None]

    # 2. allot the scheme's scale over what is active, rescaling within each dimension
    effective = scorer.allotment(plan, active, Fraction(scheme.scale))

    # 3. contributions, shown rounded; exact sums carried on
    results: list[IndicatorResult] = []
    exact: dict[str, Fraction] = {}
    for indicator, observation, verdict in verdicts:
        result, contribution = scorer.result(plan, indicator, verdict, effective, observation)
        results.append(result)
        exact[indicator.id] = contribution

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
    adjustments, vetoes = adjustments_for(
        scheme,
        events,
        subtotal,
        dimension_exact,
        penalties,
        period=scheme.period,
        as_of=scorer.as_of,
    )
    total_exact = subtotal + sum((a for a, _ in adjustments), zero)
    total = apply(total_exact)
    shown = [
        Adjustment(kind=line.kind, item=line.item, points=apply(points), reason=line.reason)
        for points, line in adjustments
    ]
    difference = EXACT.subtract(
        total, exact_sum([*(r.points for r in results), *(a.points for a in shown)])
    )
    if difference:
        shown.append(rounding_adjustment(difference, rounding))
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
        peer_group=unit.peer_key(scheme.grading.peer_group) or "",
        not_graded=unit.not_graded,
    )
