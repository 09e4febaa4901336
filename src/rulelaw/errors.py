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
    └── OutputError (OSError)         an output that cannot be written (names the target)

An :class:`InputError` carries structured attributes — ``file``, ``where``
(a row and column, or a key path such as ``$.indicators[2].rule``),
``problem``, ``expected`` and ``got`` — and builds its message from them, so
a program can read the parts and a person can read the sentence. Every error
pickles (for multiprocessing) and compares by its message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

__all__ = [
    "DataError",
    "EncodingError",
    "EvaluationError",
    "InputError",
    "LookupFailed",
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
    where:
        The place in that file: ``"row 7, column 'category'"``, ``"row 1
        (header)"``, ``"line 3, column 7"``, ``"byte 12"`` or a key path such as
        ``"$.weights.county"``; read into :attr:`row`, :attr:`column`,
        :attr:`line`, :attr:`byte` and :attr:`key_path`.
    expected:
        What would have been valid.
    got:
        What arrived instead (shown with ``repr`` when it is not a string
        already quoted by the caller).

    The place is kept as fields a program can use (a platform highlights the
    cell ``row``, ``column`` of ``file``); :meth:`text` gives the whole error
    in a language.

    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        where: str | None = None,
        expected: str | None = None,
        got: object = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.where = where
        self.expected = expected
        self.got = got
        self.row, self.column, self.line, self.byte, self.key_path, self.header = _place(where)
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
        return self.key_path

    def text(self, lang: str = "en") -> str:
        """The error in ``lang``: file and place, the problem, what was expected and got."""
        place = ("，" if lang == "zh-CN" else ", ").join(
            p for p in (self.file, self.place(lang)) if p
        )
        problem = _render(self.problem, lang)
        text = _say("error.at", lang, place=place, problem=problem) if place else problem
        detail = []
        if self.expected is not None:
            detail.append(_say("error.expected", lang, expected=_render(self.expected, lang)))
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
        scheme file becomes a :class:`SchemeError`).

        ``prefix`` is a key path put in front of ``where``: ``$.indicators[3]``
        and ``rule`` (or ``$.rule``) give ``$.indicators[3].rule``.
        """
        where = self.where
        if prefix:
            if not where:
                where = prefix
            elif where.startswith("$"):
                where = prefix + where[1:]
            elif where.startswith("["):
                where = prefix + where
            else:
                where = f"{prefix}.{where}"
        return (as_type or type(self))(
            self.problem,
            file=file if file is not None else self.file,
            where=where,
            expected=self.expected,
            got=self.got,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_input_error, (type(self), self.__dict__.copy()))


_ROW = re.compile(r"row (\d+)(?:, column (.+)| \(header\))?$")
_LINE = re.compile(r"line (\d+)(?:, column (\d+))?$")
_BYTE = re.compile(r"byte (\d+)$")


def _place(
    where: str | None,
) -> tuple[int | None, str | None, int | None, int | None, str | None, bool]:
    """``where`` as (row, column, line, byte, key path, header)."""
    if not where:
        return None, None, None, None, None, False
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
        return int(found.group(1)), column, None, None, None, where.endswith("(header)")
    found = _LINE.match(where)
    if found:
        return None, found.group(2), int(found.group(1)), None, None, False
    found = _BYTE.match(where)
    if found:
        return None, None, None, int(found.group(1)), None, False
    return None, None, None, None, where, False


def _say(code: str, lang: str, **params: object) -> str:
    """A message of the error tree's own (its place words) in ``lang``."""
    from rulelaw.messages import Message

    return Message(code, tuple(params.items())).text(lang)


def _render(text: str, lang: str) -> str:
    from rulelaw.messages import render

    return render(text, lang)


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
        return f"{format(Decimal(got), '.20e')} ({len(digits):,} digits)"
    if isinstance(got, str) and lang == "zh-CN":
        cut = len(got) > _SHOWN
        return f"“{got[:_SHOWN]}”" + (f"…（共{len(got):,}个字符）" if cut else "")
    if isinstance(got, str) and len(got) > _SHOWN:
        return f"{got[:_SHOWN]!r}… ({len(got):,} characters)"
    text = repr(got)
    return text if len(text) <= 2 * _SHOWN else f"{text[:_SHOWN]}… ({len(text):,} characters)"


def _rebuild_input_error(cls: type[InputError], state: dict[str, Any]) -> InputError:
    return cls(
        state["problem"],
        file=state["file"],
        where=state["where"],
        expected=state["expected"],
        got=state["got"],
    )


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

    def text(self, lang: str = "en") -> str:
        """Every problem, one a line, in ``lang``, under a head saying how many and where."""
        n = len(self.errors)
        if self.source:
            head = _say("errors.in", lang, n=n, source=self.source)
        else:
            head = _say("errors.count", lang, n=n)
        return head + "\n" + "\n".join(f"  - {e.text(lang)}" for e in self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_validation_error, (self.errors, self.source))


def _rebuild_validation_error(
    errors: tuple[InputError, ...], source: str | None
) -> ValidationError:
    return ValidationError(errors, source=source)


class LookupFailed(RulelawError, KeyError):
    """An id was asked for that does not exist (a unit, person or indicator)."""

    def __init__(self, kind: str, key: str, known: Iterable[str] = ()) -> None:
        self.kind = kind
        self.key = key
        known = sorted(known)
        hint = ""
        if known:
            shown = ", ".join(repr(k) for k in known[:8])
            hint = f" (known: {shown}{', …' if len(known) > 8 else ''})"
        self.message = f"no {kind} with id {key!r}{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_lookup, (self.kind, self.key, self.message))


def _rebuild_lookup(kind: str, key: str, message: str) -> LookupFailed:
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
    expects.

    Parameters
    ----------
    target:
        The output path as the caller gave it.
    reason:
        Why it cannot be written: the system's words for ``errno`` (its
        ``strerror``), or a sentence of rulelaw's own.
    errno:
        The system's error number, if the reason is a system error.

    """

    def __init__(self, target: str, reason: str, errno: int | None = None) -> None:
        super().__init__(errno, reason, target)
        self.target = target
        self.reason = reason

    @classmethod
    def of(cls, target: str, error: OSError) -> OutputError:
        """The error for ``target`` that a system error met while writing it stands for."""
        return cls(target, error.strerror or str(error), error.errno)

    def __str__(self) -> str:
        return f"cannot write {self.target}: {self.reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.target, self.reason, self.errno))

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash((type(self), str(self)))
