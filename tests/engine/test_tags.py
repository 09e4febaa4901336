"""Indicator tags: checked in the scheme, subtotalled and filtered in the results.

The tagged mini folder (``tagged`` below) is the mini folder with three tags:
1.1 学法, 1.2 督察 and 学法, 2.2 督察. Its lines, on the scale of 100:

- city: 1.1 45/50 = 90% → 50% of 20 = 10.00; 1.2 two cases → 60% of 20 =
  12.00; 2.1 0/0 is left out, so 2.2 takes dimension 2's 40 + 20 = 60, yes
  → 60.00. Total 82.00.
- county-a: 1.1 98.5% → 92.5% of 20 = 18.50; 1.2 missing → 0.00 of 20;
  2.1 not applicable, 2.2 worth 60, partly → 30.00. Total 48.50.
- county-b: nothing submitted: 0.00 everywhere; 2.1 missing (not left
  out), so 2.2 keeps its 20.
- dept-justice (maximum 50, worths × 2): 1.1 30/30 → 40.00; 1.2 no case →
  20.00; 2.2 否 → 0.00 of 40. Total 60.00.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings

import rulelaw
from rulelaw.cli import main
from rulelaw.files import scheme_from_text, scheme_to_text
from rulelaw.model import exact_sum
from rulelaw.report.text import explain_unit
from rulelaw.testing import check_paths_agree
from rulelaw.testing import strategies as rs

MINI_PATH = Path(__file__).parents[1] / "data" / "mini"
MINI = (MINI_PATH / "scheme.toml").read_text(encoding="utf-8")


def _tagged_text() -> str:
    text = MINI.replace(
        'unit_of_measure = "%"\nrule',
        'unit_of_measure = "%"\ntags = ["学法"]\nrule',
        1,
    )
    text = text.replace(
        'direction = "lower"\nrule', 'direction = "lower"\ntags = ["督察", "学法"]\nrule'
    )
    text = text.replace(
        'measure = "flag"\nrule = { kind = "compliance" }',
        'measure = "flag"\ntags = ["督察"]\nrule = { kind = "compliance" }',
    )
    assert text.count("tags = ") == 3
    return text


@pytest.fixture
def tagged(tmp_path: Path) -> Path:
    """The mini folder with tags on 1.1, 1.2 and 2.2."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI_PATH, folder)
    (folder / "scheme.toml").write_text(_tagged_text(), encoding="utf-8")
    return folder


# -- the scheme ---------------------------------------------------------------------------


def test_scheme_lists_its_tags() -> None:
    """Tags in the order first written; the indicators of each, in the scheme's order."""
    scheme = scheme_from_text(_tagged_text(), file="scheme.toml")
    assert scheme.indicator("1.2").tags == ("督察", "学法")
    assert scheme.indicator("2.1").tags == ()
    assert scheme.tags == ("学法", "督察")
    assert [i.id for i in scheme.tagged("督察")] == ["1.2", "2.2"]
    assert [i.id for i in scheme.tagged("学法")] == ["1.1", "1.2"]
    with pytest.raises(rulelaw.LookupFailed) as info:
        scheme.tagged("检查")
    assert str(info.value) == "no indicator tag with id '检查' (known: '学法', '督察')"
    assert info.value.text("zh-CN") == "指标标签“检查”不存在（已有：“学法”、“督察”）"


