"""The renderings in Chinese: headings, headers, labels and layout; dates as 2024年12月31日."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from tabulate import tabulate
from wcwidth import wcswidth

import rulelaw
import rulelaw.cli
from rulelaw.engine import GradeCount
from rulelaw.messages import render
from rulelaw.report.lawreports import coverage_text, ledger_text, panels_text
from rulelaw.report.text import explain_unit, ranking_table

ROOT = Path(__file__).resolve().parents[2]
MINI = Path(__file__).parents[1] / "data" / "mini"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def mini() -> rulelaw.Evaluation:
    """The mini folder, evaluated once for the module."""
    return rulelaw.evaluate(rulelaw.load(MINI))


@pytest.fixture(scope="module")
def demo() -> rulelaw.Evaluation:
    """The demo city, evaluated once for the module."""
    return rulelaw.evaluate(rulelaw.load(EXAMPLES / "demo-city"))


def _zh(result: rulelaw.Evaluation, text: str) -> str:
    """A text of the result in Chinese (a message rendered; a plain text as it is)."""
    return render(text, "zh-CN", result.catalogue)


MINI_RANKING = """\
迷你市法治政府建设考核（mini-2024 v1），截至2024年12月31日

县市区（county），共3个单位

  排名  单位      单位名称      小计    加减分    总分  等次
------  --------  ----------  ------  --------  ------  ------
     1  city      迷你市       82.00      0.00   82.00  良好
     2  county-a  甲县         48.50      0.00   48.50  不合格
     3  county-b  乙区          0.00      0.00    0.00  不合格

等次      单位数  同类单位名额
------  --------  --------------
优秀           0  不限
良好           1  不限
合格           0  不限
不合格         2  不限

市直单位（department），共1个单位

  排名  单位          单位名称      小计    加减分    总分  等次
------  ------------  ----------  ------  --------  ------  ------
     1  dept-justice  市司法局     60.00      0.00   60.00  合格

