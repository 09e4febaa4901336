"""Observed values described as messages, and evidence refused with messages, in both languages."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulelaw import (
    Count,
    DataError,
    DateValue,
    Evidence,
    Falsified,
    Flag,
    Measure,
    NotApplicable,
    NotSubmitted,
    Observation,
    Occurrences,
    Rate,
    UndefinedRate,
    Value,
)
from rulelaw.messages import Message, builtin_catalogue, params_data
from rulelaw.model.evidence import OverdueProblem, OverdueProblems
from rulelaw.testing import observed_values
from rulelaw.testing.conformance import _message_problem

#: (id, value, code, English, Chinese)
DESCRIBED: list[tuple[str, Any, str, str, str]] = [
    (
        "rate of counts",
        Rate.from_counts(45, 50),
        "value.rate-counts",
        "45/50 (90.00%)",
        "45/50（90.00%）",
    ),
    ("rate as a percentage", Rate.from_percent("97.5"), "value.rate-percent", "97.50%", "97.50%"),
    (
        "undefined rate",
        UndefinedRate(),
        "value.undefined-rate",
        "0/0 (undefined rate)",
        "0/0（分母为空，比率无定义）",
    ),
    ("count", Count(value=7), "value.count", "7", "7"),
    ("value", Value(value="1,234.5"), "value.number", "1234.5", "1234.5"),
    ("value as written", Value(value="1e3"), "value.number", "1E+3", "1E+3"),
    ("flag yes", Flag(value="是"), "value.flag-yes", "yes", "是"),
    (
        "flag no, reason",
        Flag(value="no", reason="未聘请"),
        "value.flag-reason",
        "no (未聘请)",
        "否（未聘请）",
    ),
    (
        "flag partly",
        Flag(value="部分", reason="两项未完成"),
        "value.flag-reason",
        "partly (两项未完成)",
        "部分（两项未完成）",
    ),
    (
        "flag partly, amount",
        Flag(value="partly", reason="两项未完成", amount="62.5"),
        "value.flag-amount-reason",
        "partly 62.5 (两项未完成)",
        "部分，评定62.5分（两项未完成）",
    ),
    (
        "occurrences",
        Occurrences(dates=["2024-05-09", "2024-03-02"]),
        "value.occurrences",
        "2: 2024-03-02, 2024-05-09",
        "2次：2024年3月2日、2024年5月9日",
    ),
    ("no occurrences", Occurrences(), "value.none", "none", "无"),
    ("date", DateValue(date="2025-03-04"), "value.date", "2025-03-04", "2025年3月4日"),
    (
        "date, note",
        DateValue(date="2025-03-04", note="逾期"),
        "value.date-note",
        "2025-03-04 (逾期)",
        "2025年3月4日（逾期）",
    ),
    ("not applicable", NotApplicable(), "value.not-applicable", "not applicable", "不适用"),
    (
        "not applicable, reason",
        NotApplicable(reason="无行政执法职能"),
        "value.not-applicable-reason",
        "not applicable (无行政执法职能)",
        "不适用（无行政执法职能）",
    ),
    ("not submitted", NotSubmitted(), "value.not-submitted", "not submitted", "未报送"),
    (
        "falsified, reason",
        Falsified(reason="台账补记"),
        "value.falsified-reason",
        "evidence marked false (台账补记)",
        "佐证材料经查弄虚作假（台账补记）",
    ),
    (
        "no overdue problems",
        OverdueProblems(),
        "value.no-overdue-problems",
        "no overdue problems",
        "无逾期未整改问题",
    ),
    (
        "overdue problems",
        OverdueProblems(
            items=[
                OverdueProblem(problem="p-2", deadline="2025-02-01", days=1),
                OverdueProblem(problem="p-1", deadline="2025-01-01", days=12),
            ]
        ),
        "value.overdue-problems",
        "2 overdue: p-1 (12 days), p-2 (1 day)",
        "2个问题逾期未整改：p-1（逾期12天）、p-2（逾期1天）",
    ),
]


@pytest.mark.parametrize(
    ("value", "code", "english", "chinese"),
    [case[1:] for case in DESCRIBED],
    ids=[case[0] for case in DESCRIBED],
)
def test_description_reads_in_english_and_chinese(
    value: Any, code: str, english: str, chinese: str
) -> None:
    """Each observed value's description has its code, the English as before, and Chinese."""
    said = value.describe()
    assert isinstance(said, Message)
    assert (said.code, str(said), said.text("zh-CN")) == (code, english, chinese)
    assert _message_problem(said, builtin_catalogue()) is None


