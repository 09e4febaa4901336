"""Ranks on the shown or the exact total; rounding per level; dimension rounding lines.

Every number below is worked out by hand in the test's docstring.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rulelaw
from rulelaw.engine import UnitResult
from rulelaw.model import ROUNDING_LEVELS, LevelRounding, RankOn, RoundingMode, exact_sum
from rulelaw.testing import assessments, check_paths_agree, schemes

ROOT = Path(__file__).parents[2]

HEAD = """\
id = "xishan-2024"
title = "溪山市2024年度法治政府建设考核"
version = "1"
period = { start = 2024-01-01, end = 2024-12-31 }

[[categories]]
id = "department"
name = "市直单位"
"""

GIVEN = 'measure = "value"\nrule = { kind = "given-score", out_of = 100 }\n'

# Two top dimensions of one indicator each, 50 points apiece.
TWO = (
    HEAD
    + """
[[dimensions]]
id = "1"
title = "述法评议"

[[dimensions]]
id = "2"
title = "工作实绩"

[[indicators]]
id = "1.1"
parent = "1"
title = "述法评议得分"
"""
    + GIVEN
    + """
[[indicators]]
id = "2.1"
parent = "2"
title = "工作实绩评分"
"""
    + GIVEN
    + """
[weights.department]
"1.1" = 50
"2.1" = 50

[[grading.grades]]
id = "excellent"
label = "优秀"
minimum = 90
max_percent = 50

[[grading.grades]]
id = "good"
label = "良好"
minimum = 80

[[grading.grades]]
id = "fail"
label = "不合格"
"""
)

# One top dimension: a sub-dimension of two indicators (25 points each) and an indicator (50).
NESTED = (
    HEAD
    + """
[[dimensions]]
id = "1"
title = "依法行政"

[[dimensions]]
id = "1.1"
parent = "1"
title = "执法监督"

[[indicators]]
id = "1.1.1"
parent = "1.1"
title = "案卷评查得分"
"""
    + GIVEN
    + """
[[indicators]]
id = "1.1.2"
parent = "1.1"
title = "执法检查得分"
"""
    + GIVEN
    + """
[[indicators]]
id = "1.2"
parent = "1"
title = "群众满意度"
"""
    + GIVEN
    + """
