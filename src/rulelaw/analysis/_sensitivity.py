"""How much the ranking depends on the weights: many weight draws, re-aggregated as matrices.

:func:`sensitivity` varies the weights of chosen nodes (the top-level
dimensions by default) by a random factor each draw — uniform in
``1 ± factor``, or within declared ranges — re-aggregates every unit's
already-scored points under the drawn weights, re-ranks and re-grades each
peer group, and reports per unit its median rank, the 5–95% interval of its
rank, the share of draws in each grade, and which weights move its rank
most (a variance-based first-order index, as COINr's ``get_sensitivity`` and
the JRC's audits of composite indicators do).

Nothing is re-evaluated: each unit's points are read once from the exact
evaluation (each node's points over its worth, on the rule's own scale),
and a draw re-allots the scale over the tree with the drawn weights,
rescaled around the unit's not-applicable indicators exactly as the engine
does. The draws are computed in floating point (64-bit): a draw is a
what-if, not an official score, and a float's 16 digits are far below the
weights' own uncertainty; the base case is the exact evaluation itself.

Grading in a draw takes each grade's threshold and its maximum quota by
rank (``max_percent`` under the scheme's quota rounding); minimum shares,
tie rules and grade caps by veto are those of the base evaluation's grade
where they applied (a unit capped or not graded stays so).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np

from rulelaw.engine import Evaluation, IndicatorLines, UnitResult, evaluate
from rulelaw.errors import LookupFailed
from rulelaw.messages import Message
from rulelaw.model import Assessment, Scheme, decimal_text
from rulelaw.rules import Registry

__all__ = ["Sensitivity", "UnitSensitivity", "sensitivity"]


@attrs.frozen(kw_only=True)
class UnitSensitivity:
    """One unit under the weight draws.

    ``rank`` is its rank in the base (exact) evaluation; ``median_rank``,
    ``low`` and ``high`` the median and the 5% and 95% quantiles of its rank
    over the draws; ``grades`` the share of draws (per cent, two places) in
    each grade id (``None``: not graded); ``influence`` the varied nodes with
    the share of its rank's variance each explains alone (first-order index,
    0 … 1, three places), largest first.
    """

    unit: str
    name: str
    peer_group: str
    rank: int
    grade: str | None
    median_rank: Decimal
    low: int
    high: int
    grades: Mapping[str, Decimal]
    influence: tuple[tuple[str, Decimal], ...]

    @property
    def spread(self) -> int:
        """The width of its 5–95% rank interval."""
        return self.high - self.low


@attrs.frozen(kw_only=True)
class Sensitivity:
    """Every unit under ``draws`` weight draws of the ``nodes``, seeded by ``seed``."""

    draws: int
    seed: int
    nodes: tuple[str, ...]
    factor: Decimal | None
    units: tuple[UnitSensitivity, ...]
    #: grade id → label, for showing the shares
    labels: Mapping[str, str] = attrs.field(factory=dict)

    def unit(self, unit_id: str) -> UnitSensitivity:
        """One unit's result; raises :class:`~rulelaw.errors.LookupFailed`."""
        for u in self.units:
            if u.unit == unit_id:
                return u
        raise LookupFailed("unit", unit_id, (u.unit for u in self.units))

    def table(self, lang: str = "en", tablefmt: str = "simple") -> str:
        """Per unit: base rank, median rank, 5–95% interval, grade shares, strongest weights."""
        from tabulate import tabulate

        def say(code: str, **params: object) -> str:
            return Message(code, tuple(params.items())).text(lang)

        rows = [
            (
                u.unit,
                u.name,
                str(u.rank),
                decimal_text(u.median_rank),
                f"{u.low}–{u.high}",
                ", ".join(
                    f"{self.labels.get(grade, grade) or say('compare.not-graded')} "
                    f"{decimal_text(share)}%"
                    for grade, share in u.grades.items()
                ),
                ", ".join(
                    f"{node} {decimal_text(index)}" for node, index in u.influence[:3] if index
                )
                or "—",
            )
            for u in sorted(self.units, key=lambda u: (u.peer_group, u.rank, u.unit))
        ]
        head = say(
            "sensitivity.head",
            draws=self.draws,
            nodes=self.nodes,
            seed=self.seed,
        )
        headers = [
            say(f"sensitivity.column.{c}")
            for c in ("unit", "name", "rank", "median", "interval", "grades", "influence")
        ]
        table: str = tabulate(rows, headers=headers, tablefmt=tablefmt, disable_numparse=True)
        return head + "\n\n" + table + "\n"

    def to_markdown(self, lang: str = "en") -> str:
        """The table as Markdown."""
        return self.table(lang, tablefmt="github")

    def _repr_html_(self) -> str:
        return self.table(tablefmt="html")

    def data(self) -> dict[str, Any]:
        """As JSON-ready data: the draws' settings and, per unit, its ranks, grades and influence.

        Numbers that are decimals are texts (``"4.5"``); a unit not graded in
        a draw counts under grade ``null``.
        """
        return {
            "draws": self.draws,
            "seed": self.seed,
            "nodes": list(self.nodes),
            "factor": None if self.factor is None else decimal_text(self.factor),
            "units": [
                {
                    "unit": u.unit,
                    "name": u.name,
                    "peer_group": u.peer_group,
                    "rank": u.rank,
                    "grade": u.grade,
                    "median_rank": decimal_text(u.median_rank),
                    "low": u.low,
                    "high": u.high,
                    "grades": [
                        {"grade": grade, "share": decimal_text(share)}
                        for grade, share in u.grades.items()
                    ],
                    "influence": [
                        {"node": node, "index": decimal_text(index)} for node, index in u.influence
                    ],
                }
                for u in self.units
            ],
        }

    def to_json(self) -> str:
        """:meth:`data` as a JSON text (Chinese kept as is), ending in a newline."""
        return json.dumps(self.data(), ensure_ascii=False, indent=2) + "\n"


