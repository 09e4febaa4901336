"""The scoring engine: ``evaluate`` and the values it returns.

``CategoryBlock``, ``IndicatorLines`` and ``DimensionLines`` are the array
form a category's result lines are kept in until read; writers that render
many units at once (the JSON writer) read them directly.
"""

from rulelaw.engine._arrays import CategoryBlock, DimensionLines, IndicatorLines
from rulelaw.engine._evaluate import evaluate
from rulelaw.engine._people import time_in_post
from rulelaw.engine._results import (
    Adjustment,
    CoverageRow,
    DimensionInfo,
    DimensionResult,
    Distribution,
    DutyResult,
    Evaluation,
    GradeCount,
    GroupResult,
    IndicatorInfo,
    IndicatorResult,
    LedgerRow,
    PanelResult,
    PersonResult,
    Post,
    PostGap,
    Recommendation,
    RejectedBallot,
    Status,
    TagSubtotal,
    UnitResult,
    register_renderer,
)

__all__ = [
    "Adjustment",
    "CategoryBlock",
    "CoverageRow",
    "DimensionInfo",
    "DimensionLines",
    "DimensionResult",
    "Distribution",
    "DutyResult",
    "Evaluation",
    "GradeCount",
    "GroupResult",
    "IndicatorInfo",
    "IndicatorLines",
    "IndicatorResult",
    "LedgerRow",
    "PanelResult",
    "PersonResult",
    "Post",
    "PostGap",
    "Recommendation",
    "RejectedBallot",
    "Status",
    "TagSubtotal",
    "UnitResult",
    "evaluate",
    "register_renderer",
    "time_in_post",
]
