"""Numbers: exact decimal arithmetic, the one rounding, and decimals as text.

**Exact arithmetic.** Python's ``Decimal`` operators round to the *current*
context (28 digits unless the host program changed it), so ``a + b`` may be
inexact, or differ from one host to another. rulelaw's points are exact at
any number of digits: arithmetic on them goes through :data:`EXACT`, a
context of its own that is passed explicitly (no context is set; the host's
is left alone). Numbers read from files are bounded instead
(:func:`check_size`): at most :data:`MAX_EXPONENT` digits before or after
the decimal point, so that no input can make the exact arithmetic build
integers of millions of digits.

**Rounding** is written once, in :func:`round_quotient`: a quotient of
non-negative integers rounded to a number of places, for Python integers
and for numpy arrays of them alike (the array path of the engine rounds a
whole category at once with the same function). :func:`round_fraction`
(a signed :class:`~fractions.Fraction` to a :class:`~decimal.Decimal`) and
:func:`fmt` (numbers in reasons) are built on it.

**Text.** :func:`decimal_text` shows a decimal in plain notation, never as
``0E-7``.
"""

from __future__ import annotations

import decimal
import enum
import functools
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any, overload

from rulelaw.messages import Message

__all__ = [
    "EXACT",
    "MAX_EXPONENT",
    "RoundingMode",
    "as_fraction",
    "check_size",
    "count_of",
    "decimal_text",
    "exact_sum",
    "fmt",
    "round_fraction",
    "round_quotient",
    "scaled",
    "signed_text",
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


class RoundingMode(enum.Enum):
    """How a score is rounded to the declared number of places."""

    HALF_UP = "half-up"
    HALF_EVEN = "half-even"
    HALF_DOWN = "half-down"
    UP = "up"
    DOWN = "down"
    CEILING = "ceiling"
    FLOOR = "floor"

    @property
    def decimal_mode(self) -> str:
        """The matching :mod:`decimal` rounding constant."""
        return _DECIMAL_MODES[self]


_DECIMAL_MODES = {
    RoundingMode.HALF_UP: decimal.ROUND_HALF_UP,
    RoundingMode.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    RoundingMode.HALF_DOWN: decimal.ROUND_HALF_DOWN,
    RoundingMode.UP: decimal.ROUND_UP,
    RoundingMode.DOWN: decimal.ROUND_DOWN,
    RoundingMode.CEILING: decimal.ROUND_CEILING,
    RoundingMode.FLOOR: decimal.ROUND_FLOOR,
}


def check_size(value: Decimal) -> Message | None:
    """Why a finite decimal is out of the range inputs may use, or ``None`` when it is in range.

    The reason is a message: ``number.digits-before`` or ``number.digits-after``
    (``more than 1,000 digits before the decimal point``).
    """
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if value and value.adjusted() >= MAX_EXPONENT:
        return Message.of("number.digits-before", limit=MAX_EXPONENT)
    if exponent < -MAX_EXPONENT:
        return Message.of("number.digits-after", limit=MAX_EXPONENT)
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


@overload
def decimal_text(value: Decimal) -> str: ...


@overload
def decimal_text(value: None) -> None: ...


def decimal_text(value: Decimal | None) -> str | None:
    """A decimal in plain notation, as shown to people: ``0.0000000``, never ``0E-7``.

    ``None`` (no value) stays ``None``.
    """
    return None if value is None else format(value, "f")


def signed_text(value: Decimal) -> str:
    """A decimal with its sign always shown, in plain notation: ``+2.00``, ``-1.50``."""
    text = decimal_text(value)
    return text if text.startswith("-") else "+" + text


def as_fraction(value: Fraction | Decimal | int) -> Fraction:
    """Exact conversion of a number to a Fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        return _decimal_fraction(value)
    return Fraction(value)


@functools.lru_cache(maxsize=4096)
def _decimal_fraction(value: Decimal) -> Fraction:
    """A Decimal as a Fraction (remembered: a rule converts its parameters on every score)."""
    return Fraction(value)


def round_quotient(
    num: Any, den: Any, places: int, mode: RoundingMode, *, negative: bool = False
) -> Any:
    """``num / den`` rounded to ``places``, as a whole count of ``10**-places``.

    ``num >= 0`` and ``den > 0`` are Python integers, or numpy arrays of them
    (int64, or object arrays of Python integers where int64 does not hold:
    numpy has no ``divmod`` for those); the result is of the same kind.
    ``negative`` says the quotient stands for ``-num / den`` (a magnitude),
    which decides ``ceiling`` and ``floor``; the count returned is the
    magnitude. This is the only place rounding is decided.
    """
    top = num * 10**places
    whole = top // den
    rest = top - whole * den
    if mode is RoundingMode.CEILING:
        mode = RoundingMode.DOWN if negative else RoundingMode.UP
    elif mode is RoundingMode.FLOOR:
        mode = RoundingMode.UP if negative else RoundingMode.DOWN
    if mode is RoundingMode.DOWN:
        return whole
    if mode is RoundingMode.UP:
        return whole + (rest > 0)
    twice = rest * 2
    if mode is RoundingMode.HALF_UP:  # twice the rest >= den > 0 means the rest is not 0
        return whole + (twice >= den)
    if mode is RoundingMode.HALF_DOWN:
        return whole + (twice > den)
    return whole + ((twice > den) | ((twice == den) & (whole % 2 == 1)))  # HALF_EVEN


def round_fraction(value: Fraction, places: int, mode: RoundingMode) -> Decimal:
    """``value`` rounded to ``places`` decimals by ``mode``, computed exactly with integers."""
    negative = value.numerator < 0
    whole = round_quotient(abs(value.numerator), value.denominator, places, mode, negative=negative)
    digits = Decimal(whole).as_tuple().digits  # exact at any length (str() of an int is not)
    return Decimal((1 if negative and whole else 0, digits, -places))


def fmt(value: Fraction | Decimal | int, places: int = 2) -> str:
    """A number for reasons: exact when short, else rounded half-up (away from zero) to ``places``.

    ``1/4`` → ``0.25``, ``2/3`` → ``0.67``, ``-1/8`` → ``-0.13``, ``-1/1000`` → ``-0.00``
    (the sign is kept when the rounding shows none of the value).
    """
    if places < 0:
        raise ValueError(f"places must be 0 or more, got {places}")
    frac = as_fraction(value)
    numerator, denominator = frac.numerator, frac.denominator
    if denominator == 1:
        return decimal_text(Decimal(numerator))
    sign = "-" if numerator < 0 else ""
    magnitude = abs(numerator)
    scale = 10**places
    if magnitude * scale % denominator == 0:  # exact in ``places`` digits or fewer: the shortest
        units, part = divmod(magnitude * scale // denominator, scale)
        return f"{sign}{units}.{str(part).rjust(places, '0').rstrip('0')}"
    whole = round_quotient(magnitude, denominator, places, RoundingMode.HALF_UP)
    if places == 0:
        return f"{sign}{whole}"
    units, part = divmod(whole, scale)
    return f"{sign}{units}.{str(part).rjust(places, '0')}"
