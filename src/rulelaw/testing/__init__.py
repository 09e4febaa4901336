"""Hypothesis strategies for every rulelaw domain value, for your own property tests.

This package needs `hypothesis <https://hypothesis.readthedocs.io>`_, which
the ``testing`` extra installs (``pip install "rulelaw[testing]"``);
``import rulelaw`` alone never imports it.

Every strategy produces only valid values — schemes whose weights add up,
assessments whose tenures do not overlap and whose evidence fits each
indicator's measure — so a property can test scoring rules rather than
input checks::

    from hypothesis import given
    from rulelaw.testing import schemes

    @given(schemes())
    def test_every_category_has_a_leaf(scheme):
        for category in scheme.categories:
            assert any(i.applies_to(category.id) for i in scheme.leaves())
"""

from rulelaw.testing.strategies import (
    adjustment_items,
    assessments,
    categories,
    dates,
    duties,
    duty_lists,
    grade_scales,
    ids,
    indicators,
    observations,
    observed_values,
    periods,
    rates,
    responsible_persons,
    roles,
    rounding_policies,
    rule_specs,
    schemes,
    scoring_policies,
    tenures,
    units,
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
    "rule_specs",
    "schemes",
    "scoring_policies",
    "tenures",
    "units",
]
