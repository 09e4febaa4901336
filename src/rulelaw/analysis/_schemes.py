"""What changed between two schemes, as data: indicators, weights, rules, grading, quotas."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from rulelaw.messages import Message
from rulelaw.model import ROUNDING_LEVELS, Scheme

__all__ = ["Change", "SchemeDiff", "diff_schemes"]


@attrs.frozen(kw_only=True)
class Change:
    """One difference between two schemes.

    ``kind`` says what changed — ``indicator-added``, ``indicator-removed``,
    ``dimension-added``, ``dimension-removed``, ``weight`` (a node's weight for
    a ``category``), ``rule-kind``, ``rule-param`` (``param`` of a rule),
    ``applies-to`` (the categories an indicator applies to), ``grade``
    (``param`` of grade ``node``: ``minimum``, ``max_percent``, ``min_percent``,
    ``label``), ``grade-added``, ``grade-removed``, ``grading`` (``param`` of
    the grading policy: ``peer_group``, ``ties``, ``quota_rounding`` …),
    ``scheme`` (``param``: ``scale``, ``rounding.places`` …), ``bonus``,
    ``deduction``, ``veto`` (an adjustment item added, removed or changed;
    ``before`` or ``after`` is ``None`` where it was added or removed),
    ``verification`` (a verification case added, removed or changed);
    ``node`` the indicator, dimension, grade or item; ``before`` and
    ``after`` the values (``None`` where there was none).
    """

    kind: str
    node: str | None = None
    category: str | None = None
    param: str | None = None
    before: Any = None
    after: Any = None

    def describe(self, lang: str = "en") -> str:
        """The change in one line, in ``lang``."""
        if self.kind.endswith(("-added", "-removed")):
            what, _, how = self.kind.rpartition("-")
            return Message.of(
                f"change.{how}", what=Message.of(f"change.what.{what}"), node=self.node or ""
            ).text(lang)
        params: dict[str, object] = {"before": _shown(self.before), "after": _shown(self.after)}
        if self.kind == "weight":
            return Message.of(
                "change.weight", node=self.node or "", category=self.category or "", **params
            ).text(lang)
        if self.kind == "rule-param":
            return Message.of(
                "change.rule-param", node=self.node or "", param=self.param or "", **params
            ).text(lang)
        if self.kind == "grade":
            return Message.of(
                "change.grade", node=self.node or "", param=self.param or "", **params
            ).text(lang)
        if self.kind in ("grading", "scheme"):
            return Message.of("change.setting", param=self.param or "", **params).text(lang)
        if self.kind in ("bonus", "deduction", "veto", "verification"):
            how = "added" if self.before is None else "removed" if self.after is None else "changed"
            return Message.of(
                f"change.{how}", what=Message.of(f"change.what.{self.kind}"), node=self.node or ""
            ).text(lang)
        return Message.of("change.other", kind=self.kind, node=self.node or "", **params).text(lang)


def _own(scheme: Scheme, level: str, key: str) -> object:
    """A level's own rounding ``places`` or ``mode``, as declared (``None``: the scheme's)."""
    own = getattr(scheme.rounding, level)
    return None if own is None else getattr(own, key)


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, frozenset | set):
        return "[" + ", ".join(sorted(map(str, value))) + "]"
    return str(getattr(value, "value", value))


@attrs.frozen(kw_only=True)
class SchemeDiff:
    """Every difference between scheme ``before`` and scheme ``after``, in a stable order."""

    before: str
    after: str
    changes: tuple[Change, ...]

    def of(self, *kinds: str) -> tuple[Change, ...]:
        """The changes of the given kinds."""
        return tuple(c for c in self.changes if c.kind in kinds)

    def for_indicator(self, indicator: str, category: str | None = None) -> tuple[Change, ...]:
        """The changes that touch ``indicator`` (its weight for ``category``, its rule, itself)."""
        return tuple(
            c
            for c in self.changes
            if c.node == indicator and (c.category is None or c.category == category)
        )

    def __bool__(self) -> bool:
        return bool(self.changes)

    def text(self, lang: str = "en") -> str:
        """The changes, one line each, under a heading naming both schemes."""
        from rulelaw.analysis._render import scheme_diff_text

        return scheme_diff_text(self, lang=lang)

    def to_markdown(self, lang: str = "en") -> str:
        """The changes as a Markdown list."""
        from rulelaw.analysis._render import scheme_diff_text

        return scheme_diff_text(self, lang=lang, tablefmt="github")

    def to_json(self, lang: str = "en") -> str:
        """The changes as JSON (``before``, ``after``, ``changes``: a comparison's ``schemes``)."""
        from rulelaw.analysis._render import scheme_diff_json

        return scheme_diff_json(self, lang=lang)

    def _repr_html_(self) -> str:
        from rulelaw.analysis._render import scheme_diff_text

        return scheme_diff_text(self, tablefmt="html")


def diff_schemes(before: Scheme, after: Scheme) -> SchemeDiff:
    """What changed from ``before`` to ``after``: every difference, as data."""
    changes: list[Change] = []
    changes += _nodes("dimension", {d.id: d for d in before.dimensions}, after.dimensions)
    old_leaves = {i.id: i for i in before.indicators}
    new_leaves = {i.id: i for i in after.indicators}
    changes += _nodes("indicator", old_leaves, after.indicators)
    for leaf_id, new in new_leaves.items():
        old = old_leaves.get(leaf_id)
        if old is None:
            continue
        if old.rule.kind != new.rule.kind:
            changes.append(
                Change(kind="rule-kind", node=leaf_id, before=old.rule.kind, after=new.rule.kind)
            )
        else:
            for param in _sorted_union(old.rule.params, new.rule.params):
                a, b = old.rule.params.get(param), new.rule.params.get(param)
                if not _same(a, b):
                    changes.append(
                        Change(kind="rule-param", node=leaf_id, param=param, before=a, after=b)
                    )
        if old.categories != new.categories:
            changes.append(
                Change(kind="applies-to", node=leaf_id, before=old.categories, after=new.categories)
            )
    old_weights = {w.category: w.points for w in before.weights}
    new_weights = {w.category: w.points for w in after.weights}
    for category in _sorted_union(old_weights, new_weights):
        a, b = old_weights.get(category, {}), new_weights.get(category, {})
        for node in _in_order(a, b):
            if not _same(a.get(node), b.get(node)):
                changes.append(
                    Change(
                        kind="weight",
                        node=node,
                        category=category,
                        before=a.get(node),
                        after=b.get(node),
                    )
                )
    changes += _grading(before, after)
    for kind, old_items, new_items in (
        ("bonus", before.bonuses, after.bonuses),
        ("deduction", before.deductions, after.deductions),
        ("veto", before.vetoes, after.vetoes),
        ("verification", before.verification, after.verification),
    ):
        a_items = {i.id: i for i in old_items}
        b_items = {i.id: i for i in new_items}
        for item in _in_order(a_items, b_items):
            if a_items.get(item) != b_items.get(item):
                changes.append(
                    Change(kind=kind, node=item, before=a_items.get(item), after=b_items.get(item))
                )
    for param, a_value, b_value in (
        ("scale", before.scale, after.scale),
        ("rounding.places", before.rounding.places, after.rounding.places),
        ("rounding.mode", before.rounding.mode, after.rounding.mode),
        ("rounding.indicators", before.rounding.indicators, after.rounding.indicators),
        (
            "rounding.dimension_lines",
            before.rounding.dimension_lines,
            after.rounding.dimension_lines,
        ),
        *(
            (f"rounding.{level}.{key}", _own(before, level, key), _own(after, level, key))
            for level in ROUNDING_LEVELS
            for key in ("places", "mode")
        ),
        ("scoring.not_submitted", before.scoring.not_submitted, after.scoring.not_submitted),
        ("scoring.bonus_cap", before.scoring.bonus_cap, after.scoring.bonus_cap),
        ("scoring.floor_at_zero", before.scoring.floor_at_zero, after.scoring.floor_at_zero),
    ):
        if not _same(a_value, b_value):
            changes.append(Change(kind="scheme", param=param, before=a_value, after=b_value))
    return SchemeDiff(
        before=f"{before.id} v{before.version}",
        after=f"{after.id} v{after.version}",
        changes=tuple(changes),
    )


def _grading(before: Scheme, after: Scheme) -> list[Change]:
    changes: list[Change] = []
    a, b = before.grading, after.grading
    for param in (
        "peer_group",
        "tie_break",
        "tie_break_unit_id",
        "ties",
        "quota_rounding",
        "quota_at_least_one",
        "count_not_graded",
        "rank_ties",
        "rank_on",
    ):
        if getattr(a, param) != getattr(b, param):
            changes.append(
                Change(
                    kind="grading", param=param, before=getattr(a, param), after=getattr(b, param)
                )
            )
    old_grades = {g.id: g for g in a.grades}
    new_grades = {g.id: g for g in b.grades}
    for grade in _in_order(old_grades, new_grades):
        old, new = old_grades.get(grade), new_grades.get(grade)
        if old is None:
            changes.append(Change(kind="grade-added", node=grade, after=new))
        elif new is None:
            changes.append(Change(kind="grade-removed", node=grade, before=old))
        else:
            for param in ("minimum", "max_percent", "min_percent", "label"):
                x, y = getattr(old, param), getattr(new, param)
                if not _same(x, y):
                    changes.append(Change(kind="grade", node=grade, param=param, before=x, after=y))
    return changes


def _nodes(kind: str, old: Mapping[str, Any], new_nodes: Iterable[Any]) -> list[Change]:
    new = {n.id: n for n in new_nodes}
    found = [Change(kind=f"{kind}-removed", node=n) for n in old if n not in new]
    found += [Change(kind=f"{kind}-added", node=n) for n in new if n not in old]
    return found


def _same(a: object, b: object) -> bool:
    """Equal, and written alike (``95`` and ``95.0`` are a change in what the scheme says)."""
    return a == b and repr(a) == repr(b)


def _in_order(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """The keys of ``a`` then those only in ``b``, each once."""
    return [*a, *(k for k in b if k not in a)]


def _sorted_union(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    return sorted({*a, *b})
