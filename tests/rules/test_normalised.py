"""The normalised kind on hand-computed values, COINr's documented examples among them."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rulelaw
from rulelaw import (
    Indicator,
    Level,
    Measure,
    Period,
    Rate,
    RuleSpec,
    UndefinedRate,
    Unit,
    ValidationError,
    Value,
    default_registry,
)
from rulelaw.files import make_converter
from rulelaw.rules import BatchContext, Outcome, PeerGroup, RuleContext
from rulelaw.rules.kinds import Normalised
from rulelaw.rules.kinds.normalised import Z_DIGITS, sqrt_rounded
from rulelaw.testing import check_paths_agree, check_rule_kind

UNIT = Unit(id="qinglan", name="青岚县", level=Level.COUNTY, category="county")
PERIOD = Period(start="2024-01-01", end="2024-12-31")


def _rule(
    direction: str = "higher", measure: str = "value", **params: Any
) -> tuple[Any, Indicator]:
    indicator = Indicator(
        id="1.1",
        title="示例指标",
        parent="1",
        measure=Measure.VALUE,
        direction=direction,
        rule=RuleSpec(kind="normalised", params=params),
    )
    return default_registry().compile(indicator.rule, indicator, make_converter()), indicator


def _scores(values: list[Any], direction: str = "higher", **params: Any) -> list[Outcome]:
    """Each of ``values`` scored with the others as its peers (as the engine gives them)."""
    rule, indicator = _rule(direction, **params)
    observed = [v if not isinstance(v, int | str) else Value(value=str(v)) for v in values]
    peers = PeerGroup({f"unit-{i}": v for i, v in enumerate(observed)})
    context = RuleContext(
        unit=UNIT, indicator=indicator, as_of=pendulum.Date(2025, 3, 31), period=PERIOD, peers=peers
    )
    one_by_one = [rule.score(v, context) for v in observed]
    batch = rule.score_batch(
        observed,
        BatchContext(
            indicator=indicator, as_of=context.as_of, period=PERIOD, peers=PeerGroup(dict(peers))
        ),
    )
    assert list(batch) == one_by_one
    return one_by_one


def _points(values: list[Any], direction: str = "higher", **params: Any) -> list[Fraction]:
    return [o.points for o in _scores(values, direction, **params)]


# -- goalposts (COINr's n_goalposts tests) ------------------------------------------------


def test_goalposts_as_coinr_documents() -> None:
    """Goalposts (0, 10, 1): 1 → 0.1, 11 → 1 and −1 → 0 (truncated); reversed 0.9, 0, 1.

    COINr: ``n_goalposts(1, c(0, 10, 1)) == 0.1``, ``n_goalposts(11, …) == 1``,
    ``n_goalposts(-1, …) == 0``; with ``direction = -1``: (1 − 10)/(0 − 10) = 0.9,
    11 → 0, −1 → 1. Here max 1 is COINr's scale 1 (scale defaults to max).
    """
    posts = {"method": "goalposts", "lower": 0, "upper": 10, "max": 1}
    assert _points([1, 11, -1], **posts) == [Fraction(1, 10), 1, 0]
    assert _points([1, 11, -1], "lower", **posts) == [Fraction(9, 10), 0, 1]


def test_goalposts_reasons_show_the_posts_and_the_share() -> None:
    """The reason shows the value, the posts, the share of the way and the points."""
    inside, beyond = _scores([1, 11], method="goalposts", lower=0, upper=10, max=1)
    assert inside.reason == "1 between goalposts 0 and 10: 0.1 of the way × 1 → 0.1 of 1"
    assert inside.reason.text("zh-CN") == "1，位于目标区间0至10的0.1处，乘以1：得0.1分（满分1分）"
    assert beyond.reason == (
        "11 beyond goalpost 10 (goalposts 0 and 10): truncated to the post → 1 of 1"
    )
    assert beyond.reason.code == "normalised.goalposts-truncated"


def test_goalposts_take_negative_values_and_a_scale() -> None:
    """Posts −10 and 10, scale 80 of 100: −5 → 80 × 5/20 = 20; 12 → 80; uncapped 12 → 88.

    Uncapped, 12 is 22/20 of the way: 80 × 1.1 = 88 (still within max 100); −15 is
    −0.25 of the way, and points never go below 0.
    """
    posts = {"method": "goalposts", "lower": -10, "upper": 10, "scale": 80}
    assert _points([-5, 12], **posts) == [20, 80]
    assert _points([-5, 12, -15], **posts, uncapped=True) == [20, 88, 0]


# -- min-max ------------------------------------------------------------------------------


def test_minmax_onto_bounds() -> None:
    """1 … 10 onto [2, 7] (COINr's test: min 2, max 7); 4 → 2 + 3/9 × 5 = 11/3.

    Lower is better: 4 → 2 + (10 − 4)/9 × 5 = 16/3; the default bounds are 0 and max.
    """
    values = list(range(1, 11))
    points = _points(values, lowest=2, highest=7, max=10)
    assert (min(points), max(points), points[3]) == (2, 7, Fraction(11, 3))
    assert _points(values, "lower", lowest=2, highest=7, max=10)[3] == Fraction(16, 3)
    assert _points([80, 100, 50]) == [60, 100, 0]  # (80 − 50)/(100 − 50) × 100


def test_minmax_reason_and_no_spread() -> None:
    """The reason names the peers' lowest and highest; peers all alike score ``highest``."""
    (outcome,) = _scores([Rate.from_counts(9, 10)], lowest=60)
    assert outcome.points == 100
    assert outcome.reason == "9/10 (90.00%): all 1 peers alike (no spread) → 100 of 100"
    first = _scores([80, 100, 50], lowest=60)[0]
    assert first.points == 84  # 60 + 30/50 × 40
    assert first.reason == "80: min-max over 3 peers (50 … 100) onto 60 … 100 → 84 of 100"
    assert first.reason.text("zh-CN") == (
        "80，3个同类单位中最低50、最高100，按极差法折算至60至100分：得84分（满分100分）"
    )


def test_a_zero_of_zero_rate_is_no_peer() -> None:
    """0 of 0 is not applicable by default and no peer: 40% and 80% are the range."""
    outcomes = _scores([Rate.from_counts(2, 5), UndefinedRate(), Rate.from_counts(4, 5)])
    assert [o.points for o in outcomes] == [0, 0, 100]
    assert not outcomes[1].applicable


# -- z-score ------------------------------------------------------------------------------


def _z(x: int, values: list[int]) -> Decimal:
    """(x − mean) / sample sd, worked out at 60 digits and rounded to 28 (the declared)."""
    with decimal.localcontext() as high:
        high.prec = 60
        mean = Decimal(sum(values)) / len(values)
        variance = sum((Decimal(v) - mean) ** 2 for v in values) / (len(values) - 1)
        z = (Decimal(x) - mean) / variance.sqrt()
    with decimal.localcontext() as declared:
        declared.prec = Z_DIGITS
        declared.rounding = decimal.ROUND_HALF_EVEN
        return +z


def test_zscore_onto_mean_and_sd() -> None:
    """1 … 10 onto mean 5, sd 2 (COINr's test): the points average 5 exactly, sd 2.

    x̄ = 5.5, s² = 82.5/9 = 55/6; for 1: z = −4.5/√(55/6) = −1.486301082920586817571061561
    (28 digits), so 5 + 2z = 2.027397834158826364857876878.
    """
    values = list(range(1, 11))
    points = _points(values, method="zscore", mean=5, sd=2, max=10)
    assert points[0] == 5 + 2 * Fraction(_z(1, values))
    assert points[0] == Fraction("2.027397834158826364857876878")
    assert sum(points) / len(points) == 5  # z of 1 and of 10 are opposite, and so on
    mean = Fraction(5)
    sd2 = sum((p - mean) ** 2 for p in points) / (len(points) - 1)
    assert abs(sd2 - 4) < Fraction(1, 10**25)


def test_zscore_reason_clipping_and_no_spread() -> None:
    """COINr's default (mean 0, sd 1) on a 0 … 100 scale: below the mean is clipped to 0.

    Peers 40, 60: x̄ = 50, s = √200 = 14.14…; z = ±0.7071…; 40 → −0.71, clipped to 0;
    60 → 0.71. Peers all alike score the mean.
    """
    low, high = _scores([40, 60], method="zscore", mean=0, sd=1)
    assert low.points == 0
    assert low.reason.code == "normalised.zscore-clipped"
    assert low.reason == (
        "40: z = -0.71 against the peers' mean 50 and sd 14.14 (2 peers), onto mean 0 and sd 1 "
        "is -0.71, kept within 0 … 100 → 0 of 100"
    )
    assert high.points == sqrt_rounded(Fraction(1, 2))
    assert high.reason.code == "normalised.zscore"
    alike = _scores([70, 70], method="zscore", mean=60, sd=10)[0]
    assert alike.points == 60
    assert alike.reason == "70: all 2 peers alike (sd 0): the mean 60 → 60 of 100"


def test_sqrt_rounded_known_values() -> None:
    """√2 to 28 digits; exact roots exact; a root exactly halfway rounds to even."""
    assert sqrt_rounded(Fraction(2)) == Fraction("1.414213562373095048801688724")
    assert sqrt_rounded(Fraction(1, 4)) == Fraction(1, 2)
    assert sqrt_rounded(Fraction(10**40)) == 10**20
    assert sqrt_rounded(Fraction("1.5625"), 2) == Fraction("1.2")  # 1.25 → even
    assert sqrt_rounded(Fraction("1.8225"), 2) == Fraction("1.4")  # 1.35 → even
    assert sqrt_rounded(Fraction("0.0004"), 3) == Fraction("0.02")


@given(
    st.integers(0, 10**15),
    st.integers(1, 10**9),
)
def test_sqrt_rounded_is_the_correctly_rounded_root(numerator: int, denominator: int) -> None:
    """It agrees with decimal's square root at 200 digits, rounded half-even to 28."""
    with decimal.localcontext() as wide:
        wide.prec = 200
        root = (Decimal(numerator) / Decimal(denominator)).sqrt()
    with decimal.localcontext() as declared:
        declared.prec, declared.rounding = Z_DIGITS, decimal.ROUND_HALF_EVEN
        assert sqrt_rounded(Fraction(numerator, denominator)) == Fraction(+root)


# -- rank ---------------------------------------------------------------------------------


def test_rank_from_the_worst_as_coinr() -> None:
    """1, 5, 5, 8: ranks 1, 2, 2, 4 (ties take the lower: COINr's ``min``) → 0, 33.33, 33.33, 100.

    ``ties = "max"``: the two 5s take rank 3 → 66.67. Lower is better: 8 is rank 1 → 0,
    the 5s rank 2, 1 rank 4 → 100. One peer alone scores full points.
    """
    third = Fraction(100, 3)
    assert _points([1, 5, 5, 8], method="rank") == [0, third, third, 100]
    assert _points([1, 5, 5, 8], method="rank", ties="max") == [0, 2 * third, 2 * third, 100]
    assert _points([1, 5, 5, 8], "lower", method="rank") == [100, third, third, 0]
    assert _points([7], method="rank") == [100]
    reason = _scores([1, 5, 5, 8], method="rank")[1].reason
    assert reason == "5: rank 2 of 4 from the worst (ties take the lower rank) → 33.33 of 100"
    assert reason.text("zh-CN") == (
        "5，在4个同类单位中由低到高排第2位（并列取较低位次）：得33.33分（满分100分）"
    )


# -- distance to target (COINr's dist2targ tests) -----------------------------------------


def test_dist2targ_as_coinr_documents() -> None:
    """0, 5, 11 to target 10: 0, 0.5, 1 capped; uncapped 1.1. Reversed −1, 1, 10 to 0: 1, 0.9, 0.

    COINr: ``n_dist2targ(c(0, 5, 11), 10)`` is (0, 0.5, 1.1), capped (0, 0.5, 1);
    direction −1, ``c(-1, 1, 10)`` to 0: (1.1, 0.9, 0), capped (1, 0.9, 0). Uncapped
    needs room above the target's points: max 2, scale 1.
    """
    target = {"method": "dist2targ", "target": 10, "max": 1}
    assert _points([0, 5, 11], **target) == [0, Fraction(1, 2), 1]
    roomy = {"method": "dist2targ", "target": 10, "max": 2, "scale": 1, "uncapped": True}
    assert _points([0, 5, 11], **roomy) == [0, Fraction(1, 2), Fraction(11, 10)]
    low = {"method": "dist2targ", "target": 0, "max": 1}
    assert _points([-1, 1, 10], "lower", **low) == [1, Fraction(9, 10), 0]
    assert _points([-1, 1, 10], "lower", **{**roomy, "target": 0}) == [
        Fraction(11, 10),
        Fraction(9, 10),
        0,
    ]


def test_dist2targ_reasons_and_every_peer_meeting_the_target() -> None:
    """The reason names the peers' worst and the target; the worst meeting it, all score scale."""
    half, capped = (_scores([0, 5, 11], method="dist2targ", target=10)[i] for i in (1, 2))
    assert half.reason == (
        "5: 0.5 of the way from the peers' worst 0 (3 peers) to target 10 × 100 → 50 of 100"
    )
    assert capped.reason == (
        "11 beyond target 10 (the peers' worst 0, 3 peers): capped at the target → 100 of 100"
    )
    met = _scores([12, 15], method="dist2targ", target=10, scale=90)
    assert [o.points for o in met] == [90, 90]
    assert met[0].reason.code == "normalised.dist2targ-all-met"


# -- parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "where", "text"),
    [
        ({"method": "zscore", "sd": 10}, "mean", "method 'zscore' needs 'mean'"),
        ({"method": "goalposts", "lower": 0}, "upper", "method 'goalposts' needs 'upper'"),
        ({"method": "dist2targ"}, "target", "method 'dist2targ' needs 'target'"),
        (
            {"method": "goalposts", "lower": 0, "upper": 10, "lowest": 5},
            "lowest",
            "'lowest' does not apply to method 'goalposts'",
        ),
        (
            {"method": "goalposts", "lower": 10, "upper": 10},
            "upper",
            "upper goalpost not above the lower",
        ),
        ({"lowest": 80, "highest": 60}, "lowest", "lowest not below highest"),
        ({"highest": 120}, "highest", "highest outside 0 … max"),
        (
            {"method": "dist2targ", "target": 5, "scale": 120},
            "scale",
            "scale outside 0 … max",
        ),
        ({"method": "rank", "uncapped": True}, "uncapped", "does not apply to method 'rank'"),
        (
            {"method": "goalposts", "lower": 0, "upper": 1, "uncapped": "yes"},
            "uncapped",
            "not true or false",
        ),
        ({"peers": "province"}, "peers", "province"),
    ],
)
def test_bad_parameters_are_refused_at_their_key(
    params: dict[str, Any], where: str, text: str
) -> None:
    """Each bad parameter is a scheme error at its key path, saying what is wrong."""
    indicator = Indicator(
        id="1.1",
        title="示例指标",
        parent="1",
        measure=Measure.VALUE,
        rule=RuleSpec(kind="normalised", params=params),
    )
    with pytest.raises(ValidationError) as info:
        default_registry().compile_scheme([indicator], make_converter())
    (error,) = info.value.errors
    assert str(error).startswith(f"$.indicators[0].rule.{where}: ")
    assert text in str(error)


