"""Indicators with equal rules sharing verdicts, as ``indicator_fields`` allows.

A kind that declares ``indicator_fields`` promises that its outcome reads no
other field of the indicator; the engine then judges a value once for every
indicator whose rule is equal and whose declared fields are equal. These
tests count the rule's calls, on the array path and with every unit through
the per-unit path, and check the results against the kind without the
declaration, judged per indicator.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

import rulelaw
from rulelaw import (
    BatchContext,
    Count,
    Measure,
    Outcome,
    Outcomes,
    Registry,
    RuleBase,
    RuleContext,
)
from rulelaw.model import ObservedValue
from rulelaw.rules.kinds import CountTarget, RateTarget

HEAD = """\
id = "families-2024"
title = "同规则指标测试"
version = "1"
period = { start = 2024-01-01, end = 2024-12-31 }

[[categories]]
id = "county"
name = "县市区"

[[dimensions]]
id = "1"
title = "测试"
"""


def _indicator(id_: str, title: str, measure: str, rule: str, direction: str = "higher") -> str:
    return (
        f'\n[[indicators]]\nid = "{id_}"\nparent = "1"\ntitle = "{title}"\n'
        f'measure = "{measure}"\ndirection = "{direction}"\nrule = {rule}\n'
    )


def _folder(
    tmp_path: Path,
    indicators: Sequence[str],
    weights: dict[str, int],
    evidence: Sequence[str],
) -> Path:
    """A folder of the counties named in ``evidence`` (rows ``unit,indicator,…``)."""
    folder = tmp_path / "families"
    folder.mkdir()
    weight_lines = "".join(f'"{k}" = {w}\n' for k, w in weights.items())
    (folder / "scheme.toml").write_text(
        HEAD + "".join(indicators) + "\n[weights.county]\n" + weight_lines, encoding="utf-8"
    )
    units = dict.fromkeys(row.split(",", 1)[0] for row in evidence)
    (folder / "units.csv").write_text(
        "id,name,level,category\n" + "".join(f"{u},{u}县,county,county\n" for u in units),
        encoding="utf-8",
    )
    (folder / "evidence.csv").write_text(
        "unit,indicator,status,value,numerator,denominator,reason,source\n"
        + "".join(row + "\n" for row in evidence),
        encoding="utf-8",
    )
    return folder


# -- a third-party kind that counts its calls ---------------------------------------------


@attrs.frozen(kw_only=True)
class Tens(RuleBase):
    """Ten points a count, up to max; records what it is asked to score."""

    name: ClassVar[str] = "test.tens"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Ten points a count, clamped."""
        assert isinstance(value, Count)
        CALLS.append(("score", (value.value,)))
        return Outcome.scored(self.clamp(Fraction(10 * value.value)), f"{value.value} × 10")

    def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
        """Each value as ``score`` scores it."""
        counts = [v.value for v in values if isinstance(v, Count)]
        CALLS.append(("batch", tuple(sorted(counts))))
        return Outcomes(
            points=[self.clamp(Fraction(10 * c)) for c in counts],
            reasons=[f"{c} × 10" for c in counts],
        )


@attrs.frozen(kw_only=True)
class SharedTens(Tens):
    """Tens, declaring that its outcome reads no field of the indicator."""

    indicator_fields: ClassVar[frozenset[str] | None] = frozenset()


CALLS: list[tuple[str, tuple[int, ...]]] = []


@pytest.fixture(autouse=True)
def _no_calls_yet() -> Iterator[None]:
    CALLS.clear()
    yield
    CALLS.clear()


def _registry(kind: type[Any]) -> Registry:
    registry = rulelaw.default_registry()
    registry.register(kind)
    return registry


def _evaluate(folder: Path, kind: type[Any], *, reference: bool = False) -> rulelaw.Evaluation:
    registry = _registry(kind)
    assessment = rulelaw.load(folder, registry=registry)
    return rulelaw.evaluate(assessment, registry=registry, reference=reference)


