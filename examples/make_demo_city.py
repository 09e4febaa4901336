"""Generate the bundled demo city, 云泽市 (Yunze), an invented prefecture-level city.

Writes the files of an assessment folder (``scheme.toml``, ``units.csv``,
``people.csv``, ``tenures.csv``, ``evidence.csv``, ``adjustments.csv``, and the
law-report files ``reports.csv``, ``ballots.csv``, ``problems.csv``,
``problem_status.csv``, ``filings.csv``) into the folder given on the command
line, which must not exist yet or be empty::

    python examples/make_demo_city.py src/rulelaw/_demo/demo-city

The output is deterministic (``random.Random(2024)``, no clock, no set
iteration), so running it again reproduces the committed files byte for byte.
Every name of a place or a person is invented. Standard library only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SEED = 2024
YEAR_START = dt.date(2024, 1, 1)
YEAR_END = dt.date(2024, 12, 31)

# -- the scheme ------------------------------------------------------------------------

CATEGORIES = ("county", "department", "park")

#: Top-level dimensions (一级指标): id, title, points for county / department / park.
TOP_DIMENSIONS: tuple[tuple[str, str, tuple[int, int, int]], ...] = (
    ("1", "党政主要负责人履行推进法治建设第一责任人职责", (14, 8, 12)),
    ("2", "依法全面履行政府职能", (14, 6, 16)),
    ("3", "重大行政决策与规范性文件管理", (16, 8, 14)),
    ("4", "严格规范公正文明执法", (18, 10, 16)),
    ("5", "行政复议与行政应诉", (14, 6, 12)),
    ("6", "学法用法与法治宣传", (12, 8, 14)),
    ("7", "法治政府建设组织保障", (12, 4, 16)),
)

#: Second-level dimensions (二级指标): id, title.
SUB_DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("1.1", "研究部署与年度报告"),
    ("1.2", "述法"),
    ("2.1", "政务服务"),
    ("2.2", "营商环境与基层治理"),
    ("3.1", "重大行政决策"),
    ("3.2", "规范性文件与合同管理"),
    ("4.1", "执法队伍建设"),
    ("4.2", "执法监督"),
    ("5.1", "行政复议"),
    ("5.2", "行政应诉"),
    ("6.1", "学法考法"),
    ("6.2", "普法宣传"),
    ("7.1", "组织领导"),
    ("7.2", "考核评价"),
)


@dataclass(frozen=True)
class Leaf:
    """One leaf indicator (三级指标) as it is written into scheme.toml."""

    id: str
    title: str
    measure: str
    unit: str
    rule: str
    points: tuple[int | None, int | None, int | None]  # county, department, park
    direction: str = "higher"
    description: str = ""
    evidence_from: str = ""
    tags: tuple[str, ...] = ()  # e.g. ("督察",): the indicators a 法治督察 inspection checks

    @property
    def categories(self) -> list[str] | None:
        """The categories the indicator applies to (None: all three)."""
        applies = [c for c, p in zip(CATEGORIES, self.points, strict=True) if p is not None]
        return None if len(applies) == len(CATEGORIES) else applies


NA = None  # in the points columns below: the indicator does not apply to that category

LEAVES: tuple[Leaf, ...] = (
    # 1 第一责任人职责
    Leaf(
        "1.1.1",
        "党委(党组)会议专题研究法治建设次数",
        "count",
        "次",
        '{ kind = "count-target", target = 4 }',
        (4, 2, 4),
        description="全年召开常委会会议或党组会议研究法治建设的次数，4次及以上得满分",
    ),
    Leaf(
        "1.1.2",
        "年度法治政府建设情况报告按时报送",
        "date",
        "",
        '{ kind = "deadline", due = 2025-03-01, per_day = 2.5 }',
        (3, 2, 3),
        description="2024年度报告应于2025年3月1日(含)前报送，每逾期1天扣该项分值的2.5%",
        evidence_from="filing:submitted",
    ),
    Leaf(
        "1.1.3",
        "年度法治政府建设情况报告向社会公开",
        "flag",
        "",
        '{ kind = "compliance", partly = 50 }',
        (2, 1, 1),
    ),
    Leaf(
        "1.2.1",
        "主要负责人述法报告按时提交",
        "date",
        "",
        '{ kind = "deadline", due = 2024-12-20, late = 50 }',
        (1, 2, 1),
        tags=("述法",),
    ),
    Leaf(
        "1.2.2",
        "述法纳入年终述职",
        "flag",
        "",
        '{ kind = "compliance" }',
        (2, 1, 2),
        tags=("述法",),
    ),
    Leaf(
        "1.2.3",
        "主要负责人现场述法评议得分",
        "value",
        "分",
        '{ kind = "given-score", out_of = 100 }',
        (2, NA, 1),
        description="县市区、园区主要负责人现场述法，按评议组加权得分折算",
        evidence_from="law-report:site",
        tags=("述法",),
    ),
    # 2 依法全面履行政府职能
    Leaf(
        "2.1.1",
        "政务服务事项按时办结率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, floor = 95 }',
        (3, 2, 3),
    ),
    Leaf(
        "2.1.2",
        "12345热线办理满意度",
        "rate",
        "%",
        """{ kind = "bands", bands = [
    { min = 95, points = 100 },
    { min = 90, max = 95, points = 80 },
    { min = 85, max = 90, points = 60 },
    { max = 85, points = 30 },
] }""",
        (3, 2, 3),
    ),
    Leaf(
        "2.1.3",
        "政务服务“好差评”好评率",
        "rate",
        "%",
        '{ kind = "relative", method = "rank" }',
        (2, 2, 2),
        description="同类单位中按好评率排名计分",
    ),
    Leaf(
        "2.2.1",
        "涉企行政案件平均办理周期",
        "value",
        "天",
        """{ kind = "bands", bands = [
    { max = 50, max_inclusive = true, points = 100 },
    { min = 50, min_inclusive = false, max = 60, max_inclusive = true, points = 80 },
    { min = 60, min_inclusive = false, max = 90, max_inclusive = true, points = 50 },
    { min = 90, min_inclusive = false, points = 0 },
] }""",
        (3, NA, 3),
        direction="lower",
        description="不超过50天得满分",
    ),
    Leaf(
        "2.2.2",
        "矛盾纠纷调解成功率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 97, floor = 80 }',
        (3, NA, 2),
    ),
    Leaf(
        "2.2.3",
        "园区“放管服”改革赋权事项承接率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, per_point = 5 }',
        (NA, NA, 3),
    ),
    # 3 重大行政决策与规范性文件
    Leaf(
        "3.1.1",
        "重大行政决策事项目录编制公布",
        "flag",
        "",
        '{ kind = "compliance", partly = 50 }',
        (2, NA, 2),
    ),
    Leaf(
        "3.1.2",
        "重大行政决策合法性审查率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, per_point = 10 }',
        (3, 2, 3),
        tags=("督察",),
    ),
    Leaf(
        "3.1.3",
        "重大行政决策风险评估率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, floor = 80 }',
        (3, 1, 2),
    ),
    Leaf(
        "3.1.4",
        "重大行政决策集体讨论决定率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, per_point = 20 }',
        (2, 1, 2),
        tags=("督察",),
    ),
    Leaf(
        "3.2.1",
        "规范性文件备案审查及时率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, floor = 90, empty = "full" }',
        (2, 1, NA),
        description="本年度未制发规范性文件的，视为达标",
    ),
    Leaf(
        "3.2.2",
        "政府合同合法性审查率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, per_point = 5, empty = "full" }',
        (2, 2, 2),
    ),
    Leaf(
        "3.2.3",
        "法律顾问(公职律师)配备到位",
        "flag",
        "",
        '{ kind = "compliance", partly = 60 }',
        (2, 1, 3),
    ),
    # 4 行政执法
    Leaf(
        "4.1.1",
        "执法人员资格考试通过率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, floor = 70, empty = "zero" }',
        (3, 2, 3),
        description="有执法职能而未组织人员参考的，得0分",
    ),
    Leaf(
        "4.1.2",
        "不合格执法人员未清理人数",
        "count",
        "人",
        """{ kind = "bands", bands = [
    { max = 1, points = 100 },
    { min = 1, max = 3, points = 60 },
    { min = 3, points = 0 },
] }""",
        (3, 2, 3),
        direction="lower",
    ),
    Leaf(
        "4.2.1",
        "行政执法案卷评查得分",
        "value",
        "分",
        '{ kind = "given-score", out_of = 100 }',
        (4, 3, 4),
        description="评查期间2023年9月1日至2024年8月31日",
        tags=("督察",),
    ),
    Leaf(
        "4.2.2",
        "行政执法“三项制度”落实",
        "flag",
        "",
        '{ kind = "compliance", partly = 50 }',
        (3, NA, 2),
        tags=("督察",),
    ),
    Leaf(
        "4.2.3",
        "督察发现违法或不当行政行为",
        "occurrences",
        "起",
        '{ kind = "deduction", per = 20, cap = 100 }',
        (5, 3, 4),
        direction="lower",
        tags=("督察",),
    ),
    # 5 行政复议与应诉
    Leaf(
        "5.1.1",
        "行政复议决定纠错率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 5, floor = 20 }',
        (4, 2, 3),
        direction="lower",
        description="纠错率不超过5%得满分，达到20%不得分",
        tags=("督察",),
    ),
    Leaf(
        "5.1.2",
        "行政复议决定履行率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, per_point = 10, empty = "full" }',
        (2, NA, 2),
    ),
    Leaf(
        "5.2.1",
        "行政机关负责人出庭应诉率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, per_point = 5, empty = "not-applicable" }',
        (4, 2, 4),
        tags=("督察",),
    ),
    Leaf(
        "5.2.2",
        "行政诉讼败诉案件",
        "occurrences",
        "件",
        '{ kind = "deduction", max = 4, per = 1 }',
        (4, 2, 3),
        direction="lower",
        description="按4分制计分，每败诉1件扣1分，扣完为止",
    ),
    # 6 学法用法与法治宣传
    Leaf(
        "6.1.1",
        "学法考试参考率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, floor = 90 }',
        (3, 2, 3),
    ),
    Leaf(
        "6.1.2",
        "学法考试合格率",
        "rate",
        "%",
        '{ kind = "rate-target", per_point = 2 }',
        (2, 2, 3),
    ),
    Leaf(
        "6.1.3",
        "网上学法学分达标率",
        "rate",
        "%",
        """{ kind = "bands", bands = [
    { min = 98, points = 100 },
    { min = 95, max = 98, points = 90 },
    { min = 90, max = 95, points = 70 },
    { max = 90, points = 40 },
] }""",
        (2, 2, 3),
    ),
    Leaf(
        "6.2.1",
        "“谁执法谁普法”普法责任清单落实",
        "flag",
        "",
        '{ kind = "compliance", partly = 40 }',
        (2, 1, 2),
    ),
    Leaf(
        "6.2.2",
        "法治宣传活动场次",
        "count",
        "场",
        '{ kind = "count-target", target = 12 }',
        (3, 1, 3),
    ),
    # 7 组织保障
    Leaf(
        "7.1.1",
        "年度法治建设工作要点按时印发",
        "date",
        "",
        '{ kind = "deadline", due = 2024-03-31, late = 40 }',
        (2, 2, 3),
    ),
    Leaf(
        "7.1.2",
        "法治督察反馈问题整改完成率",
        "rate",
        "%",
        '{ kind = "rate-target", target = 100, floor = 60 }',
        (3, NA, 3),
        tags=("督察",),
    ),
    Leaf(
        "7.2.1",
        "法治建设成效评估指数",
        "value",
        "",
        '{ kind = "relative", method = "proportional" }',
        (3, NA, 4),
        description="按与同类最高值之比计分",
    ),
    Leaf(
        "7.2.2",
        "法治政府建设群众满意度(第三方测评)",
        "value",
        "分",
        '{ kind = "given-score" }',
        (4, 2, 6),
    ),
)

DUTY_LISTS: tuple[tuple[str, str, tuple[tuple[str, str, str, tuple[str, ...]], ...]], ...] = (
    (
        "party-head",
        "党委主要负责人",
        (
            ("D1", "统筹谋划本地区法治建设，定期听取工作汇报", "organising-leadership",
             ("1.1.1", "7.1.1")),
            ("D2", "将法治建设纳入发展规划和年度计划，推动重大事项依法决策", "decision-deployment",
             ("3.1.1", "3.1.2", "3.1.4")),
            ("D3", "带头尊法学法守法用法，组织理论学习中心组学法", "pushing-work",
             ("6.1.1", "6.1.2", "6.1.3")),
            ("D4", "督促整改法治督察发现的问题，按时报告年度法治建设情况", "supervision-inspection",
             ("1.1.2", "7.1.2", "4.2.3")),
            ("D5", "按要求述法并接受评议", "supervision-inspection", ("1.2.1", "1.2.2")),
        ),
    ),
    (
        "government-head",
        "政府主要负责人",
        (
            ("D1", "主持政府常务会议研究法治政府建设", "organising-leadership",
             ("1.1.1", "1.1.3")),
            ("D2", "严格执行重大行政决策程序", "decision-deployment",
             ("3.1.2", "3.1.3", "3.1.4")),
            ("D3", "推进严格规范公正文明执法", "pushing-work", ("4.1.1", "4.2.1", "4.2.2")),
            ("D4", "支持行政复议和行政应诉工作，带头出庭应诉", "pushing-work",
             ("5.1.1", "5.1.2", "5.2.1")),
            ("D5", "优化法治化营商环境，提升政务服务水平", "supervision-inspection",
             ("2.1.1", "2.1.2", "2.2.1")),
        ),
    ),
    (
        "department-head",
        "部门主要负责人",
        (
            ("D1", "主持党组(党委)会议研究本部门法治建设", "organising-leadership",
             ("1.1.1", "7.1.1")),
            ("D2", "组织重大行政决策、规范性文件和合同的合法性审查", "decision-deployment",
             ("3.1.2", "3.2.1", "3.2.2")),
            ("D3", "落实行政执法责任制，清理不合格执法人员", "pushing-work",
             ("4.1.1", "4.1.2", "4.2.1")),
            ("D4", "落实“谁执法谁普法”普法责任制", "pushing-work", ("6.2.1", "6.2.2")),
            ("D5", "出庭应诉，纠正违法或不当行政行为", "supervision-inspection",
             ("5.2.1", "5.1.1", "4.2.3")),
        ),
    ),
)  # fmt: skip


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scheme_text() -> str:
    """The scheme.toml of the demo city, laid out as a person would write it."""
    out: list[str] = [
        "# 云泽市2024年度法治政府建设考核方案 (demo city scheme for rulelaw)",
        "#",
        "# 云泽市是虚构的地级市：5个县市区、45个市直单位、2个园区分3类考核。",
        "# 县市区和园区满分100分；市直单位只考共性指标，满分50分，折算为100分。",
        "# 本文件由 examples/make_demo_city.py 生成，请修改该脚本后重新生成。",
        "",
        'id = "yunze-2024"',
        'title = "云泽市2024年度法治政府建设考核方案"',
        'version = "1.0"',
        "period = { start = 2024-01-01, end = 2024-12-31 }",
        "scale = 100",
        'description = "按县市区、市直单位、园区三类分别设置指标和权重，考核结果纳入绩效考核。"',
        "",
        "# ── 考核类别 ─────────────────────────────────────────────",
        "",
    ]
    for cat_id, name, maximum, note in (
        ("county", "县市区", 100, ""),
        ("department", "市直单位", 50, "  # 只考共性指标，满分50分"),
        ("park", "园区", 100, ""),
    ):
        out += [
            "[[categories]]",
            f'id = "{cat_id}"',
            f'name = "{name}"',
            f"maximum = {maximum}{note}",
        ]
        out.append("")
    out += [
        "# ── 新增角色：园区的第一责任人 ───────────────────────────",
        "",
        "[[roles]]",
        'id = "park-head"',
        'name = "园区党工委主要负责人"',
        'name_en = "industrial park party working committee head"',
        "",
        "# ── 等次、默认评价日期与小数保留 ─────────────────────────",
        "",
        "[grading]",
        'peer_group = "category"   # 同类单位之间评定等次',
        'tie_break = ["1", "4"]    # 总分相同时，依次比较一级指标1、4的得分',
        'ties = "break"            # 比较后仍并列的，一并下调',
        'quota_rounding = "floor"  # 名额向下取整',
        "quota_at_least_one = true # 比例不为零的等次至少可评1个",
        "",
    ]
    for grade_id, label, minimum, max_percent in (
        ("excellent", "优秀", 90, 20),
        ("good", "良好", 80, 45),
        ("pass", "合格", 60, None),
        ("fail", "不合格", None, None),
    ):
        out += ["[[grading.grades]]", f'id = "{grade_id}"', f'label = "{label}"']
        out.append(f'name_en = "{grade_id}"')
        if minimum is not None:
            out.append(f"minimum = {minimum}")
        if max_percent is not None:
            out.append(f"max_percent = {max_percent}  # 同类单位中不超过{max_percent}%")
        out.append("")
    out += [
        "[scoring]",
        "as_of = 2025-03-31          # 默认评价日期：年度报告报送截止后一个月",
        'not_submitted = "zero"      # 未报送佐证材料的指标不得分',
        "bonus_cap = 4               # 加分合计不超过4分",
        "",
        "# ── 加分、扣分与一票否决 ─────────────────────────────────",
        "",
        "[[bonuses]]",
        'id = "demonstration"',
        'title = "法治政府建设示范创建"',
        "levels = { national = 3, provincial = 2, municipal = 1 }",
        "cap = 3                     # 同一项目按最高级别计一次，本项最多3分",
        "",
        "[[bonuses]]",
        'id = "innovation"',
        'title = "法治建设创新案例"',
        "levels = { provincial = 1.5, municipal = 0.5 }",
        "",
        "[[deductions]]",
        'id = "inspection-problem"',
        'title = "法治督察发现问题未按期整改"',
        "per = 0.5",
        "cap = 3",
        "",
        "[[vetoes]]",
        'id = "major-violation"',
        'title = "发生造成恶劣影响的重大违法行政案件"',
        'effect = "cap-grade"',
        'grade = "pass"              # 当年不得评为良好及以上等次',
        "",
        "# ── 现场述法评议：书记点评 + 委员测评 + 民主测评 ─────────────────",
        "",
        "[[panels]]",
        'id = "site"',
        'title = "县市区、园区主要负责人现场述法评议"',
        'below_quorum = "rescale"   # 达不到法定人数的评议组，其权重分给其他组',
        "",
        "[[panels.stages]]",
        'id = "report"',
        'title = "现场述法"',
        "",
        "[[panels.groups]]",
        'id = "secretary"',
        'title = "市委书记点评"',
        'stage = "report"',
        "weight = 40",
        'ballot = "grades"',
        'grades = { "好" = 100, "较好" = 85, "一般" = 70, "差" = 50 }',
        "",
        "[[panels.groups]]",
        'id = "members"',
        'title = "市委常委测评打分"',
        'stage = "report"',
        "weight = 30",
        'ballot = "numbers"',
        'aggregate = "trimmed"      # 去掉一个最高分和一个最低分',
        "trim = 1",
        "quorum = 5",
        "",
        "[[panels.groups]]",
        'id = "democratic"',
        'title = "民主测评"',
        'stage = "report"',
        "weight = 30",
        'ballot = "grades"',
        'grades = { "好" = 100, "较好" = 85, "一般" = 70, "差" = 50 }',
        "raters = 12",
        "quorum = 8",
        "quorum_percent = 60",
        "",
        "[rounding]",
        "places = 2        # 保留两位小数",
        'mode = "half-up"  # 四舍五入',
        "",
        "# ── 指标体系：一级、二级指标 ─────────────────────────────",
        "",
    ]
    for dim_id, title, _points in TOP_DIMENSIONS:
        out += ["[[dimensions]]", f'id = "{dim_id}"', f"title = {_quote(title)}", ""]
        for sub_id, sub_title in SUB_DIMENSIONS:
            if sub_id.split(".")[0] == dim_id:
                out += ["[[dimensions]]", f'id = "{sub_id}"', f'parent = "{dim_id}"']
                out += [f"title = {_quote(sub_title)}", ""]
    out += ["# ── 三级指标 ─────────────────────────────────────────────", ""]
    current_top = ""
    for leaf in LEAVES:
        top = leaf.id.split(".")[0]
        if top != current_top:
            current_top = top
            title = next(t for d, t, _p in TOP_DIMENSIONS if d == top)
            out += [f"# {top} {title}", ""]
        out += ["[[indicators]]", f'id = "{leaf.id}"', f'parent = "{leaf.id.rsplit(".", 1)[0]}"']
        out += [f"title = {_quote(leaf.title)}", f'measure = "{leaf.measure}"']
        if leaf.unit:
            out.append(f"unit_of_measure = {_quote(leaf.unit)}")
        if leaf.direction != "higher":
            out.append(f'direction = "{leaf.direction}"')
        if leaf.categories is not None:
            out.append("categories = [" + ", ".join(f'"{c}"' for c in leaf.categories) + "]")
        if leaf.description:
            out.append(f"description = {_quote(leaf.description)}")
        if leaf.evidence_from:
            out.append(f'evidence_from = "{leaf.evidence_from}"')
        if leaf.tags:
            out.append("tags = [" + ", ".join(_quote(t) for t in leaf.tags) + "]")
        out += [f"rule = {leaf.rule}", ""]
    out += ["# ── 分类权重 ─────────────────────────────────────────────", ""]
    for index, (category, heading) in enumerate(
        (
            ("county", "县市区：满分100分"),
            ("department", "市直单位：共性指标满分50分"),
            ("park", "园区：满分100分"),
        )
    ):
        out += [f"# {heading}", f"[weights.{category}]"]
        for dim_id, _title, points in TOP_DIMENSIONS:
            out.append(f'"{dim_id}" = {points[index]}')
            for leaf in LEAVES:
                leaf_points = leaf.points[index]
                if leaf.id.split(".")[0] == dim_id and leaf_points is not None:
                    out.append(f'"{leaf.id}" = {leaf_points}')
        out.append("")
    out += ["# ── 第一责任人职责清单 ───────────────────────────────────", ""]
    for role, role_name, duties in DUTY_LISTS:
        out += [f"# {role_name}", "[[duty_lists]]", f'role = "{role}"', ""]
        for duty_id, title, group, indicators in duties:
            out += ["[[duty_lists.duties]]", f'id = "{duty_id}"', f"title = {_quote(title)}"]
            out.append(f'group = "{group}"')
            out.append("indicators = [" + ", ".join(f'"{i}"' for i in indicators) + "]")
            out.append("")
    out += VERIFICATION.strip("\n").splitlines()
    return "\n".join(out).rstrip("\n") + "\n"


#: The scheme's verification cases: invented units, their evidence, and what the
#: rules must give them — hand-computed; `rulelaw verify` checks them.
VERIFICATION = """
# ── 验证用例 ─────────────────────────────────────────────
# 虚构的单位和证据，以及本方案应给出的结果（手工计算）。修改规则或权重后
# 运行 rulelaw verify，结果不符即报错。未列出的指标视为未报送，得0分。

