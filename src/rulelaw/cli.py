"""The ``rulelaw`` command: a thin argparse layer over the public API.

Every command prints a :class:`~rulelaw.errors.RulelawError` as one clear
message on standard error and exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from rulelaw._demo import demo_path
from rulelaw._version import __version__
from rulelaw.engine import Evaluation, evaluate
from rulelaw.errors import RulelawError, ValidationError
from rulelaw.files import load, write_atomically
from rulelaw.report.json import pieces as json_pieces
from rulelaw.report.lawreports import render
from rulelaw.report.people import people_csv, person_data
from rulelaw.rules import ENTRY_POINT_GROUP, Registry, default_registry

__all__ = ["main"]


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
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    evaluate_cmd.add_argument(
        "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout"
    )
    _plugins_option(evaluate_cmd)

    explain = commands.add_parser("explain", help="every point of one unit, traced")
    explain.add_argument("path", metavar="PATH", help="the assessment folder")
    explain.add_argument("unit", metavar="UNIT_ID", help="the unit to explain")
    explain.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD")
    _plugins_option(explain)

    people = commands.add_parser(
        "people", help="the responsible persons: posts, shares, scores, grades, duty flags"
    )
    people.add_argument("path", metavar="PATH", help="the assessment folder")
    people.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD")
    people.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    people.add_argument(
        "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout"
    )
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
    sheet.add_argument(
        "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout"
    )
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
            "--format", choices=FORMATS, default="table", help="output format (default: table)"
        )
        command.add_argument(
            "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout"
        )
        _plugins_option(command)
    return parser


def _plugins_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--plugins",
        action="store_true",
        help=f"also use the rule kinds installed packages publish ({ENTRY_POINT_GROUP})",
    )


def _registry(args: argparse.Namespace) -> Registry:
    registry = default_registry()
    if args.plugins:
        registry.load_entry_points()
    return registry


FORMATS = ("table", "json", "csv", "markdown")


def _render(result: Evaluation, fmt: str) -> str:
    if fmt == "json":
        return result.to_json()
    if fmt == "csv":
        return result.to_csv()
    if fmt == "markdown":
        return result.to_markdown()
    return result.table()


def _evaluate(args: argparse.Namespace, out: TextIO) -> int:
    registry = _registry(args)
    result = evaluate(load(args.path, registry=registry), as_of=args.as_of, registry=registry)
    if args.format == "json":  # streamed: a province's document is large
        if args.output:
            result.write_json(args.output)
        else:
            for piece in json_pieces(result):
                out.write(piece)
        return 0
    text = _render(result, args.format)
    if args.output:
        write_atomically(Path(args.output), text.encode("utf-8"))
    else:
        out.write(text)
    return 0


def _write(text: str, args: argparse.Namespace, out: TextIO) -> int:
    if args.output:
        write_atomically(Path(args.output), text.encode("utf-8"))
    else:
        out.write(text)
    return 0


def _people(args: argparse.Namespace, out: TextIO) -> int:
    registry = _registry(args)
    result = evaluate(load(args.path, registry=registry), as_of=args.as_of, registry=registry)
    if args.format == "json":
        text = (
            json.dumps([person_data(p) for p in result.people], ensure_ascii=False, indent=2) + "\n"
        )
    elif args.format == "csv":
        text = people_csv(result)
    else:
        text = result.people_table(tablefmt="github" if args.format == "markdown" else "simple")
    return _write(text, args, out)


def _sheet(args: argparse.Namespace, out: TextIO) -> int:
    registry = _registry(args)
    result = evaluate(load(args.path, registry=registry), as_of=args.as_of, registry=registry)
    return _write(result.sheet(args.person, args.format), args, out)


def _law_reports(args: argparse.Namespace, out: TextIO) -> int:
    registry = _registry(args)
    result = evaluate(load(args.path, registry=registry), as_of=args.as_of, registry=registry)
    return _write(render(result, args.command, args.format), args, out)


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    registry = _registry(args)
    result = evaluate(load(args.path, registry=registry), as_of=args.as_of, registry=registry)
    out.write(result.explain(args.unit))
    return 0


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    path = args.path
    try:
        assessment = load(path, registry=_registry(args))
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 2 bad input)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args, sys.stdout)
        if args.command == "demo":
            return _demo(sys.stdout)
        if args.command == "evaluate":
            return _evaluate(args, sys.stdout)
        if args.command == "explain":
            return _explain(args, sys.stdout)
        if args.command == "people":
            return _people(args, sys.stdout)
        if args.command == "sheet":
            return _sheet(args, sys.stdout)
        if args.command in ("panels", "coverage", "ledger"):
            return _law_reports(args, sys.stdout)
    except RulelawError as exc:
        print(f"rulelaw: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"rulelaw: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 2
    raise AssertionError(f"unhandled command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
