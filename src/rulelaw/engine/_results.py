"""Evaluation results: frozen values that keep every point's explanation.

For every unit, the ``points`` of its indicators plus the ``points`` of its
adjustments equal its ``total`` exactly (a rounding difference, if any,
appears as an adjustment of kind ``rounding``).

**Texts are messages.** Every reason, note, method, grade step and time in
post the engine writes into these values is a
:class:`~rulelaw.messages.Message`: a ``str`` whose value is the English
text (so the annotations say ``str``, and English output is what it always
was), with a stable ``code`` and its ``params`` for a program. To read one
in another language, render it with the evaluation's catalogue (rulelaw's
templates and those of the rule kinds that scored it)::

    step = result.unit("county-01").grade_steps[0]
    step.code, step.params              # 'rank.in-group', (('rank', 1), ...)
    step.text("zh-CN", result.catalogue)

A reason a third-party rule kind gave as a plain ``str`` stays one (it reads
the same in every language): :func:`rulelaw.messages.render` renders either.
An empty text (no reason, not graded: ``""``) is a plain ``str``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import cached_property
from typing import Any

import attrs
import pendulum

from rulelaw.errors import LookupFailed
from rulelaw.messages import Catalogue, builtin_catalogue
from rulelaw.model import FrozenMap, exact_sum, frozen_map, scaled

__all__ = [
    "Adjustment",
    "CoverageRow",
    "DimensionInfo",
    "DimensionResult",
    "Distribution",
    "DutyResult",
    "Evaluation",
    "GradeCount",
    "GroupResult",
    "IndicatorInfo",
    "IndicatorResult",
    "LedgerRow",
    "PanelResult",
    "PersonResult",
    "Post",
    "PostGap",
    "Recommendation",
    "RejectedBallot",
    "Status",
    "TagSubtotal",
    "UnitResult",
    "register_renderer",
]


def _in_order(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """Keyed by category (or role), in the scheme's order."""
    return FrozenMap(value, keep_order=True)


class Status:
    """The state of one indicator for one unit (plain strings, as they appear in JSON)."""

    SCORED = "scored"
    NOT_APPLICABLE = "not-applicable"
    NOT_SUBMITTED = "not-submitted"
    FALSIFIED = "falsified"


@attrs.frozen(kw_only=True)
class IndicatorInfo:
    """An indicator as the scheme declares it: what every unit's line for it shares.

    ``weights`` holds the declared weight per category the indicator applies
    to (``[weights.CATEGORY]``), category id → weight, as written; ``tags``
    the indicator's tags (``("督察",)``), as the scheme lists them.
    """

    indicator: str
    title: str
    dimension: str
    kind: str
    rule_max: Decimal
    weights: Mapping[str, Decimal] = attrs.field(converter=_in_order)
    tags: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class DimensionInfo:
    """A dimension as the scheme declares it; ``level`` is 1 at the top of the tree."""

    dimension: str
    title: str
    parent: str | None
    level: int


@attrs.frozen(kw_only=True)
class IndicatorResult:
    """One indicator for one unit: what was seen, the rule's verdict, and the points it adds.

    ``rule_points`` is the rule's own score out of ``rule_max``; ``weight``
    the declared weight for the unit's category; ``effective_weight`` what
    the indicator is worth after not-applicable indicators were taken out
    and after conversion to the scheme's scale; ``points`` its contribution
    to the total (``rule_points / rule_max × effective_weight``, rounded).

    ``reason`` is a message: the rule kind's (its own codes), or for an
    explicit state the engine's (``state.not-applicable``,
    ``state.not-submitted-zero``, ``state.not-submitted-left-out``,
    ``state.falsified``, ``state.falsified-penalty``). ``source`` is where the
    observation came from: a file's place, or for derived evidence a message
    (``panel.source``, ``ledger.source``, ``filing.source``).
    """

    indicator: str
    title: str
    dimension: str
    kind: str
    status: str
    observed: str
    rule_points: Decimal | None
    rule_max: Decimal
    weight: Decimal
    effective_weight: Decimal
    points: Decimal
    reason: str
    band: str | None = None
    source: str = ""


