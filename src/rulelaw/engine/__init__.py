"""The scoring engine: ``evaluate`` and the values it returns."""

from rulelaw.engine.evaluate import evaluate
from rulelaw.engine.results import (
    Adjustment,
    CoverageRow,
    DimensionResult,
    Distribution,
    DutyResult,
    Evaluation,
    GradeCount,
    GroupResult,
    IndicatorResult,
    LedgerRow,
    PanelResult,
    PersonResult,
    Post,
    PostGap,
    RejectedBallot,
    Status,
    UnitResult,
)

__all__ = [
    "Adjustment",
    "CoverageRow",
    "DimensionResult",
    "Distribution",
    "DutyResult",
    "Evaluation",
    "GradeCount",
    "GroupResult",
    "IndicatorResult",
    "LedgerRow",
    "PanelResult",
    "PersonResult",
    "Post",
    "PostGap",
    "RejectedBallot",
    "Status",
    "UnitResult",
    "evaluate",
]