等次      单位数  同类单位名额
------  --------  --------------
优秀           0  不限
良好           0  不限
合格           1  不限
不合格         0  不限
"""


def test_the_ranking_in_chinese(mini: rulelaw.Evaluation) -> None:
    """The ranking reads 排名, 单位, 总分, 等次 and 同类单位名额, dated 2024年12月31日."""
    assert mini.table(lang="zh-CN") == MINI_RANKING


def test_chinese_columns_line_up_in_a_terminal(demo: rulelaw.Evaluation) -> None:
    """Every line of a table block is as wide as its rule line, counted in terminal columns."""
    for block in demo.table(lang="zh-CN").split("\n\n")[1:]:
        lines = block.split("\n")
        if len(lines) > 2 and set(lines[1]) <= {"-", " "}:
            widths = {wcswidth(line.rstrip()) for line in lines[2:]}
            assert max(widths) <= wcswidth(lines[1]), block
            assert wcswidth(lines[0]) <= wcswidth(lines[1])


def test_quotas_and_notes_in_chinese(mini: rulelaw.Evaluation) -> None:
    """A quota reads 不超过2个 / 不少于1个; an exceeded or short one is noted in Chinese."""
    grades = (
        GradeCount(grade="excellent", label="优秀", count=3, max=2, exceeded=True),
        GradeCount(grade="good", label="良好", count=0, max=2, min=1, short=True),
        GradeCount(grade="pass", label="合格", count=0, min=1),
        GradeCount(grade="fail", label="不合格", count=0),
    )
    group = attrs.evolve(mini.distribution[1], grades=grades, not_graded=1)
    result = attrs.evolve(mini, distribution=(mini.distribution[0], group))
    counts = result.table(lang="zh-CN").split("\n\n")[-1]
    assert counts == (
        "等次          单位数  同类单位名额          说明\n"
        "----------  --------  --------------------  ----------------------------\n"
        "优秀               3  不超过2个             超出名额（并列单位均予保留）\n"
        "良好               0  不超过2个，不少于1个  未达到最低名额\n"
        "合格               0  不少于1个\n"
        "不合格             0  不限\n"
        "不确定等次         1\n"
    )
    english = result.table().split("\n\n")[-1]
    assert english.split("\n")[2:] == [
        "优秀                           3  ≤ 2       quota exceeded (ties kept)",
        "良好                           0  ≤ 2, ≥ 1  minimum not reached",
        "合格                           0  —, ≥ 1",
        "不合格                         0  —",
        "不确定等次 (not graded)        1",
        "",
    ]


def test_the_explanation_in_chinese(
    mini: rulelaw.Evaluation, capsys: pytest.CaptureFixture[str]
) -> None:
    """`rulelaw explain tests/data/mini dept-justice --lang zh-CN` reads as a Chinese document."""
    assert rulelaw.cli.main(["explain", str(MINI), "dept-justice", "--lang", "zh-CN"]) == 0
    out = capsys.readouterr().out
    unit = mini.unit("dept-justice")
    table = tabulate(
        [
            (
                "1.1",
                "学法考试参考率",
                _zh(mini, unit.indicator("1.1").observed),
                "rate-target",
                *("100.00/100", "40.00", "40.00"),
            ),
            (
                "1.2",
                "违法行政案件",
                _zh(mini, unit.indicator("1.2").observed),
                "deduction",
                *("100.00/100", "20.00", "20.00"),
            ),
            (
                "2.2",
                "法律顾问",
                _zh(mini, unit.indicator("2.2").observed),
                "compliance",
                *("0.00/100", "40.00", "0.00"),
            ),
        ],
        headers=("指标", "指标名称", "观测值", "规则", "规则得分", "分值", "得分"),
        disable_numparse=True,
        colalign=("left", "left", "left", "left", "right", "right", "right"),
    )
    reasons = [f"  {r.indicator}  {_zh(mini, r.reason)}" for r in unit.indicators]
    steps = [f"  {_zh(mini, step)}" for step in unit.grade_steps]
    assert out.split("\n") == [
        "市司法局（dept-justice），市直单位（department）——mini-2024 v1，截至2024年12月31日",
        "",
        *table.split("\n"),
        "",
        "得分理由：",
        *reasons,
        "",
        "各维度得分：",
        "  1 学法用法：60.00分（满分60.00分）",
        "  2 依法决策：0.00分（满分40.00分）",
        "",
        "小计（各指标得分之和，按100分制）：60.00分",
        "总分：60.00分",
        "",
        "等次：合格——在市直单位（department）中排名第1，全部单位中排名第2",
        *steps,
        "",
    ]


def test_an_adjustment_line_in_chinese(demo: rulelaw.Evaluation) -> None:
    """An adjustment reads 加分/扣分/一票否决/尾差调整, its item, signed points with 分, and why."""
    unit = demo.unit("county-03")
    text = demo.explain("county-03", lang="zh-CN")
    rounding = next(a for a in unit.adjustments if a.kind == "rounding")
    assert f"尾差调整（rounding）：+0.02分——{_zh(demo, rounding.reason)}" in text.split("\n")
    assert "等次：合格——在县市区（county）中排名第4，全部单位中排名第49" in text.split("\n")


def test_the_explanation_in_chinese_markdown(mini: rulelaw.Evaluation) -> None:
    """In Markdown the sections are 得分理由, 各维度得分, 总分 and 等次."""
    unit = mini.unit("dept-justice")
    text = explain_unit(mini, unit, "github", lang="zh-CN")
    headings = [line for line in text.split("\n") if line.startswith("#")]
    assert headings == [
        "## 市司法局（dept-justice），市直单位（department）——mini-2024 v1，截至2024年12月31日",
        "### 得分理由",
        "### 各维度得分",
        "### 总分",
        "### 等次",
    ]
    assert "- 总分：60.00分" in text.split("\n")
    assert f"- `2.2` {_zh(mini, unit.indicator('2.2').reason)}" in text.split("\n")


def test_the_sheet_in_chinese(mini: rulelaw.Evaluation) -> None:
    """The leader's sheet (述职评议表) has every label in Chinese and dates as 2023年1月1日."""
    person = mini.person("p1")
    steps = [f"  {_zh(mini, step)}" for step in person.grade_steps]
    assert mini.sheet("p1", lang="zh-CN").split("\n") == [
        "述职评议表",
        "迷你市法治政府建设考核（mini-2024 v1），考核期：2024年1月1日至2024年12月31日，"
        "截至2024年12月31日",
        "",
        "姓名：林晓舟（p1）；职务：党委主要负责人",
        f"任职时长：考核期内任职{_zh(mini, person.time_in_post)}（182天）",
        "考核得分：48.50分（所在单位总分按任职天数加权平均）；等次：不合格；"
        "在党委主要负责人中排名第1，全部人员中排名第2",
        "",
        "任职情况及所在单位考核结果：",
        "单位      单位名称    职务            任职起始      任职截止       任职天数    "
        "占考核期比例    单位总分    单位等次    单位排名",
        "--------  ----------  --------------  ------------  -------------  ----------  "
        "--------------  ----------  ----------  ----------",
        "county-a  甲县        党委主要负责人  2023年1月1日  2024年6月30日  182         "
        "49.73%          48.50       不合格      2",
        "",
        "等次评定：",
        *steps,
        "",
        "履职清单完成情况：考核方案未规定上述职务的职责清单",
        "",
        "述法评议结果：无经评议组评议的述法",
        "",
        "未完成整改的问题（整改台账）：无",
        "",
    ]


