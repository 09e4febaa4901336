"""Messages in the renderings: texts in a language, codes and parameters in the JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import rulelaw
from rulelaw.engine import IndicatorLines
from rulelaw.messages import Catalogue, Message, params_data
from rulelaw.report.json import evaluation_data, unit_json
from rulelaw.report.lawreports import render
from rulelaw.report.people import person_data

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-city"
SCHEMA_PATH = Path(rulelaw.__file__).parent / "schemas" / "evaluation.schema.json"
VALIDATOR = Draft202012Validator(
    json.loads(SCHEMA_PATH.read_text(encoding="utf-8")),
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)

#: templates of the messages the tests put into results (a step, an adjustment, a person's texts)
EXTRA = {
    "testmsg.step": {"en": "rank {rank} of {n}", "zh-CN": "排名第{rank}（共{n}个）"},
    "testmsg.bonus": {"en": "award {title} ({level})", "zh-CN": "获评{title}（{level}）"},
    "testmsg.months": {"en": "{m} months {d} days", "zh-CN": "{m}个月{d}天"},
    "testmsg.short": {
        "en": "in post {m} months, less than {need}",
        "zh-CN": "任职{m}个月，不足{need}个月",
    },
    "testmsg.duty": {
        "en": "{unit} ({days} days) → {rate}%",
        "zh-CN": "{unit}（{days}天）→ {rate}%",
    },
    "testmsg.panel": {"en": "weighted mean of {groups}", "zh-CN": "{groups}加权平均"},
    "testmsg.method": {"en": "mean of {n}", "zh-CN": "{n}票平均"},
    "testmsg.place": {"en": "{file}, row {row}", "zh-CN": "{file}第{row}行"},
}
EXTRA_CATALOGUE = Catalogue(EXTRA)


def _say(code: str, **params: object) -> Message:
    return Message(code, tuple(params.items()), EXTRA_CATALOGUE)


def _reason(data: dict[str, Any], unit: str, indicator: str) -> tuple[Any, Any, Any]:
    line = next(
        r
        for u in data["units"]
        if u["unit"] == unit
        for r in u["indicators"]
        if r["indicator"] == indicator
    )
    return line["reason"], line["reason_code"], line["reason_params"]


def test_indicator_lines_carry_the_reasons_code_and_params(
    message_result: rulelaw.Evaluation,
) -> None:
    """An indicator line's reason has its code and parameters beside it, in both languages."""
    en = json.loads(message_result.to_json())
    zh = json.loads(message_result.to_json(lang="zh-CN"))
    params = {"day": "2025-03-01", "who": "市司法局"}
    assert _reason(en, "city", "2.2") == (
        "met on 2025-03-01 (checked by 市司法局)",
        "testmsg.met",
        params,
    )
    assert _reason(zh, "city", "2.2") == (
        "已落实（2025年3月1日，市司法局核查）",
        "testmsg.met",
        params,
    )
    assert _reason(zh, "county-a", "2.2") == ("未落实：缺2项", "testmsg.not-met", {"n": 2})


def test_a_plain_text_reason_has_a_null_code(message_result: rulelaw.Evaluation) -> None:
    """A reason that is a plain text (not a message) has null code and null parameters."""
    data = json.loads(message_result.to_json(lang="zh-CN"))
    text, code, params = _reason(data, "county-b", "2.2")
    reason = message_result.unit("county-b").indicator("2.2").reason
    if isinstance(reason, Message):  # the engine's texts are becoming messages
        assert (code, text) == (reason.code, reason.text("zh-CN", message_result.catalogue))
    else:
        assert (text, code, params) == (reason, None, None)


def test_codes_and_params_are_the_same_in_every_language(
    message_result: rulelaw.Evaluation,
) -> None:
    """The documents in English and Chinese differ only in the texts, never in codes or params."""

    def said(value: Any) -> Any:
        """The codes and parameters only: every text (a message's, in its language) left out."""
        if isinstance(value, dict):
            return {
                k: v if k.endswith(("_code", "_codes", "_params")) else said(v)
                for k, v in value.items()
                if k.endswith(("_code", "_codes", "_params")) or isinstance(v, dict | list)
            }
        if isinstance(value, list):
            return [said(v) for v in value if isinstance(v, dict | list)]
        return value

    en = json.loads(message_result.to_json())
    zh = json.loads(message_result.to_json(lang="zh-CN"))
    assert said(en) == said(zh)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_fast_writer_gives_the_reference_writers_bytes(
    message_result: rulelaw.Evaluation, lang: str
) -> None:
    """The arrays' JSON writer and the plain one agree to the byte, messages and all."""
    assert isinstance(message_result.units[0].indicators, IndicatorLines)
    assert message_result.to_json(lang=lang) == message_result.to_json(reference=True, lang=lang)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_documents_with_messages_validate(message_result: rulelaw.Evaluation, lang: str) -> None:
    """A document whose texts are messages, in either language, has no schema error."""
    data = json.loads(message_result.to_json(lang=lang))
    assert list(VALIDATOR.iter_errors(data)) == []


