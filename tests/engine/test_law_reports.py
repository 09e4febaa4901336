"""The four local law-report models (examples/law-reports), worked out by hand.

Covers panel scores, report grades and unit totals; trimmed means with ties;
quorum; rejected ballots; the rectification ledger; annual-report filings;
and coverage. Every expected number is derived in the comments next to it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import rulelaw
from rulelaw import PanelResult, ReportForm

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "law-reports"
MODELS = ("onsite-secretary", "six-part", "questioning", "site-visit")


def _load(folder: str | Path) -> rulelaw.Assessment:
    """A folder of examples/law-reports (by name), or any folder."""
    return rulelaw.load(EXAMPLES / folder if isinstance(folder, str) else folder)


def _copy(tmp_path: Path, model: str) -> Path:
    target = tmp_path / model
    shutil.copytree(EXAMPLES / model, target)
    return target


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _append(folder: Path, file: str, text: str) -> None:
    with (folder / file).open("a", encoding="utf-8") as handle:
        handle.write(text)


def _as_json(value: object) -> object:
    """TOML data as JSON data (dates as ISO text), for the JSON Schema."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _panels(result: rulelaw.Evaluation) -> dict[str, PanelResult]:
    return {p.report: p for p in result.panels}


def _scores(result: rulelaw.Evaluation) -> dict[str, tuple[str | None, str | None]]:
    """Report → (panel score, grade label)."""
    return {
        p.report: (None if p.score is None else str(p.score), p.grade_label) for p in result.panels
    }


def _groups(panel: PanelResult) -> dict[str, str | None]:
    return {g.group: None if g.score is None else str(g.score) for g in panel.groups}


def _totals(result: rulelaw.Evaluation) -> dict[str, str]:
    return {u.unit: str(u.total) for u in result.units}


def _points(result: rulelaw.Evaluation, unit: str) -> dict[str, str]:
    return {i.indicator: str(i.points) for i in result.unit(unit).indicators}


# -- the folders --------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_folder_is_complete_and_evaluates(model: str) -> None:
    """Each folder has the files its model needs, loads, and rates every report."""
    folder = EXAMPLES / model
    for name in ("scheme.toml", "units.csv", "people.csv", "tenures.csv", "evidence.csv"):
        assert (folder / name).is_file(), name
    assessment = _load(model)
    result = rulelaw.evaluate(assessment)
    assert 3 <= len(assessment.units) <= 6
    leaders = {u.id: sum(t.unit == u.id for t in assessment.tenures) for u in assessment.units}
    assert set(leaders.values()) <= {1, 2}
    link = assessment.scheme.indicator("1.1")
    assert (link.measure.value, link.rule.kind, dict(link.rule.params)) == (
        "value",
        "given-score",
        {"out_of": 100},
    )
    assert (link.evidence_from or "").split(":")[0] == "law-report"
    assert len(result.panels) == len(assessment.reports) > 0
    assert all(p.score is not None for p in result.panels)
    assert result.rejected_ballots == ()
    # the law-report score feeds every unit's total through indicator 1.1
    assert {u.indicator("1.1").status for u in result.units} == {"scored"}


@pytest.mark.parametrize("model", MODELS)
def test_scheme_follows_the_json_schema(model: str) -> None:
    """Each scheme.toml is valid under the published JSON Schema of scheme files."""
    schema = json.loads(
        (Path(rulelaw.__file__).parent / "schemas" / "scheme.schema.json").read_text(
            encoding="utf-8"
        )
    )
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    data = tomllib.loads((EXAMPLES / model / "scheme.toml").read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(_as_json(data))] == []


# -- onsite-secretary: on-site report (60) + secretary's comment (40) ---------------------


def test_onsite_secretary_panels_by_hand() -> None:
    """Mean of the on-site scores ×60 plus the secretary's grade ×40, graded 好/较好/一般/差."""
    result = rulelaw.evaluate(_load("onsite-secretary"))
    # r-xihe:    onsite (92+88+90+94+86)/5 = 450/5 = 90; 好 = 100 → 0.6×90 + 0.4×100 = 94
    # r-dongpu:  onsite (85+80+82+78+90)/5 = 415/5 = 83; 较好 = 85 → 49.8 + 34 = 83.8
    # r-beiling: onsite (70+75+72+68+71)/5 = 356/5 = 71.2; 一般 = 70 → 42.72 + 28 = 70.72
    # r-justice: onsite (88+91+87+90+89)/5 = 445/5 = 89; 好 = 100 → 53.4 + 40 = 93.4
    # grades on the default law-report scale: 好 ≥ 90, 较好 ≥ 80, 一般 ≥ 60
    assert _scores(result) == {
        "r-xihe": ("94.00", "好"),
        "r-dongpu": ("83.80", "较好"),
        "r-beiling": ("70.72", "一般"),
        "r-justice": ("93.40", "好"),
    }
    beiling = _panels(result)["r-beiling"]
    assert _groups(beiling) == {"onsite": "71.20", "secretary": "70.00"}
    assert beiling.reason == "weighted mean of onsite 71.20×60, secretary 70.00×40"


