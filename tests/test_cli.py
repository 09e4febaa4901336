"""The ``rulelaw`` command: version, validate, demo, errors without tracebacks, outputs."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest

import rulelaw
import rulelaw.cli
import rulelaw.files
import rulelaw.messages
from rulelaw.cli import main
from rulelaw.report.json import unit_json


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


# -- outputs: never an input, errors naming the target, devices, closed pipes ------------------

#: every command that takes --output, with its arguments after PATH
OUTPUT_COMMANDS = [
    ["evaluate"],
    ["evaluate", "--format", "json"],
    ["explain", "county-a"],
    ["people"],
    ["sheet", "p1"],
    ["panels"],
    ["coverage"],
    ["ledger"],
]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=" ".join)
def test_output_that_is_an_input_is_refused(
    mini_copy: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command refuses --output FOLDER/evidence.csv, naming it; the input is untouched."""
    evidence = mini_copy / "evidence.csv"
    before = evidence.read_bytes()
    args = [command[0], str(mini_copy), *command[1:], "--output", str(evidence)]
    assert _run(args, capsys) == (
        2,
        "",
        f"rulelaw: error: cannot write {evidence}: it is evidence.csv, "
        f"an input of the assessment folder {mini_copy}\n",
    )
    assert evidence.read_bytes() == before


