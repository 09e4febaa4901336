"""Grades under quotas, vetoes and eligibility, and ranks, on hand-computed examples."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rulelaw
from rulelaw.engine import DimensionResult, UnitResult
from rulelaw.engine._grade import grade_units
from rulelaw.files import scheme_from_text

MINI = (Path(__file__).parents[1] / "data" / "mini" / "scheme.toml").read_text(encoding="utf-8")

GRADES = """
[[grading.grades]]
id = "excellent"
label = "优秀"
minimum = 90
{excellent}
[[grading.grades]]
id = "good"
label = "良好"
minimum = 80
{good}
[[grading.grades]]
id = "pass"
label = "合格"
minimum = 60

[[grading.grades]]
id = "fail"
label = "不合格"
"""

VETOES = """
[[vetoes]]
id = "cap"
title = "通报批评"
effect = "cap-grade"
grade = "good"

[[vetoes]]
id = "floor"
title = "重大事故"
effect = "lowest-grade"
"""


def _scheme(grading: str = "", excellent: str = "", good: str = "") -> rulelaw.Scheme:
    text = MINI + "\n[grading]\n" + grading + GRADES.format(excellent=excellent, good=good) + VETOES
    return scheme_from_text(text, file="scheme.toml")


def _unit(
    unit: str,
    total: str,
    *,
    dim1: str = "0",
    group: str = "g",
    vetoes: tuple[str, ...] = (),
    not_graded: str = "",
) -> UnitResult:
    return UnitResult(
        unit=unit,
        name=unit,
        category="county",
        level="county",
        indicators=(),
        dimensions=(
            DimensionResult(
                dimension="1", title="一", level=1, points=Decimal(dim1), max=Decimal(40)
            ),
        ),
        adjustments=(),
        subtotal=Decimal(total),
        total=Decimal(total),
        vetoes=vetoes,
        peer_group=group,
        not_graded=not_graded,
    )


def _grades(scheme: rulelaw.Scheme, units: list[UnitResult]) -> dict[str, str | None]:
    graded, _ = grade_units(scheme, units, {})
    return {u.unit: u.grade_label for u in graded}


def test_no_quota_pressure() -> None:
    """Within the quotas, every unit keeps its threshold grade."""
    scheme = _scheme(excellent="max_percent = 50")
    units = [_unit("a", "95"), _unit("b", "85"), _unit("c", "70"), _unit("d", "50")]
    assert _grades(scheme, units) == {"a": "优秀", "b": "良好", "c": "合格", "d": "不合格"}


def test_one_move_explained() -> None:
    """优秀 ≤ 20% of 10 = 2: the third unit over 90 moves to 良好, and says why."""
    scheme = _scheme(excellent="max_percent = 20")
    totals = ["98", "96", "93", "91.5", "88", "85", "80", "75", "66", "50"]
    units = [_unit(f"u{i:02d}", t) for i, t in enumerate(totals)]
    graded, distribution = grade_units(scheme, units, {"g": "市直单位"})
    labels = [u.grade_label for u in graded]
    assert labels == [
        "优秀",
        "优秀",
        "良好",
        "良好",
        "良好",
        "良好",
        "良好",
        "合格",
        "合格",
        "不合格",
    ]
    assert graded[2].grade_steps == (
        "rank 3 of 10 in 市直单位",
        "total 93 ≥ 90 → 优秀",
        "优秀 quota 20% of 10 = 2; moved to 良好",
    )
    (group,) = distribution
    assert [(g.label, g.count, g.max) for g in group.grades] == [
        ("优秀", 2, 2),
        ("良好", 5, None),
        ("合格", 2, None),
        ("不合格", 1, None),
    ]


def test_cascade_over_two_grades() -> None:
    """Units moved out of 优秀 count against 良好's quota and move on to 合格."""
    scheme = _scheme(excellent="max_percent = 20", good="max_percent = 30")
    totals = ["99", "98", "97", "96", "95", "85", "84", "70", "65", "40"]
    units = [_unit(f"u{i}", t) for i, t in enumerate(totals)]
    # 优秀 ≤ 20% of 10 = 2: u2, u3, u4 move to 良好, which then holds u2…u6 (5);
    # 良好 ≤ 30% of 10 = 3: u2, u3, u4 stay, u5 and u6 move on to 合格.
    assert _grades(scheme, units) == {
        "u0": "优秀",
        "u1": "优秀",
        "u2": "良好",
        "u3": "良好",
        "u4": "良好",
        "u5": "合格",
        "u6": "合格",
        "u7": "合格",
        "u8": "合格",
        "u9": "不合格",
    }


