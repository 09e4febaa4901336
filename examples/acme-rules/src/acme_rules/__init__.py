"""acme-rules: an example third-party rule kind package for rulelaw.

It publishes one kind, ``acme.survey-band``, through the entry-point group
``rulelaw.rule_kinds`` (see ``pyproject.toml``). rulelaw loads it only when
asked::

    registry = rulelaw.default_registry()
    registry.load_entry_points()          # ['acme.survey-band']
    a = rulelaw.load("my-folder", registry=registry)
    result = rulelaw.evaluate(a, registry=registry)

Its reasons and errors are messages of its own namespace (``acme.…``), with
English and Chinese templates (:data:`MESSAGES`): ``reason.text("zh-CN",
result.catalogue)`` reads one in Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from rulelaw import EvaluationError, Measure, Outcome, RuleBase, RuleContext, SchemeError, Value
from rulelaw.messages import Catalogue, Message
from rulelaw.model import ObservedValue

__all__ = ["MESSAGES", "SurveyBand"]
__version__ = "0.1.0"

#: What the kind says, in every language rulelaw speaks: code → {language: template}.
MESSAGES: Mapping[str, Mapping[str, str]] = {
    "acme.survey-band.good": {
        "en": "survey {survey} ≥ good {good}",
        "zh-CN": "群众满意度{survey}，达到良好线{good}",
    },
    "acme.survey-band.fair": {
        "en": "survey {survey} ≥ fair {fair}: half → {points} of {max}",
        "zh-CN": "群众满意度{survey}，达到合格线{fair}：得一半分值{points}分（满分{max}分）",
    },
    "acme.survey-band.poor": {
        "en": "survey {survey} below fair {fair}",
        "zh-CN": "群众满意度{survey}，低于合格线{fair}",
    },
    "acme.survey-band.outside": {
        "en": "unit {unit!r}, indicator {indicator!r}: survey value {survey} outside 0 … 100",
        "zh-CN": "单位{unit!r}指标{indicator!r}：群众满意度{survey}超出0至100的范围",
    },
    "acme.survey-band.not-a-number": {"en": "not a number", "zh-CN": "不是数值"},
    "acme.survey-band.expected-a-number": {
        "en": "a number from 0 to 100",
        "zh-CN": "0至100之间的数值",
    },
    "acme.survey-band.off-scale": {
        "en": "{name} must lie on the survey's scale",
        "zh-CN": "{name}须在满意度的分值范围内",
    },
    "acme.survey-band.scale": {"en": "0 to 100", "zh-CN": "0至100"},
    "acme.survey-band.fair-not-below-good": {
        "en": "fair must lie below good",
        "zh-CN": "fair（合格线）须低于good（良好线）",
    },
    "acme.survey-band.expected-below-good": {
        "en": "less than good ({good})",
        "zh-CN": "低于good（{good}）",
    },
}

#: The kind's own templates, for the messages its parameter checks raise (before a rule is
#: made, so without ``self.say``).
_CATALOGUE = Catalogue(MESSAGES)


def _error(code: str, **params: object) -> Message:
    return Message(code, tuple(params.items()), _CATALOGUE)


def _number(value: object) -> Decimal:
    """A parameter as a Decimal (a scheme gives ints, decimals or numeric texts)."""
    if isinstance(value, bool):
        raise SchemeError(
            _error("acme.survey-band.not-a-number"),
            expected=_error("acme.survey-band.expected-a-number"),
            got=value,
        )
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
    raise SchemeError(
        _error("acme.survey-band.not-a-number"),
        expected=_error("acme.survey-band.expected-a-number"),
        got=value,
    )


def _survey_scale(instance: Any, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not Decimal(0) <= value <= Decimal(100):
        raise SchemeError(
            _error("acme.survey-band.off-scale", name=attribute.name),
            where=attribute.name,
            expected=_error("acme.survey-band.scale"),
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
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = MESSAGES

    good: Decimal = attrs.field(converter=_number, validator=_survey_scale)
    fair: Decimal = attrs.field(converter=_number, validator=_survey_scale)

    def __attrs_post_init__(self) -> None:
        if self.fair >= self.good:
            raise SchemeError(
                self.say("acme.survey-band.fair-not-below-good"),
                where="fair",
                expected=self.say("acme.survey-band.expected-below-good", good=self.good),
                got=self.fair,
            )

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full, half or zero by the band the survey value falls in."""
        if not isinstance(value, Value):
            raise TypeError(f"acme.survey-band scores values, not {value!r}")
        seen = value.value
        if not Decimal(0) <= seen <= Decimal(100):
            raise EvaluationError(
                self.say(
                    "acme.survey-band.outside",
                    unit=context.unit.id,
                    indicator=context.indicator.id,
                    survey=seen,
                )
            )
        if seen >= self.good:
            return self.full(
                self.say("acme.survey-band.good", survey=seen, good=self.good), band="good"
            )
        if seen >= self.fair:
            half = Fraction(self.max) / 2
            shown = Decimal(half.numerator) / Decimal(half.denominator)
            reason = self.say(
                "acme.survey-band.fair", survey=seen, fair=self.fair, points=shown, max=self.max
            )
            return Outcome.scored(half, reason, band="fair")
        return Outcome.scored(
            0, self.say("acme.survey-band.poor", survey=seen, fair=self.fair), band="poor"
        )
