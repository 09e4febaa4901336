"""Fixtures of the renderings' tests: a rule kind whose reasons are messages, and its folder."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import attrs
import pytest

import rulelaw
from rulelaw import Measure, Outcome, RuleBase, RuleContext
from rulelaw.messages import Catalogue, Message
from rulelaw.model import Flag, FlagValue, ObservedValue

#: the templates of the test kind's own codes
TEMPLATES = {
    "testmsg.met": {"en": "met on {day} (checked by {who})", "zh-CN": "已落实（{day}，{who}核查）"},
    "testmsg.not-met": {"en": "not met: {n} item{n:s} missing", "zh-CN": "未落实：缺{n}项"},
}


@attrs.frozen(kw_only=True)
class MessageFlag(RuleBase):
    """A yes/no finding whose reasons are messages of the kind's own catalogue."""

    name: ClassVar[str] = "testmsg.flag"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.FLAG})
    messages: ClassVar[dict[str, dict[str, str]]] = TEMPLATES

    def score(self, value: ObservedValue, context: RuleContext) -> Outcome:
        """Full points for yes, none for no; the reason says so with parameters."""
        assert isinstance(value, Flag)
        catalogue = Catalogue(TEMPLATES)
        if value.value is FlagValue.YES:
            params: tuple[tuple[str, object], ...] = (
                ("day", rulelaw.model.to_date("2025-03-01")),
                ("who", "市司法局"),
            )
            return self.full(Message("testmsg.met", params, catalogue), band="met")
        missing = (("n", 2),)
        return Outcome.scored(Decimal(0), Message("testmsg.not-met", missing, catalogue))


@pytest.fixture
def message_registry() -> rulelaw.Registry:
    """The built-in kinds and the test kind whose reasons are messages."""
    registry = rulelaw.default_registry()
    registry.register(MessageFlag)
    return registry


@pytest.fixture
def message_folder(tmp_path: Path, mini_path: Path) -> Path:
    """The mini folder with indicator 2.2 scored by the test kind."""
    folder = tmp_path / "messages"
    shutil.copytree(mini_path, folder)
    scheme = folder / "scheme.toml"
    scheme.write_text(
        scheme.read_text("utf-8").replace(
            'rule = { kind = "compliance" }', 'rule = { kind = "testmsg.flag" }'
        ),
        "utf-8",
    )
    return folder


@pytest.fixture
def message_result(message_folder: Path, message_registry: rulelaw.Registry) -> rulelaw.Evaluation:
    """The evaluation of the message folder: 2.2's reasons are messages."""
    assessment = rulelaw.load(message_folder, registry=message_registry)
    return rulelaw.evaluate(assessment, registry=message_registry)
