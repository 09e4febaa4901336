"""Reading and writing a scheme as TOML (``scheme.toml``)."""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import cattrs
import tomli_w

from rulelaw.errors import EncodingError, SchemeError, ValidationError
from rulelaw.files._converter import make_converter, shared_converter, structure
from rulelaw.files._text import read_text
from rulelaw.files._write import write_atomically
from rulelaw.model import Scheme

__all__ = ["dump_scheme", "load_scheme", "scheme_from_text", "scheme_to_text"]


def scheme_from_text(
    text: str, *, file: str | None = None, converter: cattrs.Converter | None = None
) -> Scheme:
    """Build a :class:`Scheme` from TOML text.

    Raises :class:`~rulelaw.errors.ValidationError` listing every problem,
    each a :class:`~rulelaw.errors.SchemeError` naming ``file`` and a key
    path such as ``$.indicators[2].rule``.
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        place = _toml_place(message)
        reason = message[: message.rindex("(at ")].strip() if place else message
        raise ValidationError(
            [SchemeError(f"not valid TOML: {reason}", file=file, where=place)], source=file
        ) from None
    try:
        return structure(converter or shared_converter(), data, Scheme)
    except ValidationError as exc:
        raise ValidationError(
            [e.located(file=file, as_type=SchemeError) for e in exc.errors],
            source=file,
            partial=exc.partial if exc.partial is not None else _salvage(data),
        ) from None


def _salvage(data: Any) -> Scheme | None:
    """The scheme without its unknown keys, if that builds — to check the other files against.

    Only for diagnostics: the problems already found are what is reported.
    """
    try:
        return structure(make_converter(forbid_extra_keys=False), data, Scheme)
    except ValidationError as exc:
        return exc.partial if isinstance(exc.partial, Scheme) else None


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
    except EncodingError as exc:
        raise ValidationError([exc], source=path.name) from None
    return scheme_from_text(text, file=path.name, converter=converter)


def _for_toml(value: Any) -> Any:
    """Leave out unset values (None, empty text, empty lists) and write whole decimals as ints."""
    if isinstance(value, dict):
        return {k: _for_toml(v) for k, v in value.items() if v is not None and v != "" and v != []}
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
