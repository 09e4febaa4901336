"""Every code example in the docs runs, and prints what the docs say it prints.

The Markdown files are ``README.md`` and ``docs/**/*.md``; each is one test case,
its blocks run in order:

- a ```` ```python ```` block is executed; all python blocks of a file share one
  namespace, and the current folder is the repository root;
- a ```` ```text ```` block whose first line is ``# output``, right after a python
  block (nothing but blank lines between), must equal that block's standard
  output exactly;
- in a ```` ```console ```` block every line ``$ rulelaw ...`` is run through
  :func:`rulelaw.cli.main`; the lines after it, up to the next ``$`` line, must
  equal what it printed (standard output and standard error, as a terminal shows
  them), followed by a line ``[exit N]`` when the status is not 0 (other lines
  of a console block, such as ``$ make test``, are only shown);
- a block whose info string has the word ``no-run`` (```` ```python no-run ````)
  is skipped, and so is every other language.

``tempfile`` makes its folders inside pytest's temporary folder, so examples
can write scratch folders freely.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import rulelaw
from rulelaw.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = sorted(
    [*ROOT.glob("docs/**/*.md"), *([ROOT / "README.md"] if (ROOT / "README.md").exists() else [])]
)

DOC_IDS = [p.relative_to(ROOT).as_posix() for p in DOC_FILES]

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_OUTPUT_MARK = "# output"


@dataclass(frozen=True)
class Block:
    """A fenced code block of a Markdown file."""

    language: str
    flags: frozenset[str]
    text: str
    line: int  # the line number (1-based) of the block's first content line
    follows_block: bool  # only blank lines separate it from the block before

    @property
    def runs(self) -> bool:
        """Whether the block is meant to be run or checked."""
        return "no-run" not in self.flags

    @property
    def is_output(self) -> bool:
        """Whether the block is the expected output of the python block before it."""
        return self.language == "text" and self.text.split("\n", 1)[0].strip() == _OUTPUT_MARK


def parse_blocks(markdown: str) -> list[Block]:
    """The fenced code blocks of ``markdown``, in order."""
    blocks: list[Block] = []
    lines = markdown.split("\n")
    index = 0
    only_blank_since_block = False
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            if lines[index].strip():
                only_blank_since_block = False
            index += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        words = opening["info"].split()
        start = index + 1
        end = start
        while end < len(lines) and not (
            lines[end].strip().startswith(fence) and not lines[end].strip().strip(fence[0])
        ):
            end += 1
        if end == len(lines):
            raise AssertionError(f"line {index + 1}: code block is never closed")
        # A block inside a list item is indented; its lines lose that indentation.
        content = [line[indent:] if line[:indent].isspace() else line for line in lines[start:end]]
        blocks.append(
            Block(
                language=words[0] if words else "",
                flags=frozenset(words[1:]),
                text="".join(line + "\n" for line in content),
                line=start + 1,
                follows_block=only_blank_since_block,
            )
        )
        only_blank_since_block = True
        index = end + 1
    return blocks


def run_python(block: Block, namespace: dict[str, Any], filename: str) -> str:
    """Execute a python block in ``namespace``; return what it printed."""
    # Leading newlines make tracebacks point at the right line of the Markdown file.
    # dont_inherit: this file's `from __future__ import annotations` must not leak
    # into the examples (their classes would get unresolvable string annotations).
    code = compile("\n" * (block.line - 1) + block.text, filename, "exec", dont_inherit=True)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(code, namespace)
    except BaseException as exc:
        exc.add_note(f"in the python block at {filename}:{block.line}")
        raise
    return out.getvalue()


def run_cli(args: list[str]) -> tuple[str, int]:
    """Run the ``rulelaw`` command with ``args``; return its output and exit status."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            status = cli_main(args)
        except SystemExit as exc:  # argparse exits for --help, --version and usage errors
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return out.getvalue(), status


def console_sessions(block: Block) -> Iterator[tuple[int, list[str], str]]:
    """Each ``$ rulelaw`` command of a console block: its line, its arguments, the output shown.

    Lines before the first ``$`` line, and other commands with their output, are not checked.
    """
    lines = block.text.rstrip("\n").split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
    for position, start in enumerate(starts):
        words = shlex.split(lines[start][2:])
        if not words or words[0] != "rulelaw":
            continue
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        shown = "".join(line + "\n" for line in lines[start + 1 : end])
        yield block.line + start, words[1:], shown