[weights.department]
"1.1.1" = 25
"1.1.2" = 25
"1.2" = 50
"""
)

UNITS = "id,name,level,category\na,甲局,city,department\nb,乙局,city,department\n"


def _folder(tmp_path: Path, scheme: str, evidence: str, units: str = UNITS) -> Path:
    folder = tmp_path / "xishan"
    folder.mkdir()
    (folder / "scheme.toml").write_text(scheme, encoding="utf-8")
    (folder / "units.csv").write_text(units, encoding="utf-8")
    (folder / "evidence.csv").write_text("unit,indicator,value\n" + evidence, encoding="utf-8")
    return folder


# 甲局: 90.01 and 90 of 100 → 45.005 + 45 = 90.005 exactly, shown 90.01 (half-up).
# 乙局: 90.02 and 89.999 of 100 → 45.01 + 44.9995 = 90.0095 exactly, shown 90.01.
CLOSE = "a,1.1,90.01\na,2.1,90\nb,1.1,90.02\nb,2.1,89.999\n"


def _close(tmp_path: Path, grading: str) -> rulelaw.Evaluation:
    text = TWO.replace("[[grading.grades]]", "[grading]\n" + grading + "\n[[grading.grades]]", 1)
    return check_paths_agree(_folder(tmp_path, text, CLOSE))


def test_ranks_on_the_shown_total_by_default(tmp_path: Path) -> None:
    """Exact totals 90.005 and 90.0095 both show 90.01: they share rank 1 and tie at the cut.

    优秀 ≤ 50% of 2 = 1; with no tie-break key both tied units move to 良好.
    """
    result = _close(tmp_path, "")
    a, b = result.unit("a"), result.unit("b")
    assert (a.total, b.total) == (Decimal("90.01"), Decimal("90.01"))
    assert (a.rank, b.rank, a.rank_overall, b.rank_overall) == (1, 1, 1, 1)
    assert (a.grade_label, b.grade_label) == ("良好", "良好")
    assert a.grade_steps[-1] == (
        "优秀 quota 50% of 2 = 1; moved to 良好 (tied at the cut-off: all tied units move)"
    )
    assert not any(s.code == "rank.exact" for s in a.grade_steps)


def test_ranks_on_the_exact_total_where_declared(tmp_path: Path) -> None:
    """``rank_on = "exact"``: 90.0095 before 90.005, so 乙局 is 1st and keeps the one 优秀.

    The shown totals are still 90.01 each, and both reach 90 by threshold; the
    step after the rank says the exact total decided.
    """
    result = _close(tmp_path, 'rank_on = "exact"')
    a, b = result.unit("a"), result.unit("b")
    assert (a.total, b.total) == (Decimal("90.01"), Decimal("90.01"))
    assert (b.rank, a.rank, b.rank_overall, a.rank_overall) == (1, 2, 1, 2)
    assert (b.grade_label, a.grade_label) == ("优秀", "良好")
    assert list(b.grade_steps) == [
        "rank 1 of 2 in 市直单位",
        "total 90.01 as shown, shared with 1 other(s): ranked on the exact total, 90.0095",
        "total 90.01 ≥ 90 → 优秀",
    ]
    assert a.grade_steps[1] == (
        "total 90.01 as shown, shared with 1 other(s): ranked on the exact total, 90.005"
    )
    assert a.grade_steps[-1] == "优秀 quota 50% of 2 = 1; moved to 良好"
    assert a.grade_steps[1].text("zh-CN", result.catalogue) == (
        "显示总分90.01分，与其他1个相同：按未经舍入的总分90.005分排名"
    )


def test_exact_ranks_keep_every_order_the_shown_totals_decide(tmp_path: Path) -> None:
    """A third unit, 丙局, 95 + 85 = 90 exactly (shown 90.00), stays below both 90.01s.

    Shown: 甲局 and 乙局 share 1, 丙局 is 3rd. Exact: 乙局 1, 甲局 2, 丙局 3; no
    step for 丙局, whose shown total no one shares.
    """
    units = UNITS + "c,丙局,city,department\n"
    for n, (grading, ranks) in enumerate((("", (1, 1, 3)), ('rank_on = "exact"', (2, 1, 3)))):
        folder = tmp_path / str(n)
        folder.mkdir()
        text = TWO.replace("[[grading.grades]]", f"[grading]\n{grading}\n[[grading.grades]]", 1)
        found = _folder(folder, text, CLOSE + "c,1.1,95\nc,2.1,85\n", units)
        result = check_paths_agree(found)
        assert tuple(result.unit(u).rank for u in "abc") == ranks
        assert result.unit("c").total == Decimal("90.00")
        assert not any(s.code == "rank.exact" for s in result.unit("c").grade_steps)


def test_exact_ranks_with_the_tie_break_keys(tmp_path: Path) -> None:
    """``rank_ties = "broken"`` and ``tie_break = ["1"]`` under ``rank_on = "exact"``.

    The exact totals differ (90.0095 > 90.005), so they decide before the key:
    乙局 is 1st although 甲局's dimension 1 (45.01) equals 乙局's (45.01).
    """
    result = _close(tmp_path, 'rank_on = "exact"\nrank_ties = "broken"\ntie_break = ["1"]')
    assert (result.unit("b").rank, result.unit("a").rank) == (1, 2)


# 1.1.1 and 1.1.2: 33.34 of 100 × 25 = 8.335 each, shown 8.34; 1.2: 33.33 × 50 = 16.665 → 16.67.
# 1.1 = 16.67 exactly (shown 16.67; its parts show 16.68); 1 = 33.335 → 33.34 (parts: 16.67 +
# 16.67 = 33.34); the total 33.335 → 33.34, the indicators show 8.34 + 8.34 + 16.67 = 33.35.
NESTED_EVIDENCE = "a,1.1.1,33.34\na,1.1.2,33.34\na,1.2,33.33\n"


def _nested(tmp_path: Path, rounding: str = "") -> UnitResult:
    text = NESTED + ("\n[rounding]\n" + rounding if rounding else "")
    units = "id,name,level,category\na,甲局,city,department\n"
    result = check_paths_agree(_folder(tmp_path, text, NESTED_EVIDENCE, units))
    return result.unit("a")


def _lines(unit: UnitResult) -> dict[str, Decimal | None]:
    return {d.dimension: None if d.rounding is None else d.rounding.points for d in unit.dimensions}


def test_no_dimension_line_unless_declared(tmp_path: Path) -> None:
    """By default 1.1 shows 16.67 over parts of 16.68, and no line says so (as before)."""
    a = _nested(tmp_path)
    assert [(d.dimension, d.points) for d in a.dimensions] == [
        ("1", Decimal("33.34")),
        ("1.1", Decimal("16.67")),
    ]
    assert _lines(a) == {"1": None, "1.1": None}
    assert [(x.kind, x.points) for x in a.adjustments] == [("rounding", Decimal("-0.01"))]


def test_dimension_lines_make_each_dimension_add_up(tmp_path: Path) -> None:
    """``dimension_lines = true``: 1.1 gets 16.67 − (8.34 + 8.34) = −0.01; 1 adds up already.

    The total's line stays against the indicators: 33.34 − 33.35 = −0.01.
    """
    a = _nested(tmp_path, "dimension_lines = true\n")
    assert _lines(a) == {"1": None, "1.1": Decimal("-0.01")}
    line = a.dimensions[1].rounding
    assert line is not None
    assert (line.kind, line.item, line.reason.code) == (
        "rounding",
        "1.1",
        "rounding.dimension-line",
    )
    assert line.reason == (
        "subtotals are rounded to 2 places (half-up) from exact points; "
        "this line makes the shown parts add up"
    )
    assert [(x.kind, x.points) for x in a.adjustments] == [("rounding", Decimal("-0.01"))]
    assert a.total == Decimal("33.34")


def test_dimension_lines_in_explain_and_json(tmp_path: Path) -> None:
    """The line shows beside its dimension in both languages, and as ``rounding`` in JSON."""
    text = NESTED + "\n[rounding]\ndimension_lines = true\n"
    units = "id,name,level,category\na,甲局,city,department\n"
    result = check_paths_agree(_folder(tmp_path, text, NESTED_EVIDENCE, units))
    explained = result.explain("a")
    assert "  1 依法行政: 33.34 of 100.00\n" in explained
    assert (
        "    1.1 执法监督: 16.67 of 50.00; rounding -0.01 — subtotals are rounded to 2 places "
        "(half-up) from exact points; this line makes the shown parts add up\n"
    ) in explained
    assert (
        "    1.1 执法监督：16.67分（满分50.00分）；尾差调整-0.01分——小计按精确得分保留2位小数"
        "（四舍五入）；本行差额使所含各项显示得分之和等于小计\n"
    ) in result.explain("a", lang="zh-CN")
    dims = json.loads(result.to_json())["units"][0]["dimensions"]
    assert dims[0] == {
        "dimension": "1",
        "points": "33.34",
        "max": "100.00",
        "reason": "",  # scored as usual (the data threshold's reason is "")
        "reason_code": None,
        "reason_params": None,
    }
    assert dims[1]["rounding"] == {
        "points": "-0.01",
        "reason": "subtotals are rounded to 2 places (half-up) from exact points; "
        "this line makes the shown parts add up",
        "reason_code": "rounding.dimension-line",
        "reason_params": {"places": 2, "mode": {"code": "rounding.half-up", "params": {}}},
    }


def test_json_with_dimension_lines_follows_its_schema(tmp_path: Path) -> None:
    """The document with a dimension's line validates against evaluation.schema.json."""
    from jsonschema import Draft202012Validator

    schema = json.loads(
        (Path(rulelaw.__file__).parent / "schemas" / "evaluation.schema.json").read_text("utf-8")
    )
    text = NESTED + "\n[rounding]\ndimension_lines = true\n"
    units = "id,name,level,category\na,甲局,city,department\n"
    result = rulelaw.evaluate(rulelaw.load(_folder(tmp_path, text, NESTED_EVIDENCE, units)))
    errors = list(Draft202012Validator(schema).iter_errors(json.loads(result.to_json())))
    assert errors == []


