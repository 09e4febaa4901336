"""Text renderings: the ranking table, one unit's explanation, the CSV summary.

Each takes ``lang`` (``"en"``, the default, or ``"zh-CN"``): headings,
column headers and labels are the report's own texts (``report.…`` codes),
the result's reasons and grade steps are rendered in that language, dates
follow it (``2024-12-31``, ``2024年12月31日``); numbers are written the same
in both.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from decimal import Decimal

from tabulate import tabulate

from rulelaw.engine import Distribution, Evaluation, UnitResult
from rulelaw.messages import Catalogue
from rulelaw.model import EXACT, decimal_text, scaled, signed_text
from rulelaw.report._csv import csv_text
from rulelaw.report._words import headers, label, language, say, shown

__all__ = ["explain_unit", "ranking_csv", "ranking_table"]

#: the grade cell of a unit kept out of grading: the term itself, in every language
NOT_GRADED = "不确定等次"


def _adjusted(unit: UnitResult, places: int) -> Decimal:
    """What the adjustments changed: total − subtotal, so the row reads as a sum."""
    return EXACT.subtract(unit.total, unit.subtotal).quantize(scaled(1, places), context=EXACT)


def _groups(result: Evaluation) -> Iterable[tuple[Distribution, list[UnitResult]]]:
    """Each peer group's distribution and its units, best rank first (ties by unit id)."""
    for distribution in result.distribution:
        units = [u for u in result.units if u.peer_group == distribution.peer_group]
        yield distribution, sorted(units, key=lambda u: (u.rank, u.unit))


def group_title(distribution: Distribution, lang: str, catalogue: Catalogue | None = None) -> str:
    """A peer group as a heading names it: ``县市区 (county)``, or its name if that is its key."""
    name, group = distribution.name, distribution.peer_group
    return say("report.group", lang, catalogue, name=name, group=group) if name != group else name


def _quota(low: int | None, high: int | None, lang: str, catalogue: Catalogue) -> str:
    if high is None and low is None:
        return say("report.quota.none", lang, catalogue)
    if low is None:
        return say("report.quota.max", lang, catalogue, max=high)
    if high is None:
        return say("report.quota.min", lang, catalogue, min=low)
    return say("report.quota.max-min", lang, catalogue, max=high, min=low)


def _distribution_rows(
    distribution: Distribution, lang: str, catalogue: Catalogue
) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for g in distribution.grades:
        note = say("report.quota.exceeded", lang, catalogue) if g.exceeded else ""
        if g.short:
            note = say("report.quota.short", lang, catalogue)
        rows.append((g.label, str(g.count), _quota(g.min, g.max, lang, catalogue), note))
    if distribution.not_graded:
        label = say("report.not-graded", lang, catalogue)
        rows.append((label, str(distribution.not_graded), "", ""))
    return rows


def _tag_head(result: Evaluation, tag: str, lang: str, catalogue: Catalogue) -> str:
    """The line naming a tag and its indicators: ``indicators tagged '督察': 1.1, 2.2 (2)``."""
    tagged = result.tagged(tag)
    return say("report.tag.head", lang, catalogue, tag=tag, ids=", ".join(tagged), n=len(tagged))


def ranking_table(
    result: Evaluation, tablefmt: str = "simple", *, lang: str = "en", tag: str | None = None
) -> str:
    """The ranking within each peer group, with grades, and each group's grade distribution.

    ``tablefmt`` is a :mod:`tabulate` format (``"github"`` for Markdown,
    ``"html"`` for real HTML tables); ``lang`` the language of the headings
    and labels (``"en"`` or ``"zh-CN"``). ``tag``: each unit's subtotal on
    the indicators of that tag and what they are worth (its
    :class:`~rulelaw.TagSubtotal`) stand instead of its subtotal and
    adjustments; the ranks and grades are the whole result's. An unknown tag
    raises :class:`~rulelaw.errors.LookupFailed`.
    """
    lang = language(lang)
    catalogue = result.catalogue
    tagged = {} if tag is None else {t.unit: t for t in result.tag_subtotals(tag)}
    header = say(
        "report.ranking.head",
        lang,
        catalogue,
        title=result.scheme_title,
        scheme=result.scheme_id,
        version=result.scheme_version,
        as_of=result.as_of,
    )
    heading = {"html": "<p>{}</p>", "github": "## {}"}.get(tablefmt, "{}")
    subheading = {"html": "<h4>{}</h4>", "github": "### {}"}.get(tablefmt, "{}")
    escape = html.escape if tablefmt == "html" else str
    blocks = [heading.format(escape(header))]
    if tag is not None:
        blocks.append(
            {"html": "<p>{}</p>"}.get(tablefmt, "{}").format(
                escape(_tag_head(result, tag, lang, catalogue))
            )
        )
    columns = headers(
        "report.ranking.column",
        ("rank", "unit", "name", "subtotal", "adjust", "total", "grade"),
        lang,
        catalogue,
    )
    if tag is not None:  # the tag's points and what they are worth, for subtotal and adjust
        columns[3:5] = [
            say("report.ranking.column.tag-points", lang, catalogue, tag=tag),
            say("report.ranking.column.tag-max", lang, catalogue),
        ]
    counted = headers(
        "report.distribution.column", ("grade", "units", "quota", "note"), lang, catalogue
    )
    for distribution, units in _groups(result):
        rows = [
            (
                u.rank,
                u.unit,
                u.name,
                *(
                    (decimal_text(u.subtotal), decimal_text(_adjusted(u, result.places)))
                    if tag is None
                    else (
                        decimal_text(tagged[u.unit].points),
                        decimal_text(tagged[u.unit].max),
                    )
                ),
                decimal_text(u.total),
                u.grade_label or NOT_GRADED,
            )
            for u in units
        ]
        title = say(
            "report.ranking.group",
            lang,
            catalogue,
            title=group_title(distribution, lang, catalogue),
            n=len(units),
        )
        blocks.append(subheading.format(escape(title)))
        blocks.append(
            tabulate(
                rows,
                headers=columns,
                tablefmt=tablefmt,
                disable_numparse=True,
                colalign=("right", "left", "left", "right", "right", "right", "left"),
            )
        )
        counts = _distribution_rows(distribution, lang, catalogue)
        noted = any(row[3] for row in counts)
        blocks.append(
            tabulate(
                [row if noted else row[:3] for row in counts],
                headers=counted[: 4 if noted else 3],
                tablefmt=tablefmt,
                disable_numparse=True,
                colalign=("left", "right", "left", "left")[: 4 if noted else 3],
            )
        )
    return "\n\n".join(blocks) + "\n"


