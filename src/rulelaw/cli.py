"""The ``rulelaw`` command: a thin argparse layer over the public API.

Every command prints a :class:`~rulelaw.errors.RulelawError` as one clear
message on standard error and exits with status 2; no traceback. A command
whose standard output (or a pipe named by ``--output``) is closed by its
reader (``rulelaw … | head -1``) stops quietly with status 141, as a Unix
tool stopped by ``SIGPIPE`` does.

The command speaks the language of ``--lang`` (before or after the command's
name), else of ``RULELAW_LANG``, else of the system's locale
(:func:`rulelaw.messages.choose_language`): its outputs, its errors and its
help texts. The parser is built once the language is known, so its help is in
that language too; argparse's own words ("usage:", "options", its usage
errors) stay its own.
"""

from __future__ import annotations

import argparse
import errno
import gc
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from rulelaw._demo import demo_path
from rulelaw._version import __version__
from rulelaw.analysis import (
    Comparison,
    SchemeDiff,
    compare,
    compare_schemes,
    diff_schemes,
    sensitivity,
    verify,
)
from rulelaw.engine import Evaluation, evaluate
from rulelaw.errors import OutputError, RulelawError, ValidationError
from rulelaw.files import load, load_scheme, refuse_input_as_output, write_atomically
from rulelaw.messages import Message, choose_language, render
from rulelaw.model import Assessment
from rulelaw.report.json import pieces as json_pieces
from rulelaw.report.json import unit_json
from rulelaw.report.lawreports import render as render_law_reports
from rulelaw.report.people import people_csv, person_data
from rulelaw.report.text import explain_unit
from rulelaw.rules import ENTRY_POINT_GROUP, Registry, default_registry

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_NOT_VERIFIED", "console", "main"]


def _say(code: str, lang: str, **params: object) -> str:
    """The command's own text ``code`` (``cli.…``) in ``lang``."""
    message = Message(code, tuple(params.items()))
    return str(message) if lang == "en" else message.text(lang)