[[verification]]
id = "check-county"
category = "county"
name = "验证县"
description = "县市区：次数、逾期、部分公开、办结率和扣分各一例"

[verification.evidence]
"1.1.1" = { value = 3 }  # 4次满分：3/4 → 75分，权重4 → 3.00
"1.1.2" = { value = 2025-03-05 }  # 逾期4天，每天扣2.5% → 90分，权重3 → 2.70
"1.1.3" = { value = "partly", reason = "只公开了摘要" }  # 部分 → 50分，权重2 → 1.00
"2.1.1" = { numerator = 96, denominator = 100 }  # 96%，在95%与100%间线性 → 20分，权重3 → 0.60
"4.2.3" = { dates = [2024-04-01, 2024-09-12] }  # 2次，每次扣20 → 60分，权重5 → 3.00

[verification.expect]
total = 10.30
grade = "fail"

[verification.expect.points]
"1.1.1" = 3.00
"1.1.2" = 2.70
"1.1.3" = 1.00
"2.1.1" = 0.60
"4.2.3" = 3.00
"1" = 6.70

[[verification]]
id = "check-department"
category = "department"
name = "验证局"
level = "city"
description = "市直单位：满次数、空分母得满分、按次扣分"

[verification.evidence]
"1.1.1" = { value = 5 }  # ≥4次 → 满分，权重4 → 4.00
"3.2.1" = { numerator = 0, denominator = 0 }  # 无应备案文件，按规定得满分，权重2 → 2.00
"5.2.2" = { dates = [2024-05-06] }  # 败诉1次，满4分扣1 → 3分，权重4 → 3.00

