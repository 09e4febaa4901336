"""Shared validators and converters for the frozen domain values.

Every model class is ``@attrs.frozen(kw_only=True)``; values are checked when
they are built, and again by ``attrs.evolve``. Checks raise
:class:`~rulelaw.errors.SchemeError` for scheme values and
:class:`~rulelaw.errors.DataError` for roster and evidence values, with
``where`` naming the field, so the loader can add the file and row.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import pendulum

from rulelaw.errors import DataError, InputError, SchemeError
from rulelaw.messages import Message
from rulelaw.model._numbers import MAX_EXPONENT, check_size

__all__ = [
    "check_id",
    "frozen_map",
    "id_validator",
    "iso_date",
    "not_negative",
    "one_of",
    "optional_decimal",
    "percent",
    "positive",
    "quoted",
    "to_date",
    "to_decimal",
    "to_optional_date",
]


def quoted(items: Iterable[object], limit: int = 10) -> Message:
    """Items quoted for a message, the first ``limit`` only: ``'a', 'b', … (25 in all)``.

    A scheme of 100,000 indicators then gives a message of one line. The
    result is a message (``text.ids``, or ``text.ids-more`` with the count
    ``n``), whose ``ids`` are the items shown; it is empty (false) for no items.

    >>> quoted(["a", "b"]).text("zh-CN")
    '“a”、“b”'
    """
    shown = tuple(str(item) for item in items)
    if len(shown) <= limit:
        return Message.of("text.ids", ids=shown)
    return Message.of("text.ids-more", ids=shown[:limit], n=len(shown))


def one_of(items: Iterable[object], limit: int = 10) -> Message:
    """What is expected of a choice: ``one of 'a', 'b'`` (see :func:`quoted`)."""
    return Message.of("text.one-of", ids=quoted(items, limit))


def _error_class(instance: object) -> type[InputError]:
    return SchemeError if getattr(type(instance), "_scheme_value", False) else DataError


def check_id(value: object, *, what: str = "id") -> str:
    """Return ``value`` if it is a usable id, else raise :class:`DataError`.

    An id is a non-empty string with no leading or trailing whitespace and
    only printable characters (no tabs, newlines or other controls); Chinese
    text is fine.
    """
    if not isinstance(value, str) or not value or value != value.strip() or not value.isprintable():
        raise DataError(
            Message.of("id.invalid", field=what),
            expected=Message.of("id.expected"),
            got=value,
        )
    return value


def id_validator(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: ``value`` is a usable id (see :func:`check_id`)."""
    try:
        check_id(value, what=attribute.name)
    except DataError as exc:
        raise _error_class(instance)(
            exc.problem, key_path=attribute.name, expected=exc.expected, got=exc.got
        ) from None


