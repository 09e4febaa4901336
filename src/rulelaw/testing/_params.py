"""Valid parameters of the ten built-in rule kinds: one strategy per kind.

The same strategies give the rules of generated schemes (:func:`rule_specs`,
and through it ``indicators`` and ``schemes``) and the cases of
:func:`~rulelaw.testing.check_rule_kind` for the built-in kinds, so the two
cannot drift apart. Every table they draw

- is accepted by the kind and by its ``check`` for an indicator of the given
  direction (a ``rate-target`` floor lies on the losing side of its target);
- lets every value of the kind's measures be scored: ``bands`` cover the
  whole number line, and ``empty = "error"`` (a rate of 0 of 0 is then an
  evaluation error) comes only when asked for with ``errors=True``;
- favours the better side of the direction: ``bands`` give at least as many
  points to a better value as to a worse one;
- survives a trip through a TOML file unchanged: whole numbers, short exact
  decimals, texts and dates; ``max`` is left out (the default 100) or one of
  a few whole maxima, and every other amount is a share of it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from rulelaw.model import Direction, Measure, RuleSpec
from rulelaw.testing._common import EARLIEST, LATEST, OCCURRENCE_KINDS, TYPED_MEASURES

__all__ = ["rule_params", "rule_specs"]

# Whole maxima: a rule's points are shown rounded to the scheme's places, and
# with 0 places a rule out of 2.5 would show 3 of 2.5 (exact points are right).
_MAXIMA: tuple[Decimal, ...] = (
    Decimal(100),
    Decimal(10),
    Decimal(5),
    Decimal(4),
    Decimal(1000),
)
_LABELS = ("优秀", "良好", "合格", "不合格")


def _halves(low: int, high: int) -> SearchStrategy[Decimal]:
    """Whole or half points from ``low`` to ``high``."""
    return st.integers(low * 2, high * 2).map(lambda n: Decimal(n) / 2)


@st.composite
def _with_max(draw: st.DrawFn) -> dict[str, Any]:
    """Either no ``max`` (the default 100) or one of a few maxima."""
    return {"max": draw(st.sampled_from(_MAXIMA))} if draw(st.booleans()) else {}


def _max_of(params: Mapping[str, Any]) -> Decimal:
    return Decimal(params.get("max", 100))


@st.composite
def _empty(draw: st.DrawFn, errors: bool) -> dict[str, Any]:
    """No ``empty`` policy (the default ``not-applicable``), or one of them.

    ``error`` only with ``errors``: it makes a rate of 0 of 0 an evaluation error.
    """
    policies = ["not-applicable", "full", "zero", *(["error"] if errors else [])]
    return {"empty": draw(st.sampled_from(policies))} if draw(st.booleans()) else {}


@st.composite
def _rate_target(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    # The target lies where a good rate is (high, or low when lower is better),
    # and the floor on the losing side of it: below when higher is better
    # (学法考试参考率), above when lower is better (纠错率).
    params = {**draw(_with_max()), **draw(_empty(errors))}
    higher = direction is Direction.HIGHER_IS_BETTER
    target = draw(st.integers(50, 100) if higher else st.integers(0, 50))
    params["target"] = target
    if draw(st.booleans()):
        params["per_point"] = draw(_halves(1, 20))
    elif higher:
        params["floor"] = draw(st.integers(0, target - 1))
    else:
        params["floor"] = draw(st.integers(target + 1, 100))
    return params


@st.composite
def _bands(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    # Bands over the whole number line, so that they cover every measure's
    # values: (−∞, c1), [c1, c2) … [cn, +∞); at each cut one side is closed
    # and sometimes both (the first band then wins the cut point). Points
    # follow the direction: a better value never scores less.
    params = {**draw(_with_max()), **draw(_empty(errors))}
    full = _max_of(params)
    cuts = sorted(draw(st.lists(st.integers(-20, 120), min_size=1, max_size=3, unique=True)))
    size = len(cuts) + 1
    quarters = sorted(draw(st.lists(st.integers(0, 4), min_size=size, max_size=size)))
    if direction is Direction.LOWER_IS_BETTER:
        quarters.reverse()
    bands: list[dict[str, Any]] = []
    for index, quarter in enumerate(quarters):
        band: dict[str, Any] = {"points": full * quarter / 4}
        if index > 0:
            band["min"] = cuts[index - 1]
        if index < len(cuts):
            band["max"] = cuts[index]
        if draw(st.booleans()):
            band["label"] = draw(st.sampled_from(_LABELS))
        bands.append(band)
    for left, right in itertools.pairwise(bands):
        closed = draw(st.sampled_from(("left", "right", "both")))
        if closed in ("left", "both"):
            left["max_inclusive"] = True
        if closed == "left":
            right["min_inclusive"] = False
    params["bands"] = bands
    return params


@st.composite
def _compliance(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    params = draw(_with_max())
    full = _max_of(params)
    eighths = sorted(draw(st.lists(st.integers(0, 8), min_size=3, max_size=3)))
    low, middle, high = (full * n / 8 for n in eighths)
    if draw(st.booleans()):
        # an assessed amount of a partial finding must lie in this range
        params["partly_min"], params["partly_max"] = low, high
    if draw(st.booleans()):
        params["partly"] = middle
    return params


@st.composite
def _count_target(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    params = {**draw(_with_max()), "target": draw(st.integers(1, 50))}
    if draw(st.booleans()):
        # points lost per one short: up to a whole max (one short then scores zero)
        params["per_missing"] = _max_of(params) * draw(st.integers(1, 8)) / 8
    return params


@st.composite
def _deduction(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    params = draw(_with_max())
    full = _max_of(params)
    if draw(st.booleans()):
        params["per"] = full * draw(st.integers(1, 8)) / 8
    else:
        # a price per kind of occurrence (未按时报送扣0.5分，未报送扣1分), one pool
        kinds = draw(
            st.lists(st.sampled_from(OCCURRENCE_KINDS), min_size=1, max_size=3, unique=True)
        )
        params["prices"] = {kind: full * draw(st.integers(1, 8)) / 8 for kind in kinds}
    if draw(st.booleans()):
        params["cap"] = full * draw(st.integers(1, 12)) / 8
    return params


@st.composite
def _deadline(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    params = {**draw(_with_max()), "due": draw(st.dates(min_value=EARLIEST, max_value=LATEST))}
    if draw(st.booleans()):
        params["per_day"] = draw(_halves(1, 10))
    else:
        params["late"] = _max_of(params) * draw(st.integers(0, 4)) / 4
    return params


@st.composite
def _peers(draw: st.DrawFn) -> dict[str, Any]:
    """No ``peers`` (the category, the default), or one of the scopes."""
    return (
        {"peers": draw(st.sampled_from(("category", "peer-group")))} if draw(st.booleans()) else {}
    )


@st.composite
def _relative(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    params = {**draw(_with_max()), **draw(_empty(errors)), **draw(_peers())}
    if draw(st.booleans()):
        params["method"] = draw(st.sampled_from(("proportional", "rank")))
    return params


@st.composite
def _normalised(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    # Every method, with the parameters it takes: amounts in points are shares of max,
    # goalposts and targets values of a rate, count or value (−20 … 120 covers them).
    params = {**draw(_with_max()), **draw(_empty(errors)), **draw(_peers())}
    full = _max_of(params)
    method = draw(st.sampled_from(("minmax", "zscore", "goalposts", "rank", "dist2targ")))
    if method != "minmax" or draw(st.booleans()):
        params["method"] = method
    if method == "minmax":
        low, high = sorted(draw(st.lists(st.integers(0, 8), min_size=2, max_size=2, unique=True)))
        if draw(st.booleans()):
            params["lowest"] = full * low / 8
        if draw(st.booleans()):  # above lowest, given or 0; the default is max
            params["highest"] = full * high / 8
    elif method == "zscore":
        params["mean"] = full * draw(st.integers(0, 8)) / 8
        params["sd"] = full * draw(st.integers(1, 8)) / 16
    elif method == "goalposts":
        lower, upper = sorted(
            draw(st.lists(st.integers(-20, 120), min_size=2, max_size=2, unique=True))
        )
        params["lower"], params["upper"] = lower, upper
    elif method == "rank":
        if draw(st.booleans()):
            params["ties"] = draw(st.sampled_from(("min", "max")))
    else:
        params["target"] = draw(st.integers(-20, 120))
    if method in ("goalposts", "dist2targ"):
        if draw(st.booleans()):
            params["scale"] = full * draw(st.integers(1, 8)) / 8
        if draw(st.booleans()):
            params["uncapped"] = draw(st.booleans())
    return params


@st.composite
def _given_score(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    params = draw(_with_max())
    if draw(st.booleans()):
        params["out_of"] = draw(st.sampled_from((Decimal(5), Decimal(10), Decimal("7.5"), 100)))
    return params


@st.composite
def _overdue_problems(draw: st.DrawFn, direction: Direction, errors: bool) -> dict[str, Any]:
    params = draw(_with_max())
    params["per"] = draw(st.sampled_from((1, 5, Decimal("2.5"), 25)))
    if draw(st.booleans()):
        params["cap"] = draw(st.sampled_from((5, 10, 50)))
    if draw(st.booleans()):
        params["min_days"] = draw(st.integers(1, 30))
    return params


_ParamsFor = Callable[[Direction, bool], SearchStrategy[dict[str, Any]]]

#: The parameter strategy of each built-in kind, by its name without ``rulelaw.``.
BUILTIN_PARAMS: Mapping[str, _ParamsFor] = {
    "rate-target": _rate_target,
    "bands": _bands,
    "compliance": _compliance,
    "count-target": _count_target,
    "deduction": _deduction,
    "deadline": _deadline,
    "relative": _relative,
    "given-score": _given_score,
    "overdue-problems": _overdue_problems,
    "normalised": _normalised,
}

#: The built-in kinds that score each measure, the most usual first.
KINDS_BY_MEASURE: Mapping[Measure, tuple[str, ...]] = {
    Measure.RATE: ("rate-target", "bands", "relative", "normalised"),
    Measure.FLAG: ("compliance",),
    Measure.COUNT: ("count-target", "bands", "relative", "normalised"),
    Measure.OCCURRENCES: ("deduction",),
    Measure.DATE: ("deadline",),
    Measure.VALUE: ("given-score", "relative", "bands", "normalised"),
    Measure.PROBLEMS: ("overdue-problems",),
}


def _short(kind: str) -> str:
    return kind.removeprefix("rulelaw.")


def rule_params(
    kind: str,
    direction: Direction = Direction.HIGHER_IS_BETTER,
    *,
    errors: bool = False,
) -> SearchStrategy[dict[str, Any]]:
    """Valid parameter tables of a built-in rule kind, as a scheme's ``rule = {…}`` writes them.

    ``rate-target`` {target, floor or per_point, empty}; ``bands`` {bands
    covering the whole number line, empty}; ``compliance`` {partly,
    partly_min, partly_max}; ``count-target`` {target, per_missing};
    ``deduction`` {per or prices (a price per kind of occurrence, the kinds
    from a few invented words such as ``late`` and 未报送), cap};
    ``deadline`` {due, per_day or late}; ``relative`` {method, peers, empty};
    ``given-score`` {out_of}; ``overdue-problems`` {per, cap, min_days};
    ``normalised`` {method and its parameters, peers, empty}; each
    sometimes with a ``max`` of its own (amounts are shares of it). Numbers
    are whole or short exact decimals and dates are days, so a table
    survives a trip through a TOML file unchanged.

    Parameters
    ----------
    kind:
        The kind's name, with or without ``rulelaw.`` (``"rate-target"``).
    direction:
        The direction of the indicator the rule scores: a ``rate-target``
        floor lies below its target when higher is better and above it when
        lower is better, and ``bands`` give a better value at least as many
        points as a worse one.
    errors:
        Whether a table may make some values an evaluation error: with
        ``True``, ``empty = "error"`` may come (a rate of 0 of 0 then raises
        :class:`~rulelaw.errors.EvaluationError`). Without, every value of the
        kind's measures scores.

    Raises
    ------
    ValueError
        ``kind`` is not a built-in kind.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(rule_params("rate-target", Direction.LOWER_IS_BETTER))
    ... def test_floor_above(params):
    ...     assert "per_point" in params or params["floor"] > params["target"]
    >>> test_floor_above()

    """
    params_for = BUILTIN_PARAMS.get(_short(kind))
    if params_for is None:
        known = ", ".join(sorted(BUILTIN_PARAMS))
        raise ValueError(f"{kind!r} is not a built-in rule kind (one of {known})")
    return params_for(direction, errors)


@st.composite
def draw_rule_spec(draw: st.DrawFn, measure: Measure, direction: Direction | None) -> RuleSpec:
    kind = draw(st.sampled_from(KINDS_BY_MEASURE[measure]))
    if direction is None:
        direction = draw(st.sampled_from(Direction))
    return RuleSpec(kind=kind, params=draw(rule_params(kind, direction)))


def rule_specs(
    measure: Measure | None = None, direction: Direction | None = None
) -> SearchStrategy[RuleSpec]:
    """Rule specifications of a built-in kind that fits ``measure``, with valid parameters.

    rate → ``rate-target``, ``bands``, ``relative`` or ``normalised``; flag →
    ``compliance``; count → ``count-target``, ``bands``, ``relative`` or
    ``normalised``; occurrences → ``deduction``; date → ``deadline``; value →
    ``given-score``, ``relative``, ``bands`` or ``normalised``; problems →
    ``overdue-problems``. The kind is named without ``rulelaw.``; its
    parameters come from :func:`rule_params`, so every value of the measure
    scores and the table survives a trip through a TOML file unchanged.

    Parameters
    ----------
    measure:
        The measure of the indicator the rule scores; any typed-in measure
        (not ``problems``) if ``None``.
    direction:
        The indicator's direction; a ``rate-target`` floor lies below the
        target when higher is better and above it when lower is better.
        Either if ``None``.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(rule_specs(Measure.FLAG))
    ... def test_flag(rule): assert rule.kind == "compliance"
    >>> test_flag()

    """
    if measure is None:
        return st.sampled_from(TYPED_MEASURES).flatmap(lambda m: draw_rule_spec(m, direction))
    return draw_rule_spec(measure, direction)