def test_a_sheet_with_duties_reports_and_problems_in_chinese(demo: rulelaw.Evaluation) -> None:
    """The duty table, the law report's line and the open problems read in Chinese."""
    person = demo.person("p-009")
    lines = demo.sheet("p-009", lang="zh-CN").split("\n")
    start = lines.index("履职清单完成情况（总体完成率63.98%）：")
    assert lines[start + 1 : start + 5] == [
        "职务            职责    职责内容                                                "
        "职责类别    权重    完成率    标记",
        "--------------  ------  ------------------------------------------------------  "
        "----------  ------  --------  --------",
        "党委主要负责人  D1      统筹谋划本地区法治建设，定期听取工作汇报                "
        "组织领导    20.00%  100.00%",
        "党委主要负责人  D2      将法治建设纳入发展规划和年度计划，推动重大事项依法决策  "
        "决策部署    20.00%  57.14%    ⚑ 未达标",
    ]
    evidence = lines.index("完成率计算依据：")
    assert lines[evidence + 1] == f"  D1  {_zh(demo, person.duties[0].reason)}"
    report = next(r for r in demo.panels if r.person == "p-009")
    assert lines[lines.index("述法评议结果：") + 1] == (
        "  R-p-009 2025年2月12日（现场述法、年终述职述法、书面述法），评议组site：69.53分，一般——"
        + _zh(demo, report.reason)
    )
    assert lines[lines.index("未完成整改的问题（整改台账）：") + 1 :] == [
        "  P-01 county-05：重大行政决策目录未向社会公开——整改中，整改期限2024年9月30日，"
        "已逾期182天（通报问责 accountability）",
        "  P-02 county-05：代表质询指出执法案卷不规范——未整改，整改期限2025年3月15日，"
        "已逾期16天（提醒 reminder）",
        "",
    ]


def test_a_sheet_of_a_leader_still_in_post(demo: rulelaw.Evaluation) -> None:
    """A post still held ends 至今 in Chinese (— in English)."""
    chinese = demo.sheet("p-009", lang="zh-CN").split("\n")
    assert chinese[10].startswith("county-05  临波区      党委主要负责人  2022年5月22日  至今 ")
    english = demo.sheet("p-009").split("\n")
    assert english[10].startswith("county-05  临波区  党委主要负责人  2022-05-22  —  ")


def test_the_people_table_in_chinese(mini: rulelaw.Evaluation) -> None:
    """The people table reads 排名, 人员编号, 姓名, 任职单位 …, a group's count as 共2人."""
    assert mini.people_table(lang="zh-CN").split("\n")[:7] == [
        "迷你市法治政府建设考核——党政主要负责人考核结果，截至2024年12月31日",
        "",
        "党委主要负责人，共2人",
        "",
        "排名    人员编号    姓名    任职单位（占考核期比例）    任职天数    得分    等次    "
        "履职完成率    未达标职责",
        "------  ----------  ------  --------------------------  ----------  ------  ------  "
        "------------  ------------",
        "1       p1          林晓舟  county-a 49.73%             182         48.50   不合格  —",
    ]


QUESTIONING_LEDGER = """\
枫江区2024年度法治政府建设考核（述法质询+问题清单）——整改台账，截至2024年11月30日

问题编号    单位         问题来源    发现日期       整改期限        整改状态    逾期天数    督办措施    问题描述
----------  -----------  ----------  -------------  --------------  ----------  ----------  ----------  ------------------------
q-05        d-housing    代表质询    2024年7月16日  2024年10月31日  已整改                              规范性文件未经合法性审核
q-06        d-housing    代表质询    2024年7月16日  2024年11月30日  整改中                              行政复议纠错案件未整改
q-01        t-fengshu    代表质询    2024年7月15日  2024年10月15日  已验收                              行政执法公示不及时
q-02        t-fengshu    代表质询    2024年7月15日  2024年12月30日  整改中                              重大行政决策目录未公开
q-03        t-liangtian  代表质询    2024年7月15日  2024年9月30日   未整改      61          约谈        未配备法律顾问
q-04        t-liangtian  代表质询    2024年7月15日  2024年11月30日  整改中                              行政执法人员持证率偏低
"""  # noqa: E501


def test_the_ledger_in_chinese() -> None:
    """The rectification ledger (整改台账): sources and statuses named, dates in Chinese."""
    folder = EXAMPLES / "law-reports" / "questioning"
    result = rulelaw.evaluate(rulelaw.load(folder), as_of="2024-11-30")
    assert ledger_text(result, lang="zh-CN") == QUESTIONING_LEDGER