def test_tags_are_written_back_and_change_no_score(tagged: Path) -> None:
    """A dumped scheme keeps the tags (and one without tags writes none); scores are as before."""
    scheme = rulelaw.load_scheme(tagged / "scheme.toml")
    text = scheme_to_text(scheme)
    assert 'tags = [\n    "督察",\n    "学法",\n]' in text
    assert scheme_from_text(text) == scheme
    assert "tags" not in scheme_to_text(rulelaw.load_scheme(MINI_PATH / "scheme.toml"))
    plain = rulelaw.evaluate(rulelaw.load(MINI_PATH))
    with_tags = rulelaw.evaluate(rulelaw.load(tagged))
    assert [u.total for u in with_tags.units] == [u.total for u in plain.units]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (
            '"督察"',
            "scheme.toml, $.indicators[3].tags: tags must be a list of texts "
            "(expected a list of texts, e.g. [\"督察\"]; got '督察')",
        ),
        (
            '["督察", ""]',
            "scheme.toml, $.indicators[3].tags[1]: a tag is a text without leading or trailing "
            "spaces or control characters (expected a text such as \"督察\"; got '')",
        ),
        (
            '[" 督察"]',
            "scheme.toml, $.indicators[3].tags[0]: a tag is a text without leading or trailing "
            "spaces or control characters (expected a text such as \"督察\"; got ' 督察')",
        ),
        (
            "[5]",
            "scheme.toml, $.indicators[3].tags[0]: a tag is a text without leading or trailing "
            'spaces or control characters (expected a text such as "督察"; got 5)',
        ),
        (
            '["督察", "学法", "督察"]',
            "scheme.toml, $.indicators[3].tags[2]: tag '督察' given twice",
        ),
    ],
)
def test_bad_tags_are_refused(tags: str, message: str) -> None:
    """Tags are a list of texts, none empty or padded, none twice: refused at their key path."""
    text = MINI.replace(
        'measure = "flag"\nrule = { kind = "compliance" }',
        f'measure = "flag"\ntags = {tags}\nrule = {{ kind = "compliance" }}',
    )
    with pytest.raises(rulelaw.ValidationError) as info:
        scheme_from_text(text, file="scheme.toml")
    assert [str(e) for e in info.value.errors] == [message]
    assert all(isinstance(e, rulelaw.SchemeError) for e in info.value.errors)


def test_tags_are_checked_in_python_too() -> None:
    """``Indicator(tags=…)`` refuses what the file refuses, at the key path ``tags``."""
    indicator = rulelaw.load_scheme(MINI_PATH / "scheme.toml").indicator("2.2")
    with pytest.raises(rulelaw.SchemeError) as info:
        rulelaw.Indicator(
            id="x", title="x", parent="1", measure="flag", rule=indicator.rule, tags=["a", "a"]
        )
    assert str(info.value) == "tags[1]: tag 'a' given twice"


# -- the results ---------------------------------------------------------------------------


def test_tag_subtotals_are_exact_sums_of_the_points_shown(tagged: Path) -> None:
    """督察 (1.2, 2.2) and 学法 (1.1, 1.2) per unit, from the lines in the module's docstring.

    督察: city 12.00 + 60.00 = 72.00 of 20 + 60 = 80.00; county-a 0.00 + 30.00
    = 30.00 of 80.00; county-b 0.00 of 20 + 20 = 40.00; dept-justice 20.00 +
    0.00 = 20.00 of 20 + 40 = 60.00. 学法: city 10.00 + 12.00 = 22.00 of 40.00;
    county-a 18.50 of 40.00; county-b 0.00 of 40.00; dept-justice 40.00 +
    20.00 = 60.00 of 60.00.
    """
    result = rulelaw.evaluate(rulelaw.load(tagged))
    assert result.tags == ("学法", "督察")
    assert result.tagged("督察") == ("1.2", "2.2")
    got = {
        tag: {t.unit: (t.indicators, t.points, t.max) for t in result.tag_subtotals(tag)}
        for tag in result.tags
    }
    two = ("1.2", "2.2")
    assert got["督察"] == {
        "city": (two, Decimal("72.00"), Decimal("80.00")),
        "county-a": (two, Decimal("30.00"), Decimal("80.00")),
        "county-b": (two, Decimal("0.00"), Decimal("40.00")),
        "dept-justice": (two, Decimal("20.00"), Decimal("60.00")),
    }
    two = ("1.1", "1.2")
    assert got["学法"] == {
        "city": (two, Decimal("22.00"), Decimal("40.00")),
        "county-a": (two, Decimal("18.50"), Decimal("40.00")),
        "county-b": (two, Decimal("0.00"), Decimal("40.00")),
        "dept-justice": (two, Decimal("60.00"), Decimal("60.00")),
    }
    assert result.tag_subtotal("city", "督察") == result.tag_subtotals("督察")[0]
    assert [i.tags for i in result.indicators] == [("学法",), ("督察", "学法"), (), ("督察",)]
    with pytest.raises(rulelaw.LookupFailed, match="no indicator tag with id '检查'"):
        result.tag_subtotals("检查")
    check_paths_agree(tagged)


