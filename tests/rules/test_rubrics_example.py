"""examples/rubrics: a county-department rubric in its published wording, scored by hand.

青岚县 (invented) scores four invented departments on a 20-point excerpt
whose items read like published rubrics: 每少一次扣0.5分 (``count-target``
with ``per_missing``), 未按时报送扣0.5分，未报送扣1分 (``deduction`` with
``prices``, one pool, with and without a ``cap``), 每发现一起扣0.5分，扣完为止
(``deduction`` with ``per``). Each rule's ``max`` is the item's points, so a
rule's points are the rubric's points.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import rulelaw
from rulelaw.messages import render
from rulelaw.testing import check_paths_agree

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "rubrics"
D = Decimal


@pytest.fixture(scope="module")
def result() -> rulelaw.Evaluation:
    """The example, loaded and scored both ways (and read both ways), once for the module."""
    return check_paths_agree(FOLDER)


def _points(result: rulelaw.Evaluation, unit: str) -> dict[str, Decimal | None]:
    return {r.indicator: r.points for r in result.unit(unit).indicators}


def test_a_department_that_meets_every_item_scores_the_whole_excerpt(
    result: rulelaw.Evaluation,
) -> None:
    """青岚县司法局: 4 studies, 2 meetings, counsel, nothing late or missed, 50/50: 20 of 20."""
    assert set(_points(result, "dept-justice").values()) == {D("3"), D("2"), D("1"), D("4")}
    assert result.unit("dept-justice").total == D("20.00")


def test_one_short_one_late_one_unfiled(result: rulelaw.Evaluation) -> None:
    """青岚县市场监督管理局, item by item, 14.5 of 20.

    1.1 3 of 4 studies: 3 − 0.5 = 2.5; 1.2 1 of 2 meetings: 2 − 1 = 1; 1.3 yes: 1;
    2.1 one report late: 3 − 0.5 = 2.5; 2.2 one document not filed: 4 − 1 = 3;
    3.1 two problems: 4 − 2 × 0.5 = 3; 3.2 45/50 = 90 %: 3 × (90 − 80) / 20 = 1.5.
    2.5 + 1 + 1 + 2.5 + 3 + 3 + 1.5 = 14.5.
    """
    assert _points(result, "dept-market") == {
        "1.1": D("2.50"),
        "1.2": D("1.00"),
        "1.3": D("1.00"),
        "2.1": D("2.50"),
        "2.2": D("3.00"),
        "3.1": D("3.00"),
        "3.2": D("1.50"),
    }
    assert result.unit("dept-market").total == D("14.50")


def test_kinds_share_one_pool_and_the_cap_holds_it(result: rulelaw.Evaluation) -> None:
    """青岚县自然资源局, 6 of 20.

    1.1 1 of 4: 3 − 3 × 0.5 = 1.5; 1.2 0 of 2: 2 − 2 = 0; 1.3 partly: half of 1 = 0.5;
    2.1 one late, two missed: 3 − (0.5 + 2 × 1) = 0.5;
    2.2 one not filed, two corrected: 1 + 2 × 2 = 5, capped at 3: 4 − 3 = 1;
    3.1 three problems in 2024 (one of 2025-01-06 is outside the period): 4 − 1.5 = 2.5;
    3.2 40/50 = 80 %, the floor: 0. 1.5 + 0 + 0.5 + 0.5 + 1 + 2.5 + 0 = 6.
    """
    assert _points(result, "dept-land") == {
        "1.1": D("1.50"),
        "1.2": D("0.00"),
        "1.3": D("0.50"),
        "2.1": D("0.50"),
        "2.2": D("1.00"),
        "3.1": D("2.50"),
        "3.2": D("0.00"),
    }
    assert result.unit("dept-land").total == D("6.00")
    lines = {r.indicator: r for r in result.unit("dept-land").indicators}
    assert lines["2.1"].reason == (
        "1 未按时报送 × −0.5 (2024-01-15), 2 未报送 × −1 (2024-07-10, 2024-10-12) → 0.5 of 3"
    )
    assert lines["2.2"].reason == (
        "1 未报备 × −1 (2024-03-01), 2 被纠正 × −2 (2024-06-18, 2024-09-02), capped at −3 → 1 of 4"
    )
    assert render(lines["2.1"].reason, "zh-CN", result.catalogue) == (
        "未按时报送1次，每次扣0.5分（2024年1月15日）、未报送2次，每次扣1分（2024年7月10日、"
        "2024年10月12日）：得0.5分（满分3分）"
    )


def test_an_item_that_does_not_apply_gives_its_points_to_its_sibling(
    result: rulelaw.Evaluation,
) -> None:
    """青岚县农业农村局 made no normative documents: 2.2 (4 points) is not applicable.

    Its 4 points go to 2.1, the other item of dimension 2, worth 3 + 4 = 7.
    2.1 one report missed: 3 − 1 = 2 of 3, so 2 / 3 × 7 = 14/3 = 4.67.
    3 + 2 + 0 (no counsel) + 14/3 + 4 + 3 = 50/3 = 16.67.
    """
    lines = {r.indicator: r for r in result.unit("dept-agri").indicators}
    assert (lines["2.2"].status, lines["2.2"].effective_weight) == ("not-applicable", D("0.00"))
    assert (lines["2.1"].effective_weight, lines["2.1"].points) == (D("7.00"), D("4.67"))
    assert result.unit("dept-agri").total == D("16.67")


def test_grades_on_the_twenty_point_scale(result: rulelaw.Evaluation) -> None:
    """20 ≥ 18 优秀, 16.67 ≥ 16 良好, 14.5 ≥ 12 合格, 6 不合格; ranked by total."""
    graded = [(u.unit, u.grade, u.rank) for u in sorted(result.units, key=lambda u: u.rank or 0)]
    assert graded == [
        ("dept-justice", "excellent", 1),
        ("dept-agri", "good", 2),
        ("dept-market", "pass", 3),
        ("dept-land", "fail", 4),
    ]
