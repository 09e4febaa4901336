"""The ``rulelaw`` command: a thin argparse layer over the public API.

Every command prints a :class:`~rulelaw.errors.RulelawError` as one clear
message on standard error and exits with status 2; no traceback. A command
whose standard output (or a pipe named by ``--output``) is closed by its
reader (``rulelaw … | head -1``) stops quietly with status 141, as a Unix
tool stopped by ``SIGPIPE`` does.
"""

from __future__ import annotations

import argparse
import errno
import gc
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from rulelaw._demo import demo_path
from rulelaw._version import __version__
from rulelaw.engine import Evaluation, evaluate
from rulelaw.errors import OutputError, RulelawError, ValidationError
from rulelaw.files import load, refuse_input_as_output, write_atomically
from rulelaw.model import Assessment
from rulelaw.report.json import pieces as json_pieces
from rulelaw.report.json import unit_json
from rulelaw.report.lawreports import render
from rulelaw.report.people import people_csv, person_data
from rulelaw.report.text import explain_unit
from rulelaw.rules import ENTRY_POINT_GROUP, Registry, default_registry

__all__ = ["EXIT_BROKEN_PIPE", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rulelaw",
        description="Score rule-of-law government construction assessments (法治政府建设考核).",
    )
    parser.add_argument("--version", action="version", version=f"rulelaw {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    commands.add_parser("demo", help="run the bundled demo city end to end")

    validate = commands.add_parser(
        "validate", help="check an assessment folder and list every problem"
    )
    validate.add_argument("path", metavar="PATH", help="the assessment folder (or its scheme.toml)")
    _plugins_option(validate)

    evaluate_cmd = commands.add_parser(
        "evaluate", help="score every unit and print the ranking (or JSON, CSV, Markdown)"
    )
    evaluate_cmd.add_argument("path", metavar="PATH", help="the assessment folder")
    evaluate_cmd.add_argument(
        "--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD (default: the scheme's)"
    )
    evaluate_cmd.add_argument(
        "--format", choices=_FORMATS, default="table", help="output format (default: table)"
    )
    _output_option(evaluate_cmd)
    _plugins_option(evaluate_cmd)

    explain = commands.add_parser("explain", help="every point of one unit, traced")
    explain.add_argument("path", metavar="PATH", help="the assessment folder")
    explain.add_argument("unit", metavar="UNIT_ID", help="the unit to explain")
    explain.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD")
    explain.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="output format (default: text)",
    )
    _output_option(explain)
    _plugins_option(explain)

    people = commands.add_parser(
        "people", help="the responsible persons: posts, shares, scores, grades, duty flags"
    )
    people.add_argument("path", metavar="PATH", help="the assessment folder")
    people.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD")
    people.add_argument(
        "--format", choices=_FORMATS, default="table", help="output format (default: table)"
    )
    _output_option(people)
    _plugins_option(people)

    sheet = commands.add_parser("sheet", help="one leader's evaluation sheet (述职评议表)")
    sheet.add_argument("path", metavar="PATH", help="the assessment folder")
    sheet.add_argument("person", metavar="PERSON_ID", help="the responsible person")
    sheet.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD")
    sheet.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="output format (default: text)",
    )
    _output_option(sheet)
    _plugins_option(sheet)

    for name, text in (
        ("panels", "law reports rated by panels: scores, grades, groups, ballots not counted"),
        ("coverage", "the share of leaders who filed each form of law report"),
        ("ledger", "the rectification ledger as of a date, overdue problems flagged"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("path", metavar="PATH", help="the assessment folder")
        command.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD")
        command.add_argument(
            "--format", choices=_FORMATS, default="table", help="output format (default: table)"
        )
        _output_option(command)
        _plugins_option(command)
    return parser


def _output_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout"
    )


def _plugins_option(command: argparse.ArgumentParser) -> None:
    """The options of every command that reads an assessment folder."""
    command.add_argument(
        "--plugins",
        action="store_true",
        help=f"also use the rule kinds installed packages publish ({ENTRY_POINT_GROUP})",
    )
    command.add_argument(
        "--outside-links",
        action="store_true",
        help="follow symbolic links that lead out of the folder (refused by default)",
    )


def _load(args: argparse.Namespace, registry: Registry) -> Assessment:
    return load(args.path, registry=registry, outside_links=args.outside_links)


def _result(args: argparse.Namespace) -> Evaluation:
    """The command's folder loaded and evaluated as its options say."""
    registry = _registry(args)
    return evaluate(_load(args, registry), as_of=args.as_of, registry=registry)


def _registry(args: argparse.Namespace) -> Registry:
    registry = default_registry()
    if args.plugins:
        registry.load_entry_points()
    return registry


_FORMATS = ("table", "json", "csv", "markdown")


def _render(result: Evaluation, fmt: str) -> str:
    if fmt == "json":
        return result.to_json()
    if fmt == "csv":
        return result.to_csv()
    if fmt == "markdown":
        return result.to_markdown()
    return result.table()


def _output(args: argparse.Namespace) -> str | None:
    """The ``--output`` file, refused if it is an input of the folder: checked before loading."""
    if args.output is not None:
        refuse_input_as_output(args.output, args.path)
    return args.output  # type: ignore[no-any-return]


def _write(text: str, output: str | None, out: TextIO) -> int:
    if output is not None:
        write_atomically(output, text.encode("utf-8"))
    else:
        out.write(text)
    return 0


def _evaluate(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    result = _result(args)
    if args.format == "json":  # streamed: a province's document is large
        if output is not None:
            result.write_json(output)
        else:
            for piece in json_pieces(result):
                out.write(piece)
        return 0
    return _write(_render(result, args.format), output, out)


def _people(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    result = _result(args)
    if args.format == "json":
        text = (
            json.dumps([person_data(p) for p in result.people], ensure_ascii=False, indent=2) + "\n"
        )
    elif args.format == "csv":
        text = people_csv(result)
    else:
        text = result.people_table(tablefmt="github" if args.format == "markdown" else "simple")
    return _write(text, output, out)


def _sheet(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    result = _result(args)
    return _write(result.sheet(args.person, args.format), output, out)


def _law_reports(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    result = _result(args)
    return _write(render(result, args.command, args.format), output, out)


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    result = _result(args)
    unit = result.unit(args.unit)
    if args.format == "json":
        text = unit_json(unit)
    else:
        text = explain_unit(result, unit, "github" if args.format == "markdown" else "simple")
    return _write(text, output, out)


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    path = args.path
    try:
        assessment = _load(args, _registry(args))
    except ValidationError as exc:
        for error in exc.errors:
            print(error, file=out)
        n = len(exc.errors)
        print(f"{n} problem{'s' if n != 1 else ''} in {path}", file=out)
        return 2
    print(f"ok: {assessment.summary()}", file=out)
    return 0


def _demo(out: TextIO) -> int:
    assessment = load(demo_path())
    print(assessment.summary(), file=out)
    print(file=out)
    out.write(evaluate(assessment).table())
    return 0


#: the exit status when the reader of standard output has gone (128 + SIGPIPE): what the
#: shell reports for a Unix tool that a closed pipe stopped, so ``set -o pipefail`` sees it
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 2 bad input, 141 closed pipe)."""
    args = _parser().parse_args(argv)
    # This process is the command's own: the cyclic garbage collector, which would walk
    # a province's values again and again for nothing, is paused while the command runs
    # (the library never does this; see docs/explanation/large-assessments.md).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(args)
    finally:
        if collecting:
            gc.enable()


def _main(args: argparse.Namespace) -> int:
    try:
        status = _run(args, sys.stdout)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at exit
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except RulelawError as exc:
        if isinstance(exc, OutputError) and exc.errno == errno.EPIPE:
            return EXIT_BROKEN_PIPE  # a pipe named by --output (/dev/stdout) lost its reader
        print(f"rulelaw: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        place = f": {exc.filename}" if exc.filename else ""
        print(f"rulelaw: error: {exc.strerror or exc}{place}", file=sys.stderr)
        return 2
    return status


def _run(args: argparse.Namespace, out: TextIO) -> int:
    if args.command == "validate":
        return _validate(args, out)
    if args.command == "demo":
        return _demo(out)
    if args.command == "evaluate":
        return _evaluate(args, out)
    if args.command == "explain":
        return _explain(args, out)
    if args.command == "people":
        return _people(args, out)
    if args.command == "sheet":
        return _sheet(args, out)
    if args.command in ("panels", "coverage", "ledger"):
        return _law_reports(args, out)
    raise AssertionError(f"unhandled command {args.command!r}")  # pragma: no cover


def _discard_stdout() -> None:
    """Point standard output at the null device once its reader has gone.

    What is still buffered is then dropped when Python flushes at exit,
    instead of failing again with a second broken pipe (the recipe of the
    Python documentation's "Note on SIGPIPE"). Only the command's own
    standard output is touched, and only when it is a file descriptor.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
