"""Scoring a whole category at once: each distinct value judged once, the arithmetic in arrays.

The per-unit way (:mod:`rulelaw.engine._reference`) is the reference; this
module gives the same results for many units quickly, and gives a unit back
to the reference whenever it cannot be sure (adjustment events, a
false-evidence penalty):

1. *Verdicts.* Evidence is in columns (:class:`~rulelaw.EvidenceColumns`):
   for each indicator, each distinct entry is judged once by the scorer (a
   rule that reads its peers, once per entry and peer group).
2. *Aggregation*, in integer arrays, by the array half of
   :mod:`rulelaw.engine._aggregate`: allotment, contributions, sums and the
   rounding lines, exact (Python integers where int64 could overflow).
3. *Lines* are kept in the category's arrays (:class:`CategoryBlock`) and
   built when first read, so a province's result holds no million line objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, overload

import numpy as np

from rulelaw.engine._aggregate import (
    allot_arrays,
    array_kind,
    contributions,
    dimension_line,
    dimension_lines_arrays,
    dimension_sums_arrays,
    exact_fraction_sum,
    ratios,
    rounding_line,
    short_of_data_arrays,
    short_of_data_reason,
    stack_columns,
)
from rulelaw.engine._plan import CategoryPlan
from rulelaw.engine._results import Adjustment, DimensionResult, IndicatorResult
from rulelaw.engine._scorer import Scorer, Verdict
from rulelaw.model import (
    Assessment,
    EvidenceColumns,
    Indicator,
    NotSubmitted,
    Observation,
    ObservedValue,
    RoundingPolicy,
    Unit,
    round_quotient,
    scaled,
)
from rulelaw.model.evidence import NO_EVIDENCE_ROW, STATES, Entry
from rulelaw.rules import PeerGroup

__all__ = ["CategoryBlock", "DimensionLines", "IndicatorLines", "Scored", "score_category"]

_NO_EVIDENCE: Entry = (NotSubmitted(reason=NO_EVIDENCE_ROW), "", None)


def _as_decimal(count: int, places: int) -> Decimal:
    return scaled(int(count), places)


class CategoryBlock:
    """The scored units of one category, in arrays; each unit's lines are built when read.

    ``verdict[u, j]`` is the index (into ``verdicts``, each of the leaf at
    position ``verdict_leaf[v]``) of what leaf ``j``'s value came to for unit ``u``;
    ``entry[u, j]`` the entry observed;
    ``points``, ``worth`` (per leaf) and ``dim_points``, ``dim_max`` (per
    dimension) the shown values as integer counts of ``10**-places``, in the
    places of the indicators' rounding (:attr:`rounding`) and the
    dimensions' (:attr:`dim_rounding`); ``dim_line`` (or ``None``) each
    dimension's rounding line, counted in ``line_places``;
    ``verdict_points`` holds, per verdict ``v``, its own points as
    ``rule_num[v] / rule_den[v]`` (0 when it scores none) and ``active[v]``
    whether it counts (else its points are ``None``); ``dim_reason[u, d]``
    the position in ``dim_reasons`` of why dimension ``d`` is not scored for
    unit ``u`` (0: ``""``, it is). ``cells``, kept where
    units are ranked on their exact totals, are the exact contributions
    (numerators, denominators).
    """

    def __init__(
        self,
        plan: CategoryPlan,
        scorer: Scorer,
        entries: Sequence[Entry],
        columns: EvidenceColumns,
        verdicts: Sequence[Verdict],
        verdict_leaf: Any,
        verdict_points: tuple[list[int], list[int], Any],
        verdict: Any,
        entry: Any,
        points: Any,
        worth: Any,
        dim_points: Any,
        dim_max: Any,
        dim_reasons: tuple[Any, Sequence[str]],
        dim_line: tuple[Any, int] | None = None,
        cells: tuple[Any, Any] | None = None,
    ) -> None:
        self.plan = plan
        self.rules = scorer.rules
        self.rounding = scorer.rounding
        self.levels = scorer.levels
        self.dim_rounding = scorer.levels.level("dimension")
        self.dim_line: Any = None if dim_line is None else dim_line[0]
        self.line_places = 0 if dim_line is None else dim_line[1]
        self.cells = cells
        self.entries = entries
        self.verdicts = verdicts
        self.verdict_leaf = verdict_leaf
        self.rule_num, self.rule_den, self.active = verdict_points
        self._columns = columns
        self.verdict = verdict
        self.entry = entry
        self.points = points
        self.worth = worth
        self.dim_points = dim_points
        self.dim_max = dim_max
        self.dim_reason: Any = dim_reasons[0]
        self.dim_reasons: Sequence[str] = dim_reasons[1]
        self._rule_points: dict[int, Decimal | None] = {}

    def sources(self) -> tuple[list[str], Any]:
        """The distinct sources of :attr:`entries` and each entry's position among them.

        The evidence's own entries come first in every category: their sources
        are read once, from the evidence.
        """
        distinct, of_shared = self._columns.sources
        found = {source: i for i, source in enumerate(distinct)}
        rest = [found.setdefault(e[1], len(found)) for e in self.entries[len(of_shared) :]]
        return list(found), np.concatenate([of_shared, np.array(rest, dtype=np.int64)])

    def rule_points(self, v: int) -> Decimal | None:
        """The rule's own points of verdict ``v``, rounded as declared."""
        if v not in self._rule_points:
            points = self.verdicts[v].points
            self._rule_points[v] = None if points is None else self.rounding.apply(points)
        return self._rule_points[v]

    def line(self, u: int, j: int) -> IndicatorResult:
        """The result line of leaf ``j`` for unit ``u``."""
        leaf = self.plan.leaves[j]
        v = int(self.verdict[u, j])
        verdict = self.verdicts[v]
        places = self.rounding.places
        return verdict.line(
            self.plan,
            leaf,
            self.rules[leaf.id],
            (
                self.rule_points(v),
                _as_decimal(self.worth[u, j], places),
                _as_decimal(self.points[u, j], places),
            ),
            self.entries[int(self.entry[u, j])][1],
        )

    def dimension(self, u: int, d: int) -> DimensionResult:
        """The subtotal of dimension ``d`` for unit ``u``."""
        dimension, depth = self.plan.dimensions[d]
        places = self.dim_rounding.places
        line = None
        if self.dim_line is not None and self.dim_line[u, d]:
            line = self.rounding_line(int(self.dim_line[u, d]), dimension.id)
        return DimensionResult(
            dimension=dimension.id,
            title=dimension.title,
            level=depth,
            points=_as_decimal(self.dim_points[u, d], places),
            max=_as_decimal(self.dim_max[u, d], places),
            rounding=line,
            reason=self.dim_reasons[int(self.dim_reason[u, d])],
        )

    def rounding_line(self, count: int, dimension: str = "") -> Adjustment:
        """A dimension's rounding line of ``count`` × ``10**-line_places`` (not 0)."""
        line = dimension_line(dimension, _as_decimal(count, self.line_places), self.levels)
        assert line is not None, "a line of 0 is no line"
        return line

    def exact_subtotal(self, u: int) -> Fraction:
        """Unit ``u``'s exact subtotal (kept only where totals are ranked exactly)."""
        if self.levels.indicators:  # the sum of the rounded contributions
            return Fraction(int(self.points[u].sum()), 10**self.rounding.places)
        assert self.cells is not None, "exact subtotals are kept only to rank on them"
        cell_num, cell_den = self.cells
        return exact_fraction_sum(cell_num[u].tolist(), cell_den[u].tolist())


