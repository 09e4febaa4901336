"""The ``rulelaw`` command: version, validate, demo, and errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

import rulelaw
import rulelaw.cli
from rulelaw.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints 'rulelaw <version>' and exits 0."""
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    out, err = capsys.readouterr()
    assert (out, err) == (f"rulelaw {rulelaw.__version__}\n", "")


def test_validate_ok(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Validating a valid folder prints one 'ok: ' line with the summary; status 0."""
    assert main(["validate", str(mini_path)]) == 0
    out, err = capsys.readouterr()
    assert out == f"ok: {rulelaw.load(mini_path).summary()}\n"
    assert out.startswith("ok: 迷你市法治政府建设考核 (mini-2024 v1")
    assert err == ""


def test_validate_scheme_file_path(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The validate command accepts the folder's scheme.toml in place of the folder."""
    assert main(["validate", str(mini_path / "scheme.toml")]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_validate_problems(mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The validate command lists each problem on its own line, then the count, and returns 2."""
    units = mini_copy / "units.csv"
    units.write_text(
        units.read_text(encoding="utf-8").replace("乙区,区,county", "乙区,区,park"),
        encoding="utf-8",
    )
    with (mini_copy / "people.csv").open("a", encoding="utf-8") as people:
        people.write("p2,周望川\n")
    assert main(["validate", str(mini_copy)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "units.csv, row 4, column 'category': unknown category 'park' "
        "(expected one of 'county', 'department')",
        "people.csv, row 5, column 'id': duplicate person id 'p2'",
        f"2 problems in {mini_copy}",
    ]
    assert err == ""


def test_validate_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Validating a folder that does not exist reports one problem, no traceback; status 2."""
    missing = tmp_path / "nowhere"
    assert main(["validate", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == (
        f"{missing}: no such folder (expected an assessment folder)\n1 problem in {missing}\n"
    )
    assert err == ""


def test_demo(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo command runs the bundled example, prints something and returns 0."""
    assert main(["demo"]) == 0
    out, err = capsys.readouterr()
    assert out.strip()
    assert "Traceback" not in out + err


def _raise_lookup(*args: object, **kwargs: object) -> NoReturn:
    raise rulelaw.LookupFailed("unit", "county-x", ["county-a", "county-b"])


def test_error_in_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A RulelawError inside a command is one 'rulelaw: error:' line on stderr and status 2."""
    monkeypatch.setattr(rulelaw.cli, "load", _raise_lookup)
    assert main(["demo"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "rulelaw: error: no unit with id 'county-x' (known: 'county-a', 'county-b')\n"


def test_console_script(mini_path: Path) -> None:
    """The installed 'rulelaw' entry point runs validate and exits 0."""
    script = Path(sys.executable).parent / "rulelaw"
    done = subprocess.run(
        [str(script), "validate", str(mini_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"ok: {rulelaw.load(mini_path).summary()}\n"


def test_evaluate_json_streams_the_document(
    mini_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format json prints to_json's text, and --output writes the same bytes."""
    expected = rulelaw.evaluate(rulelaw.load(mini_path)).to_json()
    assert main(["evaluate", str(mini_path), "--format", "json"]) == 0
    assert capsys.readouterr().out == expected
    target = tmp_path / "out.json"
    assert main(["evaluate", str(mini_path), "--format", "json", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == expected
