"""An assessment folder: ``scheme.toml`` plus CSV files for the roster and the evidence.

========================  ========  =============================================
file                      needed    columns
========================  ========  =============================================
``scheme.toml``           yes       see the scheme file reference
``units.csv``             yes       id, name, level, category, [parent], [any…]
``people.csv``            no        id, name, [any…]
``tenures.csv``           no        person, unit, role, start, [end]
``evidence.csv``          yes       unit, indicator, [status], [value],
                                    [numerator], [denominator], [reason],
                                    [dates], [source], [date]
``adjustments.csv``       no        unit, item, [achievement], [level], [date],
                                    [reason], [source]
``reports.csv``           no        id, person, unit, date, forms, [signed],
                                    [duties], [panel]
``ballots.csv``           no        report, group, rater, value
``problems.csv``          no        id, unit, source, found, deadline,
                                    description, [person], [measures]
``problem_status.csv``    no        problem, status, date, [reason]
``filings.csv``           no        unit, [submitted], [published], [sections]
========================  ========  =============================================

Extra columns of ``units.csv`` and ``people.csv`` become attributes.
Loading checks everything and reports every problem at once; files are only
ever opened for reading.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FILES"]

SCHEME_FILE = "scheme.toml"
UNITS_FILE = "units.csv"
PEOPLE_FILE = "people.csv"
TENURES_FILE = "tenures.csv"
EVIDENCE_FILE = "evidence.csv"
ADJUSTMENTS_FILE = "adjustments.csv"
REPORTS_FILE = "reports.csv"
BALLOTS_FILE = "ballots.csv"
PROBLEMS_FILE = "problems.csv"
STATUS_FILE = "problem_status.csv"
FILINGS_FILE = "filings.csv"
SURVEY_FILE = "survey.csv"

UNIT_COLUMNS = ("id", "name", "level", "category")
UNIT_OPTIONAL = ("parent", "not_graded")
PERSON_COLUMNS = ("id", "name")
# the columns that are fields; any other column of units.csv or people.csv is an attribute
_UNIT_FIELDS = frozenset((*UNIT_COLUMNS, *UNIT_OPTIONAL))
_PERSON_FIELDS = frozenset(PERSON_COLUMNS)
TENURE_COLUMNS = ("person", "unit", "role", "start")
TENURE_OPTIONAL = ("end",)
EVIDENCE_COLUMNS = ("unit", "indicator")
EVIDENCE_OPTIONAL = (
    "status",
    "value",
    "numerator",
    "denominator",
    "reason",
    "dates",
    "source",
    "date",
    "amount",
)

ADJUSTMENT_COLUMNS = ("unit", "item")
ADJUSTMENT_OPTIONAL = ("achievement", "level", "date", "reason", "source")

REPORT_COLUMNS = ("id", "person", "unit", "date", "forms")
REPORT_OPTIONAL = ("signed", "duties", "panel")
BALLOT_COLUMNS = ("report", "group", "rater", "value")
PROBLEM_COLUMNS = ("id", "unit", "source", "found", "deadline", "description")
PROBLEM_OPTIONAL = ("person", "measures")
STATUS_COLUMNS = ("problem", "status", "date")
STATUS_OPTIONAL = ("reason",)
FILING_COLUMNS = ("unit",)
FILING_OPTIONAL = ("submitted", "published", "sections")
SURVEY_COLUMNS = ("survey", "unit", "respondent", "answer")

#: The files of an assessment folder and whether each must be present.
FILES: Mapping[str, bool] = {
    SCHEME_FILE: True,
    UNITS_FILE: True,
    PEOPLE_FILE: False,
    TENURES_FILE: False,
    EVIDENCE_FILE: True,
    ADJUSTMENTS_FILE: False,
    REPORTS_FILE: False,
    BALLOTS_FILE: False,
    PROBLEMS_FILE: False,
    STATUS_FILE: False,
    FILINGS_FILE: False,
    SURVEY_FILE: False,
}
