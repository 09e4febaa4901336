"""The catalogue: each message code's template in every language.

rulelaw's own templates are TOML files beside this module, one per part of
the library (``rules.toml``, ``engine.toml``, ``errors.toml``, ``report.toml``
…), each code a table with a template per language::

    ["rate.met"]
    en = "{observed} {comparison} target {target}%"
    "zh-CN" = "{observed}，{comparison}目标值{target}%"

Why TOML and ``str.format`` rather than gettext: rulelaw's keys are stable
codes with named parameters, not English sentences (gettext's ``msgid``);
both languages of a code sit side by side for review; the files are read
with the standard library, and a test checks that every code has every
language and that the languages use the same parameters.
"""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Iterator, Mapping
from importlib.resources import files

from rulelaw.messages._language import LANGUAGES

__all__ = ["Catalogue", "builtin_catalogue"]


class Catalogue(Mapping[str, Mapping[str, str]]):
    """Templates by code, then by language; immutable once made.

    >>> Catalogue({"demo.hello": {"en": "hello {name}", "zh-CN": "你好，{name}"}}).template(
    ...     "demo.hello", "zh-CN")
    '你好，{name}'
    """

    def __init__(self, templates: Mapping[str, Mapping[str, str]]) -> None:
        self._templates = {code: dict(by_lang) for code, by_lang in templates.items()}

    def __getitem__(self, code: str) -> Mapping[str, str]:
        return self._templates[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._templates)

    def __len__(self) -> int:
        return len(self._templates)

    def template(self, code: str, lang: str) -> str | None:
        """The template of ``code`` in ``lang`` (English where it has none), or ``None``."""
        by_lang = self._templates.get(code)
        if by_lang is None:
            return None
        return by_lang.get(lang) or by_lang.get(LANGUAGES[0])

    def merged(self, other: Mapping[str, Mapping[str, str]]) -> Catalogue:
        """A catalogue with ``other``'s codes too; a code in both is refused (``ValueError``)."""
        twice = sorted(set(self._templates) & set(other))
        if twice:
            raise ValueError(f"message codes defined twice: {', '.join(twice)}")
        return Catalogue({**self._templates, **{c: dict(t) for c, t in other.items()}})

    def problems(self) -> list[str]:
        """What is wrong with the catalogue: a language missing, or using other parameters."""
        found = []
        for code, by_lang in sorted(self._templates.items()):
            names: dict[str, set[str]] = {}
            for lang in LANGUAGES:
                template = by_lang.get(lang)
                if not template:
                    found.append(f"{code}: no {lang} template")
                    continue
                try:
                    names[lang] = placeholders(template)
                except ValueError as exc:
                    found.append(f"{code}: the {lang} template does not parse ({exc})")
            if len({frozenset(n) for n in names.values()}) > 1:
                shown = "; ".join(f"{lang}: {sorted(n)}" for lang, n in names.items())
                found.append(f"{code}: the languages use different parameters ({shown})")
        return found


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@functools.cache
def builtin_catalogue() -> Catalogue:
    """Rulelaw's own catalogue: every TOML file of ``rulelaw/messages/catalogue`` (read once)."""
    templates: dict[str, dict[str, str]] = {}
    folder = files("rulelaw.messages").joinpath("catalogue")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for code, by_lang in data.items():
            if code in templates:
                raise ValueError(f"message code {code!r} defined twice (again in {entry.name})")
            templates[code] = {lang: text for lang, text in by_lang.items() if lang in LANGUAGES}
    return Catalogue(templates)
