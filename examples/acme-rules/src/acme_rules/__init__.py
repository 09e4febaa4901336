"""acme-rules: an example third-party rule kind package for rulelaw.

It publishes one kind, ``acme.survey-band``, through the entry-point group
``rulelaw.rule_kinds`` (see ``pyproject.toml``). rulelaw loads it only when
asked::

    registry = rulelaw.default_registry()
    registry.load_entry_points()          # ['acme.survey-band']
    a = rulelaw.load("my-folder", registry=registry)
    result = rulelaw.evaluate(a, registry=registry)
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from rulelaw import EvaluationError, Measure, Outcome, RuleBase, RuleContext, SchemeError, Value
from rulelaw.model import ObservedValue

__all__ = ["SurveyBand"]
__version__ = "0.1.0"


def _number(value: object) -> Decimal:
    """A parameter as a Decimal (a scheme gives ints, decimals or numeric texts)."""
    if isinstance(value, bool):
        raise SchemeError("not a number", expected="a number from 0 to 100", got=value)
    if isinstance(value, float):
        value = repr(value)  # what was written, not the float's binary expansion
    if isinstance(value, int | str | Decimal):
        try:
            number = Decimal(value)
        except InvalidOperation:
            pass
        else:
            if number.is_finite():
                return number
    raise SchemeError("not a number", expected="a number from 0 to 100", got=value)


def _survey_scale(instance: Any, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not Decimal(0) <= value <= Decimal(100):
        raise SchemeError(
            f"{attribute.name} must lie on the survey's scale",
            where=attribute.name,
            expected="0 to 100",
            got=value,
        )


@attrs.frozen(kw_only=True)
class SurveyBand(RuleBase):
    """A satisfaction survey value out of 100: full points at ``good``, half at ``fair``.

    Parameters: ``good`` and ``fair`` (survey values, 0 ≤ fair < good ≤ 100)
    and ``max`` (the rule's full points, default 100). A value of at least
    ``good`` scores ``max``; at least ``fair``, half of ``max``; below, zero.
    A value outside 0 … 100 cannot be scored (an ``EvaluationError``).

    Example: good 90, fair 75, max 100; 群众满意度 93.5 → 100, 80 → 50, 60 → 0.
    """

    name: ClassVar[str] = "acme.survey-band"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.VALUE})

    good: Decimal = attrs.field(converter=_number, validator=_survey_scale)
    fair: Decimal = attrs.field(converter=_number, validator=_survey_scale)

    def __attrs_post_init__(self) -> None:
        if self.fair >= self.good:
            raise SchemeError(
                "fair must lie below good",
                where="fair",
                expected=f"less than good ({self.good})",
                got=self.fair,
            )

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, half or zero by the band the survey value falls in."""
        if not isinstance(value, Value):
            raise TypeError(f"acme.survey-band scores values, not {value!r}")
        seen = value.value
        if not Decimal(0) <= seen <= Decimal(100):
            raise EvaluationError(
                f"unit {context.unit.id!r}, indicator {context.indicator.id!r}: survey value "
                f"{seen} outside 0 … 100"
            )
        if seen >= self.good:
            return self.full(f"survey {seen} ≥ good {self.good}", band="good")
        if seen >= self.fair:
            half = Fraction(self.max) / 2
            shown = Decimal(half.numerator) / Decimal(half.denominator)
            return Outcome.scored(
                half, f"survey {seen} ≥ fair {self.fair}: half → {shown} of {self.max}", band="fair"
            )
        return Outcome.scored(0, f"survey {seen} below fair {self.fair}", band="poor")
