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

import inspect
import re
from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points
from typing import Any, TypeVar

import attrs
import cattrs

from rulelaw.convert import structure
from rulelaw.errors import RegistrationError, SchemeError, ValidationError
from rulelaw.model import Indicator, Measure, RuleSpec
from rulelaw.rules._protocol import RuleKind

__all__ = ["ENTRY_POINT_GROUP", "Registry"]

ENTRY_POINT_GROUP = "rulelaw.rule_kinds"
BUILTIN_PREFIX = "rulelaw."
_NAME = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$")

K = TypeVar("K", bound=type[Any])


def _describe(cls: object) -> str:
    return f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', repr(cls))}"


class Registry:
    """Rule kinds by name.

    Example::

        registry = Registry()            # empty
        registry = default_registry()    # the built-in kinds
        registry.register(MyKind)        # checked now; raises RegistrationError
    """

    def __init__(self, kinds: Iterable[type[Any]] = ()) -> None:
        self._kinds: dict[str, type[Any]] = {}
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
        return new

    def register(self, kind: K) -> K:
        """Add a rule kind class, after checking it; returns it (usable as a decorator).

        Raises :class:`~rulelaw.errors.RegistrationError` naming the class when
        the name is not dotted or already taken, the class is not a frozen
        attrs class, ``measures`` is missing or empty, ``score`` does not take
        ``(self, value, context)``, the optional ``score_batch`` is there
        (not ``None``) but does not take ``(self, values, context)``, or the
        optional ``indicator_fields`` is not a frozenset of ``Indicator`` field names.
        """
        who = _describe(kind)
        if not isinstance(kind, type) or not attrs.has(kind):
            raise RegistrationError(f"rule kind {who} must be an attrs class")
        if not attrs.inspect(kind).is_frozen:
            raise RegistrationError(
                f"rule kind {who} must be frozen (use @attrs.frozen): rules are values"
            )
        name = getattr(kind, "name", None)
        if not isinstance(name, str) or not _NAME.match(name):
            raise RegistrationError(
                f"rule kind {who} needs a dotted lower-case class attribute 'name' such as "
                f"'acme.survey-score' (got {name!r})"
            )
        if name in self._kinds and self._kinds[name] is not kind:
            raise RegistrationError(
                f"rule kind name {name!r} of {who} is already taken by "
                f"{_describe(self._kinds[name])}"
            )
        measures = getattr(kind, "measures", None)
        if (
            not isinstance(measures, frozenset)
            or not measures
            or not all(isinstance(m, Measure) for m in measures)
        ):
            raise RegistrationError(
                f"rule kind {who} needs a class attribute 'measures': a non-empty frozenset "
                f"of rulelaw.Measure (got {measures!r})"
            )
        if "max" not in attrs.fields_dict(kind):
            raise RegistrationError(f"rule kind {who} needs a field 'max' (its full points)")
        score = getattr(kind, "score", None)
        if not callable(score):
            raise RegistrationError(f"rule kind {who} needs a method score(self, value, context)")
        params = list(inspect.signature(score).parameters)
        if params != ["self", "value", "context"]:
            raise RegistrationError(
                f"rule kind {who}: score must have the signature (self, value, context), "
                f"got ({', '.join(params)})"
            )
        batch = getattr(kind, "score_batch", None)  # optional; None opts out of an inherited one
        if batch is not None:
            if not callable(batch):
                raise RegistrationError(
                    f"rule kind {who}: score_batch must be a method "
                    f"score_batch(self, values, context) (got {batch!r})"
                )
            params = list(inspect.signature(batch).parameters)
            if params != ["self", "values", "context"]:
                raise RegistrationError(
                    f"rule kind {who}: score_batch must have the signature "
                    f"(self, values, context), got ({', '.join(params)})"
                )
        fields = getattr(kind, "indicator_fields", None)  # optional; None: the whole indicator
        known = attrs.fields_dict(Indicator)
        if fields is not None and (
            not isinstance(fields, frozenset)
            or not all(isinstance(f, str) and f in known for f in fields)
        ):
            raise RegistrationError(
                f"rule kind {who}: indicator_fields must be a frozenset of Indicator field "
                f"names ({', '.join(sorted(known))}), or None; got {fields!r}"
            )
        self._kinds[name] = kind
        return kind  # type: ignore[return-value]  # attrs.has() narrows K away

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
                    f"entry point {point.name!r} = {point.value!r} in group {group!r} "
                    f"could not be loaded: {type(exc).__name__}: {exc}"
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
            known = ", ".join(repr(n) for n in sorted(self._kinds)) or "none registered"
            raise SchemeError(
                f"unknown rule kind {name!r}", where="kind", expected=f"one of {known}"
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
            accepted = ", ".join(sorted(m.value for m in kind.measures))
            raise SchemeError(
                f"rule kind {kind.name!r} cannot score a {indicator.measure.value} measure",
                where="kind",
                expected=f"an indicator measuring {accepted}",
            )
        rule: RuleKind = structure(converter, dict(spec.params), kind)
        check = getattr(rule, "check", None)
        if check is not None:
            check(indicator)
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