def test_onsite_secretary_totals_by_hand() -> None:
    """Law report ×30%, annual report 5+5 (counties) or 10 (departments), exam rate ×60%."""
    result = rulelaw.evaluate(_load("onsite-secretary"))
    # 2.1 rate-target 100, floor 80: points = (rate − 80)/20 of 60
    # xihe:    1.1 94×0.3 = 28.2;   1.2 on the due day 5;  1.3 on time 5;  2.1 50/50 → 60
    #          28.2 + 5 + 5 + 60 = 98.20
    # dongpu:  1.1 83.8×0.3 = 25.14; 1.2 3 days late: 100 − 3×5 = 85% of 5 = 4.25;
    #          1.3 published late: 100 − 50 = 50% of 5 = 2.5; 2.1 96% → 16/20 of 60 = 48
    #          25.14 + 4.25 + 2.5 + 48 = 79.89
    # beiling: 1.1 70.72×0.3 = 21.216; 1.2 on time 5; 1.3 not published → 0;
    #          2.1 90% → 10/20 of 60 = 30;  21.216 + 5 + 0 + 30 = 56.216 → 56.22
    # justice: 1.1 93.4×0.3 = 28.02; 1.4 on the due day 10; 2.1 30/30 → 60;  98.02
    assert _totals(result) == {
        "xihe": "98.20",
        "dongpu": "79.89",
        "beiling": "56.22",
        "justice": "98.02",
    }
    assert _points(result, "dongpu") == {
        "1.1": "25.14",
        "1.2": "4.25",
        "1.3": "2.50",
        "2.1": "48.00",
    }


# -- six-part ---------------------------------------------------------------------------


def test_six_part_panel_totals_by_hand() -> None:
    """Six weighted groups (20/10/20/20/15/15), grades and numbers, trimmed ballot groups."""
    result = rulelaw.evaluate(_load("six-part"))
    panels = _panels(result)
    # 好/较好/一般/差 = 100/85/70/50; oversight numbers 0–10 → ×10; trimmed = drop 1 each side
    # r-hekou:   onsite (95+93+94)/3 = 94; written (92+90)/2 = 91; mayor 好 100;
    #            members 好好较好好一般 = 70,85,100,100,100 → 85,100,100 → 95;
    #            democratic 好较好较好好差 = 50,85,85,100,100 → 85,85,100 → 90;
    #            oversight 9,10,8,9,9 → 80,90,90,90,100 → 90,90,90 → 90
    #            (20×94 + 10×91 + 20×100 + 20×95 + 15×90 + 15×90)/100
    #            = (1880 + 910 + 2000 + 1900 + 1350 + 1350)/100 = 93.90
    assert _groups(panels["r-hekou"]) == {
        "onsite": "94.00",
        "written": "91.00",
        "mayor": "100.00",
        "members": "95.00",
        "democratic": "90.00",
        "oversight": "90.00",
    }
    # r-shiqiao: onsite 270/3 = 90; written 184/2 = 92; mayor 100;
    #            members 85,85,85,100,100 → 85,85,100 → 90; democratic 70,85,85,85,100 → 85;
    #            oversight 9.5,9,9,8.5,10 → 85,90,90,95,100 → 90,90,95 → 275/3 = 91.67
    #            (1800 + 920 + 2000 + 1800 + 1275 + 15×275/3 = 1375)/100 = 91.70
    assert _groups(panels["r-shiqiao"])["oversight"] == "91.67"
    # r-justice: onsite 264/3 = 88; written 172/2 = 86; mayor 较好 85;
    #            members 70,85,85,100,100 → 90; democratic 70,85,85,85,100 → 85;
    #            oversight 9,8,8.5,9,7 → 70,80,85,90,90 → 80,85,90 → 85
    #            (1760 + 860 + 1700 + 1800 + 1275 + 1275)/100 = 86.70
    # r-market:  onsite 228/3 = 76; written 150/2 = 75; mayor 一般 70;
    #            members 好好一般一般较好 = 70,70,85,100,100 → 70,85,100 → 85;
    #            democratic 50,70,70,70,85 → 70; oversight 60,70,70,75,80 → 215/3 = 71.67
    #            (1520 + 750 + 1400 + 1700 + 1050 + 15×215/3 = 1075)/100 = 74.95
    assert {r: s for r, (s, _) in _scores(result).items()} == {
        "r-hekou": "93.90",
        "r-shiqiao": "91.70",
        "r-justice": "86.70",
        "r-market": "74.95",
    }
    hekou = panels["r-hekou"]
    assert [(g.group, g.stage, g.weight) for g in hekou.groups] == [
        ("onsite", "onsite", Decimal(20)),
        ("written", "written", Decimal(10)),
        ("mayor", "review", Decimal(20)),
        ("members", "review", Decimal(20)),
        ("democratic", "review", Decimal(15)),
        ("oversight", "review", Decimal(15)),
    ]


