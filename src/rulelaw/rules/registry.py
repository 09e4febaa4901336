"""A registry of rule kinds: an instance you create, fill and pass to the engine.

Registration is checked when it happens (as in pluggy): the name must be
dotted and unique, the class a frozen attrs class with the
:class:`~rulelaw.rules.RuleKind` members and a ``score(self, value, context)``
method (and, if it has one, a ``score_batch(self, values, context)`` method).
Third-party kinds arrive through the entry-point group
``rulelaw.rule_kinds``, loaded only when :meth:`Registry.load_entry_points`
is called.

A scheme names a kind by its full name, or — for built-ins — without the
``rulelaw.`` prefix (``kind = "rate-target"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points
from typing import Any, TypeVar

import cattrs

from rulelaw.convert import structure
from rulelaw.errors import LookupFailed, RegistrationError, SchemeError, ValidationError
from rulelaw.messages import Catalogue, Message, builtin_catalogue
from rulelaw.model import Indicator, RuleSpec
from rulelaw.rules._contract import KindContract, describe
from rulelaw.rules._protocol import RuleKind
from rulelaw.rules.kinds.rates import measure_name

__all__ = ["ENTRY_POINT_GROUP", "Registry"]

ENTRY_POINT_GROUP = "rulelaw.rule_kinds"
BUILTIN_PREFIX = "rulelaw."

K = TypeVar("K", bound=type[Any])


_describe = describe


class Registry:
    """Rule kinds by name.

    Example::

        registry = Registry()            # empty
        registry = default_registry()    # the built-in kinds
        registry.register(MyKind)        # checked now; raises RegistrationError
    """

    def __init__(self, kinds: Iterable[type[Any]] = ()) -> None:
        self._kinds: dict[str, type[Any]] = {}
        self._contracts: dict[type[Any], KindContract] = {}
        for kind in kinds:
            self.register(kind)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._resolve(name) in self._kinds

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._kinds))

    def __len__(self) -> int:
        return len(self._kinds)

    def copy(self) -> Registry:
        """A new registry holding the same kinds (to extend without touching this one)."""
        new = Registry()
        new._kinds = dict(self._kinds)
        new._contracts = dict(self._contracts)
        return new

    def catalogue(self) -> Catalogue:
        """Rulelaw's message catalogue with the templates of every kind registered here."""
        found = builtin_catalogue()
        for contract in self._contracts.values():
            if contract.messages:
                found = found.merged(contract.messages)
        return found

    def contract(self, rule: object) -> KindContract:
        """What the kind of ``rule`` (a compiled rule, or a kind class) offers of the contract.

        Raises :class:`~rulelaw.errors.LookupFailed` for a kind this registry
        does not hold.
        """
        kind = rule if isinstance(rule, type) else type(rule)
        try:
            return self._contracts[kind]
        except KeyError:
            raise LookupFailed("registered rule kind", _describe(kind), self._kinds) from None

    def register(self, kind: K) -> K:
        """Add a rule kind class, after checking it; returns it (usable as a decorator).

        Raises :class:`~rulelaw.errors.RegistrationError` naming the class when
        the name is not dotted or already taken, the class is not a frozen
        attrs class, ``measures`` is missing or empty, ``score`` does not take
        ``(self, value, context)``, the optional ``score_batch`` is there
        (not ``None``) but does not take ``(self, values, context)``, or the
        optional ``indicator_fields`` is not a frozenset of ``Indicator`` field names.
        """
        contract = KindContract.of(kind)  # every member checked, the class named if refused
        name = contract.name
        if name in self._kinds and self._kinds[name] is not kind:
            raise RegistrationError(
                Message.of(
                    "rule.name-taken",
                    name=name,
                    kind=_describe(kind),
                    other=_describe(self._kinds[name]),
                ),
                kind=kind,
            )
        self._contracts[kind] = contract
        self._kinds[name] = kind
        return kind

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> list[str]:
        """Register the kinds published by installed packages under ``group``.

        Returns the names registered, sorted. A package's entry point names a
        rule kind class (``acme.survey = "acme_rules:SurveyScore"``).
        """
        added = []
        for point in sorted(entry_points(group=group), key=lambda p: p.name):
            try:
                kind = point.load()
            except Exception as exc:
                raise RegistrationError(
                    Message.of(
                        "rule.entry-point-failed",
                        name=point.name,
                        value=point.value,
                        group=group,
                        error=f"{type(exc).__name__}: {exc}",
                    )
                ) from exc
            self.register(kind)
            added.append(kind.name)
        return sorted(added)

    def _resolve(self, name: str) -> str:
        if "." not in name:
            return BUILTIN_PREFIX + name
        return name

    def get(self, name: str) -> type[Any]:
        """The kind class for a name (built-ins may be named without ``rulelaw.``)."""
        try:
            return self._kinds[self._resolve(name)]
        except KeyError:
            known = tuple(Message.of("rule.kind-name", name=n) for n in sorted(self._kinds))
            raise SchemeError(
                Message.of("rule.unknown-kind", name=name),
                where="kind",
                expected=Message.of("rule.expected-kinds", kinds=known)
                if known
                else Message.of("rule.expected-no-kinds"),
            ) from None

    def compile(
        self, spec: RuleSpec, indicator: Indicator, converter: cattrs.Converter
    ) -> RuleKind:
        """Turn a rule as written in a scheme into a rule-kind value, checking its parameters.

        Raises :class:`~rulelaw.errors.ValidationError` whose errors carry key
        paths relative to the rule (``$.floor``).
        """
        kind = self.get(spec.kind)
        if indicator.measure not in kind.measures:
            accepted = tuple(measure_name(m) for m in sorted(kind.measures, key=lambda m: m.value))
            raise SchemeError(
                Message.of(
                    "rule.cannot-score", kind=kind.name, measure=measure_name(indicator.measure)
                ),
                where="kind",
                expected=Message.of("rule.expected-measures", measures=accepted),
            )
        rule: RuleKind = structure(converter, dict(spec.params), kind)
        self._contracts[kind].check(rule, indicator)
        return rule

    def compile_each(
        self, indicators: Iterable[Indicator], converter: cattrs.Converter
    ) -> tuple[dict[str, RuleKind], list[SchemeError]]:
        """Compile every indicator's rule; return the rules that compiled and the problems.

        Problems carry key paths such as ``$.indicators[3].rule.floor``.
        """
        rules: dict[str, RuleKind] = {}
        problems: list[SchemeError] = []
        for index, indicator in enumerate(indicators):
            prefix = f"$.indicators[{index}].rule"
            try:
                rules.setdefault(indicator.id, self.compile(indicator.rule, indicator, converter))
            except ValidationError as exc:
                problems.extend(
                    e.located(prefix=prefix, as_type=SchemeError)  # type: ignore[misc]
                    for e in exc.errors
                )
            except SchemeError as exc:
                problems.append(exc.located(prefix=prefix))  # type: ignore[arg-type]
        return rules, problems

    def compile_scheme(
        self, indicators: Iterable[Indicator], converter: cattrs.Converter
    ) -> dict[str, RuleKind]:
        """Compile every indicator's rule; one ValidationError lists every bad rule.

        Errors carry key paths such as ``$.indicators[3].rule.floor``.
        """
        rules, problems = self.compile_each(indicators, converter)
        if problems:
            raise ValidationError(problems)
        return rules