# 1.1 and 1.2 have equal rules; 1.3's rule has another max, so it is judged apart.
TENS = [
    _indicator("1.1", "甲项", "count", '{ kind = "test.tens" }'),
    _indicator("1.2", "乙项", "count", '{ kind = "test.tens" }'),
    _indicator("1.3", "丙项", "count", '{ kind = "test.tens", max = 50 }'),
]
TENS_WEIGHTS = {"1.1": 40, "1.2": 40, "1.3": 20}
TENS_EVIDENCE = [
    "county-a,1.1,,3,,,,",
    "county-a,1.2,,3,,,,",
    "county-a,1.3,,3,,,,",
    "county-b,1.1,,7,,,,",
    "county-b,1.2,,3,,,,",
    "county-b,1.3,,10,,,,",
    "county-c,1.1,,3,,,,",
    "county-c,1.2,,7,,,,",
    "county-c,1.3,,7,,,,",
    "county-d,1.1,na,,,,,",
    "county-d,1.2,,10,,,,",
    "county-d,1.3,,3,,,,",
]


def test_equal_rules_of_a_declaring_kind_judge_each_value_once_in_arrays(tmp_path: Path) -> None:
    """Array path: 1.2 judges only the value 1.1 did not have; 1.3 (another rule) all its own."""
    folder = _folder(tmp_path, TENS, TENS_WEIGHTS, TENS_EVIDENCE)
    shared = _evaluate(folder, SharedTens)
    assert CALLS == [
        ("batch", (3, 7)),  # 1.1: 3 and 7 (na is not the rule's)
        ("score", (10,)),  # 1.2: 3 and 7 as judged for 1.1; 10 alone goes to score
        ("batch", (3, 7, 10)),  # 1.3: another rule (max 50)
    ]
    CALLS.clear()
    apart = _evaluate(folder, Tens)
    assert CALLS == [("batch", (3, 7)), ("batch", (3, 7, 10)), ("batch", (3, 7, 10))]
    assert shared.to_json() == apart.to_json()
    assert shared.units == apart.units
    # a: 40 × 30% + 40 × 30% + 20 × 30/50 = 12 + 12 + 12 = 36
    # b: 40 × 70% + 40 × 30% + 20 × 50/50 = 28 + 12 + 20 = 60
    # c: 40 × 30% + 40 × 70% + 20 × 50/50 = 12 + 28 + 20 = 60
    # d: 1.1 not applicable, its weight shared out: 1.2 worth 100 × 40/60 at 100% = 66.67,
    #    1.3 worth 100 × 20/60 at 30/50 = 20; 86.67
    assert {u.unit: str(u.total) for u in shared.units} == {
        "county-a": "36.00",
        "county-b": "60.00",
        "county-c": "60.00",
        "county-d": "86.67",
    }
    line = shared.unit("county-c").indicator("1.2")
    assert (line.reason, str(line.points)) == ("7 × 10", "28.00")


def test_equal_rules_of_a_declaring_kind_judge_each_value_once_unit_by_unit(
    tmp_path: Path,
) -> None:
    """Per-unit path: each value scored once for 1.1 and 1.2 together, once for 1.3."""
    folder = _folder(tmp_path, TENS, TENS_WEIGHTS, TENS_EVIDENCE)
    arrays = _evaluate(folder, Tens)
    CALLS.clear()
    shared = _evaluate(folder, SharedTens, reference=True)
    assert CALLS == [
        ("score", (3,)),  # a 1.1 (1.2's 3 is the same verdict)
        ("score", (3,)),  # a 1.3
        ("score", (7,)),  # b 1.1 (b 1.2's 3 is remembered)
        ("score", (10,)),  # b 1.3
        ("score", (7,)),  # c 1.3 (c 1.2's 7 is 1.1's)
        ("score", (10,)),  # d 1.2 (d 1.3's 3 is remembered)
    ]
    CALLS.clear()
    apart = _evaluate(folder, Tens, reference=True)
    assert CALLS == [
        ("score", (3,)),  # a 1.1
        ("score", (3,)),  # a 1.2
        ("score", (3,)),  # a 1.3
        ("score", (7,)),  # b 1.1
        ("score", (10,)),  # b 1.3
        ("score", (7,)),  # c 1.2
        ("score", (7,)),  # c 1.3
        ("score", (10,)),  # d 1.2
    ]
    assert shared.units == apart.units == arrays.units
    assert shared.to_json() == apart.to_json() == arrays.to_json()


