"""Scheme values: categories, duties, indicators, grading, policies, adjustment items, schemes."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from rulelaw.model import (
    BUILTIN_ROLES,
    ROUNDING_LEVELS,
    Bonus,
    Category,
    CategoryWeights,
    Dimension,
    Direction,
    Duty,
    DutyList,
    ExtraDeduction,
    Grade,
    GradeScale,
    GradingPolicy,
    Indicator,
    LevelRounding,
    Measure,
    NotSubmittedPolicy,
    PercentOfScale,
    RankOn,
    Role,
    RoundingMode,
    RoundingPolicy,
    Scheme,
    ScoringPolicy,
    Veto,
    VetoEffect,
)
from rulelaw.testing._common import (
    CATEGORY_POOL,
    DIMENSION_TITLES,
    DUTY_GROUPS,
    DUTY_TITLES,
    GRADES,
    INDICATOR_TITLES,
    PLACES,
    TYPED_MEASURES,
    UNITS_OF_MEASURE,
    dates,
    half_points,
    ids,
    periods,
)
from rulelaw.testing._params import draw_rule_spec
from rulelaw.testing._roster import roles

__all__ = [
    "adjustment_items",
    "categories",
    "duties",
    "duty_lists",
    "grade_scales",
    "indicators",
    "rounding_policies",
    "schemes",
    "scoring_policies",
]


def _category_maximum() -> SearchStrategy[Decimal]:
    return st.one_of(
        st.sampled_from((100, 50, 30)).map(Decimal),
        st.integers(1, 200).map(half_points),
    )


def categories() -> SearchStrategy[Category]:
    """Unit categories (县市区, 市直单位, 园区…) with a whole or half-point maximum.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(categories())
    ... def test_positive(category): assert category.maximum > 0
    >>> test_positive()

    """
    return st.builds(
        lambda pair, maximum: Category(id=pair[0], name=pair[1], maximum=maximum),
        st.sampled_from(CATEGORY_POOL),
        _category_maximum(),
    )


@st.composite
def _duties(draw: st.DrawFn, duty_id: str | None, indicator_ids: Sequence[str]) -> Duty:
    refs: list[str] = []
    if indicator_ids:
        refs = draw(st.lists(st.sampled_from(indicator_ids), max_size=3, unique=True))
    return Duty(
        id=duty_id if duty_id is not None else f"D{draw(st.integers(1, 20))}",
        title=draw(st.sampled_from(DUTY_TITLES)),
        group=draw(st.none() | st.sampled_from(DUTY_GROUPS)),
        indicators=refs,
        weight=draw(st.none() | st.integers(0, 40).map(half_points)),
    )


def duties(indicators: Sequence[str] = ()) -> SearchStrategy[Duty]:
    """Duties of a first responsible person, in one of the four duty-list groups or none.

    Parameters
    ----------
    indicators:
        Indicator ids a duty may refer to as its evidence (none if empty).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(duties(indicators=["1.1", "2.1"]))
    ... def test_refs(duty): assert set(duty.indicators) <= {"1.1", "2.1"}
    >>> test_refs()

    """
    return _duties(None, list(indicators))


@st.composite
def _duty_lists(draw: st.DrawFn, role: str | None, indicator_ids: Sequence[str]) -> DutyList:
    count = draw(st.integers(1, 4))
    duties = [draw(_duties(f"D{n}", indicator_ids)) for n in range(1, count + 1)]
    # Weights for every duty or for none; given, they add up to 100.
    if draw(st.booleans()):
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
        shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
        duties = [attrs.evolve(d, weight=w) for d, w in zip(duties, shares, strict=True)]
    else:
        duties = [attrs.evolve(d, weight=None) for d in duties]
    return DutyList(
        role=role if role is not None else draw(st.sampled_from([r.id for r in BUILTIN_ROLES])),
        duties=duties,
        flag_below=draw(st.sampled_from([Decimal(60), Decimal(50), Decimal(80)])),
    )


def duty_lists(
    role: str | Role | None = None, indicators: Sequence[str] = ()
) -> SearchStrategy[DutyList]:
    """Duty lists (职责清单) of one to four duties with distinct ids ``D1``, ``D2``….

    Parameters
    ----------
    role:
        The role (or its id) the list is for; one of the built-in roles if ``None``.
    indicators:
        Indicator ids the duties may refer to.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(duty_lists(role="party-head"))
    ... def test_role(duty_list): assert duty_list.role == "party-head"
    >>> test_role()

    """
    role_id = role.id if isinstance(role, Role) else role
    return _duty_lists(role_id, list(indicators))


@st.composite
def _indicators(
    draw: st.DrawFn,
    indicator_id: str | None,
    parent: str,
    category_ids: Sequence[str] | None,
    measure: Measure | None,
) -> Indicator:
    measure = measure if measure is not None else draw(st.sampled_from(TYPED_MEASURES))
    direction = draw(st.sampled_from(Direction))
    applies: frozenset[str] | None = None
    if category_ids and draw(st.integers(0, 3)) == 0:
        applies = frozenset(draw(st.lists(st.sampled_from(category_ids), min_size=1, unique=True)))
    return Indicator(
        id=indicator_id if indicator_id is not None else f"{parent}.{draw(st.integers(1, 9))}",
        title=draw(st.sampled_from(INDICATOR_TITLES[measure])),
        parent=parent,
        measure=measure,
        rule=draw(draw_rule_spec(measure, direction)),
        unit_of_measure=UNITS_OF_MEASURE.get(measure, ""),
        direction=direction,
        categories=applies,
        description=draw(st.sampled_from(("", "以年度统计为准"))),
        tags=draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
    )


#: the tags drawn indicators may carry: the subsets an office checks
TAGS = ("督察", "重点任务", "共性指标")


def indicators(
    parent: str = "1",
    *,
    categories: Sequence[str] | None = None,
    measure: Measure | None = None,
) -> SearchStrategy[Indicator]:
    """Leaf indicators under ``parent``, with a rule that fits their measure.

    Each carries up to two tags (``督察``, ``重点任务``, ``共性指标``).

    Parameters
    ----------
    parent:
        The id of the dimension above; the indicator's id is ``parent.N``.
    categories:
        Category ids the indicator may be restricted to (a non-empty subset);
        with ``None`` it applies to every category.
    measure:
        The measure; any if ``None``.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(indicators(parent="2", measure=Measure.RATE))
    ... def test_under(ind): assert ind.id.startswith("2.")
    >>> test_under()

    """
    return _indicators(None, parent, list(categories) if categories else None, measure)


@st.composite
def _grade_scales(draw: st.DrawFn, out_of: Decimal) -> GradeScale:
    upper = draw(st.integers(0, len(GRADES)))
    halves = sorted(
        draw(st.lists(st.integers(0, 200), min_size=upper, max_size=upper, unique=True)),
        reverse=True,
    )
    in_percent = draw(st.booleans())
    minimums: list[Decimal | str] = [
        f"{half_points(h)}%" if in_percent else PercentOfScale(half_points(h)).of(out_of)
        for h in halves
    ]
    grades = [
        Grade(id=gid, label=label, name_en=name_en, minimum=minimum)
        for (gid, label, name_en), minimum in zip(GRADES, minimums, strict=False)
    ]
    grades.append(Grade(id="fail", label="不合格", name_en=draw(st.sampled_from(("fail", "")))))
    return GradeScale(grades=grades, out_of=out_of)


def grade_scales(out_of: Decimal | int = 100) -> SearchStrategy[GradeScale]:
    """Grade scales of one to five grades, best first, thresholds strictly descending.

    The thresholds lie from 0 to ``out_of`` (the scale the totals are on),
    written either in points or as percentages of the scale (``"87.5%"``).
    The last grade is always ``fail`` (不合格), without a minimum.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(grade_scales())
    ... def test_last(scale): assert scale.ids[-1] == "fail"
    >>> test_last()

    """
    return _grade_scales(Decimal(out_of))


def _level_roundings() -> SearchStrategy[LevelRounding | None]:
    """A level's own rounding, mostly none: places 0 to 4 and a mode, each perhaps the scheme's."""
    return st.none() | st.builds(
        LevelRounding,
        places=st.none() | st.integers(0, 4),
        mode=st.none() | st.sampled_from(RoundingMode),
    )


def rounding_policies() -> SearchStrategy[RoundingPolicy]:
    """Rounding policies with 0 to 4 places, any rounding mode, per indicator or not.

    Some round a level (indicators, dimensions, the total, panels) their own
    way, and some add a rounding line to each dimension
    (``dimension_lines``).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(rounding_policies())
    ... def test_places(policy): assert 0 <= policy.level("dimension").places <= 4
    >>> test_places()

    """
    return st.builds(
        lambda places, mode, each, lines, levels: RoundingPolicy(
            places=places,
            mode=mode,
            indicators=each,
            dimension_lines=lines,
            **dict(zip(ROUNDING_LEVELS, levels, strict=True)),
        ),
        st.integers(0, 4),
        st.sampled_from(RoundingMode),
        st.booleans(),
        st.booleans(),
        st.tuples(*(_level_roundings() for _ in ROUNDING_LEVELS)),
    )


def scoring_policies() -> SearchStrategy[ScoringPolicy]:
    """Scheme-wide scoring choices: evaluation date, missing evidence, bonus cap, floor, threshold.

    The data threshold is none, or a whole per cent.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(scoring_policies())
    ... def test_cap(policy): assert policy.bonus_cap is None or policy.bonus_cap > 0
    >>> test_cap()

    """
    return st.builds(
        lambda as_of, missing, cap, floor, threshold: ScoringPolicy(
            as_of=as_of,
            not_submitted=missing,
            bonus_cap=cap,
            floor_at_zero=floor,
            data_threshold=threshold,
        ),
        st.none() | dates(),
        st.sampled_from(NotSubmittedPolicy),
        st.none() | st.integers(1, 20).map(half_points),
        st.booleans(),
        st.none() | st.sampled_from((25, 50, 75, 100)).map(Decimal),
    )


_BONUS_LEVELS = ("national", "provincial", "municipal")


@st.composite
def _adjustment_items(
    draw: st.DrawFn,
    item_id: str | None,
    dimensions: Sequence[str],
    grades: Sequence[str],
) -> Bonus | ExtraDeduction | Veto:
    item_id = item_id if item_id is not None else draw(ids(prefix="adj"))
    cap = draw(st.none() | st.integers(1, 20).map(half_points))
    choice = draw(st.integers(0, 2))
    if choice == 0:
        levels = draw(st.lists(st.sampled_from(_BONUS_LEVELS), min_size=1, unique=True))
        return Bonus(
            id=item_id,
            title=draw(st.sampled_from(("法治政府建设示范创建", "法治宣传优秀案例"))),
            levels={level: half_points(draw(st.integers(1, 10))) for level in levels},
            cap=cap,
        )
    if choice == 1:
        return ExtraDeduction(
            id=item_id,
            title=draw(st.sampled_from(("年度报告未按时公开", "督察通报问题"))),
            per=half_points(draw(st.integers(1, 10))),
            cap=cap,
        )
    effects = [VetoEffect.ZERO_TOTAL]
    effects += [VetoEffect.ZERO_DIMENSION] if dimensions else []
    effects += [VetoEffect.CAP_GRADE] if grades else []
    effect = draw(st.sampled_from(effects))
    dimension = draw(st.sampled_from(dimensions)) if effect is VetoEffect.ZERO_DIMENSION else None
    return Veto(
        id=item_id,
        title=draw(st.sampled_from(("发生重大违法行政事件", "述法工作未开展"))),
        effect=effect,
        dimension=dimension,
        grade=draw(st.sampled_from(grades)) if effect is VetoEffect.CAP_GRADE else None,
    )


def adjustment_items(
    dimensions: Sequence[str] = (), grades: Sequence[str] = ()
) -> SearchStrategy[Bonus | ExtraDeduction | Veto]:
    """Adjustment items of a scheme: bonuses (加分), extra deductions (扣分), vetoes (一票否决).

    Parameters
    ----------
    dimensions:
        Dimension ids a ``zero-dimension`` veto may name (no such veto if empty).
    grades:
        Grade ids a ``cap-grade`` veto may name (no such veto if empty).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(adjustment_items())
    ... def test_titled(item): assert item.title
    >>> test_titled()

    """
    return _adjustment_items(None, list(dimensions), list(grades))


def _split(halves: int, parts: int) -> SearchStrategy[list[int]]:
    """``parts`` non-negative whole numbers adding up to ``halves``."""
    cuts = st.lists(st.integers(0, halves), min_size=parts - 1, max_size=parts - 1)
    return cuts.map(
        lambda c: [b - a for a, b in zip([0, *sorted(c)], [*sorted(c), halves], strict=True)]
    )


@st.composite
def _schemes(draw: st.DrawFn) -> Scheme:
    pairs = draw(st.lists(st.sampled_from(CATEGORY_POOL), min_size=1, max_size=3, unique=True))
    cats = [Category(id=i, name=n, maximum=draw(_category_maximum())) for i, n in pairs]
    cat_ids = [c.id for c in cats]

    # The tree: top dimensions "1", "2"…; under each, leaves "1.1" or
    # sub-dimensions "1.2" with leaves "1.2.1"….
    dimensions: list[Dimension] = []
    leaves: list[Indicator] = []
    for top in range(1, draw(st.integers(1, 3)) + 1):
        top_id = str(top)
        dimensions.append(Dimension(id=top_id, title=draw(st.sampled_from(DIMENSION_TITLES))))
        for child in range(1, draw(st.integers(1, 3)) + 1):
            child_id = f"{top_id}.{child}"
            if draw(st.booleans()):
                leaves.append(draw(_indicators(child_id, top_id, cat_ids, None)))
                continue
            dimensions.append(
                Dimension(
                    id=child_id,
                    title=draw(st.sampled_from(DIMENSION_TITLES)),
                    parent=top_id,
                    data_threshold=draw(st.none() | st.sampled_from((Decimal(0), Decimal(60)))),
                )
            )
            for leaf in range(1, draw(st.integers(1, 2)) + 1):
                leaves.append(draw(_indicators(f"{child_id}.{leaf}", child_id, cat_ids, None)))
    # Every category needs an indicator: open the first one up to all of them.
    if any(not any(i.applies_to(c) for i in leaves) for c in cat_ids):
        leaves[0] = attrs.evolve(leaves[0], categories=None)

    parent_of = {d.id: d.parent for d in dimensions}
    weights = []
    for cat in cats:
        applicable = [i for i in leaves if i.applies_to(cat.id)]
        parts = draw(_split(int(cat.maximum * 2), len(applicable)))
        points: dict[str, Decimal] = {
            i.id: half_points(p) for i, p in zip(applicable, parts, strict=True)
        }
        # Some dimensions declare their points too: the sum of the leaves under them.
        for dim in dimensions:
            under = [i.id for i in applicable if dim.id in _ancestors(i.parent, parent_of)]
            declared = draw(st.booleans())
            if under and declared:
                points[dim.id] = sum((points[i] for i in under), Decimal(0))
        weights.append(CategoryWeights(category=cat.id, points=points))

    leaf_ids = [i.id for i in leaves]
    added_roles = draw(st.lists(roles(), max_size=2, unique_by=lambda r: r.id))
    role_ids = [r.id for r in (*BUILTIN_ROLES, *added_roles)]
    listed = draw(st.lists(st.sampled_from(role_ids), max_size=2, unique=True))
    scale = Decimal(draw(st.sampled_from((100, 10, 1000))))
    grading = GradingPolicy(
        grades=draw(grade_scales(scale)).grades,
        peer_group=draw(st.sampled_from(("category", "level"))),
        rank_on=draw(st.sampled_from(RankOn)),
    )
    items = [
        draw(_adjustment_items(f"adj-{n}", [d.id for d in dimensions], grading.scale.ids))
        for n in range(1, draw(st.integers(0, 3)) + 1)
    ]
    period = draw(periods())
    year = period.start.year
    place = draw(st.sampled_from(PLACES))
    return Scheme(
        id=f"{draw(st.sampled_from(('scheme', 'fz', '考核')))}-{year}",
        title=f"{place}市{year}年度法治政府建设考核",
        version=draw(st.sampled_from(("1", "2", f"{year}.1"))),
        period=period,
        categories=cats,
        dimensions=dimensions,
        indicators=leaves,
        weights=weights,
        scale=scale,
        roles=added_roles,
        duty_lists=[draw(_duty_lists(role, leaf_ids)) for role in listed],
        grading=grading,
        rounding=draw(rounding_policies()),
        scoring=draw(scoring_policies()),
        bonuses=[i for i in items if isinstance(i, Bonus)],
        deductions=[i for i in items if isinstance(i, ExtraDeduction)],
        vetoes=[i for i in items if isinstance(i, Veto)],
        description=draw(st.sampled_from(("", "按年度考核，分类设置指标"))),
    )


def _ancestors(node: str | None, parent_of: dict[str, str | None]) -> list[str]:
    """``node`` and the dimensions above it, nearest first."""
    chain = []
    while node is not None:
        chain.append(node)
        node = parent_of.get(node)
    return chain


def schemes() -> SearchStrategy[Scheme]:
    """Valid schemes: one to three categories, a two- or three-level tree, weights that add up.

    Under one to three top dimensions (``1``, ``2``…) hang leaf indicators
    (``1.1``) or sub-dimensions (``1.2``) with leaves (``1.2.1``). An
    indicator sometimes applies to only some categories. Each category's
    leaf weights are whole or half points adding up to its maximum, and some
    dimensions declare their own points, equal to the sum below them. The
    scheme may add roles, duty lists and up to three adjustment items
    (bonus, deduction, veto), and has random grading, rounding and scoring
    policies.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(schemes())
    ... def test_has_leaves(scheme): assert list(scheme.leaves())
    >>> test_has_leaves()

    """
    return _schemes()
