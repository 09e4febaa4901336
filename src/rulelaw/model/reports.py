"""Law reports (述法) and the panels that rate them.

A :class:`LawReport` is a leader's report on how they fulfilled their duties
in the period, in one or more forms (written, on-site, at a committee
meeting, inside the year-end performance report, in the media). A
:class:`Panel`, declared in the scheme, rates reports: stages (site visit,
the report, questioning) and rater groups (secretary's comment, mayor's
comment, members' ballot, democratic ballot, deputies' questioning, public
oversight), each with a weight, a ballot scale, an aggregation and a quorum.
:class:`Ballot` rows come from ``ballots.csv``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Protocol

import attrs
import pendulum

from rulelaw.errors import DataError, SchemeError
from rulelaw.messages import Message
from rulelaw.model._base import (
    FrozenMap,
    id_validator,
    one_of,
    optional_decimal,
    optional_id_validator,
    quoted,
    text_validator,
    to_date,
    to_decimal,
    unique_ids,
)
from rulelaw.model._numbers import exact_sum
from rulelaw.model.grading import Grade, GradeScale, GradingPolicy

__all__ = [
    "LAW_REPORT_SCALE",
    "Aggregation",
    "AnswerScale",
    "Ballot",
    "BallotScale",
    "BelowQuorum",
    "LawReport",
    "LawReportPolicy",
    "Panel",
    "PanelStage",
    "RaterGroup",
    "ReportForm",
    "check_scale",
    "scale_points",
]


class ReportForm(enum.Enum):
    """The forms a law report takes (书面述法, 现场述法, 会议述法, 述法纳入年终述职, 媒体述法)."""

    WRITTEN = "written"
    ON_SITE = "on-site"
    MEETING = "meeting"
    PERFORMANCE_REPORT = "performance-report"
    MEDIA = "media"

    @property
    def label(self) -> str:
        """The Chinese name of the form."""
        return _FORM_LABELS[self]

    @classmethod
    def parse(cls, value: object) -> ReportForm:
        """Read a form from its English value or its Chinese name."""
        if isinstance(value, ReportForm):
            return value
        if isinstance(value, str):
            key = value.strip()
            for form in cls:
                if key.lower() == form.value or key == _FORM_LABELS[form]:
                    return form
        raise DataError(
            Message.of("roster.unknown-report-form"),
            expected=Message.of("roster.expected-report-form"),
            got=value,
        )


_FORM_LABELS = {
    ReportForm.WRITTEN: "书面",
    ReportForm.ON_SITE: "现场",
    ReportForm.MEETING: "会议",
    ReportForm.PERFORMANCE_REPORT: "述职",
    ReportForm.MEDIA: "媒体",
}


def _forms(value: object) -> frozenset[ReportForm]:
    if isinstance(value, str):
        value = [v for v in value.replace("；", ";").split(";") if v.strip()]
    if not isinstance(value, Iterable):
        raise DataError(
            Message.of("roster.forms-not-a-list"),
            expected=Message.of("roster.expected-forms"),
            got=value,
        )
    forms = frozenset(ReportForm.parse(v) for v in value)
    if not forms:
        raise DataError(
            Message.of("roster.no-report-form"),
            key_path="forms",
            expected=Message.of("roster.expected-a-form"),
        )
    return forms


def _ids(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.replace("；", ";").split(";") if v.strip())
    if not isinstance(value, Iterable):
        raise DataError(
            Message.of("convert.not-a-list"), expected=Message.of("roster.expected-ids"), got=value
        )
    return tuple(str(v) for v in value)


@attrs.frozen(kw_only=True)
class LawReport:
    """A leader's law report (述法) for the period.

    ``unit`` is the unit the leader reports for; ``panel`` the panel that
    rates it (if any); ``duties`` the duty ids it covers.
    """

    id: str = attrs.field(validator=id_validator)
    person: str = attrs.field(validator=id_validator)
    unit: str = attrs.field(validator=id_validator)
    date: pendulum.Date = attrs.field(converter=to_date)
    forms: frozenset[ReportForm] = attrs.field(converter=_forms)
    signed: bool = False
    duties: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    panel: str | None = attrs.field(default=None, validator=optional_id_validator)


@attrs.frozen(kw_only=True)
class Ballot:
    """One rater's ballot on one report for one rater group: a grade label or a number."""

    report: str = attrs.field(validator=id_validator)
    group: str = attrs.field(validator=id_validator)
    rater: str = attrs.field(validator=id_validator)
    value: str = attrs.field(validator=text_validator)
    #: where the ballot came from (``ballots.csv, row 7``), to name it when rejected
    origin: str = attrs.field(default="", eq=False)


