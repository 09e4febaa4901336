"""An evaluation's tidy tables: result.frames() (Arrow), to_pandas(), to_polars()."""

from __future__ import annotations

import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import rulelaw
from rulelaw.report import frames as report_frames
from rulelaw.testing import check_paths_agree

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini"
DEMO = ROOT / "examples" / "demo-city"
POINTS = pa.decimal128(18, 2)


@pytest.fixture(scope="module")
def mini() -> rulelaw.Evaluation:
    """The mini folder, evaluated."""
    return rulelaw.evaluate(rulelaw.load(MINI))


@pytest.fixture(scope="module")
def demo() -> rulelaw.Evaluation:
    """The demo city, evaluated."""
    return rulelaw.evaluate(rulelaw.load(DEMO))


def test_tables_and_rows(mini: rulelaw.Evaluation) -> None:
    """Every table, in order; a row per unit, per unit and indicator (15: 4 + 4 + 4 + 3), ….

    The department's category has three indicators (no 2.1), the counties' four.
    """
    frames = mini.frames()
    assert list(frames) == [
        "units",
        "dimensions",
        "indicators",
        "adjustments",
        "grade_steps",
        "people",
        "panels",
        "ledger",
    ]
    rows = {name: table.num_rows for name, table in frames.items()}
    assert rows == {
        "units": 4,
        "dimensions": 8,
        "indicators": 15,
        "adjustments": 0,
        "grade_steps": 8,
        "people": 3,
        "panels": 0,
        "ledger": 0,
    }
    assert frames.units is frames["units"]
    assert repr(frames).startswith("Frames(units: 4 rows, dimensions: 8 rows, indicators: 15 rows")
    with pytest.raises(AttributeError):
        _ = frames.nothing
    again = pickle.loads(pickle.dumps(frames))
    assert list(again) == list(frames)
    assert all(again[name].equals(frames[name]) for name in frames)


def test_units_table_exact(mini: rulelaw.Evaluation) -> None:
    """Totals as exact decimals with the scheme's two places, each dimension under its title.

    city: 学法用法 10.00 + 12.00 = 22.00, 依法决策 60.00 (2.1 not applicable, its
    weight to 2.2) → 82.00; 甲县: 18.50 + 30.00 = 48.50; 乙区 nothing submitted → 0.00;
    市司法局: 40.00 + 20.00 = 60.00 and 0.00 → 60.00.
    """
    units = mini.frames().units
    assert units.column_names == [
        "unit",
        "name",
        "category",
        "level",
        "peer_group",
        "学法用法",
        "依法决策",
        "subtotal",
        "adjustments",
        "total",
        "vetoes",
        "grade",
        "grade_id",
        "not_graded",
        "rank",
        "rank_overall",
    ]
    for name in ("学法用法", "依法决策", "subtotal", "adjustments", "total"):
        assert units.schema.field(name).type == POINTS
    assert units.schema.field("rank").type == pa.int64()
    assert units.schema.field("vetoes").type == pa.list_(pa.string())
    assert units["unit"].to_pylist() == ["city", "county-a", "county-b", "dept-justice"]
    assert units["total"].to_pylist() == [
        Decimal("82.00"),
        Decimal("48.50"),
        Decimal("0.00"),
        Decimal("60.00"),
    ]
    assert units["学法用法"].to_pylist() == [
        Decimal("22.00"),
        Decimal("18.50"),
        Decimal("0.00"),
        Decimal("60.00"),
    ]
    assert units["grade"].to_pylist() == ["良好", "不合格", "不合格", "合格"]
    assert units["rank"].to_pylist() == [1, 2, 3, 1]
    assert units["rank_overall"].to_pylist() == [1, 3, 4, 2]
    assert units["not_graded"].to_pylist() == [None] * 4


def test_indicator_lines_exact(mini: rulelaw.Evaluation) -> None:
    """The city's 1.1: 45/50 = 90%, linear from floor 80% to target 100% → 50 of 100.

    Its weight is 20, so it adds 50/100 × 20 = 10.00; 2.1 (0/0) is not applicable:
    no rule points (null), worth 0.00.
    """
    lines = mini.frames().indicators
    assert lines.column_names == list(report_frames.INDICATOR_COLUMNS)
    for name in ("rule_points", "points", "max"):
        assert lines.schema.field(name).type == POINTS
    first = lines.slice(0, 1).to_pylist()[0]
    assert first == {
        "unit": "city",
        "indicator": "1.1",
        "title": "学法考试参考率",
        "dimension": "1",
        "status": "scored",
        "observed": "45/50 (90.00%)",
        "observed_code": "value.rate-counts",
        "rule_points": Decimal("50.00"),
        "points": Decimal("10.00"),
        "max": Decimal("20.00"),
        "band": None,
        "reason": "45/50 (90.00%) short of target 100%: linear to floor 80% → 50 of 100",
        "reason_code": "rate-target.linear",
        "source": "市委依法治市办",
        "source_code": None,
        "tags": [],
    }
    na = lines.slice(2, 1).to_pylist()[0]
    assert (na["indicator"], na["status"], na["rule_points"], na["points"], na["max"]) == (
        "2.1",
        "not-applicable",
        None,
        Decimal("0.00"),
        Decimal("0.00"),
    )
    # the points of a unit's lines add up to its subtotal: 10.00 + 12.00 + 0.00 + 60.00
    units, points = lines["unit"].to_pylist(), lines["points"].to_pylist()
    city = [p for u, p in zip(units, points, strict=True) if u == "city"]
    assert sum(city) == Decimal("82.00")


