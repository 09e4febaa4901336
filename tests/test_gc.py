"""The library leaves the garbage collector, and every other process-wide setting, alone."""

from __future__ import annotations

import decimal
import gc
import threading

import pytest

import rulelaw


def test_load_evaluate_and_render_never_switch_the_collector_off() -> None:
    """A host thread sampling ``gc.isenabled()`` while rulelaw works always finds it on."""
    seen: list[bool] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            seen.append(gc.isenabled())

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for _ in range(3):
            result = rulelaw.evaluate(rulelaw.load(rulelaw.demo_path()))
            result.to_json()
            result.table()
    finally:
        done.set()
        sampler.join()
    assert seen
    assert all(seen)


def test_a_callers_own_pause_is_kept() -> None:
    """A caller that disabled the collector finds it still disabled after load and evaluate."""
    gc.disable()
    try:
        rulelaw.evaluate(rulelaw.load(rulelaw.demo_path())).to_json()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_results_do_not_depend_on_the_hosts_decimal_context() -> None:
    """A host that set a 3-digit decimal context gets the same document, and keeps its context."""
    assessment = rulelaw.load(rulelaw.demo_path())
    expected = rulelaw.evaluate(assessment).to_json()
    with decimal.localcontext() as context:
        context.prec = 3
        context.rounding = decimal.ROUND_FLOOR
        got = rulelaw.evaluate(rulelaw.load(rulelaw.demo_path())).to_json()
        assert decimal.getcontext().prec == 3
    assert got == expected


def test_the_command_line_called_in_process_leaves_the_collector_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """rulelaw.cli.main, as a host program calls it, keeps the host's collector running."""
    from rulelaw.cli import main

    assert gc.isenabled()
    assert main(["validate", str(rulelaw.demo_path())]) == 0
    assert gc.isenabled()
    assert capsys.readouterr().out.startswith("ok: ")


def test_only_the_commands_own_process_pauses_the_collector(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console script (its process the command's own) runs with the collector paused."""
    from rulelaw import cli

    seen: list[bool] = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(gc.isenabled()) or 0)
    try:
        assert cli.console() == 0
    finally:
        gc.enable()
    assert seen == [False]
