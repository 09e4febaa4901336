"""The JSON Schema of the evaluation document describes exactly what ``to_json`` writes."""

from __future__ import annotations

import copy
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import rulelaw
from rulelaw.cli import main
from rulelaw.files import FILES

ROOT = Path(__file__).resolve().parents[2]
MINI = Path(__file__).parents[1] / "data" / "mini"
SCHEMA_PATH = Path(rulelaw.__file__).parent / "schemas" / "evaluation.schema.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)

ADJUSTMENT_ITEMS = """
[scoring]
bonus_cap = 4

[[bonuses]]
id = "demo"
title = "示范创建"
levels = { national = 3, provincial = 2, municipal = 1 }
cap = 3

[[bonuses]]
id = "innovation"
title = "法治创新"
levels = { provincial = 2 }

[[deductions]]
id = "late-report"
title = "未按时报送"
per = 50

[[vetoes]]
id = "major-incident"
title = "重大违法事件"
effect = "zero-total"

[[vetoes]]
id = "decision-veto"
title = "重大决策违法"
effect = "zero-dimension"
dimension = "2"

[[vetoes]]
id = "cap"
title = "被通报批评"
effect = "cap-grade"
grade = "good"
"""

ADJUSTMENTS_CSV = """unit,item,achievement,level,date,reason,source
city,demo,法治示范区,provincial,2024-09-01,,
city,demo,公共法律服务项目,municipal,2024-10-01,,
city,innovation,复议改革,provincial,,,
county-a,late-report,,,2024-04-02,年度报告迟报,
county-a,decision-veto,,,,,
dept-justice,major-incident,,,,执法致人伤亡,
county-b,cap,,,,,
"""


def problems(data: Any) -> list[tuple[str, str]]:
    """Every schema error as (JSON path, message), sorted."""
    return sorted((e.json_path, e.message) for e in VALIDATOR.iter_errors(data))


@pytest.fixture(scope="module")
def demo_json() -> str:
    """The demo city's evaluation as JSON text (computed once for the module)."""
    return rulelaw.evaluate(rulelaw.load(rulelaw.demo_path())).to_json()


@pytest.fixture
def adjusted(tmp_path: Path) -> Path:
    """A copy of the mini folder with bonus, deduction and veto items and their events."""
    folder = tmp_path / "adjusted"
    shutil.copytree(MINI, folder)
    with (folder / "scheme.toml").open("a", encoding="utf-8") as handle:
        handle.write(ADJUSTMENT_ITEMS)
    (folder / "adjustments.csv").write_text(ADJUSTMENTS_CSV, encoding="utf-8")
    return folder


@pytest.fixture
def small_json(adjusted: Path) -> str:
    """The adjusted mini folder's evaluation as JSON text: small, with every adjustment kind."""
    return rulelaw.evaluate(rulelaw.load(adjusted)).to_json()


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    """The published schema is itself valid under the Draft 2020-12 meta-schema."""
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_demo_city_validates(demo_json: str) -> None:
    """The demo city's document, which uses all eight built-in kinds, has no schema error."""
    data = json.loads(demo_json)
    assert problems(data) == []
    table = data["scheme"]["indicators"]
    kinds = {table[r["indicator"]]["kind"] for u in data["units"] for r in u["indicators"]}
    assert len(kinds) == 8
    assert {r["status"] for u in data["units"] for r in u["indicators"]} == {
        "scored",
        "not-applicable",
        "not-submitted",
    }


def test_mini_validates() -> None:
    """The mini folder's document has no schema error."""
    data = json.loads(rulelaw.evaluate(rulelaw.load(MINI)).to_json())
    assert problems(data) == []
    assert [u["total"] for u in data["units"]] == ["82.00", "48.50", "0.00", "60.00"]


def test_every_adjustment_kind_validates(adjusted: Path) -> None:
    """Bonus, bonus cap, deduction, floor, vetoes of every effect and a rounding line validate."""
    data = json.loads(rulelaw.evaluate(rulelaw.load(adjusted)).to_json())
    assert problems(data) == []
    lines = [
        (u["unit"], a["kind"], a["item"], a["points"])
        for u in data["units"]
        for a in u["adjustments"]
    ]
    assert lines == [
        ("city", "bonus", "demo", "3.00"),
        ("city", "bonus", "innovation", "2.00"),
        ("city", "bonus", "bonus-cap", "-1.00"),
        ("county-a", "deduction", "late-report", "-50.00"),
        ("county-a", "veto", "decision-veto", "-30.00"),
        ("county-a", "floor", "floor", "31.50"),
        ("county-b", "veto", "cap", "0.00"),
        ("dept-justice", "veto", "major-incident", "-60.00"),
    ]
    assert [u["vetoes"] for u in data["units"]] == [
        [],
        ["decision-veto"],
        ["cap"],
        ["major-incident"],
    ]


