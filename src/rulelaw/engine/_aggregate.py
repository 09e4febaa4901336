"""The one aggregation: from each indicator's points to dimension subtotals and the total.

Each step is written here twice, side by side, and nowhere else: once for one
unit in exact fractions (the reference, an executable specification) and once
for a whole category in integer arrays (for speed). Both read the same
:class:`~rulelaw.engine._plan.CategoryPlan`, round with the same
:func:`~rulelaw.model.round_quotient`, and end in the same rounding line;
``rulelaw.testing.check_paths_agree`` proves them equal on any assessment.

0. *The data threshold.* A dimension with a threshold (COINr's
   ``dat_thresh``) and fewer than that share of the leaves under it present
   for a unit — scored, or evidence marked false; not not-applicable, not
   missing — is not scored for that unit: its leaves are taken out as if
   not applicable, so its weight goes to its live siblings.
1. *Allotment.* The scheme's scale is shared out over the tree: each node
   gets its weight's share of its parent's worth among its *live* siblings
   (a leaf is live when it is scored; not-applicable leaves, and dimensions
   with no live leaf, are left out and their siblings' shares grow), so each
   parent keeps its worth. Arrays: the worth of a node is an exact fraction
   ``num / den`` of two integer arrays, weights made whole by a common
   denominator.
2. *Contributions.* A leaf adds ``points / max × worth``; with
   ``rounding.indicators`` each is rounded first.
3. *Sums.* Dimension subtotals and the subtotal add their leaves' exact
   contributions. Arrays: as floating-point numbers *with a proven error
   bound*; where the whole interval rounds to one value that value is the
   exact rounding, and where it does not (a sum on a rounding boundary) the
   sum is added exactly. A float never decides a shown value.
4. *The rounding line.* Shown points are rounded; the difference between the
   rounded total and the sum of the shown parts is a line of its own, so
   every unit's explanation adds up to its total. With ``dimension_lines``,
   each dimension gets one too: its shown subtotal less its shown parts.

Each level rounds as the scheme declares for it
(:meth:`~rulelaw.model.RoundingPolicy.level`): indicators, dimensions and
the total may each have their own places and mode.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from math import gcd
from typing import Any

import numpy as np

from rulelaw.engine._plan import CategoryPlan
from rulelaw.engine._results import Adjustment
from rulelaw.messages import Message
from rulelaw.model import (
    EXACT,
    RoundingMode,
    RoundingPolicy,
    count_of,
    exact_sum,
    round_quotient,
    scaled,
)

__all__ = [
    "INT64_SAFE",
    "Worths",
    "allot",
    "allot_arrays",
    "array_kind",
    "contribution",
    "contributions",
    "dimension_line",
    "dimension_lines_arrays",
    "dimension_lines_of",
    "dimension_sums",
    "dimension_sums_arrays",
    "exact_fraction_sum",
    "ratios",
    "rescale",
    "round_bounded",
    "rounding_line",
    "rounding_line_of",
    "short_of_data",
    "short_of_data_arrays",
    "short_of_data_reason",
    "stack_columns",
    "tree_sums",
]

#: Integers below this (in absolute value) are safe to multiply in int64 twice over.
INT64_SAFE = 1 << 61
_HALF = (RoundingMode.HALF_UP, RoundingMode.HALF_EVEN, RoundingMode.HALF_DOWN)
_ZERO = Fraction(0)


# -- 0. the data threshold --------------------------------------------------------------


def _short(have: Any, of: int, threshold: Decimal) -> Any:
    """Whether ``have`` of ``of`` present leaves fall short of ``threshold`` per cent (exact)."""
    limit = Fraction(threshold)
    return have * 100 * limit.denominator < limit.numerator * of


def short_of_data(plan: CategoryPlan, present: frozenset[str]) -> dict[str, tuple[int, int]]:
    """The dimensions not scored for one unit whose ``present`` leaves are these: (have, of)."""
    found: dict[str, tuple[int, int]] = {}
    leaves = plan.leaves
    for dimension, threshold in plan.thresholds.items():
        below = plan.below[dimension]
        have = sum(1 for j in below if leaves[j].id in present)
        if _short(have, len(below), threshold):
            found[dimension] = (have, len(below))
    return found


def short_of_data_arrays(plan: CategoryPlan, present: Any) -> dict[str, tuple[Any, Any]]:
    """Per dimension with a threshold: which units it is not scored for, and their present counts.

    ``present[u, j]`` says leaf ``j`` is present for unit ``u``.
    """
    found: dict[str, tuple[Any, Any]] = {}
    for dimension, threshold in plan.thresholds.items():
        below = plan.below[dimension]
        have = present[:, list(below)].sum(axis=1)
        short = _short(have, len(below), threshold)
        if short.any():
            found[dimension] = (short, have)
    return found


@functools.lru_cache(maxsize=256)
def short_of_data_reason(have: int, of: int, threshold: Decimal) -> Message:
    """Why a dimension is not scored: ``have`` of ``of`` indicators present, below ``threshold``."""
    return Message.of("dimension.short-of-data", present=have, indicators=of, threshold=threshold)


# -- 1. allotment -----------------------------------------------------------------------


def allot(plan: CategoryPlan, active: frozenset[str], scale: Fraction) -> dict[str, Fraction]:
    """What each node is worth for one unit whose live leaves are ``active`` (exact)."""
    live = set(active)
    for dimension, _ in reversed(plan.dimensions):  # children before parents
        if any(k in live for k in plan.children[dimension.id]):
            live.add(dimension.id)
    effective: dict[str, Fraction] = {}

    def share(node: str | None, budget: Fraction) -> None:
        kids = [k for k in plan.children.get(node, ()) if k in live]
        base = sum((plan.weight[k] for k in kids), Fraction(0))
        for kid in kids:
            worth = budget * plan.weight[kid] / base if base else Fraction(0)
            effective[kid] = worth
            if kid in plan.children:
                share(kid, worth)

    share(None, scale)
    return effective


class Worths:
    """What each node is worth for every unit of a category: ``num[node] / den[node]`` (arrays)."""

    def __init__(self, num: dict[str, Any], den: dict[str, Any]) -> None:
        self.num = num
        self.den = den


def array_kind(
    plan: CategoryPlan, scale: Fraction, ratio_num: Any, ratio_den: Any, places: int
) -> Any:
    """``np.int64`` when no product the arrays form can overflow it, else ``object``.

    Bounds every node's worth numerator and denominator top-down, then the
    contributions (worth × a verdict's ratio) and their rounding (× 10**places).
    """
    whole, sums = plan.whole, plan.whole_sums
    num_bound: dict[str | None, int] = {None: scale.numerator}
    den_bound: dict[str | None, int] = {None: scale.denominator}
    parent_of = plan.parent_of
    for node in plan.top_down:
        parent = parent_of.get(node)
        num_bound[node] = num_bound[parent] * whole[node]
        den_bound[node] = den_bound[parent] * sums[parent]
    big = (
        _largest(ratio_num, 0) * max(num_bound.values()) * 10**places * 2 >= INT64_SAFE
        or _largest(ratio_den, 1) * max(den_bound.values()) * 2 >= INT64_SAFE
    )
    return object if big else np.int64


def allot_arrays(plan: CategoryPlan, active: Any, scale: Fraction, kind: Any) -> Worths:
    """What each node is worth for every unit, ``active[u, j]`` saying leaf ``j`` is live.

    Exact: each worth is ``num / den`` in integer arrays of ``kind``
    (:func:`array_kind`).
    """
    n = len(active)
    whole = plan.whole
    live: dict[str, Any] = {leaf.id: active[:, j] for j, leaf in enumerate(plan.leaves)}
    for dimension, _ in reversed(plan.dimensions):  # children before parents
        live[dimension.id] = np.logical_or.reduce([live[k] for k in plan.children[dimension.id]])
    live_sum: dict[str | None, Any] = {}
    for node, kids in plan.children.items():
        weight_sum = np.zeros(n, dtype=kind)
        for kid in kids:
            weight_sum = weight_sum + live[kid].astype(kind) * whole[kid]
        live_sum[node] = weight_sum
    num: dict[str, Any] = {}
    den: dict[str, Any] = {}
    top_num = np.full(n, scale.numerator, dtype=kind)
    top_den = np.full(n, scale.denominator, dtype=kind)
    for node in plan.top_down:  # parents first
        parent = plan.parent_of.get(node)
        parent_num = num[parent] if parent is not None else top_num
        parent_den = den[parent] if parent is not None else top_den
        base = live_sum[parent]
        alive = live[node] & (base > 0)
        num[node] = np.where(alive, parent_num * whole[node], 0).astype(kind)
        den[node] = np.where(alive, parent_den * np.where(base > 0, base, 1), 1).astype(kind)
    return Worths(num, den)


# -- 2. contributions -------------------------------------------------------------------


def contribution(
    points: Fraction | None, worth: Fraction, top: Fraction, rounding: RoundingPolicy
) -> Fraction:
    """What a leaf adds for one unit: ``points / top × worth`` (rounded first if declared)."""
    added = points * worth / top if points and worth else _ZERO
    return Fraction(rounding.apply(added)) if rounding.indicators else added


def ratios(
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


def contributions(
    plan: CategoryPlan, worths: Worths, ratio_num: Any, ratio_den: Any, verdict: Any, kind: Any
) -> tuple[Any, Any, Any, Any]:
    """Every unit's leaves' worths and contributions, exact, as matrices of units × leaves.

    Returns ``(leaf_num, leaf_den, cell_num, cell_den)``: leaf ``j`` is worth
    ``leaf_num / leaf_den`` to unit ``u`` and adds ``cell_num / cell_den``,
    verdict ``verdict[u, j]`` having scored it.
    """
    n = len(verdict)
    leaf_num = stack_columns([worths.num[leaf.id] for leaf in plan.leaves], n)
    leaf_den = stack_columns([worths.den[leaf.id] for leaf in plan.leaves], n)
    cell_num = leaf_num * np.asarray(ratio_num, dtype=kind)[verdict]
    cell_den = leaf_den * np.asarray(ratio_den, dtype=kind)[verdict]
    return leaf_num, leaf_den, cell_num, cell_den


# -- 3. sums ----------------------------------------------------------------------------


def dimension_sums(plan: CategoryPlan, added: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Each dimension's exact subtotal for one unit, from what its leaves added."""
    sums: dict[str, Fraction] = {}
    for dimension, _ in reversed(plan.dimensions):  # children before parents
        sums[dimension.id] = sum(
            (sums[k] if k in sums else added.get(k, _ZERO) for k in plan.children[dimension.id]),
            _ZERO,
        )
    return sums


def dimension_sums_arrays(
    plan: CategoryPlan,
    points: Any,
    cells: tuple[Any, Any],
    rounding: RoundingPolicy,
    big: bool,
) -> tuple[Any, Any]:
    """Every unit's dimension subtotals and subtotal, rounded, as counts of ``10**-places``.

    ``rounding`` is the scheme's: the subtotals are counted in the
    dimensions' places, the subtotal in the total's, ``points`` (the leaves'
    rounded contributions) in the indicators'; ``cells`` are the leaves'
    exact contributions (numerators, denominators). Exact integers when each
    indicator is rounded first; else bounded floats, added exactly where a
    float cannot decide (and throughout when ``big``: floats may not hold
    the integers).
    """
    n = len(points)
    leaf, dim, top = (rounding.level(k) for k in ("indicator", "dimension", "total"))
    dims = [d.id for d, _ in plan.dimensions]
    if rounding.indicators:  # each indicator rounded first: the sums are exact integers
        sums = tree_sums(points, plan)
        return (
            stack_columns([rescale(sums[d], leaf.places, dim) for d in dims], n),
            rescale(points.sum(axis=1), leaf.places, top),
        )
    cell_num, cell_den = cells

    def rounded(approx: Any, columns: Sequence[int], policy: RoundingPolicy) -> Any:
        places, mode = policy.places, policy.mode
        if big:
            value, certain = np.zeros(n, dtype=object), np.zeros(n, dtype=bool)
        else:
            value, certain = round_bounded(approx, len(columns), places, mode)
        rows = np.flatnonzero(~certain)
        if len(rows):  # on or near a rounding boundary: added exactly
            at = np.ix_(rows, np.array(columns, dtype=np.int64))
            nums, dens = cell_num[at].tolist(), cell_den[at].tolist()
            for u, row_nums, row_dens in zip(rows.tolist(), nums, dens, strict=True):
                exact = exact_fraction_sum(row_nums, row_dens)
                value[u] = count_of(policy.apply(exact), places)
        return value

    approx = np.zeros(cell_num.shape) if big else cell_num.astype(float) / cell_den.astype(float)
    sums = tree_sums(approx, plan)
    dim_points = stack_columns([rounded(sums[d], plan.below[d], dim) for d in dims], n)
    return dim_points, rounded(approx.sum(axis=1), range(len(plan.leaves)), top)


def rescale(counts: Any, places: int, rounding: RoundingPolicy) -> Any:
    """Counts of ``10**-places`` (non-negative) as counts of ``10**-rounding.places``, rounded.

    To more places: exact (Python integers where int64 might not hold them);
    to fewer: rounded as ``rounding`` says.
    """
    if rounding.places == places:
        return counts
    if rounding.places < places:
        return round_quotient(counts, 10 ** (places - rounding.places), 0, rounding.mode)
    factor = 10 ** (rounding.places - places)
    if (
        isinstance(counts, np.ndarray)
        and counts.dtype != object
        and counts.size
        and int(np.abs(counts).max()) * factor >= INT64_SAFE
    ):
        counts = counts.astype(object)
    return counts * factor


def tree_sums(values: Any, plan: CategoryPlan) -> dict[str, Any]:
    """Per dimension, the row sums of the columns of its leaves (``values``: rows × leaves).

    Each dimension's own leaves are added in one ``reduceat`` over the
    columns grouped by dimension, then each dimension's subdimensions'
    sums, children before parents. (Floats are then a sum of its leaves in
    some order: what :func:`round_bounded` allows for.)
    """
    index = plan.leaf_index
    grouped: list[int] = []
    own: dict[str, tuple[int, int]] = {}
    for dimension, _ in plan.dimensions:
        kids = [index[k] for k in plan.children[dimension.id] if k in index]
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


def round_bounded(value: Any, terms: int, places: int, mode: RoundingMode) -> tuple[Any, Any]:
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


def exact_fraction_sum(numerators: Sequence[int], denominators: Sequence[int]) -> Fraction:
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


# -- 4. the rounding lines --------------------------------------------------------------


def rounding_line_of(
    total: Decimal, shown: Iterable[Decimal], rounding: RoundingPolicy
) -> Adjustment | None:
    """The line that makes the shown parts add up to the rounded total, if they do not.

    ``rounding`` is the scheme's (its indicators' and total's levels name the line's reason).
    """
    return rounding_line(EXACT.subtract(total, exact_sum(shown)), rounding)


def rounding_line(difference: Decimal, rounding: RoundingPolicy) -> Adjustment | None:
    """The ``rounding`` line for a ``difference`` between the total and its shown parts."""
    if not difference:
        return None
    leaf, top = rounding.level("indicator"), rounding.level("total")
    return Adjustment(
        kind="rounding",
        item="rounding",
        points=difference,
        reason=_rounding_reason(leaf.places, leaf.mode, top.places, top.mode),
    )


@functools.lru_cache(maxsize=64)
def _rounding_reason(
    places: int, mode: RoundingMode, total: int, total_mode: RoundingMode
) -> Message:
    """The rounding line's reason: one message per policy, shared by every unit's line."""
    if (places, mode) == (total, total_mode):
        return Message.of("rounding.line", places=places, mode=_mode(mode))
    return Message.of(
        "rounding.line-levels",
        places=places,
        mode=_mode(mode),
        total_places=total,
        total_mode=_mode(total_mode),
    )


def _mode(mode: RoundingMode) -> Message:
    return Message.of(f"rounding.{mode.value}")


def dimension_line(
    dimension: str, difference: Decimal, rounding: RoundingPolicy
) -> Adjustment | None:
    """A dimension's ``rounding`` line: its shown subtotal less its shown parts, if not 0.

    The line is written at the finer of the indicators' and the dimensions'
    places, whatever its parts are (leaves or subdimensions), as
    :func:`dimension_lines_arrays` counts it: ``-0.010`` at 3 and 2 places.
    """
    if not difference:
        return None
    dim = rounding.level("dimension")
    places = max(rounding.level("indicator").places, dim.places)
    return Adjustment(
        kind="rounding",
        item=dimension,
        points=difference.quantize(scaled(1, places), context=EXACT),
        reason=_dimension_reason(dim.places, dim.mode),
    )


@functools.lru_cache(maxsize=64)
def _dimension_reason(places: int, mode: RoundingMode) -> Message:
    """A dimension's rounding line's reason: one message per policy."""
    return Message.of("rounding.dimension-line", places=places, mode=_mode(mode))


def dimension_lines_of(
    plan: CategoryPlan,
    points: Mapping[str, Decimal],
    subtotals: Mapping[str, Decimal],
    rounding: RoundingPolicy,
) -> dict[str, Adjustment | None]:
    """Per dimension (with ``dimension_lines``), the line making its shown parts add up to it.

    ``points`` are the leaves' shown points, ``subtotals`` the dimensions'.
    """
    return {
        d.id: dimension_line(
            d.id,
            EXACT.subtract(
                subtotals[d.id],
                exact_sum(
                    subtotals[k] if k in subtotals else points[k] for k in plan.children[d.id]
                ),
            ),
            rounding,
        )
        for d, _ in plan.dimensions
    }


def dimension_lines_arrays(
    plan: CategoryPlan, points: Any, dim_points: Any, rounding: RoundingPolicy
) -> tuple[Any, int]:
    """Every unit's dimension lines as counts of ``10**-places``, and ``places``.

    ``points`` (units × leaves, in the indicators' places) and ``dim_points``
    (units × dimensions, in the dimensions') are the shown values; the lines
    are counted in the finer of the two places.
    """
    leaf, dim = rounding.level("indicator"), rounding.level("dimension")
    places = max(leaf.places, dim.places)
    finer = RoundingPolicy(places=places)
    leaves = rescale(points, leaf.places, finer)
    subtotals = rescale(dim_points, dim.places, finer)
    index = plan.leaf_index
    column = {d.id: c for c, (d, _) in enumerate(plan.dimensions)}
    lines = []
    for d, _ in plan.dimensions:
        line = subtotals[:, column[d.id]]
        for kid in plan.children[d.id]:
            part = leaves[:, index[kid]] if kid in index else subtotals[:, column[kid]]
            line = line - part
        lines.append(line)
    return stack_columns(lines, len(points)), places


def stack_columns(columns: list[Any], rows: int) -> Any:
    """Per-unit arrays side by side as a matrix's columns (``rows × 0`` when there are none)."""
    return np.stack(columns, axis=1) if columns else np.zeros((rows, 0), dtype=np.int64)


def _largest(values: Any, default: int) -> int:
    """The largest of an integer array or list (``default`` when empty)."""
    if isinstance(values, np.ndarray):
        return int(values.max()) if values.size else default
    return max(values, default=default)
