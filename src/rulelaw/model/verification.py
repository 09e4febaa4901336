"""Verification cases a scheme carries: small units with their evidence and the expected result.

As PMML's ``ModelVerification``: a scheme says, for a few invented units,
what its rules must give them — points of indicators or dimensions, totals,
grades, an indicator's reason — so that a change to the scheme that breaks
one is caught (``rulelaw verify``, :func:`rulelaw.verify`).

In ``scheme.toml``::

    [[verification]]
    id = "all-met"
    category = "county"
    [verification.evidence]
    "1.1" = { numerator = 50, denominator = 50 }
    "2.2" = { value = "yes" }
    [verification.expect]
    total = 100
    grade = "excellent"
    points = { "1.1" = 20 }

The evidence cells are those of ``evidence.csv`` (``value``, ``numerator``,
``denominator``, ``status``, ``reason``, ``dates``, ``amount``); an
indicator a case gives no evidence for has none (as a missing row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

import attrs

from rulelaw.errors import SchemeError, key_part
from rulelaw.messages import Message
from rulelaw.model._base import frozen_map, id_validator, optional_decimal
from rulelaw.model.units import Level, _level

__all__ = ["Expectation", "VerificationCase", "cell_text", "evidence_cells"]

#: The evidence cells a case may give an indicator (those of evidence.csv).
CELLS = frozenset(
    {"status", "value", "numerator", "denominator", "reason", "dates", "amount", "source"}
)


def cell_text(value: object) -> str:
    """A TOML value as the text a CSV cell would hold (a list joined with ``;``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(cell_text(v) for v in value)
    return str(value)


def evidence_cells(value: object) -> Mapping[str, Mapping[str, str]]:
    """A case's evidence table as the cells of evidence rows, indicator by indicator.

    Empty cells are left out, as in a row of ``evidence.csv``.
    """
    if not isinstance(value, Mapping):
        raise SchemeError(
            Message.of("scheme.verification-evidence-not-table"),
            expected='indicator = { value = "…" }',
            got=value,
        )
    found = {}
    for indicator, cells in value.items():
        if not isinstance(cells, Mapping):
            raise SchemeError(
                Message.of("scheme.verification-cells-not-table"),
                key_path=f"evidence.{key_part(indicator)}",
                expected='{ value = "…" } or { numerator = …, denominator = … }',
                got=cells,
            )
        unknown = sorted(set(cells) - CELLS)
        if unknown:
            raise SchemeError(
                Message.of("scheme.verification-unknown-cell", cell=unknown[0]),
                key_path=f"evidence.{key_part(indicator)}.{key_part(unknown[0])}",
                expected=Message.of("scheme.expected-evidence-cells", cells=tuple(sorted(CELLS))),
            )
        texts = {str(k): cell_text(v).strip() for k, v in cells.items()}
        found[str(indicator)] = frozen_map({k: v for k, v in texts.items() if v})
    return frozen_map(found)


def _attributes(value: Mapping[str, object]) -> Mapping[str, str]:
    return frozen_map({str(k): cell_text(v) for k, v in value.items()})


def _decimals(value: object) -> Mapping[str, Decimal]:
    if not isinstance(value, Mapping):
        raise SchemeError(
            Message.of("scheme.verification-not-table", what="points"),
            expected='node = points, e.g. "1.1" = 20',
        )
    return frozen_map({str(k): optional_decimal(v) for k, v in value.items()})


def _texts(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise SchemeError(
            Message.of("scheme.verification-not-table", what="reasons"),
            expected='indicator = "the reason"',
        )
    return frozen_map({str(k): str(v) for k, v in value.items()})


@attrs.frozen(kw_only=True)
class Expectation:
    """What a verification case must come to; what is left out is not checked."""

    _scheme_value: ClassVar[bool] = True

    total: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    grade: str | None = None
    rank: int | None = None
    points: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_decimals)
    reasons: Mapping[str, str] = attrs.field(factory=dict, converter=_texts)


@attrs.frozen(kw_only=True)
class VerificationCase:
    """An invented unit with its evidence, and what the scheme must give it."""

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    category: str = attrs.field(validator=id_validator)
    name: str = ""
    level: Level = attrs.field(default=Level.COUNTY, converter=_level)
    description: str = ""
    evidence: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict, converter=evidence_cells)
    attributes: Mapping[str, str] = attrs.field(factory=dict, converter=_attributes)
    expect: Expectation = attrs.field(factory=Expectation)

    def unit_name(self) -> str:
        """The case's unit name (its id, when the case gives none)."""
        return self.name or self.id