class _Lazy(Sequence[Any]):
    """A unit's lines, built from its block when first read (see the subclasses).

    Compares, hashes and prints like the tuple it stands for.
    """

    __slots__ = ("_block", "_built", "_u")

    def __init__(self, block: CategoryBlock, u: int) -> None:
        self._block = block
        self._u = u
        self._built: tuple[Any, ...] | None = None

    @property
    def block(self) -> CategoryBlock:
        """The block the lines are read from."""
        return self._block

    @property
    def position(self) -> int:
        """The unit's row in the block."""
        return self._u

    def _build(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def _all(self) -> tuple[Any, ...]:
        if self._built is None:
            self._built = self._build()
        return self._built

    def __len__(self) -> int:
        return len(self._all())

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Any, ...]: ...

    def __getitem__(self, index: int | slice) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Lazy | tuple | list):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled (and deep-copied) as the tuple it stands for, not with its category's arrays
        return (tuple, (self._all(),))


class IndicatorLines(_Lazy):
    """A unit's indicator results, kept in its category's arrays until read."""

    __slots__ = ()

    def _build(self) -> tuple[IndicatorResult, ...]:
        block, u = self._block, self._u
        return tuple(block.line(u, j) for j in range(len(block.plan.leaves)))


class DimensionLines(_Lazy):
    """A unit's dimension subtotals, kept in its category's arrays until read."""

    __slots__ = ()

    def _build(self) -> tuple[DimensionResult, ...]:
        block, u = self._block, self._u
        return tuple(block.dimension(u, d) for d in range(len(block.plan.dimensions)))