[verification.expect]
total = 9.00
points = { "1.1.1" = 4.00, "3.2.1" = 2.00, "5.2.2" = 3.00 }
"""


# -- the roster ------------------------------------------------------------------------

COUNTIES = (
    ("county-01", "青岚县"),
    ("county-02", "云溪区"),
    ("county-03", "白石县"),
    ("county-04", "松川市"),
    ("county-05", "临波区"),
)

ENFORCEMENT, MANAGEMENT, SERVICE = "行政执法类", "综合管理类", "社会服务类"

DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("人民政府办公室", MANAGEMENT),
    ("发展和改革委员会", MANAGEMENT),
    ("教育局", SERVICE),
    ("科学技术局", MANAGEMENT),
    ("工业和信息化局", MANAGEMENT),
    ("公安局", ENFORCEMENT),
    ("民政局", SERVICE),
    ("司法局", ENFORCEMENT),
    ("财政局", MANAGEMENT),
    ("人力资源和社会保障局", ENFORCEMENT),
    ("自然资源和规划局", ENFORCEMENT),
    ("生态环境局", ENFORCEMENT),
    ("住房和城乡建设局", ENFORCEMENT),
    ("交通运输局", ENFORCEMENT),
    ("水利局", ENFORCEMENT),
    ("农业农村局", ENFORCEMENT),
    ("商务局", ENFORCEMENT),
    ("文化旅游广电体育局", ENFORCEMENT),
    ("卫生健康委员会", ENFORCEMENT),
    ("退役军人事务局", SERVICE),
    ("应急管理局", ENFORCEMENT),
    ("审计局", MANAGEMENT),
    ("国有资产监督管理委员会", MANAGEMENT),
    ("市场监督管理局", ENFORCEMENT),
    ("统计局", MANAGEMENT),
    ("医疗保障局", ENFORCEMENT),
    ("林业局", ENFORCEMENT),
    ("城市管理综合行政执法局", ENFORCEMENT),
    ("政务服务和数据管理局", MANAGEMENT),
    ("机关事务管理局", MANAGEMENT),
    ("信访局", MANAGEMENT),
    ("地方金融管理局", MANAGEMENT),
    ("乡村振兴局", SERVICE),
    ("民族宗教事务局", SERVICE),
    ("人民防空办公室", ENFORCEMENT),
    ("粮食和物资储备局", ENFORCEMENT),
    ("外事办公室", MANAGEMENT),
    ("档案局", MANAGEMENT),
    ("投资促进局", MANAGEMENT),
    ("住房公积金管理中心", SERVICE),
    ("公共资源交易中心", SERVICE),
    ("供销合作社联合社", SERVICE),
    ("公用事业服务中心", SERVICE),
    ("融媒体中心", SERVICE),
    ("地震局", SERVICE),
)

PARKS = (
    ("park-01", "云泽高新技术产业开发区", "county-02"),
    ("park-02", "云泽经济技术开发区", "county-05"),
)


@dataclass
class UnitInfo:
    """A unit and the facts about it that shape its evidence."""

    id: str
    name: str
    level: str
    category: str
    parent: str = ""
    kind: str = ""
    staff: int = 0
    enforces: bool = True
    decisions: int = 0


def make_units(rng: random.Random) -> list[UnitInfo]:
    """The 52 units: 5 counties and districts, 45 municipal departments, 2 parks."""
    units = [
        UnitInfo(unit_id, name, "county", "county", staff=rng.randint(900, 2600))
        for unit_id, name in COUNTIES
    ]
    for number, (name, kind) in enumerate(DEPARTMENTS, start=1):
        units.append(
            UnitInfo(
                f"dept-{number:02d}",
                f"云泽市{name}",
                "city",
                "department",
                kind=kind,
                staff=rng.randint(40, 420) if kind == ENFORCEMENT else rng.randint(25, 160),
                enforces=kind == ENFORCEMENT,
            )
        )
    units += [
        UnitInfo(unit_id, name, "county", "park", parent=parent, staff=rng.randint(70, 220))
        for unit_id, name, parent in PARKS
    ]
    for unit in units:
        if unit.category == "department":
            unit.decisions = 0 if rng.random() < 0.15 else rng.randint(1, 4)
        else:
            unit.decisions = rng.randint(4, 12) if unit.category == "county" else rng.randint(2, 6)
    return units


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "晓舟望川一苇明远静怡宏伟建新志强海燕丽华国庆卫东振华雪梅文博思远嘉怡子涵浩然天佑"
    "俊杰雅琴立群秋实春生永红德明家豪慧敏昌盛玉兰泽宇书航清扬若溪景行致远"
)


@dataclass(frozen=True)
class Tenure:
    """One row of tenures.csv."""

    person: str
    unit: str
    role: str
    start: dt.date
    end: dt.date | None = None


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def make_people_and_tenures(
    rng: random.Random, units: Sequence[UnitInfo]
) -> tuple[list[tuple[str, str, str]], list[Tenure]]:
    """Invented leaders and their tenures, with mid-year handovers and one move between units."""
    names: list[str] = []

    def new_person() -> str:
        while True:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2, 2, 2))))
            if name not in names:
                names.append(name)
                return f"p-{len(names):03d}"

    posts: list[tuple[str, str]] = []
    for unit in units:
        if unit.category == "county":
            posts += [(unit.id, "party-head"), (unit.id, "government-head")]
        elif unit.category == "department":
            posts.append((unit.id, "department-head"))
        else:
            posts.append((unit.id, "park-head"))

    # (unit, role) -> last day of the first holder; the next holder starts the day after.
    handovers = {
        ("county-04", "party-head"): dt.date(2024, 3, 15),
        ("county-02", "government-head"): dt.date(2024, 5, 31),
        ("county-03", "government-head"): dt.date(2024, 6, 30),
        ("dept-09", "department-head"): dt.date(2024, 6, 30),
        ("dept-07", "department-head"): dt.date(2024, 8, 15),
        ("park-01", "park-head"): dt.date(2024, 8, 31),
        ("dept-33", "department-head"): dt.date(2024, 10, 7),
    }
    # Long-serving heads whose tenure began years before the assessment year.
    veterans = {("dept-24", "department-head"): dt.date(2017, 9, 4),
                ("county-01", "party-head"): dt.date(2018, 12, 27)}  # fmt: skip
    tenures: list[Tenure] = []
    first_holder: dict[tuple[str, str], str] = {}
    for post in posts:
        person = new_person()
        first_holder[post] = person
        start = veterans.get(post) or _random_day(rng, dt.date(2019, 1, 1), dt.date(2023, 12, 1))
        tenures.append(Tenure(person, post[0], post[1], start, handovers.get(post)))
    # The head of 云泽市财政局 (dept-09) becomes government head of 白石县 (county-03)
    # on 2024-07-01: one person, two units in one year.
    mover = first_holder[("dept-09", "department-head")]
    for post, last_day in handovers.items():
        successor = mover if post == ("county-03", "government-head") else new_person()
        tenures.append(Tenure(successor, post[0], post[1], last_day + dt.timedelta(days=1)))
    order = {post: index for index, post in enumerate(posts)}
    tenures.sort(key=lambda t: (order[t.unit, t.role], t.start))
    people = [
        (f"p-{index:03d}", name, "女" if rng.random() < 0.25 else "男")
        for index, name in enumerate(names, start=1)
    ]
    return people, tenures


# -- the evidence ----------------------------------------------------------------------

Row = dict[str, str]


def _pct(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def _counts(numerator: int, denominator: int) -> Row:
    return {"numerator": str(numerator), "denominator": str(denominator)}


def _share(rng: random.Random, total: int, low: float, high: float) -> int:
    """A numerator for ``total``: usually all of it, else a share between low and high."""
    if total == 0 or rng.random() < 0.7:
        return total
    return min(total, max(0, round(total * rng.uniform(low, high))))


def _flag(rng: random.Random, partly: str, no: str, p_partly: float, p_no: float) -> Row:
    draw = rng.random()
    if draw < p_no:
        return {"value": "no", "reason": no}
    if draw < p_no + p_partly:
        return {"value": "partly", "reason": partly}
    return {"value": "yes"}


def _date(day: dt.date) -> Row:
    return {"value": day.isoformat()}


def _occurrences(rng: random.Random, weights: Sequence[int]) -> Row:
    count = rng.choices(range(len(weights)), weights=weights)[0]
    days = sorted(_random_day(rng, YEAR_START, YEAR_END) for _ in range(count))
    return {"dates": ";".join(d.isoformat() for d in days)} if days else {}


NO_ENFORCEMENT = "本单位无行政执法职能"
NO_DECISIONS = "本年度无重大行政决策"


def _evidence_for(rng: random.Random, unit: UnitInfo, indicator: str) -> Row:
    """The observed value of one indicator for one unit (status, value or counts, reason)."""
    county, park = unit.category == "county", unit.category == "park"
    if indicator == "1.1.1":
        return {
            "value": str(rng.choice((3, 4, 4, 5, 6)) if county else rng.choice((2, 3, 4, 4, 5)))
        }
    if indicator == "1.1.2":
        due = dt.date(2025, 3, 1)
        if rng.random() < 0.12:
            return _date(due + dt.timedelta(days=rng.randint(1, 14)))
        return _date(due - dt.timedelta(days=rng.randint(0, 20)))
    if indicator == "1.1.3":
        return _flag(rng, "公开内容缺少存在的不足和原因", "未在门户网站公开", 0.08, 0.03)
    if indicator == "1.2.1":
        due = dt.date(2024, 12, 20)
        if rng.random() < 0.1:
            return _date(due + dt.timedelta(days=rng.randint(1, 11)))
        return _date(due - dt.timedelta(days=rng.randint(0, 25)))
    if indicator == "1.2.2":
        return _flag(rng, "", "述法未纳入年终述职", 0.0, 0.05)
    if indicator == "2.1.1":
        total = rng.randint(20000, 60000) if county else rng.randint(500, 8000)
        return _counts(_share(rng, total, 0.96, 0.999), total)
    if indicator == "2.1.2":
        return {"value": _pct(rng.uniform(86, 99.6))}
    if indicator == "2.1.3":
        return {"value": _pct(rng.uniform(97, 100))}
    if indicator == "2.2.1":
        return {"value": f"{rng.uniform(32, 78):.1f}"}
    if indicator == "2.2.2":
        total = rng.randint(300, 2000) if county else rng.randint(40, 150)
        return _counts(round(total * rng.uniform(0.9, 0.995)), total)
    if indicator == "2.2.3":
        total = rng.randint(60, 120)
        return _counts(_share(rng, total, 0.9, 0.99), total)
    if indicator == "3.1.1":
        return _flag(rng, "目录已编制但未向社会公布", "未编制年度重大行政决策事项目录", 0.15, 0.1)
    if indicator in ("3.1.2", "3.1.3", "3.1.4"):
        if unit.decisions == 0:
            return {"status": "na", "reason": NO_DECISIONS}
        low = {"3.1.2": 0.75, "3.1.3": 0.6, "3.1.4": 0.8}[indicator]
        return _counts(_share(rng, unit.decisions, low, 0.95), unit.decisions)
    if indicator == "3.2.1":
        total = rng.randint(0, 15) if county else rng.choice((0, 0, 1, 2, 3, 5))
        return _counts(_share(rng, total, 0.8, 0.95), total)
    if indicator == "3.2.2":
        if county:
            total = rng.randint(30, 150)
        elif park:
            total = rng.randint(10, 60)
        else:
            total = rng.choice((0, 0, rng.randint(1, 40)))
        return _counts(_share(rng, total, 0.9, 0.99), total)
    if indicator == "3.2.3":
        return _flag(rng, "法律顾问聘用合同于2024年8月到期未续聘", "未聘请法律顾问", 0.05, 0.04)
    if indicator in ("4.1.1", "4.1.2", "4.2.1") and not unit.enforces:
        return {"status": "na", "reason": NO_ENFORCEMENT}
    if indicator == "4.1.1":
        if county:
            sat = rng.randint(150, 600)
        elif park:
            sat = rng.randint(10, 40)
        else:
            sat = 0 if unit.id == "dept-36" else rng.randint(20, 300)
        return _counts(round(sat * rng.uniform(0.74, 1.0)), sat)
    if indicator == "4.1.2":
        return {"value": str(rng.choices((0, 1, 2, 3, 4), weights=(70, 12, 8, 6, 4))[0])}
    if indicator == "4.2.1":
        return {"value": f"{rng.uniform(78, 98):.1f}"}
    if indicator == "4.2.2":
        return _flag(rng, "重大执法决定法制审核未全覆盖", "未落实执法全过程记录制度", 0.2, 0.0)
    if indicator == "4.2.3":
        return _occurrences(rng, (70, 18, 8, 4) if unit.enforces else (90, 8, 2))
    if indicator in ("5.1.1", "5.1.2"):
        if county:
            cases = rng.randint(10, 60)
        elif park:
            cases = rng.randint(0, 8)
        else:
            cases = rng.randint(0, 25) if unit.enforces else rng.choice((0, 0, 0, 1, 2))
        if indicator == "5.1.1":
            corrected = 0 if cases == 0 else round(cases * rng.uniform(0, 0.22))
            return _counts(corrected, cases)
        owed = round(cases * 0.15)
        return _counts(_share(rng, owed, 0.5, 0.9), owed)
    if indicator == "5.2.1":
        if county:
            suits = rng.randint(5, 30)
        elif park:
            suits = rng.randint(0, 5)
        else:
            suits = rng.randint(0, 12) if unit.enforces else rng.choice((0, 0, 0, 1))
        return _counts(_share(rng, suits, 0.6, 0.95), suits)
    if indicator == "5.2.2":
        return _occurrences(rng, (50, 30, 15, 5) if county else (85, 12, 3))
    if indicator == "6.1.1":
        return _counts(_share(rng, unit.staff, 0.93, 0.995), unit.staff)
    if indicator == "6.1.2":
        sat = unit.staff - rng.choice((0, 0, 0, 1, 2))
        return _counts(_share(rng, sat, 0.95, 0.995), sat)
    if indicator == "6.1.3":
        return {"value": _pct(rng.uniform(88, 100))}
    if indicator == "6.2.1":
        return _flag(rng, "普法责任清单未按年度动态调整", "未制定普法责任清单", 0.08, 0.02)
    if indicator == "6.2.2":
        return {"value": str(rng.randint(6, 20))}
    if indicator == "7.1.1":
        due = dt.date(2024, 3, 31)
        if rng.random() < 0.1:
            return _date(due + dt.timedelta(days=rng.randint(1, 12)))
        return _date(due - dt.timedelta(days=rng.randint(0, 45)))
    if indicator == "7.1.2":
        total = rng.randint(5, 40)
        return _counts(round(total * rng.uniform(0.7, 1.0)), total)
    if indicator == "7.2.1":
        return {"value": f"{rng.uniform(72, 94):.1f}"}
    if indicator == "7.2.2":
        return {"value": f"{rng.uniform(80, 96):.1f}"}
    raise AssertionError(f"no evidence generator for indicator {indicator}")


#: Who recorded the evidence of each top-level dimension.
SOURCES = {
    "1": "市委依法治市办",
    "2": "市政务服务和数据管理局",
    "3": "市司法局",
    "4": "督察",
    "5": "市司法局",
    "6": "市委依法治市办",
    "7": "第三方评估",
}
MISSING_REASONS = ("未按期报送佐证材料", "佐证材料不完整，按未报送处理", "系统填报逾期")


def make_evidence(rng: random.Random, units: Sequence[UnitInfo], derived: list[Row]) -> list[Row]:
    """One row per unit and applicable indicator, less about 2% left out entirely.

    Rows of indicators whose evidence comes from elsewhere (the annual
    report's filing date) are put into ``derived`` instead.
    """
    rows: list[Row] = []
    for unit in units:
        column = CATEGORIES.index(unit.category)
        for leaf in LEAVES:
            if leaf.points[column] is None or leaf.evidence_from.startswith("law-report"):
                continue
            observed = _evidence_for(rng, unit, leaf.id)
            draw = rng.random()
            if draw < 0.025:
                continue  # no row at all: the unit never reported it
            if draw < 0.03 and "status" not in observed:
                observed = {"status": "missing", "reason": rng.choice(MISSING_REASONS)}
            top = leaf.id.split(".")[0]
            source = "12345热线中心" if leaf.id == "2.1.2" else SOURCES[top]
            recorded = _random_day(rng, dt.date(2025, 1, 6), dt.date(2025, 1, 24))
            if leaf.id == "1.1.2":
                recorded = dt.date(2025, 3, 20)
            row = {
                "unit": unit.id,
                "indicator": leaf.id,
                **observed,
                "source": source,
                "date": recorded.isoformat(),
            }
            if leaf.evidence_from:
                derived.append(row)  # the annual report's date goes to filings.csv
            else:
                rows.append(row)
    return rows


# -- writing -----------------------------------------------------------------------------

EVIDENCE_COLUMNS = (
    "unit",
    "indicator",
    "status",
    "value",
    "numerator",
    "denominator",
    "reason",
    "dates",
    "source",
    "date",
)


#: Units kept out of grading, with the reason (they keep their score and rank).
NOT_GRADED = {"dept-45": "2024年机构改革新组建，考核期不足一年"}

ADJUSTMENT_COLUMNS = ("unit", "item", "achievement", "level", "date", "reason", "source")
#: Awards, deductions and vetoes of the year (written out, not drawn at random).
ADJUSTMENTS: tuple[tuple[str, ...], ...] = (
    (
        "county-01",
        "demonstration",
        "法治政府建设示范县",
        "provincial",
        "2024-11-20",
        "",
        "省委依法治省办",
    ),
    (
        "county-01",
        "demonstration",
        "法治政府建设示范县",
        "municipal",
        "2023-12-15",
        "",
        "市委依法治市办",
    ),
    (
        "county-04",
        "demonstration",
        "行政复议规范化建设项目",
        "national",
        "2024-09-10",
        "",
        "中央依法治国办",
    ),
    (
        "county-04",
        "innovation",
        "涉企行政执法“一件事”改革",
        "provincial",
        "2024-06-30",
        "",
        "省司法厅",
    ),
    ("dept-06", "innovation", "执法全过程记录数字化", "municipal", "2024-08-01", "", "市司法局"),
    (
        "dept-25",
        "inspection-problem",
        "",
        "",
        "2024-05-17",
        "统计执法案卷不规范，逾期未整改",
        "法治督察",
    ),
    ("dept-25", "inspection-problem", "", "", "2024-10-09", "行政规范性文件未备案审查", "法治督察"),
    ("county-05", "inspection-problem", "", "", "2024-07-22", "重大决策目录未公开", "法治督察"),
    (
        "dept-11",
        "major-violation",
        "",
        "",
        "2024-04-03",
        "违法强制拆除被法院判决确认违法",
        "行政诉讼",
    ),
)


# -- law reports, ballots, problems, annual-report filings ------------------------------

REPORT_COLUMNS = ("id", "person", "unit", "date", "forms", "signed", "duties", "panel")
SITE_GROUPS = (  # the site panel's rater groups: id, ballots, kind
    ("secretary", 1, "grades"),
    ("members", 7, "numbers"),
    ("democratic", 12, "grades"),
)
GRADE_LABELS = ("好", "好", "较好", "较好", "较好", "一般", "差")


def make_law_reports(
    units: Sequence[UnitInfo], tenures: Sequence[Tenure]
) -> tuple[list[Row], list[tuple[str, str, str, str]]]:
    """Law reports of the leaders in post at the year's end, and the site panel's ballots.

    Every one reports in writing; the principal leaders of counties and parks
    also report on site, rated by the site panel.
    """
    rng = random.Random(SEED + 1)  # apart from the main sequence, which stays as it was
    category = {u.id: u.category for u in units}
    reports: list[Row] = []
    ballots: list[tuple[str, str, str, str]] = []
    for tenure in tenures:
        if tenure.end is not None and tenure.end < dt.date(2024, 12, 31):
            continue
        on_site = category[tenure.unit] in ("county", "park") and tenure.role != "government-head"
        report_id = f"R-{tenure.person}"
        day = dt.date(2025, 1, 8) + dt.timedelta(days=rng.randint(0, 40))
        reports.append(
            {
                "id": report_id,
                "person": tenure.person,
                "unit": tenure.unit,
                "date": day.isoformat(),
                "forms": "written;on-site;performance-report" if on_site else "written",
                "signed": "true" if rng.random() > 0.05 else "false",
                "duties": "",
                "panel": "site" if on_site else "",
            }
        )
        if not on_site:
            continue
        for group, count, kind in SITE_GROUPS:
            if group == "democratic" and tenure.person == "p-062":
                count = 6  # too few took part: below quorum, its weight goes to the others
            for n in range(1, count + 1):
                number = str(rng.randint(72, 98)) if kind == "numbers" else ""
                value = number or rng.choice(GRADE_LABELS)
                ballots.append((report_id, group, f"{group}-{n:02d}", value))
    # two ballots that do not count: an unknown label, and a rater voting twice
    ballots.append((reports[0]["id"], "democratic", "democratic-01", "好"))
    ballots.append((reports[0]["id"], "democratic", "democratic-99", "很好"))
    return reports, ballots


PROBLEM_COLUMNS = ("id", "unit", "source", "found", "deadline", "description", "person", "measures")
PROBLEMS: tuple[tuple[str, ...], ...] = (
    (
        "P-01",
        "county-05",
        "inspection",
        "2024-06-12",
        "2024-09-30",
        "重大行政决策目录未向社会公开",
        "",
        "编制并公开目录",
    ),
    (
        "P-02",
        "county-05",
        "questioning",
        "2025-01-15",
        "2025-03-15",
        "代表质询指出执法案卷不规范",
        "",
        "开展案卷评查整改",
    ),
    (
        "P-03",
        "dept-25",
        "inspection",
        "2024-05-17",
        "2024-08-31",
        "统计执法案卷不规范",
        "",
        "集中整改并复查",
    ),
    (
        "P-04",
        "dept-08",
        "assessment",
        "2025-01-20",
        "2025-04-30",
        "执法人员考试通过率偏低",
        "",
        "组织专题培训",
    ),
    (
        "P-05",
        "county-02",
        "reconsideration",
        "2024-10-09",
        "2024-12-31",
        "行政复议纠错案件反映的程序问题",
        "",
        "修订执法程序规定",
    ),
    (
        "P-06",
        "dept-11",
        "litigation",
        "2024-04-03",
        "2024-10-31",
        "违法强制拆除被判决确认违法",
        "",
        "追责并完善强拆程序",
    ),
)
PROBLEM_STATUS: tuple[tuple[str, ...], ...] = (
    ("P-01", "rectifying", "2024-07-01", ""),
    ("P-03", "rectifying", "2024-06-01", ""),
    ("P-03", "rectified", "2024-08-20", ""),
    ("P-03", "verified", "2024-11-05", ""),
    ("P-05", "rectifying", "2024-11-01", ""),
    ("P-05", "rectified", "2024-12-28", ""),
    ("P-06", "rectifying", "2024-05-10", ""),
    ("P-06", "rectified", "2024-10-20", ""),
    ("P-06", "rectifying", "2024-12-02", "复查发现整改不到位，重新整改"),
)
MISSING_SECTION = {"dept-17": "problems", "county-03": "plan"}


def make_filings(rows: Sequence[Row]) -> list[Row]:
    """The annual report's filing per unit, from the dates drawn for indicator 1.1.2."""
    filings: list[Row] = []
    for row in rows:
        if row.get("status") == "missing" or "value" not in row:
            continue
        submitted = dt.date.fromisoformat(row["value"])
        sections = [
            s for s in ("situation", "problems", "plan") if s != MISSING_SECTION.get(row["unit"])
        ]
        filings.append(
            {
                "unit": row["unit"],
                "submitted": submitted.isoformat(),
                "published": (submitted + dt.timedelta(days=10)).isoformat(),
                "sections": ";".join(sections),
            }
        )
    return filings


def _csv(columns: Sequence[str], rows: Sequence[Sequence[str] | Row]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns] if isinstance(row, dict) else row)
    return buffer.getvalue()