def _parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command line's parser, its help texts in ``lang``."""

    def say(code: str, **params: object) -> str:
        # argparse expands %-formats in a help text: a text's own % is doubled
        return _say(f"cli.help.{code}", lang, **params).replace("%", "%%")

    formatter = argparse.HelpFormatter if lang == "en" else _WideHelpFormatter
    parser = argparse.ArgumentParser(
        prog="rulelaw",
        description=_say("cli.help.description", lang),
        add_help=False,
        formatter_class=formatter,
    )
    _help_option(parser, say)
    parser.add_argument(
        "--version",
        action="version",
        version=f"rulelaw {__version__}",
        help=say("version"),
    )
    _language_option(parser, say, default=lang)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str) -> argparse.ArgumentParser:
        found = commands.add_parser(
            name, help=say(f"command.{name}"), add_help=False, formatter_class=formatter
        )
        _help_option(found, say)
        return found

    def path(command: argparse.ArgumentParser, code: str = "path") -> None:
        command.add_argument("path", metavar="PATH", help=say(code))

    def as_of(command: argparse.ArgumentParser, code: str = "as-of") -> None:
        command.add_argument("--as-of", metavar="DATE", help=say(code))

    def output_format(command: argparse.ArgumentParser, choices: tuple[str, ...]) -> None:
        command.add_argument(
            "--format",
            choices=choices,
            default=choices[0],
            help=say("format", default=choices[0]),
        )

    def reading(command: argparse.ArgumentParser, *, output: bool = True) -> None:
        """The options of every command that reads an assessment folder."""
        if output:
            command.add_argument("--output", metavar="FILE", help=say("output"))
        command.add_argument(
            "--plugins", action="store_true", help=say("plugins", group=ENTRY_POINT_GROUP)
        )
        command.add_argument("--outside-links", action="store_true", help=say("outside-links"))
        _language_option(command, say)

    _language_option(command("demo"), say)

    validate = command("validate")
    path(validate, "path-or-scheme")
    reading(validate, output=False)

    evaluate_cmd = command("evaluate")
    path(evaluate_cmd)
    as_of(evaluate_cmd, "as-of-default")
    output_format(evaluate_cmd, _FORMATS)
    evaluate_cmd.add_argument("--tag", metavar="TAG", help=say("tag"))
    evaluate_cmd.set_defaults(usage_error=evaluate_cmd.error)  # its own usage line
    reading(evaluate_cmd)

    explain = command("explain")
    path(explain)
    explain.add_argument("unit", metavar="UNIT_ID", help=say("unit"))
    as_of(explain)
    output_format(explain, ("text", "json", "markdown"))
    explain.add_argument("--tag", metavar="TAG", help=say("explain-tag"))
    explain.set_defaults(usage_error=explain.error)
    reading(explain)

    people = command("people")
    path(people)
    as_of(people)
    output_format(people, _FORMATS)
    reading(people)

    sheet = command("sheet")
    path(sheet)
    sheet.add_argument("person", metavar="PERSON_ID", help=say("person"))
    as_of(sheet)
    output_format(sheet, ("text", "json", "csv"))
    reading(sheet)

    for name in ("panels", "coverage", "ledger"):
        law_reports = command(name)
        path(law_reports)
        as_of(law_reports)
        output_format(law_reports, _FORMATS)
        reading(law_reports)

    verify = command("verify")
    path(verify, "scheme")
    as_of(verify)
    output_format(verify, ("text", "json"))
    reading(verify)

    diff = command("diff")
    diff.add_argument("old", metavar="OLD", help=say("diff-old"))
    diff.add_argument("new", metavar="NEW", help=say("diff-new"))
    diff.add_argument("--evidence", metavar="PATH", help=say("diff-evidence"))
    as_of(diff)
    output_format(diff, ("table", "json", "markdown"))
    reading(diff)

    sensitivity = command("sensitivity")
    path(sensitivity)
    sensitivity.add_argument(
        "--draws", type=_positive, default=1000, metavar="N", help=say("draws", default=1000)
    )
    sensitivity.add_argument(
        "--seed", type=int, default=0, metavar="SEED", help=say("seed", default=0)
    )
    sensitivity.add_argument(
        "--factor",
        type=_factor,
        default=Decimal("0.25"),
        metavar="FACTOR",
        help=say("factor", default="0.25"),
    )
    sensitivity.add_argument("--nodes", metavar="IDS", help=say("nodes"))
    as_of(sensitivity)
    output_format(sensitivity, ("table", "json", "markdown"))
    reading(sensitivity)
    return parser


def _factor(text: str) -> Decimal:
    """A factor at least 0 and below 1, for argparse."""
    try:
        value = Decimal(text.strip())
    except ArithmeticError:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"not a number from 0 up to (not including) 1: {text!r}")
    return value


def _positive(text: str) -> int:
    """A whole number of at least 1, for argparse."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return value


class _WideHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, its lines wrapped by the width a terminal shows.

    A Chinese character takes two columns and a Chinese line has no spaces to
    break at: ``textwrap`` would let it run past the terminal's edge. A line
    may break between any two Chinese characters, except before closing
    punctuation (，。、；：）” …) and inside a run of Latin letters or digits.
    """

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in _wrap(" ".join(text.split()), width))


#: punctuation a Chinese line does not start with
_NO_LINE_START = set("，。、；：！？）》」』”’%…")


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines at most ``width`` terminal columns wide (wider only for one long word)."""
    from wcwidth import wcswidth

    tokens = re.findall(r"\s+|[\x21-\x7e]+|.", text)
    lines: list[str] = []
    line = ""
    for token in tokens:
        if token.isspace():
            line += " " if line else ""
            continue
        if line and wcswidth(line + token) > width and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _help_option(parser: argparse.ArgumentParser, say: Callable[..., str]) -> None:
    """``-h``/``--help``, as argparse adds it, with its help text in the parser's language."""
    parser.add_argument("-h", "--help", action="help", help=say("help"))


def _language_option(
    parser: argparse.ArgumentParser, say: Callable[..., str], *, default: str | None = None
) -> None:
    """``--lang``: on the command line as a whole (``default``) and after each command's name.

    After a command's name it has no default, so that it does not undo a
    ``--lang`` given before the name.
    """
    parser.add_argument(
        "--lang",
        metavar="LANG",
        type=_language,
        default=argparse.SUPPRESS if default is None else default,
        help=say("lang"),
    )


