"""Every error rulelaw raises, in one tree.

::

    RulelawError                      base of everything below
    ├── InputError (ValueError)       one problem at one place in an input
    │   ├── SchemeError               … in a scheme (scheme.toml or a Scheme built in code)
    │   └── DataError                 … in roster or evidence data (CSV files, model values)
    │       └── EncodingError         a file that is neither UTF-8 nor GB18030
    ├── ValidationError (ValueError)  several InputErrors found at once; ``.errors`` lists them
    ├── LookupFailed (KeyError)       an id asked for that the assessment does not have
    ├── RegistrationError (TypeError) a rule kind refused by a registry (names the class)
    ├── EvaluationError               evidence a rule cannot score, found while evaluating
    ├── OutputError (OSError)         an output that cannot be written (names the target)
    └── MissingExtra (ImportError)    an optional dependency that is not installed (names the extra)

An :class:`InputError` carries structured attributes — ``file``, its place
as fields (``row`` and ``column``, ``line``, ``byte``, or a ``key_path`` such
as ``$.indicators[2].rule``; ``where`` shows it as text), ``problem`` (a
:class:`~rulelaw.messages.Message`: its ``code`` and ``params``),
``expected`` and ``got`` — and builds its message from them, so a program
can read the parts and a person can read the sentence, in English (``str``)
or in Chinese (``text("zh-CN")``). :class:`LookupFailed` and
:class:`OutputError` speak through messages too. Every error pickles (for
multiprocessing), with every field, and compares by its message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rulelaw.messages import Catalogue, Message

__all__ = [
    "DataError",
    "EncodingError",
    "EvaluationError",
    "InputError",
    "LookupFailed",
    "MissingExtra",
    "OutputError",
    "RegistrationError",
    "RulelawError",
    "SchemeError",
    "ValidationError",
    "key_part",
]


def key_part(key: str) -> str:
    """A table key as a part of a key path: bare if it can be, else quoted.

    >>> key_part("county"), key_part("1.1")
    ('county', '"1.1"')
    """
    bare = key.replace("-", "").replace("_", "").isalnum() and key.isascii()
    return key if bare else f'"{key}"'


class RulelawError(Exception):
    """Base class of every error rulelaw raises on purpose.

    Errors are values: two are equal when they are of one class and say the
    same, also after a pickle round trip (a worker process's error compares
    equal to the one the parent would have raised).
    """

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RulelawError):
            return NotImplemented
        return type(self) is type(other) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash((type(self), str(self)))


class InputError(RulelawError, ValueError):
    """One problem at one place in an input.

    Parameters
    ----------
    problem:
        What is wrong: a :class:`~rulelaw.messages.Message` (its ``code`` and
        ``params`` are the error's), or a short phrase.
    file:
        The file the problem is in, if it came from one.
    row, column, line, byte, key_path, header, end:
        The place in that file, as fields: a CSV ``row`` (the header is row 1;
        ``header=True`` says the problem is the header's) and ``column`` (a
        column name); a TOML ``line`` and ``column`` (a number), or ``end=True``
        for the end of the text; the ``byte`` a text encoding fails at; or a
        ``key_path`` such as ``$.weights.county`` (or a field name, for a
        single value).
    where:
        The same place as text, as :attr:`where` shows it: ``"row 7, column
        'category'"``, ``"row 1 (header)"``, ``"line 3, column 7"``, ``"end of
        document"``, ``"byte 12"`` or a key path; read into the fields. Give the place either way,
        not both.
    expected:
        What would have been valid: a message or a short phrase.
    got:
        What arrived instead (shown with ``repr`` when it is not a string
        already quoted by the caller).

    The place is kept as fields a program can use (a platform highlights the
    cell ``row``, ``column`` of ``file``), and :attr:`where` shows it in
    English; :meth:`text` gives the whole error in a language.

    >>> error = DataError("no such unit", file="units.csv", row=3, column="parent")
    >>> (error.where, error.row, error.column)
    ("row 3, column 'parent'", 3, 'parent')

    """

    row: int | None
    column: str | int | None
    line: int | None
    byte: int | None
    key_path: str | None
    header: bool
    end: bool

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        where: str | None = None,
        row: int | None = None,
        column: str | int | None = None,
        line: int | None = None,
        byte: int | None = None,
        key_path: str | None = None,
        header: bool = False,
        end: bool = False,
        expected: str | None = None,
        got: object = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.expected = expected
        self.got = got
        fields = (row, column, line, byte, key_path)
        if where is not None:
            if header or end or any(f is not None for f in fields):
                raise TypeError("give the place either as where= or as its fields, not both")
            fields, header, end = _place(where)
        self.row, self.column, self.line, self.byte, self.key_path = fields
        self.header = header
        self.end = end
        self.where = where if where is not None else self.place("en")
        super().__init__(self.text("en"))

    @property
    def code(self) -> str | None:
        """The problem's message code (``None`` for a problem given as a plain text)."""
        return getattr(self.problem, "code", None)

    @property
    def params(self) -> tuple[tuple[str, object], ...]:
        """The problem's message parameters."""
        found: tuple[tuple[str, object], ...] = getattr(self.problem, "params", ())
        return found

    def place(self, lang: str = "en") -> str | None:
        """Where the problem is (file aside), in ``lang``: ``row 7, column 'category'``."""
        if self.row is not None:
            if self.header:
                return _say("place.header", lang, row=self.row)
            if self.column is not None:
                return _say("place.row-column", lang, row=self.row, column=self.column)
            return _say("place.row", lang, row=self.row)
        if self.line is not None:
            if self.column is not None:
                return _say("place.line-column", lang, line=self.line, column=self.column)
            return _say("place.line", lang, line=self.line)
        if self.byte is not None:
            return _say("place.byte", lang, byte=self.byte)
        if self.end:
            return _say("place.end", lang)
        return self.key_path

    def text(self, lang: str = "en", catalogue: Catalogue | None = None) -> str:
        """The error in ``lang``: file and place, the problem, what was expected and got.

        ``catalogue`` renders the problem's message (rulelaw's own by default;
        a registry's :meth:`~rulelaw.rules.Registry.catalogue` knows its rule
        kinds' codes too).
        """
        place = ("，" if lang == "zh-CN" else ", ").join(
            p for p in (self.file, self.place(lang)) if p
        )
        problem = _render(self.problem, lang, catalogue)
        text = _say("error.at", lang, place=place, problem=problem) if place else problem
        detail = []
        if self.expected is not None:
            expected = _render(self.expected, lang, catalogue)
            detail.append(_say("error.expected", lang, expected=expected))
        if self.got is not None:
            detail.append(_say("error.got", lang, got=_shown(self.got, lang)))
        if detail:
            text = _say("error.detail", lang, text=text, detail=_say_join(detail, lang))
        return text

    def located(
        self,
        *,
        file: str | None = None,
        prefix: str | None = None,
        as_type: type[InputError] | None = None,
    ) -> InputError:
        """Return a copy of this error placed in ``file``, under key path ``prefix``.

        ``as_type`` re-classes the copy (a value error found while reading a
        scheme file becomes a :class:`SchemeError`). Every other field is
        kept: the problem (its code and parameters), the row, column, line or
        byte, what was expected and what arrived.

        ``prefix`` is a key path put in front of the error's key path:
        ``$.indicators[3]`` and ``rule`` (or ``$.rule``) give
        ``$.indicators[3].rule``. An error placed at a row, line or byte keeps
        its place.
        """
        key_path = self.key_path
        if prefix and not self.end and self.row is None and self.line is None and self.byte is None:
            if not key_path:
                key_path = prefix
            elif key_path.startswith("$"):
                key_path = prefix + key_path[1:]
            elif key_path.startswith("["):
                key_path = prefix + key_path
            else:
                key_path = f"{prefix}.{key_path}"
        return (as_type or type(self))(
            self.problem,
            file=file if file is not None else self.file,
            **self._place_fields(key_path=key_path),
            expected=self.expected,
            got=self.got,
        )

    def _place_fields(self, **changed: Any) -> dict[str, Any]:
        fields = {
            "row": self.row,
            "column": self.column,
            "line": self.line,
            "byte": self.byte,
            "key_path": self.key_path,
            "header": self.header,
            "end": self.end,
        }
        fields.update(changed)
        return fields

    def __reduce__(self) -> tuple[Any, ...]:
        state = {
            "problem": self.problem,
            "file": self.file,
            "where": self.where,
            **self._place_fields(),
            "expected": self.expected,
            "got": self.got,
        }
        return (_rebuild_input_error, (type(self), state))


_ROW = re.compile(r"row (\d+)(?:, column (.+)| \(header\))?$")
_LINE = re.compile(r"line (\d+)(?:, column (\d+))?$")
_BYTE = re.compile(r"byte (\d+)$")


_Fields = tuple[int | None, str | int | None, int | None, int | None, str | None]


def _place(where: str) -> tuple[_Fields, bool, bool]:
    """``where`` as the fields (row, column, line, byte, key path), header and end."""
    if not where:
        return (None, None, None, None, None), False, False
    if where == "end of document":  # tomllib's words for the end of the text
        return (None, None, None, None, None), False, True
    found = _ROW.match(where)
    if found:
        column = found.group(2)
        if (
            column is not None
            and len(column) >= 2
            and column[0] == column[-1]
            and column[0] in "'\""
        ):
            column = column[1:-1]
        header = where.endswith("(header)")
        return (int(found.group(1)), column, None, None, None), header, False
    found = _LINE.match(where)
    if found:
        line_column = found.group(2)
        column_number = int(line_column) if line_column is not None else None
        return (None, column_number, int(found.group(1)), None, None), False, False
    found = _BYTE.match(where)
    if found:
        return (None, None, None, int(found.group(1)), None), False, False
    return (None, None, None, None, where), False, False


def _say(code: str, lang: str, **params: object) -> str:
    """A message of the error tree's own (its place words) in ``lang``."""
    from rulelaw.messages import Message

    return Message(code, tuple(params.items())).text(lang)


def _message(code: str, **params: object) -> Message:
    """A message of the error tree's own, as a value."""
    from rulelaw.messages import Message

    return Message(code, tuple(params.items()))


def _render(text: str, lang: str, catalogue: Catalogue | None = None) -> str:
    from rulelaw.messages import render

    return render(text, lang, catalogue)


def _say_join(parts: list[str], lang: str) -> str:
    return ("；" if lang == "zh-CN" else "; ").join(parts)


#: A value shown in a message is cut to about this many characters.
_SHOWN = 120


def _shown(got: object, lang: str = "en") -> str:
    """``got`` as a message shows it: numbers as they are, the rest quoted; long ones cut.

    A cut value keeps its start and says how long it was, so a cell of
    200,000 characters or a number of 5,000 digits makes a message of one line.
    """
    if isinstance(got, bool):
        return repr(got)
    if isinstance(got, int | Decimal):
        digits = Decimal(got).as_tuple().digits  # no str() of a long int: its length is limited
        if len(digits) <= _SHOWN:
            return str(got)
        if lang == "zh-CN":
            return f"{format(Decimal(got), '.20e')}（共{len(digits)}位）"
        return f"{format(Decimal(got), '.20e')} ({len(digits):,} digits)"
    if isinstance(got, str) and lang == "zh-CN":
        cut = len(got) > _SHOWN
        return f"“{got[:_SHOWN]}”" + (f"…（共{len(got)}个字符）" if cut else "")
    if isinstance(got, str) and len(got) > _SHOWN:
        return f"{got[:_SHOWN]!r}… ({len(got):,} characters)"
    text = repr(got)
    if len(text) <= 2 * _SHOWN:
        return text
    if lang == "zh-CN":
        return f"{text[:_SHOWN]}…（共{len(text)}个字符）"
    return f"{text[:_SHOWN]}… ({len(text):,} characters)"


def _rebuild_input_error(cls: type[InputError], state: dict[str, Any]) -> InputError:
    place = {k: state[k] for k in ("row", "column", "line", "byte", "key_path", "header", "end")}
    error = cls(
        state["problem"],
        file=state["file"],
        **place,
        expected=state["expected"],
        got=state["got"],
    )
    error.where = state["where"]  # as it was given (a place given as text keeps its words)
    return error


class SchemeError(InputError):
    """A problem in a scheme: its file, or a Scheme value built in code."""


class DataError(InputError):
    """A problem in roster or evidence data: a CSV row, or a model value built in code."""


class EncodingError(DataError):
    """A file that can be read neither as UTF-8 (with or without BOM) nor as GB18030."""


class ValidationError(RulelawError, ValueError):
    """Several input problems, found in one pass and reported together.

    ``errors`` holds every :class:`InputError` in the order found (files in
    loading order, rows in file order); ``source`` names what was checked.
    ``partial`` may hold the value that failed its cross-checks (a scheme whose
    weights do not add up), so that the loader can go on checking what refers
    to it; it is for diagnostics only and is not pickled.
    """

    def __init__(
        self,
        errors: Iterable[InputError],
        *,
        source: str | None = None,
        partial: object = None,
    ) -> None:
        self.errors: tuple[InputError, ...] = tuple(errors)
        self.source = source
        self.partial = partial
        super().__init__(self.text("en"))

    def text(self, lang: str = "en", catalogue: Catalogue | None = None) -> str:
        """Every problem, one a line, in ``lang``, under a head saying how many and where."""
        n = len(self.errors)
        if self.source:
            head = _say("errors.in", lang, n=n, source=self.source)
        else:
            head = _say("errors.count", lang, n=n)
        return head + "\n" + "\n".join(f"  - {e.text(lang, catalogue)}" for e in self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_validation_error, (self.errors, self.source))


def _rebuild_validation_error(
    errors: tuple[InputError, ...], source: str | None
) -> ValidationError:
    return ValidationError(errors, source=source)


class LookupFailed(RulelawError, KeyError):
    """An id was asked for that does not exist (a unit, person or indicator).

    ``kind`` says what was looked for (``"unit"``), ``key`` the id asked for;
    ``message`` is the error as a :class:`~rulelaw.messages.Message`
    (``lookup.no-such`` …), listing up to eight of the ``known`` ids, and
    :meth:`text` gives it in a language.
    """

    def __init__(self, kind: str, key: str, known: Iterable[str] = ()) -> None:
        self.kind = kind
        self.key = key
        found = sorted(known)
        what = _LOOKUP_KINDS.get(kind)
        noun = _message(what) if what is not None else kind
        if not found:
            self.message = _message("lookup.no-such", kind=noun, key=key)
        elif len(found) > _KNOWN_SHOWN:
            self.message = _message(
                "lookup.no-such-known-more", kind=noun, key=key, known=tuple(found[:_KNOWN_SHOWN])
            )
        else:
            self.message = _message("lookup.no-such-known", kind=noun, key=key, known=tuple(found))
        super().__init__(self.message)

    def text(self, lang: str = "en") -> str:
        """The error in ``lang``."""
        return self.message.text(lang)

    def __str__(self) -> str:
        return str(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_lookup, (self.kind, self.key, self.message))


#: How many of the known ids a LookupFailed lists.
_KNOWN_SHOWN = 8

#: The message codes of the things rulelaw looks up by id (what ``kind`` names).
_LOOKUP_KINDS = {
    "unit": "lookup.unit",
    "person": "lookup.person",
    "person in post during the period": "lookup.person-in-post",
    "category": "lookup.category",
    "indicator": "lookup.indicator",
    "indicator-tree node": "lookup.node",
    "weights for category": "lookup.category-weights",
    "indicator result": "lookup.indicator-result",
    "registered rule kind": "lookup.rule-kind",
    "tag": "lookup.tag",
}


def _rebuild_lookup(kind: str, key: str, message: Message) -> LookupFailed:
    err = LookupFailed(kind, key)
    err.message = message
    err.args = (message,)
    return err


class RegistrationError(RulelawError, TypeError):
    """A rule kind a registry refuses: bad name, taken name, not frozen, wrong signature.

    ``kind`` is the class refused (``None`` when the error is not about one
    class, such as an entry point that would not load).
    """

    def __init__(self, message: str, *, kind: object = None) -> None:
        super().__init__(message)
        self.kind = kind

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_registration_error, (str(self), self.kind))


