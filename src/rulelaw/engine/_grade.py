"""Grades under quotas, with vetoes and eligibility; ranks with declared ties.

Within each peer group (units of one category by default):

1. every unit is ranked by total (competition ranking 1, 2, 2, 4; the
   declared tie-break keys order equal totals when ``rank_ties = "broken"``);
2. a unit kept out of grading (``not_graded``) gets no grade (不确定等次);
3. every other unit gets the best grade whose threshold its total reaches;
4. a veto caps the grade (``cap-grade``) or forces the lowest (``lowest-grade``);
5. quotas, best grade first: over a grade's maximum share, its lowest-ranked
   units move down one grade and count against the next grade's quota
   (cascade); units tied at the cut-off follow the declared rule;
6. minimum shares, lowest grade first, are filled by moving the
   lowest-ranked units of better grades down.

Every decision is kept as a sentence in the unit's ``grade_steps``. Input
order never decides anything: ties are decided by the declared keys only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from rulelaw.engine._results import Distribution, GradeCount, UnitResult
from rulelaw.model import EXACT, GradingPolicy, Scheme, TieRule, Veto, VetoEffect
from rulelaw.model.grading import RankTies

__all__ = ["Candidate", "Decision", "decide", "grade_units", "node_points"]

SortKey = tuple[object, ...]


@attrs.frozen(kw_only=True)
class Candidate:
    """Something to grade and rank: a unit, or a responsible person.

    ``tie_values`` are the points of the policy's tie-break keys, in order;
    ``vetoes`` the ids of vetoes that apply.
    """

    id: str
    total: Decimal
    peer_group: str
    not_graded: str = ""
    vetoes: tuple[str, ...] = ()
    tie_values: tuple[Decimal, ...] = ()


@attrs.frozen(kw_only=True)
class Decision:
    """A candidate's grade (``None``: not graded), ranks, and every step that led there."""

    grade: str | None
    label: str | None
    rank: int
    rank_overall: int
    steps: tuple[str, ...]


@attrs.define(eq=False)
class _Seat:
    """One candidate's place while grades are decided (mutable only inside this module)."""

    item: Candidate
    key: SortKey
    cut: SortKey
    grade: str | None
    rank: int = 0
    steps: list[str] = attrs.field(factory=list)


def node_points(unit: UnitResult, node: str) -> Decimal:
    """A unit's points on a dimension or indicator (0 where it has none)."""
    for d in unit.dimensions:
        if d.dimension == node:
            return d.points
    for r in unit.indicators:
        if r.indicator == node:
            return r.points
    return Decimal(0)


def _sort_key(item: Candidate, policy: GradingPolicy) -> SortKey:
    """Best first: higher total, then higher tie-break points, then (if declared) the id."""
    # copy_negate: exact, whatever the thread's decimal context (``-x`` rounds to it)
    key: list[object] = [item.total.copy_negate(), *(v.copy_negate() for v in item.tie_values)]
    if policy.tie_break_unit_id:
        key.append(item.id)
    return tuple(key)


def _ranks(keys: Sequence[SortKey]) -> list[int]:
    """Competition ranks (1, 2, 2, 4) of the keys, best (smallest) first."""
    ordered = sorted(keys)
    first: dict[SortKey, int] = {}
    for position, key in enumerate(ordered, start=1):
        first.setdefault(key, position)
    return [first[k] for k in keys]


def _percent(value: Decimal) -> str:
    return f"{value.normalize(EXACT):f}%"


def _rank_key(item: Candidate, policy: GradingPolicy) -> SortKey:
    if policy.rank_ties is RankTies.BROKEN:
        return _sort_key(item, policy)
    return (item.total.copy_negate(),)


def decide(
    policy: GradingPolicy,
    vetoes: Mapping[str, Veto],
    candidates: Sequence[Candidate],
    group_names: Mapping[str, str],
) -> tuple[dict[str, Decision], tuple[Distribution, ...]]:
    """Grade and rank candidates under a policy; the decisions by id and each group's counts.

    ``group_names`` gives a readable name for a peer-group key (a category's
    name) and the order groups are listed in; other groups follow, sorted.
    """
    scale = policy.scale
    by_group: dict[str, list[Candidate]] = {}
    for item in candidates:
        by_group.setdefault(item.peer_group, []).append(item)
    overall_keys = [_rank_key(c, policy) for c in candidates]
    overall = dict(zip((c.id for c in candidates), _ranks(overall_keys), strict=True))
    decisions: dict[str, Decision] = {}
    distributions: list[Distribution] = []
    order = [g for g in group_names if g in by_group] + sorted(set(by_group) - set(group_names))
    for group in order:
        name = group_names.get(group, group)
        seats, distribution = _grade_group(policy, vetoes, by_group[group], name, group)
        distributions.append(distribution)
        for seat in seats:
            decisions[seat.item.id] = Decision(
                grade=seat.grade,
                label=scale.grade(seat.grade).label if seat.grade else None,
                rank=seat.rank,
                rank_overall=overall[seat.item.id],
                steps=tuple(seat.steps),
            )
    return decisions, tuple(distributions)


