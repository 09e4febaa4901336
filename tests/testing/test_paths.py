"""``check_paths_agree``: the fast paths agree with the reference paths, or say where not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import rulelaw
from rulelaw.testing import assessments, check_paths_agree

ROOT = Path(__file__).parents[2]
EXAMPLES = [
    ROOT / "examples" / "demo-city",
    ROOT / "tests" / "data" / "mini",
    *sorted(p for p in (ROOT / "examples" / "law-reports").iterdir() if p.is_dir()),
    ROOT / "examples" / "rubrics",
]


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_every_example_folder_agrees_both_ways(folder: Path) -> None:
    """Loaded, scored and written both ways, every example gives one result."""
    result = check_paths_agree(folder)
    assert result == rulelaw.evaluate(rulelaw.load(folder))


@settings(max_examples=25, deadline=None)
@given(assessments())
def test_generated_assessments_agree_both_ways(a: rulelaw.Assessment) -> None:
    """Any valid assessment scores alike in arrays and the reference way."""
    check_paths_agree(a)


def test_a_difference_is_named_by_unit_indicator_and_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An array path that rounds one step too high is caught at the first line it changes."""
    from rulelaw.engine import _arrays
    from rulelaw.model import round_quotient

    def one_too_many(num: Any, den: Any, places: int, mode: Any) -> Any:
        return round_quotient(num, den, places, mode) + 1

    monkeypatch.setattr(_arrays, "round_quotient", one_too_many)
    with pytest.raises(AssertionError) as caught:
        check_paths_agree(ROOT / "tests" / "data" / "mini")
    assert str(caught.value) == (
        "scored in arrays and the reference way: unit 'city', indicator '1.1': "
        "effective_weight is Decimal('20.01') in arrays, Decimal('20.00') the reference way"
    )
