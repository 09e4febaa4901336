"""Sensitivity to the weights: draws re-aggregated from the exact points, seeded, explained."""

from __future__ import annotations

from decimal import Decimal

import pytest

import rulelaw
from rulelaw.analysis import sensitivity


@pytest.fixture(scope="module")
def mini() -> rulelaw.Assessment:
    """The small test folder."""
    return rulelaw.load("tests/data/mini")


def test_fixed_weights_give_hand_computed_totals_and_grades(mini: rulelaw.Assessment) -> None:
    """Dimension 1 at 80 and 2 at 20 in every draw: 迷你市 64 → 合格, 市司法局 80 → 良好.

    By hand: 迷你市 scores 22 of 40 on dimension 1 (0.55) and 60 of 60 on 2
    (1.0): 100 × (80 × 0.55 + 20 × 1) / 100 = 64 (pass, ≥ 60); 甲县 0.4625
    and 0.5 give 47 (fail); 市司法局 1.0 and 0 give 80 (good, ≥ 80).
    Swapped (20 and 80): 迷你市 91 (excellent), 市司法局 20 (fail).
    """
    found = sensitivity(mini, draws=5, ranges={"1": (80, 80), "2": (20, 20)})
    assert {u.unit: dict(u.grades) for u in found.units} == {
        "city": {"pass": Decimal("100.00")},
        "county-a": {"fail": Decimal("100.00")},
        "county-b": {"fail": Decimal("100.00")},
        "dept-justice": {"good": Decimal("100.00")},
    }
    swapped = sensitivity(mini, draws=5, ranges={"1": (20, 20), "2": (80, 80)})
    assert swapped.unit("city").grades == {"excellent": Decimal("100.00")}
    assert swapped.unit("dept-justice").grades == {"fail": Decimal("100.00")}


def test_no_variation_reproduces_the_exact_evaluation() -> None:
    """With a factor of 0 every draw ranks and grades every demo unit as ``evaluate`` does."""
    a = rulelaw.load(rulelaw.demo_path())
    result = rulelaw.evaluate(a)
    found = sensitivity(result, scheme=a.scheme, draws=10, factor=0)
    for unit, base in zip(found.units, result.units, strict=True):
        assert (unit.median_rank, unit.low, unit.high) == (base.rank, base.rank, base.rank)
        assert unit.grades == {(base.grade or ""): Decimal("100.00")}
        assert unit.influence == tuple((n, Decimal(0)) for n in sorted(found.nodes))


def test_the_same_seed_gives_the_same_result() -> None:
    """Seeded: equal for one seed; varied weights move some ranks and say which weights did."""
    a = rulelaw.load(rulelaw.demo_path())
    first = sensitivity(a, draws=200, seed=7)
    assert first == sensitivity(a, draws=200, seed=7)
    moving = [u for u in first.units if u.spread > 0]
    assert moving
    assert all(u.influence[0][1] > 0 for u in moving)
    assert all(abs(sum(u.grades.values()) - 100) <= Decimal("0.02") for u in first.units)
    table = first.table()
    assert table.startswith("200 weight draws of 1, 2, 3, 4, 5, 6, 7 (seed 7)")
    assert "排名中位数" in first.table(lang="zh-CN")


def test_bad_requests_are_refused(mini: rulelaw.Assessment) -> None:
    """No draws, an unknown node, or an evaluation without its scheme: a clear error."""
    with pytest.raises(ValueError, match="draws must be a whole number of at least 1, got 0"):
        sensitivity(mini, draws=0)
    with pytest.raises(rulelaw.errors.LookupFailed, match="dimension or indicator") as caught:
        sensitivity(mini, nodes=["9"])
    assert caught.value.key == "9"
    with pytest.raises(ValueError, match="give the scheme"):
        sensitivity(rulelaw.evaluate(mini))
