"""Exact decimal arithmetic that does not depend on the thread's decimal context.

Python's ``Decimal`` operators round to the *current* context (28 digits
unless the host program changed it), so ``a + b`` may be inexact, or differ
from one host to another. rulelaw's points are exact at any number of
digits: arithmetic on them goes through :data:`EXACT`, a context of its own
that is passed explicitly (no context is set, the host's is left alone).

Numbers read from files are bounded instead (:func:`check_size`): at most
:data:`MAX_EXPONENT` digits before or after the decimal point, so that no
input can make the exact arithmetic build integers of millions of digits.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal

__all__ = [
    "EXACT",
    "MAX_EXPONENT",
    "check_size",
    "count_of",
    "decimal_text",
    "exact_sum",
    "scaled",
]

#: A context in which adding, subtracting and rescaling decimals is exact.
EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=decimal.ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

#: Numbers in inputs have at most this many digits before, and this many after, the point.
MAX_EXPONENT = 1000

_ZERO = Decimal(0)


def check_size(value: Decimal) -> str | None:
    """Why a finite decimal is out of the range inputs may use, or ``None`` when it is in range."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if value and value.adjusted() >= MAX_EXPONENT:
        return f"more than {MAX_EXPONENT:,} digits before the decimal point"
    if exponent < -MAX_EXPONENT:
        return f"more than {MAX_EXPONENT:,} digits after the decimal point"
    return None


def scaled(count: int, places: int) -> Decimal:
    """``count × 10**-places``, with exactly ``places`` places: ``scaled(5, 2)`` is 0.05."""
    return Decimal(count).scaleb(-places, context=EXACT)


def count_of(value: Decimal, places: int) -> int:
    """How many ``10**-places`` a decimal of at most ``places`` places is: 0.05 is 5 of 0.01."""
    return int(value.scaleb(places, context=EXACT))


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of decimals, however many digits they have."""
    total = _ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


def decimal_text(value: Decimal) -> str:
    """A decimal in plain notation, as shown to people: ``0.0000000``, never ``0E-7``."""
    return format(value, "f")
