"""The engine scoring a leaf's values in one ``score_batch``, and falling back to ``score``.

Every assessment here has many units of one category and no adjustment
events, so every value goes through the array path, which batches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

import rulelaw
from rulelaw import (
    BatchContext,
    Count,
    EvaluationError,
    Measure,
    Outcome,
    Outcomes,
    Registry,
    RuleBase,
    RuleContext,
)
from rulelaw.model import ObservedValue
from rulelaw.rules.kinds import RateTarget

SCHEME = """\
id = "batch-2024"
title = "批量评分测试"
version = "1"
period = {{ start = 2024-01-01, end = 2024-12-31 }}

[[categories]]
id = "county"
name = "县市区"

[[dimensions]]
id = "1"
title = "测试"

[[indicators]]
id = "1.1"
parent = "1"
title = "受检指标"
measure = "{measure}"
rule = {rule}

[[indicators]]
id = "1.2"
parent = "1"
title = "法律顾问"
measure = "flag"
rule = {{ kind = "compliance" }}

[weights.county]
"1.1" = 60
"1.2" = 40
"""

UNITS = ["county-a", "county-b", "county-c", "county-d", "county-e", "county-f"]


def _folder(tmp_path: Path, measure: str, rule: str, cells: Sequence[str]) -> Path:
    """A folder of six counties; ``cells[i]`` is the 1.1 evidence of unit i after its id."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "scheme.toml").write_text(SCHEME.format(measure=measure, rule=rule), encoding="utf-8")
    (folder / "units.csv").write_text(
        "id,name,level,category\n" + "".join(f"{unit},{unit}县,county,county\n" for unit in UNITS),
        encoding="utf-8",
    )
    rows = [f"{unit},1.1,{cell}" for unit, cell in zip(UNITS, cells, strict=True)]
    rows += [f"{unit},1.2,,yes,,," for unit in UNITS]
    (folder / "evidence.csv").write_text(
        "unit,indicator,status,value,numerator,denominator,source\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return folder


def _spy(monkeypatch: pytest.MonkeyPatch, kind: type[Any]) -> list[tuple[int, str]]:
    """Record each ``score_batch`` call of ``kind``: how many values, and what it ended in."""
    calls: list[tuple[int, str]] = []
    original: Callable[..., Any] = kind.score_batch

    def score_batch(self: Any, values: Sequence[ObservedValue], context: BatchContext) -> Any:
        try:
            found = original(self, values, context)
        except Exception as exc:
            calls.append((len(values), type(exc).__name__))
            raise
        calls.append((len(values), "returned"))
        return found

    monkeypatch.setattr(kind, "score_batch", score_batch)
    return calls


# -- a third-party kind, with and without score_batch -------------------------------------


@attrs.frozen(kw_only=True)
class Tens(RuleBase):
    """Ten points a count, not clamped: a count above 10 scores above the maximum."""

    name: ClassVar[str] = "test.tens"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Ten points a count."""
        assert isinstance(value, Count)
        return Outcome.scored(10 * value.value, f"{value.value} × 10")


@attrs.frozen(kw_only=True)
class BatchedTens(Tens):
    """Tens, with a ``score_batch`` that gives what ``score`` gives."""

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """Ten points a count, in columns."""
        counts = [v.value for v in values if isinstance(v, Count)]
        return Outcomes(points=[10 * c for c in counts], reasons=[f"{c} × 10" for c in counts])


def _registry(kind: type[Any]) -> Registry:
    registry = rulelaw.default_registry()
    registry.register(kind)
    return registry


def _evaluate(folder: Path, kind: type[Any]) -> rulelaw.Evaluation:
    registry = _registry(kind)
    return rulelaw.evaluate(rulelaw.load(folder, registry=registry), registry=registry)


COUNTS = [",3,,,", ",7,,,", ",3,,,", "na,,,,", ",0,,,", ",10,,,"]


def test_a_right_score_batch_evaluates_as_score_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same kind with and without score_batch gives the same document, to the byte."""
    folder = _folder(tmp_path, "count", '{ kind = "test.tens" }', COUNTS)
    calls = _spy(monkeypatch, BatchedTens)
    batched = _evaluate(folder, BatchedTens)
    # 3, 7, 0 and 10 once each (the second 3 is the same entry, na is not the rule's)
    assert calls == [(4, "returned")]
    assert batched.to_json() == _evaluate(folder, Tens).to_json()
    # 60 × 3/10 + 40 = 58; na leaves 1.2 alone: 100
    assert [str(u.total) for u in batched.units] == [
        "58.00",
        "82.00",
        "58.00",
        "100.00",
        "40.00",
        "100.00",
    ]
    assert batched.unit("county-b").indicator("1.1").reason == "7 × 10"


def test_points_above_max_from_both_paths_name_the_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Points above max in a batch: scored again value by value, score's error names the unit."""
    cells = [*COUNTS[:4], ",11,,,", COUNTS[5]]
    folder = _folder(tmp_path, "count", '{ kind = "test.tens" }', cells)
    calls = _spy(monkeypatch, BatchedTens)
    with pytest.raises(EvaluationError) as info:
        _evaluate(folder, BatchedTens)
    assert calls == [(4, "returned")]
    assert str(info.value) == (
        "rule kind 'test.tens' gave unit 'county-e', indicator '1.1' points 110 "
        "(expected 0 … 100) with reason '11 × 10'"
    )


def _raising(self: Any, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
    raise RuntimeError("no batches today")


def _above_max(self: Any, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
    return Outcomes(points=[1000] * len(values), reasons=["too many"] * len(values))


def _one_short(self: Any, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
    return Outcomes(points=[0] * (len(values) - 1), reasons=["short"] * (len(values) - 1))


def _blank_reasons(self: Any, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
    return Outcomes(points=[0] * len(values), reasons=[" "] * len(values))


def _a_list(self: Any, values: Sequence[ObservedValue], context: BatchContext) -> Any:
    return [Outcome.scored(0, "zero") for _ in values]


def _bad_band(self: Any, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
    bands = [7, *[None] * (len(values) - 1)]
    return Outcomes(points=[0] * len(values), reasons=["zero"] * len(values), bands=bands)


@pytest.mark.parametrize(
    ("field", "wrong", "expected"),
    [
        ("reason", None, "points 0 (expected 0 … 100) with reason None"),
        ("band", 7, "band 7; expected a text or none"),
    ],
)
def test_an_outcome_with_a_reason_or_band_not_a_text_is_refused_naming_the_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, wrong: object, expected: str
) -> None:
    """Outcome does not check its fields' types; the engine does, for score and batches alike."""
    folder = _folder(tmp_path, "count", '{ kind = "test.tens" }', COUNTS)

    def score(self: Any, value: ObservedValue, context: RuleContext) -> Outcome:
        return Outcome(points=0, **{"reason": "zero", field: wrong})  # type: ignore[arg-type]

    monkeypatch.setattr(Tens, "score", score)
    with pytest.raises(EvaluationError) as info:
        _evaluate(folder, Tens)
    assert (
        str(info.value) == f"rule kind 'test.tens' gave unit 'county-a', indicator '1.1' {expected}"
    )


@pytest.mark.parametrize(
    ("broken", "cause"),
    [
        (_raising, "RuntimeError: no batches today"),
        (_above_max, "value 0 (3): points 1000 outside 0 … 100"),
        (_blank_reasons, "value 0 (3): reason ' '"),
        (_one_short, "returned 3 outcomes for 4 values"),
        (_a_list, "returned list, not Outcomes"),
        (_bad_band, "value 0 (3): band 7"),
    ],
    ids=["raises", "above-max", "blank-reasons", "one-short", "a-list", "bad-band"],
)
def test_score_batch_failing_where_score_does_not(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    broken: Callable[..., Any],
    cause: str,
) -> None:
    """A broken batch is scored again value by value; score being fine, the batch is blamed."""
    folder = _folder(tmp_path, "count", '{ kind = "test.tens" }', COUNTS)
    monkeypatch.setattr(BatchedTens, "score_batch", broken)
    with pytest.raises(EvaluationError) as info:
        _evaluate(folder, BatchedTens)
    assert str(info.value) == (
        f"rule kind 'test.tens', indicator '1.1': score_batch failed ({cause}) where score, "
        "value by value, did not"
    )


# -- a built-in kind ----------------------------------------------------------------------


def test_empty_denominator_declared_an_error_names_the_first_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rate-target, ``empty = "error"``: the batch raises; value by value, the first 0/0 named."""
    cells = [
        ",,9,10,",
        ",,8,10,",
        ",,0,0,甲",  # the first 0/0
        ",,9,10,",
        ",,0,0,",  # another 0/0, another entry
        ",,0,0,甲",
    ]
    rule = '{ kind = "rate-target", target = 100, floor = 80, empty = "error" }'
    folder = _folder(tmp_path, "rate", rule, cells)
    calls = _spy(monkeypatch, RateTarget)
    with pytest.raises(EvaluationError) as info:
        rulelaw.evaluate(rulelaw.load(folder))
    assert str(info.value) == (
        "unit 'county-c', indicator '1.1': empty denominator (0 of 0), which this scheme "
        "declares an error"
    )
    assert calls == [(4, "EvaluationError")]


@pytest.mark.parametrize(
    ("measure", "rule", "cells", "batch"),
    [
        ("count", '{ kind = "relative" }', COUNTS, 4),
        ("count", '{ kind = "relative", method = "rank" }', COUNTS, 4),
        (
            "rate",
            '{ kind = "rate-target", target = 95, per_point = 2.5 }',
            # 9/10 twice: two entries (one has a source), so two values of the batch
            [",,9,10,", ",,91,99,", ",,0,0,", ",,9,10,甲", "na,,,,", ",,19,20,"],
            5,
        ),
    ],
    ids=["relative", "relative-rank", "rate-target"],
)
def test_builtin_kinds_evaluate_alike_batched_or_not(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    measure: str,
    rule: str,
    cells: list[str],
    batch: int,
) -> None:
    """A built-in kind's batch (the peer group's values for relative) gives what score gives."""
    folder = _folder(tmp_path, measure, rule, cells)
    kind = rulelaw.default_registry().get(rule.split('"')[1])
    calls = _spy(monkeypatch, kind)
    batched = rulelaw.evaluate(rulelaw.load(folder)).to_json()
    assert calls == [(batch, "returned")]
    monkeypatch.setattr(kind, "score_batch", None)  # the engine then scores value by value
    assert rulelaw.evaluate(rulelaw.load(folder)).to_json() == batched


def test_a_subclass_rewriting_score_alone_does_not_inherit_the_batch(tmp_path: Path) -> None:
    """A built-in kind's batch follows its own score; a subclass with a new score loses it."""
    from rulelaw.rules.kinds import CountTarget

    @attrs.frozen(kw_only=True)
    class Halved(CountTarget):
        name: ClassVar[str] = "test.halved"

        def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
            outcome = super().score(value, context)
            return Outcome.scored(outcome.points / 2, "half of: " + outcome.reason)

    assert Halved.score_batch is None  # type: ignore[comparison-overlap]
    assert CountTarget.score_batch is not None
    folder = _folder(tmp_path, "count", '{ kind = "test.halved", target = 4 }', COUNTS)
    result = _evaluate(folder, Halved)
    # 3 of 4 → 75, halved 37.5; 60 × 37.5% + 40 = 62.50
    assert result.unit("county-a").indicator("1.1").reason == "half of: 3 of target 4 → 75 of 100"
    assert str(result.unit("county-a").total) == "62.50"