def sensitivity(
    assessment: Assessment | Evaluation,
    *,
    draws: int = 1000,
    seed: int = 0,
    factor: Decimal | float | str = "0.25",
    nodes: Sequence[str] | None = None,
    ranges: Mapping[str, tuple[Decimal | float | str, Decimal | float | str]] | None = None,
    scheme: Scheme | None = None,
    registry: Registry | None = None,
    as_of: object = None,
) -> Sensitivity:
    """Vary the weights of ``nodes`` and report how each unit's rank and grade respond.

    Parameters
    ----------
    assessment:
        An assessment (evaluated here, exactly), or its evaluation (then
        ``scheme`` is the scheme it was made under).
    draws, seed:
        How many weight draws, from a seeded generator: the same seed gives
        the same result.
    factor:
        Each draw multiplies each node's weight, in every category, by a
        factor uniform in ``1 - factor … 1 + factor`` (0.25: ±25%).
    nodes:
        The dimensions or indicators whose weights vary (default: the
        top-level dimensions).
    ranges:
        Instead of ``factor``, per node the lowest and highest weight (as
        the scheme writes weights), drawn uniformly.
    scheme:
        With an evaluation: the scheme it was made under.
    registry, as_of:
        As for :func:`rulelaw.evaluate`, when an assessment is given.

    Example::

        s = rulelaw.analysis.sensitivity(rulelaw.load("examples/demo-city"), draws=200)
        print(s.table())

    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise ValueError(f"draws must be a whole number of at least 1, got {draws!r}")
    if isinstance(assessment, Evaluation):
        result = assessment
        if scheme is None:
            raise ValueError("give the scheme the evaluation was made under (scheme=…)")
    else:
        result = evaluate(assessment, as_of=as_of, registry=registry)
        scheme = assessment.scheme
    if nodes is not None:
        varied = tuple(nodes)
    elif ranges is not None:
        varied = tuple(ranges)
    else:
        varied = tuple(d.id for d in scheme.children(None))
    if not varied:
        raise ValueError("no weights to vary: name at least one node")
    known = [n.id for n in scheme.nodes]
    for node in varied:
        if node not in known:
            raise LookupFailed("dimension or indicator", node, known)
    rng = np.random.default_rng(seed)
    if ranges is not None:
        factors = None
        missing = [n for n in varied if n not in ranges]
        if missing:
            raise ValueError(f"no range for {', '.join(map(repr, missing))} (ranges=…)")
        bounds = [
            (
                _number(ranges[n][0], f"the lowest weight of {n!r}"),
                _number(ranges[n][1], f"the highest weight of {n!r}"),
            )
            for n in varied
        ]
        for n, (lowest, highest) in zip(varied, bounds, strict=True):
            if not 0 <= lowest <= highest:
                raise ValueError(
                    f"the range of {n!r} must run from 0 or more up: got {lowest} … {highest}"
                )
        low = np.array([float(b[0]) for b in bounds])
        high = np.array([float(b[1]) for b in bounds])
        drawn = rng.uniform(low, high, size=(draws, len(varied)))  # absolute weights
    else:
        factors = _number(factor, "factor")
        if not 0 <= factors < 1:
            raise ValueError(f"factor must be at least 0 and below 1 (0.25: ±25%), got {factor!r}")
        f = float(factors)
        drawn = rng.uniform(1 - f, 1 + f, size=(draws, len(varied)))  # factors
    totals = np.zeros((len(result.units), draws))
    index = {u.unit: i for i, u in enumerate(result.units)}
    for category in scheme.categories:
        members = [u for u in result.units if u.category == category.id]
        if members:
            at = np.array([index[u.unit] for u in members])
            totals[at] = _totals(
                scheme, category.id, members, varied, drawn, absolute=ranges is not None
            )
    # ranked and graded on totals rounded as declared, as the results are (ties stay ties)
    totals = np.round(totals, scheme.rounding.places)
    ranks = np.zeros((len(result.units), draws), dtype=np.int64)
    grades = np.full((len(result.units), draws), -1, dtype=np.int64)
    for group in dict.fromkeys(u.peer_group for u in result.units):
        at = np.array([i for i, u in enumerate(result.units) if u.peer_group == group])
        group_units = [result.units[i] for i in at.tolist()]
        ranks[at], grades[at] = _rank_and_grade(scheme, group_units, totals[at])
    grade_ids = [g.id for g in scheme.grading.grades]
    influence = _influence(ranks, drawn, varied)
    medians = np.median(ranks, axis=1)
    lows = np.quantile(ranks, 0.05, axis=1, method="lower")
    highs = np.quantile(ranks, 0.95, axis=1, method="higher")
    counts = {g: (grades == g).sum(axis=1) for g in range(-1, len(grade_ids))}
    found = [
        UnitSensitivity(
            unit=u.unit,
            name=u.name,
            peer_group=u.peer_group,
            rank=u.rank,
            grade=u.grade,
            median_rank=Decimal(str(float(medians[i]))).normalize(),
            low=int(lows[i]),
            high=int(highs[i]),
            grades={
                (grade_ids[g] if g >= 0 else ""): _share(int(c[i]), draws)
                for g, c in counts.items()
                if c[i]
            },
            influence=influence[i],
        )
        for i, u in enumerate(result.units)
    ]
    return Sensitivity(
        draws=draws,
        seed=seed,
        nodes=varied,
        factor=factors,
        units=tuple(found),
        labels={g.id: g.label for g in scheme.grading.grades},
    )


def _totals(
    scheme: Scheme,
    category: str,
    members: Sequence[UnitResult],
    varied: Sequence[str],
    drawn: np.ndarray,
    *,
    absolute: bool,
) -> np.ndarray:
    """Every member's total under every draw (units × draws), re-aggregated from its points."""
    weights = scheme.weights_for(category).points
    children: dict[str | None, list[str]] = {}
    for node in scheme.nodes:
        children.setdefault(node.parent, []).append(node.id)
    leaves = {i.id for i in scheme.indicators if i.applies_to(category)}
    draws = len(drawn)
    n = len(members)
    varied_at = {node: k for k, node in enumerate(varied)}
    # which nodes have a varied node below them: only inside those are shares redrawn
    below: dict[str, bool] = {}

    def varies(node: str) -> bool:
        """Whether a node's own weight, or one below it, varies."""
        if node not in below:
            below[node] = node in varied_at or any(varies(k) for k in children.get(node, []))
        return below[node]

    def varies_inside(node: str) -> bool:
        return any(varies(k) for k in children.get(node, []))

    # per unit: each leaf's score ratio (its rule's points over its max) and whether it
    # counts; each dimension's ratio from its children with the base weights, bottom-up
    leaf_ids = [i.id for i in scheme.indicators if i.id in leaves]
    leaf_ratio, leaf_live = _leaf_scores(members, leaf_ids)
    ratio: dict[str, np.ndarray] = {leaf: leaf_ratio[:, j] for j, leaf in enumerate(leaf_ids)}
    live: dict[str, np.ndarray] = {leaf: leaf_live[:, j] for j, leaf in enumerate(leaf_ids)}

    def base_weight(node: str) -> float:
        declared = weights.get(node)
        if declared is not None:
            return float(declared)
        return _sum_weights(node, children, weights, leaves)

    def settle(node: str) -> None:
        kids = [k for k in children.get(node, []) if k in leaves or _has_leaf(k, children, leaves)]
        for k in kids:
            if k not in ratio:
                settle(k)
        held = sum((live[k] * base_weight(k) for k in kids), np.zeros(n))
        scored = sum((live[k] * base_weight(k) * ratio[k] for k in kids), np.zeros(n))
        live[node] = held > 0
        ratio[node] = np.divide(scored, held, out=np.zeros(n), where=held > 0)

    for top in children.get(None, []):
        if top not in ratio and _has_leaf(top, children, leaves):
            settle(top)

    def weight(node: str) -> np.ndarray:
        """The node's weight in every draw (draws,)."""
        base = base_weight(node)
        k = varied_at.get(node)
        if k is None:
            return np.full(draws, base)
        return drawn[:, k] if absolute else base * drawn[:, k]

    scale = float(scheme.scale)

    def total(node: str | None, budget: np.ndarray | float) -> np.ndarray:
        """What the node's subtree adds (units × draws) when it is worth ``budget``.

        Each child's share of ``budget`` is its weight over the unit's live
        children's weights: the live weights summed as one matrix product
        (units × children by children × draws), and what the children with
        fixed inner shares add as another.
        """
        kids = [
            k
            for k in children.get(node, [])
            if k in leaves or (k in live and _has_leaf(k, children, leaves))
        ]
        if not kids:
            return np.zeros((n, draws))
        w = np.stack([weight(k) for k in kids])  # children × draws
        alive = np.stack([live[k] for k in kids], axis=1).astype(float)  # units × children
        base = alive @ w
        scaled = budget / np.where(base > 0, base, 1.0)
        fixed = [j for j, k in enumerate(kids) if not (k in children and varies_inside(k))]
        scores = np.stack([live[k] * ratio[k] for k in kids], axis=1)
        added = scaled * (scores[:, fixed] @ w[fixed]) if fixed else np.zeros((n, draws))
        for j, k in enumerate(kids):
            if j not in fixed:
                added += total(k, scaled * np.outer(alive[:, j], w[j]))
        return added

    adjust = np.array([float(Fraction(u.total) - Fraction(u.subtotal)) for u in members])
    found: np.ndarray = total(None, scale) + adjust[:, None]
    return found