def test_six_part_grade_shares_per_unit_type() -> None:
    """At most 50% 好 among reports of the same category: the second township moves to 较好."""
    result = rulelaw.evaluate(_load("six-part"))
    # townships: 93.90 and 91.70 both reach 好 (≥ 90); 50% of 2 = 1 → 91.70 moves down
    # departments: 86.70 → 较好, 74.95 → 一般 (no one at 好, nothing moves)
    assert {r: g for r, (_, g) in _scores(result).items()} == {
        "r-hekou": "好",
        "r-shiqiao": "较好",
        "r-justice": "较好",
        "r-market": "一般",
    }
    shiqiao = _panels(result)["r-shiqiao"]
    assert shiqiao.peer_group == "township"
    assert shiqiao.grade_steps == (
        "rank 2 of 2 in 乡镇（街道）",
        "total 91.70 ≥ 90 → 好",
        "好 quota 50% of 2 = 1; moved to 较好",
    )
    counts = {
        d.peer_group: {(c.label, c.count, c.max) for c in d.grades if c.count or c.max}
        for d in result.report_distribution
    }
    assert counts == {
        "township": {("好", 1, 1), ("较好", 1, None)},
        "department": {("好", 0, 1), ("较好", 1, None), ("一般", 1, None)},
    }


def test_six_part_totals_by_hand() -> None:
    """Law report ×40% plus legal counsel (met 60, partly 30, not met 0)."""
    result = rulelaw.evaluate(_load("six-part"))
    # t-hekou:   93.9×0.4 = 37.56 + 60 = 97.56
    # t-shiqiao: 91.7×0.4 = 36.68 + 60 = 96.68
    # d-justice: 86.7×0.4 = 34.68 + partly (half of 60) 30 = 64.68
    # d-market:  74.95×0.4 = 29.98 + 0 = 29.98
    assert _totals(result) == {
        "t-hekou": "97.56",
        "t-shiqiao": "96.68",
        "d-justice": "64.68",
        "d-market": "29.98",
    }


# -- questioning ------------------------------------------------------------------------


def test_questioning_panels_by_hand() -> None:
    """Deputies' median ×30, secretary's grade ×30, trimmed ballot mean ×40."""
    result = rulelaw.evaluate(_load("questioning"))
    # r-fengshu:   deputies 85,88,90,92 → median (88+90)/2 = 89; 较好 85;
    #              ballot 70,70,80,90,90 → 70,80,90 → 80
    #              (30×89 + 30×85 + 40×80)/100 = (2670 + 2550 + 3200)/100 = 84.20
    # r-liangtian: deputies 75,80,85 → 80; 一般 70; ballot 60,75,78,80,82,85 → 75,78,80,82
    #              → 315/4 = 78.75;  (2400 + 2100 + 3150)/100 = 76.50
    # r-housing:   deputies 90,92,94 → 92; 好 100; ballot 88,90,92,94,95 → 90,92,94 → 92
    #              (2760 + 3000 + 3680)/100 = 94.40
    assert _scores(result) == {
        "r-fengshu": ("84.20", "较好"),
        "r-liangtian": ("76.50", "一般"),
        "r-housing": ("94.40", "好"),
    }
    liangtian = _panels(result)["r-liangtian"]
    assert _groups(liangtian) == {"deputies": "80.00", "secretary": "70.00", "ballot": "78.75"}
    methods = {g.group: g.method for g in liangtian.groups}
    assert methods["deputies"] == "median of 3"
    assert methods["ballot"] == (
        "mean of 4 after dropping the 1 lowest (60) and the 1 highest (85)"
    )
    assert [(g.ballots, g.invited) for g in liangtian.groups] == [(3, None), (1, None), (6, 8)]


def test_questioning_totals_by_hand() -> None:
    """Law report ×50% plus 50 for rectification, −25% per overdue problem (as of 12-31)."""
    result = rulelaw.evaluate(_load("questioning"))
    # t-fengshu:   84.2×0.5 = 42.1;  q-02 1 day overdue → 75% of 50 = 37.5;  79.60
    # t-liangtian: 76.5×0.5 = 38.25; q-03 92 days, q-04 31 days → 50% of 50 = 25;  63.25
    # d-housing:   94.4×0.5 = 47.2;  q-06 31 days (sent back) → 37.5;  84.70
    assert _totals(result) == {"t-fengshu": "79.60", "t-liangtian": "63.25", "d-housing": "84.70"}
    rectification = result.unit("t-liangtian").indicator("2.1")
    assert rectification.observed == "2 overdue: q-03 (92 days), q-04 (31 days)"
    assert rectification.reason == ("2 overdue × −25 (q-03 (92 days), q-04 (31 days)) → 50 of 100")