def _language(value: str) -> str:
    """A ``--lang`` value as one of rulelaw's languages; a usage error for another."""
    try:
        return choose_language(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _say("cli.unknown-language", _help_language([]), value=value)
        ) from None


def _asked_language(argv: Sequence[str]) -> str | None:
    """The value of the last ``--lang`` in ``argv`` (before a ``--``), if any."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def _help_language(argv: Sequence[str]) -> str:
    """The language of the help texts: ``--lang``'s if rulelaw speaks it, else the default."""
    asked = _asked_language(argv)
    if asked is not None:
        try:
            return choose_language(asked)
        except ValueError:
            pass  # the parser refuses it with a usage error, said in the default language
    return choose_language()


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


def _render(result: Evaluation, fmt: str, lang: str, tag: str | None = None) -> str:
    if fmt == "json":
        return result.to_json(lang=lang)
    if fmt == "csv":
        return result.to_csv(tag=tag)
    if fmt == "markdown":
        return result.to_markdown(lang=lang, tag=tag)
    return result.table(lang=lang, tag=tag)


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
            result.write_json(output, lang=args.lang)
        else:
            for piece in json_pieces(result, lang=args.lang):
                out.write(piece)
        return 0
    return _write(_render(result, args.format, args.lang, args.tag), output, out)


