"""Reading and writing a scheme as TOML (``scheme.toml``)."""

from __future__ import annotations

import os
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import cattrs
import tomli_w

from rulelaw.convert import make_converter, shared_converter, structure
from rulelaw.errors import DataError, InputError, SchemeError, ValidationError
from rulelaw.files._text import InputFolder, read_csv, read_text
from rulelaw.files._write import write_atomically
from rulelaw.messages import Message
from rulelaw.model import Scheme
from rulelaw.model.verification import CELLS

__all__ = ["dump_scheme", "load_scheme", "scheme_from_text", "scheme_to_text"]


def scheme_from_text(
    text: str,
    *,
    file: str | None = None,
    converter: cattrs.Converter | None = None,
    folder: InputFolder | None = None,
) -> Scheme:
    """Build a :class:`Scheme` from TOML text.

    ``folder`` is the scheme's folder, from which a verification case's
    evidence file (``evidence = "verification/….csv"``) is read; without
    it such a case is refused.

    Raises :class:`~rulelaw.errors.ValidationError` listing every problem,
    each a :class:`~rulelaw.errors.SchemeError` naming ``file`` and a key
    path such as ``$.indicators[2].rule`` (a case's evidence file's
    problems name that file and row).
    """
    data = _parse(text, file)
    file_problems = _case_files(data, file, folder)
    try:
        scheme = structure(converter or shared_converter(), data, Scheme)
    except ValidationError as exc:
        raise ValidationError(
            [*file_problems, *(e.located(file=file, as_type=SchemeError) for e in exc.errors)],
            source=file,
            partial=exc.partial if exc.partial is not None else _salvage(data),
        ) from None
    if file_problems:
        raise ValidationError(file_problems, source=file, partial=scheme)
    return scheme


#: the name of a case's evidence file: a relative path of plain parts, ending in .csv
_CASE_FILE = re.compile(r"(?:[^/\\:*?\"<>|\x00-\x1f]+/)*[^/\\:*?\"<>|\x00-\x1f]+\.csv")


def _case_files(data: Any, file: str | None, folder: InputFolder | None) -> list[InputError]:
    """Read the evidence files verification cases name, in place of their names; the problems.

    A case whose file cannot be used gets no evidence (so that the rest of
    the scheme is still checked), and its problems are returned.
    """
    cases = data.get("verification") if isinstance(data, dict) else None
    if not isinstance(cases, list):
        return []
    problems: list[InputError] = []
    for i, case in enumerate(cases):
        if not isinstance(case, dict) or not isinstance(case.get("evidence"), str):
            continue
        name = case["evidence"]
        case["evidence"] = {}
        key_path = f"$.verification[{i}].evidence"
        if not _CASE_FILE.fullmatch(name) or any(
            part in ("", ".", "..") for part in name.split("/")
        ):
            problems.append(
                SchemeError(
                    Message.of("scheme.verification-file-name", name=name),
                    file=file,
                    key_path=key_path,
                    expected=Message.of("scheme.expected-verification-file"),
                )
            )
            continue
        if folder is None:
            problems.append(
                SchemeError(
                    Message.of("scheme.verification-file-without-folder", name=name),
                    file=file,
                    key_path=key_path,
                )
            )
            continue
        try:
            raw = folder.read(name)
            if raw is None:
                problems.append(
                    DataError(
                        Message.of("scheme.verification-file-missing", case=case.get("id", i)),
                        file=name,
                    )
                )
                continue
            table, found = read_csv(raw, name, ("indicator",), sorted(CELLS))
        except InputError as exc:
            problems.append(exc)
            continue
        problems.extend(found)
        if table is None:
            continue
        evidence: dict[str, dict[str, str]] = {}
        for row, number in zip(table.rows, table.numbers, strict=True):
            cells = dict(row)
            indicator = cells.pop("indicator", "")
            if indicator in evidence:
                problems.append(
                    DataError(
                        Message.of(
                            "scheme.verification-file-duplicate-indicator", indicator=indicator
                        ),
                        file=name,
                        row=number,
                        column="indicator",
                    )
                )
                continue
            if not indicator:
                problems.append(
                    DataError(
                        Message.of("csv.empty-cell"), file=name, row=number, column="indicator"
                    )
                )
                continue
            evidence[indicator] = cells
        case["evidence"] = evidence
    return problems


