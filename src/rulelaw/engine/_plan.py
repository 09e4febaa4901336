"""The plan of one category: the part of the indicator tree it is scored on, and its weights.

Both ways of scoring (the per-unit reference and the arrays,
:mod:`rulelaw.engine._aggregate`) read the tree from here: which leaves and
dimensions apply, each node's children, the order parents before children,
each node's declared weight (exact, and as whole numbers over one common
denominator for the arrays).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from math import lcm

import attrs

from rulelaw.model import Category, Dimension, Indicator, Scheme

__all__ = ["CategoryPlan", "plan_category"]


@attrs.frozen
class CategoryPlan:
    """The part of the indicator tree one category is scored on, with its weights.

    ``dimensions`` holds each dimension that has a leaf of the category below
    it, with its depth (1 at the top), parents before children;
    ``children[node]`` the live children of a node (``None``: the root);
    ``weight`` each node's declared weight (a dimension without one: the sum
    of its children's); ``shown_weight`` each leaf's weight as declared;
    ``thresholds`` each dimension's data threshold in per cent (its own, else
    the scheme's ``scoring.data_threshold``; dimensions without one left out).
    """

    category: Category
    leaves: tuple[Indicator, ...]
    dimensions: tuple[tuple[Dimension, int], ...]
    children: Mapping[str | None, tuple[str, ...]]
    weight: Mapping[str, Fraction]
    shown_weight: Mapping[str, Decimal]
    thresholds: Mapping[str, Decimal] = attrs.field(factory=dict)

    @cached_property
    def leaf_index(self) -> Mapping[str, int]:
        """Each leaf's position in :attr:`leaves`."""
        return {leaf.id: j for j, leaf in enumerate(self.leaves)}

    @cached_property
    def parent_of(self) -> Mapping[str, str | None]:
        """Each node's parent (``None`` at the top)."""
        return {kid: node for node, kids in self.children.items() for kid in kids}

    @cached_property
    def top_down(self) -> tuple[str, ...]:
        """Every node, each after its parent: the dimensions, then the leaves."""
        return (*(d.id for d, _ in self.dimensions), *(leaf.id for leaf in self.leaves))

    @cached_property
    def below(self) -> Mapping[str, tuple[int, ...]]:
        """Per dimension, the positions of the leaves under it (at any depth)."""
        found: dict[str, tuple[int, ...]] = {}
        index = self.leaf_index
        for dimension, _ in reversed(self.dimensions):  # children before parents
            found[dimension.id] = tuple(
                i
                for kid in self.children[dimension.id]
                for i in ((index[kid],) if kid in index else found[kid])
            )
        return found

    @cached_property
    def whole(self) -> Mapping[str, int]:
        """Each node's weight as a whole number: times the common denominator of all weights."""
        common = lcm(*(w.denominator for w in self.weight.values())) if self.weight else 1
        return {node: int(w * common) for node, w in self.weight.items()}

    @cached_property
    def whole_sums(self) -> Mapping[str | None, int]:
        """Per node, the :attr:`whole` weights of its children added (at least 1)."""
        whole = self.whole
        return {node: max(1, sum(whole[k] for k in kids)) for node, kids in self.children.items()}


def plan_category(scheme: Scheme, category: Category) -> CategoryPlan:
    """The plan of ``category``: the leaves that apply to it and the dimensions above them."""
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
    default = scheme.scoring.data_threshold
    thresholds = {
        d.id: threshold
        for d, _ in dimensions
        for threshold in (default if d.data_threshold is None else d.data_threshold,)
        if threshold is not None
    }
    return CategoryPlan(
        category, tuple(leaves), tuple(dimensions), children, weight, shown, thresholds
    )
