"""Comparing two evaluations: what moved, by how much, and why.

:func:`compare` takes two evaluations of the same units (before and after a
change: of the scheme, of the evidence, of both) and returns a frozen
:class:`Comparison`: per unit its total, grade and rank before and after,
and the reasons it moved —

- its own points: which indicators' points changed and by how much, each
  with its causes (the indicator added or removed, its weight changed, its
  rule's parameters changed, the categories it applies to changed, the
  evidence changed, its status changed, or only its worth changed because
  other weights or not-applicable indicators around it changed — "rescaled");
- others' points: a rival of its peer group that moved past it (or that it
  moved past), when its rank changed;
- the grading: thresholds or quotas changed, or the peer group's size.

:func:`compare_schemes` evaluates one assessment's evidence under two
schemes and compares the results, with the schemes' own differences
(:class:`~rulelaw.analysis.SchemeDiff`) attached.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from decimal import Decimal

import attrs

from rulelaw.analysis._schemes import SchemeDiff, diff_schemes
from rulelaw.engine import Evaluation, IndicatorResult, UnitResult, evaluate
from rulelaw.errors import LookupFailed
from rulelaw.messages import Message
from rulelaw.model import EXACT, Assessment, Evidence, Scheme, exact_sum
from rulelaw.rules import Registry

__all__ = [
    "Comparison",
    "IndicatorChange",
    "Transition",
    "UnitChange",
    "compare",
    "compare_schemes",
]

_ZERO = Decimal(0)


@attrs.frozen(kw_only=True)
class IndicatorChange:
    """How one indicator's points changed for one unit, and why.

    ``before`` and ``after`` are the points it added to the unit's total
    (``None`` where the indicator was not scored for the unit in that
    evaluation); ``causes`` are codes: ``added``, ``removed``, ``weight``,
    ``rule``, ``applies-to``, ``evidence``, ``status``, ``rescaled``
    (only its worth changed, through other weights or not-applicable
    indicators), ``peers`` (a rule comparing units gave other points).
    """

    indicator: str
    title: str
    before: Decimal | None
    after: Decimal | None
    delta: Decimal
    causes: tuple[str, ...]
    observed_before: str | None = None
    observed_after: str | None = None


@attrs.frozen(kw_only=True)
class UnitChange:
    """One unit before and after: total, grade, rank, and why they moved.

    ``presence`` is ``both``, ``added`` (only after) or ``removed`` (only
    before). ``grade_steps`` is how many grades it moved down (negative: up),
    over the after-scheme's grade order. ``indicators`` holds only the
    indicators whose points changed; ``adjustments`` the change of its
    bonuses, deductions and vetoes. ``passed_by`` are the rivals of its
    peer group that were ranked below it (or level) and are now above it;
    ``passed`` those it moved above. ``causes`` says in words why it moved:
    each a :class:`~rulelaw.messages.Message`.
    """

    unit: str
    name: str
    presence: str
    peer_group: str
    total_before: Decimal | None
    total_after: Decimal | None
    delta: Decimal
    grade_before: str | None
    grade_after: str | None
    grade_label_before: str | None
    grade_label_after: str | None
    grade_steps: int
    rank_before: int | None
    rank_after: int | None
    indicators: tuple[IndicatorChange, ...] = ()
    adjustments: Decimal = _ZERO
    passed_by: tuple[str, ...] = ()
    passed: tuple[str, ...] = ()
    causes: tuple[Message, ...] = ()

    @property
    def moved(self) -> bool:
        """Whether its total, grade or rank changed (or it appeared or vanished)."""
        return (
            self.presence != "both"
            or self.delta != 0
            or self.grade_before != self.grade_after
            or self.rank_before != self.rank_after
        )

    @property
    def rank_change(self) -> int:
        """How many places it moved down (negative: up); 0 for a unit in one evaluation only."""
        if self.rank_before is None or self.rank_after is None:
            return 0
        return self.rank_after - self.rank_before


@attrs.frozen(kw_only=True)
class Transition:
    """How many units of a peer group went from one grade to another (the transition matrix)."""

    peer_group: str
    grade_before: str | None
    grade_after: str | None
    count: int


@attrs.frozen(kw_only=True)
class Comparison:
    """Two evaluations compared: every unit before and after, and why it moved.

    ``schemes`` holds the schemes' own differences when the evaluations were
    made under different schemes (:func:`compare_schemes`, or :func:`compare`
    given ``schemes``).
    """

    before: str
    after: str
    units: tuple[UnitChange, ...]
    transitions: tuple[Transition, ...]
    schemes: SchemeDiff | None = None
    grades: tuple[str, ...] = ()

    def unit(self, unit_id: str) -> UnitChange:
        """The change of one unit; raises :class:`~rulelaw.errors.LookupFailed`."""
        for change in self.units:
            if change.unit == unit_id:
                return change
        raise LookupFailed("unit", unit_id, (u.unit for u in self.units))

    @property
    def moved(self) -> tuple[UnitChange, ...]:
        """The units whose total, grade or rank changed, or that appeared or vanished."""
        return tuple(u for u in self.units if u.moved)

    def table(self, lang: str = "en") -> str:
        """As text: the units that moved and why, the transitions, the scheme's changes."""
        from rulelaw.analysis._render import comparison_text

        return comparison_text(self, lang=lang)

    def to_markdown(self, lang: str = "en") -> str:
        """The comparison as Markdown."""
        from rulelaw.analysis._render import comparison_text

        return comparison_text(self, lang=lang, tablefmt="github")

    def to_json(self, lang: str = "en") -> str:
        """The comparison as a JSON document (published as ``comparison.schema.json``).

        Causes carry their code and parameters beside their text in ``lang``.
        """
        from rulelaw.analysis._render import comparison_json

        return comparison_json(self, lang=lang)

    def _repr_html_(self) -> str:
        from rulelaw.analysis._render import comparison_text

        return comparison_text(self, tablefmt="html")

    def __repr__(self) -> str:
        return (
            f"<Comparison {self.before} → {self.after}: {len(self.units)} units, "
            f"{len(self.moved)} moved>"
        )