def _salvage(data: Any) -> Scheme | None:
    """The scheme without its unknown keys, if that builds — to check the other files against.

    Only for diagnostics: the problems already found are what is reported.
    """
    try:
        return structure(make_converter(forbid_extra_keys=False), data, Scheme)
    except ValidationError as exc:
        return exc.partial if isinstance(exc.partial, Scheme) else None


#: How deep arrays and tables may nest in a scheme (the deepest a scheme needs is about 6).
MAX_NESTING = 64

#: The most digits an integer in TOML may have (Python's own limit for reading one).
_INT_DIGITS = 4300
_LONG_INTEGER = re.compile(r"(?<![\w.])[+-]?\d(?:_?\d){" + str(_INT_DIGITS) + ",}")


def _parse(text: str, file: str | None) -> dict[str, Any]:
    """TOML text as data (decimals as :class:`~decimal.Decimal`), or every problem at its place."""

    def refused(
        problem: Message, place: dict[str, Any], expected: Message | None = None
    ) -> ValidationError:
        return ValidationError(
            [SchemeError(problem, file=file, **place, expected=expected)], source=file
        )

    too_deep = Message.of("toml.too-deep", depth=MAX_NESTING)
    levels = Message.of("toml.expected-depth", depth=MAX_NESTING)
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        place = _toml_place(message)
        reason = message[: message.rindex("(at ")].strip() if place else message
        where = {"where": place} if place else {}
        raise refused(Message.of("toml.invalid", reason=_toml_reason(reason)), where) from None
    except ValueError:  # an integer too long for Python to read (its limit is process-wide)
        long = _LONG_INTEGER.search(text)
        raise refused(
            Message.of("toml.integer-too-long", limit=_INT_DIGITS),
            _line_column(text, long.start()) if long else {},
            expected=Message.of("toml.expected-shorter"),
        ) from None
    except RecursionError:  # nested deeper than the parser's stack allows
        raise refused(too_deep, _too_deep(text) or {}, levels) from None
    deep = _deepest(data)
    if deep is not None:
        raise refused(too_deep, {"key_path": deep}, levels)
    return data


#: tomllib's reasons, each as a message of its own (a reason not listed stays tomllib's text).
_TOML_REASONS: tuple[tuple[re.Pattern[str], str, str | None], ...] = tuple(
    (re.compile(pattern), code, name)
    for pattern, code, name in (
        (r"Invalid statement", "toml.invalid-statement", None),
        (r"Expected newline or end of document after a statement", "toml.expected-newline", None),
        (r"Invalid value", "toml.invalid-value", None),
        (r"Unclosed array", "toml.unclosed-array", None),
        (r"Unclosed inline table", "toml.unclosed-inline-table", None),
        (r"Invalid initial character for a key part", "toml.invalid-key-start", None),
        (r"Expected '=' after a key in a key/value pair", "toml.expected-equals", None),
        (r"Expected '\]' at the end of a table declaration", "toml.expected-table-end", None),
        (
            r"Expected '\]\]' at the end of an array declaration",
            "toml.expected-array-table-end",
            None,
        ),
        (r"Invalid date or datetime", "toml.invalid-date", None),
        (r"Invalid hex value", "toml.invalid-hex", None),
        (r"Unescaped '\\' in a string", "toml.unescaped-backslash", None),
        (r"Unterminated string", "toml.unterminated-string", None),
        (r"Cannot overwrite a value", "toml.cannot-overwrite", None),
        (r"Escaped character is not a Unicode scalar value", "toml.not-unicode-scalar", None),
        (r"Expected (?P<text>.+)", "toml.expected-text", "text"),
        (r"Cannot declare (?P<key>.+) twice", "toml.declared-twice", "key"),
        (r"Cannot mutate immutable namespace (?P<key>.+)", "toml.immutable-namespace", "key"),
        (r"Cannot redefine namespace (?P<key>.+)", "toml.redefined-namespace", "key"),
        (r"Duplicate inline table key (?P<key>.+)", "toml.duplicate-inline-key", "key"),
        (r"Found invalid character (?P<char>.+)", "toml.invalid-character", "char"),
        (r"Illegal character (?P<char>.+)", "toml.illegal-character", "char"),
    )
)


