"""Grade thresholds follow the scheme's scale: percentages of it, and nothing above it."""

from __future__ import annotations

import pickle
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rulelaw
from rulelaw.cli import main
from rulelaw.engine import UnitResult
from rulelaw.engine._grade import grade_units
from rulelaw.files import scheme_from_text, scheme_to_text
from rulelaw.model import DEFAULT_GRADE_SCALE, Grade, GradeScale, GradingPolicy, PercentOfScale
from rulelaw.testing import check_paths_agree

MINI_PATH = Path(__file__).parents[1] / "data" / "mini"
MINI = (MINI_PATH / "scheme.toml").read_text(encoding="utf-8")


def _on_scale(scale: str, extra: str = "") -> str:
    """The mini scheme's text with ``scale = …`` (and ``extra`` appended)."""
    return MINI.replace('version = "1"', f'version = "1"\nscale = {scale}', 1) + extra


def _unit(unit: str, total: str) -> UnitResult:
    return UnitResult(
        unit=unit,
        name=unit,
        category="county",
        level="county",
        indicators=(),
        dimensions=(),
        adjustments=(),
        subtotal=Decimal(total),
        total=Decimal(total),
        peer_group="g",
    )


def _grades(scheme: rulelaw.Scheme, totals: dict[str, str]) -> dict[str, str | None]:
    graded, _ = grade_units(scheme, [_unit(u, t) for u, t in totals.items()], {})
    return {u.unit: u.grade for u in graded}


def test_default_thresholds_follow_a_scale_of_35() -> None:
    """Scale 35, no [grading]: 90%, 80%, 60% of 35 are 31.5, 28 and 21.

    0.90 × 35 = 31.5; 0.80 × 35 = 28; 0.60 × 35 = 21. A total on a
    threshold earns the grade; a hundredth below it earns the next.
    """
    scheme = scheme_from_text(_on_scale("35"), file="scheme.toml")
    scale = scheme.grading.scale
    assert scale.out_of == 35
    assert scale.thresholds == (Decimal("31.5"), Decimal("28"), Decimal("21"), None)
    assert _grades(
        scheme,
        {
            "a": "35.00",
            "b": "31.50",
            "c": "31.49",
            "d": "28.00",
            "e": "27.99",
            "f": "21.00",
            "g": "20.99",
        },
    ) == {
        "a": "excellent",
        "b": "excellent",
        "c": "good",
        "d": "good",
        "e": "pass",
        "f": "pass",
        "g": "fail",
    }
    # the leaders' grading is on the scheme's scale too; the law reports keep 0 … 100
    assert scheme.people.grading.scale.thresholds[:3] == (
        Decimal("31.5"),
        Decimal("28"),
        Decimal("21"),
    )
    assert scheme.law_reports.grading.scale.thresholds[:3] == (
        Decimal(90),
        Decimal(80),
        Decimal(60),
    )


def test_mini_folder_on_a_scale_of_35_grades_by_31_5_28_21(tmp_path: Path) -> None:
    """The mini folder evaluated on a scale of 35, its grades by the thresholds on 35.

    County worths are weight × 35/100: 1.1 → 7, 1.2 → 7, 2.1 → 14, 2.2 → 7.
    city: 1.1 at 90% (linear from 80%) → 50% of 7 = 3.5; 1.2 two cases at
    20 each → 60% of 7 = 4.2; 2.1 0/0 is left out, so 2.2 takes dimension 2's
    14 + 7 = 21, yes → 21: 3.5 + 4.2 + 21 = 28.70 ≥ 28 → 良好.
    dept-justice (maximum 50: worths × 35/50 = 0.7): 1.1 30/30 → 14; 1.2 no
    case → 7; 2.2 否 → 0: 21.00 ≥ 21 → 合格, on the threshold.
    county-a: 1.1 98.5% → 92.5% of 7 = 6.475 → 6.48; 1.2 missing → 0; 2.1
    not applicable, so 2.2 takes dimension 2's 21, partly → 10.50: 16.98 < 21.
    """
    folder = tmp_path / "mini"
    shutil.copytree(MINI_PATH, folder)
    (folder / "scheme.toml").write_text(_on_scale("35"), encoding="utf-8")
    result = rulelaw.evaluate(rulelaw.load(folder))
    got = {u.unit: (u.total, u.grade_label, str(u.grade_steps[1])) for u in result.units}
    assert got == {
        "city": (Decimal("28.70"), "良好", "total 28.70 ≥ 28 → 良好"),
        "county-a": (Decimal("16.98"), "不合格", "total 16.98 < 21 → 不合格"),
        "county-b": (Decimal("0.00"), "不合格", "total 0.00 < 21 → 不合格"),
        "dept-justice": (Decimal("21.00"), "合格", "total 21.00 ≥ 21 → 合格"),
    }
    assert result.unit("city").grade_steps[1].text("zh-CN") == "总分28.70分，不低于28分，评为良好"
    check_paths_agree(folder)


