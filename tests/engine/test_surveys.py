"""Surveys: respondents' answers (survey.csv) aggregated per unit into an indicator's value."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import rulelaw
import rulelaw.testing
from rulelaw.files import scheme_from_text
from rulelaw.model import Survey, SurveyAnswer, scale_points

ROOT = Path(__file__).resolve().parents[2]
SURVEY = ROOT / "examples" / "survey"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the survey example, to edit."""
    return Path(shutil.copytree(SURVEY, tmp_path / "survey"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(rulelaw.ValidationError) as caught:
        rulelaw.load(folder)
    for error in caught.value.errors:
        assert error.code is not None
        assert error.text("zh-CN") != str(error)
    return [str(e) for e in caught.value.errors]


def test_the_example_scores_each_unit_from_its_answers() -> None:
    """Hand-computed, each street's total from its answers.

    东坡: 9 of 10 answers at or above 80 points → 90%, linear from floor 60 to target 95:
    (90 − 60) / 35 × 100 = 85.714… of 100, of 40 points 34.29; experts 8, 9, 7.5, 10 of
    10 → 80, 90, 75, 100, the lowest and highest dropped → 85 → 17.00 of 20; adviser
    yes → 40. Total 91.29.
    西湾: 4 of 6 → 66.67%: (66.666… − 60) / 35 × 100 = 19.05 → 7.62; experts 60, 70, 90
    → 70 → 14.00; adviser 40. Total 61.62.
    南桥: 3 answers, fewer than 5: 1.1 not applicable, its 40 points go to 1.2 (now 60);
    2 experts, fewer than 3: not submitted, 0; no adviser, 0. Total 0.
    """
    result = rulelaw.evaluate(rulelaw.load(SURVEY))
    assert {u.unit: u.total for u in result.units} == {
        "dongpo": Decimal("91.29"),
        "xiwan": Decimal("61.62"),
        "nanqiao": Decimal("0.00"),
    }
    xiwan = result.unit("xiwan")
    rate, mean, _ = xiwan.indicators
    assert (rate.observed, rate.points) == ("4/6 (66.67%)", Decimal("7.62"))
    assert mean.observed == (
        "70.00 (3 answers: mean of 1 after dropping the 1 lowest (60) and the 1 highest (90))"
    )
    assert mean.observed.text("zh-CN") == (
        "70.00（有效答卷3份：去掉1个最低分（60）和1个最高分（90）后1份答卷的平均分）"
    )
    assert (
        rate.source
        == "survey 'residents' (居民法治建设满意度问卷): 6 answers, 4 of 6 at or above 80 points"
    )
    assert mean.source.code == "survey.source-method"
    nanqiao = result.unit("nanqiao")
    share, experts, _ = nanqiao.indicators
    assert share.status == "not-applicable"
    assert share.observed == "not applicable (3 answers, fewer than the minimum of 5)"
    assert (experts.status, experts.effective_weight) == ("not-submitted", Decimal("60.00"))
    assert experts.observed.text("zh-CN") == "未报送（有效答卷2份，少于最低样本量3份）"


def test_the_derived_values_are_rates_and_values() -> None:
    """A share satisfied is a rate of counts; a mean a value with how it was made."""
    assessment = rulelaw.load(SURVEY)
    result = rulelaw.evaluate(assessment)
    both = rulelaw.testing.check_paths_agree(SURVEY)  # the arrays and the reference way
    assert [u.total for u in both.units] == [u.total for u in result.units]
    dongpo = result.unit("dongpo")
    assert dongpo.indicators[0].rule_points == Decimal("85.71")
    assert len(assessment.answers) == 10 + 6 + 3 + 4 + 3 + 2
    assert assessment.answers[0] == SurveyAnswer(
        survey="residents", unit="dongpo", respondent="r001", answer="满意"
    )


def test_below_the_minimum_a_survey_may_still_score(folder: Path) -> None:
    """below_min = "score": 南桥's 3 answers are scored (3 of 3 satisfied → 100%), said so."""
    _edit(folder / "scheme.toml", "min_sample = 5 ", 'min_sample = 5\nbelow_min = "score" ')
    result = rulelaw.evaluate(rulelaw.load(folder))
    share = result.unit("nanqiao").indicators[0]
    assert (share.observed, share.rule_points) == ("3/3 (100.00%)", Decimal("100.00"))
    assert share.source == (
        "survey 'residents' (居民法治建设满意度问卷): 3 answers, below the minimum of 5, "
        "3 of 3 at or above 80 points"
    )


def test_a_unit_without_answers_is_not_applicable_or_not_submitted(folder: Path) -> None:
    """No answers at all: as below_min says; with "score", nothing to score: not submitted."""
    survey = folder / "survey.csv"
    survey.write_text(
        "\n".join(line for line in survey.read_text("utf-8").splitlines() if "nanqiao" not in line)
        + "\n",
        encoding="utf-8",
    )
    lines = rulelaw.evaluate(rulelaw.load(folder)).unit("nanqiao").indicators
    assert lines[0].observed == "not applicable (0 answers, fewer than the minimum of 5)"
    assert lines[1].status == "not-submitted"
    _edit(folder / "scheme.toml", "min_sample = 5 ", 'min_sample = 5\nbelow_min = "score" ')
    lines = rulelaw.evaluate(rulelaw.load(folder)).unit("nanqiao").indicators
    assert lines[0].status == "not-submitted"


def test_a_median_of_answers(folder: Path) -> None:
    """Aggregate = "median": 东坡's experts 75, 80, 90, 100 → (80 + 90) / 2 = 85."""
    _edit(folder / "scheme.toml", 'aggregate = "trimmed"\ntrim = 1', 'aggregate = "median"')
    line = rulelaw.evaluate(rulelaw.load(folder)).unit("dongpo").indicators[1]
    assert line.observed == "85.00 (4 answers: median of 4)"


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            "residents,dongpo,r011,很满意",
            "survey.csv, row 30, column 'answer': unknown grade label '很满意' (expected one "
            "of 满意, 比较满意, 一般, 不满意)",
        ),
        (
            "experts,dongpo,e9,11",
            "survey.csv, row 30, column 'answer': 11 out of range (expected 0 to 10)",
        ),
        (
            "experts,dongpo,e1,8",
            "survey.csv, row 30, column 'respondent': second answer of respondent 'e1' to "
            "survey 'experts' about 'dongpo'",
        ),
        (
            "public,dongpo,e9,8",
            "survey.csv, row 30, column 'survey': unknown survey 'public' (expected one of "
            "'experts', 'residents')",
        ),
        (
            "experts,beiling,e1,8",
            "survey.csv, row 30, column 'unit': unknown unit 'beiling' (expected a unit id "
            "from the unit list)",
        ),
    ],
)
def test_a_bad_answer_is_refused_at_its_row(folder: Path, row: str, problem: str) -> None:
    """An answer off the survey's scale, twice, or naming what does not exist: file and row."""
    with (folder / "survey.csv").open("a", encoding="utf-8") as file:
        file.write(row + "\n")
    assert _problems(folder) == [problem]


