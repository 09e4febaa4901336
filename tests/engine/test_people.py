"""Responsible persons: tenure shares, eligibility, duty fulfilment, sheets, gaps."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rulelaw
from rulelaw.cli import main
from rulelaw.engine import time_in_post
from rulelaw.testing import strategies as rs

DATA = Path(__file__).parents[1] / "data"

DUTIES = """
[[duty_lists]]
role = "party-head"
base = "default"
[duty_lists.indicators]
PH1 = ["1.1"]
PH3 = ["2.1", "2.2"]
"""


def _folder(tmp_path: Path, tenures: str | None = None, scheme_extra: str = "") -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(DATA / "mini", folder)
    if tenures is not None:
        (folder / "tenures.csv").write_text(
            "person,unit,role,start,end\n" + tenures, encoding="utf-8"
        )
    if scheme_extra:
        with (folder / "scheme.toml").open("a", encoding="utf-8") as handle:
            handle.write(scheme_extra)
    return folder


def _evaluate(folder: Path) -> rulelaw.Evaluation:
    return rulelaw.evaluate(rulelaw.load(folder))


def test_mid_year_handover_shares(tmp_path: Path) -> None:
    """p1 until 30 June (182 days of leap 2024) and p2 from 1 July (184) share 甲县."""
    result = _evaluate(_folder(tmp_path))
    p1, p2 = result.person("p1"), result.person("p2")
    assert [(p.unit, p.days, p.share) for p in p1.posts] == [("county-a", 182, Decimal("49.73"))]
    assert [(p.unit, p.days, p.share) for p in p2.posts] == [("county-a", 184, Decimal("50.27"))]
    assert (p1.score, p2.score) == (Decimal("48.50"), Decimal("48.50"))
    assert (p1.time_in_post, p2.time_in_post) == ("6 months 0 days", "6 months 0 days")
    assert p1.eligible
    assert p2.eligible


def test_exactly_six_months_as_declared(tmp_path: Path) -> None:
    """With exactly_min_eligible = false, exactly six months in post gets no grade."""
    folder = _folder(tmp_path, scheme_extra="\n[people]\nexactly_min_eligible = false\n")
    p1 = _evaluate(folder).person("p1")
    assert p1.grade is None
    assert p1.not_graded == ("in post exactly 6 months, which the scheme does not count as enough")
    assert p1.grade_steps[-1] == (
        "not graded: in post exactly 6 months, which the scheme does not count as enough "
        "(不确定等次)"
    )


def test_leap_day_counts() -> None:
    """February 2024 has 29 days in post; 1 Feb … 29 Feb is exactly one month."""
    period = rulelaw.Period(start="2024-01-01", end="2024-12-31")
    tenure = rulelaw.Tenure(
        person="p", unit="u", role="party-head", start="2024-02-01", end="2024-02-29"
    )
    assert tenure.overlap_days(period) == 29
    assert time_in_post([(tenure.start, tenure.end)]) == (1, 0)  # type: ignore[list-item]
    assert period.days == 366


def test_short_tenure_is_not_graded(tmp_path: Path) -> None:
    """A leader in post 2 months 15 days gets 不确定等次, keeps the score, says why."""
    folder = _folder(
        tmp_path,
        "p1,county-a,party-head,2023-01-01,2024-10-16\n"
        "p2,county-a,party-head,2024-10-17,\n"
        "p3,dept-justice,department-head,2022-03-01,\n",
    )
    p2 = _evaluate(folder).person("p2")
    assert (p2.days_in_post, p2.time_in_post) == (76, "2 months 15 days")
    assert (p2.grade, p2.score) == (None, Decimal("48.50"))
    assert p2.not_graded == "in post 2 months 15 days of the period, less than 6 months"


def test_leader_of_two_units(tmp_path: Path) -> None:
    """p3 leads 乙区 then 甲县: both posts, days-weighted score (0 × 91 + 48.5 × 275) / 366."""
    folder = _folder(
        tmp_path,
        "p1,county-a,party-head,2023-01-01,2024-03-31\n"
        "p3,county-b,party-head,2023-05-01,2024-03-31\n"
        "p3,county-a,party-head,2024-04-01,\n"
        "p2,dept-justice,department-head,2022-03-01,\n",
    )
    p3 = _evaluate(folder).person("p3")
    assert [(p.unit, p.days) for p in p3.posts] == [("county-b", 91), ("county-a", 275)]
    # 48.50 × 275 / 366 = 36.4412… → 36.44
    assert p3.score == Decimal("36.44")
    assert p3.time_in_post == "12 months 0 days"


def test_gap_in_a_post_is_reported(tmp_path: Path) -> None:
    """甲县 had no party head from 1 to 14 July."""
    folder = _folder(
        tmp_path,
        "p1,county-a,party-head,2023-01-01,2024-06-30\n"
        "p2,county-a,party-head,2024-07-15,\n"
        "p3,dept-justice,department-head,2022-03-01,\n",
    )
    result = _evaluate(folder)
    assert [
        (g.unit, g.role, g.start.isoformat(), g.end.isoformat(), g.days) for g in result.post_gaps
    ] == [("county-a", "party-head", "2024-07-01", "2024-07-14", 14)]
    assert "posts that stood empty:" in result.people_table()


def test_duty_fulfilment_by_hand(tmp_path: Path) -> None:
    """PH1 (1.1: 18.5 of 20) → 92.5%; PH3 (2.1 left out, 2.2: 30 of 60) → 50%, flagged."""
    result = _evaluate(_folder(tmp_path, scheme_extra=DUTIES))
    p1 = result.person("p1")
    rates = {d.duty: (d.rate, d.flagged) for d in p1.duties}
    assert rates["PH1"] == (Decimal("92.50"), False)
    assert rates["PH3"] == (Decimal("50.00"), True)
    assert rates["PH2"] == (None, False)
    assert p1.flagged == ("PH3",)
    # equal weights over the duties with evidence: (92.5 + 50) / 2
    assert p1.fulfilment == Decimal("71.25")
    assert {d.duty: d.reason for d in p1.duties}["PH3"] == (
        "county-a (182 days): 2.1, 2.2 → 50.00%; below 60%"
    )


def test_sheet_text_json_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both leaders of a handover get a sheet, in text, JSON and CSV, from API and CLI."""
    folder = _folder(tmp_path, scheme_extra=DUTIES)
    result = _evaluate(folder)
    text = result.sheet("p2")
    assert text.startswith("述职评议表 — leader's evaluation sheet\n")
    assert "周望川 (p2) — 党委主要负责人\n" in text
    assert "county-a  甲县    党委主要负责人  2024-07-01  —     184     50.27%" in text
    data = json.loads(result.sheet("p1", "json"))
    assert (data["person"], data["posts"][0]["share"]) == ("p1", "49.73")
    assert data["flagged"] == ["PH3"]
    csv_text = result.sheet("p1", "csv")
    assert csv_text.splitlines()[2].startswith("post,p1,林晓舟,party-head,county-a,")
    assert main(["sheet", str(folder), "p2"]) == 0
    assert capsys.readouterr().out == text
    assert main(["people", str(folder), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("peer_group,rank,person")
    assert main(["sheet", str(folder), "p9"]) == 2
    assert "no person in post during the period with id 'p9'" in capsys.readouterr().err


def test_people_in_the_json_document() -> None:
    """The evaluation JSON lists the people with their posts and grades."""
    data = json.loads(rulelaw.evaluate(rulelaw.load(DATA / "mini")).to_json())
    assert [p["person"] for p in data["people"]] == ["p1", "p2", "p3"]
    assert data["people"][2]["posts"][0]["unit"] == "dept-justice"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '\n[[duty_lists]]\nrole = "party-head"\n[[duty_lists.duties]]\nid = "D1"\n'
            'title = "甲"\nweight = 40\n[[duty_lists.duties]]\nid = "D2"\n'
            'title = "乙"\nweight = 50\n',
            "scheme.toml, $.duty_lists[0].duties: duty weights for role 'party-head' must sum to "
            "100 (got 90 over 'D1', 'D2')",
        ),
        (
            '\n[[duty_lists]]\nrole = "party-head"\nbase = "default"\n[duty_lists.indicators]\n'
            'PH9 = ["1.1"]\n',
            "scheme.toml, $.duty_lists[0].indicators.PH9: no duty 'PH9' in the duty list for "
            "'party-head' (expected one of 'PH1', 'PH2', 'PH3', 'PH4', 'PH5', 'PH6')",
        ),
        (
            '\n[[duty_lists]]\nrole = "party-head"\nbase = "default"\n[duty_lists.indicators]\n'
            'PH1 = ["9.9"]\n',
            "scheme.toml, $.duty_lists[0].duties[0].indicators: duty 'PH1' refers to unknown "
            "indicator '9.9' (got '9.9')",
        ),
    ],
)
def test_bad_duty_lists(tmp_path: Path, extra: str, message: str) -> None:
    """Duty weights not adding up, an unknown duty or indicator: errors with the place."""
    with pytest.raises(rulelaw.ValidationError) as info:
        rulelaw.load(_folder(tmp_path, scheme_extra=extra))
    assert [str(e) for e in info.value.errors] == [message]


