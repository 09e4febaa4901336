"""The JSON Schema of scheme.toml accepts what the loader accepts and refuses what it refuses."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from jsonschema import Draft202012Validator

import rulelaw
from rulelaw.files import scheme_from_text, scheme_to_text, validate
from rulelaw.model import (
    Bonus,
    Category,
    Dimension,
    Duty,
    DutyList,
    ExtraDeduction,
    Grade,
    Indicator,
    LevelRounding,
    Role,
    RoundingPolicy,
    Scheme,
    ScoringPolicy,
    VerificationCase,
    Veto,
)
from rulelaw.rules.kinds import BUILTIN_KINDS, Band

SCHEMA_PATH = Path(rulelaw.__file__).parent / "schemas" / "scheme.schema.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def as_json(value: Any) -> Any:
    """TOML data as JSON data: decimals to int or float, dates to ISO text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def toml_json(text: str) -> Any:
    """Parse TOML text as the loader does, then convert it to JSON data."""
    return as_json(tomllib.loads(text, parse_float=Decimal))


def problems(data: Any) -> list[tuple[str, str, str]]:
    """Every schema error as (JSON path, keyword, message), sorted."""
    return sorted((e.json_path, str(e.validator), e.message) for e in VALIDATOR.iter_errors(data))


def test_schema_is_valid_draft_2020_12() -> None:
    """The schema file is itself a valid draft 2020-12 schema."""
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_demo_scheme_is_valid() -> None:
    """The demo city's scheme.toml validates."""
    text = (rulelaw.demo_path() / "scheme.toml").read_text(encoding="utf-8")
    assert problems(toml_json(text)) == []


def test_mini_scheme_is_valid(mini_path: Path) -> None:
    """The mini test scheme validates."""
    assert problems(toml_json((mini_path / "scheme.toml").read_text(encoding="utf-8"))) == []


def test_dumped_demo_scheme_is_valid() -> None:
    """The demo scheme as written by scheme_to_text (every default spelled out) validates."""
    scheme = rulelaw.load_scheme(rulelaw.demo_path() / "scheme.toml")
    assert problems(toml_json(scheme_to_text(scheme))) == []


EVERY_KEY = """
id = "full"
title = "每个键都用到的方案"
version = "2"
period = { start = 2024-01-01, end = 2024-12-31 }
scale = 100
description = "x"

[[categories]]
id = "county"
name = "县市区"
maximum = 100

[[roles]]
id = "park-head"
name = "园区党工委主要负责人"
name_en = "park head"

[grading]
peer_group = "level"
rank_on = "exact"

[[grading.grades]]
id = "ok"
label = "合格"
name_en = "pass"
minimum = 60

[[grading.grades]]
id = "fail"
label = "不合格"

[scoring]
as_of = 2025-03-31
not_submitted = "not-applicable"
bonus_cap = 5
floor_at_zero = false

[rounding]
places = 1
mode = "half-even"
indicators = true
dimension_lines = true
indicator = { places = 2 }
dimension = { places = 1, mode = "down" }
total = { mode = "half-up" }
panel = { places = 0 }

[[dimensions]]
id = "1"
title = "一"

[[dimensions]]
id = "1.1"
parent = "1"
title = "一之一"

[[indicators]]
id = "1.1.1"
parent = "1.1"
title = "率"
measure = "rate"
unit_of_measure = "%"
direction = "lower"
categories = ["county"]
description = "y"
rule = { kind = "rulelaw.rate-target", max = 10, target = 5, floor = 20, empty = "error" }

[[indicators]]
id = "1.1.2"
parent = "1.1"
title = "档"
measure = "count"
rule = { kind = "bands", bands = [
    { max = 1, max_inclusive = true, points = 100, label = "无" },
    { min = 1, min_inclusive = false, points = 50.5 },
] }

[[indicators]]
id = "1.1.3"
parent = "1.1"
title = "第三方"
measure = "value"
rule = { kind = "acme.survey", anything = [1, "two"], nested = { x = 1 } }

[weights.county]
"1" = 100
"1.1.1" = 40
"1.1.2" = 30.5
"1.1.3" = 29.5

[[duty_lists]]
role = "park-head"

[[duty_lists.duties]]
id = "D1"
title = "统筹"
group = "organising-leadership"
indicators = ["1.1.1"]
weight = 100

[[bonuses]]
id = "demo-award"
title = "示范创建"
levels = { national = 3, provincial = 2 }
cap = 4

[[deductions]]
id = "late"
title = "迟报"
per = 0.5
cap = 2

[[vetoes]]
id = "v1"
title = "重大违法"
effect = "zero-dimension"
dimension = "1"

[[vetoes]]
id = "v2"
title = "降等"
effect = "cap-grade"
grade = "ok"

[[vetoes]]
id = "v3"
title = "清零"
effect = "zero-total"

[[verification]]
id = "case-1"
category = "county"
name = "虚构县"
level = "county"
description = "每个键"
attributes = { kind = "law", rank = 3 }

[verification.evidence]
"1.1.1" = { numerator = 45, denominator = 50, source = "某办", status = "submitted" }
"1.1.2" = { value = 0.5, reason = "说明", amount = 2, dates = [2024-03-02, 2024-05-09] }
"1.1.3" = {}

[verification.expect]
total = 87.5
grade = "ok"
rank = 1
points = { "1" = 87.5, "1.1.1" = 40 }
reasons = { "1.1.2" = "说明" }
"""


