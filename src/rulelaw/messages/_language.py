"""Which language to speak: asked for, else ``RULELAW_LANG``, else the system's locale."""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["LANGUAGES", "choose_language", "normalise"]

#: The languages rulelaw's catalogue speaks, the first the default.
LANGUAGES = ("en", "zh-CN")


def normalise(name: str) -> str | None:
    """A language tag as one of :data:`LANGUAGES`, or ``None``.

    ``zh``, ``zh_CN.UTF-8``, ``zh-Hans``, ``zh-CN`` give ``zh-CN``; ``en``,
    ``en_US``, ``C``, ``POSIX`` give ``en``.
    """
    tag = name.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-").lower()
    if not tag:
        return None
    if tag in ("c", "posix") or tag == "en" or tag.startswith("en-"):
        return "en"
    if tag == "zh" or tag.startswith(("zh-cn", "zh-hans", "zh-sg")):
        return "zh-CN"
    return None


def choose_language(lang: str | None = None, *, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: ``lang`` if given, else ``RULELAW_LANG``, else the locale.

    The locale is read from the environment (``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``), as the C library would, without setting anything; a
    language rulelaw does not speak falls back to English. ``lang`` that
    names no language rulelaw speaks is a :class:`ValueError`.

    The command line starts from here; the Python API does not read the
    environment: its default is English unless ``lang=`` is given.
    """
    if lang is not None:
        found = normalise(lang)
        if found is None:
            raise ValueError(f"unknown language {lang!r} (expected one of {', '.join(LANGUAGES)})")
        return found
    env = os.environ if environ is None else environ
    for variable in ("RULELAW_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable)
        if value:
            return normalise(value) or LANGUAGES[0]
    return LANGUAGES[0]