class BallotScale(enum.Enum):
    """What a ballot holds: a grade label mapped to points, or a number in a range."""

    GRADES = "grades"
    NUMBERS = "numbers"


class Aggregation(enum.Enum):
    """How a group's ballots become its score."""

    MEAN = "mean"
    TRIMMED = "trimmed"
    MEDIAN = "median"


class BelowQuorum(enum.Enum):
    """What a group below quorum does to the panel: its weight goes to the others, or no result."""

    RESCALE = "rescale"
    NO_RESULT = "no-result"


def _points_map(value: object) -> Mapping[str, Decimal]:
    if not isinstance(value, Mapping):
        raise SchemeError(
            Message.of("scheme.grades-not-a-table"),
            key_path="grades",
            expected=Message.of("scheme.expected-grade-points"),
            got=value,
        )
    # as declared: best first, as the labels are read
    return FrozenMap({str(k): to_decimal(v) for k, v in value.items()}, keep_order=True)


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise SchemeError(
            Message.of("convert.not-a-whole-number"),
            expected=Message.of("convert.a-whole-number"),
            got=value,
        )
    return value


class AnswerScale(Protocol):
    """What a ballot or a survey answer is read on, and how the points are aggregated.

    A :class:`RaterGroup`'s ballots and a :class:`~rulelaw.model.Survey`'s
    answers share it: one reading of a value's points and one aggregation
    in the engine, and the checks of :func:`check_scale`.
    """

    @property
    def ballot(self) -> BallotScale:
        """Grade labels or numbers."""

    @property
    def grades(self) -> Mapping[str, Decimal]:
        """Each label's points, for grade labels."""

    @property
    def min(self) -> Decimal:
        """The lowest number, for numbers."""

    @property
    def max(self) -> Decimal:
        """The highest number, for numbers."""

    @property
    def aggregate(self) -> Aggregation:
        """How the points are aggregated."""

    @property
    def trim(self) -> int:
        """How many of the highest and of the lowest a trimmed mean drops."""


