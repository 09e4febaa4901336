"""Scoring a whole category at once: each distinct value judged once, the arithmetic in arrays.

The per-unit path in :mod:`rulelaw.engine.evaluate` is the reference; this
module gives the same results for many units quickly, and gives a unit back
to the reference path whenever it cannot be sure:

1. *Verdicts.* Evidence is in columns (:class:`~rulelaw.EvidenceColumns`):
   for each indicator, each distinct entry is judged once (a rule that reads
   its peers, once per entry and peer group).
2. *Weights.* Which indicators are live is a boolean matrix; each node's
   live weight sum and each unit's allotment follow level by level. Weights
   are made whole numbers by a common denominator, so a node's worth is an
   exact fraction ``Num / Den`` held as two integer arrays.
3. *Points.* An indicator's contribution is ``points × worth / max``, again an
   exact fraction of integers; its declared rounding is done in integers, so
   every shown point is exact. Integers that could overflow 64 bits are kept
   as Python integers (slower, still exact).
4. *Sums.* Dimension subtotals and the total are summed as floating-point
   numbers *with a proven error bound*: when the whole interval rounds to one
   value, that value is the exact rounding; when it does not (the sum lies
   on a rounding boundary), that sum is recomputed exactly with fractions.
   A float never decides a shown value.

Units with adjustment events or with a false-evidence penalty go through
the reference path whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from math import gcd, lcm
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from rulelaw.engine.adjust import rounding_adjustment
from rulelaw.engine.results import Adjustment, DimensionResult, IndicatorResult
from rulelaw.model import NotSubmitted, RoundingMode, RoundingPolicy
from rulelaw.model._numbers import count_of, round_quotient, scaled
from rulelaw.model.evidence import STATES, Entry, ObservedValue
from rulelaw.rules._protocol import PeerGroup

if TYPE_CHECKING:
    from rulelaw.engine.evaluate import _CategoryPlan, _Scorer, _Verdict
    from rulelaw.model import Assessment, EvidenceColumns, Indicator, Observation, Unit

__all__ = ["CategoryBlock", "score_category"]

_INT64_SAFE = 1 << 61
_NO_EVIDENCE: Entry = (NotSubmitted(reason="no evidence row"), "", None)
_HALF = (RoundingMode.HALF_UP, RoundingMode.HALF_EVEN, RoundingMode.HALF_DOWN)


def _div_round(num: Any, den: Any, places: int, mode: RoundingMode) -> Any:
    """``num / den`` rounded to ``places`` as integer counts of ``10**-places`` (arrays, num >= 0).

    The one rounding (:func:`~rulelaw.model._numbers.round_quotient`), on a whole matrix.
    """
    return round_quotient(num, den, places, mode)


def _round_bounded(value: Any, terms: int, places: int, mode: RoundingMode) -> tuple[Any, Any]:
    """Round non-negative float sums of ``terms`` exact-ish terms; also say where it is certain.

    Each term came from one float division of exact integers (relative error
    at most 3 units in the last place, 2**-53 each) and the sum adds at most
    ``terms - 1`` more in whatever order they are added (adding an exact
    zero adds nothing); the bound below is four times that. The rounding of
    the whole interval ``value ± bound`` is one integer exactly where the
    true sum's rounding is that integer.
    """
    bound = value * (4 * (terms + 4) * 2.0**-53)
    scale = 10.0**places
    lo = (value - bound) * scale
    hi = (value + bound) * scale
    if mode in _HALF:
        low, high = np.floor(lo + 0.5), np.floor(hi + 0.5)
    elif mode in (RoundingMode.UP, RoundingMode.CEILING):
        low, high = np.ceil(lo), np.ceil(hi)
    else:
        low, high = np.floor(lo), np.floor(hi)
    return low.astype(np.int64), low == high


def _exact_sum(numerators: Sequence[int], denominators: Sequence[int]) -> Fraction:
    """The exact sum of the fractions ``numerators[i] / denominators[i]`` (denominators > 0).

    Added over a common denominator in plain integers: one ``gcd`` a term,
    where adding ``Fraction`` values would normalise every partial sum.
    """
    total, common = 0, 1
    for numerator, denominator in zip(numerators, denominators, strict=True):
        if numerator:
            joint = common // gcd(common, denominator) * denominator
            total = total * (joint // common) + numerator * (joint // denominator)
            common = joint
    return Fraction(total, common)


def _stack(columns: list[Any], rows: int) -> Any:
    """Per-unit arrays side by side as a matrix's columns (``rows × 0`` when there are none)."""
    return np.stack(columns, axis=1) if columns else np.zeros((rows, 0), dtype=np.int64)