def explain_unit(
    result: Evaluation,
    unit: UnitResult,
    tablefmt: str = "simple",
    *,
    lang: str = "en",
    tag: str | None = None,
) -> str:
    """Every point of one unit: each indicator's observation, rule, reason and points.

    ``tablefmt="github"`` gives the same in Markdown: a heading, the
    indicators' table, and a section with a list for the reasons, the
    dimensions, the total and the grade. ``lang`` is the language of the
    labels and of the reasons (``"en"`` or ``"zh-CN"``).

    ``tag``: only the indicators of that tag, their subtotal (the exact sum
    of the points shown, and what they are worth) in place of the
    dimensions and the subtotal, then the unit's total and grade. An
    unknown tag raises :class:`~rulelaw.errors.LookupFailed`.
    """
    lang = language(lang)
    catalogue = result.catalogue
    if tag is not None:
        wanted = frozenset(result.tagged(tag))
        results = [r for r in unit.indicators if r.indicator in wanted]
    else:
        results = list(unit.indicators)
    head = say(
        "report.explain.head",
        lang,
        catalogue,
        name=unit.name,
        unit=unit.unit,
        category_name=result.categories[unit.category],
        category=unit.category,
        scheme=result.scheme_id,
        version=result.scheme_version,
        as_of=result.as_of,
    )
    rows = [
        (
            r.indicator,
            r.title,
            shown(r.observed, lang, catalogue),
            r.kind.removeprefix("rulelaw."),
            "—"
            if r.rule_points is None
            else f"{decimal_text(r.rule_points)}/{decimal_text(r.rule_max)}",
            decimal_text(r.effective_weight),
            decimal_text(r.points),
        )
        for r in results
    ]
    table = tabulate(
        rows,
        headers=headers(
            "report.explain.column",
            ("indicator", "title", "observed", "rule", "rule-points", "worth", "points"),
            lang,
            catalogue,
        ),
        tablefmt=tablefmt,
        disable_numparse=True,
        colalign=("left", "left", "left", "left", "right", "right", "right"),
    )
    dimensions = [
        (
            d.level,
            say(
                "report.explain.dimension-not-scored",
                lang,
                catalogue,
                dimension=d.dimension,
                title=d.title,
                points=decimal_text(d.points),
                max=decimal_text(d.max),
                reason=shown(d.reason, lang, catalogue),
            )
            if d.reason
            else say(
                "report.explain.dimension",
                lang,
                catalogue,
                dimension=d.dimension,
                title=d.title,
                points=decimal_text(d.points),
                max=decimal_text(d.max),
            )
            if d.rounding is None
            else say(
                "report.explain.dimension-rounding",
                lang,
                catalogue,
                dimension=d.dimension,
                title=d.title,
                points=decimal_text(d.points),
                max=decimal_text(d.max),
                kind=label("adjustment", d.rounding.kind, lang, catalogue),
                line=signed_text(d.rounding.points),
                reason=shown(d.rounding.reason, lang, catalogue),
            ),
        )
        for d in unit.dimensions
    ]
    sums = [
        say(
            "report.explain.subtotal",
            lang,
            catalogue,
            scale=decimal_text(result.scale),
            subtotal=decimal_text(unit.subtotal),
        ),
        *(
            say(
                "report.explain.adjustment",
                lang,
                catalogue,
                kind=label("adjustment", a.kind, lang, catalogue),
                item=a.item,
                points=signed_text(a.points),
                reason=shown(a.reason, lang, catalogue),
            )
            for a in unit.adjustments
        ),
        say("report.explain.total", lang, catalogue, total=decimal_text(unit.total)),
    ]
    tag_line = ""
    if tag is not None:
        subtotal = result.tag_subtotal(unit.unit, tag)
        tag_line = _tag_head(result, tag, lang, catalogue)
        sums = [
            say(
                "report.explain.tag-subtotal",
                lang,
                catalogue,
                tag=tag,
                n=len(subtotal.indicators),
                points=decimal_text(subtotal.points),
                max=decimal_text(subtotal.max),
            ),
            say("report.explain.unit-total", lang, catalogue, total=decimal_text(unit.total)),
        ]
    # the peer group by its key in English (as it always was), by its name in Chinese
    group = unit.peer_group
    if lang != "en":
        group = next(
            (
                group_title(d, lang, catalogue)
                for d in result.distribution
                if d.peer_group == unit.peer_group
            ),
            group,
        )
    grade = say(
        "report.explain.grade",
        lang,
        catalogue,
        grade=unit.grade_label or say("report.not-graded", lang, catalogue),
        rank=unit.rank,
        peer_group=group,
        overall=unit.rank_overall,
    )
    steps = [shown(step, lang, catalogue) for step in unit.grade_steps]
    reasons = [(r.indicator, shown(r.reason, lang, catalogue)) for r in results]

    def section(name: str) -> str:
        return say(f"report.explain.section.{name}", lang, catalogue)

    if tablefmt == "github":
        blocks = [
            f"## {head}",
            tag_line,
            table,
            f"### {section('why')}",
            "\n".join(f"- `{indicator}` {reason}" for indicator, reason in reasons),
            *(
                ()
                if tag is not None
                else (
                    f"### {section('dimensions')}",
                    "\n".join("  " * (level - 1) + f"- {text}" for level, text in dimensions),
                )
            ),
            f"### {section('total')}",
            "\n".join(f"- {line}" for line in sums),
            f"### {section('grade')}",
            grade,
        ]
        if steps:
            blocks.append("\n".join(f"- {step}" for step in steps))
        return "\n\n".join(block for block in blocks if block) + "\n"

    def heading(name: str) -> str:
        return say("report.heading", lang, catalogue, title=section(name))

    lines = [head, *([tag_line] if tag_line else []), "", table, "", heading("why")]
    lines.extend(f"  {indicator}  {reason}" for indicator, reason in reasons)
    lines.append("")
    if tag is None:
        lines.append(heading("dimensions"))
        lines.extend("  " * level + text for level, text in dimensions)
        lines.append("")
    lines.extend(sums)
    lines.append("")
    lines.append(say("report.titled", lang, catalogue, title=section("grade"), text=grade))
    lines.extend(f"  {step}" for step in steps)
    return "\n".join(lines) + "\n"


