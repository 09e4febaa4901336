"""``assessments(scheme)``: valid, evaluable draws for every example scheme and generated ones."""

from __future__ import annotations

import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import rulelaw
from rulelaw.model import (
    Assessment,
    Indicator,
    Measure,
    Panel,
    PanelStage,
    RaterGroup,
    RuleSpec,
    Scheme,
    UndefinedRate,
)
from rulelaw.testing import assessments, rule_params, schemes

ROOT = Path(__file__).resolve().parents[2]
#: Every example folder of the repository (each folder under examples/ with a units.csv, by
#: its path there; examples/demo-city is the bundled demo), and the mini folder.
EXAMPLES: dict[str, Path] = {
    **{
        folder.relative_to(ROOT / "examples").as_posix(): folder
        for folder in sorted(
            p.parent for g in ("*/units.csv", "*/*/units.csv") for p in (ROOT / "examples").glob(g)
        )
    },
    "mini": ROOT / "tests" / "data" / "mini",
}
SCHEMES: dict[str, Scheme] = {name: rulelaw.load(path).scheme for name, path in EXAMPLES.items()}
QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]


def _check(assessment: Assessment) -> rulelaw.Evaluation:
    """Evaluate a drawn assessment and check what every draw promises; return the result.

    It scores without an error, its ballots are all accepted, no observation
    is given for an indicator whose evidence is derived, and it comes back
    equal from a folder (loading runs every rule's ``check_value``).
    """
    result = rulelaw.evaluate(assessment)
    assert result.rejected_ballots == ()
    derived = {i.id for i in assessment.scheme.indicators if i.evidence_from is not None}
    assert not derived & {o.indicator for o in assessment.evidence.observations}
    with tempfile.TemporaryDirectory() as tmp:
        rulelaw.dump(assessment, Path(tmp) / "a")
        assert rulelaw.load(Path(tmp) / "a") == assessment
    return result


def test_every_example_folder_is_found() -> None:
    """The examples: the demo city, the law-report models, the rubrics, the survey, mini."""
    assert list(EXAMPLES) == [
        "demo-city",
        "law-reports/onsite-secretary",
        "law-reports/questioning",
        "law-reports/site-visit",
        "law-reports/six-part",
        "rubrics",
        "survey",
        "mini",
    ]


@pytest.mark.parametrize("name", list(SCHEMES))
def test_draws_under_every_example_scheme_validate_and_evaluate(name: str) -> None:
    """Assessments drawn under each example scheme build, evaluate and survive a folder."""
    scheme = SCHEMES[name]

    @settings(max_examples=8, deadline=None, suppress_health_check=QUIET)
    @given(assessments(scheme))
    def check(assessment: Assessment) -> None:
        assert assessment.scheme is scheme
        _check(assessment)

    check()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SCHEMES))
def test_a_hundred_draws_under_every_example_scheme(name: str) -> None:
    """The done-bar: 100 valid, evaluable examples from every example scheme, none refused."""
    scheme = SCHEMES[name]
    drawn: list[Assessment] = []

    @settings(max_examples=100, deadline=None, database=None, suppress_health_check=QUIET)
    @given(assessments(scheme))
    def check(assessment: Assessment) -> None:
        _check(assessment)
        drawn.append(assessment)

    started = time.perf_counter()
    check()
    seconds = time.perf_counter() - started
    print(f"{name}: {len(drawn)} draws in {seconds:.1f} s ({len(drawn) / seconds:.1f}/s)")
    assert len(drawn) >= 100


def test_a_scheme_whose_rules_do_not_compile_is_refused_at_once() -> None:
    """A rule the registry cannot compile is reported when the strategy is made."""
    scheme = SCHEMES["mini"]
    broken = attrs.evolve(
        scheme,
        indicators=[
            attrs.evolve(i, rule=RuleSpec(kind="acme.unknown")) if n == 0 else i
            for n, i in enumerate(scheme.indicators)
        ],
    )
    with pytest.raises(rulelaw.ValidationError) as info:
        assessments(broken)
    assert [str(e) for e in info.value.errors] == [
        "$.indicators[0].rule.kind: unknown rule kind 'acme.unknown' (expected one of "
        "'rulelaw.bands', 'rulelaw.compliance', 'rulelaw.count-target', 'rulelaw.deadline', "
        "'rulelaw.deduction', 'rulelaw.given-score', 'rulelaw.normalised', "
        "'rulelaw.overdue-problems', 'rulelaw.rate-target', 'rulelaw.relative')"
    ]