def _as_decimal(count: int, places: int) -> Decimal:
    return scaled(int(count), places)


class CategoryBlock:
    """The scored units of one category, in arrays; each unit's lines are built when read.

    ``verdict[u, j]`` is the index (into ``verdicts``, each of the leaf at
    position ``verdict_leaf[v]``) of what leaf ``j``'s value came to for unit ``u``;
    ``entry[u, j]`` the entry observed;
    ``points``, ``worth`` (per leaf) and ``dim_points``, ``dim_max`` (per
    dimension) the shown values as integer counts of ``10**-places``;
    ``verdict_points`` holds, per verdict ``v``, its own points as
    ``rule_num[v] / rule_den[v]`` (0 when it scores none) and ``active[v]``
    whether it counts (else its points are ``None``).
    """

    def __init__(
        self,
        plan: _CategoryPlan,
        scorer: _Scorer,
        entries: Sequence[Entry],
        columns: EvidenceColumns,
        verdicts: Sequence[_Verdict],
        verdict_leaf: Any,
        verdict_points: tuple[list[int], list[int], Any],
        verdict: Any,
        entry: Any,
        points: Any,
        worth: Any,
        dim_points: Any,
        dim_max: Any,
    ) -> None:
        self.plan = plan
        self.rules = scorer.rules
        self.rounding = scorer.rounding
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
        places = self.rounding.places
        return DimensionResult(
            dimension=dimension.id,
            title=dimension.title,
            level=depth,
            points=_as_decimal(self.dim_points[u, d], places),
            max=_as_decimal(self.dim_max[u, d], places),
        )


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
    plan: _CategoryPlan,
    units: Sequence[Unit],
    scorer: _Scorer,
    scale: Fraction,
    exact: Sequence[bool],
) -> tuple[CategoryBlock, list[Scored | None]]:
    """Score ``units`` (all of ``plan``'s category) in arrays.

    ``exact[u]`` marks units that must go through the reference path (they
    have adjustment events); the result holds ``None`` for them and for units
    this path hands back (a false-evidence penalty).
    """
    leaves = plan.leaves
    n, m = len(units), len(leaves)
    rounding: RoundingPolicy = scorer.rounding
    places, mode = rounding.places, rounding.mode
    entries, entry = _entry_matrix(assessment, units, leaves, scorer.derived)
    shared = len(assessment.evidence.columns.entries) + 1  # the same in every category

    # 1. verdicts: once per distinct entry of each leaf (and peer group), numbered leaf by leaf
    verdicts: list[_Verdict] = []
    code, first, verdict, bounds = _distinct_per_column(entry, len(entries))
    for j, leaf in enumerate(leaves):
        start, stop = bounds[j], bounds[j + 1]
        if scorer.peers.needed(leaf.id):
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
    penalised: Any = np.array([v.penalty is not None for v in verdicts], dtype=bool)[verdict]
    penalised = penalised.any(axis=1)

    # 2. weights as whole numbers; live nodes and each parent's live weight sum
    common = lcm(*(w.denominator for w in plan.weight.values())) if plan.weight else 1
    whole = {k: int(w * common) for k, w in plan.weight.items()}
    live: dict[str, Any] = {leaf.id: active[:, j] for j, leaf in enumerate(leaves)}
    for dimension, _ in reversed(plan.dimensions):  # children before parents
        live[dimension.id] = np.logical_or.reduce([live[k] for k in plan.children[dimension.id]])
    parent_of: dict[str, str | None] = {}
    for node, kids in plan.children.items():
        for kid in kids:
            parent_of[kid] = node
    # bound the integers first: int64 when nothing can overflow, Python ints otherwise
    order = [d.id for d, _ in plan.dimensions] + [leaf.id for leaf in leaves]  # parents first
    num_bound: dict[str | None, int] = {None: scale.numerator}
    den_bound: dict[str | None, int] = {None: scale.denominator}
    siblings = {node: max(1, sum(whole[k] for k in kids)) for node, kids in plan.children.items()}
    for node in order:
        parent = parent_of.get(node)
        num_bound[node] = num_bound[parent] * whole[node]
        den_bound[node] = den_bound[parent] * siblings[parent]
    rule_num = [0 if not v.points else v.points.numerator for v in verdicts]
    rule_den = [1 if not v.points else v.points.denominator for v in verdicts]
    tops = [scorer.max_of[k.id] for k in leaves]
    ratio_num, ratio_den = _ratios(rule_num, rule_den, tops, verdict_leaf)
    big = (
        _largest(ratio_num, 0) * max(num_bound.values()) * 10**places * 2 >= _INT64_SAFE
        or _largest(ratio_den, 1) * max(den_bound.values()) * 2 >= _INT64_SAFE
    )
    dtype: Any = object if big else np.int64

    def ints(values: Any) -> Any:
        return np.asarray(values, dtype=dtype)

    live_sum: dict[str | None, Any] = {}
    for node, kids in plan.children.items():
        weight_sum = np.zeros(n, dtype=np.int64)
        for kid in kids:
            weight_sum = weight_sum + live[kid] * whole[kid]
        live_sum[node] = ints(weight_sum)
    # each node's worth = num / den, exact, top-down
    num: dict[str, Any] = {}
    den: dict[str, Any] = {}
    for node in order:
        parent = parent_of.get(node)
        parent_num = num[parent] if parent is not None else ints(np.full(n, scale.numerator))
        parent_den = den[parent] if parent is not None else ints(np.full(n, scale.denominator))
        base = live_sum[parent]
        alive = live[node] & (base > 0)
        num[node] = np.where(alive, parent_num * whole[node], 0)
        den[node] = np.where(alive, parent_den * np.where(base > 0, base, 1), 1)

    # 3. contributions, exact: ratio × worth; shown values rounded in integers
    leaf_num = _stack([num[leaf.id] for leaf in leaves], n)
    leaf_den = _stack([den[leaf.id] for leaf in leaves], n)
    cell_num = leaf_num * ints(ratio_num)[verdict]
    cell_den = leaf_den * ints(ratio_den)[verdict]
    worth = _div_round(leaf_num, leaf_den, places, mode)
    points = _div_round(cell_num, cell_den, places, mode)

    # 4. sums: exact integers when each indicator is rounded first, else bounded floats
    leaf_index = {leaf.id: j for j, leaf in enumerate(leaves)}
    below: dict[str, list[int]] = {}
    for dimension, _ in reversed(plan.dimensions):
        below[dimension.id] = [
            i
            for kid in plan.children[dimension.id]
            for i in ([leaf_index[kid]] if kid in leaf_index else below[kid])
        ]
    everything = list(range(m))
    dims = [d.id for d, _ in plan.dimensions]
    if rounding.indicators:  # each indicator rounded first: the sums are exact integers
        sums = _tree_sums(points, plan, leaf_index)
        dim_points = _stack([sums[d] for d in dims], n)
        subtotal = points.sum(axis=1)
    else:  # bounded floats (exact sums for integers past int64, which floats may not hold)

        def rounded(sums: Any, columns: list[int]) -> Any:
            if big:
                value, certain = np.zeros(n, dtype=object), np.zeros(n, dtype=bool)
            else:
                value, certain = _round_bounded(sums, len(columns), places, mode)
            rows = np.flatnonzero(~certain)
            if len(rows):  # on or near a rounding boundary: added exactly
                cells = np.ix_(rows, np.array(columns, dtype=np.int64))
                nums, dens = cell_num[cells].tolist(), cell_den[cells].tolist()
                for u, row_nums, row_dens in zip(rows.tolist(), nums, dens, strict=True):
                    exact_sum = _exact_sum(row_nums, row_dens)
                    value[u] = count_of(rounding.apply(exact_sum), places)
            return value

        approx = (
            np.zeros(cell_num.shape) if big else cell_num.astype(float) / cell_den.astype(float)
        )
        sums = _tree_sums(approx, plan, leaf_index)
        dim_points = _stack([rounded(sums[d], below[d]) for d in dims], n)
        subtotal = rounded(approx.sum(axis=1), everything)
    dim_max = _stack([_div_round(num[d], den[d], places, mode) for d in dims], n)

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
    )
    shown_sum = points.sum(axis=1)
    results: list[Scored | None] = []
    for u in range(n):
        if exact[u] or penalised[u]:
            results.append(None)
            continue
        total = _as_decimal(subtotal[u], places)
        difference = int(subtotal[u]) - int(shown_sum[u])
        adjustments = (
            (rounding_adjustment(_as_decimal(difference, places), rounding),) if difference else ()
        )
        results.append(
            Scored(IndicatorLines(block, u), DimensionLines(block, u), adjustments, total, total)
        )
    return block, results


