"""A message: a code and its parameters; its text in a language, made by the catalogue."""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rulelaw.messages._catalogue import Catalogue

__all__ = ["Message", "Text", "params_data", "render"]


class Message(str):
    """What to say, as data: a stable ``code`` and its ``params``; as a text, its English.

    A message *is* its English text (a ``str``), so it reads, compares and
    prints as the text rulelaw always gave; :meth:`text` gives it in another
    language, and ``code`` and ``params`` (name, value pairs) are there for a
    program. Parameters are texts (ids, titles, what a file held), whole
    numbers, exact decimals (as the text shows them), dates, other messages,
    and tuples of these.

    >>> m = Message.of("demo.hello", name="林晓舟")
    >>> (m.code, m.params)
    ('demo.hello', (('name', '林晓舟'),))
    """

    code: str
    params: tuple[tuple[str, object], ...]

    def __new__(
        cls,
        code: str,
        params: tuple[tuple[str, object], ...] = (),
        catalogue: Catalogue | None = None,
    ) -> Message:
        self = super().__new__(cls, _text(code, params, "en", catalogue))
        self.code = code
        self.params = params
        return self

    @classmethod
    def of(cls, code: str, **params: object) -> Message:
        """A message with its parameters given by name, in that order."""
        return cls(code, tuple(params.items()))

    def param(self, name: str) -> object:
        """The parameter ``name`` (``KeyError`` when the message has none of that name)."""
        for key, value in self.params:
            if key == name:
                return value
        raise KeyError(name)

    def text(self, lang: str = "en", catalogue: Catalogue | None = None) -> str:
        """The message in ``lang``, by ``catalogue`` (rulelaw's own when none is given)."""
        if lang == "en" and catalogue is None:
            return str.__str__(self)
        return _text(self.code, self.params, lang, catalogue)

    def __str__(self) -> str:
        return str.__str__(self)

    def __reduce__(self) -> tuple[object, ...]:
        return (Message, (self.code, self.params))


def _text(
    code: str, params: tuple[tuple[str, object], ...], lang: str, catalogue: Catalogue | None
) -> str:
    if catalogue is None:
        from rulelaw.messages._catalogue import builtin_catalogue

        catalogue = builtin_catalogue()
    template = catalogue.template(code, lang)
    if template is None:  # a code no catalogue knows (a plugin's without its own)
        shown = ", ".join(f"{k}={_shown(v, lang, catalogue)}" for k, v in params)
        return f"{code}({shown})" if shown else code
    formatter = _Formatter(lang, catalogue)
    values = dict(params)
    # Each template parsed once: ``string.Formatter.vformat`` re-parses it on every call, and
    # the engine makes a message per unit (a grade step); fields other than plain names
    # (``{x.y}``, nested specs) take vformat's way.
    pieces = []
    for literal, name, spec, conversion in _parsed(template):
        pieces.append(literal)
        if name is not None:
            if name not in values or "{" in spec:
                return formatter.vformat(template, (), values)
            pieces.append(
                formatter.format_field(formatter.convert_field(values[name], conversion), spec)
            )
    return "".join(pieces)


@functools.lru_cache(maxsize=4096)
def _parsed(template: str) -> tuple[tuple[str, str | None, str, str | None], ...]:
    """A template's literal texts and fields, as ``string.Formatter.parse`` gives them."""
    return tuple(
        (literal, name, spec or "", conversion)
        for literal, name, spec, conversion in string.Formatter().parse(template)
    )


#: What may stand where a text is expected: a message, or a plain text (shown as it is,
#: in every language; a third-party rule kind's reason may be one).
Text = str


def render(text: Text, lang: str = "en", catalogue: Catalogue | None = None) -> str:
    """A message's text in ``lang``; a plain text as it is."""
    return text.text(lang, catalogue) if isinstance(text, Message) else text


def params_data(message: Message) -> dict[str, Any]:
    """A message's parameters as JSON-ready data: decimals and dates as strings, messages nested.

    A nested message is ``{"code": …, "params": …}``; a tuple is a list.
    """
    return {name: _data(value) for name, value in message.params}


def _data(value: object) -> Any:
    if isinstance(value, Message):
        return {"code": value.code, "params": params_data(value)}
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_data(v) for v in value]
    return str(value)


#: How a list of things is joined, per language.
_JOINS = {"en": ", ", "zh-CN": "、"}


def _shown(value: object, lang: str, catalogue: Catalogue) -> str:
    """A parameter as the text shows it in ``lang``."""
    if isinstance(value, Message):
        return value.text(lang, catalogue)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        if lang == "zh-CN":
            return f"{value.year}年{value.month}月{value.day}日"
        return value.isoformat()
    if isinstance(value, tuple | list):
        return _JOINS.get(lang, ", ").join(_shown(v, lang, catalogue) for v in value)
    if value is None:
        return ""
    return str(value)


class _Formatter(string.Formatter):
    """``str.format`` with rulelaw's conversions and format specs.

    - ``{x}``: the parameter as the language shows it (dates, lists, messages);
    - ``{x!r}``: quoted: ``'x'`` in English (as ``repr`` quotes a text),
      “x” in Chinese; a tuple's items each quoted (``'a', 'b'``, “a”、“b”);
    - ``{n:s}``: an English plural ending: ``""`` for 1, else ``"s"``;
    - ``{x:+}``: a number with its sign always shown.
    """

    def __init__(self, lang: str, catalogue: Catalogue) -> None:
        super().__init__()
        self.lang = lang
        self.catalogue = catalogue

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str):
            return kwargs[key]
        return args[key]

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "r":
            if isinstance(value, tuple | list):  # each item quoted: 'a', 'b' / “a”、“b”
                joined = _JOINS.get(self.lang, ", ")
                return joined.join(self.convert_field(v, "r") for v in value)
            if self.lang == "zh-CN":
                return f"“{_shown(value, self.lang, self.catalogue)}”"
            return (
                repr(value) if isinstance(value, str) else repr(_shown(value, "en", self.catalogue))
            )
        return value

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "s":
            return "" if value == 1 else "s"
        if format_spec == "+":
            text = _shown(value, self.lang, self.catalogue)
            return text if text.startswith("-") else "+" + text
        if format_spec:
            return format(value, format_spec)
        return _shown(value, self.lang, self.catalogue)