# -- a declared field that differs: no sharing ----------------------------------------------

RATE_RULE = '{ kind = "rate-target", target = 50, per_point = 2 }'


@pytest.mark.parametrize("per_unit", [False, True], ids=["arrays", "per-unit"])
def test_equal_rules_with_opposite_directions_are_judged_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_unit: bool
) -> None:
    """rate-target reads the direction: 1.2 (lower) is judged apart, 1.3 (higher) shares 1.1's."""
    folder = _folder(
        tmp_path,
        [
            _indicator("1.1", "甲项", "rate", RATE_RULE),
            _indicator("1.2", "乙项", "rate", RATE_RULE, direction="lower"),
            _indicator("1.3", "丙项", "rate", RATE_RULE),
        ],
        {"1.1": 40, "1.2": 40, "1.3": 20},
        [
            f"{unit},{indicator},,,{rate},100,,"
            for unit, rate in (("county-a", 40), ("county-b", 60))
            for indicator in ("1.1", "1.2", "1.3")
        ],
    )
    judged: list[tuple[str, str]] = []
    original = RateTarget._judge

    def spy(self: RateTarget, value: ObservedValue, context: Any) -> Any:
        judged.append((context.indicator.id, value.describe()))
        return original(self, value, context)

    monkeypatch.setattr(RateTarget, "_judge", spy)
    result = rulelaw.evaluate(rulelaw.load(folder), reference=per_unit)
    assert sorted(judged) == [
        ("1.1", "40/100 (40.00%)"),
        ("1.1", "60/100 (60.00%)"),
        ("1.2", "40/100 (40.00%)"),
        ("1.2", "60/100 (60.00%)"),
    ]
    lines = {
        (u.unit, line.indicator): (str(line.points), line.reason)
        for u in result.units
        for line in u.indicators
    }
    short = "is 10 points short of target 50%: −2 per point → 80 of 100"
    assert lines == {
        # higher is better: 40% is 10 points short, 100 − 2 × 10 = 80 of 100 → 80% of the weight
        ("county-a", "1.1"): ("32.00", f"40/100 (40.00%) {short}"),
        ("county-a", "1.2"): ("40.00", "40/100 (40.00%) ≤ target 50%"),
        ("county-a", "1.3"): ("16.00", f"40/100 (40.00%) {short}"),
        ("county-b", "1.1"): ("40.00", "60/100 (60.00%) ≥ target 50%"),
        # lower is better: 60% is 10 points above the ceiling
        ("county-b", "1.2"): ("32.00", f"60/100 (60.00%) {short}"),
        ("county-b", "1.3"): ("20.00", "60/100 (60.00%) ≥ target 50%"),
    }
    # a: 32 + 40 + 16 = 88; b: 40 + 32 + 20 = 92
    assert {u.unit: str(u.total) for u in result.units} == {
        "county-a": "88.00",
        "county-b": "92.00",
    }


@pytest.mark.parametrize("per_unit", [False, True], ids=["arrays", "per-unit"])
def test_equal_rules_written_differently_keep_their_own_reasons(
    tmp_path: Path, per_unit: bool
) -> None:
    """``target = 95`` and ``target = 95.0`` are equal rules, but each reason shows its own."""
    folder = _folder(
        tmp_path,
        [
            _indicator(
                "1.1", "甲项", "rate", '{ kind = "rate-target", target = 95, per_point = 2 }'
            ),
            _indicator(
                "1.2", "乙项", "rate", '{ kind = "rate-target", target = 95.0, per_point = 2.0 }'
            ),
        ],
        {"1.1": 50, "1.2": 50},
        ["county-a,1.1,,,9,10,,", "county-a,1.2,,,9,10,,"],
    )
    unit = rulelaw.evaluate(rulelaw.load(folder), reference=per_unit).unit("county-a")
    assert [line.reason for line in unit.indicators] == [
        "9/10 (90.00%) is 5 points short of target 95%: −2 per point → 90 of 100",
        "9/10 (90.00%) is 5 points short of target 95.0%: −2.0 per point → 90 of 100",
    ]


# -- false evidence: the penalty names its own indicator ---------------------------------------


