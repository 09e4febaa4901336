"""The example draft revision differs from the demo city's scheme by exactly its two weights."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import rulelaw
from rulelaw.analysis import Change, diff_schemes

ROOT = Path(__file__).resolve().parent.parent.parent
REVISION = ROOT / "examples" / "scheme-change" / "scheme.toml"


def test_the_revision_moves_three_county_points_from_4_2_3_to_4_2_1() -> None:
    """If the demo city's scheme changes, regenerate the revision as its header says."""
    demo = rulelaw.load_scheme(rulelaw.demo_path() / "scheme.toml")
    revision = rulelaw.load_scheme(REVISION)
    assert diff_schemes(demo, revision).changes == (
        Change(kind="weight", node="4.2.1", category="county", before=Decimal(4), after=Decimal(7)),
        Change(kind="weight", node="4.2.3", category="county", before=Decimal(5), after=Decimal(2)),
    )
    assert (revision.version, demo.verification) == ("1.1", revision.verification)


def test_the_revision_fails_the_cases_it_did_not_update() -> None:
    """The county case's 4.2.3 is now worth 2: 60 of 100 gives 1.20, the total 8.50."""
    report = rulelaw.verify(rulelaw.load_scheme(REVISION))
    assert [m.describe() for m in report.mismatches] == [
        "case 'check-county': total expected 10.30, got 8.50",
        "case 'check-county': points of 4.2.3 expected 3.00, got 1.20",
    ]