def _toml_reason(reason: str) -> str:
    """Tomllib's reason as a message, when its words are known (and read back the same)."""
    for pattern, code, name in _TOML_REASONS:
        found = pattern.fullmatch(reason)
        if found:
            message = Message.of(code, **({name: found.group(name)} if name else {}))
            if message == reason:
                return message
    return reason


def _deepest(data: Any) -> str | None:
    """The key path of the first value nested deeper than :data:`MAX_NESTING`, if any.

    Walked without recursion, so any depth the parser read is looked at safely.
    """
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_NESTING:
            return path
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}", depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
    return None


def _line_column(text: str, offset: int) -> dict[str, Any]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return {"line": line, "column": column}


def _too_deep(text: str) -> dict[str, Any] | None:
    """Where arrays and inline tables first nest deeper than :data:`MAX_NESTING`, if they do.

    Only for a text the parser could not read for its depth (the scan is slow).
    Brackets and braces are counted outside strings and comments; the
    count may run high inside oddly written text (never low), which only
    makes a scheme that nests that deep be refused here rather than by the
    parser. A table header (``[a]``, ``[[a]]``) opens and closes on its line.
    """
    depth = 0
    quote = ""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if quote:
            if c == "\\" and quote in ('"', '"""'):
                i += 2
                continue
            if text.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
            if c == "\n" and len(quote) == 1:
                quote = ""  # an unterminated string: the parser says so
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c in "\"'":
            quote = text[i : i + 3] if text.startswith(c * 3, i) else c
            i += len(quote)
            continue
        elif c in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return _line_column(text, i)
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def _toml_place(message: str) -> str | None:
    # tomllib ends its messages with "(at line 3, column 7)"
    if "(at " in message and message.endswith(")"):
        return message[message.rindex("(at ") + 4 : -1]
    return None


def load_scheme(
    path: str | os.PathLike[str], *, converter: cattrs.Converter | None = None
) -> Scheme:
    """Read a scheme from a TOML file (UTF-8 or GB18030).

    Example::

        scheme = rulelaw.load_scheme("examples/demo-city/scheme.toml")

    Raises :class:`~rulelaw.errors.ValidationError` with every problem found.
    """
    path = Path(path)
    try:
        text, _ = read_text(path)
    except FileNotFoundError:
        missing = DataError(
            Message.of("file.no-such-file"),
            file=str(path),
            expected=Message.of("file.expected-scheme"),
        )
        raise ValidationError([missing], source=path.name) from None
    except InputError as exc:
        raise ValidationError([exc], source=path.name) from None
    return scheme_from_text(
        text, file=path.name, converter=converter, folder=InputFolder(path.parent)
    )


def _for_toml(value: Any, *, keep_empty_tables: bool = False) -> Any:
    """Leave out unset values (None, empty text, lists, tables); write whole decimals as ints.

    A verification case's evidence keeps an indicator's empty table: an
    evidence row with no cells is not the same as no row.
    """
    if isinstance(value, dict):
        return {
            k: _for_toml(v, keep_empty_tables=k == "evidence")
            for k, v in value.items()
            if v is not None and v != "" and v != [] and (v != {} or keep_empty_tables)
        }
    if isinstance(value, list | tuple):
        return [_for_toml(v) for v in value]
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def scheme_to_text(scheme: Scheme, *, converter: cattrs.Converter | None = None) -> str:
    """The scheme as TOML text that :func:`scheme_from_text` reads back to an equal scheme."""
    data = (converter or make_converter()).unstructure(scheme)
    title = scheme.title.splitlines()[0]  # a comment ends at the line's end
    header = f"# {title}\n# scheme {scheme.id}, version {scheme.version}\n\n"
    return header + tomli_w.dumps(_for_toml(data))


def dump_scheme(scheme: Scheme, path: str | os.PathLike[str]) -> None:
    """Write the scheme to a TOML file, whole or not at all (never half-written)."""
    write_atomically(Path(path), scheme_to_text(scheme).encode("utf-8"))