def test_every_key_loads_and_validates() -> None:
    """A scheme using every key the loader knows both loads and validates."""
    scheme = scheme_from_text(EVERY_KEY)
    assert scheme.rounding.indicators is True
    assert problems(toml_json(EVERY_KEY)) == []
    case = scheme.verification[0]
    assert case.evidence["1.1.2"] == {
        "value": "0.5",
        "reason": "说明",
        "amount": "2",
        "dates": "2024-03-02;2024-05-09",
    }
    assert case.evidence["1.1.3"] == {}
    assert case.attributes == {"kind": "law", "rank": "3"}
    assert case.expect.points == {"1": Decimal("87.5"), "1.1.1": Decimal(40)}


def _properties(definition: str) -> set[str]:
    return set(SCHEMA["$defs"][definition]["properties"])


def _init_names(cls: type) -> set[str]:
    return {a.alias for a in attrs.fields(cls) if a.init}


@pytest.mark.parametrize(
    ("definition", "cls"),
    [
        ("category", Category),
        ("role", Role),
        ("dimension", Dimension),
        ("indicator", Indicator),
        ("dutyList", DutyList),
        ("duty", Duty),
        ("grade", Grade),
        ("scoring", ScoringPolicy),
        ("rounding", RoundingPolicy),
        ("levelRounding", LevelRounding),
        ("bonus", Bonus),
        ("extraDeduction", ExtraDeduction),
        ("veto", Veto),
        ("band", Band),
        ("verificationCase", VerificationCase),
    ],
)
def test_definition_keys_match_model_fields(definition: str, cls: type) -> None:
    """Each object definition lists exactly the fields of its model class (plus file-only keys)."""
    file_only = {"dutyList": {"base", "indicators"}}.get(definition, set())
    assert _properties(definition) == _init_names(cls) | file_only


def test_top_level_keys_match_scheme_fields() -> None:
    """The top-level keys are exactly the fields of Scheme."""
    assert set(SCHEMA["properties"]) == _init_names(Scheme)


def _kind_definition(short_name: str) -> dict[str, Any]:
    for definition in SCHEMA["$defs"].values():
        kind = definition.get("properties", {}).get("kind", {})
        if kind.get("enum") == [short_name, f"rulelaw.{short_name}"]:
            return definition  # type: ignore[no-any-return]
    raise AssertionError(f"no definition for rule kind {short_name!r}")


@pytest.mark.parametrize("cls", BUILTIN_KINDS, ids=lambda c: c.name)
def test_rule_kind_parameters_match_kind_fields(cls: type[Any]) -> None:
    """Each built-in kind's definition lists `kind` plus exactly the kind's parameters."""
    definition = _kind_definition(cls.name.removeprefix("rulelaw."))
    assert set(definition["properties"]) == {"kind"} | _init_names(cls)
    assert definition["additionalProperties"] is False


@pytest.mark.parametrize("cls", BUILTIN_KINDS, ids=lambda c: c.name)
def test_rule_kind_measures_match_kind(cls: type[Any]) -> None:
    """The schema ties each built-in kind to the measures the kind can score."""
    short = cls.name.removeprefix("rulelaw.")
    branches = SCHEMA["$defs"]["indicator"]["allOf"]
    allowed = [
        b["then"]["properties"]["measure"]["enum"]
        for b in branches
        if b["if"]["properties"]["rule"]["properties"]["kind"]["enum"][0] == short
    ]
    assert [sorted(a) for a in allowed] == [sorted(m.value for m in cls.measures)]


# -- what the schema refuses (and the loader too) ---------------------------------------