def check_scale(scale: AnswerScale, least: str, codes: tuple[str, str]) -> None:
    """Refuse grades without labels, an empty range, grade points off 0 … 100, a bad trim.

    ``least`` names the field holding the fewest values that count (a rater
    group's ``quorum``, a survey's ``min_sample``): a whole number of at
    least 1 (else ``codes[0]``), leaving values after a trimmed mean's trim
    (else ``codes[1]``).
    """
    if scale.ballot is BallotScale.GRADES and not scale.grades:
        raise SchemeError(
            Message.of("scheme.ballot-needs-grades"),
            key_path="grades",
            expected=Message.of("scheme.expected-ballot-grades"),
        )
    if scale.ballot is BallotScale.NUMBERS and scale.min >= scale.max:
        raise SchemeError(
            Message.of("scheme.min-not-below-max"),
            key_path="min",
            expected=Message.of("number.below", bound=scale.max),
            got=scale.min,
        )
    for label, points in scale.grades.items():
        if not 0 <= points <= 100:
            raise SchemeError(
                Message.of("scheme.grade-points-out-of-range"),
                key_path=f"grades.{label}",
                expected=Message.of("number.range", low=0, high=100),
                got=points,
            )
    if scale.trim < 0:
        raise SchemeError(
            Message.of("number.negative", field="trim"),
            key_path="trim",
            expected=Message.of("number.at-least", bound=0),
            got=scale.trim,
        )
    if scale.aggregate is not Aggregation.TRIMMED and scale.trim:
        raise SchemeError(
            Message.of("scheme.trim-without-trimmed-mean"),
            key_path="trim",
            expected='aggregate = "trimmed"',
            got=scale.trim,
        )
    n = getattr(scale, least)
    if isinstance(n, bool) or not isinstance(n, int):
        raise SchemeError(
            Message.of("convert.not-a-whole-number"),
            key_path=least,
            expected=Message.of("convert.a-whole-number"),
            got=n,
        )
    if n < 1:
        raise SchemeError(
            Message.of(codes[0]),
            key_path=least,
            expected=Message.of("number.at-least", bound=1),
            got=n,
        )
    if scale.aggregate is Aggregation.TRIMMED and n <= 2 * scale.trim:
        raise SchemeError(
            Message.of(codes[1]),
            key_path=least,
            expected=Message.of(
                "scheme.expected-quorum-over-trim", n=2 * scale.trim, trim=scale.trim
            ),
            got=n,
        )


def scale_points(scale: AnswerScale, value: str) -> tuple[Fraction | None, Message | str]:
    """A ballot's or an answer's points on 0 … 100, or ``None`` and why it is refused.

    A grade label is looked up (as written, stripped); a number must lie in
    ``min`` … ``max`` and is scaled to 0 … 100, exactly.
    """
    if scale.ballot is BallotScale.GRADES:
        points = scale.grades.get(value.strip())
        if points is None:
            return None, Message.of("ballot.unknown-grade", value=value, known=tuple(scale.grades))
        return Fraction(points), ""
    try:
        number = to_decimal(value)  # finite, and bounded: no 1e-999999999 to expand
    except DataError as exc:
        return None, Message.of("ballot.not-a-number", problem=exc.problem, value=value[:40])
    if not scale.min <= number <= scale.max:
        return None, Message.of("ballot.out-of-range", value=value, min=scale.min, max=scale.max)
    span = Fraction(scale.max) - Fraction(scale.min)
    return (Fraction(number) - Fraction(scale.min)) / span * 100, ""


