"""Text renderings: the ranking table, one unit's explanation, the CSV summary."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from tabulate import tabulate

from rulelaw.engine import Distribution, Evaluation, UnitResult
from rulelaw.model import EXACT, decimal_text, scaled, signed_text
from rulelaw.report._csv import csv_text

__all__ = ["explain_unit", "ranking_csv", "ranking_table"]


def _adjusted(unit: UnitResult, places: int) -> Decimal:
    """What the adjustments changed: total − subtotal, so the row reads as a sum."""
    return EXACT.subtract(unit.total, unit.subtotal).quantize(scaled(1, places), context=EXACT)


def _groups(result: Evaluation) -> Iterable[tuple[Distribution, list[UnitResult]]]:
    """Each peer group's distribution and its units, best rank first (ties by unit id)."""
    for distribution in result.distribution:
        units = [u for u in result.units if u.peer_group == distribution.peer_group]
        yield distribution, sorted(units, key=lambda u: (u.rank, u.unit))


def _count(n: int) -> str:
    return f"{n} unit" + ("s" if n != 1 else "")


def _distribution_rows(distribution: Distribution) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for g in distribution.grades:
        quota = "—" if g.max is None else f"≤ {g.max}"
        floor = "" if g.min is None else f"≥ {g.min}"
        note = "quota exceeded (ties kept)" if g.exceeded else ""
        if g.short:
            note = "minimum not reached"
        rows.append((g.label, str(g.count), quota + (f", {floor}" if floor else ""), note))
    if distribution.not_graded:
        rows.append(("不确定等次 (not graded)", str(distribution.not_graded), "", ""))
    return rows


def ranking_table(result: Evaluation, tablefmt: str = "simple") -> str:
    """The ranking within each peer group, with grades, and each group's grade distribution."""
    header = (
        f"{result.scheme_title} — {result.scheme_id} v{result.scheme_version}, "
        f"as of {result.as_of.isoformat()}"
    )
    heading = {"html": "<p>{}</p>", "github": "## {}"}.get(tablefmt, "{}")
    subheading = {"html": "<h4>{}</h4>", "github": "### {}"}.get(tablefmt, "{}")
    blocks = [heading.format(header)]
    for distribution, units in _groups(result):
        rows = [
            (
                u.rank,
                u.unit,
                u.name,
                decimal_text(u.subtotal),
                decimal_text(_adjusted(u, result.places)),
                decimal_text(u.total),
                u.grade_label or "不确定等次",
            )
            for u in units
        ]
        name = distribution.name
        group = distribution.peer_group
        title = f"{name} ({group})" if name != group else name
        blocks.append(subheading.format(f"{title} — {_count(len(units))}"))
        blocks.append(
            tabulate(
                rows,
                headers=("rank", "unit", "name", "subtotal", "adjust", "total", "grade"),
                tablefmt=tablefmt,
                disable_numparse=True,
                colalign=("right", "left", "left", "right", "right", "right", "left"),
            )
        )
        counts = _distribution_rows(distribution)
        noted = any(row[3] for row in counts)
        blocks.append(
            tabulate(
                [row if noted else row[:3] for row in counts],
                headers=("grade", "units", "quota", "note")[: 4 if noted else 3],
                tablefmt=tablefmt,
                disable_numparse=True,
                colalign=("left", "right", "left", "left")[: 4 if noted else 3],
            )
        )
    return "\n\n".join(blocks) + "\n"


def explain_unit(result: Evaluation, unit: UnitResult, tablefmt: str = "simple") -> str:
    """Every point of one unit: each indicator's observation, rule, reason and points.

    ``tablefmt="github"`` gives the same in Markdown: a heading, the
    indicators' table, and a section with a list for the reasons, the
    dimensions, the total and the grade.
    """
    head = (
        f"{unit.name} ({unit.unit}), {result.categories[unit.category]} ({unit.category}) — "
        f"{result.scheme_id} v{result.scheme_version}, as of {result.as_of.isoformat()}"
    )
    rows = [
        (
            r.indicator,
            r.title,
            r.observed,
            r.kind.removeprefix("rulelaw."),
            "—"
            if r.rule_points is None
            else f"{decimal_text(r.rule_points)}/{decimal_text(r.rule_max)}",
            decimal_text(r.effective_weight),
            decimal_text(r.points),
        )
        for r in unit.indicators
    ]
    table = tabulate(
        rows,
        headers=("indicator", "title", "observed", "rule", "rule pts", "worth", "points"),
        tablefmt=tablefmt,
        disable_numparse=True,
        colalign=("left", "left", "left", "left", "right", "right", "right"),
    )
    dimensions = [
        (d.level, f"{d.dimension} {d.title}: {decimal_text(d.points)} of {decimal_text(d.max)}")
        for d in unit.dimensions
    ]
    sums = [
        f"subtotal (indicators, on the scale of {decimal_text(result.scale)}): "
        f"{decimal_text(unit.subtotal)}",
        *(f"{a.kind} {a.item}: {signed_text(a.points)} — {a.reason}" for a in unit.adjustments),
        f"total: {decimal_text(unit.total)}",
    ]
    grade = (
        f"{unit.grade_label or '不确定等次 (not graded)'} — rank {unit.rank} in peer group "
        f"{unit.peer_group!r}, {unit.rank_overall} overall"
    )
    if tablefmt == "github":
        blocks = [
            f"## {head}",
            table,
            "### why",
            "\n".join(f"- `{r.indicator}` {r.reason}" for r in unit.indicators),
            "### dimensions",
            "\n".join("  " * (level - 1) + f"- {text}" for level, text in dimensions),
            "### total",
            "\n".join(f"- {line}" for line in sums),
            "### grade",
            grade,
        ]
        if unit.grade_steps:
            blocks.append("\n".join(f"- {step}" for step in unit.grade_steps))
        return "\n\n".join(block for block in blocks if block) + "\n"
    lines = [head, "", table, "", "why:"]
    lines.extend(f"  {r.indicator}  {r.reason}" for r in unit.indicators)
    lines.append("")
    lines.append("dimensions:")
    lines.extend("  " * level + text for level, text in dimensions)
    lines.append("")
    lines.extend(sums)
    lines.append("")
    lines.append(f"grade: {grade}")
    lines.extend(f"  {step}" for step in unit.grade_steps)
    return "\n".join(lines) + "\n"


def ranking_csv(result: Evaluation) -> str:
    """One row per unit: peer group, rank, top dimensions, adjustments, total, grade.

    Text cells that a spreadsheet would run as a formula are neutralised
    (see :mod:`rulelaw.report._csv`); numbers are written as they are.
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
        ]
    ]
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
                ]
            )
    return csv_text(rows)
