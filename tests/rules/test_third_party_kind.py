"""A third-party rule kind package (examples/acme-rules) found by entry point and used end to end.

The package is installed into the virtualenv by ``make test``. When it is
missing these tests fail (they are not skipped) and say how to install it.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import strategies as st

import rulelaw
from rulelaw import Registry, SchemeError, ValidationError
from rulelaw.messages import Message, render
from rulelaw.testing.conformance import check_rule_kind

SCHEME = """\
id = "acme-2024"
title = "梧棠市2024年度法治政府建设考核"
version = "1"
period = { start = 2024-01-01, end = 2024-12-31 }

[[categories]]
id = "county"
name = "县市区"

[[dimensions]]
id = "1"
title = "法治宣传"

[[indicators]]
id = "1.1"
parent = "1"
title = "群众满意度"
measure = "value"
unit_of_measure = "分"
rule = { kind = "acme.survey-band", good = 90, fair = 75, max = 10 }

[[indicators]]
id = "1.2"
parent = "1"
title = "法律顾问配备"
measure = "flag"
rule = { kind = "compliance" }

[weights.county]
"1.1" = 60
"1.2" = 40
"""

UNITS = """\
id,name,level,category
county-a,梧棠县,county,county
county-b,栎溪区,区,county
county-c,苇塘县,county,county
"""

EVIDENCE = """\
unit,indicator,status,value,reason
county-a,1.1,,93.5,
county-a,1.2,,yes,
county-b,1.1,,80,
county-b,1.2,,partly,顾问合同到期未续
county-c,1.1,,60,
county-c,1.2,,no,
"""


def _acme() -> ModuleType:
    """The installed example package; a test failure (not a skip) telling how to install it."""
    try:
        importlib.metadata.distribution("acme-rules")
        return importlib.import_module("acme_rules")
    except (importlib.metadata.PackageNotFoundError, ImportError):
        pytest.fail(
            "the example rule kind package examples/acme-rules is not installed: run `make test`, "
            "which installs it (or: .venv/bin/python -m pip install --no-deps "
            "--no-build-isolation -e examples/acme-rules)"
        )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An assessment folder whose scheme uses the third-party kind."""
    (tmp_path / "scheme.toml").write_text(SCHEME, encoding="utf-8")
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "evidence.csv").write_text(EVIDENCE, encoding="utf-8")
    return tmp_path


def _with_entry_points() -> Registry:
    registry = rulelaw.default_registry()
    registry.load_entry_points()
    return registry


def test_entry_point_is_found() -> None:
    """An empty registry loads exactly the example kind from the entry-point group."""
    acme = _acme()
    registry = Registry()
    assert registry.load_entry_points() == ["acme.survey-band"]
    assert registry.get("acme.survey-band") is acme.SurveyBand


def test_kind_conforms() -> None:
    """The third-party kind passes the same conformance check as the built-in kinds."""
    acme = _acme()
    params = st.tuples(st.integers(1, 100), st.sampled_from([None, 10, Decimal("2.5")])).flatmap(
        lambda gm: st.integers(0, gm[0] - 1).map(
            lambda fair: _params(good=gm[0], fair=fair, max=gm[1])
        )
    )
    check_rule_kind(acme.SurveyBand, params=params, examples=30)


def _params(**given: Any) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v is not None}


def test_folder_evaluates_with_the_kind(folder: Path) -> None:
    """A folder using the kind loads and evaluates to hand-computed totals."""
    _acme()
    registry = _with_entry_points()
    result = rulelaw.evaluate(rulelaw.load(folder, registry=registry), registry=registry)
    # 1.1 (weight 60, good 90 / fair 75, max 10): 93.5 → 10 of 10 → 60; 80 → 5 → 30; 60 → 0.
    # 1.2 (weight 40, compliance): yes → 40; partly → half → 20; no → 0.
    totals = {u.unit: u.total for u in result.units}
    assert totals == {
        "county-a": Decimal("100.00"),
        "county-b": Decimal("50.00"),
        "county-c": Decimal("0.00"),
    }
    survey = result.unit("county-b").indicator("1.1")
    assert (survey.kind, survey.rule_points, survey.rule_max, survey.points) == (
        "acme.survey-band",
        Decimal(5),
        Decimal(10),
        Decimal("30.00"),
    )
    assert survey.reason == "survey 80 ≥ fair 75: half → 5 of 10"
    assert survey.band == "fair"