def test_the_kind_conforms_with_its_own_strategy() -> None:
    """check_rule_kind passes on the kind's parameter strategy (every method)."""
    check_rule_kind(Normalised, examples=150)


# -- through the engine -------------------------------------------------------------------


SCHEME = """\
id = "normalised-demo"
title = "标准化评分示例"
version = "1"
period = {{ start = 2024-01-01, end = 2024-12-31 }}

[grading]
peer_group = "level"

[[categories]]
id = "county"
name = "县"

[[categories]]
id = "district"
name = "区"

[[dimensions]]
id = "7"
title = "考核评价"

[[indicators]]
id = "7.1"
parent = "7"
title = "法治建设成效评估指数"
measure = "value"
rule = {{ kind = "normalised", lowest = 60{peers} }}

[weights.county]
"7.1" = 100

[weights.district]
"7.1" = 100
"""

UNITS = """\
id,name,level,category
qinglan,青岚县,county,county
bailu,白鹭县,county,county
songshi,松石区,county,district
heyang,河阳区,county,district
"""

EVIDENCE = """\
unit,indicator,value
qinglan,7.1,80
bailu,7.1,100
songshi,7.1,50
heyang,7.1,90
"""


def _folder(tmp_path: Path, peers: str) -> Path:
    (tmp_path / "scheme.toml").write_text(SCHEME.format(peers=peers), encoding="utf-8")
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "evidence.csv").write_text(EVIDENCE, encoding="utf-8")
    return tmp_path