def compare(
    before: Evaluation, after: Evaluation, *, schemes: SchemeDiff | None = None
) -> Comparison:
    """Compare two evaluations of the same units (units may also appear or vanish).

    ``schemes``: the differences of the schemes the two were made under, to
    tell a weight change from a rule change (:func:`compare_schemes` passes
    it); without it, an indicator's causes are read from the evaluations
    alone (``rule`` and ``weight`` as the results declare them).
    """
    old = {u.unit: u for u in before.units}
    new = {u.unit: u for u in after.units}
    order = [*old, *(u for u in new if u not in old)]
    old_weights = {i.indicator: i for i in before.indicators}
    new_weights = {i.indicator: i for i in after.indicators}
    grade_order = [g.grade for d in after.distribution for g in d.grades]
    grades = tuple(
        dict.fromkeys([*grade_order, *(g.grade for d in before.distribution for g in d.grades)])
    )
    position = {g: i for i, g in enumerate(grades)}
    changes = []
    for unit_id in order:
        a, b = old.get(unit_id), new.get(unit_id)
        changes.append(_unit_change(a, b, old, new, old_weights, new_weights, schemes, position))
    transitions = Counter(
        (c.peer_group, c.grade_before, c.grade_after) for c in changes if c.presence == "both"
    )
    return Comparison(
        before=f"{before.scheme_id} v{before.scheme_version}, as of {before.as_of.isoformat()}",
        after=f"{after.scheme_id} v{after.scheme_version}, as of {after.as_of.isoformat()}",
        units=tuple(changes),
        transitions=tuple(
            Transition(peer_group=g, grade_before=x, grade_after=y, count=n)
            for (g, x, y), n in sorted(
                transitions.items(),
                key=lambda item: (
                    item[0][0],
                    position.get(item[0][1] or "", len(position)),
                    position.get(item[0][2] or "", len(position)),
                ),
            )
        ),
        schemes=schemes,
        grades=grades,
    )