def test_kind_speaks_chinese_through_the_evaluations_catalogue(folder: Path) -> None:
    """The kind's reasons are its own messages; the evaluation's catalogue renders their Chinese."""
    acme = _acme()
    registry = _with_entry_points()
    result = rulelaw.evaluate(rulelaw.load(folder, registry=registry), registry=registry)
    reasons = [result.unit(u).indicator("1.1").reason for u in ("county-a", "county-b", "county-c")]
    assert [(r.code, r.text("zh-CN", result.catalogue)) for r in reasons] == [  # type: ignore[attr-defined]
        ("acme.survey-band.good", "群众满意度93.5，达到良好线90"),
        ("acme.survey-band.fair", "群众满意度80，达到合格线75：得一半分值5分（满分10分）"),
        ("acme.survey-band.poor", "群众满意度60，低于合格线75"),
    ]
    assert dict(reasons[1].params) == {  # type: ignore[attr-defined]
        "survey": Decimal(80),
        "fair": Decimal(75),
        "points": Decimal(5),
        "max": Decimal(10),
    }
    assert set(acme.MESSAGES) <= set(result.catalogue)


def test_kind_with_plain_text_reasons_still_evaluates(folder: Path) -> None:
    """A kind whose reasons are plain texts scores as before; its reason reads as is in Chinese."""
    acme = _acme()

    @attrs.frozen(kw_only=True)
    class PlainSurvey(acme.SurveyBand):  # type: ignore[misc,name-defined]
        """SurveyBand, its reasons plain English texts."""

        def score(self, value: Any, context: Any) -> Any:
            outcome = super().score(value, context)
            return attrs.evolve(outcome, reason=str(outcome.reason))

    registry = rulelaw.default_registry()
    registry.register(PlainSurvey)
    result = rulelaw.evaluate(rulelaw.load(folder, registry=registry), registry=registry)
    reason = result.unit("county-b").indicator("1.1").reason
    assert not isinstance(reason, Message)
    assert render(reason, "zh-CN", result.catalogue) == "survey 80 ≥ fair 75: half → 5 of 10"


def test_default_registry_does_not_know_the_kind(folder: Path) -> None:
    """Without loading entry points, the kind is unknown at the rule's key path."""
    _acme()
    with pytest.raises(ValidationError) as info:
        rulelaw.load(folder)
    assert info.value.errors == (
        SchemeError(
            "unknown rule kind 'acme.survey-band'",
            file="scheme.toml",
            where="$.indicators[0].rule.kind",
            expected="one of 'rulelaw.bands', 'rulelaw.compliance', 'rulelaw.count-target', "
            "'rulelaw.deadline', 'rulelaw.deduction', 'rulelaw.given-score', "
            "'rulelaw.normalised', 'rulelaw.overdue-problems', 'rulelaw.rate-target', "
            "'rulelaw.relative'",
        ),
    )
    assert str(info.value.errors[0]).startswith(
        "scheme.toml, $.indicators[0].rule.kind: unknown rule kind 'acme.survey-band'"
    )


def test_cli_uses_the_kind_with_plugins(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command line refuses the kind by default and scores with it under --plugins."""
    from rulelaw.cli import main

    assert main(["validate", str(folder)]) == 2
    assert "unknown rule kind 'acme.survey-band'" in capsys.readouterr().out
    assert main(["evaluate", str(folder), "--plugins", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("peer_group,rank,rank_overall")
