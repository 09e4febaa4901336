"""Judging values: each indicator's rule applied to the observed values, checked and remembered.

A :class:`Scorer` turns an observed value of an indicator into a
:class:`Verdict` (points on the rule's own scale, the reason, the band, the
status) through the indicator's compiled rule, checks what the rule returned
(an :class:`~rulelaw.rules.Outcome` in ``0 … max`` with a reason; a batch of
them, of the right length), and remembers verdicts so that a value seen
before is not judged again: per indicator and value, shared between
indicators whose rules are equal (:func:`families`), and per peer group for
rules that read their peers (:class:`Peers`). Both ways of scoring use it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import pendulum

from rulelaw.engine._adjust import AdjustmentLine
from rulelaw.engine._aggregate import allot, contribution
from rulelaw.engine._plan import CategoryPlan
from rulelaw.engine._results import IndicatorResult, Status
from rulelaw.engine._texts import shown
from rulelaw.errors import EvaluationError
from rulelaw.messages import Message
from rulelaw.model import (
    Assessment,
    Falsified,
    Indicator,
    NotApplicable,
    NotSubmitted,
    NotSubmittedPolicy,
    Observation,
    ObservedValue,
    Scheme,
    Unit,
)
from rulelaw.model.evidence import STATES
from rulelaw.rules import (
    NO_PEERS,
    BatchContext,
    KindContract,
    Outcome,
    Outcomes,
    PeerGroup,
    PeerScope,
    RuleContext,
    RuleKind,
)

__all__ = ["BadBatch", "Peers", "Scorer", "Verdict", "families", "observe"]


def _outside(points: Fraction, top: Fraction) -> bool:
    """Whether ``points`` lie outside ``0 … top``."""
    numerator = points.numerator
    return numerator < 0 or numerator * top.denominator > top.numerator * points.denominator


def _no_text(reason: object) -> bool:
    """Whether a reason is missing: not a string, or blank."""
    return not isinstance(reason, str) or not reason.strip()


def _check_outcome(
    outcome: Outcome, rule: RuleKind, top: Fraction, unit: Unit, indicator: Indicator
) -> None:
    """Refuse what is not an Outcome with ``0 <= points <= top`` (the rule's max) and a reason."""
    if not isinstance(outcome, Outcome):
        raise EvaluationError(
            Message.of(
                "evaluate.not-an-outcome",
                kind=rule.name,
                returned=repr(outcome),
                unit=unit.id,
                indicator=indicator.id,
            ),
            kind=rule.name,
            unit=unit.id,
            indicator=indicator.id,
        )
    points, reason, band = outcome.points, outcome.reason, outcome.band
    if _outside(points, top) or _no_text(reason):
        text = isinstance(reason, str)  # else the reason is shown as Python writes it
        raise EvaluationError(
            Message.of(
                "evaluate.points-out-of-range" if text else "evaluate.points-out-of-range-not-text",
                kind=rule.name,
                unit=unit.id,
                indicator=indicator.id,
                points=str(points),
                max=rule.max,
                reason=reason if text else repr(reason),
            ),
            kind=rule.name,
            unit=unit.id,
            indicator=indicator.id,
        )
    if band is not None and not isinstance(band, str):
        raise EvaluationError(
            Message.of(
                "evaluate.bad-band",
                kind=rule.name,
                unit=unit.id,
                indicator=indicator.id,
                band=repr(band),
            ),
            kind=rule.name,
            unit=unit.id,
            indicator=indicator.id,
        )


class BadBatch(Exception):
    """What is wrong with what a ``score_batch`` returned (then scored value by value).

    Its one argument is the :class:`~rulelaw.messages.Message` saying what.
    """

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


def _check_outcomes(outcomes: object, top: Fraction, values: Sequence[ObservedValue]) -> Outcomes:
    """The outcomes, checked: :class:`Outcomes` of one per value in ``0 … top``, with texts."""
    if not isinstance(outcomes, Outcomes):
        raise BadBatch(Message.of("evaluate.batch-not-outcomes", type=type(outcomes).__name__))
    if len(outcomes) != len(values):
        raise BadBatch(
            Message.of("evaluate.batch-wrong-length", outcomes=len(outcomes), values=len(values))
        )
    # points: each distinct object once (rules share them), then the first culprit
    if any(_outside(p, top) for p in {id(p): p for p in outcomes.points}.values()):
        i = next(i for i, p in enumerate(outcomes.points) if _outside(p, top))
        raise BadBatch(
            Message.of(
                "evaluate.batch-points-out-of-range",
                index=i,
                observed=values[i].describe(),
                points=str(outcomes.points[i]),
                max=shown(top),
            )
        )
    for i, reason in enumerate(outcomes.reasons):
        if _no_text(reason):
            raise BadBatch(
                Message.of(
                    "evaluate.batch-no-reason",
                    index=i,
                    observed=values[i].describe(),
                    reason=repr(reason),
                )
            )
    for i, band in enumerate(outcomes.bands or ()):
        if band is not None and not isinstance(band, str):
            raise BadBatch(
                Message.of(
                    "evaluate.batch-bad-band",
                    index=i,
                    observed=values[i].describe(),
                    band=repr(band),
                )
            )
    return outcomes


def _verdict(
    points: Fraction, reason: str, band: str | None, applicable: bool, observed: str
) -> Verdict:
    """The verdict of what a rule made of a value: scored, or left out as not applicable."""
    if applicable:
        return Verdict(points, True, Status.SCORED, reason, observed, band)
    return Verdict(None, False, Status.NOT_APPLICABLE, reason, observed, band)


def observe(
    assessment: Assessment,
    derived: Mapping[tuple[str, str], Observation],
    unit: str,
    indicator: str,
) -> Observation:
    """The observation of an indicator for a unit: derived (reports, ledger, filings) or given."""
    found = derived.get((unit, indicator))
    return found if found is not None else assessment.evidence.get(unit, indicator)


class Peers:
    """Observed values of one indicator across a peer group, built once when a rule needs them.

    A rule's peers are the units of the unit's category, or, for a rule whose
    ``peers`` field says ``peer-group`` (contract 2), of the unit's grading
    peer group (``grading.peer_group``) among the categories the indicator
    applies to. :meth:`key` names a unit's group.
    """

    def __init__(
        self,
        assessment: Assessment,
        contracts: Mapping[str, KindContract],
        derived: Mapping[tuple[str, str], Observation],
        rules: Mapping[str, RuleKind],
    ) -> None:
        self._assessment = assessment
        self._derived = derived
        self._needs = {i for i, c in contracts.items() if c.needs_peers}
        self._by_group = {
            i
            for i in self._needs
            if contracts[i].peer_scope(rules[i]) is PeerScope.PEER_GROUP
            and assessment.scheme.grading.peer_group != "category"
        }
        self._grouping = assessment.scheme.grading.peer_group
        self._cache: dict[tuple[str, Hashable], PeerGroup] = {}

    def share(self, indicator: str, category: str, group: PeerGroup) -> None:
        """Use ``group`` as the peers of ``indicator`` in ``category`` (read from columns).

        Only for a rule whose peers are its category's units.
        """
        if indicator in self._needs and indicator not in self._by_group:
            self._cache[(indicator, category)] = group

    def needed(self, indicator: str) -> bool:
        return indicator in self._needs

    def by_category(self, indicator: str) -> bool:
        """Whether the peers of ``indicator`` are the units of one category."""
        return indicator not in self._by_group

    def key(self, indicator: str, unit: Unit) -> Hashable:
        """The name of ``unit``'s peer group for ``indicator``: its category, or its peer key."""
        if indicator in self._by_group:
            return ("peer-group", unit.peer_key(self._grouping))
        return unit.category

    def of(self, indicator: str, unit: Unit) -> PeerGroup:
        """The peers of ``unit`` for ``indicator`` (none unless its rule needs them)."""
        if indicator not in self._needs:
            return NO_PEERS
        key = (indicator, self.key(indicator, unit))
        if key not in self._cache:
            if indicator in self._by_group:
                applies = self._assessment.scheme.indicator(indicator).applies_to
                mine = unit.peer_key(self._grouping)
                members: Sequence[Unit] = [
                    u
                    for u in self._assessment.units
                    if applies(u.category) and u.peer_key(self._grouping) == mine
                ]
            else:
                members = self._assessment.units_in(unit.category)
            values: dict[str, ObservedValue] = {}
            for member in members:
                value = observe(self._assessment, self._derived, member.id, indicator).value
                if not isinstance(value, NotApplicable | NotSubmitted | Falsified):
                    values[member.id] = value
            self._cache[key] = PeerGroup(values)
        return self._cache[key]


_ZERO = Fraction(0)


class Verdict(NamedTuple):
    """What one observed value of one indicator comes to, before weights.

    ``points`` is on the rule's scale, ``None`` when the indicator is left out;
    ``penalty`` the adjustment line for evidence marked false, if any.
    """

    points: Fraction | None
    active: bool
    status: str
    reason: str
    observed: str
    band: str | None = None
    penalty: tuple[Fraction, AdjustmentLine] | None = None

    @property
    def present(self) -> bool:
        """Whether the indicator has data, for the data threshold: scored, or marked false."""
        return self.status in (Status.SCORED, Status.FALSIFIED)

    def line(
        self,
        plan: CategoryPlan,
        indicator: Indicator,
        rule: RuleKind,
        numbers: tuple[Decimal | None, Decimal, Decimal],
        source: str,
    ) -> IndicatorResult:
        """The unit's line for this verdict; ``numbers``: rule points, worth and points shown."""
        rule_points, worth, points = numbers
        return IndicatorResult(
            indicator=indicator.id,
            title=indicator.title,
            dimension=indicator.parent,
            kind=rule.name,
            status=self.status,
            observed=self.observed,
            rule_points=rule_points,
            rule_max=rule.max,
            weight=plan.shown_weight[indicator.id],
            effective_weight=worth,
            points=points,
            reason=self.reason,
            band=self.band,
            source=source,
        )


class Scorer:
    """Scores observations, remembering verdicts and result lines for repeated inputs.

    A rule that does not look at its peers depends only on the value, the
    indicator and the evaluation date (the same for the whole evaluation), so
    ``(indicator, value)`` identifies its outcome. Indicators whose rules are
    equal and declare which of the indicator's fields they read
    (``indicator_fields``), with those fields equal, form a family: a value's
    verdict is shared by the family.
    """

    def __init__(
        self,
        rules: Mapping[str, RuleKind],
        contracts: Mapping[str, KindContract],
        peers: Peers,
        scheme: Scheme,
        as_of: pendulum.Date,
        derived: Mapping[tuple[str, str], Observation],
    ) -> None:
        self.rules = rules
        self.contracts = contracts
        self.peers = peers
        self.derived = derived
        self.period = scheme.period
        self.as_of = as_of
        self._verdicts: dict[tuple[str, Hashable], Verdict] = {}
        self._family = families(rules, contracts, scheme)
        self._shared: dict[tuple[int, Hashable], Verdict] = {}
        self._results: dict[
            tuple[str, int, int, str], tuple[Verdict, IndicatorResult, Fraction]
        ] = {}
        #: the indicators' rounding (their points, worth and rule points); ``levels`` the scheme's
        self.rounding = scheme.rounding.level("indicator")
        self.levels = scheme.rounding
        self.missing_is_zero = scheme.scoring.not_submitted is NotSubmittedPolicy.ZERO
        self.max_of = {i: Fraction(r.max) for i, r in rules.items()}
        self._allotments: dict[tuple[str, frozenset[str]], Mapping[str, Fraction]] = {}

    def allotment(
        self, plan: CategoryPlan, active: frozenset[str], scale: Fraction
    ) -> Mapping[str, Fraction]:
        """What each node is worth when only ``active`` leaves count (cached per pattern)."""
        key = (plan.category.id, active)
        found = self._allotments.get(key)
        if found is None:
            found = self._allotments[key] = allot(plan, active, scale)
        return found

    def score(self, unit: Unit, indicator: Indicator, value: ObservedValue) -> Outcome:
        """The rule's outcome for an observed value (not an explicit state)."""
        rule = self.rules[indicator.id]
        context = RuleContext(
            unit=unit,
            indicator=indicator,
            as_of=self.as_of,
            period=self.period,
            peers=self.peers.of(indicator.id, unit),
        )
        try:
            outcome = rule.score(value, context)
        except EvaluationError as exc:  # the kind's own error, placed
            raise exc.at(kind=rule.name, unit=unit.id, indicator=indicator.id) from exc
        _check_outcome(outcome, rule, self.max_of[indicator.id], unit, indicator)
        return outcome

    def verdict(self, unit: Unit, indicator: Indicator, value: ObservedValue) -> Verdict:
        """What one value of one indicator comes to, remembered unless the rule reads peers."""
        return self.verdicts(indicator, (unit,), (value,))[0]

    def verdicts(
        self,
        indicator: Indicator,
        holders: Sequence[Unit],
        values: Sequence[ObservedValue],
        keys: Sequence[Hashable] | None = None,
    ) -> list[Verdict]:
        """What each of ``values`` of ``indicator`` comes to; ``holders[i]`` holds ``values[i]``.

        A verdict is remembered per value (or per ``keys[i]``, which must stand
        for one value) unless the rule reads peers: then a value's verdict
        depends on the holder's peer group. Values not seen before are scored
        in one batch when the kind has ``score_batch``. The holder is named in
        errors.
        """
        leaf = indicator.id
        if self.peers.needed(leaf):  # each peer group apart, nothing remembered
            by_group: dict[Hashable, list[int]] = {}
            for i, unit in enumerate(holders):
                by_group.setdefault(self.peers.key(leaf, unit), []).append(i)
            in_groups: list[Verdict | None] = [None] * len(values)
            for at in by_group.values():
                judged = self._judge_all(
                    indicator,
                    [holders[i] for i in at],
                    [values[i] for i in at],
                    self.peers.of(leaf, holders[at[0]]),
                )
                for i, judged_verdict in zip(at, judged, strict=True):
                    in_groups[i] = judged_verdict
            return in_groups  # type: ignore[return-value]  # every None was filled
        remembered = self._verdicts
        keys = values if keys is None else keys
        found: list[Verdict | None] = []
        new: dict[Hashable, int] = {}  # key → the first position holding it
        for i, key in enumerate(keys):
            verdict = remembered.get((leaf, key))
            if verdict is None and key not in new:
                new[key] = i
            found.append(verdict)
        if not new:
            return found  # type: ignore[return-value]  # every verdict was remembered
        family = self._family.get(leaf)
        if family is not None:  # judged already for another indicator of the family
            shared = self._shared
            for key in [key for key in new if (family, key) in shared]:
                remembered[(leaf, key)] = shared[(family, key)]
                del new[key]
        if new:
            firsts = list(new.values())
            judged = self._judge_all(
                indicator, [holders[i] for i in firsts], [values[i] for i in firsts]
            )
            for key, new_verdict in zip(new, judged, strict=True):
                remembered[(leaf, key)] = new_verdict
                if family is not None and new_verdict.penalty is None:  # a penalty names the leaf
                    self._shared[(family, key)] = new_verdict
        for i, known in enumerate(found):
            if known is None:
                found[i] = remembered[(leaf, keys[i])]
        return found  # type: ignore[return-value]  # every None was filled

    def _judge_all(
        self,
        indicator: Indicator,
        holders: Sequence[Unit],
        values: Sequence[ObservedValue],
        peers: PeerGroup = NO_PEERS,
    ) -> list[Verdict]:
        """Judge each value, the scored ones in one batch when the kind has ``score_batch``.

        ``peers``: the holders' peer group, for a kind that reads it.
        """
        rule = self.rules[indicator.id]
        contract = self.contracts[indicator.id]
        scored = [i for i, value in enumerate(values) if not isinstance(value, STATES)]
        if not contract.batches or len(scored) < 2:
            return [self._judge(u, indicator, v) for u, v in zip(holders, values, strict=True)]
        found = [
            self._judge(u, indicator, v) if isinstance(v, STATES) else None
            for u, v in zip(holders, values, strict=True)
        ]
        batch_values = [values[i] for i in scored]
        context = BatchContext(
            indicator=indicator, as_of=self.as_of, period=self.period, peers=peers
        )
        try:
            returned = contract.score_batch(rule, batch_values, context)
            outcomes = _check_outcomes(returned, self.max_of[indicator.id], batch_values)
        except Exception as exc:  # value by value: the error then names the unit
            for i in scored:
                self._judge(holders[i], indicator, values[i])
            cause = (
                exc.message
                if isinstance(exc, BadBatch)
                else Message.of("evaluate.exception", type=type(exc).__name__, error=str(exc))
            )
            raise EvaluationError(
                Message.of(
                    "evaluate.batch-failed", kind=rule.name, indicator=indicator.id, cause=cause
                ),
                kind=rule.name,
                indicator=indicator.id,
            ) from exc
        bands = outcomes.bands or [None] * len(scored)
        applicable = outcomes.applicable or [True] * len(scored)
        for i, points, reason, band, counts in zip(
            scored, outcomes.points, outcomes.reasons, bands, applicable, strict=True
        ):
            found[i] = _verdict(points, reason, band, counts, values[i].describe())
        return found  # type: ignore[return-value]  # every None was filled

    def _judge(self, unit: Unit, indicator: Indicator, value: ObservedValue) -> Verdict:
        observed = value.describe()
        if isinstance(value, NotApplicable):
            return Verdict(
                None,
                False,
                Status.NOT_APPLICABLE,
                Message.of("state.not-applicable", observed=observed),
                observed,
            )
        if isinstance(value, Falsified):
            rule = self.rules[indicator.id]
            penalty = Fraction(self.contracts[indicator.id].false_penalty(rule))
            if not penalty:
                return Verdict(
                    Fraction(0),
                    True,
                    Status.FALSIFIED,
                    Message.of("state.falsified", observed=observed),
                    observed,
                )
            line = AdjustmentLine(
                "deduction",
                f"false-evidence:{indicator.id}",
                Message.of(
                    "state.false-evidence-deduction",
                    indicator=indicator.id,
                    title=indicator.title,
                    observed=observed,
                ),
            )
            return Verdict(
                Fraction(0),
                True,
                Status.FALSIFIED,
                Message.of("state.falsified-penalty", observed=observed, penalty=shown(penalty)),
                observed,
                penalty=(-penalty, line),
            )
        if isinstance(value, NotSubmitted):
            if self.missing_is_zero:
                return Verdict(
                    Fraction(0),
                    True,
                    Status.NOT_SUBMITTED,
                    Message.of("state.not-submitted-zero", observed=observed),
                    observed,
                )
            return Verdict(
                None,
                False,
                Status.NOT_SUBMITTED,
                Message.of("state.not-submitted-left-out", observed=observed),
                observed,
            )
        outcome = self.score(unit, indicator, value)
        return _verdict(outcome.points, outcome.reason, outcome.band, outcome.applicable, observed)

    def result(
        self,
        plan: CategoryPlan,
        indicator: Indicator,
        verdict: Verdict,
        effective: Mapping[str, Fraction],
        observation: Observation,
    ) -> tuple[IndicatorResult, Fraction]:
        """The indicator's line in a unit's result, and its exact contribution.

        Remembered per verdict, allotment and source: equal inputs give equal
        (immutable) lines.
        """
        key = (indicator.id, id(verdict), id(effective), observation.source)
        found = self._results.get(key)
        if found is not None and found[0] is verdict:
            return found[1], found[2]
        apply = self.rounding.apply
        worth = effective.get(indicator.id, _ZERO)
        points = verdict.points
        added = contribution(points, worth, self.max_of[indicator.id], self.rounding)
        line = verdict.line(
            plan,
            indicator,
            self.rules[indicator.id],
            (None if points is None else apply(points), apply(worth), apply(added)),
            observation.source,
        )
        # the verdict is kept in the entry so that its id cannot be reused by another
        self._results[key] = (verdict, line, added)
        return line, added


def families(
    rules: Mapping[str, RuleKind], contracts: Mapping[str, KindContract], scheme: Scheme
) -> dict[str, int]:
    """Indicator id → its family: indicators whose verdicts of a value are the same.

    A family is the indicators whose rules are equal and written alike, of a
    kind that names the indicator fields it reads (``indicator_fields``) and
    not reading peers, with those fields equal. Other indicators have none.
    Rules equal but written differently (``target = 95`` and ``95.0``: equal
    Decimals) are not one family: reasons show the parameters as written.
    """
    families: dict[Hashable, int] = {}
    found: dict[str, int] = {}
    for indicator in scheme.indicators:
        rule = rules.get(indicator.id)
        contract = contracts.get(indicator.id)
        if rule is None or contract is None or indicator.id in found or contract.needs_peers:
            continue
        fields = contract.indicator_fields
        if fields is None:
            continue
        key = (type(rule), rule, repr(rule), tuple(getattr(indicator, f) for f in sorted(fields)))
        try:
            found[indicator.id] = families.setdefault(key, len(families))
        except TypeError:  # a rule or field that cannot be a key: no family
            continue
    return found