def compare_schemes(
    before: Scheme,
    after: Scheme,
    assessment: Assessment,
    *,
    as_of: object = None,
    registry: Registry | None = None,
) -> Comparison:
    """Evaluate the assessment's roster and evidence under two schemes, and compare.

    Evidence for an indicator a scheme does not have is left out under that
    scheme, and an indicator new in a scheme has none (it scores as the
    scheme says missing evidence scores); likewise adjustment events for
    items a scheme does not declare.
    """
    first = evaluate(_under(assessment, before), as_of=as_of, registry=registry)
    second = evaluate(_under(assessment, after), as_of=as_of, registry=registry)
    return compare(first, second, schemes=diff_schemes(before, after))


def _under(assessment: Assessment, scheme: Scheme) -> Assessment:
    """The assessment with ``scheme``, its evidence and events trimmed to what the scheme has."""
    leaves = {i.id for i in scheme.indicators if i.evidence_from is None}
    items = {b.id for b in scheme.bonuses} | {d.id for d in scheme.deductions}
    items |= {v.id for v in scheme.vetoes}
    observations = [o for o in assessment.evidence.observations if o.indicator in leaves]
    return attrs.evolve(
        assessment,
        scheme=scheme,
        evidence=Evidence(observations=observations),
        adjustments=tuple(e for e in assessment.adjustments if e.item in items),
    )


def _unit_change(
    a: UnitResult | None,
    b: UnitResult | None,
    old: Mapping[str, UnitResult],
    new: Mapping[str, UnitResult],
    old_weights: Mapping[str, object],
    new_weights: Mapping[str, object],
    schemes: SchemeDiff | None,
    position: Mapping[str, int],
) -> UnitChange:
    either = b if b is not None else a
    assert either is not None
    presence = "both" if a is not None and b is not None else ("added" if a is None else "removed")
    total_a = a.total if a is not None else None
    total_b = b.total if b is not None else None
    delta = EXACT.subtract(total_b or _ZERO, total_a or _ZERO) if presence == "both" else _ZERO
    indicators: tuple[IndicatorChange, ...] = ()
    adjusted = _ZERO
    passed_by: tuple[str, ...] = ()
    passed: tuple[str, ...] = ()
    if a is not None and b is not None:
        indicators = _indicator_changes(a, b, schemes)
        adjusted = EXACT.subtract(_adjustments(b), _adjustments(a))
        passed_by, passed = _rivals(a, b, old, new)
    steps = 0
    if a is not None and b is not None and a.grade is not None and b.grade is not None:
        steps = position.get(b.grade, 0) - position.get(a.grade, 0)
    change = UnitChange(
        unit=either.unit,
        name=either.name,
        presence=presence,
        peer_group=either.peer_group,
        total_before=total_a,
        total_after=total_b,
        delta=delta,
        grade_before=a.grade if a is not None else None,
        grade_after=b.grade if b is not None else None,
        grade_label_before=a.grade_label if a is not None else None,
        grade_label_after=b.grade_label if b is not None else None,
        grade_steps=steps,
        rank_before=a.rank if a is not None else None,
        rank_after=b.rank if b is not None else None,
        indicators=indicators,
        adjustments=adjusted,
        passed_by=passed_by,
        passed=passed,
    )
    return attrs.evolve(change, causes=_causes(change, schemes))


def _adjustments(unit: UnitResult) -> Decimal:
    return exact_sum(x.points for x in unit.adjustments if x.kind != "rounding")


def _indicator_changes(
    a: UnitResult, b: UnitResult, schemes: SchemeDiff | None
) -> tuple[IndicatorChange, ...]:
    lines_a = {r.indicator: r for r in a.indicators}
    lines_b = {r.indicator: r for r in b.indicators}
    found = []
    for leaf in [*lines_a, *(k for k in lines_b if k not in lines_a)]:
        x, y = lines_a.get(leaf), lines_b.get(leaf)
        points_a = x.points if x is not None else None
        points_b = y.points if y is not None else None
        if points_a == points_b and _same_line(x, y):
            continue
        delta = EXACT.subtract(points_b or _ZERO, points_a or _ZERO)
        if delta == 0 and (x is None) == (y is None):
            continue
        line = y if y is not None else x
        assert line is not None
        found.append(
            IndicatorChange(
                indicator=leaf,
                title=line.title,
                before=points_a,
                after=points_b,
                delta=delta,
                causes=_indicator_causes(x, y, b.category, schemes),
                observed_before=x.observed if x is not None else None,
                observed_after=y.observed if y is not None else None,
            )
        )
    return tuple(found)