def _people(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    result = _result(args)
    lang = args.lang
    if args.format == "json":
        data = [
            person_data(p, lang=lang, catalogue=result.catalogue, result=result)
            for p in result.people
        ]
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = people_csv(result, lang=lang)
    else:
        tablefmt = "github" if args.format == "markdown" else "simple"
        text = result.people_table(tablefmt=tablefmt, lang=lang)
    return _write(text, output, out)


def _sheet(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    result = _result(args)
    return _write(result.sheet(args.person, args.format, lang=args.lang), output, out)


def _law_reports(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    result = _result(args)
    text = render_law_reports(result, args.command, args.format, lang=args.lang)
    return _write(text, output, out)


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    result = _result(args)
    unit = result.unit(args.unit)
    if args.format == "json":
        text = unit_json(unit, lang=args.lang, catalogue=result.catalogue)
    else:
        tablefmt = "github" if args.format == "markdown" else "simple"
        text = explain_unit(result, unit, tablefmt, lang=args.lang, tag=args.tag)
    return _write(text, output, out)


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0: the folder reads and its scheme's verification cases hold; 3: a case fails."""
    path, lang = args.path, args.lang
    registry = _registry(args)
    try:
        assessment = _load(args, registry)
    except ValidationError as exc:
        for error in exc.errors:
            print(_error_text(error, lang), file=out)
        print(_say("cli.problems", lang, n=len(exc.errors), path=path), file=out)
        return 2
    print(_say("cli.ok", lang, summary=render(assessment.summary(), lang)), file=out)
    if not assessment.scheme.verification:
        return 0
    report = verify(assessment.scheme, registry=registry)
    summary = report.text(lang).splitlines()[0]
    print(_say("cli.verification", lang, summary=summary), file=out)
    for mismatch in report.mismatches:
        print("- " + mismatch.describe(lang), file=out)
    return 0 if report.ok else EXIT_NOT_VERIFIED


def _scheme_path(path: str) -> Path:
    """A scheme.toml named, or the one inside an assessment folder."""
    found = Path(path)
    return found / "scheme.toml" if found.is_dir() else found


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0 when every expectation is met, 3 when one is not."""
    output = _output(args)
    registry = _registry(args)
    report = verify(load_scheme(_scheme_path(args.path)), registry=registry, as_of=args.as_of)
    text = report.to_json(lang=args.lang) if args.format == "json" else report.text(args.lang)
    _write(text, output, out)
    return 0 if report.ok else EXIT_NOT_VERIFIED


def _diff(args: argparse.Namespace, out: TextIO) -> int:
    output = args.output
    if output is not None:
        for given in (args.old, args.new, args.evidence):
            if given is not None:
                refuse_input_as_output(output, given)
    registry = _registry(args)
    old = load_scheme(_scheme_path(args.old))
    new = load_scheme(_scheme_path(args.new))
    folders = Path(args.old).is_dir() and Path(args.new).is_dir()
    found: Comparison | SchemeDiff
    if args.evidence is not None:
        assessment = load(args.evidence, registry=registry, outside_links=args.outside_links)
        found = compare_schemes(old, new, assessment, as_of=args.as_of, registry=registry)
    elif folders:
        before, after = (
            evaluate(
                load(p, registry=registry, outside_links=args.outside_links),
                as_of=args.as_of,
                registry=registry,
            )
            for p in (args.old, args.new)
        )
        found = compare(before, after, schemes=diff_schemes(old, new))
    else:
        found = diff_schemes(old, new)
    if args.format == "json":
        text = found.to_json(lang=args.lang)
    elif args.format == "markdown":
        text = found.to_markdown(lang=args.lang)
    else:
        text = (
            found.table(lang=args.lang) if isinstance(found, Comparison) else found.text(args.lang)
        )
    return _write(text, output, out)


def _sensitivity(args: argparse.Namespace, out: TextIO) -> int:
    output = _output(args)
    registry = _registry(args)
    assessment = _load(args, registry)
    result = evaluate(assessment, as_of=args.as_of, registry=registry)
    nodes = None if args.nodes is None else [n.strip() for n in args.nodes.split(",") if n.strip()]
    found = sensitivity(
        result,
        scheme=assessment.scheme,
        draws=args.draws,
        seed=args.seed,
        factor=args.factor,
        nodes=nodes,
    )
    if args.format == "json":
        text = found.to_json()
    elif args.format == "markdown":
        text = found.to_markdown(args.lang)
    else:
        text = found.table(args.lang)
    return _write(text, output, out)


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    assessment = load(demo_path())
    print(render(assessment.summary(), args.lang), file=out)
    print(file=out)
    out.write(evaluate(assessment).table(lang=args.lang))
    return 0


def _error_text(error: BaseException, lang: str) -> str:
    """An error in ``lang`` where it can say itself in one (``.text``), else as it reads."""
    text = getattr(error, "text", None)
    return text(lang) if callable(text) else str(error)


#: the exit status when the reader of standard output has gone (128 + SIGPIPE): what the
#: shell reports for a Unix tool that a closed pipe stopped, so ``set -o pipefail`` sees it
EXIT_BROKEN_PIPE = 141

#: the exit status of ``verify`` and ``validate`` when a verification case is not met: the
#: input reads (not 2), rulelaw did not fail (not 1), the scheme does not give what it says
EXIT_NOT_VERIFIED = 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    0 fine, 2 bad input, 3 a verification case not met, 141 a closed pipe.

    ``argv`` defaults to the process's arguments; the language is ``--lang``'s,
    else ``RULELAW_LANG``'s, else the locale's.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser(_help_language(argv)).parse_args(argv)
    if getattr(args, "tag", None) is not None and args.format == "json":
        args.usage_error(_say("cli.tag-not-json", args.lang))  # exits with status 2
    return _main(args)


def console() -> int:
    """The ``rulelaw`` command's entry point: :func:`main` in a process of its own.

    Only here, where the process is the command's, is the cyclic garbage
    collector paused while the command runs (it would walk a province's
    values again and again for nothing). :func:`main`, called from a host
    program, leaves it alone, as the whole library does (see
    docs/explanation/large-assessments.md).
    """
    gc.disable()
    return main()


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
        print(_say("cli.error", args.lang, text=_error_text(exc, args.lang)), file=sys.stderr)
        return 2
    except OSError as exc:
        place = f": {exc.filename}" if exc.filename else ""
        text = f"{exc.strerror or exc}{place}"  # the system's own words
        print(_say("cli.error", args.lang, text=text), file=sys.stderr)
        return 2
    return status


def _run(args: argparse.Namespace, out: TextIO) -> int:
    if args.command == "validate":
        return _validate(args, out)
    if args.command == "demo":
        return _demo(args, out)
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
    if args.command == "verify":
        return _verify(args, out)
    if args.command == "diff":
        return _diff(args, out)
    if args.command == "sensitivity":
        return _sensitivity(args, out)
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
