"""Hypothesis strategies for every rulelaw domain value.

Every strategy here produces only *valid* values: the model classes check
their invariants when they are built, and a strategy that produced an
invalid value would raise inside the test instead of exercising it. Sizes
are kept small so that a property runs its examples in a second or two.

Names of people and places are invented (青岚县, 林晓舟…); ids look like
``unit-017`` and ``p-042``. Points are whole or half points, so that every
sum of weights is exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
import pendulum
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from rulelaw.model import (
    BUILTIN_ROLES,
    AdjustmentEvent,
    Assessment,
    Bonus,
    Category,
    CategoryWeights,
    Count,
    DateValue,
    Dimension,
    Direction,
    Duty,
    DutyList,
    Evidence,
    ExtraDeduction,
    Flag,
    FlagValue,
    Grade,
    GradeScale,
    GradingPolicy,
    Indicator,
    Level,
    Measure,
    NotApplicable,
    NotSubmitted,
    NotSubmittedPolicy,
    Observation,
    ObservedValue,
    Occurrences,
    OverdueProblem,
    OverdueProblems,
    Period,
    Rate,
    ResponsiblePerson,
    Role,
    RoundingMode,
    RoundingPolicy,
    Scheme,
    ScoringPolicy,
    Tenure,
    UndefinedRate,
    Unit,
    Value,
    Veto,
    VetoEffect,
)
from rulelaw.testing._params import draw_rule_spec, rule_params, rule_specs

__all__ = [
    "adjustment_items",
    "assessments",
    "categories",
    "dates",
    "duties",
    "duty_lists",
    "grade_scales",
    "ids",
    "indicators",
    "observations",
    "observed_values",
    "periods",
    "rates",
    "responsible_persons",
    "roles",
    "rounding_policies",
    "rule_params",
    "rule_specs",
    "schemes",
    "scoring_policies",
    "tenures",
    "units",
]

# -- invented words -------------------------------------------------------------------

_ID_PREFIXES = ("unit", "p", "x", "obj", "考核", "单位")
_PLACES = ("青岚", "澄桐", "梧棠", "榆川", "栎溪", "苇塘", "沁岭", "檀湾", "枫渚", "蓼洲")
_SURNAMES = "林周沈许苏顾陆叶程秦"
_GIVEN_NAMES = ("晓舟", "望川", "一苇", "初晴", "砚秋", "知微", "若谷", "明澈", "清和", "景行")
_LEVEL_SUFFIXES = {
    Level.CITY: ("市", "市司法局", "市自然资源局"),
    Level.COUNTY: ("县", "区", "县司法局"),
    Level.TOWNSHIP: ("镇", "乡", "街道"),
}
_CATEGORY_POOL = (
    ("county", "县市区"),
    ("department", "市直单位"),
    ("park", "园区"),
    ("township", "乡镇街道"),
    ("zone", "开发区"),
)
_DIMENSION_TITLES = ("学法用法", "依法决策", "严格执法", "监督问责", "组织领导", "法治宣传")
_INDICATOR_TITLES = {
    Measure.RATE: ("学法考试参考率", "重大行政决策合法性审查率", "行政机关负责人出庭应诉率"),
    Measure.COUNT: ("执法人员培训场次", "法治宣传活动次数"),
    Measure.VALUE: ("群众满意度", "述法评议得分"),
    Measure.FLAG: ("法律顾问配备", "重大决策目录公布"),
    Measure.OCCURRENCES: ("违法行政案件", "被督察通报问题"),
    Measure.DATE: ("年度报告报送", "年度报告公开"),
}
#: The measures whose evidence is typed in (``problems`` is derived from the ledger).
_TYPED_MEASURES = tuple(m for m in Measure if m is not Measure.PROBLEMS)

_UNITS_OF_MEASURE = {Measure.RATE: "%", Measure.COUNT: "次", Measure.VALUE: "分"}
_ROLE_POOL = (
    ("park-head", "园区主要负责人", "park head"),
    ("township-head", "乡镇党委书记", "township party head"),
    ("court-liaison", "法院联络负责人", ""),
    ("office-head", "办公室主任", "office head"),
)
_DUTY_GROUPS = ("组织领导", "决策部署", "工作推进", "监督检查")
_DUTY_TITLES = (
    "统筹谋划法治建设",
    "研究部署年度法治工作",
    "推动重大决策合法性审查",
    "督促问题整改落实",
    "带头学法述法",
)
_GRADES = (
    ("excellent", "优秀", "excellent"),
    ("good", "良好", "good"),
    ("pass", "合格", "pass"),
    ("basic", "基本合格", ""),
)
_REASONS = ("", "本年度无此项工作", "材料未按时报送", "整改尚未完成")
_SOURCES = ("", "市委依法治市办", "市司法局", "县政府办公室")

_EARLIEST = dt.date(2020, 1, 1)
_LATEST = dt.date(2027, 12, 31)


def _pendulum(day: dt.date) -> pendulum.Date:
    return pendulum.Date(day.year, day.month, day.day)


def _half_points(halves: int) -> Decimal:
    """``halves`` half points as an exact decimal: 5 → 2.5, 4 → 2."""
    return Decimal(halves) / 2


def _ids_of(items: Sequence[Any]) -> list[str]:
    """Ids from a sequence of ids or of values with an ``id`` attribute."""
    return [item if isinstance(item, str) else item.id for item in items]


def _unique_numbers(size: int, top: int = 999) -> SearchStrategy[list[int]]:
    return st.lists(st.integers(1, top), min_size=size, max_size=size, unique=True)


# -- plain values ---------------------------------------------------------------------


def ids(prefix: str | None = None) -> SearchStrategy[str]:
    """Ids that look invented, such as ``unit-017``, ``p-042`` or ``单位-305``.

    Parameters
    ----------
    prefix:
        The text before the dash; a few prefixes are mixed when ``None``.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(ids(prefix="unit"))
    ... def test_unit_id(unit_id): assert unit_id.startswith("unit-")
    >>> test_unit_id()

    """
    prefixes = st.just(prefix) if prefix is not None else st.sampled_from(_ID_PREFIXES)
    return st.builds(lambda p, n: f"{p}-{n:03d}", prefixes, st.integers(0, 999))


def dates(within: Period | None = None) -> SearchStrategy[pendulum.Date]:
    """Days as ``pendulum.Date``, inside ``within`` or between 2020 and 2027.

    Parameters
    ----------
    within:
        A period the days must fall in (both ends included).

    Examples
    --------
    >>> from hypothesis import given
    >>> year = Period(start="2024-01-01", end="2024-12-31")
    >>> @given(dates(within=year))
    ... def test_in_year(day): assert day in year
    >>> test_in_year()

    """
    first, last = (within.start, within.end) if within is not None else (_EARLIEST, _LATEST)
    start = dt.date(first.year, first.month, first.day)
    end = dt.date(last.year, last.month, last.day)
    return st.dates(min_value=start, max_value=end).map(_pendulum)


@st.composite
def _periods(draw: st.DrawFn) -> Period:
    if draw(st.booleans()):
        year = draw(st.integers(2020, 2026))
        return Period(start=pendulum.Date(year, 1, 1), end=pendulum.Date(year, 12, 31))
    start = draw(dates())
    return Period(start=start, end=start.add(days=draw(st.integers(0, 800))))


def periods() -> SearchStrategy[Period]:
    """Periods: often a calendar year, otherwise 1 to 801 days from a day in 2020–2027.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(periods())
    ... def test_days(period): assert period.days >= 1
    >>> test_days()

    """
    return _periods()


def _category_maximum() -> SearchStrategy[Decimal]:
    return st.one_of(
        st.sampled_from((100, 50, 30)).map(Decimal),
        st.integers(1, 200).map(_half_points),
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
        st.sampled_from(_CATEGORY_POOL),
        _category_maximum(),
    )


def _unit_names(level: Level) -> SearchStrategy[str]:
    return st.builds(
        lambda place, suffix: place + suffix,
        st.sampled_from(_PLACES),
        st.sampled_from(_LEVEL_SUFFIXES[level]),
    )


@st.composite
def _units(
    draw: st.DrawFn,
    unit_id: str | None,
    category_ids: Sequence[str],
    parents: Sequence[str],
) -> Unit:
    level = draw(st.sampled_from(Level))
    attributes = draw(
        st.one_of(
            st.just({}),
            st.sampled_from(("法治", "执法", "综合")).map(lambda kind: {"kind": kind}),
        )
    )
    return Unit(
        id=unit_id if unit_id is not None else draw(ids(prefix="unit")),
        name=draw(_unit_names(level)),
        level=level,
        category=draw(st.sampled_from(category_ids)),
        parent=draw(st.none() | st.sampled_from(parents)) if parents else None,
        attributes=attributes,
    )


def units(
    categories: Sequence[str] = ("county", "department", "park"),
) -> SearchStrategy[Unit]:
    """Assessed units of one of ``categories``, at any level, without a parent.

    Parameters
    ----------
    categories:
        The category ids to choose from (at least one).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(units(categories=["county"]))
    ... def test_county(unit): assert unit.category == "county"
    >>> test_county()

    """
    return _units(None, list(categories), ())


def roles() -> SearchStrategy[Role]:
    """Roles a scheme may add to the built-in three (never one of the built-in ids).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(roles())
    ... def test_not_builtin(role): assert role not in BUILTIN_ROLES
    >>> test_not_builtin()

    """
    return st.sampled_from(_ROLE_POOL).map(lambda r: Role(id=r[0], name=r[1], name_en=r[2]))


def _person_names() -> SearchStrategy[str]:
    return st.builds(
        lambda surname, given: surname + given,
        st.sampled_from(_SURNAMES),
        st.sampled_from(_GIVEN_NAMES),
    )


@st.composite
def _responsible_persons(draw: st.DrawFn, person_id: str | None) -> ResponsiblePerson:
    attributes = draw(
        st.one_of(
            st.just({}),
            st.sampled_from(("正处级", "副处级", "正科级")).map(lambda rank: {"rank": rank}),
        )
    )
    return ResponsiblePerson(
        id=person_id if person_id is not None else draw(ids(prefix="p")),
        name=draw(_person_names()),
        attributes=attributes,
    )


def responsible_persons() -> SearchStrategy[ResponsiblePerson]:
    """Principal leaders with invented names (林晓舟…) and sometimes a ``rank`` attribute.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(responsible_persons())
    ... def test_named(person): assert person.name
    >>> test_named()

    """
    return _responsible_persons(None)


@st.composite
def _tenures(
    draw: st.DrawFn,
    people: Sequence[str] | None,
    units: Sequence[str] | None,
    roles: Sequence[str] | None,
    period: Period | None,
) -> tuple[Tenure, ...]:
    person_ids = people if people else [f"p-{n:03d}" for n in draw(_unique_numbers(3))]
    unit_ids = units if units else [f"unit-{n:03d}" for n in draw(_unique_numbers(2))]
    role_ids = roles if roles else [r.id for r in BUILTIN_ROLES]
    span = period if period is not None else draw(periods())
    posts = draw(
        st.lists(
            st.tuples(st.sampled_from(unit_ids), st.sampled_from(role_ids)),
            max_size=4,
            unique=True,
        )
    )
    result: list[Tenure] = []
    held: dict[str, list[Tenure]] = {}
    for unit_id, role_id in posts:
        # Tenures of one post follow each other, so no two of them share a day.
        start = span.start.subtract(days=draw(st.integers(0, 400)))
        count = draw(st.integers(1, 3))
        for number in range(count):
            last = number == count - 1
            end: pendulum.Date | None
            if last and draw(st.booleans()):
                end = None
            else:
                end = start.add(days=draw(st.integers(0, 500)))
            # One person holds one post at a time: only people free over the span qualify.
            probe = Tenure(person=person_ids[0], unit=unit_id, role=role_id, start=start, end=end)
            free = [p for p in person_ids if not any(t.overlaps(probe) for t in held.get(p, []))]
            if not free:
                break
            tenure = attrs.evolve(probe, person=draw(st.sampled_from(free)))
            held.setdefault(tenure.person, []).append(tenure)
            result.append(tenure)
            if end is not None:
                start = end.add(days=1 + draw(st.integers(0, 60)))
    return tuple(result)


def tenures(
    people: Sequence[str | ResponsiblePerson] | None = None,
    units: Sequence[str | Unit] | None = None,
    roles: Sequence[str | Role] | None = None,
    period: Period | None = None,
) -> SearchStrategy[tuple[Tenure, ...]]:
    """Tenures of up to four posts (unit × role), no two in one post sharing a day.

    Each post has one to three tenures in a row, starting up to 400 days
    before the period; the last one may be open-ended.

    Parameters
    ----------
    people:
        Persons (or their ids) who may hold the posts; three invented ids if none.
    units:
        Units (or their ids) where the posts are; two invented ids if none.
    roles:
        Roles (or their ids); the built-in roles if none.
    period:
        The period the tenures are placed around; any period if ``None``.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(tenures(people=["p-001"], units=["unit-001"]))
    ... def test_holder(ts): assert all(t.person == "p-001" for t in ts)
    >>> test_holder()

    """
    return _tenures(
        _ids_of(people) if people else None,
        _ids_of(units) if units else None,
        _ids_of(roles) if roles else None,
        period,
    )


@st.composite
def _duties(draw: st.DrawFn, duty_id: str | None, indicator_ids: Sequence[str]) -> Duty:
    refs: list[str] = []
    if indicator_ids:
        refs = draw(st.lists(st.sampled_from(indicator_ids), max_size=3, unique=True))
    return Duty(
        id=duty_id if duty_id is not None else f"D{draw(st.integers(1, 20))}",
        title=draw(st.sampled_from(_DUTY_TITLES)),
        group=draw(st.none() | st.sampled_from(_DUTY_GROUPS)),
        indicators=refs,
        weight=draw(st.none() | st.integers(0, 40).map(_half_points)),
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


# -- evidence -------------------------------------------------------------------------


@st.composite
def _rates_from_counts(draw: st.DrawFn) -> Rate:
    denominator = draw(st.integers(1, 500))
    return Rate(numerator=draw(st.integers(0, denominator)), denominator=denominator)


def rates() -> SearchStrategy[Rate | UndefinedRate]:
    """Rates from counts (``91`` of ``99``), as percentages (``97.5``), and 0-of-0 rates.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(rates())
    ... def test_bounded(rate):
    ...     assert isinstance(rate, UndefinedRate) or 0 <= rate.fraction <= 1
    >>> test_bounded()

    """
    percent = st.integers(0, 10000).map(lambda n: Rate.from_percent(Decimal(n) / 100))
    return st.one_of(_rates_from_counts(), percent, st.just(UndefinedRate()))


def _reasons(required: bool = False) -> SearchStrategy[str]:
    return st.sampled_from(_REASONS[1:] if required else _REASONS)


def _flags() -> SearchStrategy[Flag]:
    plain = st.builds(
        lambda value, reason: Flag(value=value, reason=reason),
        st.sampled_from((FlagValue.YES, FlagValue.NO)),
        _reasons(),
    )
    partly = _reasons(required=True).map(lambda reason: Flag(value=FlagValue.PARTLY, reason=reason))
    return plain | partly


def _measure_values(measure: Measure) -> SearchStrategy[ObservedValue]:
    if measure is Measure.RATE:
        return rates()
    if measure is Measure.COUNT:
        return st.integers(0, 1000).map(lambda n: Count(value=n))
    if measure is Measure.VALUE:
        return st.decimals(min_value=-100, max_value=1000, places=2).map(lambda d: Value(value=d))
    if measure is Measure.FLAG:
        return _flags()
    if measure is Measure.OCCURRENCES:
        return st.lists(dates(), max_size=4).map(lambda days: Occurrences(dates=days))
    if measure is Measure.PROBLEMS:
        item = st.builds(
            OverdueProblem,
            problem=st.sampled_from(("Q-01", "Q-02", "Q-03", "Q-04")),
            deadline=dates(),
            days=st.integers(1, 400),
        )
        return st.lists(item, max_size=4, unique_by=lambda p: p.problem).map(
            lambda items: OverdueProblems(items=items)
        )
    return dates().map(lambda day: DateValue(date=day))


def observed_values(
    measure: Measure | None = None, *, states: bool = True
) -> SearchStrategy[ObservedValue]:
    """Values an observation of ``measure`` holds, and (unless ``states=False``) explicit states.

    Parameters
    ----------
    measure:
        The measure of the indicator observed; any measure if ``None``.
    states:
        Whether :class:`NotApplicable` and :class:`NotSubmitted` may come too.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(observed_values(Measure.COUNT, states=False))
    ... def test_count(value): assert value.value >= 0
    >>> test_count()

    """
    if measure is None:
        values = st.sampled_from(_TYPED_MEASURES).flatmap(_measure_values)
    else:
        values = _measure_values(measure)
    if not states:
        return values
    explicit = st.one_of(
        _reasons().map(lambda reason: NotApplicable(reason=reason)),
        _reasons().map(lambda reason: NotSubmitted(reason=reason)),
    )
    return values | explicit


@st.composite
def _observations(
    draw: st.DrawFn,
    unit: str | None,
    indicator: str | None,
    measure: Measure | None,
    states: bool,
) -> Observation:
    return Observation(
        unit=unit if unit is not None else draw(ids(prefix="unit")),
        indicator=indicator if indicator is not None else draw(_node_ids(depth=3)),
        value=draw(observed_values(measure, states=states)),
        source=draw(st.sampled_from(_SOURCES)),
        date=draw(st.none() | dates()),
    )


def observations(
    unit: str | None = None,
    indicator: str | None = None,
    measure: Measure | None = None,
    *,
    states: bool = True,
) -> SearchStrategy[Observation]:
    """Observations of one unit on one indicator, with a source and date or none.

    Parameters
    ----------
    unit:
        The unit id; invented if ``None``.
    indicator:
        The indicator id; an invented id such as ``2.1.3`` if ``None``.
    measure:
        The measure whose values are observed; any if ``None``.
    states:
        Whether the value may be :class:`NotApplicable` or :class:`NotSubmitted`.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(observations(unit="unit-001", measure=Measure.RATE))
    ... def test_unit(obs): assert obs.accepted_by(Measure.RATE)
    >>> test_unit()

    """
    return _observations(unit, indicator, measure, states)


# -- scheme values --------------------------------------------------------------------


def _node_ids(depth: int) -> SearchStrategy[str]:
    return st.lists(st.integers(1, 9), min_size=depth, max_size=depth).map(
        lambda parts: ".".join(map(str, parts))
    )


@st.composite
def _indicators(
    draw: st.DrawFn,
    indicator_id: str | None,
    parent: str,
    category_ids: Sequence[str] | None,
    measure: Measure | None,
) -> Indicator:
    measure = measure if measure is not None else draw(st.sampled_from(_TYPED_MEASURES))
    direction = draw(st.sampled_from(Direction))
    applies: frozenset[str] | None = None
    if category_ids and draw(st.integers(0, 3)) == 0:
        applies = frozenset(draw(st.lists(st.sampled_from(category_ids), min_size=1, unique=True)))
    return Indicator(
        id=indicator_id if indicator_id is not None else f"{parent}.{draw(st.integers(1, 9))}",
        title=draw(st.sampled_from(_INDICATOR_TITLES[measure])),
        parent=parent,
        measure=measure,
        rule=draw(draw_rule_spec(measure, direction)),
        unit_of_measure=_UNITS_OF_MEASURE.get(measure, ""),
        direction=direction,
        categories=applies,
        description=draw(st.sampled_from(("", "以年度统计为准"))),
    )


def indicators(
    parent: str = "1",
    *,
    categories: Sequence[str] | None = None,
    measure: Measure | None = None,
) -> SearchStrategy[Indicator]:
    """Leaf indicators under ``parent``, with a rule that fits their measure.

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
def _grade_scales(draw: st.DrawFn) -> GradeScale:
    upper = draw(st.integers(0, len(_GRADES)))
    minimums = sorted(
        draw(st.lists(st.integers(0, 200), min_size=upper, max_size=upper, unique=True)),
        reverse=True,
    )
    grades = [
        Grade(id=gid, label=label, name_en=name_en, minimum=_half_points(minimum))
        for (gid, label, name_en), minimum in zip(_GRADES, minimums, strict=False)
    ]
    grades.append(Grade(id="fail", label="不合格", name_en=draw(st.sampled_from(("fail", "")))))
    return GradeScale(grades=grades)


