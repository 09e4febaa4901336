"""Invented words and plain values shared by every strategy: ids, days, periods.

Names of people and places are invented (青岚县, 林晓舟…); ids look like
``unit-017`` and ``p-042``. Points are whole or half points, so that every
sum of weights is exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pendulum
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from rulelaw.model import EXACT, Level, Measure, Period, scaled

__all__ = ["dates", "ids", "periods"]

# -- invented words -------------------------------------------------------------------

ID_PREFIXES = ("unit", "p", "x", "obj", "考核", "单位")
PLACES = ("青岚", "澄桐", "梧棠", "榆川", "栎溪", "苇塘", "沁岭", "檀湾", "枫渚", "蓼洲")
SURNAMES = "林周沈许苏顾陆叶程秦"
GIVEN_NAMES = ("晓舟", "望川", "一苇", "初晴", "砚秋", "知微", "若谷", "明澈", "清和", "景行")
LEVEL_SUFFIXES = {
    Level.CITY: ("市", "市司法局", "市自然资源局"),
    Level.COUNTY: ("县", "区", "县司法局"),
    Level.TOWNSHIP: ("镇", "乡", "街道"),
}
CATEGORY_POOL = (
    ("county", "县市区"),
    ("department", "市直单位"),
    ("park", "园区"),
    ("township", "乡镇街道"),
    ("zone", "开发区"),
)
DIMENSION_TITLES = ("学法用法", "依法决策", "严格执法", "监督问责", "组织领导", "法治宣传")
INDICATOR_TITLES = {
    Measure.RATE: ("学法考试参考率", "重大行政决策合法性审查率", "行政机关负责人出庭应诉率"),
    Measure.COUNT: ("执法人员培训场次", "法治宣传活动次数"),
    Measure.VALUE: ("群众满意度", "述法评议得分"),
    Measure.FLAG: ("法律顾问配备", "重大决策目录公布"),
    Measure.OCCURRENCES: ("违法行政案件", "被督察通报问题"),
    Measure.DATE: ("年度报告报送", "年度报告公开"),
    Measure.PROBLEMS: ("问题整改逾期", "督察问题未按期整改"),
}
#: Kinds of occurrence a ``deduction`` rule may price and evidence name (未按时报送, 未报送…).
OCCURRENCE_KINDS = ("late", "missed", "未按时报送", "未报送", "逾期")
#: The measures whose evidence is typed in (``problems`` is derived from the ledger).
TYPED_MEASURES = tuple(m for m in Measure if m is not Measure.PROBLEMS)

UNITS_OF_MEASURE = {Measure.RATE: "%", Measure.COUNT: "次", Measure.VALUE: "分"}
ROLE_POOL = (
    ("park-head", "园区主要负责人", "park head"),
    ("township-head", "乡镇党委书记", "township party head"),
    ("court-liaison", "法院联络负责人", ""),
    ("office-head", "办公室主任", "office head"),
)
DUTY_GROUPS = ("组织领导", "决策部署", "工作推进", "监督检查")
DUTY_TITLES = (
    "统筹谋划法治建设",
    "研究部署年度法治工作",
    "推动重大决策合法性审查",
    "督促问题整改落实",
    "带头学法述法",
)
GRADES = (
    ("excellent", "优秀", "excellent"),
    ("good", "良好", "good"),
    ("pass", "合格", "pass"),
    ("basic", "基本合格", ""),
)
REASONS = ("", "本年度无此项工作", "材料未按时报送", "整改尚未完成")
SOURCES = ("", "市委依法治市办", "市司法局", "县政府办公室")

EARLIEST = dt.date(2020, 1, 1)
LATEST = dt.date(2027, 12, 31)


# -- small helpers ----------------------------------------------------------------------


def pendulum_date(day: dt.date) -> pendulum.Date:
    """``day`` as a ``pendulum.Date``."""
    return pendulum.Date(day.year, day.month, day.day)


def shifted(day: dt.date, days: int) -> pendulum.Date:
    """``day`` moved by ``days``, kept within the calendar (a period may end 9999-12-31)."""
    ordinal = min(max(day.toordinal() + days, dt.date.min.toordinal()), dt.date.max.toordinal())
    return pendulum_date(dt.date.fromordinal(ordinal))


def hundredths(n: int) -> Decimal:
    """``n`` hundredths, exactly (whatever the thread's decimal context): 9950 → 99.50."""
    return scaled(n, 2)


def part_of(low: Decimal, high: Decimal, n: int) -> Decimal:
    """The number ``n`` hundredths of the way from ``low`` to ``high``, exactly."""
    return EXACT.add(low, EXACT.multiply(EXACT.subtract(high, low), hundredths(n)))


def half_points(halves: int) -> Decimal:
    """``halves`` half points as an exact decimal: 5 → 2.5, 4 → 2."""
    return Decimal(halves) / 2


def ids_of(items: Sequence[Any]) -> list[str]:
    """Ids from a sequence of ids or of values with an ``id`` attribute."""
    return [item if isinstance(item, str) else item.id for item in items]


def unique_numbers(size: int, top: int = 999) -> SearchStrategy[list[int]]:
    """``size`` distinct whole numbers from 1 to ``top``."""
    return st.lists(st.integers(1, top), min_size=size, max_size=size, unique=True)


def reasons(required: bool = False) -> SearchStrategy[str]:
    """Reasons given with a state or a flag (never empty when ``required``)."""
    return st.sampled_from(REASONS[1:] if required else REASONS)


def near(day: dt.date, before: int, after: int) -> SearchStrategy[pendulum.Date]:
    """Days from ``before`` days before ``day`` to ``after`` days after it, shrinking to ``day``."""
    return st.integers(-before, after).map(lambda n: shifted(day, n))


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
    prefixes = st.just(prefix) if prefix is not None else st.sampled_from(ID_PREFIXES)
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
    first, last = (within.start, within.end) if within is not None else (EARLIEST, LATEST)
    start = dt.date(first.year, first.month, first.day)
    end = dt.date(last.year, last.month, last.day)
    return st.dates(min_value=start, max_value=end).map(pendulum_date)


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