class Scored:
    """What :func:`score_category` found for one unit on the fast path."""

    __slots__ = ("adjustments", "dimensions", "indicators", "subtotal", "total")

    def __init__(
        self,
        indicators: IndicatorLines,
        dimensions: DimensionLines,
        adjustments: tuple[Adjustment, ...],
        subtotal: Decimal,
        total: Decimal,
    ) -> None:
        self.indicators = indicators
        self.dimensions = dimensions
        self.adjustments = adjustments
        self.subtotal = subtotal
        self.total = total


def _entry_matrix(
    assessment: Assessment,
    units: Sequence[Unit],
    leaves: Sequence[Indicator],
    derived: Mapping[tuple[str, str], Observation],
) -> tuple[list[Entry], Any]:
    """The entries observed, and per unit × leaf which (``no evidence row`` included)."""
    columns = assessment.evidence.columns
    entries: list[Entry] = [*columns.entries, _NO_EVIDENCE]
    missing = len(entries) - 1
    unit_at, leaf_at = columns.unit_positions, columns.indicator_positions
    at_unit = np.array([unit_at.get(u.id, -1) for u in units], dtype=np.int64)
    at_leaf = np.array([leaf_at.get(k.id, -1) for k in leaves], dtype=np.int64)
    rows = np.full((len(units), len(leaves)), -1, dtype=np.int64)  # -1: no evidence row
    if columns.cells.size:
        seen = (at_unit >= 0)[:, None] & (at_leaf >= 0)[None, :]
        found = columns.cells[at_unit.clip(0)[:, None], at_leaf.clip(0)[None, :]]
        rows[seen] = found[seen]
    if len(columns.entry):
        matrix = columns.entry[rows].astype(np.int64)  # row -1 reads the last row's entry,
        matrix[rows < 0] = missing  # put right here
    else:
        matrix = np.full(rows.shape, missing, dtype=np.int64)
    if derived:
        position = {u.id: i for i, u in enumerate(units)}
        leaf_at = {k.id: j for j, k in enumerate(leaves)}
        for (unit_id, indicator_id), observation in derived.items():
            u = position.get(unit_id)
            j = leaf_at.get(indicator_id)
            if u is not None and j is not None:
                matrix[u, j] = len(entries)
                entries.append((observation.value, observation.source, observation.date))
    return entries, matrix


