"""Analyses of evaluations: comparing two, and what changed between two schemes.

:func:`compare` explains how every unit moved between two evaluations (its
own points and why, a rival's move, the grading), :func:`compare_schemes`
does so for one assessment under two schemes, :func:`diff_schemes` lists
what changed between two schemes, as data, and :func:`sensitivity` measures
how much each unit's rank and grade depend on the weights.
"""

from rulelaw.analysis._compare import (
    Comparison,
    IndicatorChange,
    Transition,
    UnitChange,
    compare,
    compare_schemes,
)
from rulelaw.analysis._schemes import Change, SchemeDiff, diff_schemes
from rulelaw.analysis._sensitivity import Sensitivity, UnitSensitivity, sensitivity
from rulelaw.analysis._verify import Mismatch, VerificationReport, verify

__all__ = [
    "Change",
    "Comparison",
    "IndicatorChange",
    "Mismatch",
    "SchemeDiff",
    "Sensitivity",
    "Transition",
    "UnitChange",
    "UnitSensitivity",
    "VerificationReport",
    "compare",
    "compare_schemes",
    "diff_schemes",
    "sensitivity",
    "verify",
]
