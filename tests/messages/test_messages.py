"""Messages as data: a code and parameters, English as the text, any language on request."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pendulum
import pytest

from rulelaw.messages import (
    LANGUAGES,
    Catalogue,
    Message,
    builtin_catalogue,
    choose_language,
    params_data,
    render,
)

CATALOGUE = Catalogue(
    {
        "demo.dated": {"en": "due {day} ({n} day{n:s} late)", "zh-CN": "应于{day}前（逾期{n}天）"},
        "demo.quoted": {"en": "unknown unit {unit!r}", "zh-CN": "未知单位{unit!r}"},
        "demo.listed": {"en": "missing: {ids}", "zh-CN": "缺少：{ids}"},
        "demo.signed": {"en": "{points:+} points", "zh-CN": "{points:+}分"},
    }
)


def test_a_message_is_its_english_text_with_code_and_params() -> None:
    """``Message.of`` makes a str that is the English text, with ``code`` and ``params``."""
    m = Message.of("demo.hello", name="林晓舟")
    assert m == "hello 林晓舟"
    assert isinstance(m, str)
    assert (m.code, m.params, m.param("name")) == ("demo.hello", (("name", "林晓舟"),), "林晓舟")
    assert m.text("zh-CN") == "你好，林晓舟"
    assert render(m, "zh-CN") == "你好，林晓舟"
    assert render("plain text", "zh-CN") == "plain text"


@pytest.mark.parametrize(
    ("code", "params", "en", "zh"),
    [
        (
            "demo.dated",
            {"day": pendulum.Date(2025, 3, 1), "n": 1},
            "due 2025-03-01 (1 day late)",
            "应于2025年3月1日前（逾期1天）",
        ),
        (
            "demo.dated",
            {"day": pendulum.Date(2025, 3, 1), "n": 3},
            "due 2025-03-01 (3 days late)",
            "应于2025年3月1日前（逾期3天）",
        ),
        ("demo.quoted", {"unit": "county-01"}, "unknown unit 'county-01'", "未知单位“county-01”"),
        ("demo.listed", {"ids": ("a", "b")}, "missing: a, b", "缺少：a、b"),
        ("demo.signed", {"points": Decimal("-1.50")}, "-1.50 points", "-1.50分"),
        ("demo.signed", {"points": Decimal("2.00")}, "+2.00 points", "+2.00分"),
    ],
)
def test_parameters_are_shown_as_each_language_writes_them(
    code: str, params: dict[str, object], en: str, zh: str
) -> None:
    """Dates, lists, quotes, plurals and signs follow each language."""
    m = Message(code, tuple(params.items()), catalogue=CATALOGUE)
    assert (m, m.text("zh-CN", CATALOGUE)) == (en, zh)


def test_a_code_no_catalogue_knows_shows_its_code_and_params() -> None:
    """A plugin's code without templates still reads: ``acme.x(score=3)``."""
    assert Message.of("acme.x", score=3) == "acme.x(score=3)"


def test_messages_pickle_with_their_code() -> None:
    """A message survives a pickle round trip: text, code and parameters."""
    m = Message.of("demo.hello", name="沈一苇")
    again = pickle.loads(pickle.dumps(m))
    assert (again, again.code, again.params) == (m, m.code, m.params)


def test_params_as_json_data() -> None:
    """Decimals and dates become strings, nested messages code and params, tuples lists."""
    inner = Message.of("demo.hello", name="甲")
    m = Message.of(
        "x.y", n=3, d=Decimal("1.50"), day=pendulum.Date(2024, 1, 2), ids=("a",), m=inner
    )
    assert params_data(m) == {
        "n": 3,
        "d": "1.50",
        "day": "2024-01-02",
        "ids": ["a"],
        "m": {"code": "demo.hello", "params": {"name": "甲"}},
    }


def test_every_builtin_message_has_every_language_with_the_same_parameters() -> None:
    """No code lacks a translation, and no translation uses other parameters."""
    assert builtin_catalogue().problems() == []
    assert LANGUAGES == ("en", "zh-CN")


def test_a_catalogue_finds_a_missing_language_and_other_parameters() -> None:
    """The completeness check names the code and what is wrong."""
    bad = Catalogue({"a.b": {"en": "{x}"}, "a.c": {"en": "{x}", "zh-CN": "{y}"}})
    assert bad.problems() == [
        "a.b: no zh-CN template",
        "a.c: the languages use different parameters (en: ['x']; zh-CN: ['y'])",
    ]


@pytest.mark.parametrize(
    ("asked", "environ", "chosen"),
    [
        ("zh-CN", {}, "zh-CN"),
        ("zh", {}, "zh-CN"),
        ("en_US", {"RULELAW_LANG": "zh-CN"}, "en"),
        (None, {"RULELAW_LANG": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh-CN"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh-CN"),
        (None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_the_language_asked_for_then_rulelaw_lang_then_the_locale(
    asked: str | None, environ: dict[str, str], chosen: str
) -> None:
    """An explicit language wins; else RULELAW_LANG; else the locale; else English."""
    assert choose_language(asked, environ=environ) == chosen


def test_an_unknown_language_asked_for_is_refused() -> None:
    """``lang="fr"`` is an error, naming the languages rulelaw speaks."""
    with pytest.raises(ValueError, match=r"unknown language 'fr' \(expected one of en, zh-CN\)"):
        choose_language("fr")