def test_default_thresholds_on_a_scale_of_8() -> None:
    """Scale 8: 0.9 × 8 = 7.2, 0.8 × 8 = 6.4, 0.6 × 8 = 4.8."""
    scheme = scheme_from_text(_on_scale("8"), file="scheme.toml")
    assert scheme.grading.scale.thresholds == (
        Decimal("7.2"),
        Decimal("6.4"),
        Decimal("4.8"),
        None,
    )
    assert _grades(scheme, {"a": "7.20", "b": "7.19", "c": "6.40", "d": "4.80", "e": "4.79"}) == {
        "a": "excellent",
        "b": "good",
        "c": "good",
        "d": "pass",
        "e": "fail",
    }


def test_scale_100_keeps_its_thresholds_as_they_were() -> None:
    """On the usual 100 the default thresholds are 90, 80 and 60, written as before (no .00)."""
    scheme = scheme_from_text(MINI, file="scheme.toml")
    thresholds = scheme.grading.scale.thresholds
    assert [repr(t) for t in thresholds] == [
        "Decimal('90')",
        "Decimal('80')",
        "Decimal('60')",
        "None",
    ]
    graded, _ = grade_units(scheme, [_unit("a", "85.00")], {})
    step = graded[0].grade_steps[1]
    assert (str(step), step.params) == (
        "total 85.00 ≥ 80 → 良好",
        (("total", Decimal("85.00")), ("minimum", Decimal("80")), ("grade", "良好")),
    )


def test_threshold_written_as_a_percentage() -> None:
    """``minimum = "87.5%"`` on a scale of 40 is 35 (0.875 × 40); written back as "87.5%"."""
    grades = (
        '\n[grading]\n[[grading.grades]]\nid = "a"\nlabel = "A"\nminimum = "87.5%"\n'
        '[[grading.grades]]\nid = "b"\nlabel = "B"\nminimum = "50 ％"\n'
        '[[grading.grades]]\nid = "c"\nlabel = "C"\n'
    )
    scheme = scheme_from_text(_on_scale("40", grades), file="scheme.toml")
    assert scheme.grading.grades[0].minimum == PercentOfScale(Decimal("87.5"))
    assert scheme.grading.scale.thresholds == (Decimal("35"), Decimal("20"), None)
    text = scheme_to_text(scheme)
    assert 'minimum = "87.5%"' in text
    assert 'minimum = "50%"' in text
    assert scheme_from_text(text) == scheme
    assert pickle.loads(pickle.dumps(scheme)).grading.scale.thresholds == (
        Decimal("35"),
        Decimal("20"),
        None,
    )


def _problems(text: str) -> list[str]:
    with pytest.raises(rulelaw.ValidationError) as info:
        scheme_from_text(text, file="scheme.toml")
    return [str(e) for e in info.value.errors]


GRADES_95 = (
    '\n[grading]\n[[grading.grades]]\nid = "excellent"\nlabel = "优秀"\nminimum = 95\n'
    '[[grading.grades]]\nid = "good"\nlabel = "良好"\nminimum = 28\n'
    '[[grading.grades]]\nid = "fail"\nlabel = "不合格"\n'
)

MESSAGE_95 = (
    "scheme.toml, $.grading.grades[0].minimum: grade 'excellent' has a threshold above the "
    "scheme's scale of 35, which no total reaches (expected at most 35; got 95)"
)


def test_threshold_above_the_scale_is_refused() -> None:
    """95 on a scale of 35 could never be reached: refused at its key path, in both languages."""
    with pytest.raises(rulelaw.ValidationError) as info:
        scheme_from_text(_on_scale("35", GRADES_95), file="scheme.toml")
    (error,) = info.value.errors
    assert isinstance(error, rulelaw.SchemeError)
    assert str(error) == MESSAGE_95
    assert error.problem.code == "scheme.threshold-above-scale"
    assert error.text("zh-CN") == (
        "scheme.toml，$.grading.grades[0].minimum：等次“excellent”的分数线高于本方案的35分制"
        "满分，任何得分都无法达到（应为不大于35；实为95）"
    )


def test_threshold_above_the_scale_is_refused_by_load_and_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``rulelaw.load`` and ``rulelaw validate`` report the same problem."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI_PATH, folder)
    (folder / "scheme.toml").write_text(_on_scale("35", GRADES_95), encoding="utf-8")
    with pytest.raises(rulelaw.ValidationError) as info:
        rulelaw.load(folder)
    assert [str(e) for e in info.value.errors] == [MESSAGE_95]
    assert main(["validate", str(folder), "--lang", "en"]) == 2
    assert capsys.readouterr().out.splitlines() == [MESSAGE_95, f"1 problem in {folder}"]