def test_each_level_rounds_its_own_way(tmp_path: Path) -> None:
    """Dimensions and the total to 1 place, indicators to 2 (the scheme's places).

    Indicators: 8.34, 8.34, 16.67. 1.1: 16.67 → 16.7, worth 50.0; 1: 33.335 → 33.3, worth
    100.0. Subtotal and total: 33.335 → 33.3. The total's line: 33.3 − 33.35 = −0.05, at
    2 places, naming both roundings. Dimension lines: 1.1: 16.7 − 16.68 = 0.02;
    1: 33.3 − (16.7 + 16.67) = −0.07.
    """
    a = _nested(
        tmp_path,
        "dimension_lines = true\n[rounding.dimension]\nplaces = 1\n[rounding.total]\nplaces = 1\n",
    )
    assert [str(r.points) for r in a.indicators] == ["8.34", "8.34", "16.67"]
    assert [(str(d.points), str(d.max)) for d in a.dimensions] == [
        ("33.3", "100.0"),
        ("16.7", "50.0"),
    ]
    assert (str(a.subtotal), str(a.total)) == ("33.3", "33.3")
    assert [str(x.points) for x in a.adjustments] == ["-0.05"]
    assert a.adjustments[0].reason == (
        "indicator points are shown rounded to 2 places (half-up) and the total to 1 places "
        "(half-up); this line makes them add up to the total"
    )
    assert {k: str(v) for k, v in _lines(a).items()} == {"1": "-0.07", "1.1": "0.02"}