SCHEME_HEAD = (SURVEY / "scheme.toml").read_text("utf-8")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'evidence_from = "survey:experts"',
            'evidence_from = "survey:panel"',
            "$.indicators[1].evidence_from: unknown survey 'panel' (expected one of "
            "'residents', 'experts')",
        ),
        (
            'evidence_from = "survey:experts"',
            'evidence_from = "survey:"',
            "$.indicators[1].evidence_from: unknown evidence source (expected 'law-report' "
            "(or 'law-report:PANEL'), 'problems', 'filing:submitted', 'filing:published' or "
            "'survey:SURVEY'; got 'survey:')",
        ),
        (
            'measure = "rate"\nunit_of_measure = "%"\nevidence_from = "survey:residents"',
            'measure = "value"\nevidence_from = "survey:residents"',
            "$.indicators[0].measure",
        ),
        ("min_sample = 3", "min_sample = 2", "$.surveys[1].min_sample"),
        ("min_sample = 3", "min_sample = 0", "$.surveys[1].min_sample: min_sample must be"),
        ("satisfied = 80", "satisfied = 180", "$.surveys[0].satisfied: satisfied must be"),
        ('id = "experts"', 'id = "residents"', "duplicate survey id 'residents'"),
        ("trim = 1\n", "trim = 1\nsatisfied = 60\n", "$.surveys[1].aggregate"),
    ],
)
def test_a_survey_that_does_not_hold_is_refused_at_its_key(
    old: str, new: str, problem: str
) -> None:
    """Each declaration problem at its key path, with a code and a Chinese text."""
    assert old in SCHEME_HEAD
    with pytest.raises(rulelaw.ValidationError) as caught:
        scheme_from_text(SCHEME_HEAD.replace(old, new, 1), file="scheme.toml")
    texts = [str(e) for e in caught.value.errors]
    assert any(problem in text for text in texts), texts
    assert all(e.code for e in caught.value.errors)


def test_a_survey_reads_answers_as_a_panel_reads_ballots() -> None:
    """The one reading of a value on a scale: grade labels looked up, numbers scaled."""
    survey = Survey(id="s", title="问卷", ballot="numbers", min=1, max=5)
    assert scale_points(survey, "4") == (Decimal(75), "")
    points, why = scale_points(survey, "6")
    assert points is None
    assert why.code == "ballot.out-of-range"


def test_answers_round_trip_through_a_folder(tmp_path: Path) -> None:
    """Dump writes survey.csv; loading it back gives the same assessment."""
    assessment = rulelaw.load(SURVEY)
    rulelaw.dump(assessment, tmp_path / "copy")
    assert (tmp_path / "copy" / "survey.csv").is_file()
    assert rulelaw.load(tmp_path / "copy") == assessment