def _same_line(x: IndicatorResult | None, y: IndicatorResult | None) -> bool:
    if x is None or y is None:
        return x is y
    return x.points == y.points


def _indicator_causes(
    x: IndicatorResult | None, y: IndicatorResult | None, category: str, schemes: SchemeDiff | None
) -> tuple[str, ...]:
    if x is None:
        return ("added",)
    if y is None:
        return ("removed",)
    causes: list[str] = []
    if schemes is not None:
        touched = {c.kind for c in schemes.for_indicator(x.indicator, category)}
        ancestors = {x.dimension}
        dimension_changes = {
            c.kind for c in schemes.changes if c.node in ancestors and c.category == category
        }
        if "weight" in touched or "weight" in dimension_changes:
            causes.append("weight")
        if touched & {"rule-kind", "rule-param"}:
            causes.append("rule")
        if "applies-to" in touched:
            causes.append("applies-to")
    else:
        if x.weight != y.weight:
            causes.append("weight")
        if x.kind != y.kind or x.rule_max != y.rule_max:
            causes.append("rule")
    if x.observed != y.observed:
        causes.append("evidence")
    if x.status != y.status:
        causes.append("status")
    if not causes:
        if x.effective_weight != y.effective_weight:
            causes.append("rescaled")
        elif x.rule_points != y.rule_points:
            causes.append("peers" if "relative" in y.kind else "rule")
    return tuple(causes)


def _order_key(u: UnitResult) -> tuple[int, str]:
    return (u.rank, u.unit)


def _rivals(
    a: UnitResult, b: UnitResult, old: Mapping[str, UnitResult], new: Mapping[str, UnitResult]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rivals of its peer group that moved past it, and those it moved past."""
    passed_by, passed = [], []
    for rival_id, rb in new.items():
        ra = old.get(rival_id)
        if ra is None or rival_id == b.unit or rb.peer_group != b.peer_group:
            continue
        was_above = ra.rank < a.rank
        is_above = rb.rank < b.rank
        if is_above and not was_above:
            passed_by.append(rival_id)
        elif was_above and not is_above:
            passed.append(rival_id)
    return tuple(passed_by), tuple(passed)


def _causes(change: UnitChange, schemes: SchemeDiff | None) -> tuple[Message, ...]:
    """Why a unit moved, in words (as messages)."""
    if change.presence == "added":
        return (Message.of("compare.unit-added"),)
    if change.presence == "removed":
        return (Message.of("compare.unit-removed"),)
    found: list[Message] = []
    own = [c for c in change.indicators if c.delta != 0 or c.before is None or c.after is None]
    if own:
        found.append(
            Message.of(
                "compare.own-points",
                delta=change.delta,
                indicators=tuple(
                    Message.of(
                        "compare.indicator",
                        indicator=c.indicator,
                        delta=c.delta,
                        causes=tuple(Message.of(f"compare.cause.{k}") for k in c.causes),
                    )
                    for c in own
                ),
            )
        )
    if change.adjustments:
        found.append(Message.of("compare.adjustments", delta=change.adjustments))
    if change.rank_change > 0 and change.passed_by:
        found.append(Message.of("compare.passed-by", rivals=change.passed_by))
    elif change.rank_change < 0 and change.passed:
        found.append(Message.of("compare.passed", rivals=change.passed))
    if change.grade_before != change.grade_after and change.delta == 0 and not own:
        grading = schemes is not None and bool(
            schemes.of("grade", "grading", "grade-added", "grade-removed")
        )
        found.append(Message.of("compare.grading" if grading else "compare.quota"))
    return tuple(found)
