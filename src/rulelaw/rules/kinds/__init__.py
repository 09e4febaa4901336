"""The built-in rule kinds; each is registered in :func:`rulelaw.rules.default_registry`."""

from rulelaw.rules.kinds.events import (
    Compliance,
    CountTarget,
    Deadline,
    Deduction,
    OverdueProblemsRule,
)
from rulelaw.rules.kinds.normalised import Normalised, NormalisedMethod, Ties
from rulelaw.rules.kinds.peers import GivenScore, Relative, RelativeMethod
from rulelaw.rules.kinds.rates import Band, Bands, EmptyDenominator, RateTarget

BUILTIN_KINDS = (
    RateTarget,
    Bands,
    Compliance,
    CountTarget,
    Deduction,
    Deadline,
    Relative,
    GivenScore,
    OverdueProblemsRule,
    Normalised,
)

__all__ = [
    "BUILTIN_KINDS",
    "Band",
    "Bands",
    "Compliance",
    "CountTarget",
    "Deadline",
    "Deduction",
    "EmptyDenominator",
    "GivenScore",
    "Normalised",
    "NormalisedMethod",
    "OverdueProblemsRule",
    "RateTarget",
    "Relative",
    "RelativeMethod",
    "Ties",
]