def test_a_bad_code_or_params_is_refused(message_result: rulelaw.Evaluation) -> None:
    """A code that is not a dotted lower-case name, or params that are not an object, is refused."""
    data = json.loads(message_result.to_json())
    line = data["units"][0]["indicators"][3]
    line["reason_code"] = "Not A Code"
    line["reason_params"] = ["n", 2]
    paths = sorted(e.json_path for e in VALIDATOR.iter_errors(data))
    assert paths == [
        "$.units[0].indicators[3].reason_code",
        "$.units[0].indicators[3].reason_params",
    ]


@pytest.fixture
def said_result(message_result: rulelaw.Evaluation) -> rulelaw.Evaluation:
    """The message result with messages as grade steps, adjustments, people's and panels' texts."""
    result = message_result
    unit = attrs.evolve(
        result.units[0],
        grade_steps=(_say("testmsg.step", rank=1, n=3), "a plain step"),
        adjustments=(
            rulelaw.engine.Adjustment(
                kind="bonus",
                item="demo",
                points=rulelaw.model.to_decimal("0.00"),
                reason=_say("testmsg.bonus", title="示范创建", level="provincial"),
            ),
        ),
    )
    person = result.people[0]
    person = attrs.evolve(
        person,
        time_in_post=_say("testmsg.months", m=6, d=0),
        not_graded=_say("testmsg.short", m=6, need=9),
        grade_steps=(_say("testmsg.step", rank=1, n=2),),
    )
    return attrs.evolve(
        result,
        units=(unit, *result.units[1:]),
        people=(person, *result.people[1:]),
        catalogue=result.catalogue.merged(EXTRA),
    )


def test_grade_steps_and_adjustments_carry_codes(said_result: rulelaw.Evaluation) -> None:
    """A unit's grade steps carry parallel lists of codes and params; an adjustment its own."""
    unit = json.loads(said_result.to_json(lang="zh-CN"))["units"][0]
    assert unit["grade_steps"] == ["排名第1（共3个）", "a plain step"]
    assert unit["grade_steps_codes"] == ["testmsg.step", None]
    assert unit["grade_steps_params"] == [{"rank": 1, "n": 3}, None]
    assert unit["adjustments"][0] == {
        "kind": "bonus",
        "item": "demo",
        "points": "0.00",
        "reason": "获评示范创建（provincial）",
        "reason_code": "testmsg.bonus",
        "reason_params": {"title": "示范创建", "level": "provincial"},
    }
    assert said_result.to_json(lang="zh-CN") == said_result.to_json(reference=True, lang="zh-CN")
    assert list(VALIDATOR.iter_errors(json.loads(said_result.to_json()))) == []


def test_unit_json_is_the_documents_unit_in_a_language(said_result: rulelaw.Evaluation) -> None:
    """``unit_json`` in Chinese is the unit as the Chinese document holds it."""
    one = json.loads(unit_json(said_result.units[0], lang="zh-CN", catalogue=said_result.catalogue))
    assert one == json.loads(said_result.to_json(lang="zh-CN"))["units"][0]


def test_a_persons_texts_carry_codes(said_result: rulelaw.Evaluation) -> None:
    """time_in_post, not_graded and grade steps of a person carry codes and params."""
    data = person_data(said_result.people[0], lang="zh-CN", catalogue=said_result.catalogue)
    assert {k: v for k, v in data.items() if k.startswith(("time_in_post", "not_graded"))} == {
        "time_in_post": "6个月0天",
        "time_in_post_code": "testmsg.months",
        "time_in_post_params": {"m": 6, "d": 0},
        "not_graded": "任职6个月，不足9个月",
        "not_graded_code": "testmsg.short",
        "not_graded_params": {"m": 6, "need": 9},
    }
    assert data["grade_steps_codes"] == ["testmsg.step"]
    document = evaluation_data(said_result, lang="zh-CN")
    assert document["people"][0] == data
    assert list(VALIDATOR.iter_errors(document)) == []