@attrs.frozen(kw_only=True)
class Adjustment:
    """A change to a unit's total after aggregation, with its reason.

    ``kind`` is ``bonus``, ``deduction``, ``veto``, ``floor`` (a total kept
    from going below zero) or ``rounding``. ``reason`` is a message
    (``adjust.…`` codes, ``state.false-evidence-deduction``, ``rounding.line``,
    ``rounding.line-levels``; a dimension's line: ``rounding.dimension-line``).
    """

    kind: str
    item: str
    points: Decimal
    reason: str


@attrs.frozen(kw_only=True)
class DimensionResult:
    """A dimension's subtotal for one unit, and what it was worth (after rescaling).

    ``rounding`` is, where the scheme declares ``dimension_lines`` and the
    shown parts (its indicators' points and its sub-dimensions' subtotals)
    do not add up to the shown subtotal, the line for the difference: an
    :class:`Adjustment` of kind ``rounding`` (item: the dimension's id,
    reason: ``rounding.dimension-line``); otherwise ``None``.

    ``reason`` is ``""`` for a dimension scored as usual, and a message
    (``dimension.short-of-data``) for one left unscored by the data
    threshold: its ``points`` and ``max`` are then 0, its weight having gone
    to its siblings.
    """

    dimension: str
    title: str
    level: int
    points: Decimal
    max: Decimal
    rounding: Adjustment | None = None
    reason: str = ""


@attrs.frozen(kw_only=True)
class UnitResult:
    """Everything the evaluation found for one unit.

    ``subtotal`` is the sum of the indicators' points on the scheme's scale;
    ``total`` adds the adjustments. ``vetoes`` lists the ids of vetoes that
    apply; a ``cap-grade`` veto changes no points here and is applied when
    grades are given.

    ``peer_group`` is the group the unit is graded and ranked in; ``grade``
    the grade's id (``None``: not graded, 不确定等次, for the reason in
    ``not_graded``) and ``grade_label`` its label; ``rank`` the competition
    rank in the peer group and ``rank_overall`` among all units;
    ``grade_steps`` every grading decision, in words: one message each
    (``rank.…``, ``grade.…``, ``quota.…``, ``tie.…`` codes). ``not_graded``
    is the roster's text.
    """

    unit: str
    name: str
    category: str
    level: str
    indicators: Sequence[IndicatorResult]
    dimensions: Sequence[DimensionResult]
    adjustments: tuple[Adjustment, ...]
    subtotal: Decimal
    total: Decimal
    vetoes: tuple[str, ...] = ()
    peer_group: str = ""
    not_graded: str = ""
    grade: str | None = None
    grade_label: str | None = None
    rank: int = 0
    rank_overall: int = 0
    grade_steps: tuple[str, ...] = ()

    def indicator(self, indicator_id: str) -> IndicatorResult:
        """The result of one indicator."""
        for result in self.indicators:
            if result.indicator == indicator_id:
                return result
        raise LookupFailed("indicator result", indicator_id, (r.indicator for r in self.indicators))


@attrs.frozen(kw_only=True)
class TagSubtotal:
    """A unit's points on the indicators of one tag (an inspection's subset, 督察 …).

    ``indicators`` are the tagged indicators that apply to the unit's
    category, in the scheme's order; ``points`` is the exact sum of their
    ``points`` as the unit's result shows them (each already rounded as
    declared: nothing is rounded again), ``max`` the exact sum of what they
    are worth for the unit (their ``effective_weight``). Adjustments (bonus,
    deduction, veto) belong to the unit's total, not to a tag.
    """

    tag: str
    unit: str
    indicators: tuple[str, ...]
    points: Decimal
    max: Decimal


@attrs.frozen(kw_only=True)
class GradeCount:
    """How many units of a peer group hold a grade, against its quota.

    ``max`` and ``min`` are the counts the declared shares allow (``None``:
    no quota); ``exceeded`` flags a maximum kept over by ``ties =
    "keep-all"``; ``short`` a minimum that could not be filled.
    """

    grade: str
    label: str
    count: int
    max: int | None = None
    min: int | None = None
    exceeded: bool = False
    short: bool = False


@attrs.frozen(kw_only=True)
class Distribution:
    """The grades of one peer group: counts per grade against the quotas.

    ``units`` is the group's size, ``counted`` the size the shares are taken
    of (without the units not graded, unless the scheme counts them).
    """

    peer_group: str
    name: str
    units: int
    counted: int
    not_graded: int
    grades: tuple[GradeCount, ...]