def optional_id_validator(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: ``value`` is ``None`` or a usable id."""
    if value is not None:
        id_validator(instance, attribute, value)


def text_validator(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: ``value`` is a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise _error_class(instance)(
            Message.of("text.empty", field=attribute.name),
            key_path=attribute.name,
            expected=Message.of("text.expected-non-empty"),
            got=value,
        )


def to_decimal(value: object) -> Decimal:
    """Convert an int, a numeric string or a float (via its shortest repr) to ``Decimal``.

    Raises :class:`DataError` for anything else, including NaN and infinities,
    so that no value that is not a finite number reaches the arithmetic, and
    for a number with more than 1,000 digits before or after the decimal point
    (:data:`~rulelaw.model._numbers.MAX_EXPONENT`).
    """
    if isinstance(value, bool):
        raise _not_a_number(value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # repr() is the shortest text that reads back as the same float, i.e.
        # what the user typed; Decimal(float) would expose binary noise.
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise _not_a_number(value) from None
    else:
        raise _not_a_number(value)
    if not result.is_finite():
        raise DataError(
            Message.of("number.not-finite"), expected=Message.of("number.decimal"), got=value
        )
    too_big = check_size(result)
    if too_big is not None:
        raise DataError(
            Message.of("number.too-long", size=too_big),
            expected=Message.of("number.decimal-of-size", limit=MAX_EXPONENT),
            got=value,
        )
    return result


def _not_a_number(value: object) -> DataError:
    return DataError(
        Message.of("number.not-a-number"), expected=Message.of("number.decimal"), got=value
    )


def optional_decimal(value: object) -> Decimal | None:
    """``None`` stays ``None``; anything else goes through :func:`to_decimal`."""
    return None if value is None else to_decimal(value)


def positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: the number, if given, is above zero."""
    if value is not None and value <= 0:  # type: ignore[operator]
        raise _error_class(instance)(
            Message.of("number.not-positive", field=attribute.name),
            key_path=attribute.name,
            expected=Message.of("number.above", bound=0),
            got=value,
        )


def not_negative(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: the number, if given, is zero or more."""
    if value is not None and value < 0:  # type: ignore[operator]
        raise _error_class(instance)(
            Message.of("number.negative", field=attribute.name),
            key_path=attribute.name,
            expected=Message.of("number.at-least", bound=0),
            got=value,
        )


def percent(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: the number, if given, is a percentage from 0 to 100."""
    if value is not None and not 0 <= value <= 100:  # type: ignore[operator]
        raise _error_class(instance)(
            Message.of("number.not-a-percentage", field=attribute.name),
            key_path=attribute.name,
            expected=Message.of("number.range", low=0, high=100),
            got=value,
        )


def to_date(value: object) -> pendulum.Date:
    """Convert an ISO date string, a ``datetime.date`` or a pendulum date to ``pendulum.Date``."""
    if isinstance(value, pendulum.Date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        raise DataError(
            Message.of("date.date-time"), expected=Message.of("date.expected"), got=value
        )
    if isinstance(value, dt.date):
        return pendulum.Date(value.year, value.month, value.day)
    if isinstance(value, str):
        return _date_text(value)
    raise _not_a_date(value)


def _not_a_date(value: object) -> DataError:
    return DataError(Message.of("date.not-a-date"), expected=Message.of("date.expected"), got=value)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@functools.lru_cache(maxsize=8192)
def _date_text(value: str) -> pendulum.Date:
    """A ``YYYY-MM-DD`` text as a date (remembered: evidence repeats the same days).

    Only that form: ISO 8601's others (``2024-W10-1``, ``20240304``) are refused.
    """
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        parsed = dt.date.fromisoformat(text)
    except ValueError:
        raise _not_a_date(value) from None
    return pendulum.Date(parsed.year, parsed.month, parsed.day)


@functools.lru_cache(maxsize=8192)
def iso_date(value: dt.date) -> str:
    """A date as ``YYYY-MM-DD`` (remembered: evidence and reasons repeat the same days)."""
    return value.isoformat()


def to_optional_date(value: object) -> pendulum.Date | None:
    """Like :func:`to_date`, but ``None`` and the empty string stay ``None``."""
    if value is None or value == "":
        return None
    return to_date(value)


class FrozenMap(Mapping[str, Any]):
    """An immutable, hashable mapping with its keys in sorted (or the given) order.

    Equal to any mapping with the same items; hashable when its values are.
    """

    __slots__ = ("_hash", "_items")

    def __init__(self, items: Mapping[str, Any], *, keep_order: bool = False) -> None:
        # a plain dict, never handed out: this class has no way to change it
        self._items: dict[str, Any] = dict(items) if keep_order else dict(sorted(items.items()))
        self._hash: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(self._items.items()))
        return self._hash

    def __repr__(self) -> str:
        # Shown as the dict it reads like; it is still immutable.
        return repr(dict(self._items))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_frozen_in_order, (dict(self._items),))  # the items, in their order


def _frozen_in_order(items: dict[str, Any]) -> FrozenMap:
    return FrozenMap(items, keep_order=True)


_EMPTY = FrozenMap({})


def frozen_map(value: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> Mapping[str, Any]:
    """Return an immutable, hashable mapping with the items of ``value``, keys sorted."""
    items = dict(value.items() if isinstance(value, Mapping) else value)
    return FrozenMap(items) if items else _EMPTY  # one empty map shared by all (most units)


def deep_freeze(value: Any) -> Any:
    """Mappings to :class:`FrozenMap` and lists to tuples, all the way down."""
    if isinstance(value, Mapping):
        return FrozenMap({str(k): deep_freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(deep_freeze(v) for v in value)
    return value


def unique_ids(items: Iterable[Any], attribute: str = "id") -> list[tuple[int, str]]:
    """Return ``(index, id)`` of every item whose id was already seen earlier."""
    seen: set[str] = set()
    duplicates = []
    for index, item in enumerate(items):
        key = getattr(item, attribute)
        if key in seen:
            duplicates.append((index, key))
        seen.add(key)
    return duplicates