def _tree_sums(values: Any, plan: _CategoryPlan, leaf_index: Mapping[str, int]) -> dict[str, Any]:
    """Per dimension, the row sums of the columns of its leaves (``values``: rows × leaves).

    Each dimension's own leaves are added in one ``reduceat`` over the
    columns grouped by dimension, then each dimension's subdimensions'
    sums, children before parents. (Floats are then a sum of its leaves in
    some order: what :func:`_round_bounded` allows for.)
    """
    grouped: list[int] = []
    own: dict[str, tuple[int, int]] = {}
    for dimension, _ in plan.dimensions:
        kids = [leaf_index[k] for k in plan.children[dimension.id] if k in leaf_index]
        own[dimension.id] = (len(grouped), len(grouped) + len(kids))
        grouped += kids
    starts = sorted({start for start, stop in own.values() if stop > start})
    added: Any = np.add.reduceat(values[:, grouped], starts, axis=1) if starts else None
    column = {start: i for i, start in enumerate(starts)}
    sums: dict[str, Any] = {}
    for dimension, _ in reversed(plan.dimensions):  # children before parents
        start, stop = own[dimension.id]
        total = added[:, column[start]] if stop > start else np.zeros(len(values), values.dtype)
        for kid in plan.children[dimension.id]:
            if kid in sums:
                total = total + sums[kid]
        sums[dimension.id] = total
    return sums


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