def _mini_variant(mini_path: Path, old: str, new: str) -> str:
    text = (mini_path / "scheme.toml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _loader_places(folder: Path, text: str) -> list[str]:
    (folder / "scheme.toml").write_text(text, encoding="utf-8")
    return [str(e.where) for e in validate(folder) if e.file == "scheme.toml"]


def test_rejects_missing_id(mini_path: Path, mini_copy: Path) -> None:
    """A scheme without `id` is refused by the schema and the loader."""
    text = _mini_variant(mini_path, 'id = "mini-2024"\n', "")
    assert problems(toml_json(text)) == [("$", "required", "'id' is a required property")]
    assert _loader_places(mini_copy, text) == ["$.id"]


def test_rejects_unknown_top_level_key(mini_path: Path, mini_copy: Path) -> None:
    """An unknown top-level key is refused by the schema and the loader."""
    text = _mini_variant(mini_path, 'version = "1"\n', 'version = "1"\ncolour = "red"\n')
    assert problems(toml_json(text)) == [
        (
            "$",
            "additionalProperties",
            "Additional properties are not allowed ('colour' was unexpected)",
        )
    ]
    assert _loader_places(mini_copy, text) == ["$.colour"]


def test_rejects_rule_without_kind(mini_path: Path, mini_copy: Path) -> None:
    """A rule without `kind` is refused by the schema and the loader."""
    text = _mini_variant(mini_path, 'rule = { kind = "compliance" }', "rule = { partly = 50 }")
    assert problems(toml_json(text)) == [
        ("$.indicators[3].rule", "required", "'kind' is a required property")
    ]
    assert _loader_places(mini_copy, text) == ["$.indicators[3].rule"]


def test_rejects_unknown_rate_target_parameter(mini_path: Path, mini_copy: Path) -> None:
    """A rate-target rule with an unknown parameter is refused by the schema and the loader."""
    text = _mini_variant(
        mini_path, "target = 100, floor = 80 }", "target = 100, floor = 80, goal = 90 }"
    )
    assert problems(toml_json(text)) == [
        (
            "$.indicators[0].rule",
            "additionalProperties",
            "Additional properties are not allowed ('goal' was unexpected)",
        )
    ]
    assert _loader_places(mini_copy, text) == ["$.indicators[0].rule.goal"]


def test_rejects_unknown_measure(mini_path: Path, mini_copy: Path) -> None:
    """A measure outside the six allowed values is refused by the schema and the loader."""
    text = _mini_variant(mini_path, 'measure = "flag"', 'measure = "boolean"')
    assert problems(toml_json(text)) == [
        ("$.indicators[3].measure", "enum", "'boolean' is not one of ['flag']"),
        (
            "$.indicators[3].measure",
            "enum",
            "'boolean' is not one of ['rate', 'count', 'value', 'flag', 'occurrences', 'date', "
            "'problems']",
        ),
    ]
    assert _loader_places(mini_copy, text) == ["$.indicators[3].measure"]


@pytest.mark.parametrize(
    ("rule", "path", "keyword"),
    [
        ('{ kind = "rate-target", target = 100 }', "$.indicators[0].rule", "oneOf"),
        ('{ kind = "rate-target", floor = 80, per_point = 2 }', "$.indicators[0].rule", "oneOf"),
        ('{ kind = "rate-target", floor = 120 }', "$.indicators[0].rule.floor", "maximum"),
        (
            '{ kind = "rate-target", floor = 80, max = 0 }',
            "$.indicators[0].rule.max",
            "exclusiveMinimum",
        ),
        (
            '{ kind = "rate-target", floor = 80, empty = "none" }',
            "$.indicators[0].rule.empty",
            "enum",
        ),
        ('{ kind = "survey", floor = 80 }', "$.indicators[0].rule.kind", "anyOf"),
        ('{ kind = "rulelaw.survey" }', "$.indicators[0].rule.kind", "anyOf"),
    ],
)
def test_rejects_bad_rate_rules(mini_path: Path, rule: str, path: str, keyword: str) -> None:
    """Bad rate-target parameters and unknown undotted kinds are refused at their place."""
    text = _mini_variant(mini_path, '{ kind = "rate-target", target = 100, floor = 80 }', rule)
    assert [(p, k) for p, k, _ in problems(toml_json(text))] == [(path, keyword)]


def test_rejects_datetime_where_a_date_belongs(mini_path: Path) -> None:
    """A TOML date-time for the period start is refused (the loader wants a date)."""
    text = _mini_variant(mini_path, "start = 2024-01-01", "start = 2024-01-01T08:00:00")
    assert problems(toml_json(text)) == [
        ("$.period.start", "format", "'2024-01-01T08:00:00' is not a 'date'")
    ]
    with pytest.raises(rulelaw.ValidationError):
        scheme_from_text(text)