def test_panels_texts_carry_codes() -> None:
    """A panel's reason, a group's method and a rejected ballot's origin carry codes."""
    result = rulelaw.evaluate(rulelaw.load(DEMO))
    panel = result.panels[0]
    group = attrs.evolve(panel.groups[0], method=_say("testmsg.method", n=5))
    panel = attrs.evolve(
        panel, reason=_say("testmsg.panel", groups=("secretary", "ballot")), groups=(group,)
    )
    ballot = attrs.evolve(
        result.rejected_ballots[0], origin=_say("testmsg.place", file="ballots.csv", row=7)
    )
    said = attrs.evolve(
        result,
        panels=(panel,),
        rejected_ballots=(ballot,),
        catalogue=result.catalogue.merged(EXTRA),
    )
    data = json.loads(render(said, "panels", "json", lang="zh-CN"))[0]
    assert (data["reason"], data["reason_code"], data["reason_params"]) == (
        "secretary、ballot加权平均",
        "testmsg.panel",
        {"groups": ["secretary", "ballot"]},
    )
    assert (data["groups"][0]["method"], data["groups"][0]["method_code"]) == (
        "5票平均",
        "testmsg.method",
    )
    document = evaluation_data(said, lang="zh-CN")
    assert document["rejected_ballots"][0]["origin"] == "ballots.csv第7行"
    assert document["rejected_ballots"][0]["origin_params"] == {"file": "ballots.csv", "row": 7}
    assert list(VALIDATOR.iter_errors(document)) == []


def test_the_csv_of_panels_leaves_codes_out() -> None:
    """The panels' CSV has the columns it always had: no code or parameter columns."""
    result = rulelaw.evaluate(rulelaw.load(DEMO))
    header = render(result, "panels", "csv").split("\n", 1)[0]
    assert header == ("report,person,unit,panel,date,forms,signed,score,grade,grade_id,rank,reason")


#: the fields of the result that may hold a message, by class: the JSON carries their codes
MESSAGE_FIELDS = {
    ("IndicatorResult", "observed"),
    ("IndicatorResult", "reason"),
    ("IndicatorResult", "source"),
    ("Adjustment", "reason"),
    ("UnitResult", "grade_steps"),
    ("PersonResult", "time_in_post"),
    ("PersonResult", "not_graded"),
    ("PersonResult", "grade_steps"),
    ("Recommendation", "reason"),
    ("DutyResult", "reason"),
    ("PanelResult", "reason"),
    ("PanelResult", "grade_steps"),
    ("GroupResult", "method"),
    ("GroupResult", "reason"),
    ("RejectedBallot", "origin"),
    ("RejectedBallot", "reason"),
}


def _messages_in(value: object, found: set[tuple[str, str]]) -> None:
    """Every (class, field) of the result's values that holds a message, into ``found``."""
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            inner = getattr(value, field.name)
            items = inner if isinstance(inner, tuple | list) else (inner,)
            if any(isinstance(item, Message) for item in items):
                found.add((type(value).__name__, field.name))
            _messages_in(inner, found)
    elif isinstance(value, tuple | list) or type(value).__name__ in (
        "IndicatorLines",
        "DimensionLines",
    ):
        for item in value:  # type: ignore[attr-defined]
            if not isinstance(item, str):
                _messages_in(item, found)


@pytest.mark.parametrize("folder", ["demo-city", "law-reports/questioning"])
def test_every_message_of_a_result_has_its_code_in_the_json(folder: str) -> None:
    """No field of a result holds a message unless the JSON carries its code and parameters."""
    result = rulelaw.evaluate(rulelaw.load(ROOT / "examples" / folder))
    found: set[tuple[str, str]] = set()
    for name in ("units", "people", "panels", "rejected_ballots", "coverage", "ledger"):
        _messages_in(getattr(result, name), found)
    assert found <= MESSAGE_FIELDS


_PARAM_VALUES = (
    st.text()
    | st.integers(-(10**30), 10**30)
    | st.booleans()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.dates().map(lambda d: pendulum.Date(d.year, d.month, d.day))
    | st.tuples(st.text(), st.integers())
)


@given(params=st.dictionaries(st.text(min_size=1), _PARAM_VALUES, max_size=5))
def test_params_are_written_as_json_dumps_writes_them(params: dict[str, object]) -> None:
    """The arrays' writer puts a message's parameters together byte for byte as json.dumps."""
    from rulelaw.report.json import _dumps, _params_text

    message = Message("testmsg.any", tuple(params.items()))
    assert _params_text(message) == _dumps(params_data(message))
    assert _params_text("a plain text") == "null"