def _rebuild_registration_error(message: str, kind: object) -> RegistrationError:
    return RegistrationError(message, kind=kind)


class EvaluationError(RulelawError):
    """Evidence that a rule cannot score, naming the unit and indicator.

    For example a given score above its scale, or a rate whose denominator is
    empty when the scheme declares that an error. ``kind`` (the rule kind's
    name), ``unit`` and ``indicator`` (ids) say where, when known; the engine
    fills in what a rule kind's own error leaves out (:meth:`at`).
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        unit: str | None = None,
        indicator: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.unit = unit
        self.indicator = indicator

    def at(
        self, *, kind: str | None = None, unit: str | None = None, indicator: str | None = None
    ) -> EvaluationError:
        """The same error with the places it does not name yet filled in."""
        found = EvaluationError(
            str(self),
            kind=self.kind or kind,
            unit=self.unit or unit,
            indicator=self.indicator or indicator,
        )
        found.__cause__ = self.__cause__
        return found

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_evaluation_error, (str(self), self.kind, self.unit, self.indicator))


def _rebuild_evaluation_error(
    message: str, kind: str | None, unit: str | None, indicator: str | None
) -> EvaluationError:
    return EvaluationError(message, kind=kind, unit=unit, indicator=indicator)


class OutputError(RulelawError, OSError):
    """An output that cannot be written, naming the target and the reason.

    Every system error met while writing a result (a full disk, a file-size
    limit, a missing folder, no permission) becomes one of these, as does a
    refusal to write over an input file. The message names the path the
    caller asked for, never a temporary file:
    *cannot write /x/out.json: No space left on device*.

    As an :class:`OSError`, ``errno``, ``strerror`` (the reason) and
    ``filename`` (the target) are set as a caller catching ``OSError``
    expects. ``message`` is the error as a :class:`~rulelaw.messages.Message`
    (``output.cannot-write``), :meth:`text` in a language.

    Parameters
    ----------
    target:
        The output path as the caller gave it.
    reason:
        Why it cannot be written: the system's words for ``errno`` (its
        ``strerror``; kept as a message, ``system.enospc`` …, with
        rulelaw's words for the error number), or a message of rulelaw's own.
    errno:
        The system's error number, if the reason is a system error.

    """

    def __init__(self, target: str, reason: str, errno: int | None = None) -> None:
        reason = _system_reason(reason, errno)
        super().__init__(errno, reason, target)
        self.target = target
        self.reason = reason

    @classmethod
    def of(cls, target: str, error: OSError) -> OutputError:
        """The error for ``target`` that a system error met while writing it stands for."""
        return cls(target, error.strerror or str(error), error.errno)

    @property
    def message(self) -> Message:
        """The error as a message: ``output.cannot-write`` with the target and the reason."""
        return _message("output.cannot-write", target=self.target, reason=self.reason)

    def text(self, lang: str = "en") -> str:
        """The error in ``lang``."""
        return self.message.text(lang)

    def __str__(self) -> str:
        return str(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.target, self.reason, self.errno))

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash((type(self), str(self)))


class MissingExtra(RulelawError, ImportError):
    """An optional dependency a function needs is not installed; names the extra that brings it.

    ``package`` is the module (``"pandas"``), ``extra`` rulelaw's extra that
    installs it (``"pandas"``: ``pip install "rulelaw[pandas]"``);
    ``message`` is the error as a :class:`~rulelaw.messages.Message`
    (``extra.missing``), :meth:`text` in a language.

    >>> str(MissingExtra("polars", "polars"))
    'polars is not installed: pip install "rulelaw[polars]"'
    """

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(self.message, name=package)

    @property
    def message(self) -> Message:
        """The error as a message: ``extra.missing`` with the package and the extra."""
        return _message("extra.missing", package=self.package, extra=self.extra)

    def text(self, lang: str = "en") -> str:
        """The error in ``lang``."""
        return self.message.text(lang)

    def __str__(self) -> str:
        return str(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.package, self.extra))


def _system_reason(reason: str, number: int | None) -> str:
    """A system's reason as a message: rulelaw's words for the error number where it has them.

    The code is ``system.`` and the number's name (``system.enospc``) when the
    catalogue has it and its English says what the system said; otherwise
    ``system.other``, the system's text as it is. A reason of rulelaw's own
    (a message, or a text without an error number) is kept.
    """
    from rulelaw.messages import Message, builtin_catalogue

    if isinstance(reason, Message) or number is None:
        return reason
    import errno as errnos

    code = f"system.{errnos.errorcode.get(number, '').lower()}"
    if code in builtin_catalogue() and _message(code) == reason:
        return _message(code)
    return _message("system.other", reason=reason)