# -- site-visit -------------------------------------------------------------------------


def test_site_visit_panels_by_hand() -> None:
    """Two stages, one group each: site visit mean ×40, on-site report trimmed mean ×60."""
    result = rulelaw.evaluate(_load("site-visit"))
    # r-lianhua-1: visit (90+85+95)/3 = 90; report 85,88,90,92,95 → 88,90,92 → 90
    #              0.4×90 + 0.6×90 = 90.00 → 好 (≥ 90, the boundary counts)
    # r-lianhua-2: visit (80+84+82)/3 = 82; report 78,80,84,86,90 → 80,84,86 → 250/3
    #              0.4×82 + 0.6×250/3 = 32.8 + 50 = 82.80 → 较好
    # r-songbai:   visit 225/3 = 75; report 72,74,76,78,80 → 74,76,78 → 76
    #              30 + 45.6 = 75.60 → 一般
    # r-tangwan:   visit 285/3 = 95; report 93,94,96,97,100 → 94,96,97 → 287/3
    #              38 + 0.6×287/3 = 38 + 57.4 = 95.40 → 好
    assert _scores(result) == {
        "r-lianhua-1": ("90.00", "好"),
        "r-lianhua-2": ("82.80", "较好"),
        "r-songbai": ("75.60", "一般"),
        "r-tangwan": ("95.40", "好"),
    }
    lianhua2 = _panels(result)["r-lianhua-2"]
    assert [(g.group, g.stage, str(g.score)) for g in lianhua2.groups] == [
        ("visit", "visit", "82.00"),
        ("report", "report", "83.33"),
    ]


def test_site_visit_totals_by_hand() -> None:
    """A unit with two reports takes their mean; case-file pass rate from floor 60%."""
    result = rulelaw.evaluate(_load("site-visit"))
    # t-lianhua: (90.00 + 82.80)/2 = 86.4 → ×0.5 = 43.2; 2.1 19/20 = 95% → 35/40 of 50 = 43.75
    #            43.2 + 43.75 = 86.95
    # t-songbai: 75.6×0.5 = 37.8; 16/20 = 80% → 20/40 of 50 = 25;  62.80
    # t-tangwan: 95.4×0.5 = 47.7; 20/20 → 50;  97.70
    assert _totals(result) == {"t-lianhua": "86.95", "t-songbai": "62.80", "t-tangwan": "97.70"}
    assert result.unit("t-lianhua").indicator("1.1").observed == "86.40"


# -- trimmed means ----------------------------------------------------------------------


def test_trimmed_mean_with_ties_at_both_extremes() -> None:
    """Ballots 90, 90, 80, 70, 70 with trim 1 drop one 90 and one 70: mean of 90, 80, 70."""
    result = rulelaw.evaluate(_load("questioning"))
    ballot = next(g for g in _panels(result)["r-fengshu"].groups if g.group == "ballot")
    # sorted 70, 70, 80, 90, 90: one 70 and one 90 go, (70 + 80 + 90)/3 = 80; the method
    # names what was dropped (the next test has ties where the choice changes the score)
    assert (str(ballot.score), ballot.ballots) == ("80.00", 5)
    assert ballot.method == "mean of 3 after dropping the 1 lowest (70) and the 1 highest (90)"


def test_trimmed_grade_ballots_with_ties() -> None:
    """Grade ballots 好, 好, 一般, 一般, 较好 → 100, 100, 70, 70, 85 → mean of 70, 85, 100 = 85."""
    result = rulelaw.evaluate(_load("six-part"))
    members = next(g for g in _panels(result)["r-market"].groups if g.group == "members")
    assert str(members.score) == "85.00"
    assert members.method == "mean of 3 after dropping the 1 lowest (70) and the 1 highest (100)"


def test_trimmed_mean_with_ties_decides_the_score(tmp_path: Path) -> None:
    """Where ties matter: 90, 90, 80, 60, 60 → 90, 80, 60 = 76.67 (dropping all ties: 80)."""
    folder = _copy(tmp_path, "questioning")
    _edit(folder, "ballots.csv", "r-fengshu,ballot,b4,70\nr-fengshu,ballot,b5,70", "")
    _append(folder, "ballots.csv", "r-fengshu,ballot,b4,60\nr-fengshu,ballot,b5,60\n")
    result = rulelaw.evaluate(_load(folder))
    fengshu = _panels(result)["r-fengshu"]
    # ballot group (90 + 80 + 60)/3 = 230/3 = 76.666…
    # panel (30×89 + 30×85 + 40×230/3)/100 = (2670 + 2550 + 9200/3)/100 = 82.8666… → 82.87
    assert _groups(fengshu)["ballot"] == "76.67"
    assert str(fengshu.score) == "82.87"