def test_levels_with_each_indicator_rounded_first(tmp_path: Path) -> None:
    """``indicators = true``, the total to 1 place: 8.34 + 8.34 + 16.67 = 33.35 → 33.4.

    The dimensions (2 places) add their rounded indicators exactly: 16.68 and 33.35; the
    total's line is 33.4 − 33.35 = 0.05.
    """
    a = _nested(tmp_path, "indicators = true\n[rounding.total]\nplaces = 1\n")
    assert [str(d.points) for d in a.dimensions] == ["33.35", "16.68"]
    assert (str(a.subtotal), str(a.total)) == ("33.4", "33.4")
    assert [str(x.points) for x in a.adjustments] == ["0.05"]


def test_a_coarser_mode_for_the_dimensions(tmp_path: Path) -> None:
    """``[rounding.dimension] mode = "down"``: 1.1 16.67, 1 33.335 → 33.33 (not 33.34)."""
    a = _nested(tmp_path, '[rounding.dimension]\nmode = "down"\n')
    assert [str(d.points) for d in a.dimensions] == ["33.33", "16.67"]
    assert a.total == Decimal("33.34")


def test_a_scheme_that_declares_nothing_keeps_one_rounding() -> None:
    """Without the new keys: ranks on the shown total, every level rounds as ``[rounding]``."""
    folder = ROOT / "tests" / "data" / "mini"
    scheme = rulelaw.load_scheme(folder / "scheme.toml")
    assert scheme.grading.rank_on is RankOn.SHOWN
    assert scheme.rounding.plain
    assert all(scheme.rounding.level(name) is scheme.rounding for name in ROUNDING_LEVELS)


def test_demo_city_dimension_lines_count(tmp_path: Path) -> None:
    """In the demo city, 17 dimension subtotals differ from their shown parts: 17 lines.

    青岚县's dimension 7 shows 10.66 over 4.52 + 6.15 = 10.67: a line of −0.01.
    """
    folder = tmp_path / "demo"
    import shutil

    shutil.copytree(ROOT / "examples" / "demo-city", folder, symlinks=False)
    scheme = folder / "scheme.toml"
    text = scheme.read_text("utf-8")
    scheme.write_text(text.replace("[rounding]\n", "[rounding]\ndimension_lines = true\n"), "utf-8")
    result = check_paths_agree(folder)
    lines = [(u.unit, d.dimension) for u in result.units for d in u.dimensions if d.rounding]
    assert len(lines) == 17
    seven = next(d for d in result.unit("county-01").dimensions if d.dimension == "7")
    assert seven.points == Decimal("10.66")
    assert seven.rounding is not None
    assert seven.rounding.points == Decimal("-0.01")


def test_a_line_over_subdimensions_is_at_the_finer_places(tmp_path: Path) -> None:
    """Indicators at 3 places, dimensions at 2: every line is written at 3 places.

    Dimension 7 of 青岚县 adds up its subdimensions (2 places each), yet its
    line is written like every other line, at the finer places, so both paths
    (and both JSON writers) give it alike: the arrays count lines at 3 places
    (found by the path property on a generated scheme: -0.010 against -0.01).
    """
    import shutil

    folder = tmp_path / "demo"
    shutil.copytree(ROOT / "examples" / "demo-city", folder, symlinks=False)
    scheme = folder / "scheme.toml"
    text = scheme.read_text("utf-8").replace(
        "[rounding]\n", "[rounding.indicator]\nplaces = 3\n\n[rounding]\ndimension_lines = true\n"
    )
    scheme.write_text(text, "utf-8")
    result = check_paths_agree(folder)
    lines = [d.rounding for u in result.units for d in u.dimensions if d.rounding]
    assert lines
    assert {line.points.as_tuple().exponent for line in lines} == {-3}


