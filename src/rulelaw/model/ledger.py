"""Problem lists and the rectification ledger (问题清单 / 整改台账), and annual-report filings.

A :class:`Problem` is found (by law-report questioning, an inspection, the
assessment, reconsideration or litigation) at a unit, with measures and a
deadline, and moves through ``open → rectifying → rectified → verified``
(verified and closed). A status history that goes backwards or skips a
stage needs a reason. An :class:`AnnualReportFiling` records when a unit
submitted and published its annual report on rule-of-law construction
(年度报告) and which required sections it has.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import ClassVar

import attrs
import pendulum

from rulelaw.errors import DataError, SchemeError
from rulelaw.messages import Message
from rulelaw.model._base import (
    id_validator,
    optional_id_validator,
    text_validator,
    to_date,
    to_optional_date,
)

__all__ = [
    "AnnualReportFiling",
    "Escalation",
    "FilingPolicy",
    "LedgerPolicy",
    "Problem",
    "ProblemSource",
    "ProblemStatus",
    "StatusChange",
]


class ProblemSource(enum.Enum):
    """Where a problem was found."""

    QUESTIONING = "questioning"
    INSPECTION = "inspection"
    ASSESSMENT = "assessment"
    RECONSIDERATION = "reconsideration"
    LITIGATION = "litigation"


class ProblemStatus(enum.Enum):
    """The stages of rectification, in order."""

    OPEN = "open"
    RECTIFYING = "rectifying"
    RECTIFIED = "rectified"
    VERIFIED = "verified"

    @property
    def order(self) -> int:
        """The stage's place in the order: 0 for open, 1 for rectifying, and so on."""
        return list(ProblemStatus).index(self)

    @property
    def word(self) -> Message:
        """The stage's name in messages (``problem.status-rectifying``: *rectifying*, 整改中)."""
        return Message.of(f"problem.status-{self.value}")

    @property
    def done(self) -> bool:
        """Whether the problem no longer counts as open (rectified or verified)."""
        return self in (ProblemStatus.RECTIFIED, ProblemStatus.VERIFIED)


@attrs.frozen(kw_only=True)
class StatusChange:
    """A dated step of a problem's status history, with its reason if it needs one."""

    status: ProblemStatus = attrs.field(converter=ProblemStatus)
    date: pendulum.Date = attrs.field(converter=to_date)
    reason: str = ""


def _history(value: Iterable[StatusChange]) -> tuple[StatusChange, ...]:
    return tuple(sorted(value, key=lambda c: c.date))  # same day: as written


@attrs.frozen(kw_only=True)
class Problem:
    """A problem found at a unit, its rectification measures, deadline and status history.

    The history starts ``open`` on the day it was found (implicitly, unless a
    step says otherwise). A step that goes back, or skips a stage, must give
    its reason.
    """

    id: str = attrs.field(validator=id_validator)
    unit: str = attrs.field(validator=id_validator)
    source: ProblemSource = attrs.field(converter=ProblemSource)
    found: pendulum.Date = attrs.field(converter=to_date)
    deadline: pendulum.Date = attrs.field(converter=to_date)
    description: str = attrs.field(validator=text_validator)
    person: str | None = attrs.field(default=None, validator=optional_id_validator)
    measures: str = ""
    history: tuple[StatusChange, ...] = attrs.field(default=(), converter=_history)

    def __attrs_post_init__(self) -> None:
        if self.deadline < self.found:
            raise DataError(
                Message.of("problem.deadline-before-found"),
                key_path="deadline",
                expected=Message.of("date.not-before", date=self.found),
                got=self.deadline.isoformat(),
            )
        previous = ProblemStatus.OPEN
        for change in self.history:
            if change.date < self.found:
                raise DataError(
                    Message.of("history.status-before-found", status=change.status.word),
                    key_path="date",
                    expected=Message.of("date.not-before", date=self.found),
                    got=change.date.isoformat(),
                )
            step = change.status.order - previous.order
            if (step < 0 or step > 1) and not change.reason.strip():
                raise DataError(
                    Message.of(
                        "history.goes-back" if step < 0 else "history.skips-stage",
                        previous=previous.word,
                        status=change.status.word,
                    ),
                    key_path="reason",
                    expected=Message.of("history.expected-reason-short"),
                )
            previous = change.status

    def status_on(self, day: pendulum.Date) -> ProblemStatus:
        """The status on ``day`` (open from the day found until a later step)."""
        status = ProblemStatus.OPEN
        for change in self.history:
            if change.date <= day:
                status = change.status
        return status

    def overdue_days(self, day: pendulum.Date) -> int:
        """Days past the deadline on ``day`` while not rectified (0 when not overdue)."""
        if day <= self.deadline or self.status_on(day).done:
            return 0
        return (day - self.deadline).days


@attrs.frozen(kw_only=True)
class Escalation:
    """An escalation stage reached when a problem is ``days`` overdue (e.g. 约谈 after 30)."""

    _scheme_value: ClassVar[bool] = True

    days: int
    stage: str = attrs.field(validator=text_validator)

    def __attrs_post_init__(self) -> None:
        if self.days < 1:
            raise SchemeError(
                Message.of("scheme.escalation-days-below-one"),
                key_path="days",
                expected=Message.of("number.at-least", bound=1),
                got=self.days,
            )


def _escalations(value: Iterable[Escalation]) -> tuple[Escalation, ...]:
    return tuple(sorted(value, key=lambda e: e.days))


@attrs.frozen(kw_only=True)
class LedgerPolicy:
    """The escalation stages of overdue problems, by days overdue."""

    _scheme_value: ClassVar[bool] = True

    escalation: tuple[Escalation, ...] = attrs.field(
        factory=lambda: (
            Escalation(days=1, stage="提醒 reminder"),
            Escalation(days=30, stage="约谈 interview"),
            Escalation(days=90, stage="通报问责 accountability"),
        ),
        converter=_escalations,
    )

    def stage_for(self, days_overdue: int) -> str | None:
        """The escalation stage reached after ``days_overdue`` days, if any."""
        reached = [e.stage for e in self.escalation if days_overdue >= e.days]
        return reached[-1] if reached else None


def _sections(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.replace("；", ";").split(";") if v.strip())
    if not isinstance(value, Iterable):
        raise DataError(
            Message.of("convert.not-a-list"),
            expected=Message.of("roster.expected-section-ids"),
            got=value,
        )
    return tuple(str(v) for v in value)


@attrs.frozen(kw_only=True)
class AnnualReportFiling:
    """A unit's annual report on rule-of-law construction: when submitted, when published."""

    unit: str = attrs.field(validator=id_validator)
    submitted: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    published: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    sections: tuple[str, ...] = attrs.field(default=(), converter=_sections)


@attrs.frozen(kw_only=True)
class FilingPolicy:
    """The sections an annual report must have (年度报告的必备内容)."""

    _scheme_value: ClassVar[bool] = True

    sections: tuple[str, ...] = attrs.field(
        default=("situation", "problems", "plan"), converter=_sections
    )