def score_category(
    assessment: Assessment,
    plan: CategoryPlan,
    units: Sequence[Unit],
    scorer: Scorer,
    scale: Fraction,
    exact: Sequence[bool],
    *,
    keep_exact: bool = False,
) -> tuple[CategoryBlock, list[Scored | None]]:
    """Score ``units`` (all of ``plan``'s category) in arrays.

    ``exact[u]`` marks units that must go through the reference path (they
    have adjustment events); the result holds ``None`` for them and for units
    this path hands back (a false-evidence penalty). ``keep_exact`` keeps the
    exact contributions in the block, for :meth:`CategoryBlock.exact_subtotal`.
    """
    leaves = plan.leaves
    n, m = len(units), len(leaves)
    rounding: RoundingPolicy = scorer.rounding  # the indicators'
    levels: RoundingPolicy = scorer.levels
    dim_rounding, total_rounding = levels.level("dimension"), levels.level("total")
    places, mode = rounding.places, rounding.mode
    entries, entry = _entry_matrix(assessment, units, leaves, scorer.derived)
    shared = len(assessment.evidence.columns.entries) + 1  # the same in every category

    # 1. verdicts: once per distinct entry of each leaf (and peer group), numbered leaf by leaf
    verdicts: list[Verdict] = []
    code, first, verdict, bounds = _distinct_per_column(entry, len(entries))
    for j, leaf in enumerate(leaves):
        start, stop = bounds[j], bounds[j + 1]
        if scorer.peers.needed(leaf.id) and scorer.peers.by_category(leaf.id):
            _share_peers(scorer, leaf, units, entries, code[start:stop], verdict[:, j] - start)
        listed = code[start:stop].tolist()
        found = scorer.verdicts(
            leaf,
            [units[i] for i in first[start:stop].tolist()],
            [entries[c][0] for c in listed],
            # an entry of the evidence stands for its value; a derived one is keyed by value
            [c if c < shared else entries[c][0] for c in listed],
        )
        verdicts += found
    verdict_leaf = np.repeat(np.arange(m, dtype=np.int64), np.diff(bounds))

    verdict_active = np.array([v.active for v in verdicts], dtype=bool)
    active = verdict_active[verdict]
    # 1b. dimensions with too few indicators present are not scored: their leaves left out
    dim_reason = np.zeros((n, len(plan.dimensions)), dtype=np.int64)  # 0: scored as usual
    dim_reasons: list[str] = [""]
    if plan.thresholds:
        present = np.array([v.present for v in verdicts], dtype=bool)[verdict]
        short = short_of_data_arrays(plan, present)
        at = {d.id: k for k, (d, _) in enumerate(plan.dimensions)}
        for dimension, (rows, have) in short.items():
            below = np.array(plan.below[dimension], dtype=np.int64)
            active[np.ix_(rows, below)] = False
            of, threshold = len(below), plan.thresholds[dimension]
            for count in np.unique(have[rows]).tolist():
                dim_reasons.append(short_of_data_reason(count, of, threshold))
                dim_reason[rows & (have == count), at[dimension]] = len(dim_reasons) - 1
    penalised: Any = np.array([v.penalty is not None for v in verdicts], dtype=bool)[verdict]
    penalised = penalised.any(axis=1)

    # 2. what each node is worth for each unit, exact: num / den in integer arrays
    rule_num = [0 if not v.points else v.points.numerator for v in verdicts]
    rule_den = [1 if not v.points else v.points.denominator for v in verdicts]
    tops = [scorer.max_of[k.id] for k in leaves]
    ratio_num, ratio_den = ratios(rule_num, rule_den, tops, verdict_leaf)
    most = max(places, dim_rounding.places, total_rounding.places)
    kind = array_kind(plan, scale, ratio_num, ratio_den, most)
    worths = allot_arrays(plan, active, scale, kind)

    # 3. contributions, exact: ratio × worth; shown values rounded in integers
    leaf_num, leaf_den, cell_num, cell_den = contributions(
        plan, worths, ratio_num, ratio_den, verdict, kind
    )
    worth = round_quotient(leaf_num, leaf_den, places, mode)
    points = round_quotient(cell_num, cell_den, places, mode)

    # 4. sums, rounded: exact integers, or bounded floats checked exactly where they cannot decide
    dim_points, subtotal = dimension_sums_arrays(
        plan, points, (cell_num, cell_den), levels, kind is object
    )
    dims = [d.id for d, _ in plan.dimensions]
    dim_places, dim_mode = dim_rounding.places, dim_rounding.mode
    dim_max = stack_columns(
        [round_quotient(worths.num[d], worths.den[d], dim_places, dim_mode) for d in dims], n
    )
    lines = (
        dimension_lines_arrays(plan, points, dim_points, levels) if levels.dimension_lines else None
    )

    block = CategoryBlock(
        plan,
        scorer,
        entries,
        assessment.evidence.columns,
        verdicts,
        verdict_leaf,
        (rule_num, rule_den, verdict_active),
        verdict,
        entry,
        points,
        worth,
        dim_points,
        dim_max,
        (dim_reason, dim_reasons),
        lines,
        (cell_num, cell_den) if keep_exact else None,
    )
    shown_sum = points.sum(axis=1)
    total_places = total_rounding.places
    line_places = max(places, total_places)
    up_total, up_shown = 10 ** (line_places - total_places), 10 ** (line_places - places)
    results: list[Scored | None] = []
    for u in range(n):
        if exact[u] or penalised[u]:
            results.append(None)
            continue
        total = _as_decimal(subtotal[u], total_places)
        difference = int(subtotal[u]) * up_total - int(shown_sum[u]) * up_shown
        line = rounding_line(_as_decimal(difference, line_places), levels)
        adjustments = () if line is None else (line,)
        results.append(
            Scored(IndicatorLines(block, u), DimensionLines(block, u), adjustments, total, total)
        )
    return block, results


