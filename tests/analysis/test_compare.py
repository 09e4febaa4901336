"""Comparing evaluations: what moved, by how much and why; what changed between schemes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import attrs
import jsonschema
import pytest

import rulelaw
from rulelaw.analysis import diff_schemes
from rulelaw.model import CategoryWeights, Scheme
from rulelaw.testing import (
    assert_no_grade_moves,
    assert_ranks_within,
    assert_totals_within,
    assert_unchanged,
)

SCHEMA = json.loads(
    (Path(rulelaw.__file__).parent / "schemas" / "comparison.schema.json").read_text("utf-8")
)


def _reweigh(scheme: Scheme, category: str, moves: dict[str, int]) -> Scheme:
    weights = []
    for w in scheme.weights:
        points = dict(w.points)
        if w.category == category:
            for node, step in moves.items():
                points[node] += Decimal(step)
        weights.append(CategoryWeights(category=w.category, points=points))
    return attrs.evolve(scheme, weights=tuple(weights), version="1.1")


@pytest.fixture(scope="module")
def demo() -> rulelaw.Assessment:
    """The demo city, loaded once."""
    return rulelaw.load(rulelaw.demo_path())


def test_a_weight_change_is_explained_indicator_by_indicator(demo: rulelaw.Assessment) -> None:
    """Two county weights trade 2 points: four counties move, each says which indicators and why.

    Hand-computed for 白石县 (county-03): 1.1.1 scores 75 of 100, so its 4
    points gave 3.00 and its 2 give 1.50 (−1.50); 1.1.2 scores full marks, 3 →
    5 points (+2.00); the total 74.85 → 75.35.
    """
    new = _reweigh(demo.scheme, "county", {"1.1.1": -2, "1.1.2": 2})
    cmp = rulelaw.compare_schemes(demo.scheme, new, demo)
    county = cmp.unit("county-03")
    assert (county.total_before, county.total_after, county.delta) == (
        Decimal("74.85"),
        Decimal("75.35"),
        Decimal("0.50"),
    )
    assert [(c.indicator, c.delta, c.causes) for c in county.indicators] == [
        ("1.1.1", Decimal("-1.50"), ("weight",)),
        ("1.1.2", Decimal("2.00"), ("weight",)),
    ]
    assert county.causes == (
        "own points +0.50: 1.1.1 -1.50 (weight changed), 1.1.2 +2.00 (weight changed)",
    )
    assert county.causes[0].text("zh-CN") == (
        "本单位得分变化+0.50分：1.1.1 -1.50分（权重变化）、1.1.2 +2.00分（权重变化）"
    )
    assert [u.unit for u in cmp.moved] == ["county-02", "county-03", "county-04", "county-05"]
    assert [c.describe() for c in cmp.schemes.changes] == [  # type: ignore[union-attr]
        "weight of '1.1.1' for 'county': 4 → 2",
        "weight of '1.1.2' for 'county': 3 → 5",
    ]
    assert_no_grade_moves(cmp)
    assert_ranks_within(cmp, 0)
    assert_totals_within(cmp, "0.50")
    assert_unchanged(cmp, units=["county-01", "dept-01", "park-01"])


def test_a_rank_change_caused_by_a_rivals_move(tmp_path: Path) -> None:
    """A rival's evidence improves: it passes a unit whose own points did not change.

    In the demo city 云溪区 (county-02, 81.00) is ranked above 白石县
    (county-03, 74.85). Raising 白石县's evidence lifts it above 云溪区: 云溪区
    keeps every point and drops a place, and the comparison says it was
    passed by county-03 — not that its own points moved.
    """
    folder = tmp_path / "city"
    shutil.copytree(rulelaw.demo_path(), folder)
    before = rulelaw.evaluate(rulelaw.load(folder))
    text = (folder / "evidence.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        if row[0] == "county-03":  # every rate met, every flag yes, no occurrence
            if row[4] and row[5]:
                row[4] = row[5]
            if row[3] in ("no", "partly"):
                row[3], row[6] = "yes", ""
            row[7] = ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / "evidence.csv").write_text(buffer.getvalue(), encoding="utf-8")
    after = rulelaw.evaluate(rulelaw.load(folder))
    cmp = rulelaw.compare(before, after)
    rival, unit = cmp.unit("county-03"), cmp.unit("county-02")
    assert rival.delta > 0
    assert rival.rank_change < 0
    assert unit.delta == 0
    assert unit.indicators == ()
    assert unit.rank_change == 1
    assert unit.passed_by == ("county-03",)
    assert unit.causes == ("passed by county-03",)
    assert unit.causes[0].text("zh-CN") == "被county-03超过"
    assert {c for i in rival.indicators for c in i.causes} == {"evidence"}
    with pytest.raises(AssertionError) as caught:
        assert_ranks_within(cmp, 0)
    assert "county-02 云溪区: total 81.00 → 81.00, rank 3 → 4" in str(caught.value)
    assert "(passed by county-03)" in str(caught.value)


def test_a_failing_grade_assertion_lists_units_with_causes(demo: rulelaw.Assessment) -> None:
    """Raising the excellent threshold to 95 moves grades; the assertion names who and why."""
    grades = tuple(
        attrs.evolve(g, minimum=Decimal(95)) if g.id == "excellent" else g
        for g in demo.scheme.grading.grades
    )
    new = attrs.evolve(demo.scheme, grading=attrs.evolve(demo.scheme.grading, grades=grades))
    cmp = rulelaw.compare_schemes(demo.scheme, new, demo)
    moved = [u for u in cmp.units if u.grade_before != u.grade_after]
    assert moved
    assert all(u.delta == 0 for u in moved)
    assert all(u.causes == ("the grading changed (thresholds or quotas)",) for u in moved)
    assert all(u.grade_steps == 1 for u in moved)
    assert_no_grade_moves(cmp, more_than=1)
    with pytest.raises(AssertionError, match=r"grades moved more than 0 steps: \d+ unit"):
        assert_no_grade_moves(cmp)
    assert [c.describe() for c in cmp.schemes.changes] == [  # type: ignore[union-attr]
        "grade 'excellent', minimum: 90 → 95"
    ]


def test_transitions_count_units_by_grade_before_and_after(demo: rulelaw.Assessment) -> None:
    """The transition matrix of each peer group adds up to its units graded on both sides."""
    same = rulelaw.compare_schemes(demo.scheme, demo.scheme, demo)
    assert same.moved == ()
    assert sum(t.count for t in same.transitions) == len(demo.units)
    assert all(t.grade_before == t.grade_after for t in same.transitions)
    assert "no unit moved" in same.table()
    assert "所有单位均无变化" in same.table(lang="zh-CN")


def test_units_that_appear_or_vanish(demo: rulelaw.Assessment) -> None:
    """A unit only in one evaluation is reported as added or removed, not compared."""
    result = rulelaw.evaluate(demo)
    fewer = attrs.evolve(result, units=result.units[1:])
    cmp = rulelaw.compare(result, fewer)
    gone = cmp.unit(result.units[0].unit)
    assert (gone.presence, gone.causes) == ("removed", ("only in the first evaluation",))
    back = rulelaw.compare(fewer, result).unit(result.units[0].unit)
    assert (back.presence, back.causes) == ("added", ("new in the second evaluation",))


def test_the_comparison_document_follows_its_schema(demo: rulelaw.Assessment) -> None:
    """``to_json`` gives a document the published schema accepts, with causes as codes."""
    new = _reweigh(demo.scheme, "county", {"1.1.1": -2, "1.1.2": 2})
    document = json.loads(rulelaw.compare_schemes(demo.scheme, new, demo).to_json())
    jsonschema.validate(document, SCHEMA)
    unit = next(u for u in document["units"] if u["unit"] == "county-03")
    assert unit["causes"][0]["code"] == "compare.own-points"
    assert unit["causes"][0]["params"]["delta"] == "0.50"
    assert document["schemes"]["changes"][0] == {
        "kind": "weight",
        "node": "1.1.1",
        "category": "county",
        "param": None,
        "before": "4",
        "after": "2",
        "text": "weight of '1.1.1' for 'county': 4 → 2",
    }


def test_scheme_differences_as_data(demo: rulelaw.Assessment) -> None:
    """A rule parameter and a quota change are each listed, with before and after."""
    scheme = demo.scheme
    first = scheme.indicators[0]
    changed_rule = attrs.evolve(first.rule, params={**first.rule.params, "target": Decimal(90)})
    indicators = (attrs.evolve(first, rule=changed_rule), *scheme.indicators[1:])
    grades = tuple(
        attrs.evolve(g, max_percent=Decimal(25)) if g.id == "excellent" else g
        for g in scheme.grading.grades
    )
    other = attrs.evolve(
        scheme,
        indicators=indicators,
        grading=attrs.evolve(scheme.grading, grades=grades),
    )
    diff = diff_schemes(scheme, other)
    kinds = [(c.kind, c.node, c.param) for c in diff.changes]
    assert ("grade", "excellent", "max_percent") in kinds
    if first.rule.params.get("target") is not None:
        assert ("rule-param", first.id, "target") in kinds
    assert diff_schemes(scheme, scheme).changes == ()