TIED = [("a", "95", "30"), ("b", "92", "35"), ("c", "92", "38"), ("d", "85", "20")]


@pytest.mark.parametrize(
    ("grading", "expected", "exceeded"),
    [
        # break: dimension 1 decides between b (35) and c (38): c keeps 优秀
        ('tie_break = ["1"]\n', {"a": "优秀", "b": "良好", "c": "优秀", "d": "良好"}, False),
        # break with no key left to decide: both tied units move (quota never exceeded)
        ("", {"a": "优秀", "b": "良好", "c": "良好", "d": "良好"}, False),
        ('ties = "move-all"\n', {"a": "优秀", "b": "良好", "c": "良好", "d": "良好"}, False),
        ('ties = "keep-all"\n', {"a": "优秀", "b": "优秀", "c": "优秀", "d": "良好"}, True),
        # the unit id decides last, only because the scheme says so
        ("tie_break_unit_id = true\n", {"a": "优秀", "b": "优秀", "c": "良好", "d": "良好"}, False),
    ],
)
def test_ties_at_the_cut_off(grading: str, expected: dict[str, str], exceeded: bool) -> None:
    """Units tied at 优秀's cut-off (2 of 4 = 50%) follow the declared tie rule."""
    scheme = _scheme(grading, excellent="max_percent = 50")
    units = [_unit(u, t, dim1=d) for u, t, d in TIED]
    graded, distribution = grade_units(scheme, units, {})
    assert {u.unit: u.grade_label for u in graded} == expected
    assert distribution[0].grades[0].exceeded is exceeded


def test_keep_all_explains_the_excess() -> None:
    """Under keep-all the tied units say the quota is exceeded."""
    scheme = _scheme('ties = "keep-all"\n', excellent="max_percent = 50")
    graded, _ = grade_units(scheme, [_unit(u, t, dim1=d) for u, t, d in TIED], {})
    assert graded[1].grade_steps[-1] == (
        "优秀 quota 50% of 4 = 2; tied at the cut-off with 1 other(s): all keep 优秀 "
        "(ties = keep-all; quota exceeded)"
    )


def test_veto_cap_combined_with_a_quota() -> None:
    """A capped unit leaves 优秀 before quotas are counted, so no one else must move."""
    scheme = _scheme(excellent="max_percent = 50")
    units = [
        _unit("a", "97", vetoes=("cap",)),
        _unit("b", "95"),
        _unit("c", "92"),
        _unit("d", "70"),
    ]
    graded, _ = grade_units(scheme, units, {})
    assert {u.unit: u.grade_label for u in graded} == {
        "a": "良好",
        "b": "优秀",
        "c": "优秀",
        "d": "合格",
    }
    assert graded[0].grade_steps[-1] == "veto cap (通报批评) caps the grade at 良好: 优秀 → 良好"


def test_lowest_grade_veto() -> None:
    """A lowest-grade veto gives 不合格 whatever the total."""
    graded, _ = grade_units(_scheme(), [_unit("a", "99", vetoes=("floor",))], {})
    assert graded[0].grade_label == "不合格"