def _has_leaf(node: str, children: Mapping[str | None, list[str]], leaves: set[str]) -> bool:
    return any(k in leaves or _has_leaf(k, children, leaves) for k in children.get(node, []))


def _sum_weights(
    node: str,
    children: Mapping[str | None, list[str]],
    weights: Mapping[str, Decimal],
    leaves: set[str],
) -> float:
    total = 0.0
    for k in children.get(node, []):
        if k in leaves:
            total += float(weights.get(k, 0))
        elif k in weights:
            total += float(weights[k])
        else:
            total += _sum_weights(k, children, weights, leaves)
    return total


def _leaf_scores(
    members: Sequence[UnitResult], leaves: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's leaves' score ratios (rule points over max) and whether each counts.

    Read from a category's arrays where the lines are kept there (the exact
    rule points), else from each unit's lines (the rule points as shown).
    """
    column = {leaf: j for j, leaf in enumerate(leaves)}
    ratio = np.zeros((len(members), len(leaves)))
    live = np.zeros((len(members), len(leaves)), dtype=bool)
    for u, unit in enumerate(members):
        lines = unit.indicators
        if isinstance(lines, IndicatorLines):
            block, row = lines.block, lines.position
            at = [column[leaf.id] for leaf in block.plan.leaves]
            verdicts = np.asarray(block.verdict[row])
            tops = np.array([float(block.rules[leaf.id].max) for leaf in block.plan.leaves])
            nums = np.array([block.rule_num[v] for v in verdicts.tolist()], dtype=float)
            dens = np.array([block.rule_den[v] for v in verdicts.tolist()], dtype=float)
            ratio[u, at] = nums / dens / tops
            live[u, at] = np.asarray(block.active)[verdicts]
            continue
        for r in lines:
            j = column.get(r.indicator)
            if j is not None and r.rule_points is not None:
                ratio[u, j] = float(r.rule_points) / float(r.rule_max)
                live[u, j] = True
    return ratio, live


def _rank_and_grade(
    scheme: Scheme, members: Sequence[UnitResult], totals: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks and grade positions (−1: not graded) of a peer group, per draw."""
    n, draws = totals.shape
    order = np.argsort(-totals, axis=0, kind="stable")  # per draw, best first
    sorted_totals = np.take_along_axis(totals, order, axis=0)
    # competition ranks: a unit ranks one below the first of those with its total
    position = np.arange(n)[:, None].repeat(draws, axis=1)
    starts = np.ones((n, draws), dtype=bool)
    starts[1:] = sorted_totals[1:] != sorted_totals[:-1]
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=0)
    ranks = np.empty((n, draws), dtype=np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=0)
    policy = scheme.grading
    grades_of = policy.grades
    minima = [float(t) if t is not None else -np.inf for t in policy.scale.thresholds]
    graded = np.array([u.grade is not None for u in members])
    capped = np.array(
        [
            next((i for i, g in enumerate(grades_of) if g.id == u.grade), 0) if u.vetoes else 0
            for u in members
        ]
    )
    size = int(graded.sum()) if not policy.count_not_graded else n
    caps = [
        policy.quota_rounding.count(g.max_percent, size, at_least_one=policy.quota_at_least_one)
        if g.max_percent is not None
        else n
        for g in grades_of
    ]
    # grades, all draws at once: units in rank order take the best grade their total
    # reaches while its quota lasts (a unit capped by a veto starts at its cap)
    sorted_graded = graded[order]
    sorted_cap = capped[order]
    assigned = np.full((n, draws), -1, dtype=np.int64)
    free = sorted_graded.copy()
    for g in range(len(grades_of)):
        eligible = free & (sorted_cap <= g) & (sorted_totals >= minima[g])
        if g == len(grades_of) - 1:
            eligible = free & (sorted_cap <= g)  # the last grade takes everyone left
        taken = eligible & (np.cumsum(eligible, axis=0) <= caps[g]) if caps[g] < n else eligible
        assigned[taken] = g
        free &= ~taken
    assigned[free] = len(grades_of) - 1  # over every quota: the last grade
    grades = np.empty((n, draws), dtype=np.int64)
    np.put_along_axis(grades, order, assigned, axis=0)
    return ranks, grades