@settings(max_examples=30, deadline=None)
@given(rs.assessments(), st.randoms(use_true_random=False))
def test_shares_and_order(a: rulelaw.Assessment, rnd: object) -> None:
    """The heads of one post never share more than the whole period; row order changes nothing."""
    import random

    assert isinstance(rnd, random.Random)
    result = rulelaw.evaluate(a)
    shares: dict[tuple[str, str], int] = {}
    for person in result.people:
        for post in person.posts:
            shares[(post.unit, post.role)] = shares.get((post.unit, post.role), 0) + post.days
    assert all(days <= a.scheme.period.days for days in shares.values())
    tenures = list(a.tenures)
    people = list(a.people)
    rnd.shuffle(tenures)
    rnd.shuffle(people)
    again = rulelaw.evaluate(attrs.evolve(a, tenures=tenures, people=people))
    assert {p.person: p for p in again.people} == {p.person: p for p in result.people}


def test_time_in_post_merges_adjacent_spans() -> None:
    """Two tenures back to back count as one span: 1 Jan … 31 Mar is 3 months."""
    d = pendulum.Date
    assert time_in_post([(d(2024, 1, 1), d(2024, 1, 31)), (d(2024, 2, 1), d(2024, 3, 31))]) == (
        3,
        0,
    )