def check_markdown(markdown: str, filename: str) -> None:
    """Run every block of a Markdown text; fail at the first that differs from the text."""
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    blocks = parse_blocks(markdown)
    for index, block in enumerate(blocks):
        if not block.runs:
            continue
        if block.is_output:
            before = blocks[index - 1] if index else None
            if not (block.follows_block and before and before.language == "python"):
                raise AssertionError(
                    f"{filename}:{block.line}: an '# output' block must follow a python block"
                )
            if not before.runs:
                raise AssertionError(
                    f"{filename}:{block.line}: an '# output' block follows a no-run block"
                )
        elif block.language == "python":
            printed = run_python(block, namespace, filename)
            after = blocks[index + 1] if index + 1 < len(blocks) else None
            if after is not None and after.is_output and after.follows_block and after.runs:
                expected = after.text.split("\n", 1)[1]
                assert printed == expected, (
                    f"{filename}:{after.line}: the output of the python block at line "
                    f"{block.line} differs"
                )
        elif block.language == "console":
            for line, args, shown in console_sessions(block):
                output, status = run_cli(args)
                if status:
                    output += f"[exit {status}]\n"
                assert output == shown, f"{filename}:{line}: the output of 'rulelaw' differs"


@pytest.fixture
def doc_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Repository root as the current folder; scratch folders in pytest's tmp_path."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps --help to the terminal width
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.usefixtures("doc_env")
@pytest.mark.parametrize("path", DOC_FILES, ids=DOC_IDS)
def test_doc_examples(path: Path) -> None:
    """Every python and console example of the file runs and prints what it shows."""
    check_markdown(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())


def test_docs_are_collected() -> None:
    """The docs tree is found, with its front page and one page of each kind."""
    found = {p.relative_to(ROOT).as_posix() for p in DOC_FILES}
    assert {
        "docs/index.md",
        "docs/tutorial/first-assessment.md",
        "docs/reference/api.md",
        "docs/explanation/validation.md",
    } <= found


_LINK = re.compile(r"\]\((?P<target>[^)#\s]+\.md)(?:#[^)]*)?\)")


@pytest.mark.parametrize("path", DOC_FILES, ids=DOC_IDS)
def test_doc_links_resolve(path: Path) -> None:
    """Every relative link to a Markdown page points at a file that exists."""
    text = path.read_text(encoding="utf-8")
    broken = [
        m["target"]
        for m in _LINK.finditer(text)
        if "://" not in m["target"] and not (path.parent / m["target"]).resolve().exists()
    ]
    assert broken == []


def test_api_reference_names_every_public_name() -> None:
    """docs/reference/api.md mentions each name of rulelaw.__all__ in backticks."""
    text = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    missing = [name for name in rulelaw.__all__ if f"`{name}" not in text]
    assert missing == []


# -- the checker itself ---------------------------------------------------------------


def test_output_block_is_compared() -> None:
    """A python block's printed text must equal the '# output' block after it."""
    good = '```python\nprint("法治", 1)\n```\n\n```text\n# output\n法治 1\n```\n'
    check_markdown(good, "good.md")
    bad = good.replace("法治 1", "法治 2")
    with pytest.raises(AssertionError, match=r"bad\.md:6: the output of the python block"):
        check_markdown(bad, "bad.md")


def test_python_blocks_share_a_namespace_and_report_their_line() -> None:
    """Later blocks see earlier names; an error names the Markdown file and line."""
    text = "```python\nx = 2\n```\ntext\n```python\nassert x == 2\n1 / 0\n```\n"
    with pytest.raises(ZeroDivisionError) as info:
        check_markdown(text, "page.md")
    assert info.value.__notes__ == ["in the python block at page.md:6"]
    assert info.traceback[-1].lineno + 1 == 7


def test_console_block_shows_exit_status(tmp_path: Path) -> None:
    """A console command's output and a non-zero exit status must be shown exactly."""
    missing = tmp_path / "nowhere"
    good = (
        f"```console\n$ rulelaw validate {missing}\n"
        f"{missing}: no such folder (expected an assessment folder)\n"
        f"1 problem in {missing}\n[exit 2]\n```\n"
    )
    check_markdown(good, "cli.md")
    with pytest.raises(AssertionError, match=r"cli\.md:2: the output of 'rulelaw' differs"):
        check_markdown(good.replace("[exit 2]\n", ""), "cli.md")


def test_stray_and_skipped_blocks() -> None:
    """no-run blocks and non-rulelaw commands are skipped; a misplaced output block is refused."""
    check_markdown("```python no-run\nraise SystemExit(3)\n```\n", "skip.md")
    with pytest.raises(AssertionError, match="must follow a python block"):
        check_markdown("Text.\n\n```text\n# output\nx\n```\n", "stray.md")
    with pytest.raises(AssertionError, match="follows a no-run block"):
        check_markdown("```python no-run\nprint(1)\n```\n```text\n# output\n1\n```\n", "n.md")
    check_markdown("```console\nmake demo\n$ ls\nREADME.md\n```\n", "shell.md")


def test_indented_blocks_in_list_items_are_run() -> None:
    """A block indented inside a list item runs with the indentation removed."""
    text = (
        "- item:\n\n  ```python\n  if True:\n      print('ok')\n  ```\n\n"
        "  ```text\n  # output\n  ok\n  ```\n"
    )
    check_markdown(text, "list.md")
    with pytest.raises(AssertionError, match="differs"):
        check_markdown(text.replace("  ok\n", "  no\n"), "list.md")