def build() -> dict[str, str]:
    """The files of the demo city, by name."""
    rng = random.Random(SEED)
    units = make_units(rng)
    people, tenures = make_people_and_tenures(rng, units)
    filed: list[Row] = []
    evidence = make_evidence(rng, units, filed)
    reports, ballots = make_law_reports(units, tenures)
    unit_rows = [
        (u.id, u.name, u.level, u.category, u.parent, NOT_GRADED.get(u.id, ""), u.kind)
        for u in units
    ]
    tenure_rows = [
        (t.person, t.unit, t.role, t.start.isoformat(), t.end.isoformat() if t.end else "")
        for t in tenures
    ]
    return {
        "scheme.toml": scheme_text(),
        "units.csv": _csv(
            ("id", "name", "level", "category", "parent", "not_graded", "kind"), unit_rows
        ),
        "people.csv": _csv(("id", "name", "gender"), people),
        "tenures.csv": _csv(("person", "unit", "role", "start", "end"), tenure_rows),
        "evidence.csv": _csv(EVIDENCE_COLUMNS, evidence),
        "adjustments.csv": _csv(ADJUSTMENT_COLUMNS, ADJUSTMENTS),
        "reports.csv": _csv(REPORT_COLUMNS, reports),
        "ballots.csv": _csv(("report", "group", "rater", "value"), ballots),
        "problems.csv": _csv(PROBLEM_COLUMNS, PROBLEMS),
        "problem_status.csv": _csv(("problem", "status", "date", "reason"), PROBLEM_STATUS),
        "filings.csv": _csv(("unit", "submitted", "published", "sections"), make_filings(filed)),
    }


def main(argv: Sequence[str]) -> int:
    """Write the demo city into the folder named in ``argv``; 2 if it is not empty."""
    if len(argv) != 1:
        print("usage: make_demo_city.py FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"make_demo_city: {folder} exists and is not an empty folder", file=sys.stderr)
        return 2
    files = build()
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