def _rule_points(folder: Path) -> dict[str, Decimal | None]:
    assessment = rulelaw.load(folder)
    check_paths_agree(assessment)
    result = rulelaw.evaluate(assessment)
    return {u.unit: u.indicator("7.1").rule_points for u in result.units}


def test_peers_of_the_category_by_default(tmp_path: Path) -> None:
    """Within each category: county 80 … 100 → 60 and 100; district 50 … 90 → 60 and 100."""
    assert _rule_points(_folder(tmp_path, "")) == {
        "qinglan": Decimal("60.00"),
        "bailu": Decimal("100.00"),
        "songshi": Decimal("60.00"),
        "heyang": Decimal("100.00"),
    }


def test_peers_of_the_grading_peer_group(tmp_path: Path) -> None:
    """``peers = "peer-group"`` (the level, here all four): 50 … 100 onto 60 … 100.

    80 → 60 + 30/50 × 40 = 84; 100 → 100; 50 → 60; 90 → 60 + 40/50 × 40 = 92.
    """
    assert _rule_points(_folder(tmp_path, ', peers = "peer-group"')) == {
        "qinglan": Decimal("84.00"),
        "bailu": Decimal("100.00"),
        "songshi": Decimal("60.00"),
        "heyang": Decimal("92.00"),
    }
