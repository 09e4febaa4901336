"""Input errors of files as data: a code, parameters, the place as fields, English and Chinese.

Each test plants one problem in a copy of ``tests/data/mini`` (or reads a
broken text) and checks the error a program reads (``code``, ``params``,
``row``, ``column``, ``line``, ``byte``, ``key_path``) and the exact texts a
person reads, in English (``str``) and in Chinese (``text("zh-CN")``).
"""

from __future__ import annotations

import errno
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

import rulelaw
from rulelaw import DataError, InputError, OutputError, SchemeError
from rulelaw.files import scheme_from_text
from rulelaw.messages import Message


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def _only(folder: Path) -> InputError:
    problems = rulelaw.validate(folder)
    assert len(problems) == 1, problems
    return problems[0]


def _scheme_problem(text: str) -> InputError:
    with pytest.raises(rulelaw.ValidationError) as caught:
        scheme_from_text(text, file="scheme.toml")
    (problem,) = caught.value.errors
    return problem


def test_a_csv_header_problem_in_both_languages(mini_copy: Path) -> None:
    """An unknown column: code csv.unknown-column, row 1 as the header, the columns allowed."""
    _edit(mini_copy, "evidence.csv", "numerator,", "numarator,")
    error = _only(mini_copy)
    assert (error.code, error.params) == ("csv.unknown-column", (("column", "numarator"),))
    assert (error.file, error.row, error.header, error.column) == ("evidence.csv", 1, True, None)
    assert str(error) == (
        "evidence.csv, row 1 (header): unknown column 'numarator' (expected columns among unit, "
        "indicator, status, value, numerator, denominator, reason, dates, source, date, amount)"
    )
    assert error.text("zh-CN") == (
        "evidence.csv，第1行（表头）：未知列“numarator”（应为以下列之一：unit、indicator、status、"
        "value、numerator、denominator、reason、dates、source、date、amount）"
    )
    assert isinstance(error.expected, Message)
    assert error.expected.code == "csv.expected-columns-among"


def test_a_missing_column_names_the_header_it_got(mini_copy: Path) -> None:
    """A missing column: csv.missing-column, what the header holds as ``got``."""
    _edit(mini_copy, "people.csv", "id,name", "id,nom")
    problems = rulelaw.validate(mini_copy)
    error = next(p for p in problems if p.code == "csv.missing-column")
    assert error.params == (("column", "name"),)
    assert (
        error.text("zh-CN")
        == "people.csv，第1行（表头）：缺少“name”列（应为包含id、name列；实为“id, nom”）"
    )


def test_a_bad_cell_at_its_row_and_column(mini_copy: Path) -> None:
    """An unknown level: roster.unknown-level at row 5, column 'level', with the cell as ``got``."""
    _edit(mini_copy, "units.csv", "市司法局,city", "市司法局,省")
    error = _only(mini_copy)
    assert (error.code, error.params, error.got) == ("roster.unknown-level", (), "省")
    assert (error.file, error.row, error.column, error.key_path) == ("units.csv", 5, "level", None)
    assert str(error) == (
        "units.csv, row 5, column 'level': unknown level "
        "(expected one of 'city', 'county', 'township' (市/县/乡镇); got '省')"
    )
    assert error.text("zh-CN") == (
        "units.csv，第5行“level”列：未知层级（应为“city”、“county”、“township”（市、县、乡镇）之一；"
        "实为“省”）"
    )


def test_an_empty_cell_is_its_own_code_not_the_converters(mini_copy: Path) -> None:
    """A required key missing from a row reads 'empty cell' (csv.empty-cell), a code of its own."""
    _edit(mini_copy, "people.csv", "p2,周望川", "p2,")
    error = _only(mini_copy)
    assert (error.code, error.row, error.column) == ("csv.empty-cell", 3, "name")
    assert str(error) == "people.csv, row 3, column 'name': empty cell (expected a text)"
    assert error.text("zh-CN") == "people.csv，第3行“name”列：单元格为空（应为文本）"