def test_left_out_indicators_have_null_rule_points(mini_copy: Path) -> None:
    """With not_submitted = "not-applicable", a missing indicator has rule_points null."""
    with (mini_copy / "scheme.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[scoring]\nnot_submitted = "not-applicable"\n')
    data = json.loads(rulelaw.evaluate(rulelaw.load(mini_copy)).to_json())
    assert problems(data) == []
    county_a = data["units"][1]["indicators"]
    assert [(r["indicator"], r["status"], r["rule_points"], r["max"]) for r in county_a] == [
        ("1.1", "scored", "92.50", "40.00"),
        ("1.2", "not-submitted", None, "0.00"),
        ("2.1", "not-applicable", None, "0.00"),
        ("2.2", "scored", "50.00", "60.00"),
    ]


def test_falsified_evidence_validates(mini_copy: Path) -> None:
    """Evidence marked false scores 0 with its rule's false_penalty as a deduction line."""
    scheme = mini_copy / "scheme.toml"
    scheme.write_text(
        scheme.read_text("utf-8").replace(
            'rule = { kind = "compliance" }', 'rule = { kind = "compliance", false_penalty = 5 }'
        ),
        "utf-8",
    )
    evidence = mini_copy / "evidence.csv"
    evidence.write_text(
        evidence.read_text("utf-8").replace(
            "county-a,2.2,,partly,,,顾问合同到期未续", "county-a,2.2,false,,,,顾问合同系伪造"
        ),
        "utf-8",
    )
    data = json.loads(rulelaw.evaluate(rulelaw.load(mini_copy)).to_json())
    assert problems(data) == []
    county_a = data["units"][1]
    falsified = county_a["indicators"][3]
    assert (falsified["status"], falsified["rule_points"], falsified["max"]) == (
        "falsified",
        "0.00",
        "60.00",
    )
    assert [(a["kind"], a["item"], a["points"]) for a in county_a["adjustments"]] == [
        ("deduction", "false-evidence:2.2", "-5.00")
    ]
    assert county_a["total"] == "13.50"


def test_rounding_line_validates(tmp_path: Path) -> None:
    """Thirds of a 3-point category are shown as 33.33 each, reconciled by +0.01."""
    folder = tmp_path / "thirds"
    folder.mkdir()
    indicators = "".join(
        f'[[indicators]]\nid = "1.{i}"\nparent = "1"\ntitle = "指标{i}"\nmeasure = "flag"\n'
        'rule = { kind = "compliance" }\n'
        for i in (1, 2, 3)
    )
    (folder / "scheme.toml").write_text(
        'id = "thirds"\ntitle = "三分"\nversion = "1"\n'
        "period = { start = 2024-01-01, end = 2024-12-31 }\n"
        '[[categories]]\nid = "c"\nname = "类"\nmaximum = 3\n'
        '[[dimensions]]\nid = "1"\ntitle = "一"\n'
        + indicators
        + '[weights.c]\n"1.1" = 1\n"1.2" = 1\n"1.3" = 1\n',
        encoding="utf-8",
    )
    (folder / "units.csv").write_text("id,name,level,category\nu,单位,county,c\n", "utf-8")
    (folder / "evidence.csv").write_text(
        "unit,indicator,value\nu,1.1,yes\nu,1.2,yes\nu,1.3,yes\n", "utf-8"
    )
    data = json.loads(rulelaw.evaluate(rulelaw.load(folder)).to_json())
    assert problems(data) == []
    lines = data["units"][0]["adjustments"]
    assert [{k: a[k] for k in ("kind", "item", "points", "reason")} for a in lines] == [
        {
            "kind": "rounding",
            "item": "rounding",
            "points": "0.01",
            "reason": "indicator points are shown rounded to 2 places (half-up); "
            "this line makes them add up to the total",
        }
    ]


@pytest.mark.parametrize("which", ["demo", "mini", "adjusted"])
def test_points_add_up_to_the_total(which: str, demo_json: str, adjusted: Path) -> None:
    """For every unit, indicator points plus adjustment points equal the total exactly."""
    if which == "demo":
        text = demo_json
    else:
        text = rulelaw.evaluate(rulelaw.load(MINI if which == "mini" else adjusted)).to_json()
    units = json.loads(text)["units"]
    assert units
    for unit in units:
        parts = sum((Decimal(r["points"]) for r in unit["indicators"]), Decimal(0)) + sum(
            (Decimal(a["points"]) for a in unit["adjustments"]), Decimal(0)
        )
        assert parts == Decimal(unit["total"]), unit["unit"]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the rulelaw command; check it succeeded quietly on stderr; return its stdout."""
    status = main(args)
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    return out


def test_cli_json_is_byte_identical(
    demo_json: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two runs of `rulelaw evaluate examples/demo-city --format json` write the same bytes."""
    monkeypatch.chdir(ROOT)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for target in (first, second):
        args = ["evaluate", "examples/demo-city", "--format", "json", "--output", str(target)]
        assert _run(args, capsys) == ""
    assert first.read_bytes() == second.read_bytes()
    printed = _run(["evaluate", "examples/demo-city", "--format", "json"], capsys)
    assert printed.encode("utf-8") == first.read_bytes()
    assert printed == demo_json


def test_schema_names_every_key_written(small_json: str) -> None:
    """Each object's keys are exactly the properties the schema lists, all of them required.

    Except a dimension's ``rounding``, written only where a dimension line is declared and
    needed (tests/engine/test_rank_and_rounding.py validates such a document).
    """
    data = json.loads(small_json)
    defs = SCHEMA["$defs"]
    shapes = [
        (SCHEMA, data),
        (SCHEMA["properties"]["scheme"], data["scheme"]),
        (defs["unit"], data["units"][0]),
        (defs["indicator"], data["units"][0]["indicators"][0]),
        (defs["dimension"], data["units"][0]["dimensions"][0]),
        (defs["adjustment"], data["units"][0]["adjustments"][0]),
    ]
    # the one key written only where it applies: a dimension's rounding line
    optional = {id(defs["dimension"]): ["rounding"]}
    for schema, value in shapes:
        extra = optional.get(id(schema), [])
        assert list(schema["properties"]) == list(value) + extra
        assert schema["required"] == list(value)
        assert schema["additionalProperties"] is False


def test_source_names_are_the_folder_files() -> None:
    """The file names allowed in 'sources' are exactly the assessment folder's files."""
    names = SCHEMA["properties"]["sources"]["propertyNames"]["enum"]
    assert names == list(FILES)


def test_a_number_for_a_decimal_is_refused(small_json: str) -> None:
    """A JSON number where a decimal string belongs is a schema error at its path."""
    data = json.loads(small_json)
    bad = copy.deepcopy(data)
    bad["units"][0]["total"] = 86
    bad["units"][0]["indicators"][2]["points"] = 2
    assert problems(bad) == [
        ("$.units[0].indicators[2].points", "2 is not of type 'string'"),
        ("$.units[0].total", "86 is not of type 'string'"),
    ]


def test_an_unknown_key_is_refused(small_json: str) -> None:
    """A key the document does not have, at any level, is refused."""
    data = json.loads(small_json)
    bad = copy.deepcopy(data)
    bad["grade"] = "excellent"
    bad["units"][0]["adjustments"][0]["note"] = "x"
    assert problems(bad) == [
        ("$", "Additional properties are not allowed ('grade' was unexpected)"),
        (
            "$.units[0].adjustments[0]",
            "Additional properties are not allowed ('note' was unexpected)",
        ),
    ]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("units", 0, "total"), "86,00", "'86,00' does not match"),
        (("units", 0, "indicators", 0, "points"), "-4.00", "'-4.00' does not match"),
        (("units", 0, "indicators", 0, "status"), "missing", "'missing' is not one of"),
        (("units", 0, "adjustments", 0, "kind"), "penalty", "'penalty' is not one of"),
        (("as_of",), "2025-02-30", "'2025-02-30' is not a 'date'"),
        (("sources", "scheme.toml", "sha256"), "ABC", "'ABC' does not match"),
    ],
)
def test_bad_values_are_refused(
    small_json: str, path: tuple[str | int, ...], value: str, message: str
) -> None:
    """Malformed decimals, unknown states and kinds, bad dates and digests are refused."""
    data = json.loads(small_json)
    *parents, last = path
    target: Any = data
    for key in parents:
        target = target[key]
    target[last] = value
    found = problems(data)
    assert len(found) == 1
    assert found[0][1].startswith(message)


def test_rule_points_must_match_status(small_json: str) -> None:
    """A scored indicator needs rule_points; a not-applicable one has null."""
    data = json.loads(small_json)
    places = {
        status: next(
            (i, j)
            for i, u in enumerate(data["units"])
            for j, r in enumerate(u["indicators"])
            if r["status"] == status
        )
        for status in ("scored", "not-applicable")
    }
    for status, wrong in (("scored", None), ("not-applicable", "0.00")):
        i, j = places[status]
        data["units"][i]["indicators"][j]["rule_points"] = wrong
    assert sorted(path for path, _ in problems(data)) == sorted(
        f"$.units[{i}].indicators[{j}].rule_points" for i, j in places.values()
    )