def test_tag_of_no_applicable_indicator_is_zero_at_the_places(tmp_path: Path) -> None:
    """A tag only on 2.1 (county only): the department's subtotal is 0.00 of 0.00, no lines."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI_PATH, folder)
    text = MINI.replace(
        'categories = ["county"]\nrule', 'categories = ["county"]\ntags = ["决策"]\nrule'
    )
    (folder / "scheme.toml").write_text(text, encoding="utf-8")
    result = rulelaw.evaluate(rulelaw.load(folder))
    found = result.tag_subtotal("dept-justice", "决策")
    assert (found.indicators, repr(found.points), repr(found.max)) == (
        (),
        "Decimal('0.00')",
        "Decimal('0.00')",
    )


@settings(max_examples=15, deadline=None)
@given(rs.assessments())
def test_every_tag_subtotal_adds_up_the_lines_shown(a: rulelaw.Assessment) -> None:
    """For any scheme and evidence: a tag's subtotal is the exact sum of its lines' points."""
    result = rulelaw.evaluate(a)
    assert result.tags == a.scheme.tags
    for tag in result.tags:
        ids = {i.id for i in a.scheme.tagged(tag)}
        for found in result.tag_subtotals(tag):
            lines = [r for r in result.unit(found.unit).indicators if r.indicator in ids]
            assert found.indicators == tuple(r.indicator for r in lines)
            assert found.points == exact_sum(r.points for r in lines)
            assert found.max == exact_sum(r.effective_weight for r in lines)
            assert found.points <= found.max


# -- renderings ----------------------------------------------------------------------------

TABLE = """\
迷你市法治政府建设考核 — mini-2024 v1, as of 2024-12-31

indicators tagged '督察' (2): 1.2, 2.2

县市区 (county) — 3 units

  rank  unit      name      督察     of    total  grade
------  --------  ------  ------  -----  -------  -------
     1  city      迷你市   72.00  80.00    82.00  良好
     2  county-a  甲县     30.00  80.00    48.50  不合格
     3  county-b  乙区      0.00  40.00     0.00  不合格

grade      units  quota
-------  -------  -------
优秀           0  —
良好           1  —
合格           0  —
不合格         2  —

市直单位 (department) — 1 unit

  rank  unit          name        督察     of    total  grade
------  ------------  --------  ------  -----  -------  -------
     1  dept-justice  市司法局   20.00  60.00    60.00  合格

grade      units  quota
-------  -------  -------
优秀           0  —
良好           0  —
合格           1  —
不合格         0  —
"""

EXPLAIN = (
    "甲县 (county-a), 县市区 (county) — mini-2024 v1, as of 2024-12-31\n"
    "indicators tagged '督察' (2): 1.2, 2.2\n"
    "\n"
    "indicator    title         observed                         rule      "
    "    rule pts    worth    points\n"
    "-----------  ------------  -------------------------------  "
    "----------  ----------  -------  --------\n"
    "1.2          违法行政案件  not submitted (no evidence row)  deduction     "
    "0.00/100    20.00      0.00\n"
    "2.2          法律顾问      partly (顾问合同到期未续)        compliance   "
    "50.00/100    60.00     30.00\n"
    "\n"
    "why:\n"
    "  1.2  not submitted (no evidence row): scores 0 (not_submitted = zero)\n"
    "  2.2  partly met (顾问合同到期未续) → 50 of 100\n"
    "\n"
    "t"
    "agged '督察' (2 indicators of this unit): 30.00 of 80.00 (the exact sum of the points shown)\n"
    "total (all indicators and adjustments): 48.50\n"
    "\n"
    "grade: 不合格 — rank 2 in peer group 'county', 3 overall\n"
    "  rank 2 of 3 in 县市区\n"
    "  total 48.50 < 60 → 不合格\n"
)


def test_table_by_tag(tagged: Path) -> None:
    """The ranking with each unit's 督察 points and worth instead of subtotal and adjustments."""
    result = rulelaw.evaluate(rulelaw.load(tagged))
    assert result.table(tag="督察") == TABLE
    zh = result.table(tag="督察", lang="zh-CN")
    assert "标签为“督察”的指标（2项）：1.2, 2.2" in zh
    assert "督察得分" in zh
    markdown = result.to_markdown(tag="督察").splitlines()
    assert markdown[2] == "indicators tagged '督察' (2): 1.2, 2.2"
    assert markdown[6:9] == [
        "|   rank | unit     | name   |   督察 |    of |   total | grade   |",
        "|--------|----------|--------|--------|-------|---------|---------|",
        "|      1 | city     | 迷你市 |  72.00 | 80.00 |   82.00 | 良好    |",
    ]
    assert result.table() == rulelaw.evaluate(rulelaw.load(MINI_PATH)).table()