def ranking_csv(result: Evaluation, *, tag: str | None = None) -> str:
    """One row per unit: peer group, rank, top dimensions, adjustments, total, grade.

    ``tag``: three more columns at the end, ``tag``, ``tag_points`` and
    ``tag_max``: the unit's :class:`~rulelaw.TagSubtotal` (an unknown tag
    raises :class:`~rulelaw.errors.LookupFailed`).

    The header row holds column names for programs, the same in every
    language; no cell is a text in a language (ids, names, numbers, the
    grade's label as the scheme writes it). Text cells that a spreadsheet
    would run as a formula are neutralised (see :mod:`rulelaw.report._csv`);
    numbers are written as they are.
    """
    top = []
    seen: set[str] = set()
    for unit in result.units:
        for d in unit.dimensions:
            if d.level == 1 and d.dimension not in seen:
                seen.add(d.dimension)
                top.append(d.dimension)
    rows: list[list[object]] = [
        [
            "peer_group",
            "rank",
            "rank_overall",
            "unit",
            "name",
            "category",
            *top,
            "subtotal",
            "adjust",
            "total",
            "grade",
            *(("tag", "tag_points", "tag_max") if tag is not None else ()),
        ]
    ]
    tagged = {} if tag is None else {t.unit: t for t in result.tag_subtotals(tag)}
    for distribution, units in _groups(result):
        for u in units:
            subtotals = {d.dimension: d.points for d in u.dimensions}
            rows.append(
                [
                    distribution.peer_group,
                    u.rank,
                    u.rank_overall,
                    u.unit,
                    u.name,
                    u.category,
                    *(subtotals.get(t, "") for t in top),
                    u.subtotal,
                    _adjusted(u, result.places),
                    u.total,
                    u.grade_label or "",
                    *((tag, tagged[u.unit].points, tagged[u.unit].max) if tag is not None else ()),
                ]
            )
    return csv_text(rows)
