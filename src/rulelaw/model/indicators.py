"""The indicator tree: dimensions (一级/二级指标) down to leaf indicators (三级指标)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, NewType

import attrs

from rulelaw.errors import SchemeError
from rulelaw.messages import Message
from rulelaw.model._base import (
    deep_freeze,
    id_validator,
    optional_decimal,
    optional_id_validator,
    percent,
    text_validator,
)

__all__ = ["Dimension", "Direction", "Indicator", "Measure", "RuleSpec", "Tags", "measure_word"]


class Direction(enum.Enum):
    """Whether more of the measured value is better (a pass rate) or worse (a correction rate)."""

    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"


class Measure(enum.Enum):
    """What kind of observation an indicator takes as evidence.

    ``rate`` (numerator and denominator, or a given percentage), ``count``
    (a whole number), ``value`` (a decimal number, e.g. a survey score),
    ``flag`` (yes / no / partly, with a reason), ``occurrences`` (a list of
    dated events, e.g. incidents), ``date`` (the day something was done,
    e.g. an annual report filed) and ``problems`` (the overdue problems of the
    rectification ledger: derived, never typed in).
    """

    RATE = "rate"
    COUNT = "count"
    VALUE = "value"
    FLAG = "flag"
    OCCURRENCES = "occurrences"
    DATE = "date"
    PROBLEMS = "problems"


def measure_word(measure: Measure) -> Message:
    """The name of a measure in messages (``measure.rate``: *rate*, 比率)."""
    return Message.of(f"measure.{measure.value}")


def _frozen_params(value: Mapping[str, Any]) -> Mapping[str, Any]:
    frozen: Mapping[str, Any] = deep_freeze(dict(value))
    return frozen


@attrs.frozen(kw_only=True)
class RuleSpec:
    """A rule as declared in a scheme: the kind's name and its parameters, as data.

    The scoring engine turns a ``RuleSpec`` into a compiled rule through a
    registry of rule kinds; here it is kept exactly as written, so that a
    scheme can be loaded, validated and dumped without the engine.

    >>> RuleSpec(kind="rate-target", params={"target": 100}).params["target"]
    100
    """

    _scheme_value: ClassVar[bool] = True

    kind: str = attrs.field(validator=id_validator)
    params: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_params)


@attrs.frozen(kw_only=True)
class Dimension:
    """An inner node of the indicator tree (一级 or 二级指标), e.g. ``2`` or ``2.3``.

    ``data_threshold`` (per cent) overrides the scheme's
    ``scoring.data_threshold`` for this dimension: with fewer than that share
    of the indicators under it present, it is not scored for the unit.
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    parent: str | None = attrs.field(default=None, validator=optional_id_validator)
    data_threshold: Decimal | None = attrs.field(
        default=None, converter=optional_decimal, validator=percent
    )

    def __attrs_post_init__(self) -> None:
        if self.parent == self.id:
            raise SchemeError(
                Message.of("scheme.dimension-own-parent"), key_path="parent", got=self.id
            )


def _categories(value: object) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise SchemeError(
            Message.of("scheme.categories-not-a-list"),
            expected=Message.of("scheme.expected-category-list"),
            got=value,
        )
    categories = frozenset(value)
    if not categories:
        raise SchemeError(
            Message.of("scheme.empty-category-list"),
            key_path="categories",
            expected=Message.of("scheme.expected-a-category"),
        )
    return categories


#: An indicator's tags, as the scheme lists them (their own type, so that the file's
#: reader hands them to :class:`Indicator`, which checks them, rather than read them as ids).
Tags = NewType("Tags", tuple[str, ...])


def _tags(value: object) -> Tags:
    """The tags as written: a list of texts, none empty or padded, none twice."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise SchemeError(
            Message.of("scheme.tags-not-a-list"),
            key_path="tags",
            expected=Message.of("scheme.expected-tags"),
            got=value,
        )
    seen: set[str] = set()
    for index, tag in enumerate(value):
        if (
            not isinstance(tag, str)
            or not tag.strip()
            or tag != tag.strip()
            or not tag.isprintable()
        ):
            raise SchemeError(
                Message.of("scheme.tag-invalid"),
                key_path=f"tags[{index}]",
                expected=Message.of("scheme.expected-tag"),
                got=tag,
            )
        if tag in seen:
            raise SchemeError(
                Message.of("scheme.duplicate-tag", tag=tag), key_path=f"tags[{index}]"
            )
        seen.add(tag)
    return Tags(tuple(value))


#: Where an indicator's evidence can come from besides evidence.csv, and the measure it needs.
DERIVED_EVIDENCE: dict[str, Measure] = {
    "law-report": Measure.VALUE,
    "problems": Measure.PROBLEMS,
    "filing:submitted": Measure.DATE,
    "filing:published": Measure.DATE,
    # a survey's mean is a value, its share satisfied a rate: checked against the survey
    "survey": Measure.VALUE,
}


def _evidence_from(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    base = value.split(":", 1)[0] if value.startswith(("law-report:", "survey:")) else value
    if base not in DERIVED_EVIDENCE or (base == "survey" and not value[7:]):
        raise SchemeError(
            Message.of("scheme.unknown-evidence-source"),
            key_path="evidence_from",
            expected=Message.of("scheme.expected-evidence-source"),
            got=value,
        )


@attrs.frozen(kw_only=True)
class Indicator:
    """A leaf of the indicator tree (考核指标): what is measured and how it is scored.

    ``categories`` lists the unit categories the indicator applies to
    (``None``: all of them); for other categories it is not applicable and is
    left out of their scores. ``evidence_from`` takes the evidence from
    elsewhere than ``evidence.csv``: ``law-report`` (the panel score of the
    unit's law reports, optionally of one panel: ``law-report:PANEL``),
    ``problems`` (overdue problems of the ledger), ``filing:submitted`` or
    ``filing:published`` (the annual report's dates), ``survey:ID`` (the
    answers of the survey ``ID`` of ``survey.csv``, aggregated per unit).
    ``tags`` name the subsets the indicator belongs to (``("督察",)``: the
    indicators an inspection checks), in the order written; results are
    subtotalled by tag (:meth:`rulelaw.Evaluation.tag_subtotals`). Tags
    change no score.

    >>> ind = Indicator(id="1.1.1", title="学法考试参考率", parent="1.1",
    ...                 measure=Measure.RATE, rule=RuleSpec(kind="rate-target"))
    >>> ind.applies_to("county")
    True
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    parent: str = attrs.field(validator=id_validator)
    measure: Measure = attrs.field(converter=Measure)
    rule: RuleSpec
    unit_of_measure: str = ""
    direction: Direction = attrs.field(default=Direction.HIGHER_IS_BETTER, converter=Direction)
    categories: frozenset[str] | None = attrs.field(default=None, converter=_categories)
    description: str = ""
    evidence_from: str | None = attrs.field(default=None, validator=_evidence_from)
    tags: Tags = attrs.field(default=Tags(()), converter=_tags)

    def applies_to(self, category: str) -> bool:
        """Whether units of ``category`` are assessed on this indicator."""
        return self.categories is None or category in self.categories
