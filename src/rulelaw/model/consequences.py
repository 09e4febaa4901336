"""What a scheme says follows from a leader's results: recommendations, with their reason.

The organisation department (组织部) uses the assessment in cadre decisions:
an office's scheme may say, for instance, that a leader graded 优秀 goes on
the commendation list, that one graded 不合格 gets an admonition talk (约谈),
or that a leader whose law report was graded 差 is not to be promoted this
year. A :class:`Consequence` declares one such rule; the evaluation lists,
for each leader, the consequences whose conditions they meet and why — as
recommendations for the people who decide, never as decisions.

In ``scheme.toml``::

    [[consequences]]
    id = "commend"
    title = "列入年度表扬名单"
    when = { grade = "excellent" }

    [[consequences]]
    id = "no-promotion"
    title = "本年度不予提拔使用"
    when = { report_grade = "poor" }

Every condition given must hold: ``grade`` (the leader's grade id, or a list
of them), ``report_grade`` (the grade id of one of their law reports, or a
list), ``vetoed`` (a veto applies to a unit they led), ``not_graded`` (the
leader gets no grade, 不确定等次), ``flagged`` (a duty of their duty list is
below its threshold).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from rulelaw.errors import SchemeError
from rulelaw.messages import Message
from rulelaw.model._base import id_validator, text_validator

__all__ = ["CONDITIONS", "Consequence", "ConsequenceCondition"]

#: The conditions a consequence may name, and what each holds.
CONDITIONS = ("grade", "report_grade", "vetoed", "not_graded", "flagged")


def _ids(value: object, key: str) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else [value]
    if not items or not all(isinstance(i, str) and i.strip() for i in items):
        raise SchemeError(
            Message.of("consequence.not-grade-ids", key=key),
            key_path=key,
            expected=Message.of("consequence.expected-grade-ids"),
            got=value,
        )
    return tuple(str(i) for i in items)


def _flag(value: object, key: str) -> bool:
    if not isinstance(value, bool):
        raise SchemeError(
            Message.of("consequence.not-true-or-false", key=key),
            key_path=key,
            expected="true or false",
            got=value,
        )
    return value


@attrs.frozen(kw_only=True)
class ConsequenceCondition:
    """What a leader's results must show for a consequence; ``None``: not asked."""

    _scheme_value: ClassVar[bool] = True

    grade: tuple[str, ...] | None = None
    report_grade: tuple[str, ...] | None = None
    vetoed: bool | None = None
    not_graded: bool | None = None
    flagged: bool | None = None

    @classmethod
    def of(cls, value: object) -> ConsequenceCondition:
        """Read a ``when`` table, refusing unknown conditions and an empty one."""
        if isinstance(value, ConsequenceCondition):
            return value
        if not isinstance(value, Mapping) or not value:
            raise SchemeError(
                Message.of("consequence.empty-condition"),
                expected=Message.of("consequence.expected-conditions", names=CONDITIONS),
                got=value,
            )
        unknown = sorted(str(k) for k in value if k not in CONDITIONS)
        if unknown:
            raise SchemeError(
                Message.of("consequence.unknown-condition", name=unknown[0]),
                key_path=unknown[0],
                expected=Message.of("consequence.expected-conditions", names=CONDITIONS),
            )
        return cls(
            grade=_ids(value["grade"], "grade") if "grade" in value else None,
            report_grade=(
                _ids(value["report_grade"], "report_grade") if "report_grade" in value else None
            ),
            vetoed=_flag(value["vetoed"], "vetoed") if "vetoed" in value else None,
            not_graded=_flag(value["not_graded"], "not_graded") if "not_graded" in value else None,
            flagged=_flag(value["flagged"], "flagged") if "flagged" in value else None,
        )


def _condition(value: object) -> ConsequenceCondition:
    try:
        return ConsequenceCondition.of(value)
    except SchemeError as exc:  # built in code: placed under the field, as cattrs places it
        raise exc.located(prefix="when") from None


@attrs.frozen(kw_only=True)
class Consequence:
    """A recommendation that follows from a leader's results when its conditions hold."""

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    when: ConsequenceCondition = attrs.field(converter=_condition)
    description: str = ""
