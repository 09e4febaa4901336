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

Every decision is kept as a sentence in the unit's ``grade_steps``: a
:class:`~rulelaw.messages.Message` (codes ``rank.…``, ``grade.…``,
``quota.…``, ``tie.…``), one made per distinct decision and shared by the
candidates it concerns. Input order never decides anything: ties are
decided by the declared keys only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from rulelaw.engine._results import Distribution, GradeCount, UnitResult
from rulelaw.messages import Message, Text
from rulelaw.model import EXACT, GradingPolicy, Scheme, TieRule, Veto, VetoEffect
from rulelaw.model.grading import RankTies

__all__ = ["Candidate", "Decision", "decide", "grade_units", "node_points"]

SortKey = tuple[object, ...]


@attrs.frozen(kw_only=True)
class Candidate:
    """Something to grade and rank: a unit, or a responsible person.

    ``tie_values`` are the points of the policy's tie-break keys, in order;
    ``vetoes`` the ids of vetoes that apply; ``not_graded`` why it gets no
    grade (a message or a text), empty when it is graded.
    """

    id: str
    total: Decimal
    peer_group: str
    not_graded: Text = ""
    vetoes: tuple[str, ...] = ()
    tie_values: tuple[Decimal, ...] = ()


@attrs.frozen(kw_only=True)
class Decision:
    """A candidate's grade (``None``: not graded), ranks, and every step that led there.

    Each step is a :class:`~rulelaw.messages.Message`.
    """

    grade: str | None
    label: str | None
    rank: int
    rank_overall: int
    steps: tuple[Message, ...]


@attrs.define(eq=False)
class _Seat:
    """One candidate's place while grades are decided (mutable only inside this module)."""

    item: Candidate
    key: SortKey
    cut: SortKey
    grade: str | None
    rank: int = 0
    steps: list[Message] = attrs.field(factory=list)


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


def _percent(value: Decimal | None) -> Decimal:
    """A share as the steps show it: ``20`` for 20.0 (the text adds the ``%``)."""
    return (value or Decimal(0)).normalize(EXACT)


class _Steps:
    """The grading steps' messages, each made once per distinct decision.

    Candidates of one group share a step's message where the step says the
    same of them (a threshold reached at one total, a move under one
    quota), so that grading a province makes no message per unit for what
    units share. Parameters are texts, whole numbers and decimals (a decimal
    keyed as written: 90.0 and 90.00 are two texts).
    """

    def __init__(self) -> None:
        self._said: dict[tuple[object, ...], Message] = {}

    def say(self, code: str, **params: str | int | Decimal) -> Message:
        key = (code, *(repr(v) if isinstance(v, Decimal) else v for v in params.values()))
        found = self._said.get(key)
        if found is None:
            found = self._said[key] = Message.of(code, **params)
        return found


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

    say = _Steps().say
    ranks: dict[int, Message] = {}
    above = scale.thresholds[-2] if len(scale.grades) > 1 else None
    graded = [s for s in seats if not s.item.not_graded]
    for seat in seats:
        rank_step = ranks.get(seat.rank)
        if rank_step is None:  # units tied on rank share the step
            rank_step = ranks[seat.rank] = Message.of(
                "rank.in-group", rank=seat.rank, size=size, group=name
            )
        seat.steps.append(rank_step)
        if seat.item.not_graded:
            seat.steps.append(Message.of("grade.not-graded", reason=seat.item.not_graded))
            continue
        grade_id = scale.grade_for(seat.item.total)
        grade = scale.grade(grade_id)
        threshold = scale.threshold(grade_id)
        total = seat.item.total
        if threshold is not None:
            seat.steps.append(
                say("grade.threshold", total=total, minimum=threshold, grade=grade.label)
            )
        elif above is not None:
            seat.steps.append(
                say("grade.below-thresholds", total=total, above=above, grade=grade.label)
            )
        else:
            seat.steps.append(say("grade.only-grade", total=total, grade=grade.label))
        seat.grade = grade_id
        for veto_id in seat.item.vetoes:
            veto = vetoes.get(veto_id)
            if veto is None:
                continue
            if veto.effect is VetoEffect.CAP_GRADE and veto.grade is not None:
                if veto.grade not in scale.ids:
                    seat.steps.append(
                        say(
                            "grade.veto-cap-unknown",
                            veto=veto.id,
                            title=veto.title,
                            grade=veto.grade,
                        )
                    )
                elif scale.position(seat.grade) < scale.position(veto.grade):
                    before = scale.grade(seat.grade).label
                    seat.grade = veto.grade
                    seat.steps.append(
                        say(
                            "grade.veto-capped",
                            veto=veto.id,
                            title=veto.title,
                            cap=scale.grade(veto.grade).label,
                            before=before,
                        )
                    )
                else:
                    seat.steps.append(
                        say(
                            "grade.veto-cap-no-change",
                            veto=veto.id,
                            title=veto.title,
                            cap=scale.grade(veto.grade).label,
                        )
                    )
            elif veto.effect is VetoEffect.LOWEST_GRADE:
                lowest = scale.grades[-1]
                seat.grade = lowest.id
                seat.steps.append(
                    say("grade.veto-lowest", veto=veto.id, title=veto.title, grade=lowest.label)
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
        quota = Message.of(
            "quota.maximum",
            grade=grade.label,
            percent=_percent(grade.max_percent),
            counted=counted,
            limit=limit,
        )
        if tied & set(keep):
            kept_all = Message.of(
                "tie.kept-all", quota=quota, others=len(tied) - 1, grade=grade.label
            )
            for seat in keep:
                if seat in tied:
                    seat.steps.append(kept_all)
        moved = Message.of("quota.moved-down", quota=quota, grade=below.label)
        all_move = Message.of(
            "tie.all-move-after-keys" if policy.tie_break else "tie.all-move",
            quota=quota,
            grade=below.label,
        )
        kept_totals = {s.item.total: s for s in keep}
        for seat in move:
            step = moved
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
                    step = Message.of(
                        "tie.broken-by-key",
                        quota=quota,
                        grade=below.label,
                        total=seat.item.total,
                        rival=rival.item.id,
                        key=decided[0],
                        points=decided[2],
                        rival_points=decided[1],
                    )
                else:
                    step = Message.of(
                        "tie.broken-by-id",
                        quota=quota,
                        grade=below.label,
                        total=seat.item.total,
                        rival=rival.item.id,
                    )
            if seat in tied:
                step = all_move
            seat.grade = below.id
            seat.steps.append(step)

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
        minimum = Message.of(
            "quota.minimum",
            grade=grade.label,
            percent=_percent(grade.min_percent),
            counted=counted,
            need=need,
        )
        step = Message.of("quota.filled-down", minimum=minimum, grade=grade.label)
        if chosen and len(worst_first) > missing and worst_first[missing].cut == chosen[-1].cut:
            # Units tied at the cut: the declared tie rule decides, never the input order.
            boundary = chosen[-1].cut
            at_cut = [s for s in worst_first if s.cut == boundary]
            if policy.ties is TieRule.KEEP_ALL:
                chosen = [s for s in chosen if s.cut != boundary]
                step = Message.of("tie.minimum-kept-all", minimum=minimum, grade=grade.label)
            else:
                chosen = [s for s in worst_first if s.cut >= boundary]
                step = Message.of(
                    "tie.minimum-all-move",
                    minimum=minimum,
                    grade=grade.label,
                    others=len(at_cut) - 1,
                )
        for seat in chosen:
            seat.grade = grade.id
            seat.steps.append(step)
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
