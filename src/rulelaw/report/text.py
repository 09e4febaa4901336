"""Text renderings: the ranking table, one unit's explanation, the CSV summary."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from tabulate import tabulate

from rulelaw.engine.results import Evaluation, UnitResult

__all__ = ["competition_ranks", "explain_unit", "ranking_csv", "ranking_table"]


def competition_ranks(units: Sequence[UnitResult]) -> list[tuple[int, UnitResult]]:
    """Units by total, highest first, with competition ranks (1, 2, 2, 4).

    Units with equal totals share a rank and are listed by unit id; the
    order among them is for display only.
    """
    ordered = sorted(units, key=lambda u: (-u.total, u.unit))
    ranked: list[tuple[int, UnitResult]] = []
    for position, unit in enumerate(ordered, start=1):
        if ranked and ranked[-1][1].total == unit.total:
            ranked.append((ranked[-1][0], unit))
        else:
            ranked.append((position, unit))
    return ranked


def _adjusted(unit: UnitResult, places: int) -> Decimal:
    """What the adjustments changed: total − subtotal, so the row reads as a sum."""
    return (unit.total - unit.subtotal).quantize(Decimal(1).scaleb(-places))


def _by_category(result: Evaluation) -> Iterable[tuple[str, str, list[UnitResult]]]:
    for category, name in result.categories.items():
        units = [u for u in result.units if u.category == category]
        if units:
            yield category, name, units


def ranking_table(result: Evaluation, tablefmt: str = "simple") -> str:
    """The ranking by total within each category: rank, unit, subtotal, adjustments, total."""
    header = (
        f"{result.scheme_title} — {result.scheme_id} v{result.scheme_version}, "
        f"as of {result.as_of.isoformat()}"
    )
    heading = {"html": "<p>{}</p>", "github": "## {}"}.get(tablefmt, "{}")
    subheading = {"html": "<h4>{}</h4>", "github": "### {}"}.get(tablefmt, "{}")
    blocks = [heading.format(header)]
    for category, name, units in _by_category(result):
        rows = [
            (rank, u.unit, u.name, u.subtotal, _adjusted(u, result.places), u.total)
            for rank, u in competition_ranks(units)
        ]
        count = f"{len(units)} unit" + ("s" if len(units) != 1 else "")
        blocks.append(subheading.format(f"{name} ({category}) — {count}"))
        blocks.append(
            tabulate(
                rows,
                headers=("rank", "unit", "name", "subtotal", "adjust", "total"),
                tablefmt=tablefmt,
                disable_numparse=True,
                colalign=("right", "left", "left", "right", "right", "right"),
            )
        )
    return "\n\n".join(blocks) + "\n"


def explain_unit(result: Evaluation, unit: UnitResult) -> str:
    """Every point of one unit: each indicator's observation, rule, reason and points."""
    lines = [
        f"{unit.name} ({unit.unit}), {result.categories[unit.category]} ({unit.category}) — "
        f"{result.scheme_id} v{result.scheme_version}, as of {result.as_of.isoformat()}",
        "",
    ]
    rows = []
    for r in unit.indicators:
        rows.append(
            (
                r.indicator,
                r.title,
                r.observed,
                r.kind.removeprefix("rulelaw."),
                "—" if r.rule_points is None else f"{r.rule_points}/{r.rule_max}",
                r.effective_weight,
                r.points,
            )
        )
    lines.append(
        tabulate(
            rows,
            headers=("indicator", "title", "observed", "rule", "rule pts", "worth", "points"),
            disable_numparse=True,
            colalign=("left", "left", "left", "left", "right", "right", "right"),
        )
    )
    lines.append("")
    lines.append("why:")
    for r in unit.indicators:
        lines.append(f"  {r.indicator}  {r.reason}")
    lines.append("")
    lines.append("dimensions:")
    for d in unit.dimensions:
        indent = "  " * d.level
        lines.append(f"{indent}{d.dimension} {d.title}: {d.points} of {d.max}")
    lines.append("")
    lines.append(f"subtotal (indicators, on the scale of {result.scale}): {unit.subtotal}")
    for a in unit.adjustments:
        lines.append(f"{a.kind} {a.item}: {a.points:+} — {a.reason}")
    lines.append(f"total: {unit.total}")
    return "\n".join(lines) + "\n"


def ranking_csv(result: Evaluation) -> str:
    """One row per unit: category, rank in category, top dimensions, adjustments, total."""
    top = []
    seen: set[str] = set()
    for unit in result.units:
        for d in unit.dimensions:
            if d.level == 1 and d.dimension not in seen:
                seen.add(d.dimension)
                top.append(d.dimension)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["category", "rank", "unit", "name", *top, "subtotal", "adjust", "total"])
    for category, _, units in _by_category(result):
        for rank, u in competition_ranks(units):
            subtotals = {d.dimension: d.points for d in u.dimensions}
            writer.writerow(
                [
                    category,
                    rank,
                    u.unit,
                    u.name,
                    *(subtotals.get(t, "") for t in top),
                    u.subtotal,
                    _adjusted(u, result.places),
                    u.total,
                ]
            )
    return buffer.getvalue()