def test_a_scheme_weight_sum_at_its_key_path(mini_copy: Path) -> None:
    """Weights that do not add up: scheme.weights-sum at $.weights.county, the sum and its parts."""
    _edit(mini_copy, "scheme.toml", '"2.1" = 40', '"2.1" = 35')
    error = _only(mini_copy)
    assert isinstance(error, SchemeError)
    assert error.code == "scheme.weights-sum"
    assert error.params[:3] == (
        ("category", "county"),
        ("maximum", Decimal(100)),
        ("total", Decimal(95)),
    )
    over = error.params[3][1]
    assert isinstance(over, Message)
    assert (over.code, over.params) == ("text.ids", (("ids", ("1", "2")),))
    assert (error.file, error.key_path, error.row) == ("scheme.toml", "$.weights.county", None)
    assert str(error) == (
        "scheme.toml, $.weights.county: weights for category 'county' must sum to 100 "
        "(got 95 over '1', '2')"
    )
    assert error.text("zh-CN") == (
        "scheme.toml，$.weights.county：类别“county”的权重之和应为100（实为95，涉及“1”、“2”）"
    )


def test_a_toml_syntax_error_at_its_line_and_column() -> None:
    """A TOML syntax error: toml.invalid at line and column, tomllib's reason in Chinese too."""
    error = _scheme_problem("id = 'x'\ntitle = \n")
    assert (error.code, error.line, error.column) == ("toml.invalid", 2, 9)
    reason = dict(error.params)["reason"]
    assert isinstance(reason, Message)
    assert reason.code == "toml.invalid-value"
    assert str(error) == "scheme.toml, line 2, column 9: not valid TOML: Invalid value"
    assert error.text("zh-CN") == "scheme.toml，第2行第9列：不是有效的TOML：无效的值"


def test_a_toml_text_that_stops_short_is_at_its_end() -> None:
    """An array never closed: the place is the end of the text (``end``), 文件末尾 in Chinese."""
    error = _scheme_problem("a = [1,\n")
    assert (error.code, error.end, error.line, error.key_path) == ("toml.invalid", True, None, None)
    assert str(error) == "scheme.toml, end of document: not valid TOML: Invalid value"
    assert error.text("zh-CN") == "scheme.toml，文件末尾：不是有效的TOML：无效的值"


def test_a_reason_tomllib_words_otherwise_stays_its_text() -> None:
    """A reason the catalogue does not know is kept as tomllib's text, in both languages."""
    from rulelaw.files._scheme_file import _toml_reason

    assert _toml_reason("Something new") == "Something new"
    assert not isinstance(_toml_reason("Something new"), Message)
    found = _toml_reason("Cannot declare ('a',) twice")
    assert isinstance(found, Message)
    assert (found.code, found.text("zh-CN")) == ("toml.declared-twice", "不能重复声明('a',)")


def test_an_integer_too_long_for_toml() -> None:
    """An integer of 5,000 digits: toml.integer-too-long at its line and column."""
    error = _scheme_problem("x = " + "1" * 5000 + "\n")
    assert (error.code, error.params, error.line, error.column) == (
        "toml.integer-too-long",
        (("limit", 4300),),
        1,
        5,
    )
    assert str(error) == (
        "scheme.toml, line 1, column 5: an integer of more than 4,300 digits "
        "(expected a shorter number)"
    )
    assert error.text("zh-CN") == "scheme.toml，第1行第5列：整数超过4300位（应为位数更少的数）"


def test_an_encoding_error_at_its_byte(mini_copy: Path) -> None:
    """Bytes neither UTF-8 nor GB18030: file.encoding at the byte, the bytes as ``got``."""
    (mini_copy / "people.csv").write_bytes(b"id,name\np1,\xff\xfe\n")
    error = _only(mini_copy)
    assert isinstance(error, rulelaw.EncodingError)
    assert (error.code, error.byte, error.got) == ("file.encoding", 11, b"\xff\xfe\n")
    assert str(error) == (
        "people.csv, byte 11: cannot read the file's text encoding "
        "(expected UTF-8 (with or without BOM) or GB18030; got b'\\xff\\xfe\\n')"
    )
    assert error.text("zh-CN") == (
        "people.csv，字节位置11：无法识别文件的文本编码（应为UTF-8（带或不带BOM）或GB18030编码；"
        "实为b'\\xff\\xfe\\n'）"
    )