def grade_scales() -> SearchStrategy[GradeScale]:
    """Grade scales of one to five grades, best first, thresholds strictly descending.

    The last grade is always ``fail`` (不合格), without a minimum.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(grade_scales())
    ... def test_last(scale): assert scale.ids[-1] == "fail"
    >>> test_last()

    """
    return _grade_scales()


def rounding_policies() -> SearchStrategy[RoundingPolicy]:
    """Rounding policies with 0 to 4 places, any rounding mode, per indicator or not.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(rounding_policies())
    ... def test_places(policy): assert 0 <= policy.places <= 4
    >>> test_places()

    """
    return st.builds(
        lambda places, mode, each: RoundingPolicy(places=places, mode=mode, indicators=each),
        st.integers(0, 4),
        st.sampled_from(RoundingMode),
        st.booleans(),
    )


def scoring_policies() -> SearchStrategy[ScoringPolicy]:
    """Scheme-wide scoring choices: evaluation date, missing evidence, bonus cap, floor.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(scoring_policies())
    ... def test_cap(policy): assert policy.bonus_cap is None or policy.bonus_cap > 0
    >>> test_cap()

    """
    return st.builds(
        lambda as_of, missing, cap, floor: ScoringPolicy(
            as_of=as_of, not_submitted=missing, bonus_cap=cap, floor_at_zero=floor
        ),
        st.none() | dates(),
        st.sampled_from(NotSubmittedPolicy),
        st.none() | st.integers(1, 20).map(_half_points),
        st.booleans(),
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
    cap = draw(st.none() | st.integers(1, 20).map(_half_points))
    choice = draw(st.integers(0, 2))
    if choice == 0:
        levels = draw(st.lists(st.sampled_from(_BONUS_LEVELS), min_size=1, unique=True))
        return Bonus(
            id=item_id,
            title=draw(st.sampled_from(("法治政府建设示范创建", "法治宣传优秀案例"))),
            levels={level: _half_points(draw(st.integers(1, 10))) for level in levels},
            cap=cap,
        )
    if choice == 1:
        return ExtraDeduction(
            id=item_id,
            title=draw(st.sampled_from(("年度报告未按时公开", "督察通报问题"))),
            per=_half_points(draw(st.integers(1, 10))),
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
    pairs = draw(st.lists(st.sampled_from(_CATEGORY_POOL), min_size=1, max_size=3, unique=True))
    cats = [Category(id=i, name=n, maximum=draw(_category_maximum())) for i, n in pairs]
    cat_ids = [c.id for c in cats]

    # The tree: top dimensions "1", "2"…; under each, leaves "1.1" or
    # sub-dimensions "1.2" with leaves "1.2.1"….
    dimensions: list[Dimension] = []
    leaves: list[Indicator] = []
    for top in range(1, draw(st.integers(1, 3)) + 1):
        top_id = str(top)
        dimensions.append(Dimension(id=top_id, title=draw(st.sampled_from(_DIMENSION_TITLES))))
        for child in range(1, draw(st.integers(1, 3)) + 1):
            child_id = f"{top_id}.{child}"
            if draw(st.booleans()):
                leaves.append(draw(_indicators(child_id, top_id, cat_ids, None)))
                continue
            dimensions.append(
                Dimension(
                    id=child_id, title=draw(st.sampled_from(_DIMENSION_TITLES)), parent=top_id
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
            i.id: _half_points(p) for i, p in zip(applicable, parts, strict=True)
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
    grading = GradingPolicy(
        grades=draw(grade_scales()).grades,
        peer_group=draw(st.sampled_from(("category", "level"))),
    )
    items = [
        draw(_adjustment_items(f"adj-{n}", [d.id for d in dimensions], grading.scale.ids))
        for n in range(1, draw(st.integers(0, 3)) + 1)
    ]
    period = draw(periods())
    year = period.start.year
    place = draw(st.sampled_from(_PLACES))
    return Scheme(
        id=f"{draw(st.sampled_from(('scheme', 'fz', '考核')))}-{year}",
        title=f"{place}市{year}年度法治政府建设考核",
        version=draw(st.sampled_from(("1", "2", f"{year}.1"))),
        period=period,
        categories=cats,
        dimensions=dimensions,
        indicators=leaves,
        weights=weights,
        scale=draw(st.sampled_from((100, 10, 1000))),
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


@st.composite
def _assessments(draw: st.DrawFn, scheme: Scheme | None) -> Assessment:
    scheme = scheme if scheme is not None else draw(schemes())
    cat_ids = [c.id for c in scheme.categories]
    unit_list: list[Unit] = []
    for number in draw(st.lists(st.integers(1, 999), min_size=1, max_size=5, unique=True)):
        # A parent is always an earlier unit, so the unit tree has no cycle.
        parents = [u.id for u in unit_list]
        unit_list.append(draw(_units(f"unit-{number:03d}", cat_ids, parents)))
    people = [
        draw(_responsible_persons(f"p-{number:03d}"))
        for number in draw(st.lists(st.integers(1, 999), max_size=4, unique=True))
    ]
    tenure_list: tuple[Tenure, ...] = ()
    if people:
        tenure_list = draw(
            _tenures(
                [p.id for p in people],
                [u.id for u in unit_list],
                [r.id for r in scheme.all_roles],
                scheme.period,
            )
        )
    found: list[Observation] = []
    for unit in unit_list:
        for indicator in scheme.indicators:
            choice = draw(st.integers(0, 9))
            if not indicator.applies_to(unit.category):
                # Only an explicit "not applicable" may be given for such a pair.
                value: ObservedValue | None = NotApplicable() if choice == 0 else None
            elif choice == 0:
                value = None
            elif choice == 1:
                value = NotApplicable(reason=draw(_reasons()))
            elif choice == 2:
                value = NotSubmitted(reason=draw(_reasons()))
            else:
                value = draw(_fitting_values(indicator))
            if value is not None:
                found.append(
                    Observation(
                        unit=unit.id,
                        indicator=indicator.id,
                        value=value,
                        source=draw(st.sampled_from(_SOURCES)),
                        date=draw(st.none() | dates(within=scheme.period)),
                    )
                )
    events = [
        draw(_adjustment_events(unit_list, scheme))
        for _ in range(draw(st.integers(0, 3)) if _has_items(scheme) else 0)
    ]
    return Assessment(
        scheme=scheme,
        units=unit_list,
        people=people,
        tenures=tenure_list,
        evidence=Evidence(observations=found),
        adjustments=events,
    )


def _has_items(scheme: Scheme) -> bool:
    return bool(scheme.bonuses or scheme.deductions or scheme.vetoes)


@st.composite
def _adjustment_events(draw: st.DrawFn, units: Sequence[Unit], scheme: Scheme) -> AdjustmentEvent:
    items: list[Bonus | ExtraDeduction | Veto] = [
        *scheme.bonuses,
        *scheme.deductions,
        *scheme.vetoes,
    ]
    item = draw(st.sampled_from(items))
    achievement = level = ""
    if isinstance(item, Bonus):
        level = draw(st.sampled_from(sorted(item.levels)))
        achievement = draw(st.sampled_from(("依法行政示范项目", "法治乡村建设项目")))
    return AdjustmentEvent(
        unit=draw(st.sampled_from([u.id for u in units])),
        item=item.id,
        achievement=achievement,
        level=level,
        date=draw(st.none() | dates(within=scheme.period)),
        reason=draw(_reasons()),
        source=draw(st.sampled_from(_SOURCES)),
    )


def _fitting_values(indicator: Indicator) -> SearchStrategy[ObservedValue]:
    """Observed values of the indicator's measure that its rule can score."""
    if indicator.rule.kind == "given-score":
        out_of = Decimal(indicator.rule.params.get("out_of", 100))
        return st.decimals(min_value=0, max_value=out_of, places=2).map(lambda d: Value(value=d))
    return _measure_values(indicator.measure)


def assessments(scheme: Scheme | None = None) -> SearchStrategy[Assessment]:
    """Valid assessments: a scheme, one to five units, people, tenures and evidence.

    Units belong to the scheme's categories and sometimes have an earlier
    unit as parent; up to four people hold non-overlapping tenures in the
    scheme's roles. Each unit has one observation of the right kind per
    indicator that applies to it — sometimes :class:`NotApplicable`,
    :class:`NotSubmitted`, or no observation at all. Values fit the
    indicator's rule (a ``given-score`` value lies between 0 and ``out_of``).
    When the scheme declares adjustment items, up to three events befall
    the units.

    Parameters
    ----------
    scheme:
        The scheme to assess under; a new one from :func:`schemes` if ``None``.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(assessments())
    ... def test_units(a): assert a.units
    >>> test_units()

    """
    return _assessments(scheme)