@pytest.mark.parametrize("name", sorted(rulelaw.files.FILES))
def test_every_file_the_folder_is_read_from_is_refused_as_output(
    mini_copy: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """scheme.toml and every CSV name of the folder are refused, there or not (adjustments.csv)."""
    target = mini_copy / name
    existed = target.exists()
    status, out, err = _run(["evaluate", str(mini_copy), "--output", str(target)], capsys)
    assert (status, out) == (2, "")
    assert err == (
        f"rulelaw: error: cannot write {target}: it is {name}, "
        f"an input of the assessment folder {mini_copy}\n"
    )
    assert target.exists() == existed


def test_output_reaching_an_input_by_a_link_is_refused(
    mini_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A symlink or hard link to an input, or a path through a linked folder, is refused too."""
    symlink = tmp_path / "ranking.csv"
    symlink.symlink_to(mini_copy / "units.csv")
    hardlink = tmp_path / "copy.toml"
    os.link(mini_copy / "scheme.toml", hardlink)
    folder_link = tmp_path / "alias"
    folder_link.symlink_to(mini_copy)
    before = {p.name: p.read_bytes() for p in mini_copy.iterdir()}
    for target, name in [
        (symlink, "units.csv"),
        (hardlink, "scheme.toml"),
        (folder_link / "evidence.csv", "evidence.csv"),
    ]:
        status, _, err = _run(["people", str(mini_copy), "--output", str(target)], capsys)
        assert (status, err) == (
            2,
            f"rulelaw: error: cannot write {target}: it is {name}, "
            f"an input of the assessment folder {mini_copy}\n",
        )
    scheme = mini_copy / "scheme.toml"  # PATH given as the folder's scheme.toml
    status, _, err = _run(["ledger", str(scheme), "--output", str(scheme)], capsys)
    assert (status, err) == (
        2,
        f"rulelaw: error: cannot write {scheme}: it is scheme.toml, "
        f"an input of the assessment folder {mini_copy}\n",
    )
    assert {p.name: p.read_bytes() for p in mini_copy.iterdir()} == before


def test_output_beside_the_inputs_is_written(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file in the folder that loading does not read may be an output."""
    target = mini_copy / "ranking.csv"
    assert _run(
        ["evaluate", str(mini_copy), "--format", "csv", "--output", str(target)], capsys
    ) == (
        0,
        "",
        "",
    )
    assert target.read_text(encoding="utf-8") == rulelaw.evaluate(rulelaw.load(mini_copy)).to_csv()


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=" ".join)
def test_disk_full_output_is_a_clean_error_naming_the_target(
    mini_path: Path, full_device: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--output /dev/full: 'cannot write /dev/full: No space left on device', status 2."""
    args = [command[0], str(mini_path), *command[1:], "--output", str(full_device)]
    assert _run(args, capsys) == (
        2,
        "",
        f"rulelaw: error: cannot write {full_device}: No space left on device\n",
    )


def test_output_to_dev_null_is_written_and_kept(
    mini_path: Path, null_device: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--output /dev/null succeeds and leaves the device a device."""
    args = ["evaluate", str(mini_path), "--format", "json", "--output", str(null_device)]
    assert _run(args, capsys) == (0, "", "")
    assert stat.S_ISCHR(os.stat(null_device).st_mode)


def test_missing_output_folder_names_the_target(
    mini_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An output in a folder that does not exist names the output, not a temporary file."""
    for fmt in ("table", "json"):
        target = tmp_path / "no" / f"out.{fmt}"
        args = ["evaluate", str(mini_path), "--format", fmt, "--output", str(target)]
        assert _run(args, capsys) == (
            2,
            "",
            f"rulelaw: error: cannot write {target}: No such file or directory\n",
        )


def _raise_os_error(*args: object, **kwargs: object) -> NoReturn:
    raise OSError(errno.EIO, "Input/output error")


def test_os_error_without_a_file_name_has_no_empty_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another OSError without a file name ends with its reason, not with ': '."""
    monkeypatch.setattr(rulelaw.cli, "load", _raise_os_error)
    assert _run(["demo"], capsys) == (2, "", "rulelaw: error: Input/output error\n")


@pytest.mark.slow
def test_broken_pipe_exits_quietly() -> None:
    """'rulelaw evaluate … | head -1': no message, status 141; head gets its line."""
    script = Path(sys.executable).parent / "rulelaw"
    demo = Path(rulelaw.demo_path())
    done = subprocess.run(
        [
            "bash",
            "-c",
            f"'{script}' evaluate '{demo}' --format json | head -1; echo \"${{PIPESTATUS[0]}}\"",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    assert (done.stdout, done.stderr) == ("{\n141\n", "")


def test_broken_pipe_before_the_first_flush_exits_quietly(mini_path: Path) -> None:
    """A reader gone before anything is written (small output, flushed at the end): 141, quiet."""
    script = Path(sys.executable).parent / "rulelaw"
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [str(script), "evaluate", str(mini_path), "--format", "csv"],
            stdout=write,
            stderr=subprocess.PIPE,
            timeout=30,
            check=False,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, b"")


class _ClosedPipe(io.StringIO):
    """A standard output whose reader has gone."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_broken_pipe_in_process_returns_141(
    mini_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """main() returns 141 and prints nothing when stdout is a closed pipe (not a descriptor)."""
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["validate", str(mini_path)]) == rulelaw.cli.EXIT_BROKEN_PIPE == 141
    assert capsys.readouterr().err == ""


def test_output_to_a_pipe_whose_reader_has_gone_exits_quietly(
    mini_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--output naming a pipe (/dev/stdout) whose reader has gone: status 141, no message."""
    read, write = os.pipe()
    os.close(read)
    try:
        args = ["evaluate", str(mini_path), "--format", "json", "--output", f"/dev/fd/{write}"]
        assert _run(args, capsys) == (141, "", "")
    finally:
        os.close(write)


# -- explain --format and --output --------------------------------------------------------------


def test_explain_json_is_the_units_part_of_the_document(
    mini_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --format json explain prints the unit's item of the document's units, indented."""
    result = rulelaw.evaluate(rulelaw.load(mini_path))
    document = json.loads(result.to_json())
    for position, unit in enumerate(result.units):
        status, out, err = _run(["explain", str(mini_path), unit.unit, "--format", "json"], capsys)
        assert (status, err) == (0, "")
        assert json.loads(out) == document["units"][position]
        assert out == json.dumps(document["units"][position], ensure_ascii=False, indent=2) + "\n"


def test_explain_text_is_the_default_and_unchanged(
    mini_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --format text (the default) explain prints Evaluation.explain's text."""
    expected = rulelaw.evaluate(rulelaw.load(mini_path)).explain("county-a")
    assert _run(["explain", str(mini_path), "county-a"], capsys) == (0, expected, "")
    assert _run(["explain", str(mini_path), "county-a", "--format", "text"], capsys) == (
        0,
        expected,
        "",
    )


def test_explain_markdown(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --format markdown explain prints a heading, a Markdown table, a list per section."""
    assert _run(["explain", str(mini_path), "city", "--format", "markdown"], capsys) == (
        0,
        "## 迷你市 (city), 县市区 (county) — mini-2024 v1, as of 2024-12-31\n"
        "\n"
        "| indicator   | title                    | observed                  "
        "| rule        |   rule pts |   worth |   points |\n"
        "|-------------|--------------------------|---------------------------"
        "|-------------|------------|---------|----------|\n"
        "| 1.1         | 学法考试参考率           | 45/50 (90.00%)            "
        "| rate-target |  50.00/100 |   20.00 |    10.00 |\n"
        "| 1.2         | 违法行政案件             | 2: 2024-03-02, 2024-05-09 "
        "| deduction   |  60.00/100 |   20.00 |    12.00 |\n"
        "| 2.1         | 重大行政决策合法性审查率 | 0/0 (undefined rate)      "
        "| rate-target |          — |    0.00 |     0.00 |\n"
        "| 2.2         | 法律顾问                 | yes                       "
        "| compliance  | 100.00/100 |   60.00 |    60.00 |\n"
        "\n"
        "### why\n"
        "\n"
        "- `1.1` 45/50 (90.00%) short of target 100%: linear to floor 80% → 50 of 100\n"
        "- `1.2` 2 × −20 (2024-03-02, 2024-05-09) → 60 of 100\n"
        "- `2.1` 0/0 (empty denominator): not applicable, its weight goes to the rest\n"
        "- `2.2` met\n"
        "\n"
        "### dimensions\n"
        "\n"
        "- 1 学法用法: 22.00 of 40.00\n"
        "- 2 依法决策: 60.00 of 60.00\n"
        "\n"
        "### total\n"
        "\n"
        "- subtotal (indicators, on the scale of 100): 82.00\n"
        "- total: 82.00\n"
        "\n"
        "### grade\n"
        "\n"
        "良好 — rank 1 in peer group 'county', 1 overall\n"
        "\n"
        "- rank 1 of 3 in 县市区\n"
        "- total 82.00 ≥ 80 → 良好\n",
        "",
    )


def test_explain_output_is_written_whole(
    mini_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --output FILE explain writes the chosen format to FILE and prints nothing."""
    result = rulelaw.evaluate(rulelaw.load(mini_path))
    for fmt, expected in [
        ("text", result.explain("dept-justice")),
        ("json", unit_json(result.unit("dept-justice"))),
    ]:
        target = tmp_path / f"explain.{fmt}"
        args = ["explain", str(mini_path), "dept-justice", "--format", fmt, "--output", str(target)]
        assert _run(args, capsys) == (0, "", "")
        assert target.read_text(encoding="utf-8") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["explain.json", "explain.text"]


def test_explain_unknown_unit_writes_nothing(
    mini_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown unit is an error and --output is not created."""
    target = tmp_path / "out.md"
    status, out, err = _run(
        ["explain", str(mini_path), "county-c", "--format", "markdown", "--output", str(target)],
        capsys,
    )
    assert (status, out) == (2, "")
    assert err == (
        "rulelaw: error: no unit with id 'county-c' "
        "(known: 'city', 'county-a', 'county-b', 'dept-justice')\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_outside_links_option_follows_a_link_out_of_the_folder(
    mini_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``validate`` refuses a link out of the folder; ``--outside-links`` reads through it."""
    import os
    import shutil

    outside = tmp_path / "shared-people.csv"
    shutil.move(mini_copy / "people.csv", outside)
    os.symlink(outside, mini_copy / "people.csv")
    assert main(["validate", str(mini_copy)]) == 2
    assert "people.csv: a symbolic link that leads outside the assessment folder" in (
        capsys.readouterr().out
    )
    assert main(["validate", str(mini_copy), "--outside-links"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


# -- the language: --lang before or after the command, RULELAW_LANG, the locale ---------------


def _chinese_ranking(mini_path: Path) -> str:
    return rulelaw.evaluate(rulelaw.load(mini_path)).table(lang="zh-CN")


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "zh-CN", "evaluate", "{mini}"],
        ["evaluate", "{mini}", "--lang", "zh-CN"],
        ["evaluate", "--lang=zh", "{mini}"],
        ["--lang", "en", "evaluate", "{mini}", "--lang", "zh_CN.UTF-8"],
    ],
    ids=["before", "after", "equals-sign", "after-wins"],
)
def test_lang_before_or_after_the_command(
    args: list[str], mini_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--lang is taken before the command's name or after it; after it, it wins."""
    status, out, err = _run([a.format(mini=mini_path) for a in args], capsys)
    assert (status, out, err) == (0, _chinese_ranking(mini_path), "")


def test_lang_en_gives_the_english_output(
    mini_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--lang en prints exactly what the command prints without it in an English locale."""
    plain = _run(["explain", str(mini_path), "dept-justice"], capsys)
    assert _run(["--lang", "en", "explain", str(mini_path), "dept-justice"], capsys) == plain
    assert plain[1].startswith("市司法局 (dept-justice), 市直单位 (department) — mini-2024 v1")


def test_rulelaw_lang_then_the_locale(
    mini_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --lang the command follows RULELAW_LANG, then LC_ALL, LC_MESSAGES, LANG."""
    chinese = _chinese_ranking(mini_path)
    english = rulelaw.evaluate(rulelaw.load(mini_path)).table()
    for name in ("RULELAW_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert _run(["evaluate", str(mini_path)], capsys) == (0, chinese, "")
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")  # a language rulelaw does not speak: English
    assert _run(["evaluate", str(mini_path)], capsys) == (0, english, "")
    monkeypatch.setenv("RULELAW_LANG", "zh-CN")
    assert _run(["evaluate", str(mini_path)], capsys) == (0, chinese, "")
    assert _run(["evaluate", str(mini_path), "--lang", "en"], capsys) == (0, english, "")


def test_an_unknown_language_is_a_usage_error(
    mini_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--lang fr prints the usage and says which languages there are; status 2."""
    with pytest.raises(SystemExit) as info:
        main(["validate", str(mini_path), "--lang", "fr"])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "usage: rulelaw validate [-h] [--plugins] [--outside-links] [--lang LANG] PATH",
        "rulelaw validate: error: argument --lang: unknown language 'fr' (expected en or zh-CN)",
    ]


def test_help_in_chinese_fits_the_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The help texts are in Chinese, each line within the terminal's width in columns."""
    from wcwidth import wcswidth

    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit) as info:
        main(["sheet", "--help", "--lang", "zh-CN"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "  -h, --help            显示本帮助信息并退出" in lines
    assert "  PERSON_ID             负责人" in lines
    assert "  --format {text,json,csv}" in lines
    assert "                        输出格式（默认：text）" in lines
    assert max(wcswidth(line) for line in lines) <= 60


def test_an_error_in_chinese(
    mini_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error is 'rulelaw：错误：' and the error's own text in Chinese (or as it reads)."""
    with pytest.raises(rulelaw.InputError) as bad_date:
        rulelaw.evaluate(rulelaw.load(mini_path), as_of="31/12/2024")
    status, out, err = _run(
        ["--lang", "zh-CN", "evaluate", str(mini_path), "--as-of", "31/12/2024"], capsys
    )
    assert (status, out, err) == (2, "", f"rulelaw：错误：{bad_date.value.text('zh-CN')}\n")
    monkeypatch.setattr(rulelaw.cli, "load", _raise_lookup)
    lookup = rulelaw.LookupFailed("unit", "county-x", ["county-a", "county-b"])
    text = lookup.text("zh-CN") if hasattr(lookup, "text") else str(lookup)
    assert _run(["demo", "--lang", "zh-CN"], capsys) == (2, "", f"rulelaw：错误：{text}\n")


def test_validate_in_chinese(mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Validating prints each problem in Chinese, then '…中共有N个问题'; a valid folder 校验通过."""
    summary = rulelaw.load(mini_copy).summary()
    assert _run(["validate", str(mini_copy), "--lang", "zh-CN"], capsys) == (
        0,
        f"校验通过：{rulelaw.messages.render(summary, 'zh-CN')}\n",
        "",
    )
    with (mini_copy / "people.csv").open("a", encoding="utf-8") as people:
        people.write("p2,周望川\n")
    problems = rulelaw.validate(mini_copy)
    status, out, err = _run(["validate", str(mini_copy), "--lang", "zh-CN"], capsys)
    assert (status, err) == (2, "")
    assert out.splitlines() == [
        *(problem.text("zh-CN") for problem in problems),
        f"{mini_copy}中共有1个问题",
    ]


@pytest.mark.parametrize(
    ("command", "render"),
    [
        (["evaluate", "--format", "json"], lambda r: r.to_json(lang="zh-CN")),
        (["evaluate", "--format", "markdown"], lambda r: r.to_markdown(lang="zh-CN")),
        (["evaluate", "--format", "csv"], lambda r: r.to_csv()),
        (["people"], lambda r: r.people_table(lang="zh-CN")),
        (["sheet", "p1"], lambda r: r.sheet("p1", lang="zh-CN")),
        (["sheet", "p1", "--format", "json"], lambda r: r.sheet("p1", "json", lang="zh-CN")),
    ],
    ids=["json", "markdown", "csv", "people", "sheet", "sheet-json"],
)
def test_every_command_passes_the_language_on(
    command: list[str],
    render: Any,
    mini_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each command prints (and writes with --output) its rendering in the language asked for."""
    result = rulelaw.evaluate(rulelaw.load(mini_path))
    name, *rest = command
    args = [name, str(mini_path), *rest, "--lang", "zh-CN"]
    assert _run(args, capsys) == (0, render(result), "")
    target = tmp_path / "out"
    assert _run([*args, "--output", str(target)], capsys) == (0, "", "")
    assert target.read_text(encoding="utf-8") == render(result)


def test_demo_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo prints the summary and the demo city's ranking in Chinese."""
    assessment = rulelaw.load(rulelaw.demo_path())
    expected = (
        rulelaw.messages.render(assessment.summary(), "zh-CN")
        + "\n\n"
        + rulelaw.evaluate(assessment).table(lang="zh-CN")
    )
    assert _run(["--lang", "zh-CN", "demo"], capsys) == (0, expected, "")