@attrs.frozen(kw_only=True)
class Post:
    """A post a leader held during the period, with the share of it and the unit's result.

    ``start`` and ``end`` are the tenure's own dates (``end`` ``None`` while
    in post); ``days`` the days of the period in post, both ends counted;
    ``share`` those days as a percentage of the period.
    """

    unit: str
    unit_name: str
    role: str
    role_name: str
    start: pendulum.Date
    end: pendulum.Date | None
    days: int
    share: Decimal
    total: Decimal
    grade: str | None
    rank: int
    peer_group: str


@attrs.frozen(kw_only=True)
class DutyResult:
    """How far a leader fulfilled one duty of the role's duty list.

    ``rate`` is the per cent of what the duty's evidence indicators were worth
    that they scored at the units led, days-weighted across posts (``None``
    when no evidence indicator was scored); ``flagged`` when below the duty
    list's ``flag_below``; ``reason`` a message (``people.duty-…`` codes,
    several joined by ``people.duty-notes``).
    """

    role: str
    duty: str
    title: str
    group: str | None
    weight: Decimal
    rate: Decimal | None
    flagged: bool
    indicators: tuple[str, ...]
    reason: str


@attrs.frozen(kw_only=True)
class Recommendation:
    """A consequence of the scheme that a leader's results meet, and why (a recommendation).

    ``reason`` is a message (``consequence.because``) naming what was met: the
    grade, a law report's grade, a veto, no grade, flagged duties.
    """

    consequence: str
    title: str
    reason: str


@attrs.frozen(kw_only=True)
class PersonResult:
    """A responsible person's result: posts with shares, score, grade, duty fulfilment.

    ``score`` is the days-weighted mean of the totals of the units led;
    ``eligible`` is false (and ``not_graded`` gives the reason) when the
    leader was in post for less than the scheme's minimum; ``fulfilment`` the
    weighted mean of the duty rates; ``flagged`` the duties below threshold.

    ``time_in_post`` (``people.time-in-post``: "6 months 0 days"),
    ``not_graded`` (``people.too-short``, ``people.exactly-minimum``) and
    each of ``grade_steps`` are messages.
    """

    person: str
    name: str
    roles: tuple[str, ...]
    main_role: str
    main_unit: str
    posts: tuple[Post, ...]
    days_in_post: int
    time_in_post: str
    eligible: bool
    not_graded: str
    score: Decimal
    peer_group: str
    vetoes: tuple[str, ...]
    duties: tuple[DutyResult, ...]
    fulfilment: Decimal | None
    flagged: tuple[str, ...]
    grade: str | None = None
    grade_label: str | None = None
    rank: int = 0
    rank_overall: int = 0
    grade_steps: tuple[str, ...] = ()
    #: the person's other columns of ``people.csv`` (职级, 职务 …), as written
    attributes: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_map)
    #: the scheme's consequences the person's results meet, with why (recommendations)
    recommendations: tuple[Recommendation, ...] = ()


@attrs.frozen(kw_only=True)
class PostGap:
    """Days of the period in which a post that someone held stood empty (a gap in heads)."""

    unit: str
    role: str
    start: pendulum.Date
    end: pendulum.Date
    days: int


@attrs.frozen(kw_only=True)
class GroupResult:
    """One rater group's part in a report's panel: its ballots, quorum and score.

    ``method`` says how a valid group's ballots were aggregated
    (``panel.mean``, ``panel.trimmed-mean``, ``panel.median``), ``reason``
    why a group is not valid (``panel.below-quorum``,
    ``panel.below-participation``); each is a message, or ``""``.
    """

    group: str
    title: str
    stage: str | None
    weight: Decimal
    ballots: int
    invited: int | None
    score: Decimal | None
    valid: bool
    method: str
    reason: str


@attrs.frozen(kw_only=True)
class RejectedBallot:
    """A ballot that did not count: where it came from and why (``reason``: ``ballot.…`` codes)."""

    origin: str
    report: str
    group: str
    rater: str
    value: str
    reason: str


