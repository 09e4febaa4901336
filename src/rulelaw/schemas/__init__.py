"""JSON Schemas published with rulelaw: the scheme file and the evaluation output.

``scheme.schema.json`` describes ``scheme.toml`` (as JSON data: TOML dates
become ``YYYY-MM-DD`` strings); ``evaluation.schema.json`` describes the
document of :meth:`rulelaw.Evaluation.to_json`; ``comparison.schema.json`` that of
:meth:`rulelaw.analysis.Comparison.to_json`.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

__all__ = ["comparison_schema", "evaluation_schema", "scheme_schema"]


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files(__name__).joinpath(name).read_text(encoding="utf-8"))
    return data


def scheme_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scheme file, as a dict.

    Example::

        import jsonschema, rulelaw.schemas
        jsonschema.validate(data, rulelaw.schemas.scheme_schema())
    """
    return _load("scheme.schema.json")


def evaluation_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an evaluation's JSON document, as a dict."""
    return _load("evaluation.schema.json")


def comparison_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a comparison's JSON document, as a dict."""
    return _load("comparison.schema.json")
