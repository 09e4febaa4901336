"""The commands of rule changes: ``verify``, ``diff``, ``sensitivity``, and ``validate``'s cases."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

import rulelaw
from rulelaw.cli import EXIT_NOT_VERIFIED, _parser, main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-city"
REVISION = ROOT / "examples" / "scheme-change" / "scheme.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command's status, standard output and standard error."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_verify_passes_the_demo_city(capsys: pytest.CaptureFixture[str]) -> None:
    """A scheme whose cases hold: one summary line, status 0; a folder or its scheme.toml."""
    for path in (DEMO, DEMO / "scheme.toml"):
        assert run(capsys, "verify", str(path)) == (
            0,
            "yunze-2024 v1.0: 2 verification cases, 12 expectations, all met\n",
            "",
        )


def test_verify_fails_a_wrong_expected_value_with_its_explanation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The revision's county case no longer holds: each mismatch, the case explained, status 3."""
    status, out, err = run(capsys, "verify", str(REVISION))
    assert (status, err) == (EXIT_NOT_VERIFIED, "")
    lines = out.splitlines()
    assert lines[:4] == [
        "yunze-2024 v1.1: 2 verification cases, 12 expectations, 2 not met",
        "- case 'check-county': total expected 10.30, got 8.50",
        "- case 'check-county': points of 4.2.3 expected 3.00, got 1.20",
        "",
    ]
    assert lines[4] == "验证县 (check-county), 县市区 (county) — yunze-2024 v1.1, as of 2025-03-31"
    assert "  4.2.3  2 × −20 (2024-04-01, 2024-09-12) → 60 of 100" in lines
    assert "total: 8.50" in lines


def test_verify_in_chinese_and_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang zh-CN says it in Chinese; --format json gives the mismatches as data."""
    status, out, _ = run(capsys, "verify", str(REVISION), "--lang", "zh-CN")
    assert status == EXIT_NOT_VERIFIED
    assert out.splitlines()[:2] == [
        "yunze-2024 v1.1：2个验证用例，12项预期结果，2项不符",
        "- 验证用例“check-county”：总分应为10.30，实为8.50",
    ]
    status, out, _ = run(capsys, "verify", str(REVISION), "--format", "json")
    data = json.loads(out)
    assert (status, data["ok"], data["checked"]) == (EXIT_NOT_VERIFIED, False, 12)
    assert data["mismatches"][1] == {
        "case": "check-county",
        "what": "points",
        "node": "4.2.3",
        "expected": "3.00",
        "got": "1.20",
        "code": "verify.mismatch.node",
        "text": "case 'check-county': points of 4.2.3 expected 3.00, got 1.20",
    }


def test_validate_runs_the_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Validate adds a verification line; a case not met is listed and the status is 3."""
    status, out, _ = run(capsys, "validate", str(DEMO))
    assert status == 0
    assert out.splitlines()[1] == (
        "verification: yunze-2024 v1.0: 2 verification cases, 12 expectations, all met"
    )
    folder = tmp_path / "revised"
    shutil.copytree(DEMO, folder)
    shutil.copy(REVISION, folder / "scheme.toml")
    status, out, _ = run(capsys, "validate", str(folder))
    assert status == EXIT_NOT_VERIFIED
    assert out.splitlines()[1:] == [
        "verification: yunze-2024 v1.1: 2 verification cases, 12 expectations, 2 not met",
        "- case 'check-county': total expected 10.30, got 8.50",
        "- case 'check-county': points of 4.2.3 expected 3.00, got 1.20",
    ]