def test_grade_steps_and_people(mini: rulelaw.Evaluation) -> None:
    """Grade steps numbered in order with their codes; leaders with their scores (48.50 = 甲县)."""
    frames = mini.frames()
    steps = frames.grade_steps.slice(0, 2).to_pylist()
    assert steps == [
        {
            "unit": "city",
            "number": 1,
            "step": "rank 1 of 3 in 县市区",
            "step_code": "rank.in-group",
        },
        {
            "unit": "city",
            "number": 2,
            "step": "total 82.00 ≥ 80 → 良好",
            "step_code": "grade.threshold",
        },
    ]
    people = frames.people
    assert people["person"].to_pylist() == ["p1", "p2", "p3"]
    assert people["score"].to_pylist() == [Decimal("48.50"), Decimal("48.50"), Decimal("60.00")]
    assert people["time_in_post"].to_pylist()[2] == "12 months 0 days"
    assert people["time_in_post_code"].to_pylist()[2] == "people.time-in-post"
    assert people["fulfilment"].to_pylist() == [None, None, None]


def test_not_graded_unit(demo: rulelaw.Evaluation) -> None:
    """The earthquake bureau (新组建) is not graded: no grade, the roster's reason, still ranked."""
    units = demo.frames().units.to_pylist()
    (row,) = [u for u in units if u["unit"] == "dept-45"]
    assert row["grade"] is None
    assert row["grade_id"] is None
    assert row["not_graded"] == "2024年机构改革新组建，考核期不足一年"
    assert row["total"] == Decimal("90.91")
    graded = [u for u in units if u["unit"] != "dept-45"]
    assert all(u["not_graded"] is None and u["grade"] for u in graded)


def test_demo_tables(demo: rulelaw.Evaluation) -> None:
    """The demo city's tables: 52 units, 1,512 indicator lines, adjustments, panels, ledger."""
    frames = demo.frames()
    assert frames.units.num_rows == 52
    assert frames.indicators.num_rows == 1512
    assert frames.adjustments.num_rows == 28
    assert frames.panels.num_rows == 7
    assert frames.ledger.num_rows == 6
    assert frames.panels.schema.field("date").type == pa.date32()
    assert frames.ledger.schema.field("deadline").type == pa.date32()
    # the adjustments column is what the adjustments changed: total − subtotal
    units = frames.units.to_pylist()
    assert all(u["subtotal"] + u["adjustments"] == u["total"] for u in units)
    # a unit's indicator lines and its adjustment lines (a rounding line among them) add up
    # to its total exactly
    lines = frames.indicators.to_pylist()
    adjustments = frames.adjustments.to_pylist()
    for u in units:
        points = sum((x["points"] for x in lines if x["unit"] == u["unit"]), Decimal("0.00"))
        added = sum((a["points"] for a in adjustments if a["unit"] == u["unit"]), Decimal(0))
        assert points + added == u["total"], u["unit"]
    kinds = {a["kind"] for a in adjustments}
    assert {"bonus", "rounding"} <= kinds


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_arrays_and_plain_way_agree(demo: rulelaw.Evaluation, lang: str) -> None:
    """The indicators table taken from the arrays equals the one made from the lines.

    In either language; and both equal the tables of the reference evaluation.
    """
    fast = demo.frames(lang=lang)
    plain = demo.frames(lang=lang, reference=True)
    reference = rulelaw.evaluate(rulelaw.load(DEMO), reference=True).frames(lang=lang)
    for name in fast:
        assert fast[name].equals(plain[name]), name
        assert fast[name].equals(reference[name]), name


def test_texts_in_chinese(demo: rulelaw.Evaluation) -> None:
    """Texts that are messages are rendered in zh-CN; their codes are the same in both languages."""
    en = demo.frames().indicators.slice(1, 1).to_pylist()[0]
    zh = demo.frames(lang="zh-CN").indicators.slice(1, 1).to_pylist()[0]
    assert en["reason"] == "done 2025-03-01, due 2025-03-01: on time"
    assert zh["reason"] == "2025年3月1日完成，截止日期2025年3月1日：按时完成"
    assert zh["source"] == "年度报告报送情况"
    assert (en["reason_code"], en["source_code"]) == (zh["reason_code"], zh["source_code"])
    assert en["points"] == zh["points"] == Decimal("3.00")