@attrs.frozen(kw_only=True)
class RaterGroup:
    """A group of raters (书记点评, 委员测评, 民主测评, 代表质询, 社会监督 …) and how it votes.

    ``ballot = "grades"`` maps labels to points (``grades = {好 = 100, 较好 =
    85, 一般 = 70, 差 = 50}``); ``"numbers"`` takes numbers from ``min`` to
    ``max``, scaled to 0 … 100. ``aggregate`` is the mean, the ``trimmed``
    mean dropping the ``trim`` highest and ``trim`` lowest ballots, or the
    median. The group is valid with at least ``quorum`` valid ballots and,
    when ``raters`` (the number invited) is given, at least
    ``quorum_percent`` of them.
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    weight: Decimal = attrs.field(converter=to_decimal)
    stage: str | None = attrs.field(default=None, validator=optional_id_validator)
    ballot: BallotScale = attrs.field(default=BallotScale.NUMBERS, converter=BallotScale)
    grades: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_points_map)
    min: Decimal = attrs.field(default=Decimal(0), converter=to_decimal)
    max: Decimal = attrs.field(default=Decimal(100), converter=to_decimal)
    aggregate: Aggregation = attrs.field(default=Aggregation.MEAN, converter=Aggregation)
    trim: int = 0
    quorum: int = 1
    raters: int | None = attrs.field(default=None, converter=_optional_int)
    quorum_percent: Decimal | None = attrs.field(default=None, converter=optional_decimal)

    def __attrs_post_init__(self) -> None:
        if self.weight <= 0:
            raise SchemeError(
                Message.of("number.not-positive", field="weight"),
                key_path="weight",
                expected=Message.of("number.above", bound=0),
                got=self.weight,
            )
        check_scale(self, "quorum", ("scheme.quorum-below-one", "scheme.quorum-after-trim"))
        if self.quorum_percent is not None and self.raters is None:
            raise SchemeError(
                Message.of("scheme.participation-needs-raters"),
                key_path="raters",
                expected="raters = N",
            )


@attrs.frozen(kw_only=True)
class PanelStage:
    """A stage of a panel, such as a site visit (实地观摩), the report, or questioning (质询)."""

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Panel:
    """A panel model: stages and weighted rater groups whose weights add up to 100.

    ``below_quorum`` says what a group below quorum does (its weight goes to
    the others, or the panel has no result); ``partial = false`` gives no
    result as soon as any ballot of the report was rejected.
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    groups: tuple[RaterGroup, ...] = attrs.field(converter=_tuple)
    stages: tuple[PanelStage, ...] = attrs.field(default=(), converter=_tuple)
    below_quorum: BelowQuorum = attrs.field(default=BelowQuorum.RESCALE, converter=BelowQuorum)
    partial: bool = True

    def __attrs_post_init__(self) -> None:
        if not self.groups:
            raise SchemeError(
                Message.of("scheme.panel-no-groups"),
                key_path="groups",
                expected=Message.of("scheme.expected-a-group"),
            )
        for index, key in unique_ids(self.groups):
            raise SchemeError(
                Message.of("scheme.duplicate-rater-group", id=key),
                key_path=f"groups[{index}].id",
            )
        for index, key in unique_ids(self.stages):
            raise SchemeError(
                Message.of("scheme.duplicate-stage", id=key), key_path=f"stages[{index}].id"
            )
        stage_ids = {s.id for s in self.stages}
        for index, group in enumerate(self.groups):
            if group.stage is not None and group.stage not in stage_ids:
                raise SchemeError(
                    Message.of("scheme.unknown-stage", stage=group.stage),
                    key_path=f"groups[{index}].stage",
                    expected=one_of(sorted(stage_ids))
                    if stage_ids
                    else Message.of("scheme.no-stages-declared"),
                )
        total = exact_sum(g.weight for g in self.groups)
        if total != 100:
            raise SchemeError(
                Message.of(
                    "scheme.group-weights-sum",
                    panel=self.id,
                    total=total,
                    over=quoted(g.id for g in self.groups),
                ),
                key_path="groups",
            )

    def group(self, group_id: str) -> RaterGroup | None:
        """The rater group with this id, if any."""
        return next((g for g in self.groups if g.id == group_id), None)


LAW_REPORT_SCALE = GradeScale(
    grades=(
        Grade(id="good", label="好", name_en="good", minimum=90),
        Grade(id="fairly-good", label="较好", name_en="fairly good", minimum=80),
        Grade(id="average", label="一般", name_en="average", minimum=60),
        Grade(id="poor", label="差", name_en="poor"),
    )
)


def _report_grading(value: object) -> GradingPolicy:
    if isinstance(value, GradingPolicy):
        return value
    raise SchemeError(Message.of("scheme.not-a-grading-policy"), key_path="grading", got=value)


@attrs.frozen(kw_only=True)
class LawReportPolicy:
    """How law reports are graded: the scale (好/较好/一般/差 by default) and its quotas.

    Reports are graded among the reports of the same ``peer_group``: the
    ``panel`` (the default), or the ``category`` or ``level`` of the unit.
    """

    _scheme_value: ClassVar[bool] = True

    grading: GradingPolicy = attrs.field(
        factory=lambda: GradingPolicy(grades=LAW_REPORT_SCALE.grades, peer_group="panel"),
        converter=_report_grading,
    )