def test_a_scheme_without_cases_validates_without_a_verification_line(
    mini_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No cases, nothing to say about them."""
    status, out, _ = run(capsys, "validate", str(mini_path))
    assert (status, len(out.splitlines())) == (0, 1)
    status, out, _ = run(capsys, "verify", str(mini_path))
    assert (status, out) == (0, "mini-2024 v1: 0 verification cases, 0 expectations, all met\n")


def test_diff_of_two_schemes_lists_their_changes(capsys: pytest.CaptureFixture[str]) -> None:
    """Two schemes and no evidence: only the schemes' differences."""
    status, out, _ = run(capsys, "diff", str(DEMO / "scheme.toml"), str(REVISION))
    assert (status, out) == (
        0,
        "changes of the scheme (yunze-2024 v1.0 → yunze-2024 v1.1):\n"
        "- weight of '4.2.1' for 'county': 4 → 7\n"
        "- weight of '4.2.3' for 'county': 5 → 2\n",
    )
    scheme = str(DEMO / "scheme.toml")
    status, out, _ = run(capsys, "diff", scheme, scheme, "--format", "json")
    assert json.loads(out) == {
        "before": "yunze-2024 v1.0",
        "after": "yunze-2024 v1.0",
        "changes": [],
    }


def test_diff_over_evidence_compares_every_unit(capsys: pytest.CaptureFixture[str]) -> None:
    """With --evidence, both schemes score the folder: who moved, why, as the API says."""
    args = ("diff", str(DEMO), str(REVISION), "--evidence", str(DEMO))
    status, out, _ = run(capsys, *args)
    demo = rulelaw.load(DEMO)
    expected = rulelaw.compare_schemes(demo.scheme, rulelaw.load_scheme(REVISION), demo)
    assert (status, out) == (0, expected.table())
    assert "county-03  白石县  74.85 → 74.27  -0.58     4 → 5   合格" in out
    status, out, _ = run(capsys, *args, "--format", "json")
    county = next(u for u in json.loads(out)["units"] if u["unit"] == "county-03")
    assert (county["rank_before"], county["rank_after"], county["passed_by"]) == (
        4,
        5,
        ["county-05"],
    )
    status, out, _ = run(capsys, *args, "--format", "markdown", "--lang", "zh-CN")
    assert out == expected.to_markdown("zh-CN")


def test_diff_of_two_folders_scores_each_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two folders without --evidence: each folder's own evidence under its own scheme."""
    folder = tmp_path / "revised"
    shutil.copytree(DEMO, folder)
    shutil.copy(REVISION, folder / "scheme.toml")
    status, out, _ = run(capsys, "diff", str(DEMO), str(folder))
    assert status == 0
    assert out.startswith(
        "yunze-2024 v1.0, as of 2025-03-31 → yunze-2024 v1.1, as of 2025-03-31: 52 units, 5 moved"
    )


def test_diff_refuses_an_input_as_output(capsys: pytest.CaptureFixture[str]) -> None:
    """--output must not overwrite a scheme it reads."""
    status, _, err = run(capsys, "diff", str(DEMO), str(REVISION), "--output", str(REVISION))
    assert status == 2
    assert err.startswith("rulelaw: error: ")


def test_sensitivity_prints_the_table_reproducibly(capsys: pytest.CaptureFixture[str]) -> None:
    """The same seed gives the same table; it is the API's."""
    args = ("sensitivity", str(DEMO), "--draws", "100", "--seed", "7")
    first = run(capsys, *args)
    assert first == run(capsys, *args)
    demo = rulelaw.load(DEMO)
    assert first == (0, rulelaw.sensitivity(demo, draws=100, seed=7).table(), "")
    status, out, _ = run(capsys, *args, "--format", "json", "--nodes", "4.2.1, 4.2.3")
    assert status == 0
    data = json.loads(out)
    assert (data["draws"], data["seed"], data["nodes"], data["factor"]) == (
        100,
        7,
        ["4.2.1", "4.2.3"],
        "0.25",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--draws", "0"), "argument --draws: not a whole number of at least 1: '0'"),
        (("--factor", "1"), "argument --factor: not a number from 0 up to (not including) 1: '1'"),
        (("--factor", "x"), "argument --factor: not a number from 0 up to (not including) 1: 'x'"),
    ],
)
def test_sensitivity_usage_errors(
    args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad numbers are usage errors (status 2), not tracebacks."""
    with pytest.raises(SystemExit) as info:
        main(["sensitivity", str(DEMO), *args])
    assert info.value.code == 2
    assert capsys.readouterr().err.endswith(f"rulelaw sensitivity: error: {message}\n")


def test_sensitivity_unknown_node(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown node is a rulelaw error naming it, status 2."""
    status, out, err = run(capsys, "sensitivity", str(DEMO), "--nodes", "9.9")
    assert (status, out) == (2, "")
    assert err.startswith("rulelaw: error: no dimension or indicator with id '9.9' (known: '1',")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_command_prints_its_help(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    """Every command's help, in both languages, prints and exits 0 (a % in a text is shown)."""
    (commands,) = [
        action
        for action in _parser(lang)._actions
        if isinstance(action, argparse._SubParsersAction)
    ]
    assert {"verify", "diff", "sensitivity"} <= set(commands.choices)
    helps = {}
    for name in commands.choices:
        with pytest.raises(SystemExit) as stopped:
            main([name, "--help", "--lang", lang])
        assert stopped.value.code == 0
        helps[name], _ = capsys.readouterr()
        assert helps[name].startswith(f"usage: rulelaw {name} ")
    assert "25%" in helps["sensitivity"]
    assert "%%" not in helps["sensitivity"]
