"""The report layer's renderings given to :class:`~rulelaw.Evaluation`'s methods."""

from __future__ import annotations

import os
from pathlib import Path

from rulelaw.engine import Evaluation, register_renderer
from rulelaw.files import stream_atomically
from rulelaw.report import json as _json
from rulelaw.report.frames import evaluation_frames
from rulelaw.report.json import to_json
from rulelaw.report.people import people_csv, people_table, sheet
from rulelaw.report.text import explain_unit, ranking_csv, ranking_table

__all__ = ["register"]


def _write_json(
    result: Evaluation,
    path: str | os.PathLike[str],
    *,
    reference: bool = False,
    lang: str = "en",
) -> None:
    stream_atomically(
        Path(path),
        lambda stream: _json.write_json(result, stream, reference=reference, lang=lang),
    )


def _markdown(result: Evaluation, *, lang: str = "en", tag: str | None = None) -> str:
    return ranking_table(result, tablefmt="github", lang=lang, tag=tag)


def _html(result: Evaluation, *, lang: str = "en") -> str:
    return ranking_table(result, tablefmt="html", lang=lang)


def register() -> None:
    """Register every rendering with :class:`~rulelaw.Evaluation` (``import rulelaw`` does this)."""
    register_renderer("table", ranking_table)
    register_renderer("explain", explain_unit)
    register_renderer("to_json", to_json)
    register_renderer("write_json", _write_json)
    register_renderer("to_csv", ranking_csv)
    register_renderer("to_markdown", _markdown)
    register_renderer("html_table", _html)
    register_renderer("people_table", people_table)
    register_renderer("people_csv", people_csv)
    register_renderer("sheet", sheet)
    register_renderer("frames", evaluation_frames)