def test_description_parameters_are_data() -> None:
    """A description's parameters are the value's numbers and days, ready for JSON."""
    assert params_data(Rate.from_counts(45, 50).describe()) == {
        "numerator": 45,
        "denominator": 50,
        "percent": "90.00",
    }
    occurrences = Occurrences(dates=["2024-03-02", "2024-05-09"]).describe()
    assert occurrences.params == (
        ("count", 2),
        ("dates", (dt.date(2024, 3, 2), dt.date(2024, 5, 9))),
    )
    assert params_data(occurrences) == {"count": 2, "dates": ["2024-03-02", "2024-05-09"]}


def test_missing_evidence_row_reads_in_both_languages() -> None:
    """A pair without an evidence row is not submitted 'no evidence row', said in Chinese too."""
    observed = Evidence([]).get("unit-001", "1.1").value.describe()
    assert (str(observed), observed.text("zh-CN")) == (
        "not submitted (no evidence row)",
        "未报送（佐证材料表中无此项记录）",
    )
    assert observed.param("reason").code == "value.no-evidence-row"  # type: ignore[attr-defined]


def test_description_pickles_as_itself() -> None:
    """A description pickles to an equal message of the same code and parameters."""
    said = Occurrences(dates=["2024-03-02"]).describe()
    copy = pickle.loads(pickle.dumps(said))
    assert (copy, copy.code, copy.params) == (said, said.code, said.params)


@settings(max_examples=300, deadline=None, database=None)
@given(value=st.sampled_from(list(Measure)).flatmap(observed_values))
def test_every_description_is_what_its_templates_render(value: Any) -> None:
    """Any observed value's description has both templates and reads as its template does."""
    said = value.describe()
    assert isinstance(said, Message)
    assert _message_problem(said, builtin_catalogue()) is None, said


#: (id, what is built, code, English, Chinese of the problem, of what was expected)
REFUSED: list[tuple[str, Any, str, str, str, str | None]] = [
    (
        "numerator above denominator",
        lambda: Rate(numerator=5, denominator=4),
        "evidence.numerator-above-denominator",
        "numerator: numerator larger than denominator (expected at most the denominator 4; got 5)",
        "分子大于分母",
        "不超过分母4",
    ),
    (
        "percentage out of range",
        lambda: Rate.from_percent("120"),
        "evidence.percent-out-of-range",
        "percent: percentage out of range (expected 0 to 100; got 120)",
        "百分比超出范围",
        "0至100",
    ),
    (
        "negative count",
        lambda: Count(value=-1),
        "evidence.negative-count",
        "negative count (expected a whole number >= 0; got -1)",
        "计数为负数",
        "大于或等于0的整数",
    ),
    (
        "not a flag",
        lambda: Flag(value="也许"),
        "evidence.not-a-flag",
        "not a yes/no/partly flag (expected one of yes, no, partly (是/否/部分); got '也许')",
        "不是“是”“否”“部分”之一",
        "“是”“否”“部分”之一（也可写作yes、no、partly）",
    ),
    (
        "partly without a reason",
        lambda: Flag(value="部分"),
        "evidence.partly-needs-reason",
        "reason: a 'partly' flag needs a reason (expected a reason text)",
        "“部分”须说明理由",
        "理由说明",
    ),
    (
        "two observations",
        lambda: Evidence(
            [
                Observation(unit="u1", indicator="1.1", value=Count(value=1)),
                Observation(unit="u1", indicator="1.1", value=Count(value=2)),
            ]
        ),
        "evidence.two-observations",
        "observations[1]: two observations of indicator '1.1' for unit 'u1' (expected one "
        "observation per unit and indicator)",
        "单位“u1”的指标“1.1”有两条考核数据",
        "每个单位每项指标一条考核数据",
    ),
]


@pytest.mark.parametrize(
    ("build", "code", "english", "chinese", "expected"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_refused_evidence_says_why_in_both_languages(
    build: Any, code: str, english: str, chinese: str, expected: str | None
) -> None:
    """A value refused at construction raises a DataError whose problem is a message."""
    with pytest.raises(DataError) as info:
        build()
    error = info.value
    assert (error.code, str(error)) == (code, english)
    assert error.problem.text("zh-CN") == chinese  # type: ignore[attr-defined]
    if expected is not None:
        assert error.expected.text("zh-CN") == expected  # type: ignore[union-attr]


def test_amount_for_a_yes_flag_is_refused_with_a_message() -> None:
    """An amount on a 'yes' flag is refused, the amount shown as given."""
    with pytest.raises(DataError) as info:
        Flag(value="yes", amount=Decimal("5"))
    assert info.value.code == "evidence.amount-only-for-partly"
    assert info.value.problem.text("zh-CN") == "仅“部分”可给出评定分值"  # type: ignore[attr-defined]
