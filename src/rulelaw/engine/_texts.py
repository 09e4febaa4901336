"""Small helpers for the engine's messages (templates in ``messages/catalogue/engine.toml``).

The engine's texts are :class:`~rulelaw.messages.Message` values: English as
the text, a code and parameters. Two things recur: a number shown in a
reason with :func:`~rulelaw.model.fmt` (its parameter is the decimal the
text shows), and parts joined by "; " (a nested message per join, so that
each language joins with its own punctuation).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from rulelaw.messages import Message, Text
from rulelaw.model import fmt

__all__ = ["joined", "shown"]


def shown(value: Fraction | Decimal | int) -> Decimal:
    """The number as a reason shows it (:func:`~rulelaw.model.fmt`), as a decimal parameter."""
    return Decimal(fmt(value))


def joined(code: str, parts: Sequence[Text]) -> Text:
    """``parts`` joined by a two-part ``code`` (``{first}; {rest}``): one text ("" for none).

    The joins nest as a balanced tree, so that many parts (a deduction's
    events) never nest deeper than a few levels.
    """
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    return Message.of(code, first=joined(code, parts[:middle]), rest=joined(code, parts[middle:]))