@attrs.frozen(kw_only=True)
class PanelResult:
    """A law report rated by a panel: its score (``None``: no result, see ``reason``) and grade.

    ``reason`` is a message (``panel.weighted-mean``, ``panel.no-result-…``),
    as is each of ``grade_steps``.
    """

    report: str
    person: str
    unit: str
    panel: str
    date: pendulum.Date
    forms: tuple[str, ...]
    signed: bool
    score: Decimal | None
    reason: str
    groups: tuple[GroupResult, ...]
    rejected: tuple[RejectedBallot, ...]
    peer_group: str
    grade: str | None = None
    grade_label: str | None = None
    rank: int = 0
    grade_steps: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class CoverageRow:
    """Who of the leaders in post filed a form of law report, in one level or category."""

    form: str
    by: str
    group: str
    persons: int
    filed: int
    share: Decimal
    missing: tuple[str, ...]


@attrs.frozen(kw_only=True)
class LedgerRow:
    """A problem of the rectification ledger as of the evaluation date."""

    problem: str
    unit: str
    person: str | None
    source: str
    found: pendulum.Date
    deadline: pendulum.Date
    status: str
    since: pendulum.Date
    days_overdue: int
    stage: str | None
    description: str
    measures: str


@attrs.frozen(kw_only=True)
class Evaluation:
    """The frozen result of :func:`rulelaw.evaluate`: per unit results and metadata.

    Render it with :meth:`table`, :meth:`explain`, :meth:`to_json`,
    :meth:`to_csv` or :meth:`to_markdown`; in a notebook it shows itself as
    an HTML table.

    Its reasons, notes and steps are messages (see the module's docstring):
    ``text.text("zh-CN", result.catalogue)`` reads one in Chinese.
    """

    scheme_id: str
    scheme_title: str
    scheme_version: str
    as_of: pendulum.Date
    scale: Decimal
    places: int
    rulelaw_version: str
    sources: Mapping[str, str] = attrs.field(converter=frozen_map)
    #: category id → name, in the scheme's order
    categories: Mapping[str, str] = attrs.field(converter=_in_order)
    units: tuple[UnitResult, ...]
    distribution: tuple[Distribution, ...] = ()
    #: the decimal places of each rounding level's shown points (``indicator``, ``dimension``,
    #: ``total``, ``panel``); ``places`` is the total's
    level_places: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_map)
    peer_group: str = "category"
    people: tuple[PersonResult, ...] = ()
    people_distribution: tuple[Distribution, ...] = ()
    post_gaps: tuple[PostGap, ...] = ()
    period_start: pendulum.Date | None = None
    period_end: pendulum.Date | None = None
    roles: Mapping[str, str] = attrs.field(factory=dict, converter=_in_order)
    panels: tuple[PanelResult, ...] = ()
    report_distribution: tuple[Distribution, ...] = ()
    rejected_ballots: tuple[RejectedBallot, ...] = ()
    coverage: tuple[CoverageRow, ...] = ()
    ledger: tuple[LedgerRow, ...] = ()
    #: the scheme's indicators (leaves) and dimensions, in the scheme's order
    indicators: tuple[IndicatorInfo, ...] = ()
    dimensions: tuple[DimensionInfo, ...] = ()
    #: the message templates the result's texts are rendered with in another language
    #: (rulelaw's own, and those of the rule kinds that scored it)
    catalogue: Catalogue = attrs.field(factory=builtin_catalogue, eq=False, repr=False)

    @cached_property
    def _by_id(self) -> Mapping[str, UnitResult]:
        return {u.unit: u for u in self.units}

    @cached_property
    def _people(self) -> Mapping[str, PersonResult]:
        return {p.person: p for p in self.people}

    def person(self, person_id: str) -> PersonResult:
        """The result of one responsible person; raises :class:`~rulelaw.errors.LookupFailed`."""
        try:
            return self._people[person_id]
        except KeyError:
            raise LookupFailed(
                "person in post during the period", person_id, self._people
            ) from None

    def people_table(self, tablefmt: str = "simple", *, lang: str = "en") -> str:
        """Every leader: posts, score, grade and rank in their peer group, duty flags.

        ``lang``: the language of the text, ``"en"`` (the default) or ``"zh-CN"``.
        """
        return _text(_render("people_table", self, tablefmt=tablefmt, lang=lang))

    def people_csv(self, *, lang: str = "en") -> str:
        """The leaders' export, one CSV row per leader (as ``rulelaw people --format csv``).

        Posts, days, score, grade and rank, eligibility, duty fulfilment, the law
        reports' scores, grades and panels, the problems not yet rectified, and the
        leaders' own columns of ``people.csv``. The column names are the same in every
        language; ``lang`` is that of the texts (the reason a leader is not graded).
        """
        return _text(_render("people_csv", self, lang=lang))

    def sheet(self, person_id: str, format: str = "text", *, lang: str = "en") -> str:
        """The leader's evaluation sheet (述职评议表) as ``text``, ``json`` or ``csv``.

        ``lang``: the language of the text, ``"en"`` (the default) or ``"zh-CN"``.
        """
        return _text(_render("sheet", self, self.person(person_id), format, lang=lang))

    def unit(self, unit_id: str) -> UnitResult:
        """The result of one unit; raises :class:`~rulelaw.errors.LookupFailed`."""
        try:
            return self._by_id[unit_id]
        except KeyError:
            raise LookupFailed("unit", unit_id, self._by_id) from None

    @property
    def tags(self) -> tuple[str, ...]:
        """Every tag of the scheme's indicators, each once, in the order they first appear."""
        return tuple(dict.fromkeys(t for i in self.indicators for t in i.tags))

    def tagged(self, tag: str) -> tuple[str, ...]:
        """The ids of the indicators carrying ``tag``, in the scheme's order.

        Raises :class:`~rulelaw.errors.LookupFailed` for a tag no indicator carries.
        """
        found = tuple(i.indicator for i in self.indicators if tag in i.tags)
        if not found:
            raise LookupFailed("tag", tag, self.tags)
        return found

    def tag_subtotal(self, unit_id: str, tag: str) -> TagSubtotal:
        """One unit's points on the indicators tagged ``tag``: an exact sum of shown points.

        Raises :class:`~rulelaw.errors.LookupFailed` for an unknown unit or tag.
        """
        return _tag_subtotal(self.unit(unit_id), tag, frozenset(self.tagged(tag)), self.places)

    def tag_subtotals(self, tag: str) -> tuple[TagSubtotal, ...]:
        """Every unit's :class:`TagSubtotal` for ``tag``, in the order of ``units``."""
        tagged = frozenset(self.tagged(tag))
        return tuple(_tag_subtotal(u, tag, tagged, self.places) for u in self.units)

    def table(self, *, lang: str = "en", tag: str | None = None) -> str:
        """The ranking by total within each category, as a text table.

        ``lang``: the language of the text, ``"en"`` (the default) or ``"zh-CN"``.
        ``tag``: show each unit's subtotal on the indicators of that tag (and
        what they are worth) instead of its subtotal and adjustments; the
        ranks and grades are the whole result's.
        """
        return _text(_render("table", self, lang=lang, tag=tag))

    def explain(self, unit_id: str, *, lang: str = "en", tag: str | None = None) -> str:
        """Every point of one unit, traced to its rule, observation and parameters.

        ``lang``: the language of the text, ``"en"`` (the default) or ``"zh-CN"``.
        ``tag``: only the indicators of that tag, with their subtotal (the
        exact sum of the points shown), then the unit's total and grade.
        """
        return _text(_render("explain", self, self.unit(unit_id), lang=lang, tag=tag))

    def to_json(self, *, reference: bool = False, lang: str = "en") -> str:
        """The result as a JSON document (decimals as strings); byte-identical across runs.

        ``reference=True`` writes every unit the plain way, from its line
        objects, instead of from a category's arrays: the same bytes, slower.
        ``lang`` (``"en"``, the default, or ``"zh-CN"``) is the language of the
        texts; each message's code and parameters beside its text are the same
        in every language.
        """
        return _text(_render("to_json", self, reference=reference, lang=lang))

    def write_json(
        self, path: str | os.PathLike[str], *, reference: bool = False, lang: str = "en"
    ) -> None:
        """Write :meth:`to_json`'s document to ``path`` in UTF-8, whole or not at all.

        The document is streamed a unit at a time into an unnamed file beside
        ``path`` that replaces it at the end, so a province's results never
        sit in memory as one string. Raises :class:`~rulelaw.OutputError`
        naming ``path`` when it cannot be written. ``lang`` as for :meth:`to_json`.
        """
        _render("write_json", self, path, reference=reference, lang=lang)

    def to_csv(self, *, tag: str | None = None) -> str:
        """One row per unit: category, rank, dimension subtotals, adjustments and total.

        ``tag``: three more columns, ``tag``, ``tag_points`` and ``tag_max``
        (the unit's :class:`TagSubtotal`).
        """
        return _text(_render("to_csv", self, tag=tag))

    def to_markdown(self, *, lang: str = "en", tag: str | None = None) -> str:
        """The ranking as Markdown tables.

        ``lang``: the language of the text, ``"en"`` (the default) or ``"zh-CN"``;
        ``tag`` as for :meth:`table`.
        """
        return _text(_render("to_markdown", self, lang=lang, tag=tag))

    def frames(self, *, lang: str = "en", reference: bool = False) -> Any:
        """The result as tidy tables (Apache Arrow): a :class:`~rulelaw.Frames` by name.

        ``units``, ``dimensions``, ``indicators`` (long form), ``adjustments``,
        ``grade_steps``, ``people``, ``panels``, ``ledger``; points exact, as
        Arrow ``decimal128(18, places)``. Texts that are messages are in
        ``lang`` (``"en"``, the default, or ``"zh-CN"``), each with its code
        beside it (``reason_code`` …). ``reference=True`` builds the
        indicators table from each unit's lines instead of the category
        arrays (the same table). See :mod:`rulelaw.report.frames`.
        """
        return _render("frames", self, lang=lang, reference=reference)

    def to_pandas(self, *, lang: str = "en", exact: bool = True) -> dict[str, Any]:
        """:meth:`frames` as pandas ``DataFrame`` values (needs ``pip install "rulelaw[pandas]"``).

        ``exact=True`` (the default) keeps points exact
        (``pandas.ArrowDtype(decimal128(18, places))``), which pandas'
        ``describe()`` leaves out; ``exact=False`` gives them as ``float64``,
        for exploring. See :meth:`rulelaw.Frames.to_pandas`.
        """
        found: dict[str, Any] = self.frames(lang=lang).to_pandas(exact=exact)
        return found

    def to_polars(self, *, lang: str = "en", exact: bool = True) -> dict[str, Any]:
        """:meth:`frames` as polars ``DataFrame`` values (needs ``pip install "rulelaw[polars]"``).

        ``exact=True`` (the default) keeps points as polars ``Decimal``;
        ``exact=False`` gives them as ``Float64``.
        """
        found: dict[str, Any] = self.frames(lang=lang).to_polars(exact=exact)
        return found

    def _repr_html_(self) -> str:
        return _text(_render("html_table", self))