def _distinct_per_column(matrix: Any, size: int) -> tuple[Any, Any, Any, list[int]]:
    """Number the distinct values of each column of a ``rows × columns`` matrix of ``0 … size−1``.

    Numbers run column by column, each column's values in ascending order.
    Returns per number its value and the first row holding it, per cell its
    number (a matrix), and where each column's numbers start (and the last
    ends). One sort of the whole matrix: quicker than one per column.
    """
    rows, columns = matrix.shape
    key = (matrix.T + (np.arange(columns, dtype=np.int64) * size)[:, None]).ravel()
    order = np.argsort(key)
    ordered = key[order]
    starts = np.empty(len(key), dtype=bool)
    starts[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    numbered = np.cumsum(starts) - 1
    number = np.empty(len(key), dtype=np.int64)
    number[order] = numbered
    at = np.flatnonzero(starts)
    distinct = ordered[at]
    column = distinct // size
    first = np.minimum.reduceat(order, at) % rows if len(at) else at  # the smallest row
    bounds = np.searchsorted(column, np.arange(columns + 1)).tolist()
    return (
        distinct - column * size,
        first,
        np.ascontiguousarray(number.reshape(columns, rows).T),
        bounds,
    )


def _share_peers(
    scorer: Scorer,
    leaf: Indicator,
    units: Sequence[Unit],
    entries: Sequence[Entry],
    codes: Any,
    inverse: Any,
) -> None:
    """Give the scorer the peer group of ``leaf`` in this category, read from the columns.

    The group is known by its counts (entry ``codes[k]`` is held by the units
    where the 1-D ``inverse`` is ``k``); its unit → value mapping is built if read.
    """
    values = [entries[c][0] for c in codes.tolist()]
    held = np.bincount(inverse, minlength=len(values)).tolist()
    counts: dict[ObservedValue, int] = {}
    for value, times in zip(values, held, strict=True):
        if not isinstance(value, STATES):
            counts[value] = counts.get(value, 0) + times

    def mapping() -> dict[str, ObservedValue]:
        per_unit = [values[i] for i in inverse.tolist()]
        return {
            unit.id: value
            for unit, value in zip(units, per_unit, strict=True)
            if not isinstance(value, STATES)
        }

    group = PeerGroup.counted(counts, mapping)
    scorer.peers.share(leaf.id, units[0].category if units else "", group)
