"""The ``rulelaw`` command: a thin argparse layer over the public API.

Every command prints a :class:`~rulelaw.errors.RulelawError` as one clear
message on standard error and exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from rulelaw._demo import demo_path
from rulelaw._version import __version__
from rulelaw.errors import RulelawError, ValidationError
from rulelaw.files import load

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
    return parser


def _validate(path: str, out: TextIO) -> int:
    try:
        assessment = load(path)
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
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 2 bad input)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.path, sys.stdout)
        if args.command == "demo":
            return _demo(sys.stdout)
    except RulelawError as exc:
        print(f"rulelaw: error: {exc}", file=sys.stderr)
        return 2
    raise AssertionError(f"unhandled command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
