"""Errors of values built in code as data: codes, parameters, places as fields, two languages.

The error tree's own promises too: an :class:`~rulelaw.errors.InputError`
takes its place as fields or as text, keeps every field when located and
when pickled, and compares equal to itself after a pickle round trip.
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest

import rulelaw
from rulelaw import (
    Category,
    DataError,
    EncodingError,
    InputError,
    LookupFailed,
    SchemeError,
    Tenure,
    ValidationError,
)
from rulelaw.convert import make_converter, structure
from rulelaw.messages import Message
from rulelaw.model import quoted, to_decimal


def _mini_scheme() -> rulelaw.Scheme:
    return rulelaw.load("tests/data/mini").scheme


# -- the place as fields ----------------------------------------------------------------


def test_an_error_placed_by_fields_shows_the_same_place_as_by_text() -> None:
    """``row=``, ``column=`` give what ``where="row 3, column 'parent'"`` gives."""
    by_fields = DataError("bad", file="units.csv", row=3, column="parent")
    by_text = DataError("bad", file="units.csv", where="row 3, column 'parent'")
    assert by_fields == by_text
    for error in (by_fields, by_text):
        assert (error.row, error.column, error.key_path, error.where) == (
            3,
            "parent",
            None,
            "row 3, column 'parent'",
        )
    assert by_fields.text("zh-CN") == "units.csv，第3行“parent”列：bad"


@pytest.mark.parametrize(
    ("fields", "where", "zh"),
    [
        ({"row": 1, "header": True}, "row 1 (header)", "第1行（表头）"),
        ({"row": 7}, "row 7", "第7行"),
        ({"line": 3, "column": 7}, "line 3, column 7", "第3行第7列"),
        ({"line": 3}, "line 3", "第3行"),
        ({"byte": 12}, "byte 12", "字节位置12"),
        ({"end": True}, "end of document", "文件末尾"),
        ({"key_path": "$.weights.county"}, "$.weights.county", "$.weights.county"),
    ],
)
def test_every_kind_of_place_as_fields_and_as_text(
    fields: dict[str, Any], where: str, zh: str
) -> None:
    """Each kind of place reads the same whether given as fields or as ``where`` text."""
    by_fields = SchemeError("bad", **fields)
    by_text = SchemeError("bad", where=where)
    assert by_fields.where == where
    assert by_fields.place("zh-CN") == by_text.place("zh-CN") == zh
    named = ("row", "column", "line", "byte", "key_path", "header", "end")
    assert [getattr(by_text, f) for f in named] == [getattr(by_fields, f) for f in named]


def test_a_place_is_given_one_way_only() -> None:
    """``where=`` together with a field is refused (a TypeError: the caller's mistake)."""
    with pytest.raises(TypeError, match="either as where= or as its fields"):
        DataError("bad", where="row 2", row=2)


def test_located_keeps_every_field_and_the_problems_code() -> None:
    """``located`` keeps code, params, expected, got and the row; it prefixes only key paths."""
    problem = Message.of("roster.unknown-unit", unit="u-9")
    expected = Message.of("roster.expected-unit-id")
    at_row = DataError(problem, row=4, column="unit", expected=expected, got="u-9")
    moved = at_row.located(file="tenures.csv", prefix="$.tenures[2]", as_type=SchemeError)
    assert type(moved) is SchemeError
    assert (moved.file, moved.row, moved.column, moved.key_path) == ("tenures.csv", 4, "unit", None)
    assert (moved.code, moved.params, moved.got) == (
        "roster.unknown-unit",
        (("unit", "u-9"),),
        "u-9",
    )
    assert isinstance(moved.expected, Message)
    assert moved.expected.code == "roster.expected-unit-id"
    by_key = DataError(problem, key_path="unit").located(prefix="$.tenures[2]")
    assert (by_key.key_path, by_key.where, by_key.code) == (
        "$.tenures[2].unit",
        "$.tenures[2].unit",
        "roster.unknown-unit",
    )
    assert by_key.text("zh-CN") == "$.tenures[2].unit：未知单位“u-9”"


# -- pickling and equality ----------------------------------------------------------------


def _representative_errors() -> list[InputError]:
    """Errors of every class and place, with plain and message problems."""
    number = Message.of("number.too-long", size=Message.of("number.digits-before", limit=1000))
    return [
        InputError("bad"),
        DataError("bad", file="units.csv", where="row 2", expected="good", got=b"\xff"),
        DataError(
            Message.of("csv.unknown-column", column="x"),
            file="evidence.csv",
            row=1,
            header=True,
            expected=Message.of("csv.expected-columns-among", columns=("unit", "indicator")),
        ),
        SchemeError(Message.of("toml.invalid", reason="Invalid value"), file="s.toml", end=True),
        SchemeError(Message.of("toml.invalid", reason="Invalid value"), line=3, column=9),
        EncodingError(Message.of("file.encoding"), file="people.csv", byte=11, got=b"\xff\xfe"),
        DataError(number, key_path="$.value", got="1" * 1200),
        SchemeError(
            Message.of("date.not-a-date"),
            key_path="$.period.end",
            expected=Message.of("date.on-or-after", date=pendulum.Date(2024, 1, 1)),
            got=[1, {"a": 2}],
        ),
        DataError("odd place", where="row 5, column unquoted"),
    ]


@pytest.mark.parametrize("error", _representative_errors(), ids=lambda e: str(e)[:40])
def test_every_input_error_equals_itself_after_pickling(error: InputError) -> None:
    """A pickled error is equal, of the same class, with every field, code and text kept."""
    copy = pickle.loads(pickle.dumps(error))
    assert copy == error
    assert type(copy) is type(error)
    assert copy.__dict__ == error.__dict__
    assert (copy.code, copy.params) == (error.code, error.params)
    assert copy.text("zh-CN") == error.text("zh-CN")
    assert hash(copy) == hash(error)


def test_a_validation_error_equals_itself_after_pickling() -> None:
    """A ValidationError of such errors, with a source message, pickles equal in both languages."""
    error = ValidationError(
        _representative_errors(), source=Message.of("errors.source-scheme", id="demo")
    )
    copy = pickle.loads(pickle.dumps(error))
    assert copy == error
    assert copy.errors == error.errors
    assert copy.text("zh-CN") == error.text("zh-CN")
    assert error.text("zh-CN").startswith("考核方案“demo”中有9个问题：\n  - bad\n")


def test_lookup_failed_pickles_with_its_message() -> None:
    """LookupFailed keeps its message's code and params through pickling."""
    error = LookupFailed("unit", "county-c", ["city", "county-a"])
    copy = pickle.loads(pickle.dumps(error))
    assert copy == error
    assert (copy.message.code, copy.message.params) == (
        "lookup.no-such-known",
        (("kind", "unit"), ("key", "county-c"), ("known", ("city", "county-a"))),
    )
    assert copy.text("zh-CN") == "单位“county-c”不存在（已有：“city”、“county-a”）"


# -- representative errors of values built in code ------------------------------------


def test_weights_that_do_not_add_up_in_a_scheme_built_in_code() -> None:
    """A Scheme built in code: scheme.weights-sum at its key path, the source a message too."""
    scheme = _mini_scheme()
    county = scheme.weights_for("county")
    short = attrs.evolve(county, points={**county.points, "2.1": Decimal(35)})
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(scheme, weights=[short, scheme.weights_for("department")])
    (error,) = caught.value.errors
    assert (error.code, error.key_path, error.row) == (
        "scheme.weights-sum",
        "$.weights.county",
        None,
    )
    assert caught.value.text("zh-CN") == (
        "考核方案“mini-2024”中有1个问题：\n"
        "  - $.weights.county：类别“county”的权重之和应为100（实为95，涉及“1”、“2”）"
    )


def test_a_number_too_long() -> None:
    """1,200 digits: number.too-long with the reason nested, the cell cut in the text."""
    with pytest.raises(DataError) as caught:
        to_decimal("1" * 1200)
    error = caught.value
    assert error.code == "number.too-long"
    size = dict(error.params)["size"]
    assert isinstance(size, Message)
    assert (size.code, size.params) == ("number.digits-before", (("limit", 1000),))
    assert str(error) == (
        "a number with more than 1,000 digits before the decimal point (expected a decimal "
        f"number of at most 1,000 digits either side of the point; got {'1' * 120!r}… "
        "(1,200 characters))"
    )
    assert error.text("zh-CN") == (
        "数字过长：整数部分超过1000位（应为整数部分和小数部分各不超过1000位的十进制数；"
        f"实为“{'1' * 120}”…（共1200个字符））"
    )


def test_a_value_out_of_range_names_its_field() -> None:
    """Category maximum 0: number.not-positive at ``maximum``, expected 大于0."""
    with pytest.raises(SchemeError) as caught:
        Category(id="county", name="县市区", maximum=0)
    error = caught.value
    assert (error.code, error.params, error.key_path) == (
        "number.not-positive",
        (("field", "maximum"),),
        "maximum",
    )
    assert str(error) == "maximum: maximum must be positive (expected > 0; got 0)"
    assert error.text("zh-CN") == "maximum：“maximum”必须大于0（应为大于0；实为0）"


def test_a_tenure_ending_before_it_starts_shows_the_date_in_chinese() -> None:
    """Dates as parameters: 2022年3月1日 in Chinese, 2022-03-01 in English."""
    with pytest.raises(DataError) as caught:
        Tenure(person="p", unit="u", role="party-head", start="2022-03-01", end="2021-01-01")
    error = caught.value
    assert error.code == "roster.tenure-ends-before-start"
    assert str(error) == (
        "end: tenure ends before it starts (expected a date on or after 2022-03-01; "
        "got '2021-01-01')"
    )
    assert error.text("zh-CN") == (
        "end：任职结束日期早于开始日期（应为不早于2022年3月1日的日期；实为“2021-01-01”）"
    )


def test_an_unknown_key_and_a_value_not_allowed_from_the_converter() -> None:
    """The converter's problems: convert.unknown-key at its path; convert.not-allowed, its ids."""
    conv = make_converter()
    with pytest.raises(ValidationError) as caught:
        structure(conv, {"id": "c", "name": "x", "foo": 1}, Category)
    (unknown,) = caught.value.errors
    assert (unknown.code, unknown.key_path) == ("convert.unknown-key", "$.foo")
    assert unknown.text("zh-CN") == "$.foo：未知键“foo”"
    with pytest.raises(ValidationError) as caught:
        structure(conv, {"places": 2, "mode": "random"}, rulelaw.RoundingPolicy)
    (bad,) = caught.value.errors
    assert bad.code == "convert.not-allowed"
    assert isinstance(bad.expected, Message)
    assert bad.expected.code == "convert.one-of"
    assert bad.expected.params == (
        ("ids", ("half-up", "half-even", "half-down", "up", "down", "ceiling", "floor")),
    )
    assert str(bad) == (
        "$.mode: not an allowed value (expected one of 'half-up', 'half-even', 'half-down', "
        "'up', 'down', 'ceiling', 'floor'; got 'random')"
    )
    assert bad.text("zh-CN") == (
        "$.mode：不是允许的值（应为“half-up”、“half-even”、“half-down”、“up”、“down”、“ceiling”、"
        "“floor”之一；实为“random”）"
    )


def test_a_missing_key_names_it() -> None:
    """A required key missing: convert.missing-required-key with what the value is called."""
    with pytest.raises(ValidationError) as caught:
        structure(make_converter(), {"id": "c"}, Category)
    (error,) = caught.value.errors
    assert (error.code, error.params, error.key_path) == (
        "convert.missing-required-key",
        (("key", "name"),),
        "$.name",
    )
    assert str(error) == "$.name: missing required key 'name' (expected a text)"
    assert error.text("zh-CN") == "$.name：缺少必填键“name”（应为文本）"


def test_quoted_ids_are_a_message_cut_after_ten() -> None:
    """``quoted`` gives text.ids (or text.ids-more with the count), each id quoted per language."""
    few = quoted(["a", "b"])
    assert (few, few.text("zh-CN"), few.code) == ("'a', 'b'", "“a”、“b”", "text.ids")
    many = quoted(str(n) for n in range(12))
    assert many == "'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', … (12 in all)"
    assert many.text("zh-CN") == "“0”、“1”、“2”、“3”、“4”、“5”、“6”、“7”、“8”、“9”等，共12个"
    assert not quoted([])