@pytest.mark.slow
def test_the_simplest_draw_is_one_unit_without_evidence() -> None:
    """Shrunk as far as it goes, a draw is one unit of the first category and nothing else."""
    strategy = assessments(SCHEMES["mini"])
    found = find(strategy, lambda a: True, settings=settings(database=None))
    assert [(u.id, u.category, u.parent, u.not_graded) for u in found.units] == [
        ("unit-001", "county", None, "")
    ]
    assert len(found.evidence) == 0
    assert (found.people, found.tenures, found.reports, found.problems) == ((), (), (), ())
    assert (found.filings, found.adjustments) == ((), ())


# -- generated schemes that read everything ---------------------------------------------------

_GRADES = {"好": Decimal(100), "较好": Decimal(85), "一般": Decimal(70), "差": Decimal(50)}


@st.composite
def rater_groups(draw: st.DrawFn, stages: list[str], weights: list[int]) -> list[RaterGroup]:
    """Rater groups with the given weights: grade or number ballots, any aggregation and quorum."""
    groups = []
    for number, weight in enumerate(weights, start=1):
        aggregate = draw(st.sampled_from(("mean", "trimmed", "median")))
        trim = draw(st.integers(1, 2)) if aggregate == "trimmed" else 0
        quorum = draw(st.integers(2 * trim + 1, 2 * trim + 4))
        raters = draw(st.none() | st.integers(quorum, quorum + 6))
        numbers = draw(st.booleans())
        low = draw(st.sampled_from((Decimal(0), Decimal(60))))
        groups.append(
            RaterGroup(
                id=f"g{number}",
                title=f"评议组{number}",
                weight=weight,
                stage=draw(st.none() | st.sampled_from(stages)) if stages else None,
                ballot="numbers" if numbers else "grades",
                grades={} if numbers else _GRADES,
                min=low,
                max=low + draw(st.sampled_from((Decimal(10), Decimal(40)))),
                aggregate=aggregate,
                trim=trim,
                quorum=quorum,
                raters=raters,
                quorum_percent=draw(st.sampled_from((None, Decimal(60))))
                if raters is not None
                else None,
            )
        )
    return groups


@st.composite
def panels(draw: st.DrawFn, panel_id: str) -> Panel:
    """A panel of one to three rater groups whose weights add up to 100."""
    stages = draw(st.lists(st.sampled_from(("visit", "report", "questions")), unique=True))
    size = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=size - 1, max_size=size - 1)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    if 0 in weights:
        weights = [100]
    return Panel(
        id=panel_id,
        title="述法评议",
        groups=draw(rater_groups(stages, weights)),
        stages=[PanelStage(id=s, title=s) for s in stages],
        below_quorum=draw(st.sampled_from(("rescale", "no-result"))),
        partial=draw(st.booleans()),
    )


def _derived(draw: st.DrawFn, indicator: Indicator, panel_ids: list[str]) -> Indicator:
    """The indicator turned into one that reads law reports, the ledger or filings."""
    sources = ["problems", "filing:submitted", "filing:published"]
    sources += ["law-report", *(f"law-report:{p}" for p in panel_ids)] if panel_ids else []
    source = draw(st.sampled_from(sources))
    if source.startswith("law-report"):
        kind = draw(st.sampled_from(("given-score", "bands", "relative")))
        measure = Measure.VALUE
    elif source == "problems":
        kind, measure = "overdue-problems", Measure.PROBLEMS
    else:
        kind, measure = "deadline", Measure.DATE
    params = draw(rule_params(kind, indicator.direction))
    return attrs.evolve(
        indicator,
        measure=measure,
        evidence_from=source,
        rule=RuleSpec(kind=kind, params=params),
    )