def test_units_not_graded() -> None:
    """A unit kept out of grading has no grade and does not count in the quota's base."""
    scheme = _scheme(excellent="max_percent = 20")
    units = [_unit("new", "99", not_graded="新组建"), *(_unit(f"u{i}", "95") for i in range(5))]
    graded, distribution = grade_units(scheme, units, {})
    assert graded[0].grade is None
    assert graded[0].rank == 1
    assert graded[0].grade_steps[-1] == "not graded: 新组建 (不确定等次)"
    # 20% of the 5 graded units = 1; the five tie on 95 (break, no keys): all move down
    assert [u.grade_label for u in graded[1:]] == ["良好"] * 5
    assert (distribution[0].units, distribution[0].counted, distribution[0].not_graded) == (
        6,
        5,
        1,
    )
    counted = _scheme("count_not_graded = true\n", excellent="max_percent = 20")
    assert grade_units(counted, units, {})[1][0].counted == 6


def test_minimum_share_ties_follow_the_rule() -> None:
    """Two units tied at a minimum's cut both move (break) or both stay (keep-all), in any order."""
    base = (
        MINI
        + '\n[grading]\nRULE[[grading.grades]]\nid = "a"\nlabel = "好"\nminimum = 60\n'
        + '[[grading.grades]]\nid = "b"\nlabel = "差"\nmin_percent = 25\n'
    )
    units = [_unit("w", "90"), _unit("x", "80"), _unit("y", "70"), _unit("z", "70")]
    for rule, expected in (("", ["好", "好", "差", "差"]), ('ties = "keep-all"\n', ["好"] * 4)):
        scheme = scheme_from_text(base.replace("RULE", rule))
        for order in (units, units[::-1]):
            graded, distribution = grade_units(scheme, order, {})
            assert [u.grade_label for u in sorted(graded, key=lambda u: u.unit)] == expected
        assert distribution[0].grades[1].short is (rule != "")


def test_tie_settled_by_a_key_is_explained() -> None:
    """A unit that loses a tie on total by a tie-break key says with whom and by how much."""
    scheme = _scheme('tie_break = ["1"]\n', excellent="max_percent = 34")
    units = [_unit("a", "95", dim1="30"), _unit("b", "95", dim1="35"), _unit("c", "70")]
    graded, _ = grade_units(scheme, units, {})
    assert graded[0].grade_steps[-1] == (
        "优秀 quota 34% of 3 = 1; moved to 良好 (tied on total 95 with b; tie-break 1: 30 "
        "against 35)"
    )


def test_minimum_share_moves_the_lowest_down() -> None:
    """不合格 at least 25% of 4 = 1: the lowest-ranked unit is moved down into it."""
    text = (
        MINI
        + '\n[grading]\n[[grading.grades]]\nid = "a"\nlabel = "好"\nminimum = 60\n'
        + '[[grading.grades]]\nid = "b"\nlabel = "差"\nmin_percent = 25\n'
    )
    scheme = scheme_from_text(text)
    units = [_unit("w", "90"), _unit("x", "80"), _unit("y", "70"), _unit("z", "65")]
    graded, _ = grade_units(scheme, units, {})
    assert [u.grade_label for u in graded] == ["好", "好", "好", "差"]
    assert graded[3].grade_steps[-1] == "差 needs at least 25% of 4 = 1; moved down to 差"


def test_ranks_competition_and_overall() -> None:
    """Equal totals share a rank (1, 2, 2, 4); overall ranks span every group."""
    units = [
        _unit("a", "90", group="x"),
        _unit("b", "85", group="x"),
        _unit("c", "85", group="x"),
        _unit("d", "80", group="x"),
        _unit("e", "88", group="y"),
    ]
    graded, _ = grade_units(_scheme(), units, {})
    assert [(u.unit, u.rank, u.rank_overall) for u in graded] == [
        ("a", 1, 1),
        ("b", 2, 3),
        ("c", 2, 3),
        ("d", 4, 5),
        ("e", 1, 2),
    ]
    broken = _scheme('rank_ties = "broken"\ntie_break_unit_id = true\n')
    assert [u.rank for u in grade_units(broken, units, {})[0]][:3] == [1, 2, 3]


