"""Evidence: observed values of each measure, observations, and values that fit a rule."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from rulelaw.errors import InputError
from rulelaw.model import (
    EXACT,
    Count,
    DateValue,
    Direction,
    Flag,
    FlagValue,
    Indicator,
    Measure,
    NotApplicable,
    NotSubmitted,
    Observation,
    ObservedValue,
    Occurrences,
    OverdueProblem,
    OverdueProblems,
    Period,
    Rate,
    UndefinedRate,
    Value,
    count_of,
)
from rulelaw.rules import KindContract, RuleKind
from rulelaw.rules.kinds import (
    Bands,
    Compliance,
    CountTarget,
    Deadline,
    Deduction,
    EmptyDenominator,
    GivenScore,
)
from rulelaw.testing._common import (
    OCCURRENCE_KINDS,
    SOURCES,
    TYPED_MEASURES,
    dates,
    hundredths,
    ids,
    near,
    part_of,
    reasons,
    shifted,
)

__all__ = ["observations", "observed_values", "rates"]


@st.composite
def _rates_from_counts(draw: st.DrawFn) -> Rate:
    denominator = draw(st.integers(1, 500))
    return Rate(numerator=draw(st.integers(0, denominator)), denominator=denominator)


def _percent_rates() -> SearchStrategy[Rate]:
    return st.integers(0, 10000).map(lambda n: Rate.from_percent(hundredths(n)))


def rates() -> SearchStrategy[Rate | UndefinedRate]:
    """Rates from counts (``91`` of ``99``), as percentages (``97.5``), and 0-of-0 rates.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(rates())
    ... def test_bounded(rate):
    ...     assert isinstance(rate, UndefinedRate) or 0 <= rate.fraction <= 1
    >>> test_bounded()

    """
    return st.one_of(_rates_from_counts(), _percent_rates(), st.just(UndefinedRate()))


def _flags(amounts: SearchStrategy[Decimal | None] | None = None) -> SearchStrategy[Flag]:
    """Yes / no flags with or without a reason; *partly* ones with a reason and ``amounts``."""
    plain = st.builds(
        lambda value, reason: Flag(value=value, reason=reason),
        st.sampled_from((FlagValue.YES, FlagValue.NO)),
        reasons(),
    )
    partly = st.builds(
        lambda reason, amount: Flag(value=FlagValue.PARTLY, reason=reason, amount=amount),
        reasons(required=True),
        st.none() if amounts is None else amounts,
    )
    return plain | partly


def _overdue() -> SearchStrategy[OverdueProblems]:
    item = st.builds(
        OverdueProblem,
        problem=st.sampled_from(("Q-01", "Q-02", "Q-03", "Q-04")),
        deadline=dates(),
        days=st.integers(1, 400),
    )
    return st.lists(item, max_size=4, unique_by=lambda p: p.problem).map(
        lambda items: OverdueProblems(items=items)
    )


def measure_values(measure: Measure) -> SearchStrategy[ObservedValue]:
    """Observed values of ``measure``, not fitted to any rule."""
    if measure is Measure.RATE:
        return rates()
    if measure is Measure.COUNT:
        return st.integers(0, 1000).map(lambda n: Count(value=n))
    if measure is Measure.VALUE:
        return st.decimals(min_value=-100, max_value=1000, places=2).map(lambda d: Value(value=d))
    if measure is Measure.FLAG:
        return _flags()
    if measure is Measure.OCCURRENCES:
        return _occurrences(dates())
    if measure is Measure.PROBLEMS:
        return _overdue()
    return dates().map(lambda day: DateValue(date=day))


def observed_values(
    measure: Measure | None = None, *, states: bool = True
) -> SearchStrategy[ObservedValue]:
    """Values an observation of ``measure`` holds, and (unless ``states=False``) explicit states.

    Parameters
    ----------
    measure:
        The measure of the indicator observed; any measure if ``None``.
    states:
        Whether :class:`NotApplicable` and :class:`NotSubmitted` may come too.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(observed_values(Measure.COUNT, states=False))
    ... def test_count(value): assert value.value >= 0
    >>> test_count()

    """
    if measure is None:
        values = st.sampled_from(TYPED_MEASURES).flatmap(measure_values)
    else:
        values = measure_values(measure)
    if not states:
        return values
    explicit = st.one_of(
        reasons().map(lambda reason: NotApplicable(reason=reason)),
        reasons().map(lambda reason: NotSubmitted(reason=reason)),
    )
    return values | explicit


def node_ids(depth: int) -> SearchStrategy[str]:
    """Invented ids of tree nodes ``depth`` levels deep, such as ``2.1.3``."""
    return st.lists(st.integers(1, 9), min_size=depth, max_size=depth).map(
        lambda parts: ".".join(map(str, parts))
    )


@st.composite
def _observations(
    draw: st.DrawFn,
    unit: str | None,
    indicator: str | None,
    measure: Measure | None,
    states: bool,
) -> Observation:
    return Observation(
        unit=unit if unit is not None else draw(ids(prefix="unit")),
        indicator=indicator if indicator is not None else draw(node_ids(depth=3)),
        value=draw(observed_values(measure, states=states)),
        source=draw(st.sampled_from(SOURCES)),
        date=draw(st.none() | dates()),
    )


def observations(
    unit: str | None = None,
    indicator: str | None = None,
    measure: Measure | None = None,
    *,
    states: bool = True,
) -> SearchStrategy[Observation]:
    """Observations of one unit on one indicator, with a source and date or none.

    Parameters
    ----------
    unit:
        The unit id; invented if ``None``.
    indicator:
        The indicator id; an invented id such as ``2.1.3`` if ``None``.
    measure:
        The measure whose values are observed; any if ``None``.
    states:
        Whether the value may be :class:`NotApplicable` or :class:`NotSubmitted`.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(observations(unit="unit-001", measure=Measure.RATE))
    ... def test_unit(obs): assert obs.accepted_by(Measure.RATE)
    >>> test_unit()

    """
    return _observations(unit, indicator, measure, states)


# -- values that fit a rule -------------------------------------------------------------

_HUNDREDTH = Decimal("0.01")


@attrs.frozen(eq=False)
class Fit:
    """The values a rule scores, and the one they shrink to (``best``: the rule's full points).

    ``best`` is what ``values`` draws at its simplest, so that a unit whose
    evidence shrinks to it reads as *a perfect record*; ``None`` when no
    simplest value is known to suit the rule (a kind's ``check_value``
    refuses it).
    """

    values: SearchStrategy[ObservedValue]
    best: ObservedValue | None


def _wrapped(best: int, low: int, high: int) -> SearchStrategy[int]:
    """Whole numbers from ``low`` to ``high`` (``best`` among them), shrinking to ``best``."""
    size = high - low + 1
    return st.integers(0, size - 1).map(lambda n: low + (best - low + n) % size)


def _best_in_bands(
    rule: Bands, low: Decimal | None, high: Decimal | None, grid: Decimal = _HUNDREDTH
) -> Decimal:
    """A number on the ``grid``, within ``low … high``, in the band with the most points.

    Tried: 0, each band's ends, a step either side of them and the middle of
    each band; the one nearest 0 wins a tie.
    """
    candidates: set[Decimal] = {Decimal(0)}
    for band in rule.bands:
        for end in (band.min, band.max):
            if end is not None:
                candidates.update((end, EXACT.subtract(end, 1), EXACT.add(end, 1)))
        if band.min is not None and band.max is not None:
            candidates.add(EXACT.divide(EXACT.add(band.min, band.max), 2))
    best, most = Decimal(0), Fraction(-1)
    for raw in sorted(candidates, key=lambda c: (abs(c), c)):
        x = raw.quantize(grid, rounding=ROUND_CEILING, context=EXACT)
        if (low is not None and x < low) or (high is not None and x > high):
            continue
        # the first band holding a value scores it, as the rule does
        holder = next((b for b in rule.bands if b.contains(Fraction(x))), None)
        if holder is not None and Fraction(holder.points) > most:
            best, most = x, Fraction(holder.points)
    return best


def _rate_fit(indicator: Indicator, rule: RuleKind) -> Fit:
    higher = indicator.direction is Direction.HIGHER_IS_BETTER
    if isinstance(rule, Bands):
        best = _best_in_bands(rule, Decimal(0), Decimal(100))
    else:
        best = Decimal(100) if higher else Decimal(0)
    percent = _wrapped(count_of(best, 2), 0, 10000).map(lambda n: Rate.from_percent(hundredths(n)))

    @st.composite
    def counts(draw: st.DrawFn) -> Rate:
        denominator = draw(st.integers(1, 500))
        short = draw(st.integers(0, denominator))  # of the best: all met, or none when lower
        numerator = denominator - short if higher else short
        return Rate(numerator=numerator, denominator=denominator)

    branches: list[SearchStrategy[Any]] = [percent, counts()]
    if getattr(rule, "empty", None) is not EmptyDenominator.ERROR:
        branches.append(st.just(UndefinedRate()))
    return Fit(values=st.one_of(branches), best=Rate.from_percent(best))


def _count_fit(indicator: Indicator, rule: RuleKind) -> Fit:
    if isinstance(rule, CountTarget):
        best = rule.target
    elif isinstance(rule, Bands):
        best = int(_best_in_bands(rule, Decimal(0), None, grid=Decimal(1)))
    else:
        best = 0
    top = max(2 * best, 50)
    return Fit(values=_wrapped(best, 0, top).map(lambda n: Count(value=n)), best=Count(value=best))


def _value_fit(indicator: Indicator, rule: RuleKind) -> Fit:
    if isinstance(rule, GivenScore):
        # a given score on its scale: out_of, then less and less of it
        out_of = rule.out_of
        values = st.integers(0, 100).map(lambda n: Value(value=part_of(out_of, Decimal(0), n)))
        return Fit(values=values, best=Value(value=out_of))
    best = _best_in_bands(rule, None, None) if isinstance(rule, Bands) else Decimal(0)
    at = count_of(best, 2)
    steps = _wrapped(at, min(at, -10000), max(at, 100000))  # −100 … 1000, and the best
    return Fit(values=steps.map(lambda n: Value(value=hundredths(n))), best=Value(value=best))


def _flag_fit(indicator: Indicator, rule: RuleKind) -> Fit:
    amounts: SearchStrategy[Decimal | None] = st.none()
    if isinstance(rule, Compliance):
        low, top = rule.partly_min, rule.max if rule.partly_max is None else rule.partly_max
        amounts = st.none() | st.integers(0, 100).map(lambda n: part_of(low, top, n))
    return Fit(values=_flags(amounts), best=Flag(value=FlagValue.YES))


def _occurrences(
    days: SearchStrategy[Any], kinds: tuple[str, ...] | None = None
) -> SearchStrategy[Occurrences]:
    """Lists of up to four ``days``; each of one of ``kinds``, or (``None``) mostly of none.

    Without ``kinds``, one list in four names kinds (of the invented
    :data:`OCCURRENCE_KINDS`, or none for some occurrences).
    """
    plain = st.lists(days, max_size=4).map(lambda ds: Occurrences(dates=ds))
    if kinds is None:
        named = st.lists(st.tuples(days, st.sampled_from(("", *OCCURRENCE_KINDS))), max_size=4)
        return st.one_of(plain, plain, plain, named.map(_of_pairs))
    return st.lists(st.tuples(days, st.sampled_from(kinds)), max_size=4).map(_of_pairs)


def _of_pairs(pairs: list[tuple[Any, str]]) -> Occurrences:
    return Occurrences(dates=[day for day, _ in pairs], kinds=[kind for _, kind in pairs])


def _occurrences_fit(rule: RuleKind, period: Period) -> Fit:
    # mostly within the period; now and then after it (not counted); of the kinds the
    # rule prices when it prices kinds, else of none
    later = st.integers(1, 60).map(lambda n: shifted(period.end, n))
    prices = rule.prices if isinstance(rule, Deduction) else None
    kinds = ("",) if prices is None else tuple(sorted(prices))
    return Fit(values=_occurrences(dates(within=period) | later, kinds), best=Occurrences())


def _date_fit(rule: RuleKind, period: Period) -> Fit:
    # near the due day (on time at the simplest), or near the period's end
    due = rule.due if isinstance(rule, Deadline) else period.end
    values = near(due, 30, 60).map(lambda day: DateValue(date=day))
    return Fit(values=values, best=DateValue(date=shifted(due, 0)))


def _accepted(rule: RuleKind, contract: KindContract, fit: Fit) -> Fit:
    """The fit, keeping only values the rule's ``check_value`` (if it has one) accepts."""
    if not contract.checks_values:
        return fit

    def accepted(value: ObservedValue) -> bool:
        try:
            contract.check_value(rule, value)
        except InputError:
            return False
        return True

    best = fit.best if fit.best is not None and accepted(fit.best) else None
    return Fit(values=fit.values.filter(accepted), best=best)


def fitting_values(
    indicator: Indicator, rule: RuleKind, period: Period, contract: KindContract
) -> Fit:
    """Observed values of the indicator's measure that its compiled ``rule`` scores.

    Each is accepted by the rule's ``check_value`` and scored without an
    :class:`~rulelaw.errors.EvaluationError` by the built-in kinds: a given
    score on its scale, a *partly* amount within its range, no 0-of-0 rate
    where ``empty = "error"``. They shrink to the rule's full points where
    it is known (a rate of 100%, or 0% when lower is better; a count at its
    target; a given score of ``out_of``; the best band; yes; no occurrence;
    done on the due day), else to zero.
    """
    measure = indicator.measure
    if measure is Measure.RATE:
        fit = _rate_fit(indicator, rule)
    elif measure is Measure.COUNT:
        fit = _count_fit(indicator, rule)
    elif measure is Measure.VALUE:
        fit = _value_fit(indicator, rule)
    elif measure is Measure.FLAG:
        fit = _flag_fit(indicator, rule)
    elif measure is Measure.OCCURRENCES:
        fit = _occurrences_fit(rule, period)
    elif measure is Measure.DATE:
        fit = _date_fit(rule, period)
    else:
        fit = Fit(values=_overdue(), best=OverdueProblems())
    return _accepted(rule, contract, fit)