# -- quorum -----------------------------------------------------------------------------


def _drop_a_deputy(tmp_path: Path, below_quorum: str) -> Path:
    """The questioning folder with r-liangtian's deputies down to 2 ballots (quorum 3)."""
    folder = _copy(tmp_path, "questioning")
    _edit(folder, "ballots.csv", "r-liangtian,deputies,dep3,85\n", "")
    _edit(folder, "scheme.toml", 'below_quorum = "rescale"', f'below_quorum = "{below_quorum}"')
    return folder


def test_below_quorum_rescale_gives_the_weight_to_the_others(tmp_path: Path) -> None:
    """A group below quorum is left out and the other groups' weights are rescaled."""
    result = rulelaw.evaluate(_load(_drop_a_deputy(tmp_path, "rescale")))
    liangtian = _panels(result)["r-liangtian"]
    deputies = liangtian.groups[0]
    assert (deputies.group, deputies.valid, deputies.ballots, deputies.score) == (
        "deputies",
        False,
        2,
        None,
    )
    assert deputies.reason == "2 valid ballots, below the quorum of 3"
    # secretary 70 and ballot 78.75 share the panel: weights 30 and 40 of 70
    # (30×70 + 40×78.75)/(30 + 40) = (2100 + 3150)/70 = 5250/70 = 75.00
    assert str(liangtian.score) == "75.00"
    assert liangtian.reason == (
        "weighted mean of secretary 70.00×30, ballot 78.75×40; deputies below quorum, "
        "their weight given to the others"
    )
    # unit: 75×0.5 = 37.5 + 25 (two problems overdue) = 62.50
    assert _totals(result)["t-liangtian"] == "62.50"


def test_below_quorum_no_result_leaves_the_indicator_not_submitted(
    tmp_path: Path,
) -> None:
    """Under "no-result" the report has no score and indicator 1.1 reads not submitted."""
    result = rulelaw.evaluate(_load(_drop_a_deputy(tmp_path, "no-result")))
    liangtian = _panels(result)["r-liangtian"]
    assert (liangtian.score, liangtian.grade) == (None, None)
    assert liangtian.reason == "no result: deputies below quorum (below_quorum = no-result)"
    line = result.unit("t-liangtian").indicator("1.1")
    assert line.status == "not-submitted"
    assert line.observed == (
        "not submitted (law report without a panel result: no result: deputies below quorum "
        "(below_quorum = no-result))"
    )
    assert str(line.points) == "0.00"
    # unit: 0 (not_submitted = zero by default) + 25 = 25.00; the others are unchanged
    assert _totals(result) == {"t-fengshu": "79.60", "t-liangtian": "25.00", "d-housing": "84.70"}


def test_participation_quorum(tmp_path: Path) -> None:
    """With 10 raters invited and 60% required, 5 ballots are too few and 6 are enough."""
    folder = _copy(tmp_path, "questioning")
    _edit(folder, "scheme.toml", "raters = 8 ", "raters = 10 ")
    panels = _panels(rulelaw.evaluate(_load(folder)))
    ballot = next(g for g in panels["r-fengshu"].groups if g.group == "ballot")
    assert ballot.reason == "5 of 10 raters voted (50%), below the participation quorum of 60%"
    # r-fengshu:   (30×89 + 30×85)/60 = 5220/60 = 87.00
    # r-housing:   (30×92 + 30×100)/60 = 5760/60 = 96.00
    # r-liangtian: 6 of 10 = 60% is enough → unchanged 76.50
    assert {r: str(p.score) for r, p in panels.items()} == {
        "r-fengshu": "87.00",
        "r-liangtian": "76.50",
        "r-housing": "96.00",
    }


# -- rejected ballots -------------------------------------------------------------------

BAD_BALLOTS = (
    "r-xihe,secretary,deputy-secretary,优\n"  # row 26: unknown grade label
    "r-dongpu,onsite,m6,105\n"  # row 27: out of range
    "r-beiling,onsite,m1,99\n"  # row 28: m1 already voted on r-beiling (row 14)
    "r-nowhere,onsite,m1,80\n"  # row 29: unknown report
)