@pytest.mark.parametrize(
    ("grading", "message"),
    [
        (
            'tie_break = ["9"]\n',
            "scheme.toml, $.grading.tie_break[0]: tie-break key '9' is no dimension or indicator "
            "(expected the id of a dimension or an indicator)",
        ),
        (
            '[[grading.grades]]\nid = "a"\nlabel = "A"\nminimum = 90\n'
            '[[grading.grades]]\nid = "b"\nlabel = "B"\nminimum = 80\nmin_percent = 60\n'
            '[[grading.grades]]\nid = "c"\nlabel = "C"\nmin_percent = 50\n',
            "scheme.toml, $.grading.grades: the minimum shares add up to more than 100% "
            "(expected min_percent values adding up to at most 100; got 110)",
        ),
        (
            '[[grading.grades]]\nid = "a"\nlabel = "A"\nminimum = 80\n'
            '[[grading.grades]]\nid = "b"\nlabel = "B"\nmax_percent = 50\n',
            "scheme.toml, $.grading.grades[1].max_percent: the last grade takes every unit moved "
            "down and cannot be capped (expected no max_percent on the last grade; got 50)",
        ),
        (
            '[[grading.grades]]\nid = "a"\nlabel = "A"\nminimum = 80\n'
            '[[grading.grades]]\nid = "b"\nlabel = "B"\nminimum = 85\n'
            '[[grading.grades]]\nid = "c"\nlabel = "C"\n',
            "scheme.toml, $.grading.grades[1].minimum: grade thresholds out of order "
            "(expected less than 80 (grades are listed best first); got 85)",
        ),
    ],
)
def test_bad_grading_is_a_scheme_error(grading: str, message: str) -> None:
    """Impossible quotas, a capped last grade, thresholds out of order, unknown tie keys."""
    with pytest.raises(rulelaw.ValidationError) as info:
        scheme_from_text(MINI + "\n[grading]\n" + grading, file="scheme.toml")
    assert [str(e) for e in info.value.errors] == [message]


# -- properties ---------------------------------------------------------------------------

totals = st.lists(
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False), min_size=1, max_size=12
)
rules = st.sampled_from(["", 'ties = "move-all"\n', 'ties = "keep-all"\n', 'tie_break = ["1"]\n'])
shares = st.sampled_from(["", "max_percent = 10", "max_percent = 25", "max_percent = 50"])


@settings(max_examples=60, deadline=None)
@given(totals, rules, shares, shares, st.randoms(use_true_random=False))
def test_quotas_hold_and_order_does_not_matter(
    values: list[Decimal], rule: str, excellent: str, good: str, rnd: object
) -> None:
    """Quotas hold (or are flagged), better totals never grade worse, order changes nothing."""
    import random

    assert isinstance(rnd, random.Random)
    scheme = _scheme(rule, excellent=excellent, good=good)
    units = [_unit(f"u{i:02d}", str(v), dim1=str(v % 7)) for i, v in enumerate(values)]
    graded, distribution = grade_units(scheme, units, {})
    for count in distribution[0].grades:
        if count.max is not None:
            assert count.count <= count.max or count.exceeded
    position = {g.id: i for i, g in enumerate(scheme.grading.scale.grades)}
    for one in graded:
        for other in graded:
            if one.total > other.total:
                assert position[one.grade or ""] <= position[other.grade or ""]
    shuffled = list(units)
    rnd.shuffle(shuffled)
    again, _ = grade_units(scheme, shuffled, {})
    assert {u.unit: u for u in again} == {u.unit: u for u in graded}


def test_demo_city_grades_and_distribution() -> None:
    """Of the demo's 45 departments one is not graded; of 44, 优秀 ≤ 20% = 8, 良好 ≤ 45% = 19."""
    result = rulelaw.evaluate(rulelaw.load(rulelaw.demo_path()))
    departments = next(d for d in result.distribution if d.peer_group == "department")
    counts = {g.label: (g.count, g.max) for g in departments.grades}
    assert counts["优秀"] == (8, 8)
    assert counts["良好"] == (19, 19)
    assert departments.not_graded == 1
    vetoed = result.unit("dept-11")
    assert vetoed.grade_label == "合格"
    assert any("veto major-violation" in step for step in vetoed.grade_steps)
