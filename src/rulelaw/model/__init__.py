"""Frozen domain values: units, people, duties, indicators, evidence, schemes.

Every class here is an immutable ``attrs`` value, checked when it is built;
change one with ``attrs.evolve``, which checks again.
"""

from rulelaw.model.adjustments import (
    AdjustmentEvent,
    Bonus,
    ExtraDeduction,
    NotSubmittedPolicy,
    ScoringPolicy,
    Veto,
    VetoEffect,
)
from rulelaw.model.assessment import Assessment, Finding, check_roster
from rulelaw.model.duties import Duty, DutyList
from rulelaw.model.evidence import (
    Count,
    DateValue,
    Evidence,
    Falsified,
    Flag,
    FlagValue,
    NotApplicable,
    NotSubmitted,
    Observation,
    ObservedValue,
    Occurrences,
    Rate,
    UndefinedRate,
    Value,
)
from rulelaw.model.grading import (
    DEFAULT_GRADE_SCALE,
    Grade,
    GradeScale,
    GradingPolicy,
    QuotaRounding,
    RankTies,
    TieRule,
)
from rulelaw.model.indicators import Dimension, Direction, Indicator, Measure, RuleSpec
from rulelaw.model.people import (
    BUILTIN_ROLES,
    DEPARTMENT_HEAD,
    GOVERNMENT_HEAD,
    PARTY_HEAD,
    PeoplePolicy,
    Period,
    ResponsiblePerson,
    Role,
    Tenure,
)
from rulelaw.model.policy import (
    CategoryWeights,
    RoundingMode,
    RoundingPolicy,
    round_fraction,
)
from rulelaw.model.scheme import Scheme
from rulelaw.model.units import Category, Level, Unit

__all__ = [
    "BUILTIN_ROLES",
    "DEFAULT_GRADE_SCALE",
    "DEPARTMENT_HEAD",
    "GOVERNMENT_HEAD",
    "PARTY_HEAD",
    "AdjustmentEvent",
    "Assessment",
    "Bonus",
    "Category",
    "CategoryWeights",
    "Count",
    "DateValue",
    "Dimension",
    "Direction",
    "Duty",
    "DutyList",
    "Evidence",
    "ExtraDeduction",
    "Falsified",
    "Finding",
    "Flag",
    "FlagValue",
    "Grade",
    "GradeScale",
    "GradingPolicy",
    "Indicator",
    "Level",
    "Measure",
    "NotApplicable",
    "NotSubmitted",
    "NotSubmittedPolicy",
    "Observation",
    "ObservedValue",
    "Occurrences",
    "PeoplePolicy",
    "Period",
    "QuotaRounding",
    "RankTies",
    "Rate",
    "ResponsiblePerson",
    "Role",
    "RoundingMode",
    "RoundingPolicy",
    "RuleSpec",
    "Scheme",
    "ScoringPolicy",
    "Tenure",
    "TieRule",
    "UndefinedRate",
    "Unit",
    "Value",
    "Veto",
    "VetoEffect",
    "check_roster",
    "round_fraction",
]