def test_rejected_ballots_are_named_with_file_and_row(tmp_path: Path) -> None:
    """Each bad ballot is listed with its row and reason; with partial panels the rest count."""
    folder = _copy(tmp_path, "onsite-secretary")
    _append(folder, "ballots.csv", BAD_BALLOTS)
    result = rulelaw.evaluate(_load(folder))
    rejected = [(b.origin, b.report, b.group, b.rater, b.reason) for b in result.rejected_ballots]
    assert [r[:4] for r in rejected] == [
        ("ballots.csv, row 26", "r-xihe", "secretary", "deputy-secretary"),
        ("ballots.csv, row 27", "r-dongpu", "onsite", "m6"),
        ("ballots.csv, row 28", "r-beiling", "onsite", "m1"),
        ("ballots.csv, row 29", "r-nowhere", "onsite", "m1"),
    ]
    assert [r[4] for r in rejected] == [
        "unknown grade label '优' (expected one of 好, 较好, 一般, 差)",
        "105 out of range (expected 0 to 100)",
        "second ballot of rater 'm1' in group 'onsite'",
        "unknown report 'r-nowhere'",
    ]
    panels = _panels(result)
    assert [b.origin for b in panels["r-beiling"].rejected] == ["ballots.csv, row 28"]
    # partial panels (the default): the valid ballots count, the scores are unchanged
    assert {r: s for r, (s, _) in _scores(result).items()} == {
        "r-xihe": "94.00",
        "r-dongpu": "83.80",
        "r-beiling": "70.72",
        "r-justice": "93.40",
    }


def test_partial_false_gives_no_result(tmp_path: Path) -> None:
    """With partial = false a report with a rejected ballot has no score; its unit gets 0."""
    folder = _copy(tmp_path, "onsite-secretary")
    _append(folder, "ballots.csv", BAD_BALLOTS)
    _edit(
        folder,
        "scheme.toml",
        'title = "现场述法+书记点评"\n',
        'title = "现场述法+书记点评"\npartial = false\n',
    )
    result = rulelaw.evaluate(_load(folder))
    reason = "no result: 1 ballot rejected and the panel does not allow partial results"
    assert {p.report: (p.score, p.reason) for p in result.panels if p.score is None} == {
        "r-xihe": (None, reason),
        "r-dongpu": (None, reason),
        "r-beiling": (None, reason),
    }
    # the ballot for an unknown report belongs to no report: r-justice keeps its score
    assert str(_panels(result)["r-justice"].score) == "93.40"
    line = result.unit("xihe").indicator("1.1")
    assert (line.status, str(line.points)) == ("not-submitted", "0.00")
    assert line.observed == f"not submitted (law report without a panel result: {reason})"
    # xihe: 0 + 5 + 5 + 60 = 70.00; justice unchanged 98.02
    assert _totals(result)["xihe"] == "70.00"
    assert _totals(result)["justice"] == "98.02"


# -- problem list and rectification ledger ----------------------------------------------


def test_problem_overdue_by_exactly_one_day() -> None:
    """Due 2024-12-30, still rectifying on 2024-12-31: 1 day overdue, first stage 提醒."""
    result = rulelaw.evaluate(_load("questioning"))
    assert result.as_of.isoformat() == "2024-12-31"  # the period's end: no scoring.as_of
    rows = {r.problem: r for r in result.ledger}
    q02 = rows["q-02"]
    assert (q02.status, q02.since.isoformat(), q02.days_overdue, q02.stage) == (
        "rectifying",
        "2024-08-10",
        1,
        "提醒",
    )
    # the others: verified / rectified in time, or overdue by 92 (通报 ≥ 90) and 31 (约谈 ≥ 30)
    assert {p: (r.status, r.days_overdue, r.stage) for p, r in rows.items()} == {
        "q-01": ("verified", 0, None),
        "q-02": ("rectifying", 1, "提醒"),
        "q-03": ("open", 92, "通报"),
        "q-04": ("rectifying", 31, "约谈"),
        "q-05": ("rectified", 0, None),
        "q-06": ("rectifying", 31, "约谈"),
    }
    assert {r.source for r in result.ledger} == {"questioning"}


def test_problem_on_its_deadline_day_is_not_overdue() -> None:
    """As of the deadline day itself q-02 is not overdue and costs nothing."""
    result = rulelaw.evaluate(_load("questioning"), as_of="2024-12-30")
    q02 = next(r for r in result.ledger if r.problem == "q-02")
    assert (q02.days_overdue, q02.stage) == (0, None)
    # t-fengshu: 42.1 + 50 (nothing overdue) = 92.10
    assert _totals(result)["t-fengshu"] == "92.10"
    assert result.unit("t-fengshu").indicator("2.1").reason == "no problem overdue"


def test_status_going_back_with_a_reason_is_kept() -> None:
    """q-06 went from rectified back to rectifying with a reason: it counts as open again."""
    q06 = next(p for p in _load("questioning").problems if p.id == "q-06")
    assert [(c.status.value, c.date.isoformat()) for c in q06.history] == [
        ("rectifying", "2024-08-05"),
        ("rectified", "2024-10-01"),
        ("rectifying", "2024-10-15"),
    ]
    assert q06.history[-1].reason == "复查发现整改不到位，退回重新整改"


