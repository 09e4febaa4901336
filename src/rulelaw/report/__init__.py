"""Renderings of an evaluation: text tables, explanations, CSV, Markdown, HTML and JSON."""

from rulelaw.report.json import to_json
from rulelaw.report.text import explain_unit, ranking_csv, ranking_table

__all__ = ["explain_unit", "ranking_csv", "ranking_table", "to_json"]