def grade_units(
    scheme: Scheme, units: Sequence[UnitResult], group_names: Mapping[str, str]
) -> tuple[tuple[UnitResult, ...], tuple[Distribution, ...]]:
    """Grade and rank every unit; return the units (evolved) and each group's distribution."""
    policy = scheme.grading
    candidates = [
        Candidate(
            id=u.unit,
            total=u.total,
            peer_group=u.peer_group,
            not_graded=u.not_graded,
            vetoes=u.vetoes,
            tie_values=tuple(node_points(u, n) for n in policy.tie_break),
        )
        for u in units
    ]
    decisions, distributions = decide(
        policy, {v.id: v for v in scheme.vetoes}, candidates, group_names
    )
    graded = tuple(
        attrs.evolve(
            u,
            grade=d.grade,
            grade_label=d.label,
            rank=d.rank,
            rank_overall=d.rank_overall,
            grade_steps=d.steps,
        )
        for u in units
        for d in (decisions[u.unit],)
    )
    return graded, distributions


def _grade_group(
    policy: GradingPolicy,
    vetoes: Mapping[str, Veto],
    members: Sequence[Candidate],
    name: str,
    group: str,
) -> tuple[list[_Seat], Distribution]:
    scale = policy.scale
    seats = []
    for item in members:
        key = _sort_key(item, policy)
        cut = key if policy.ties is TieRule.BREAK else (item.total.copy_negate(),)
        seats.append(_Seat(item=item, key=key, cut=cut, grade=None))
    rank_keys = [_rank_key(s.item, policy) for s in seats]
    for seat, rank in zip(seats, _ranks(rank_keys), strict=True):
        seat.rank = rank
    size = len(seats)

    graded = [s for s in seats if not s.item.not_graded]
    for seat in seats:
        seat.steps.append(f"rank {seat.rank} of {size} in {name}")
        if seat.item.not_graded:
            seat.steps.append(f"not graded: {seat.item.not_graded} (不确定等次)")
            continue
        grade_id = scale.grade_for(seat.item.total)
        grade = scale.grade(grade_id)
        if grade.minimum is not None:
            seat.steps.append(f"total {seat.item.total} ≥ {grade.minimum} → {grade.label}")
        else:
            above = scale.grades[-2].minimum if len(scale.grades) > 1 else None
            bound = f" < {above}" if above is not None else ""
            seat.steps.append(f"total {seat.item.total}{bound} → {grade.label}")
        seat.grade = grade_id
        for veto_id in seat.item.vetoes:
            veto = vetoes.get(veto_id)
            if veto is None:
                continue
            if veto.effect is VetoEffect.CAP_GRADE and veto.grade is not None:
                if veto.grade not in scale.ids:
                    seat.steps.append(
                        f"veto {veto.id} ({veto.title}) caps grades at {veto.grade!r}, which "
                        "this scale does not have: no change"
                    )
                elif scale.position(seat.grade) < scale.position(veto.grade):
                    before = scale.grade(seat.grade).label
                    seat.grade = veto.grade
                    seat.steps.append(
                        f"veto {veto.id} ({veto.title}) caps the grade at "
                        f"{scale.grade(veto.grade).label}: {before} → "
                        f"{scale.grade(veto.grade).label}"
                    )
                else:
                    seat.steps.append(
                        f"veto {veto.id} ({veto.title}) caps the grade at "
                        f"{scale.grade(veto.grade).label}: no change"
                    )
            elif veto.effect is VetoEffect.LOWEST_GRADE:
                lowest = scale.grades[-1]
                seat.grade = lowest.id
                seat.steps.append(
                    f"veto {veto.id} ({veto.title}) forces the lowest grade → {lowest.label}"
                )

    counted = size if policy.count_not_graded else len(graded)
    quotas: dict[str, int | None] = {}
    floors: dict[str, int | None] = {}
    exceeded: set[str] = set()
    short: set[str] = set()
    for position, grade in enumerate(scale.grades):
        quotas[grade.id] = (
            None
            if grade.max_percent is None
            else policy.quota_rounding.count(
                grade.max_percent, counted, at_least_one=policy.quota_at_least_one
            )
        )
        floors[grade.id] = (
            None
            if grade.min_percent is None
            else policy.quota_rounding.count(
                grade.min_percent, counted, at_least_one=policy.quota_at_least_one
            )
        )
        limit = quotas[grade.id]
        if limit is None or position == len(scale.grades) - 1:
            continue
        holders = sorted((s for s in graded if s.grade == grade.id), key=lambda s: s.key)
        if len(holders) <= limit:
            continue
        below = scale.grades[position + 1]
        keep, move, tied = _cut(holders, limit, policy.ties)
        if len(keep) > limit:
            exceeded.add(grade.id)
        head = (
            f"{grade.label} quota {_percent(grade.max_percent or Decimal(0))} of {counted} "
            f"= {limit}"
        )
        for seat in keep:
            if seat in tied:
                seat.steps.append(
                    f"{head}; tied at the cut-off with {len(tied) - 1} other(s): all keep "
                    f"{grade.label} (ties = keep-all; quota exceeded)"
                )
        kept_totals = {s.item.total: s for s in keep}
        for seat in move:
            note = ""
            rival = kept_totals.get(seat.item.total)
            if rival is not None and seat not in tied:
                decided = next(
                    (
                        (name, a, b)
                        for name, a, b in zip(
                            policy.tie_break,
                            rival.item.tie_values,
                            seat.item.tie_values,
                            strict=False,
                        )
                        if a != b
                    ),
                    None,
                )
                if decided is not None:
                    note = (
                        f" (tied on total {seat.item.total} with {rival.item.id}; tie-break "
                        f"{decided[0]}: {decided[2]} against {decided[1]})"
                    )
                else:
                    note = (
                        f" (tied on total {seat.item.total} with {rival.item.id}; unit id decides)"
                    )
            if seat in tied:
                note = (
                    " (tied at the cut-off: all tied units move"
                    + (", still tied after the tie-break keys" if policy.tie_break else "")
                    + ")"
                )
            seat.grade = below.id
            seat.steps.append(f"{head}; moved to {below.label}{note}")

    for position in range(len(scale.grades) - 1, 0, -1):
        grade = scale.grades[position]
        need = floors[grade.id]
        if need is None:
            continue
        holders = [s for s in graded if s.grade == grade.id]
        missing = need - len(holders)
        if missing <= 0:
            continue
        worst_first = sorted(
            (s for s in graded if s.grade is not None and scale.position(s.grade) < position),
            key=lambda s: s.key,
            reverse=True,
        )
        chosen = worst_first[:missing]
        note = ""
        if chosen and len(worst_first) > missing and worst_first[missing].cut == chosen[-1].cut:
            # Units tied at the cut: the declared tie rule decides, never the input order.
            boundary = chosen[-1].cut
            at_cut = [s for s in worst_first if s.cut == boundary]
            if policy.ties is TieRule.KEEP_ALL:
                chosen = [s for s in chosen if s.cut != boundary]
                note = " (tied units at the cut-off all stay: ties = keep-all)"
            else:
                chosen = [s for s in worst_first if s.cut >= boundary]
                note = (
                    f" (tied at the cut-off with {len(at_cut) - 1} other(s): all tied units move)"
                )
        for seat in chosen:
            seat.grade = grade.id
            seat.steps.append(
                f"{grade.label} needs at least {_percent(grade.min_percent or Decimal(0))} "
                f"of {counted} = {need}; moved down to {grade.label}{note}"
            )
        if len(chosen) < missing:
            short.add(grade.id)

    counts = [
        GradeCount(
            grade=g.id,
            label=g.label,
            count=sum(1 for s in graded if s.grade == g.id),
            max=quotas[g.id],
            min=floors[g.id],
            exceeded=g.id in exceeded,
            short=g.id in short,
        )
        for g in scale.grades
    ]
    distribution = Distribution(
        peer_group=group,
        name=name,
        units=size,
        counted=counted,
        not_graded=size - len(graded),
        grades=tuple(counts),
    )
    return seats, distribution


def _cut(
    holders: Sequence[_Seat], limit: int, rule: TieRule
) -> tuple[list[_Seat], list[_Seat], set[_Seat]]:
    """Split the holders of a grade (best first) at its quota: (keep, move, tied at the cut)."""
    if limit <= 0:
        return [], list(holders), set()
    boundary = holders[limit - 1].cut
    straddles = holders[limit].cut == boundary
    if not straddles:
        return list(holders[:limit]), list(holders[limit:]), set()
    tied = {s for s in holders if s.cut == boundary}
    if rule is TieRule.KEEP_ALL:
        keep = [s for s in holders if s.cut <= boundary]
    else:  # break (still tied after the keys) and move-all: every tied unit moves
        keep = [s for s in holders if s.cut < boundary]
    kept = set(keep)
    move = [s for s in holders if s not in kept]
    return keep, move, tied
