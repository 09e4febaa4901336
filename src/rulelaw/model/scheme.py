"""The scheme: everything about an assessment that is decided before any evidence arrives."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

import attrs

from rulelaw.errors import LookupFailed, SchemeError, ValidationError, key_part
from rulelaw.messages import Message
from rulelaw.model._base import (
    id_validator,
    one_of,
    positive,
    quoted,
    text_validator,
    to_decimal,
)
from rulelaw.model._numbers import exact_sum
from rulelaw.model.adjustments import Bonus, ExtraDeduction, ScoringPolicy, Veto, VetoEffect
from rulelaw.model.consequences import Consequence
from rulelaw.model.duties import DutyList
from rulelaw.model.grading import GradingPolicy
from rulelaw.model.indicators import DERIVED_EVIDENCE, Dimension, Indicator, Measure, measure_word
from rulelaw.model.ledger import FilingPolicy, LedgerPolicy
from rulelaw.model.people import BUILTIN_ROLES, PeoplePolicy, Period, Role
from rulelaw.model.policy import CategoryWeights, RoundingPolicy
from rulelaw.model.reports import LawReportPolicy, Panel
from rulelaw.model.surveys import Survey
from rulelaw.model.units import Category
from rulelaw.model.verification import VerificationCase

__all__ = ["Scheme"]


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True, eq=True)
class Scheme:
    """An assessment scheme (考核方案): indicators, weights, grading, rounding, duties.

    Building a scheme checks it whole; every problem found is reported at once
    in a :class:`~rulelaw.errors.ValidationError` whose errors carry key paths
    such as ``$.weights.county``. Use :func:`rulelaw.load_scheme` to read one
    from a TOML file.
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    version: str = attrs.field(validator=id_validator)
    period: Period
    categories: tuple[Category, ...] = attrs.field(converter=_tuple)
    dimensions: tuple[Dimension, ...] = attrs.field(converter=_tuple)
    indicators: tuple[Indicator, ...] = attrs.field(converter=_tuple)
    weights: tuple[CategoryWeights, ...] = attrs.field(converter=_tuple)
    scale: Decimal = attrs.field(default=Decimal(100), converter=to_decimal, validator=positive)
    roles: tuple[Role, ...] = attrs.field(default=(), converter=_tuple)
    duty_lists: tuple[DutyList, ...] = attrs.field(default=(), converter=_tuple)
    grading: GradingPolicy = attrs.field(factory=GradingPolicy)
    rounding: RoundingPolicy = attrs.field(factory=RoundingPolicy)
    scoring: ScoringPolicy = attrs.field(factory=ScoringPolicy)
    people: PeoplePolicy = attrs.field(factory=PeoplePolicy)
    panels: tuple[Panel, ...] = attrs.field(default=(), converter=_tuple)
    law_reports: LawReportPolicy = attrs.field(factory=LawReportPolicy)
    ledger: LedgerPolicy = attrs.field(factory=LedgerPolicy)
    filing: FilingPolicy = attrs.field(factory=FilingPolicy)
    #: surveys of respondents whose answers (``survey.csv``) indicators score
    surveys: tuple[Survey, ...] = attrs.field(default=(), converter=_tuple)
    #: recommendations that follow from a leader's results (for the organisation department)
    consequences: tuple[Consequence, ...] = attrs.field(default=(), converter=_tuple)
    bonuses: tuple[Bonus, ...] = attrs.field(default=(), converter=_tuple)
    deductions: tuple[ExtraDeduction, ...] = attrs.field(default=(), converter=_tuple)
    vetoes: tuple[Veto, ...] = attrs.field(default=(), converter=_tuple)
    description: str = ""
    #: invented units with the results the scheme must give them (``rulelaw verify``)
    verification: tuple[VerificationCase, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        # units and leaders are graded on the scheme's scale: thresholds written as
        # percentages are taken of it (law reports keep the panels' 0 … 100)
        object.__setattr__(self, "grading", self.grading.on_scale(self.scale))
        if self.people.grading.scale.out_of != self.scale:
            people = attrs.evolve(self.people, grading=self.people.grading.on_scale(self.scale))
            object.__setattr__(self, "people", people)
        problems = list(_check(self))
        if problems:
            raise ValidationError(
                problems, source=Message.of("errors.source-scheme", id=self.id), partial=self
            )

    # -- lookups -----------------------------------------------------------------

    @property
    def nodes(self) -> tuple[Dimension | Indicator, ...]:
        """Every node of the indicator tree: the dimensions, then the indicators."""
        return (*self.dimensions, *self.indicators)

    @cached_property
    def _nodes(self) -> Mapping[str, Dimension | Indicator]:
        nodes: dict[str, Dimension | Indicator] = {}
        for node in self.nodes:
            nodes.setdefault(node.id, node)  # the first declaration wins; a second is an error
        return nodes

    @cached_property
    def _children(self) -> Mapping[str | None, tuple[Dimension | Indicator, ...]]:
        children: dict[str | None, list[Dimension | Indicator]] = {}
        for node in self.nodes:
            children.setdefault(node.parent, []).append(node)
        return {k: tuple(v) for k, v in children.items()}

    @property
    def all_roles(self) -> tuple[Role, ...]:
        """The built-in roles followed by the roles this scheme adds."""
        return (*BUILTIN_ROLES, *self.roles)

    def category(self, category_id: str) -> Category:
        """The category with this id; raises :class:`~rulelaw.errors.LookupFailed`."""
        for category in self.categories:
            if category.id == category_id:
                return category
        raise LookupFailed("category", category_id, (c.id for c in self.categories))

    def indicator(self, indicator_id: str) -> Indicator:
        """The leaf indicator with this id; raises :class:`~rulelaw.errors.LookupFailed`."""
        node = self._nodes.get(indicator_id)
        if not isinstance(node, Indicator):
            raise LookupFailed("indicator", indicator_id, (i.id for i in self.indicators))
        return node

    @property
    def tags(self) -> tuple[str, ...]:
        """Every tag the indicators carry, each once, in the order they first appear."""
        return _tags_of(i.tags for i in self.indicators)

    def tagged(self, tag: str) -> tuple[Indicator, ...]:
        """The indicators carrying ``tag``, in the scheme's order.

        Raises :class:`~rulelaw.errors.LookupFailed` for a tag no indicator carries.
        """
        found = tuple(i for i in self.indicators if tag in i.tags)
        if not found:
            raise LookupFailed("tag", tag, self.tags)
        return found

    def node(self, node_id: str) -> Dimension | Indicator:
        """The dimension or indicator with this id."""
        try:
            return self._nodes[node_id]
        except KeyError:
            raise LookupFailed("indicator-tree node", node_id, self._nodes) from None

    def children(self, node_id: str | None) -> tuple[Dimension | Indicator, ...]:
        """The direct children of a node in declared order (``None``: the top level)."""
        return self._children.get(node_id, ())

    def weights_for(self, category_id: str) -> CategoryWeights:
        """The weights of one category."""
        for weights in self.weights:
            if weights.category == category_id:
                return weights
        raise LookupFailed("weights for category", category_id, (w.category for w in self.weights))

    def duty_list(self, role_id: str) -> DutyList | None:
        """The duty list of a role, if the scheme declares one."""
        return next((d for d in self.duty_lists if d.role == role_id), None)

    def panel(self, panel_id: str) -> Panel | None:
        """The panel model with this id, if declared."""
        return next((p for p in self.panels if p.id == panel_id), None)

    def survey(self, survey_id: str) -> Survey | None:
        """The survey with this id, if declared."""
        return next((s for s in self.surveys if s.id == survey_id), None)

    def adjustment_item(self, item_id: str) -> Bonus | ExtraDeduction | Veto | None:
        """The bonus, deduction or veto item with this id, if declared."""
        items: tuple[Bonus | ExtraDeduction | Veto, ...] = (
            *self.bonuses,
            *self.deductions,
            *self.vetoes,
        )
        return next((item for item in items if item.id == item_id), None)

    def leaves(self, node_id: str | None = None) -> Iterator[Indicator]:
        """The leaf indicators under a node (all of them for ``None``), depth first."""
        for child in self.children(node_id):
            if isinstance(child, Indicator):
                yield child
            else:
                yield from self.leaves(child.id)


def _duplicates(items: Iterable[Any], path: str, code: str) -> Iterator[SchemeError]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            yield SchemeError(Message.of(code, id=item.id), key_path=f"$.{path}[{index}].id")
        seen.add(item.id)


_ZERO = Decimal(0)

#: The deepest a tree of dimensions may nest (real schemes have two or three levels).
MAX_DEPTH = 32


def _tags_of(tag_lists: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """The tags of several lists, each once, in the order they first appear."""
    return tuple(dict.fromkeys(tag for tags in tag_lists for tag in tags))


def _check(scheme: Scheme) -> Iterator[SchemeError]:
    """Every cross-field problem of a scheme, in a stable order."""
    yield from _duplicates(scheme.categories, "categories", "scheme.duplicate-category")
    builtin = {r.id for r in BUILTIN_ROLES}
    for index, role in enumerate(scheme.roles):
        if role.id in builtin:
            yield SchemeError(
                Message.of("scheme.builtin-role", role=role.id),
                key_path=f"$.roles[{index}].id",
            )
    yield from _duplicates(scheme.roles, "roles", "scheme.duplicate-role")
    tree_problems = list(_check_tree(scheme))
    yield from tree_problems
    # Sums over a broken tree would only repeat its problems in a confusing form.
    if not tree_problems:
        yield from _check_weights(scheme)
    yield from _check_duties(scheme)
    yield from _check_adjustments(scheme)
    yield from _check_thresholds(scheme)
    yield from _check_law_reports(scheme)
    yield from _check_verification(scheme)
    yield from _check_consequences(scheme)


def _check_consequences(scheme: Scheme) -> Iterator[SchemeError]:
    """A consequence names grades of the leaders' scale and of the law reports' scale."""
    yield from _duplicates(scheme.consequences, "consequences", "scheme.duplicate-consequence")
    scales = (
        ("grade", scheme.people.grading.scale.ids),
        ("report_grade", scheme.law_reports.grading.scale.ids),
    )
    for index, consequence in enumerate(scheme.consequences):
        for key, known in scales:
            for grade in getattr(consequence.when, key) or ():
                if grade not in known:
                    yield SchemeError(
                        Message.of("consequence.unknown-grade", grade=grade, key=key),
                        key_path=f"$.consequences[{index}].when.{key}",
                        expected=one_of(known),
                    )


def _check_thresholds(scheme: Scheme) -> Iterator[SchemeError]:
    """No grade threshold lies above the scale its totals are on: it could never be reached."""
    for path, policy in (
        ("grading", scheme.grading),
        ("people.grading", scheme.people.grading),
        ("law_reports.grading", scheme.law_reports.grading),
    ):
        scale = policy.scale
        for index, (grade, threshold) in enumerate(
            zip(scale.grades, scale.thresholds, strict=True)
        ):
            if threshold is not None and threshold > scale.out_of:
                yield SchemeError(
                    Message.of(
                        "scheme.threshold-above-scale"
                        if path != "law_reports.grading"
                        else "scheme.report-threshold-above-scale",
                        grade=grade.id,
                        scale=scale.out_of,
                    ),
                    key_path=f"$.{path}.grades[{index}].minimum",
                    expected=Message.of("number.at-most", bound=scale.out_of),
                    got=threshold,
                )


def _check_verification(scheme: Scheme) -> Iterator[SchemeError]:
    """A verification case names a category, indicators and grades the scheme has."""
    yield from _duplicates(
        scheme.verification, "verification", "scheme.duplicate-verification-case"
    )
    categories = {c.id for c in scheme.categories}
    indicators = {i.id for i in scheme.indicators}
    nodes = indicators | {d.id for d in scheme.dimensions}
    grades = set(scheme.grading.scale.ids) | {g.label for g in scheme.grading.scale.grades}
    for index, case in enumerate(scheme.verification):
        where = f"$.verification[{index}]"
        if case.category not in categories:
            yield SchemeError(
                Message.of("scheme.unknown-category", category=case.category),
                key_path=f"{where}.category",
                expected=one_of(sorted(categories)),
            )
        for path, ids, known, code, expected in (
            ("evidence", case.evidence, indicators, "unknown-indicator", "expected-indicator"),
            ("expect.points", case.expect.points, nodes, "unknown-node", "expected-node"),
            (
                "expect.reasons",
                case.expect.reasons,
                indicators,
                "unknown-indicator",
                "expected-indicator",
            ),
        ):
            for node in ids:
                if node not in known:
                    yield SchemeError(
                        Message.of(f"scheme.verification-{code}", id=node),
                        key_path=f"{where}.{path}.{key_part(node)}",
                        expected=Message.of(f"scheme.{expected}"),
                    )
        if case.expect.grade is not None and case.expect.grade not in grades:
            yield SchemeError(
                Message.of("scheme.verification-unknown-grade", grade=case.expect.grade),
                key_path=f"{where}.expect.grade",
                expected=one_of(scheme.grading.scale.ids),
            )


def _check_law_reports(scheme: Scheme) -> Iterator[SchemeError]:
    yield from _duplicates(scheme.panels, "panels", "scheme.duplicate-panel")
    yield from _duplicates(scheme.surveys, "surveys", "scheme.duplicate-survey")
    panel_ids = {p.id for p in scheme.panels}
    for index, indicator in enumerate(scheme.indicators):
        source = indicator.evidence_from
        if source is None:
            continue
        base = source.split(":", 1)[0] if source.startswith(("law-report", "survey:")) else source
        needed = DERIVED_EVIDENCE[base]
        if base == "survey":
            survey = scheme.survey(source.split(":", 1)[1])
            if survey is None:
                yield SchemeError(
                    Message.of("scheme.unknown-survey", survey=source.split(":", 1)[1]),
                    key_path=f"$.indicators[{index}].evidence_from",
                    expected=one_of([s.id for s in scheme.surveys])
                    if scheme.surveys
                    else Message.of("scheme.no-surveys-declared"),
                )
                continue
            needed = Measure.RATE if survey.rate else Measure.VALUE
        if indicator.measure is not needed:
            yield SchemeError(
                Message.of(
                    "scheme.evidence-measure",
                    source=source,
                    needed=measure_word(needed),
                    indicator=indicator.id,
                    measure=measure_word(indicator.measure),
                ),
                key_path=f"$.indicators[{index}].measure",
                expected=quoted([needed.value]),
            )
        if base == "law-report":
            panel = source.split(":", 1)[1] if ":" in source else None
            if panel is not None and panel not in panel_ids:
                yield SchemeError(
                    Message.of("scheme.unknown-panel", panel=panel),
                    key_path=f"$.indicators[{index}].evidence_from",
                    expected=one_of(sorted(panel_ids))
                    if panel_ids
                    else Message.of("scheme.no-panels-declared"),
                )
    if scheme.law_reports.grading.peer_group not in ("panel", "category", "level"):
        yield SchemeError(
            Message.of(
                "scheme.report-peer-group", peer_group=scheme.law_reports.grading.peer_group
            ),
            key_path="$.law_reports.grading.peer_group",
            expected=Message.of("scheme.either", first=("panel", "category"), last="level"),
        )


def _check_adjustments(scheme: Scheme) -> Iterator[SchemeError]:
    seen: set[str] = set()
    items: tuple[tuple[str, tuple[Bonus | ExtraDeduction | Veto, ...]], ...] = (
        ("bonuses", scheme.bonuses),
        ("deductions", scheme.deductions),
        ("vetoes", scheme.vetoes),
    )
    for path, group in items:
        for index, item in enumerate(group):
            if item.id in seen:
                yield SchemeError(
                    Message.of("scheme.duplicate-adjustment-item", id=item.id),
                    key_path=f"$.{path}[{index}].id",
                )
            seen.add(item.id)
    dimension_ids = {d.id for d in scheme.dimensions}
    grade_ids = scheme.grading.scale.ids
    node_ids = {n.id for n in scheme.nodes}
    role_ids = {r.id for r in scheme.all_roles}
    for index, pair in enumerate(scheme.people.concurrent_roles):
        for role in pair:
            if role not in role_ids:
                yield SchemeError(
                    Message.of("scheme.unknown-role", role=role),
                    key_path=f"$.people.concurrent_roles[{index}]",
                    expected=one_of(sorted(role_ids)),
                )
    if scheme.people.grading.peer_group not in ("role", "category", "level"):
        yield SchemeError(
            Message.of("scheme.leader-peer-group", peer_group=scheme.people.grading.peer_group),
            key_path="$.people.grading.peer_group",
            expected=Message.of("scheme.either", first=("role", "category"), last="level"),
        )
    for path, grading in (("people.grading", scheme.people.grading), ("grading", scheme.grading)):
        for index, key in enumerate(grading.tie_break):
            if key not in node_ids:
                yield SchemeError(
                    Message.of("scheme.unknown-tie-break", key=key),
                    key_path=f"$.{path}.tie_break[{index}]",
                    expected=Message.of("scheme.expected-node"),
                )
    for index, veto in enumerate(scheme.vetoes):
        if veto.effect is VetoEffect.ZERO_DIMENSION and veto.dimension not in dimension_ids:
            yield SchemeError(
                Message.of("scheme.veto-unknown-dimension", veto=veto.id, dimension=veto.dimension),
                key_path=f"$.vetoes[{index}].dimension",
                expected=one_of(sorted(dimension_ids)),
            )
        if veto.effect is VetoEffect.CAP_GRADE and veto.grade not in grade_ids:
            yield SchemeError(
                Message.of("scheme.veto-unknown-grade", veto=veto.id, grade=veto.grade),
                key_path=f"$.vetoes[{index}].grade",
                expected=one_of(grade_ids),
            )


def _check_tree(scheme: Scheme) -> Iterator[SchemeError]:
    seen: set[str] = set()
    groups: tuple[tuple[str, tuple[Dimension | Indicator, ...]], ...] = (
        ("dimensions", scheme.dimensions),
        ("indicators", scheme.indicators),
    )
    for path, nodes in groups:
        for index, node in enumerate(nodes):
            if node.id in seen:
                yield SchemeError(
                    Message.of("scheme.duplicate-indicator", id=node.id),
                    key_path=f"$.{path}[{index}].id",
                )
            seen.add(node.id)
    dimension_ids = {d.id for d in scheme.dimensions}
    known_dims = (
        one_of(sorted(dimension_ids))
        if dimension_ids
        else Message.of("scheme.no-dimensions-declared")
    )
    for path, nodes in groups:
        for index, node in enumerate(nodes):
            if node.parent is not None and node.parent not in dimension_ids:
                yield SchemeError(
                    Message.of("scheme.unknown-parent", parent=node.parent),
                    key_path=f"$.{path}[{index}].parent",
                    expected=known_dims,
                    got=node.parent,
                )
    parents = {d.id: d.parent for d in scheme.dimensions}
    reported: set[str] = set()
    for index, dim in enumerate(scheme.dimensions):
        chain = [dim.id]
        on_chain = {dim.id}
        current = dim.parent
        while (
            current is not None
            and current in parents
            and current not in on_chain
            and len(chain) <= MAX_DEPTH
        ):
            chain.append(current)
            on_chain.add(current)
            current = parents[current]
        if reported & on_chain:
            continue
        if current is not None and current in on_chain:
            cycle = [*chain[chain.index(current) :], current]
            reported.update(chain)
            yield SchemeError(
                Message.of("scheme.tree-cycle", cycle=" → ".join(cycle)),
                key_path=f"$.dimensions[{index}].parent",
            )
        elif len(chain) > MAX_DEPTH:
            reported.update(chain)
            yield SchemeError(
                Message.of("scheme.tree-too-deep", depth=MAX_DEPTH),
                key_path=f"$.dimensions[{index}].parent",
                expected=Message.of("scheme.tree-depth", depth=MAX_DEPTH),
            )
    category_ids = {c.id for c in scheme.categories}
    known_cats = one_of(sorted(category_ids))
    for index, ind in enumerate(scheme.indicators):
        for cat in sorted(ind.categories or ()):
            if cat not in category_ids:
                yield SchemeError(
                    Message.of("scheme.unknown-category", category=cat),
                    key_path=f"$.indicators[{index}].categories",
                    expected=known_cats,
                    got=cat,
                )
    has_child = {n.parent for n in scheme.nodes}
    for index, dim in enumerate(scheme.dimensions):
        if dim.id not in has_child:
            yield SchemeError(
                Message.of("scheme.empty-dimension", dimension=dim.id),
                key_path=f"$.dimensions[{index}]",
            )


def _check_weights(scheme: Scheme) -> Iterator[SchemeError]:
    category_ids = [c.id for c in scheme.categories]
    seen: set[str] = set()
    for weights in scheme.weights:
        where = f"$.weights.{key_part(weights.category)}"
        if weights.category not in category_ids:
            yield SchemeError(
                Message.of("scheme.weights-unknown-category", category=weights.category),
                key_path=where,
                expected=one_of(category_ids),
            )
            continue
        if weights.category in seen:
            yield SchemeError(
                Message.of("scheme.weights-twice", category=weights.category), key_path=where
            )
        seen.add(weights.category)
        yield from _check_category_weights(scheme, scheme.category(weights.category), weights)
    for category in scheme.categories:
        if category.id not in seen:
            yield SchemeError(
                Message.of("scheme.no-weights", category=category.id),
                key_path=f"$.weights.{key_part(category.id)}",
                expected=Message.of("scheme.expected-weights-of-category"),
            )


def _check_category_weights(
    scheme: Scheme, category: Category, weights: CategoryWeights
) -> Iterator[SchemeError]:
    where = f"$.weights.{key_part(category.id)}"
    applicable = {i.id for i in scheme.indicators if i.applies_to(category.id)}
    if not applicable:
        yield SchemeError(
            Message.of("scheme.no-indicator-applies", category=category.id), key_path=where
        )
        return
    for node_id in weights.points:
        node = scheme._nodes.get(node_id)
        if node is None:
            yield SchemeError(
                Message.of("scheme.weight-unknown-indicator", indicator=node_id),
                key_path=f"{where}.{key_part(node_id)}",
            )
        elif isinstance(node, Indicator) and node_id not in applicable:
            yield SchemeError(
                Message.of("scheme.weight-not-applicable", indicator=node_id, category=category.id),
                key_path=f"{where}.{key_part(node_id)}",
            )
    for ind in scheme.indicators:
        if ind.id in applicable and ind.id not in weights.points:
            yield SchemeError(
                Message.of("scheme.no-weight", indicator=ind.id),
                key_path=f"{where}.{key_part(ind.id)}",
                expected=Message.of("scheme.expected-weights-applicable"),
            )

    def total(node_id: str | None) -> Decimal:
        """Points under a node, from leaf weights up (exact at any number of digits)."""
        return exact_sum(
            (weights.points.get(child.id, _ZERO) if child.id in applicable else _ZERO)
            if isinstance(child, Indicator)
            else total(child.id)
            for child in scheme.children(node_id)
        )

    for dim in scheme.dimensions:
        declared = weights.points.get(dim.id)
        if declared is not None:
            below = total(dim.id)
            if below != declared:
                parts = [
                    c.id
                    for c in scheme.children(dim.id)
                    if not isinstance(c, Indicator) or c.id in applicable
                ]
                yield SchemeError(
                    Message.of(
                        "scheme.weights-under-sum",
                        dimension=dim.id,
                        category=category.id,
                        declared=declared,
                        total=below,
                        over=quoted(parts),
                    ),
                    key_path=f"{where}.{key_part(dim.id)}",
                )
    grand = total(None)
    if grand != category.maximum:
        top = [n.id for n in scheme.children(None)]
        yield SchemeError(
            Message.of(
                "scheme.weights-sum",
                category=category.id,
                maximum=category.maximum,
                total=grand,
                over=quoted(top),
            ),
            key_path=where,
        )


def _check_duties(scheme: Scheme) -> Iterator[SchemeError]:
    role_ids = [r.id for r in scheme.all_roles]
    indicator_ids = {i.id for i in scheme.indicators}
    seen: set[str] = set()
    for index, duty_list in enumerate(scheme.duty_lists):
        where = f"$.duty_lists[{index}]"
        if duty_list.role not in role_ids:
            yield SchemeError(
                Message.of("scheme.duty-list-unknown-role", role=duty_list.role),
                key_path=f"{where}.role",
                expected=one_of(role_ids),
                got=duty_list.role,
            )
        if duty_list.role in seen:
            yield SchemeError(
                Message.of("scheme.second-duty-list", role=duty_list.role),
                key_path=f"{where}.role",
            )
        seen.add(duty_list.role)
        for d_index, duty in enumerate(duty_list.duties):
            for ref in duty.indicators:
                if ref not in indicator_ids:
                    yield SchemeError(
                        Message.of("scheme.duty-unknown-indicator", duty=duty.id, indicator=ref),
                        key_path=f"{where}.duties[{d_index}].indicators",
                        got=ref,
                    )
