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

:func:`assessments` draws assessments under a scheme of your own — every
draw builds and evaluates, with law reports, ballots, problems and filings
where the scheme reads them — so a property can test next year's change::

    import rulelaw
    from rulelaw.testing import assessments

    @given(assessments(rulelaw.load("my-folder").scheme))
    def test_totals_add_up(assessment):
        for unit in rulelaw.evaluate(assessment).units:
            ...

:func:`check_rule_kind` runs a rule kind — yours or a built-in one — through
the rule-kind contract: deterministic, points within bounds, a reason always,
parameters that survive the converter, bad parameters refused::

    from rulelaw.testing import check_rule_kind

    def test_my_kind():
        check_rule_kind(MyKind, params=st.just({"good": 90, "fair": 60}))

:func:`check_paths_agree` proves that the fast ways of loading, scoring and
writing give what the reference ways give, on any assessment or folder::

    from rulelaw.testing import check_paths_agree

    def test_our_folder_scores_alike_both_ways():
        check_paths_agree("assessments/2024")
"""

from rulelaw.testing._changes import (
    assert_no_grade_moves,
    assert_ranks_within,
    assert_totals_within,
    assert_unchanged,
)
from rulelaw.testing._paths import check_paths_agree
from rulelaw.testing.conformance import check_rule_kind
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
    rule_params,
    rule_specs,
    schemes,
    scoring_policies,
    tenures,
    units,
)

__all__ = [
    "adjustment_items",
    "assert_no_grade_moves",
    "assert_ranks_within",
    "assert_totals_within",
    "assert_unchanged",
    "assessments",
    "categories",
    "check_paths_agree",
    "check_rule_kind",
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
