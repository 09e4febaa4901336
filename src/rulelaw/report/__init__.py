"""Renderings of an evaluation: text tables, explanations, CSV, Markdown, HTML, JSON, frames.

:func:`register` gives each rendering to the engine's :class:`~rulelaw.Evaluation`
(``result.table()``, ``result.to_json()`` …) so that the engine, a layer
below, never imports this one; ``import rulelaw`` calls it.
"""

from rulelaw.report._register import register
from rulelaw.report.frames import evaluation_frames
from rulelaw.report.json import to_json
from rulelaw.report.text import explain_unit, ranking_csv, ranking_table

__all__ = [
    "evaluation_frames",
    "explain_unit",
    "ranking_csv",
    "ranking_table",
    "register",
    "to_json",
]
