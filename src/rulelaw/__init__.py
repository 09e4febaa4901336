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
from rulelaw.errors import (
    DataError,
    EncodingError,
    InputError,
    LookupFailed,
    RulelawError,
    SchemeError,
    ValidationError,
)
from rulelaw.files import dump, dump_scheme, load, load_scheme, validate
from rulelaw.model import (
    Assessment,
    Category,
    CategoryWeights,
    Count,
    DateValue,
    Dimension,
    Direction,
    Duty,
    DutyList,
    Evidence,
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
    Observation,
    Occurrences,
    Period,
    Rate,
    ResponsiblePerson,
    Role,
    RoundingMode,
    RoundingPolicy,
    RuleSpec,
    Scheme,
    Tenure,
    UndefinedRate,
    Unit,
    Value,
)

__all__ = [
    "Assessment",
    "Category",
    "CategoryWeights",
    "Count",
    "DataError",
    "DateValue",
    "Dimension",
    "Direction",
    "Duty",
    "DutyList",
    "EncodingError",
    "Evidence",
    "Flag",
    "FlagValue",
    "Grade",
    "GradeScale",
    "GradingPolicy",
    "Indicator",
    "InputError",
    "Level",
    "LookupFailed",
    "Measure",
    "NotApplicable",
    "NotSubmitted",
    "Observation",
    "Occurrences",
    "Period",
    "Rate",
    "ResponsiblePerson",
    "Role",
    "RoundingMode",
    "RoundingPolicy",
    "RuleSpec",
    "RulelawError",
    "Scheme",
    "SchemeError",
    "Tenure",
    "UndefinedRate",
    "Unit",
    "ValidationError",
    "Value",
    "__version__",
    "demo_path",
    "dump",
    "dump_scheme",
    "load",
    "load_scheme",
    "validate",
]