def test_the_coverage_in_chinese() -> None:
    """Coverage reads 述法形式, 统计口径, 覆盖率; forms, levels and 全部 by name."""
    result = rulelaw.evaluate(rulelaw.load(EXAMPLES / "law-reports" / "site-visit"))
    lines = coverage_text(result, lang="zh-CN").split("\n")
    missing = "p31、p32、p33、p34"
    assert lines[:7] == [
        "松溪县2024年度法治政府建设考核（实地观摩+现场述法）——述法覆盖情况，截至2025年3月31日",
        "",
        "述法形式      统计口径    范围    应述法人数    已述法人数    覆盖率    未述法人员",
        "------------  ----------  ------  ------------  ------------  --------  " + "-" * 18,
        "书面述法      按层级      乡镇级  4             0             0.00%     " + missing,
        "书面述法      按类别      乡镇    4             0             0.00%     " + missing,
        "书面述法      全部        全部    4             0             0.00%     " + missing,
    ]
    assert lines[13].startswith("年终述职述法  按层级      乡镇级  4")


def test_a_long_list_of_missing_leaders_in_chinese(demo: rulelaw.Evaluation) -> None:
    """More than six missing leaders: the first six, then 另有N人."""
    line = coverage_text(demo, lang="zh-CN").split("\n")[10]
    assert line.startswith("现场述法      按层级      市级      47")
    assert line.endswith("p-011、p-012、p-013、p-014、p-015、p-016…（另有41人）")


def test_the_panels_in_chinese() -> None:
    """Panels: 述法编号, 述法人, 评议组, 述法形式 …; each group's weight and valid ballots."""
    result = rulelaw.evaluate(rulelaw.load(EXAMPLES / "law-reports" / "questioning"))
    lines = panels_text(result, lang="zh-CN").split("\n")
    report = result.panels[0]
    group = report.groups[0]
    assert lines[:7] == [
        "枫江区2024年度法治政府建设考核（述法质询+问题清单）——述法评议结果，截至2024年12月31日",
        "",
        "述法编号     述法人    单位         评议组       述法形式    得分    等次    排名",
        "-----------  --------  -----------  -----------  ----------  ------  ------  ------",
        "r-fengshu    p21       t-fengshu    questioning  会议述法    84.20   较好    2",
        "r-liangtian  p22       t-liangtian  questioning  会议述法    76.50   一般    3",
        "r-housing    p23       d-housing    questioning  会议述法    94.40   好      1",
    ]
    assert lines[8:10] == [
        f"r-fengshu（评议组questioning）：{_zh(result, report.reason)}",
        f"  deputies 人大代表质询评分（权重30）：89.00（有效票4张；{_zh(result, group.method)}）",
    ]


def test_rejected_ballots_in_chinese(demo: rulelaw.Evaluation) -> None:
    """The ballots not counted are listed under 未计入的评议票 with Chinese headers."""
    text = panels_text(demo, lang="zh-CN")
    block = text.split("\n\n")[-1].split("\n")
    assert text.split("\n\n")[-2] == "未计入的评议票："
    assert block[0].split() == ["位置", "述法编号", "评议主体", "评议人", "所填内容", "原因"]


def test_html_is_a_table_with_escaped_headings(mini: rulelaw.Evaluation) -> None:
    """The HTML ranking is real tables (Chinese headers in <th>), its headings escaped."""
    html = ranking_table(mini, "html", lang="zh-CN")
    assert html.count("<table>") == 4
    headers = re.findall(r"<th(?: [^>]*)?>\s*(.*?)\s*</th>", html)
    assert headers[:7] == ["排名", "单位", "单位名称", "小计", "加减分", "总分", "等次"]
    assert headers[7:10] == ["等次", "单位数", "同类单位名额"]
    assert mini._repr_html_() == ranking_table(mini, "html")
    odd = attrs.evolve(mini, scheme_title="<b>县&区</b>")
    assert ranking_table(odd, "html").startswith("<p>&lt;b&gt;县&amp;区&lt;/b&gt; — ")


def test_a_language_is_named_as_rulelaw_knows_it(mini: rulelaw.Evaluation) -> None:
    """``zh`` and ``zh_CN`` mean zh-CN; a language rulelaw does not speak is a ValueError."""
    assert mini.table(lang="zh") == mini.table(lang="zh_CN") == MINI_RANKING
    assert mini.table(lang="en") == mini.table()
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        mini.explain("city", lang="fr")


def test_english_stays_as_it_was(mini: rulelaw.Evaluation) -> None:
    """The English explanation is the text rulelaw always printed (labels, layout, reasons)."""
    text = mini.explain("dept-justice")
    assert text.split("\n")[-7:] == [
        "subtotal (indicators, on the scale of 100): 60.00",
        "total: 60.00",
        "",
        "grade: 合格 — rank 1 in peer group 'department', 2 overall",
        "  rank 1 of 1 in 市直单位",
        "  total 60.00 ≥ 60 → 合格",
        "",
    ]
