"""The report layer's words: its own texts in a language, and a result's texts shown in one.

Every heading, column and label of a rendering is a code of
``messages/catalogue/report.toml`` (``report.…``, and ``sheet.…`` for the
leader's sheet), rendered by :func:`say`; a text the result holds (a
reason, a grade step) is a :class:`~rulelaw.messages.Message`, or a plain
text from a third-party kind or from the input, shown by :func:`shown`.

In English a message is shown as the text it is (a ``Message`` *is* its
English), so English renderings are exactly what they were before messages,
and cost no rendering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from rulelaw.messages import Catalogue, Message, builtin_catalogue, choose_language, params_data

__all__ = [
    "day",
    "headers",
    "joined",
    "label",
    "language",
    "message_fields",
    "message_lists",
    "say",
    "shown",
]


def language(lang: str) -> str:
    """``lang`` as one of rulelaw's languages (``zh``, ``zh_CN`` give ``zh-CN``).

    Raises ``ValueError`` for a language rulelaw does not speak.
    """
    return choose_language(lang)


def say(code: str, lang: str, catalogue: Catalogue | None = None, /, **params: object) -> str:
    """The report's own text ``code`` in ``lang``, with ``params``.

    The parameters are plain values (texts already shown in ``lang``,
    numbers, dates), so English never renders a message twice.
    """
    message = Message(code, tuple(params.items()))
    return str(message) if lang == "en" else message.text(lang, catalogue)


def headers(prefix: str, names: Iterable[str], lang: str, catalogue: Catalogue | None) -> list[str]:
    """A table's column headers: the codes ``prefix.name`` in ``lang``."""
    return [say(f"{prefix}.{name}", lang, catalogue) for name in names]


def shown(text: str | None, lang: str, catalogue: Catalogue | None = None) -> str:
    """A text of the result in ``lang``: a message rendered, a plain text as it is."""
    if text is None:
        return ""
    if lang == "en" or not isinstance(text, Message):
        return str(text)
    return text.text(lang, catalogue)


def label(kind: str, value: str, lang: str, catalogue: Catalogue | None = None) -> str:
    """An id the renderings name in words: as it is in English, else by ``report.{kind}.{value}``.

    ``label("form", "on-site", "zh-CN")`` gives 现场述法; an id the
    catalogue has no name for is shown as it is.
    """
    if lang == "en":
        return value
    code = f"report.{kind}.{value}"
    if code not in (builtin_catalogue() if catalogue is None else catalogue):
        return value
    return say(code, lang, catalogue)


def joined(items: Iterable[str], lang: str, *, en: str = ", ") -> str:
    """Items of a list in one cell: ``en`` between them in English, ``、`` in Chinese."""
    return ("、" if lang == "zh-CN" else en).join(items)


def day(value: dt.date, lang: str) -> str:
    """A date as the messages show one: ``2025-03-01``, ``2025年3月1日``."""
    if lang == "zh-CN":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


def message_fields(
    name: str, value: str | None, lang: str, catalogue: Catalogue | None = None
) -> dict[str, Any]:
    """A text field of the JSON document with its code and parameters beside it.

    ``{name: text, name_code: code, name_params: {…}}``; a plain text (or
    ``None``) has ``null`` code and parameters.
    """
    if isinstance(value, Message):
        return {
            name: shown(value, lang, catalogue),
            f"{name}_code": value.code,
            f"{name}_params": params_data(value),
        }
    return {name: value, f"{name}_code": None, f"{name}_params": None}


def message_lists(
    name: str, values: Iterable[str], lang: str, catalogue: Catalogue | None = None
) -> dict[str, Any]:
    """A list of texts in the JSON document with the list of their codes and of their parameters.

    ``{name: [text…], name_codes: [code…], name_params: [{…}…]}``, the lists
    of one length; a plain text has ``null`` code and parameters.
    """
    values = tuple(values)
    return {
        name: [shown(v, lang, catalogue) for v in values],
        f"{name}_codes": [v.code if isinstance(v, Message) else None for v in values],
        f"{name}_params": [params_data(v) if isinstance(v, Message) else None for v in values],
    }