def test_time_in_post_carries_days_into_months() -> None:
    """Jan 1 … Mar 20 and Jun 1 … Sep 15 make 187 days: 6 months 5 days, enough for a grade."""
    d = pendulum.Date
    assert time_in_post([(d(2024, 1, 1), d(2024, 3, 20)), (d(2024, 6, 1), d(2024, 9, 15))]) == (
        6,
        5,
    )


def test_base_duty_list_weights_and_replacements(tmp_path: Path) -> None:
    """A base list takes a weights table, and a replaced duty keeps the indicators table's ties."""
    extra = (
        '\n[[duty_lists]]\nrole = "party-head"\nbase = "default"\n'
        '[[duty_lists.duties]]\nid = "PH1"\ntitle = "亲自部署法治建设"\n'
        '[duty_lists.indicators]\nPH1 = ["1.1"]\n'
        "[duty_lists.weights]\nPH1 = 50\nPH2 = 10\nPH3 = 10\nPH4 = 10\nPH5 = 10\nPH6 = 10\n"
    )
    scheme = rulelaw.load(_folder(tmp_path, scheme_extra=extra)).scheme
    duties = scheme.duty_list("party-head")
    assert duties is not None
    first = duties.duties[0]
    assert (first.id, first.title, first.indicators, first.weight) == (
        "PH1",
        "亲自部署法治建设",
        ("1.1",),
        Decimal(50),
    )
