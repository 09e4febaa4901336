"""Surveys of respondents (群众满意度调查, 第三方评估): answers aggregated per unit.

A :class:`Survey`, declared in the scheme, says how its answers are read —
grade labels mapped to points (``满意 = 100``) or numbers in a range scaled
to 0 … 100, as a panel's rater group reads ballots — and how a unit's
answers become the value an indicator scores (``evidence_from =
"survey:ID"``): their mean, trimmed mean or median (a value on 0 … 100), or,
with ``satisfied``, the share of answers at or above that many points (a
rate). Below ``min_sample`` answers the unit's value is not applicable, not
submitted, or scored as it is (``below_min``), and the explanation says how
many answered. :class:`SurveyAnswer` rows come from ``survey.csv``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

import attrs

from rulelaw.errors import SchemeError
from rulelaw.messages import Message
from rulelaw.model._base import id_validator, optional_decimal, text_validator, to_decimal
from rulelaw.model.reports import Aggregation, BallotScale, _points_map, check_scale

__all__ = ["BelowSample", "Survey", "SurveyAnswer"]


class BelowSample(enum.Enum):
    """What a unit with fewer answers than the survey's minimum gets."""

    NOT_APPLICABLE = "not-applicable"
    NOT_SUBMITTED = "not-submitted"
    SCORE = "score"


@attrs.frozen(kw_only=True)
class Survey:
    """A survey of respondents, and how a unit's answers become an indicator's value.

    >>> s = Survey(id="satisfaction", title="群众满意度", ballot="grades",
    ...            grades={"满意": 100, "基本满意": 60, "不满意": 0}, satisfied=60,
    ...            min_sample=30)
    >>> s.rate
    True
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    ballot: BallotScale = attrs.field(default=BallotScale.NUMBERS, converter=BallotScale)
    grades: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_points_map)
    min: Decimal = attrs.field(default=Decimal(0), converter=to_decimal)
    max: Decimal = attrs.field(default=Decimal(100), converter=to_decimal)
    aggregate: Aggregation = attrs.field(default=Aggregation.MEAN, converter=Aggregation)
    trim: int = 0
    satisfied: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    min_sample: int = 1
    below_min: BelowSample = attrs.field(default=BelowSample.NOT_APPLICABLE, converter=BelowSample)

    def __attrs_post_init__(self) -> None:
        check_scale(
            self, "min_sample", ("survey.min-sample-below-one", "survey.min-sample-after-trim")
        )
        if self.satisfied is not None:
            if not 0 <= self.satisfied <= 100:
                raise SchemeError(
                    Message.of("survey.satisfied-out-of-range"),
                    key_path="satisfied",
                    expected=Message.of("number.range", low=0, high=100),
                    got=self.satisfied,
                )
            if self.aggregate is not Aggregation.MEAN or self.trim:
                raise SchemeError(
                    Message.of("survey.share-and-aggregate"),
                    key_path="aggregate",
                    expected='aggregate = "mean" (the default), or no "satisfied"',
                    got=self.aggregate.value,
                )

    @property
    def rate(self) -> bool:
        """Whether a unit's value is a rate (the share satisfied) rather than a value."""
        return self.satisfied is not None


@attrs.frozen(kw_only=True)
class SurveyAnswer:
    """One respondent's answer to a survey about a unit (a row of ``survey.csv``)."""

    survey: str = attrs.field(validator=id_validator)
    unit: str = attrs.field(validator=id_validator)
    respondent: str = attrs.field(validator=id_validator)
    answer: str = attrs.field(validator=text_validator)