def test_status_going_back_without_a_reason_is_a_load_error(tmp_path: Path) -> None:
    """A step back without a reason is refused at its row of problem_status.csv."""
    folder = _copy(tmp_path, "questioning")
    _edit(
        folder, "problem_status.csv", "2024-10-15,复查发现整改不到位，退回重新整改", "2024-10-15,"
    )
    with pytest.raises(rulelaw.ValidationError) as caught:
        _load(folder)
    assert [str(e) for e in caught.value.errors] == [
        "problem_status.csv, row 11, column 'reason': status history of 'q-06' goes back "
        "(rectified → rectifying) without a reason (expected a reason for going back or "
        "skipping a stage)"
    ]


# -- annual-report filings --------------------------------------------------------------


def test_annual_report_filed_on_the_deadline_day_scores_full() -> None:
    """Submitted on the due day is on time: full points through filing:submitted + deadline."""
    result = rulelaw.evaluate(_load("onsite-secretary"))
    xihe = result.unit("xihe").indicator("1.2")  # counties: due 2025-04-01
    assert (xihe.observed, str(xihe.rule_points), str(xihe.points), xihe.band) == (
        "2025-04-01",
        "100.00",
        "5.00",
        "on time",
    )
    assert xihe.reason == "done 2025-04-01, due 2025-04-01: on time"
    assert xihe.source == "annual report filing"
    justice = result.unit("justice").indicator("1.4")  # departments: due 2025-03-01
    assert (justice.observed, str(justice.points)) == ("2025-03-01", "10.00")
    late = result.unit("dongpu").indicator("1.2")
    assert late.reason == "done 2025-04-04, due 2025-04-01: 3 days late, −5 a day → 85 of 100"


def test_filing_missing_a_section_shows_in_observed_text() -> None:
    """Unit beiling's report lacks 'problems': on time, and the observed text names the gap."""
    result = rulelaw.evaluate(_load("onsite-secretary"))
    submitted = result.unit("beiling").indicator("1.2")
    assert submitted.observed == "2025-03-20 (missing sections: problems)"
    assert str(submitted.points) == "5.00"
    published = result.unit("beiling").indicator("1.3")
    assert (published.status, published.observed) == (
        "not-submitted",
        "not submitted (annual report not published)",
    )


# -- coverage ---------------------------------------------------------------------------


def test_coverage_per_form_with_the_missing_persons() -> None:
    """Share of the 5 leaders in post who filed each form, by level, category and overall."""
    result = rulelaw.evaluate(_load("onsite-secretary"))
    rows = {(c.form, c.by, c.group): c for c in result.coverage}
    overall = {
        form: (c.persons, c.filed, str(c.share), c.missing)
        for (form, by, _), c in rows.items()
        if by == "all"
    }
    # p01 on-site+written, p03 on-site+written, p04 on-site, p05 on-site+written+performance
    # report; p02 (xihe's government head) filed nothing
    assert overall == {
        "written": (5, 3, "60.00", ("p02", "p04")),
        "on-site": (5, 4, "80.00", ("p02",)),
        "meeting": (5, 0, "0.00", ("p01", "p02", "p03", "p04", "p05")),
        "performance-report": (5, 1, "20.00", ("p01", "p02", "p03", "p04")),
        "media": (5, 0, "0.00", ("p01", "p02", "p03", "p04", "p05")),
    }
    county = rows[("written", "level", "county")]
    assert (county.persons, county.filed, str(county.share), county.missing) == (
        4,
        2,
        "50.00",
        ("p02", "p04"),
    )
    department = rows[("on-site", "category", "department")]
    assert (department.persons, str(department.share), department.missing) == (1, "100.00", ())
    assert [k for k in rows if k[0] == "written"] == [
        ("written", "level", "city"),
        ("written", "level", "county"),
        ("written", "category", "county"),
        ("written", "category", "department"),
        ("written", "all", "all"),
    ]


def test_coverage_counts_reports_up_to_the_evaluation_date() -> None:
    """The reports are dated 2025-01-16: as of the day before, nobody has reported on site."""
    result = rulelaw.evaluate(_load("onsite-secretary"), as_of="2025-01-15")
    onsite = next(c for c in result.coverage if c.form == "on-site" and c.by == "all")
    assert (onsite.filed, str(onsite.share)) == (0, "0.00")


# -- lists in CSV cells, filing evidence in the scheme --------------------------------


def test_report_forms_load_from_csv() -> None:
    """'written;on-site' in reports.csv becomes the report's two forms."""
    assessment = _load("six-part")
    assert {r.forms for r in assessment.reports} == {
        frozenset({ReportForm.WRITTEN, ReportForm.ON_SITE})
    }
    assert all(r.signed for r in assessment.reports)