def _tag_subtotal(unit: UnitResult, tag: str, tagged: frozenset[str], places: int) -> TagSubtotal:
    """The exact sums of the tagged lines' points and worths (none: zero at ``places``)."""
    lines = [r for r in unit.indicators if r.indicator in tagged]
    zero = scaled(0, places)
    return TagSubtotal(
        tag=tag,
        unit=unit.unit,
        indicators=tuple(r.indicator for r in lines),
        points=exact_sum(r.points for r in lines) if lines else zero,
        max=exact_sum(r.effective_weight for r in lines) if lines else zero,
    )


#: Evaluation's renderings by name, registered by the report layer (``rulelaw.report``),
#: which sits above this one and imports it: the engine never imports upward.
_RENDERERS: dict[str, Callable[..., object]] = {}


def register_renderer(name: str, render: Callable[..., object]) -> None:
    """Let the :class:`Evaluation` method of ``name`` call ``render(evaluation, …)``.

    The report layer registers its renderings when it is imported (importing
    ``rulelaw`` imports it); the names are those of ``Evaluation``'s methods
    (``table``, ``explain``, ``to_json``, ``write_json``, …).
    """
    _RENDERERS[name] = render


def _render(name: str, *args: Any, **kwargs: Any) -> object:
    try:
        render = _RENDERERS[name]
    except KeyError:
        raise RuntimeError(
            f"no rendering {name!r} is registered: import rulelaw.report (importing rulelaw does)"
        ) from None
    return render(*args, **kwargs)


def _text(value: object) -> str:
    assert isinstance(value, str), value
    return value