def _number(value: object, what: str) -> Decimal:
    """A finite decimal from a number or its text, else a ValueError naming ``what``."""
    try:
        found = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValueError(f"{what} must be a number, got {value!r}") from None
    if not found.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return found


def _share(count: int, draws: int) -> Decimal:
    """``count`` of ``draws`` in per cent, two places."""
    return (Decimal(count) * 100 / Decimal(draws)).quantize(Decimal("0.01"))


def _influence(
    ranks: np.ndarray, drawn: np.ndarray, varied: Sequence[str], bins: int = 10
) -> list[tuple[tuple[str, Decimal], ...]]:
    """Per unit, each varied node's first-order index: Var(E[rank | its weight]) / Var(rank).

    Estimated by binning the node's drawn weights into equally full bins
    (the same bins for every unit: one matrix product per node).
    """
    units, draws = ranks.shape
    ranks = ranks.astype(float)
    total = ranks.var(axis=1)
    indices = np.zeros((units, len(varied)))
    for k in range(len(varied)):
        bin_of = np.empty(draws, dtype=np.int64)
        for b, part in enumerate(np.array_split(np.argsort(drawn[:, k], kind="stable"), bins)):
            bin_of[part] = b
        member = np.zeros((draws, bins))
        member[np.arange(draws), bin_of] = 1.0
        sizes = member.sum(axis=0)
        means = (ranks @ member) / np.where(sizes > 0, sizes, 1.0)
        weights = sizes / draws
        spread = (means**2 * weights).sum(axis=1) - ((means * weights).sum(axis=1)) ** 2
        indices[:, k] = np.divide(spread, total, out=np.zeros(units), where=total > 0)
    found = []
    for u in range(units):
        pairs = [
            (node, Decimal(f"{min(1.0, max(0.0, float(indices[u, k]))):.3f}"))
            for k, node in enumerate(varied)
        ]
        found.append(tuple(sorted(pairs, key=lambda item: (-item[1], item[0]))))
    return found
