"""Default duty lists for the three built-in roles, to start a scheme from.

They follow the structure of the 2016 regulation on the first-responsible-
person duty of principal party and government leaders (党政主要负责人履行推进
法治建设第一责任人职责规定): six duties each for party committee heads and
government heads, five for department heads, in the four groups the sources
name — organising leadership (组织领导), decision and deployment (决策部署),
pushing the work (工作推进) and supervision and inspection (监督检查). The
wording is ours. The lists name no indicators: a scheme ties each duty to its
own indicators (``[[duty_lists]] base = "default"`` with an ``indicators``
table) and may add or replace duties.
"""

from __future__ import annotations

from collections.abc import Mapping

from rulelaw.model.duties import Duty, DutyList

__all__ = ["DEFAULT_DUTY_LISTS", "GROUPS"]

#: The four groups of duties, with their Chinese names.
GROUPS: Mapping[str, str] = {
    "organising-leadership": "组织领导",
    "decision-deployment": "决策部署",
    "pushing-work": "工作推进",
    "supervision-inspection": "监督检查",
}


def _list(role: str, duties: list[tuple[str, str, str]]) -> DutyList:
    return DutyList(
        role=role,
        duties=tuple(Duty(id=i, title=t, group=g) for i, t, g in duties),
    )


DEFAULT_DUTY_LISTS: Mapping[str, DutyList] = {
    "party-head": _list(
        "party-head",
        [
            (
                "PH1",
                "把法治建设摆在全局工作的重要位置，亲自谋划、亲自部署",
                "organising-leadership",
            ),
            ("PH2", "定期听取法治建设情况汇报，研究解决重大问题", "decision-deployment"),
            ("PH3", "带头依法依规决策，支持各机关依法履行职责", "pushing-work"),
            ("PH4", "把法治素养和依法履职情况作为考察使用干部的重要内容", "pushing-work"),
            ("PH5", "组织开展法治督察，督促问题整改落实", "supervision-inspection"),
            ("PH6", "带头尊法学法守法用法，组织领导班子集体学法", "organising-leadership"),
        ],
    ),
    "government-head": _list(
        "government-head",
        [
            ("GH1", "统筹推进法治政府建设，列入政府工作报告和年度计划", "organising-leadership"),
            ("GH2", "严格执行重大行政决策法定程序", "decision-deployment"),
            ("GH3", "推进严格规范公正文明执法，落实执法责任", "pushing-work"),
            ("GH4", "支持行政复议和应诉工作，带头出庭应诉", "pushing-work"),
            ("GH5", "自觉接受人大、政协、司法和社会监督，推进政务公开", "supervision-inspection"),
            (
                "GH6",
                "组织政府常务会议学法，按时报告和公开法治政府建设情况",
                "organising-leadership",
            ),
        ],
    ),
    "department-head": _list(
        "department-head",
        [
            ("DH1", "把本部门法治建设列入年度工作计划，亲自部署推进", "organising-leadership"),
            ("DH2", "依法决策，落实合法性审查和集体讨论决定程序", "decision-deployment"),
            ("DH3", "落实行政执法公示、全过程记录和法制审核制度", "pushing-work"),
            ("DH4", "支持行政复议和应诉，负责人出庭应诉", "pushing-work"),
            ("DH5", "落实学法和“谁执法谁普法”责任，接受监督并整改问题", "supervision-inspection"),
        ],
    ),
}
