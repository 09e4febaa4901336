"""The data threshold (COINr's dat_thresh): a dimension short of data is not scored."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import rulelaw
from rulelaw import SchemeError, ValidationError
from rulelaw.testing import check_paths_agree

SCHEME = """\
id = "threshold-demo"
title = "数据完整度示例"
version = "1"
period = {{ start = 2024-01-01, end = 2024-12-31 }}

[scoring]
{scoring}

[[categories]]
id = "county"
name = "县市区"

[[dimensions]]
id = "1"
title = "依法决策"
{own}

[[dimensions]]
id = "2"
title = "执法监督"

[[indicators]]
id = "1.1"
parent = "1"
title = "合法性审查"
measure = "value"
rule = {{ kind = "given-score" }}

[[indicators]]
id = "1.2"
parent = "1"
title = "公众参与"
measure = "value"
rule = {{ kind = "given-score" }}

[[indicators]]
id = "1.3"
parent = "1"
title = "专家论证"
measure = "value"
rule = {{ kind = "given-score" }}

[[indicators]]
id = "1.4"
parent = "1"
title = "集体讨论"
measure = "value"
rule = {{ kind = "given-score" }}

[[indicators]]
id = "2.1"
parent = "2"
title = "执法评议"
measure = "value"
rule = {{ kind = "given-score" }}

[weights.county]
"1.1" = 15
"1.2" = 15
"1.3" = 15
"1.4" = 15
"2.1" = 40
"""

UNITS = """\
id,name,level,category
qinglan,青岚县,county,county
bailu,白鹭县,county,county
songshi,松石区,county,county
"""

# qinglan: 1 of 4 present (1.2 not applicable, 1.3 and 1.4 not submitted);
# bailu: 2 of 4 (1.3 not submitted, 1.4 no row); songshi: 1.1 and 1.2 marked false and 1.3
EVIDENCE = """\
unit,indicator,value,status
qinglan,1.1,80,
qinglan,1.2,,not-applicable
qinglan,1.3,,not-submitted
qinglan,1.4,,not-submitted
qinglan,2.1,50,
bailu,1.1,80,
bailu,1.2,60,
bailu,1.3,,not-submitted
bailu,2.1,90,
songshi,1.1,90,false
songshi,1.2,,not-submitted
songshi,1.3,70,
songshi,1.4,,not-applicable
songshi,2.1,70,
"""


def _load(
    tmp_path: Path, scoring: str = "data_threshold = 50", own: str = ""
) -> rulelaw.Assessment:
    (tmp_path / "scheme.toml").write_text(SCHEME.format(scoring=scoring, own=own), encoding="utf-8")
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "evidence.csv").write_text(EVIDENCE, encoding="utf-8")
    return rulelaw.load(tmp_path)


def _totals(assessment: rulelaw.Assessment) -> dict[str, Decimal]:
    check_paths_agree(assessment)
    result = rulelaw.evaluate(assessment)
    return {u.unit: u.total for u in result.units}


def test_without_a_threshold_every_dimension_is_scored(tmp_path: Path) -> None:
    """No threshold: qinglan 80 × 15/45 × 60/100 … exact totals as before.

    qinglan: 1.2 is left out, so 1.1, 1.3, 1.4 share dimension 1's 60: 20 each;
    1.1 adds 16, the not-submitted ones 0; 2.1 adds 40 × 0.5 = 20: total 36.
    bailu: 15 × 0.8 + 15 × 0.6 + 0 + 0 + 36 = 57. songshi: 1.4 left out, 20 each:
    0 (false) + 0 + 14, and 28: total 42.
    """
    assert _totals(_load(tmp_path, scoring="")) == {
        "qinglan": Decimal("36.00"),
        "bailu": Decimal("57.00"),
        "songshi": Decimal("42.00"),
    }


def test_a_dimension_below_the_threshold_gives_its_weight_to_the_rest(tmp_path: Path) -> None:
    """50%: qinglan has 1 of 4 present (25%): dimension 1 is out, 2.1 is worth all 100.

    qinglan: 100 × 50/100 = 50.00. bailu: 2 of 4 is exactly 50%, not below: scored,
    57.00. songshi: 1.1 (marked false) and 1.3 present, 2 of 4: scored, 42.00.
    """
    assessment = _load(tmp_path)
    assert _totals(assessment) == {
        "qinglan": Decimal("50.00"),
        "bailu": Decimal("57.00"),
        "songshi": Decimal("42.00"),
    }
    unit = rulelaw.evaluate(assessment).unit("qinglan")
    first, second = unit.dimensions
    assert (first.points, first.max, second.max) == (Decimal("0.00"), Decimal("0.00"), 100)
    assert first.reason == (
        "not scored: 1 of 4 indicators present, below the data threshold of 50%; "
        "its weight goes to the rest"
    )
    assert first.reason.code == "dimension.short-of-data"
    assert first.reason.text("zh-CN") == (
        "不计分：4项指标中1项有数据，低于数据完整度要求50%，其权重分配给其余指标"
    )
    assert second.reason == ""
    assert unit.indicator("1.1").points == 0  # its line stays, adding nothing
    assert unit.indicator("2.1").effective_weight == 100


def test_the_explanation_and_the_json_say_why(tmp_path: Path) -> None:
    """The explanation's dimension line and the JSON's dimension item carry the reason."""
    result = rulelaw.evaluate(_load(tmp_path))
    text = result.explain("qinglan")
    assert (
        "  1 依法决策: 0.00 of 0.00 — not scored: 1 of 4 indicators present, below the data "
        "threshold of 50%; its weight goes to the rest\n"
    ) in text
    assert "1 依法决策：0.00分（满分0.00分）——不计分" in result.explain("qinglan", lang="zh-CN")
    for reference in (False, True):
        data = json.loads(rulelaw.evaluate(_load(tmp_path), reference=reference).to_json())
        dims = {u["unit"]: u["dimensions"] for u in data["units"]}
        assert dims["qinglan"][0]["reason_code"] == "dimension.short-of-data"
        assert dims["qinglan"][0]["reason_params"] == {
            "present": 1,
            "indicators": 4,
            "threshold": "50",
        }
        assert dims["bailu"][0]["reason"] == ""
        assert dims["bailu"][0]["reason_code"] is None


def test_a_dimension_s_own_threshold_overrides_the_scheme_s(tmp_path: Path) -> None:
    """Dimension 1 at 75%: bailu's and songshi's 2 of 4 fall short too; 2.1 then counts alone.

    bailu: 100 × 90/100 = 90.00 (its weight on dimension 1 goes to 2.1); songshi: 70.00,
    and its false evidence still scores nothing elsewhere (no penalty declared).
    """
    assert _totals(_load(tmp_path, own="data_threshold = 75")) == {
        "qinglan": Decimal("50.00"),
        "bailu": Decimal("90.00"),
        "songshi": Decimal("70.00"),
    }
    # and a dimension may opt out of the scheme's threshold with 0
    assert _totals(_load(tmp_path, own="data_threshold = 0"))["qinglan"] == Decimal("36.00")


def test_a_threshold_outside_0_to_100_is_refused_at_its_key(tmp_path: Path) -> None:
    """120 per cent is a scheme error at $.scoring.data_threshold."""
    with pytest.raises(ValidationError) as info:
        _load(tmp_path, scoring="data_threshold = 120")
    (error,) = info.value.errors
    assert isinstance(error, SchemeError)
    assert str(error) == (
        "scheme.toml, $.scoring.data_threshold: data_threshold must be a percentage "
        "(expected 0 to 100; got 120)"
    )
