"""Hypothesis strategies for every rulelaw domain value.

Every strategy here produces only *valid* values: the model classes check
their invariants when they are built, and a strategy that produced an
invalid value would raise inside the test instead of exercising it. Sizes
are kept small so that a property runs its examples in a second or two.

Names of people and places are invented (青岚县, 林晓舟…); ids look like
``unit-017`` and ``p-042``. Points are whole or half points, so that every
sum of weights is exact.

The strategies live in private modules by what they draw — plain values
(``_common``), the roster (``_roster``), rule parameters (``_params``),
evidence (``_evidence``), scheme values (``_scheme``) and whole assessments
(``_assessment``); this module gathers them under one public name::

    from rulelaw.testing import strategies as rs

    @given(rs.assessments())
    def test_something(assessment): ...
"""

from __future__ import annotations

from rulelaw.testing._assessment import assessments
from rulelaw.testing._common import dates, ids, periods
from rulelaw.testing._evidence import observations, observed_values, rates
from rulelaw.testing._params import rule_params, rule_specs
from rulelaw.testing._roster import responsible_persons, roles, tenures, units
from rulelaw.testing._scheme import (
    adjustment_items,
    categories,
    duties,
    duty_lists,
    grade_scales,
    indicators,
    rounding_policies,
    schemes,
    scoring_policies,
)

__all__ = [
    "adjustment_items",
    "assessments",
    "categories",
    "dates",
    "duties",
    "duty_lists",
    "grade_scales",
    "ids",
    "indicators",
    "observations",
    "observed_values",
    "periods",
    "rates",
    "responsible_persons",
    "roles",
    "rounding_policies",
    "rule_params",
    "rule_specs",
    "schemes",
    "scoring_policies",
    "tenures",
    "units",
]
