"""The front door works on the small test folder."""

from pathlib import Path

import rulelaw


def test_load_mini(mini_path: Path) -> None:
    """The mini folder loads with its four units and eleven observations."""
    a = rulelaw.load(mini_path)
    assert len(a.units) == 4
    assert len(a.evidence) == 11
    assert a.summary().startswith("迷你市法治政府建设考核 (mini-2024 v1")