@st.composite
def schemes_reading_everything(draw: st.DrawFn) -> Scheme:
    """Generated schemes with panels, indicators fed by reports, ledger and filings, and more.

    On top of :func:`rulelaw.testing.schemes`: up to two panels; some
    indicators take their evidence from law reports (a given score out of 5,
    7.5, 10 or 100), the ledger or filings; rates may declare an empty
    denominator an error; grading may group peers by a unit attribute.
    """
    scheme = draw(schemes())
    panel_ids = [f"panel-{n}" for n in range(1, draw(st.integers(0, 2)) + 1)]
    indicators = []
    for indicator in scheme.indicators:
        choice = draw(st.integers(0, 3))
        if choice == 0:
            indicator = _derived(draw, indicator, panel_ids)
        elif choice == 1 and indicator.measure is Measure.RATE:
            kind = indicator.rule.kind
            params = draw(rule_params(kind, indicator.direction, errors=True))
            indicator = attrs.evolve(indicator, rule=RuleSpec(kind=kind, params=params))
        indicators.append(indicator)
    grading = scheme.grading
    if draw(st.booleans()):
        grading = attrs.evolve(grading, peer_group="kind")
    return attrs.evolve(
        scheme,
        indicators=indicators,
        panels=[draw(panels(p)) for p in panel_ids],
        grading=grading,
    )


@settings(max_examples=15, deadline=None, suppress_health_check=QUIET)
@given(st.data())
def test_draws_under_generated_schemes_that_read_everything(data: st.DataObject) -> None:
    """Under generated schemes with panels, ledger, filings and strict rules, draws evaluate."""
    scheme = data.draw(schemes_reading_everything(), label="scheme")
    assessment = data.draw(assessments(scheme), label="assessment")
    result = _check(assessment)
    if scheme.grading.peer_group == "kind":
        assert all(u.attributes["kind"] in ("法治", "执法", "综合") for u in assessment.units)
    strict = {
        i.id
        for i in scheme.indicators
        if i.rule.params.get("empty") == "error" and i.evidence_from is None
    }
    assert not any(
        isinstance(o.value, UndefinedRate)
        for o in assessment.evidence.observations
        if o.indicator in strict
    )
    assert len(result.panels) == sum(r.panel is not None for r in assessment.reports)


def _law_report_scheme(out_of: Decimal) -> Scheme:
    """The six-part scheme, its law-report indicator scored out of ``out_of`` instead of 100."""
    scheme = SCHEMES["law-reports/six-part"]
    return attrs.evolve(
        scheme,
        indicators=[
            attrs.evolve(i, rule=RuleSpec(kind="given-score", params={"out_of": out_of}))
            if i.evidence_from is not None
            else i
            for i in scheme.indicators
        ],
    )


@pytest.mark.parametrize("out_of", [Decimal(10), Decimal("7.5"), Decimal("0.5")])
def test_ballots_keep_a_given_score_fed_by_the_panel_on_its_scale(out_of: Decimal) -> None:
    """When a panel feeds a given score out of less than 100, its ballots stay at or below it."""
    scheme = _law_report_scheme(out_of)
    scored: list[Decimal] = []

    # derandomized: that some panel scores at all must not depend on the run
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=QUIET,
    )
    @given(assessments(scheme))
    def check(assessment: Assessment) -> None:
        result = _check(assessment)
        scored.extend(p.score for p in result.panels if p.score is not None)

    check()
    assert scored
    assert max(scored) <= out_of


# -- shrinking ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_failing_property_shrinks_to_one_perfect_unit_quickly() -> None:
    """The property "no unit's total exceeds 50" on the demo city shrinks to one perfect unit."""
    scheme = SCHEMES["demo-city"]
    calls = 0

    def over_fifty(assessment: Assessment) -> bool:
        nonlocal calls
        calls += 1
        return any(u.total > 50 for u in rulelaw.evaluate(assessment).units)

    started = time.perf_counter()
    found = find(
        assessments(scheme),
        over_fifty,
        settings=settings(database=None, deadline=None, suppress_health_check=QUIET),
        random=random.Random(0),
    )
    seconds = time.perf_counter() - started
    print(f"shrunk in {seconds:.1f} s over {calls} evaluations")
    assert calls < 400  # 49 s over some thousands of evaluations before
    (unit,) = rulelaw.evaluate(found).units
    assert unit.total > 50
    assert (found.people, found.adjustments, found.reports, found.filings) == ((), (), (), ())
    given = {o.indicator for o in found.evidence.observations}
    typed = {
        i.id
        for i in scheme.indicators
        if i.evidence_from is None and i.applies_to(found.units[0].category)
    }
    assert given == typed  # every indicator given …
    for line in unit.indicators:
        if line.indicator in given:  # … and scored its full points
            assert line.rule_points == line.rule_max, line
