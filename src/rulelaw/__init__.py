"""rulelaw: exact, explainable scoring of rule-of-law government construction (法治政府建设考核).

The front door::

    import rulelaw
    a = rulelaw.load("examples/demo-city")     # a folder: scheme.toml + CSV files
    print(a.summary())

The package is laid out by what it does:

- :mod:`rulelaw.model` — frozen domain values (units, people, duties,
  indicators, evidence, schemes, assessments), checked when built;
- :mod:`rulelaw.files` — the assessment folder and scheme file formats, one
  cattrs converter, every problem reported at once;
- :mod:`rulelaw.errors` — the error tree;
- :mod:`rulelaw.testing` — hypothesis strategies for every domain value
  (install the ``testing`` extra);
- :mod:`rulelaw.cli` — the ``rulelaw`` command.
"""

from rulelaw._demo import demo_path
from rulelaw._version import __version__
from rulelaw.engine import (
    Adjustment,
    DimensionResult,
    Evaluation,
    IndicatorResult,
    UnitResult,
    evaluate,
)
from rulelaw.errors import (
    DataError,
    EncodingError,
    EvaluationError,
    InputError,
    LookupFailed,
    RegistrationError,
    RulelawError,
    SchemeError,
    ValidationError,
)
from rulelaw.files import dump, dump_scheme, load, load_scheme, validate
from rulelaw.model import (
    AdjustmentEvent,
    Assessment,
    Bonus,
    Category,
    CategoryWeights,
    Count,
    DateValue,
    Dimension,
    Direction,
    Duty,
    DutyList,
    Evidence,
    ExtraDeduction,
    Falsified,
    Flag,
    FlagValue,
    Grade,
    GradeScale,
    GradingPolicy,
    Indicator,
    Level,
    Measure,
    NotApplicable,
    NotSubmitted,
    NotSubmittedPolicy,
    Observation,
    ObservedValue,
    Occurrences,
    Period,
    Rate,
    ResponsiblePerson,
    Role,
    RoundingMode,
    RoundingPolicy,
    RuleSpec,
    Scheme,
    ScoringPolicy,
    Tenure,
    UndefinedRate,
    Unit,
    Value,
    Veto,
    VetoEffect,
)
from rulelaw.rules import Outcome, Registry, RuleBase, RuleContext, RuleKind, default_registry

__all__ = [
    "Adjustment",
    "AdjustmentEvent",
    "Assessment",
    "Bonus",
    "Category",
    "CategoryWeights",
    "Count",
    "DataError",
    "DateValue",
    "Dimension",
    "DimensionResult",
    "Direction",
    "Duty",
    "DutyList",
    "EncodingError",
    "Evaluation",
    "EvaluationError",
    "Evidence",
    "ExtraDeduction",
    "Falsified",
    "Flag",
    "FlagValue",
    "Grade",
    "GradeScale",
    "GradingPolicy",
    "Indicator",
    "IndicatorResult",
    "InputError",
    "Level",
    "LookupFailed",
    "Measure",
    "NotApplicable",
    "NotSubmitted",
    "NotSubmittedPolicy",
    "Observation",
    "ObservedValue",
    "Occurrences",
    "Outcome",
    "Period",
    "Rate",
    "RegistrationError",
    "Registry",
    "ResponsiblePerson",
    "Role",
    "RoundingMode",
    "RoundingPolicy",
    "RuleBase",
    "RuleContext",
    "RuleKind",
    "RuleSpec",
    "RulelawError",
    "Scheme",
    "SchemeError",
    "ScoringPolicy",
    "Tenure",
    "UndefinedRate",
    "Unit",
    "UnitResult",
    "ValidationError",
    "Value",
    "Veto",
    "VetoEffect",
    "__version__",
    "default_registry",
    "demo_path",
    "dump",
    "dump_scheme",
    "evaluate",
    "load",
    "load_scheme",
    "validate",
]
