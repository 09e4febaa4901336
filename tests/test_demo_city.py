"""The bundled demo city (云泽市) loads, has the promised shape, and is reproducible."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import rulelaw
from rulelaw.model import Assessment

GENERATOR = Path(__file__).parents[1] / "examples" / "make_demo_city.py"
FILES = (
    "scheme.toml",
    "units.csv",
    "people.csv",
    "tenures.csv",
    "evidence.csv",
    "adjustments.csv",
    "reports.csv",
    "ballots.csv",
    "problems.csv",
    "problem_status.csv",
    "filings.csv",
)
BUILTIN_KINDS = (
    "rate-target",
    "bands",
    "compliance",
    "count-target",
    "deduction",
    "deadline",
    "relative",
    "given-score",
)


@pytest.fixture(scope="module")
def demo() -> Assessment:
    """The demo city, loaded once for this module."""
    return rulelaw.load(rulelaw.demo_path())


def test_demo_units_by_category(demo: Assessment) -> None:
    """52 units: 5 counties and districts, 45 municipal departments, 2 parks."""
    assert len(demo.units) == 52
    assert Counter(u.category for u in demo.units) == {"county": 5, "department": 45, "park": 2}


def test_demo_department_kinds(demo: Assessment) -> None:
    """Every department has a kind, for peer groups; other units have none."""
    kinds = Counter(u.attributes.get("kind") for u in demo.units if u.category == "department")
    assert kinds == {"行政执法类": 19, "综合管理类": 15, "社会服务类": 11}
    assert all("kind" not in u.attributes for u in demo.units if u.category != "department")


def test_demo_parks_hang_under_counties(demo: Assessment) -> None:
    """The two parks have a parent county; no other unit has a parent."""
    parents = {u.id: u.parent for u in demo.units if u.parent is not None}
    assert parents == {"park-01": "county-02", "park-02": "county-05"}


def test_demo_indicator_tree_has_three_levels(demo: Assessment) -> None:
    """36 leaf indicators, each three levels deep (ids like 5.1.2) under 7 top dimensions."""
    scheme = demo.scheme
    assert len(scheme.indicators) == 37
    assert all(i.id.count(".") == 2 for i in scheme.indicators)
    for indicator in scheme.indicators:
        second = scheme.node(indicator.parent)
        assert second.parent is not None
        assert scheme.node(second.parent).parent is None
    assert [n.id for n in scheme.children(None)] == ["1", "2", "3", "4", "5", "6", "7"]


def test_demo_uses_every_builtin_kind_twice(demo: Assessment) -> None:
    """Every built-in rule kind appears at least twice."""
    kinds = Counter(i.rule.kind for i in demo.scheme.indicators)
    assert kinds == {
        "rate-target": 15,
        "compliance": 6,
        "bands": 4,
        "deadline": 3,
        "count-target": 2,
        "deduction": 2,
        "relative": 2,
        "given-score": 3,
    }
    assert all(kinds[k] >= 2 for k in BUILTIN_KINDS)


def test_demo_category_maxima_and_indicator_counts(demo: Assessment) -> None:
    """Counties and parks score out of 100 on 36 indicators, departments out of 50 on 28."""
    scheme = demo.scheme
    applicable = {
        c.id: sum(1 for i in scheme.indicators if i.applies_to(c.id)) for c in scheme.categories
    }
    assert applicable == {"county": 36, "department": 28, "park": 36}
    assert {c.id: c.maximum for c in scheme.categories} == {
        "county": 100,
        "department": 50,
        "park": 100,
    }


def test_demo_tenures(demo: Assessment) -> None:
    """Seven posts change hands in 2024, one leader moves, one starts on 2024-10-08."""
    ended = sorted((t.unit, t.role) for t in demo.tenures if t.end is not None)
    assert ended == [
        ("county-02", "government-head"),
        ("county-03", "government-head"),
        ("county-04", "party-head"),
        ("dept-07", "department-head"),
        ("dept-09", "department-head"),
        ("dept-33", "department-head"),
        ("park-01", "park-head"),
    ]
    for tenure in demo.tenures:
        if tenure.end is not None:
            (successor,) = [
                t
                for t in demo.tenures
                if (t.unit, t.role) == (tenure.unit, tenure.role) and t.start > tenure.end
            ]
            assert (successor.start - tenure.end).days == 1
    units_of = Counter(t.person for t in demo.tenures)
    assert [p for p, n in units_of.items() if n > 1] == ["p-019"]
    assert [(t.person, t.unit) for t in demo.tenures if t.start.isoformat() == "2024-10-08"] == [
        ("p-063", "dept-33")
    ]
    assert len(demo.people) == 63


def test_demo_evidence_states(demo: Assessment) -> None:
    """The evidence mixes observed kinds with not-applicable, not-submitted and 0/0 rates."""
    kinds = Counter(type(o.value).__name__ for o in demo.evidence.observations)
    assert kinds == {
        "Rate": 603,
        "Flag": 213,
        "DateValue": 103,
        "Count": 125,
        "Occurrences": 102,
        "NotApplicable": 97,
        "Value": 92,
        "UndefinedRate": 77,
        "NotSubmitted": 9,
    }
    owed = sum(1 for u in demo.units for i in demo.scheme.indicators if i.applies_to(u.category))
    # 1.2.3 (law reports) and 1.1.2 (annual-report filings) take no evidence rows
    assert (owed, len(demo.evidence)) == (1512, 1421)
    assert len(demo.reports) == 57
    assert len(demo.filings) == 50


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    """Running the generator writes the demo files byte for byte."""
    target = tmp_path / "demo-city"
    subprocess.run([sys.executable, str(GENERATOR), str(target)], check=True)
    assert sorted(p.name for p in target.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (target / name).read_bytes() == (rulelaw.demo_path() / name).read_bytes(), name


def test_generator_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    """The generator exits with status 2 and writes nothing into a folder that has files."""
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(GENERATOR), str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "is not an empty folder" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