def test_a_tenure_overlap_shows_both_spans(mini_copy: Path) -> None:
    """Two people in one post: roster.two-people-same-post with both spans, dates in Chinese."""
    _edit(mini_copy, "tenures.csv", "2024-07-01", "2024-06-01")
    error = _only(mini_copy)
    assert error.code == "roster.two-people-same-post"
    params = dict(error.params)
    assert (params["role"], params["unit"], params["first"], params["second"]) == (
        "party-head",
        "county-a",
        "p1",
        "p2",
    )
    assert (error.file, error.row, error.column) == ("tenures.csv", 3, "start")
    assert str(error) == (
        "tenures.csv, row 3, column 'start': two people hold role 'party-head' at unit "
        "'county-a' at the same time: 'p1' (2023-01-01…2024-06-30) and 'p2' (2024-06-01…open)"
    )
    assert error.text("zh-CN") == (
        "tenures.csv，第3行“start”列：单位“county-a”的角色“party-head”同一时间有两人任职："
        "“p1”（2023年1月1日至2024年6月30日）和“p2”（2024年6月1日起至今）"
    )


def test_an_unknown_reference(mini_copy: Path) -> None:
    """A tenure at a unit the roster lacks: roster.unknown-unit at its cell."""
    _edit(mini_copy, "tenures.csv", "p3,dept-justice", "p3,dept-nowhere")
    error = _only(mini_copy)
    assert (error.code, error.params) == ("roster.unknown-unit", (("unit", "dept-nowhere"),))
    assert (error.row, error.column) == (4, "unit")
    assert str(error) == (
        "tenures.csv, row 4, column 'unit': unknown unit 'dept-nowhere' "
        "(expected a unit id from the unit list)"
    )
    assert error.text("zh-CN") == (
        "tenures.csv，第4行“unit”列：未知单位“dept-nowhere”（应为单位名单中的单位id）"
    )


def test_a_missing_file_names_the_folder(mini_copy: Path) -> None:
    """A required file missing: file.missing, what was expected naming the folder."""
    (mini_copy / "units.csv").unlink()
    error = rulelaw.validate(mini_copy)[0]
    assert (error.code, error.file, error.row) == ("file.missing", "units.csv", None)
    assert str(error) == f"units.csv: missing file (expected units.csv in {mini_copy})"
    assert error.text("zh-CN") == f"units.csv：缺少文件（应为{mini_copy}中的units.csv）"


def test_a_directory_where_a_file_belongs(mini_copy: Path) -> None:
    """A folder named like a file: file.not-regular with the kind as a nested message."""
    (mini_copy / "people.csv").unlink()
    (mini_copy / "people.csv").mkdir()
    error = rulelaw.validate(mini_copy)[0]
    assert error.code == "file.not-regular"
    assert str(error) == "people.csv: not a regular file (a directory) (expected a file)"
    assert error.text("zh-CN") == "people.csv：不是普通文件（是文件夹）（应为文件）"


def test_a_history_step_back_without_a_reason_names_the_stages() -> None:
    """A status history going back: history.goes-back, the stages as messages (整改中 …)."""
    from rulelaw import Problem, StatusChange

    with pytest.raises(DataError) as caught:
        Problem(
            id="q1",
            unit="u",
            source="inspection",
            found="2024-01-01",
            deadline="2024-03-01",
            description="无法律顾问",
            history=[
                StatusChange(status="rectifying", date="2024-01-15"),
                StatusChange(status="rectified", date="2024-02-01"),
                StatusChange(status="rectifying", date="2024-02-10"),
            ],
        )
    error = caught.value
    assert error.code == "history.goes-back"
    assert [m.code for _, m in error.params] == [  # type: ignore[attr-defined]
        "problem.status-rectified",
        "problem.status-rectifying",
    ]
    assert str(error) == (
        "reason: status history goes back (rectified → rectifying) without a reason "
        "(expected a reason for going back or skipping)"
    )
    assert error.text("zh-CN") == (
        "reason：整改状态倒退（已整改 → 整改中）且未说明原因（应为倒退或跳过环节的原因）"
    )