def test_filing_sections_load_from_csv() -> None:
    """'situation;problems;plan' in filings.csv becomes the filing's sections."""
    filings = {f.unit: f.sections for f in _load("onsite-secretary").filings}
    assert filings["xihe"] == ("situation", "problems", "plan")
    assert filings["beiling"] == ("situation", "plan")


def test_scheme_with_filing_evidence_loads() -> None:
    """A scheme with evidence_from = "filing:submitted" / "filing:published" loads."""
    scheme = rulelaw.load_scheme(EXAMPLES / "onsite-secretary" / "scheme.toml")
    assert scheme.indicator("1.2").evidence_from == "filing:submitted"
    assert scheme.indicator("1.3").evidence_from == "filing:published"


# -- what the engine gets wrong or misses (xfail: fix src, then drop the marker) ---------


def test_empty_ballot_cell_is_a_load_error(tmp_path: Path) -> None:
    """A ballot row with an empty value cell is reported at its row, like any empty cell."""
    folder = _copy(tmp_path, "onsite-secretary")
    _append(folder, "ballots.csv", "r-xihe,onsite,m6,\n")
    with pytest.raises(rulelaw.ValidationError) as caught:
        _load(folder)
    assert [(e.file, e.where) for e in caught.value.errors] == [
        ("ballots.csv", "row 26, column 'value'")
    ]


def test_status_of_an_unknown_problem_is_a_load_error(tmp_path: Path) -> None:
    """A status row naming no problem of problems.csv is refused at its row."""
    folder = _copy(tmp_path, "questioning")
    _append(folder, "problem_status.csv", "q-99,rectifying,2024-10-01,\n")
    with pytest.raises(rulelaw.ValidationError) as caught:
        _load(folder)
    [error] = caught.value.errors
    assert (error.file, error.where) == ("problem_status.csv", "row 12, column 'problem'")
    assert "q-99" in error.problem


def test_status_dated_before_the_problem_was_found_is_a_load_error(
    tmp_path: Path,
) -> None:
    """A status step dated before the problem was found is refused with file and row."""
    folder = _copy(tmp_path, "questioning")
    _append(folder, "problem_status.csv", "q-03,rectifying,2024-07-01,\n")
    with pytest.raises(rulelaw.ValidationError) as caught:
        _load(folder)
    [error] = caught.value.errors
    assert (error.file, error.where) == ("problem_status.csv", "row 12, column 'date'")
    assert error.problem == "status 'rectifying' dated before problem 'q-03' was found"


def test_law_report_grading_without_grades_keeps_the_law_report_scale(
    tmp_path: Path,
) -> None:
    """Declaring only peer_group keeps the law-report scale 好/较好/一般/差."""
    folder = _copy(tmp_path, "questioning")
    _edit(
        folder,
        "scheme.toml",
        "# ── 整改台账",
        '[law_reports.grading]\npeer_group = "category"\n\n# ── 整改台账',
    )
    result = rulelaw.evaluate(_load(folder))
    assert {r: g for r, (_, g) in _scores(result).items()} == {
        "r-fengshu": "较好",
        "r-liangtian": "一般",
        "r-housing": "好",
    }


def test_report_distribution_names_categories_in_scheme_order() -> None:
    """Grouped by category, report grade counts carry the category names in scheme order."""
    result = rulelaw.evaluate(_load("six-part"))
    assert [(d.peer_group, d.name) for d in result.report_distribution] == [
        ("township", "乡镇（街道）"),
        ("department", "县直部门"),
    ]


def test_chinese_forms_and_ballots_beyond_the_raters(tmp_path: Path) -> None:
    """Report forms may be written in Chinese; ballots beyond the invited raters do not count."""
    report = rulelaw.LawReport(
        id="r", person="p", unit="u", date="2025-01-10", forms="现场;书面", signed=True
    )
    assert {f.value for f in report.forms} == {"on-site", "written"}
    result = rulelaw.evaluate(rulelaw.load(rulelaw.demo_path()))
    park = next(r for r in result.panels if r.unit == "park-01")
    assert park.reason.endswith("democratic below quorum, their weight given to the others")
    # R-p-003 already has the 12 democratic ballots its 12 invited raters can give
    folder = tmp_path / "demo"
    shutil.copytree(rulelaw.demo_path(), folder)
    with (folder / "ballots.csv").open("a", encoding="utf-8") as handle:
        handle.write("R-p-003,democratic,democratic-13,好\n")
    again = rulelaw.evaluate(rulelaw.load(folder))
    extra = [b for b in again.rejected_ballots if b.report == "R-p-003"]
    assert [(b.rater, b.reason) for b in extra] == [
        ("democratic-13", "more ballots than the 12 raters invited to 'democratic'")
    ]
    before = next(r for r in result.panels if r.report == "R-p-003")
    after = next(r for r in again.panels if r.report == "R-p-003")
    assert after.score == before.score