def test_check_paths_agree_compares_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table from the arrays that differs from the plain way's: named by table, row, column."""
    counts = report_frames._counts

    def off_by_one(values: object, of: int, places: int, precision: int | None) -> object:
        import numpy as np

        return counts(np.asarray(values) + 1, of, places, precision)

    monkeypatch.setattr(report_frames, "_counts", off_by_one)
    with pytest.raises(AssertionError) as caught:
        check_paths_agree(MINI)
    assert str(caught.value) == (
        "the frames arrays, made the plain way differ from those made from arrays: "
        "table 'indicators', row 0, column 'points': Decimal('10.00'), not Decimal('10.01')"
    )


def test_pandas_exact_and_for_exploring(mini: rulelaw.Evaluation) -> None:
    """Exact: ArrowDtype decimals, sum 82.00 + 48.50 + 0.00 + 60.00 = 190.50; describe() skips them.

    ``exact=False`` gives float64 columns that describe() reads: mean 190.5 / 4 = 47.625.
    """
    units = mini.to_pandas()["units"]
    assert units["total"].dtype == pd.ArrowDtype(POINTS)
    assert units["total"].sum() == Decimal("190.50")
    assert units["total"].max() == Decimal("82.00")
    assert "total" not in units.describe().columns  # pandas leaves Arrow decimals out
    rough = mini.to_pandas(exact=False)["units"]
    assert rough["total"].dtype == "float64"
    described = rough.describe()
    assert described.loc["count", "total"] == 4
    assert described.loc["mean", "total"] == 47.625
    lines = mini.to_pandas()["indicators"]
    assert len(lines) == 15
    assert lines.groupby("unit")["points"].sum()["county-a"] == Decimal("48.50")


def test_polars_exact_and_described(mini: rulelaw.Evaluation) -> None:
    """Polars keeps Decimal(38, 2), and describe() works on it: mean 47.625."""
    units = mini.to_polars()["units"]
    assert units.schema["total"] == pl.Decimal(18, 2)
    assert units["total"].sum() == Decimal("190.50")
    described = units.select("total").describe()
    assert described.filter(pl.col("statistic") == "mean")["total"][0] == 47.625
    assert mini.to_polars(exact=False)["units"].schema["total"] == pl.Float64


def test_missing_extras_named(mini: rulelaw.Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas or polars the error says which extra to install."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(rulelaw.MissingExtra) as caught:
        mini.to_pandas()
    assert str(caught.value) == 'pandas is not installed: pip install "rulelaw[pandas]"'
    assert caught.value.text("zh-CN") == '未安装pandas：请运行 pip install "rulelaw[pandas]"'
    assert isinstance(caught.value, ImportError)
    with pytest.raises(rulelaw.MissingExtra, match=r'pip install "rulelaw\[polars\]"'):
        mini.frames().to_polars()
    assert mini.frames().units.num_rows == 4  # Arrow needs neither


def test_import_rulelaw_imports_neither() -> None:
    """``import rulelaw`` (and loading, evaluating) imports neither pandas nor polars.

    (pyarrow itself may import an installed pandas when it converts Python values.)
    """
    code = (
        "import sys, rulelaw\n"
        f"r = rulelaw.evaluate(rulelaw.load({str(MINI)!r}))\n"
        "print('pandas' in sys.modules, 'polars' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False False\n"


def test_wide_decimals_become_text() -> None:
    """Columns widen: more places, then 38 digits; beyond 38 digits a column is text."""
    wide = Decimal("1" * 40 + ".5")
    column = report_frames._decimals([wide, None], 2)
    assert column.type == pa.string()
    assert column.to_pylist() == ["1" * 40 + ".5", None]
    # more places than the scheme's widen the column
    column = report_frames._decimals([Decimal("1.125"), Decimal("2")], 2)
    assert column.type == pa.decimal128(18, 3)
    assert column.to_pylist() == [Decimal("1.125"), Decimal("2.000")]
    column = report_frames._decimals([Decimal("1" * 20 + ".5")], 2)
    assert column.type == pa.decimal128(38, 2)


def test_the_indicator_lines_carry_their_tags_and_a_tag_is_a_filter() -> None:
    """Each line's tags as a list; filtering by a tag and summing gives tag_subtotals exactly."""
    import polars as pl

    result = rulelaw.evaluate(rulelaw.load(rulelaw.demo_path()))
    lines = result.frames().indicators
    assert str(lines.schema.field("tags").type) == "list<item: string>"
    tagged = set(result.tagged("督察"))
    assert {row["indicator"] for row in lines.to_pylist() if "督察" in row["tags"]} == tagged
    frame = result.to_polars()["indicators"]
    sums = (
        frame.filter(pl.col("tags").list.contains("督察"))
        .group_by("unit")
        .agg(pl.col("points").sum())
        .rows()
    )
    assert dict(sums) == {t.unit: t.points for t in result.tag_subtotals("督察")}
