"""Bulk steps pause the cyclic garbage collector and restore it as it was."""

from __future__ import annotations

import gc

import pytest

import rulelaw
from rulelaw._gc import collection_paused


def test_collection_is_paused_inside_and_restored_after() -> None:
    """Inside the block the collector is off; after it (even after an error) it is as before."""
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():  # nested: the outer pause stays
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collection_paused():
        _ = 1 / 0
    assert gc.isenabled()


def test_a_callers_own_pause_is_kept() -> None:
    """A caller that disabled the collector finds it still disabled after load and evaluate."""
    assessment = rulelaw.load(rulelaw.demo_path())
    assert gc.isenabled()
    gc.disable()
    try:
        rulelaw.evaluate(rulelaw.load(rulelaw.demo_path())).to_json()
        assert not gc.isenabled()
    finally:
        gc.enable()
    result = rulelaw.evaluate(assessment)
    assert gc.isenabled()
    assert result.to_json() == rulelaw.evaluate(assessment).to_json()