def test_bad_rounding_levels_are_refused_at_their_key() -> None:
    """A level's places and mode are checked like the scheme's, at their key path."""
    from rulelaw.files import scheme_from_text

    for extra, problem in (
        (
            "[rounding.dimension]\nplaces = 11\n",
            "$.rounding.dimension.places: rounding places out of range (expected 0 to 10; got 11)",
        ),
        ("[rounding.panel]\nwhat = 1\n", "$.rounding.panel.what: unknown key 'what'"),
        (
            '[grading]\nrank_on = "rounded"\n',
            "$.grading.rank_on: not an allowed value (expected one of 'shown', 'exact'; "
            "got 'rounded')",
        ),
    ):
        with pytest.raises(rulelaw.ValidationError) as caught:
            scheme_from_text(NESTED + extra, file="scheme.toml")
        assert str(caught.value.errors[0]) == f"scheme.toml, {problem}"


def test_panel_scores_round_at_the_panel_level() -> None:
    """``[rounding.panel] places = 1``: every panel's group and report scores show 1 place."""
    folder = ROOT / "examples" / "law-reports" / "six-part"
    assessment = rulelaw.load(folder)
    scheme = assessment.scheme
    rounding = attrs.evolve(scheme.rounding, panel=LevelRounding(places=1))
    changed = attrs.evolve(assessment, scheme=attrs.evolve(scheme, rounding=rounding))
    result = check_paths_agree(changed)
    scores = [r.score for r in result.panels if r.score is not None]
    scores += [g.score for r in result.panels for g in r.groups if g.score is not None]
    assert scores
    assert {s.as_tuple().exponent for s in scores} == {-1}


# -- every shown level adds up, on generated assessments ------------------------------------


def _children(unit: UnitResult, dimension: str, parent: dict[str, str | None]) -> list[Decimal]:
    return [r.points for r in unit.indicators if r.dimension == dimension] + [
        d.points for d in unit.dimensions if parent[d.dimension] == dimension
    ]


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent


@st.composite
def _declared(draw: st.DrawFn) -> rulelaw.Assessment:
    scheme = draw(schemes())
    levels = {
        name: draw(
            st.none()
            | st.builds(
                LevelRounding,
                places=st.none() | st.integers(0, 4),
                mode=st.none() | st.sampled_from(RoundingMode),
            )
        )
        for name in ROUNDING_LEVELS
    }
    rounding = attrs.evolve(scheme.rounding, dimension_lines=draw(st.booleans()), **levels)
    grading = attrs.evolve(scheme.grading, rank_on=draw(st.sampled_from(RankOn)))
    return draw(assessments(scheme=attrs.evolve(scheme, rounding=rounding, grading=grading)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_declared())
def test_every_shown_level_adds_up(a: rulelaw.Assessment) -> None:
    """Indicators → dimensions → parents → total, each at its level's places.

    - the indicators' points and the adjustments (the total's rounding line among them)
      add up to the total;
    - with ``dimension_lines``, each dimension's shown parts and its line add up to its
      points (a line is never 0); without, no dimension has a line;
    - so, with ``dimension_lines``, the top-level dimensions less every dimension line, and
      the adjustments, add up to the total;
    - each shown number has its level's places; and both ways of scoring agree.
    """
    result = check_paths_agree(a)
    rounding = a.scheme.rounding
    places = {name: rounding.level(name).places for name in ROUNDING_LEVELS}
    parent = {d.id: d.parent for d in a.scheme.dimensions}
    for unit in result.units:
        adjustments = exact_sum(x.points for x in unit.adjustments)
        assert exact_sum(r.points for r in unit.indicators) + adjustments == unit.total
        lines = exact_sum(d.rounding.points for d in unit.dimensions if d.rounding)
        for d in unit.dimensions:
            line = d.rounding
            if not rounding.dimension_lines:
                assert line is None
                continue
            parts = exact_sum(_children(unit, d.dimension, parent))
            assert parts + (line.points if line else 0) == d.points
            assert line is None or line.points != 0
            assert _places(d.points) == _places(d.max) == places["dimension"]
        if rounding.dimension_lines:
            top = exact_sum(d.points for d in unit.dimensions if parent[d.dimension] is None)
            assert top - lines + adjustments == unit.total
        assert _places(unit.total) == _places(unit.subtotal) == places["total"]
        assert {_places(r.points) for r in unit.indicators} <= {places["indicator"]}
    for one in result.units:  # rounding never reverses an order: neither policy does
        for other in result.units:
            if one.peer_group == other.peer_group and one.total > other.total:
                assert one.rank < other.rank