def _largest(values: Any, default: int) -> int:
    """The largest of an integer array or list (``default`` when empty)."""
    if isinstance(values, np.ndarray):
        return int(values.max()) if values.size else default
    return max(values, default=default)


def _ratios(
    nums: Sequence[int], dens: Sequence[int], tops: Sequence[Fraction], verdict_leaf: Any
) -> tuple[Any, Any]:
    """Each verdict's points over its rule's max, in lowest terms: numerators, denominators.

    Verdict ``v`` scores ``nums[v] / dens[v]`` on leaf ``verdict_leaf[v]``,
    whose rule's max is ``tops[j]``. In integer arrays when the products fit
    64 bits, else Python integers.
    """
    leaf_num = [t.numerator for t in tops]
    leaf_den = [t.denominator for t in tops]
    of_leaf = verdict_leaf.tolist()
    top_num = [leaf_num[j] for j in of_leaf]
    top_den = [leaf_den[j] for j in of_leaf]
    limit = 1 << 62
    if (
        max(nums, default=0) * max(top_den, default=1) < limit
        and max(dens, default=1) * max(top_num, default=1) < limit
        and min(nums, default=0) >= 0
    ):
        above: Any = np.array(nums, dtype=np.int64) * np.array(top_den, dtype=np.int64)
        below: Any = np.array(dens, dtype=np.int64) * np.array(top_num, dtype=np.int64)
        common: Any = np.gcd(above, below)  # >= 1: below >= 1
        return above // common, below // common
    ratio_num, ratio_den = [0] * len(nums), [1] * len(nums)
    for v, (n, d, tn, td) in enumerate(zip(nums, dens, top_num, top_den, strict=True)):
        if n:
            over, under = n * td, d * tn
            factor = gcd(over, under)
            ratio_num[v], ratio_den[v] = over // factor, under // factor
    return ratio_num, ratio_den


def _share_peers(
    scorer: _Scorer,
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
