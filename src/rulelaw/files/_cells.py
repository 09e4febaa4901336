"""An observation from the cells of one evidence row, as the row-by-row reader reads it."""

from __future__ import annotations

from collections.abc import Mapping

import cattrs

from rulelaw.convert import shared_converter
from rulelaw.files._records import _observation
from rulelaw.model import Observation, Scheme

__all__ = ["read_observation"]


def read_observation(
    cells: Mapping[str, str], scheme: Scheme, *, converter: cattrs.Converter | None = None
) -> Observation:
    """The observation a row of ``evidence.csv`` with these cells gives under ``scheme``.

    ``cells`` maps the file's columns (``unit``, ``indicator``, ``value``,
    ``numerator``, ``denominator``, ``status``, ``reason``, ``dates``,
    ``amount``, ``source``, ``date``) to their texts; empty cells may be left
    out. Raises :class:`~rulelaw.errors.InputError` for cells that do not
    read, with ``where`` the column (``$.numerator``).
    """
    record = {k: v.strip() for k, v in cells.items() if v.strip()}
    return _observation(record, scheme, converter or shared_converter())