def test_leaders_and_law_report_thresholds_are_checked_too() -> None:
    """[people.grading] is on the scheme's scale, [law_reports.grading] on the panels' 100."""
    people = (
        '\n[people.grading]\npeer_group = "role"\n[[people.grading.grades]]\nid = "a"\n'
        'label = "A"\nminimum = 36\n[[people.grading.grades]]\nid = "b"\nlabel = "B"\n'
    )
    reports = (
        '\n[law_reports.grading]\n[[law_reports.grading.grades]]\nid = "good"\nlabel = "好"\n'
        'minimum = 101\n[[law_reports.grading.grades]]\nid = "poor"\nlabel = "差"\n'
    )
    assert _problems(_on_scale("35", people + reports)) == [
        "scheme.toml, $.people.grading.grades[0].minimum: grade 'a' has a threshold above the "
        "scheme's scale of 35, which no total reaches (expected at most 35; got 36)",
        "scheme.toml, $.law_reports.grading.grades[0].minimum: grade 'good' has a threshold "
        "above the law reports' scale of 100, which no report's score reaches "
        "(expected at most 100; got 101)",
    ]


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            '"90%"',
            "20",
            "scheme.toml, $.grading.grades[1].minimum: grade thresholds mix points and "
            "percentages of the scale (expected a percentage of the scale, like the grade "
            "above; got 20)",
        ),
        (
            "30",
            '"50%"',
            "scheme.toml, $.grading.grades[1].minimum: grade thresholds mix points and "
            "percentages of the scale (expected points, like the grade above; got '50%')",
        ),
        (
            '"80%"',
            '"90%"',
            "scheme.toml, $.grading.grades[1].minimum: grade thresholds out of order "
            "(expected less than 80% (grades are listed best first); got '90%')",
        ),
        (
            '"120%"',
            '"90%"',
            "scheme.toml, $.grading.grades[0].minimum: a threshold in per cent is from 0% to "
            "100% of the scale (expected 0 to 100; got '120%')",
        ),
        (
            '"ninety%"',
            '"50%"',
            "scheme.toml, $.grading.grades[0].minimum: not a number "
            "(expected a decimal number; got 'ninety')",
        ),
    ],
)
def test_bad_percentages_are_refused(first: str, second: str, message: str) -> None:
    """One scale is written all in points or all in percentages, each from 0% to 100%."""
    grades = (
        f'\n[grading]\n[[grading.grades]]\nid = "a"\nlabel = "A"\nminimum = {first}\n'
        f'[[grading.grades]]\nid = "b"\nlabel = "B"\nminimum = {second}\n'
        '[[grading.grades]]\nid = "c"\nlabel = "C"\n'
    )
    assert _problems(_on_scale("35", grades)) == [message]


def test_policy_outside_a_scheme_is_on_100() -> None:
    """A grading policy built alone grades on 100; ``on_scale`` puts it on another scale."""
    policy = GradingPolicy()
    assert policy.scale.out_of == 100
    assert policy.scale.grade_for(Decimal(90)) == "excellent"
    on_8 = policy.on_scale(Decimal(8))
    assert on_8 == policy  # the same policy, written the same way
    assert on_8.scale.grade_for(Decimal("7.2")) == "excellent"
    assert on_8.scale.threshold("pass") == Decimal("4.8")
    assert policy.scale.out_of == 100  # unchanged
    assert DEFAULT_GRADE_SCALE.grades[0].minimum == PercentOfScale(Decimal(90))
    with pytest.raises(rulelaw.SchemeError) as info:
        Grade(id="a", label="A", minimum="101%")
    assert str(info.value) == (
        "minimum: a threshold in per cent is from 0% to 100% of the scale "
        "(expected 0 to 100; got '101%')"
    )


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**6), places=2),
    st.decimals(min_value=0, max_value=100, places=3),
)
def test_percentage_of_the_scale_is_exact(scale: Decimal, percent: Decimal) -> None:
    """``p%`` of a scale is exactly p × scale / 100, and grade_for agrees with it."""
    threshold = PercentOfScale(percent).of(scale)
    assert Fraction(threshold) == Fraction(percent) * Fraction(scale) / 100
    grades = GradeScale(
        grades=(Grade(id="a", label="A", minimum=f"{percent}%"), Grade(id="b", label="B")),
        out_of=scale,
    )
    assert grades.grade_for(threshold) == "a"
    if threshold > 0:
        below = threshold - Decimal("0.0001")
        assert grades.grade_for(below) == "b"