def test_explain_by_tag(tagged: Path) -> None:
    """Only 1.2 and 2.2, their subtotal 0.00 + 30.00 = 30.00 of 20 + 60 = 80.00, the total."""
    result = rulelaw.evaluate(rulelaw.load(tagged))
    assert result.explain("county-a", tag="督察") == EXPLAIN
    zh = result.explain("county-a", tag="督察", lang="zh-CN")
    assert "标签“督察”（本单位2项指标）：30.00分（满分80.00分，为上列各指标得分之和）" in zh
    assert "总分（全部指标及加减分）：48.50分" in zh
    markdown = explain_unit(result, result.unit("county-a"), "github", tag="督察")
    assert "### dimensions" not in markdown
    assert markdown.split("### total\n\n")[1].split("\n\n")[0] == (
        "- tagged '督察' (2 indicators of this unit): 30.00 of 80.00 (the exact sum of the "
        "points shown)\n- total (all indicators and adjustments): 48.50"
    )
    with pytest.raises(rulelaw.LookupFailed):
        result.explain("county-a", tag="检查")


def test_csv_by_tag(tagged: Path) -> None:
    """Three more columns: tag, tag_points, tag_max (学法: city 10.00 + 12.00 = 22.00 of 40)."""
    lines = rulelaw.evaluate(rulelaw.load(tagged)).to_csv(tag="学法").splitlines()
    assert lines[0].endswith(",total,grade,tag,tag_points,tag_max")
    assert lines[1].endswith(",82.00,良好,学法,22.00,40.00")
    assert lines[4].endswith(",60.00,合格,学法,60.00,60.00")


def test_json_lists_each_indicators_tags(tagged: Path) -> None:
    """``scheme.indicators[id].tags``; the dict path and the arrays path give the same bytes."""
    result = rulelaw.evaluate(rulelaw.load(tagged))
    document = result.to_json()
    assert document == result.to_json(reference=True)
    data = json.loads(document)
    assert {k: v["tags"] for k, v in data["scheme"]["indicators"].items()} == {
        "1.1": ["学法"],
        "1.2": ["督察", "学法"],
        "2.1": [],
        "2.2": ["督察"],
    }


def test_cli_tag(tagged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--tag`` on evaluate and explain; an unknown tag and ``--format json`` are refused."""
    assert main(["evaluate", str(tagged), "--tag", "督察", "--lang", "en"]) == 0
    assert capsys.readouterr().out == TABLE
    assert main(["explain", str(tagged), "county-a", "--tag", "督察", "--lang", "en"]) == 0
    assert capsys.readouterr().out == EXPLAIN
    assert main(["evaluate", str(tagged), "--tag", "检查", "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "rulelaw: error: no indicator tag with id '检查' (known: '学法', '督察')\n"
    )
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", str(tagged), "--tag", "督察", "--format", "json", "--lang", "en"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "rulelaw evaluate: error: --tag does not apply to --format json: the JSON document "
        "lists each indicator's tags in scheme.indicators"
    )
