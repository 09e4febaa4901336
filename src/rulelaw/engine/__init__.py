"""The scoring engine: ``evaluate`` and the values it returns."""

from rulelaw.engine.evaluate import evaluate
from rulelaw.engine.results import (
    Adjustment,
    DimensionResult,
    Evaluation,
    IndicatorResult,
    Status,
    UnitResult,
)

__all__ = [
    "Adjustment",
    "DimensionResult",
    "Evaluation",
    "IndicatorResult",
    "Status",
    "UnitResult",
    "evaluate",
]