def test_an_output_error_in_both_languages() -> None:
    """A full disk: output.cannot-write with the system's reason as system.enospc (磁盘空间不足)."""
    error = OutputError("out/ranking.csv", "No space left on device", errno.ENOSPC)
    assert str(error) == "cannot write out/ranking.csv: No space left on device"
    assert error.text("zh-CN") == "无法写入out/ranking.csv：磁盘空间不足"
    assert (error.message.code, error.reason.code) == (  # type: ignore[attr-defined]
        "output.cannot-write",
        "system.enospc",
    )
    assert (error.strerror, error.errno) == ("No space left on device", errno.ENOSPC)


def test_a_system_reason_rulelaw_words_otherwise_is_kept() -> None:
    """A system that words an error otherwise keeps its words: system.other, 系统错误 in Chinese."""
    error = OutputError("o.json", "Disk full, sorry", errno.ENOSPC)
    assert str(error) == "cannot write o.json: Disk full, sorry"
    assert error.text("zh-CN") == "无法写入o.json：系统错误：Disk full, sorry"
    assert error.reason.code == "system.other"  # type: ignore[attr-defined]


def test_an_output_over_an_input_is_refused_in_both_languages() -> None:
    """Writing over an input: output.is-an-input naming the file and the folder."""
    from rulelaw.files._inputs import refuse_input_as_output

    with pytest.raises(OutputError) as caught:
        refuse_input_as_output("tests/data/mini/evidence.csv", "tests/data/mini")
    error = caught.value
    assert error.errno is None
    assert (error.reason.code, error.reason.params) == (  # type: ignore[attr-defined]
        "output.is-an-input",
        (("name", "evidence.csv"), ("folder", "tests/data/mini")),
    )
    assert error.text("zh-CN") == (
        "无法写入tests/data/mini/evidence.csv：该文件是考核文件夹tests/data/mini的输入文件evidence.csv"
    )
    assert pickle.loads(pickle.dumps(error)) == error


def test_every_problem_of_a_broken_folder_pickles_equal_with_its_fields(mini_copy: Path) -> None:
    """Errors of rows, header, byte, key path: equal after pickling, fields and code kept."""
    _edit(mini_copy, "evidence.csv", "numerator,", "numarator,")
    _edit(mini_copy, "tenures.csv", "2024-07-01", "2024-06-01")
    _edit(mini_copy, "units.csv", "乙区,区,county", "乙区,区,conty")
    _edit(mini_copy, "scheme.toml", '"2.1" = 40', '"2.1" = 35')
    (mini_copy / "people.csv").write_bytes(b"id,name\np1,\xff\xfe\n")
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.load(mini_copy)
    everything = caught.value
    assert len(everything.errors) == 5
    again = pickle.loads(pickle.dumps(everything))
    assert again == everything
    assert again.text("zh-CN") == everything.text("zh-CN")
    fields = ("file", "row", "column", "line", "byte", "key_path", "header", "end", "code")
    for before, after in zip(everything.errors, again.errors, strict=True):
        assert after == before
        assert type(after) is type(before)
        assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]
        assert after.params == before.params
        assert after.text("zh-CN") == before.text("zh-CN")


def test_a_validation_error_heads_its_list_in_chinese(mini_copy: Path) -> None:
    """A ValidationError in Chinese: how many problems and where, then one line each."""
    _edit(mini_copy, "units.csv", "乙区,区,county", "乙区,区,conty")
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.load(mini_copy)
    assert caught.value.text("zh-CN") == (
        f"{mini_copy}中有1个问题：\n"
        "  - units.csv，第4行“category”列：未知类别“conty”（应为“county”、“department”之一）"
    )