@pytest.mark.parametrize("per_unit", [False, True], ids=["arrays", "per-unit"])
def test_false_evidence_penalties_name_their_own_indicator(tmp_path: Path, per_unit: bool) -> None:
    """Equal rules, the same false entry: each indicator's adjustment line names that indicator."""
    rule = '{ kind = "compliance", false_penalty = 5 }'
    folder = _folder(
        tmp_path,
        [
            _indicator("1.1", "甲项", "flag", rule),
            _indicator("1.2", "乙项", "flag", rule),
            _indicator("1.3", "丙项", "flag", '{ kind = "compliance" }'),
        ],
        {"1.1": 40, "1.2": 40, "1.3": 20},
        [
            "county-a,1.1,false,,,,材料系伪造,",
            "county-a,1.2,false,,,,材料系伪造,",
            "county-a,1.3,,yes,,,,",
            "county-b,1.1,,yes,,,,",
            "county-b,1.2,false,,,,材料系伪造,",
            "county-b,1.3,,yes,,,,",
        ],
    )
    result = rulelaw.evaluate(rulelaw.load(folder), reference=per_unit)
    adjustments = {
        u.unit: [(a.kind, a.item, str(a.points), a.reason) for a in u.adjustments]
        for u in result.units
    }
    assert adjustments == {
        "county-a": [
            (
                "deduction",
                "false-evidence:1.1",
                "-5.00",
                "1.1 甲项: evidence marked false (材料系伪造) (false_penalty)",
            ),
            (
                "deduction",
                "false-evidence:1.2",
                "-5.00",
                "1.2 乙项: evidence marked false (材料系伪造) (false_penalty)",
            ),
        ],
        "county-b": [
            (
                "deduction",
                "false-evidence:1.2",
                "-5.00",
                "1.2 乙项: evidence marked false (材料系伪造) (false_penalty)",
            ),
        ],
    }
    reason = "evidence marked false (材料系伪造): scores 0; −5 off the total (false_penalty)"
    assert [line.reason for line in result.unit("county-a").indicators[:2]] == [reason, reason]
    # a: 0 + 0 + 20 − 5 − 5 = 10; b: 40 + 0 + 20 − 5 = 55
    assert {u.unit: str(u.total) for u in result.units} == {
        "county-a": "10.00",
        "county-b": "55.00",
    }


# -- a subclass that rewrites how it scores -------------------------------------------------


def test_a_subclass_rewriting_its_scoring_drops_the_declaration() -> None:
    """Overriding ``score``, ``_judge`` or ``score_batch`` without declaring anew: None."""

    @attrs.frozen(kw_only=True)
    class Judged(CountTarget):
        name: ClassVar[str] = "test.judged"

        def _judge(self, value: ObservedValue, context: Any) -> Any:
            return super()._judge(value, context)

    @attrs.frozen(kw_only=True)
    class Scored(CountTarget):
        name: ClassVar[str] = "test.scored"

        def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
            return super().score(value, context)

    @attrs.frozen(kw_only=True)
    class Batched(CountTarget):
        name: ClassVar[str] = "test.batched"

        def score_batch(self, values: Sequence[ObservedValue], context: BatchContext) -> Outcomes:
            return super().score_batch(values, context)

    @attrs.frozen(kw_only=True)
    class Titled(CountTarget):
        name: ClassVar[str] = "test.titled"
        indicator_fields: ClassVar[frozenset[str] | None] = frozenset({"title"})

        def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
            outcome = super().score(value, context)
            return Outcome.scored(outcome.points, f"{context.indicator.title}: {outcome.reason}")

    @attrs.frozen(kw_only=True)
    class Renamed(CountTarget):
        name: ClassVar[str] = "test.renamed"

    assert CountTarget.indicator_fields == frozenset()
    assert Judged.indicator_fields is None
    assert Scored.indicator_fields is None
    assert Batched.indicator_fields is None
    assert Titled.indicator_fields == frozenset({"title"})
    assert Renamed.indicator_fields == frozenset()  # scores as CountTarget does
    registry = rulelaw.default_registry()
    for kind in (Judged, Scored, Batched, Titled, Renamed):
        assert registry.register(kind) is kind
