"""The rule-kind contract: what a kind must have, what it may have, checked once, when registered.

A rule kind **must** have a dotted ``name``, the ``measures`` it scores, a
``max`` field and ``score(self, value, context)``. It **may** have, each
with the default :class:`~rulelaw.rules.RuleBase` declares (a kind not built
on ``RuleBase`` gets the same defaults):

==========================  ===============  ===============================================
member                      default          meaning
==========================  ===============  ===============================================
``contract``                ``1``            the contract version the kind was written for
``needs_peers``             ``False``        ``context.peers`` is filled with the peer group
``indicator_fields``        ``None``         the ``Indicator`` fields an outcome reads
                                             (``None``: the whole indicator)
``score_batch``             (none)           ``score_batch(self, values, context)``:
                                             many values at once, as :class:`Outcomes`
                                             (``None`` in its place opts out of an
                                             inherited one)
``check_value``             (accepts all)    ``check_value(self, value)``: refuse an
                                             observed value at its row when loading
``check``                   (accepts all)    ``check(self, indicator)``: refuse parameters
                                             that do not suit the indicator
``false_penalty``           ``0``            a field: points off the total for false evidence
``peers`` (contract 2)      ``"category"``   a field of a kind that needs peers: whose values
                                             fill ``context.peers`` (:class:`PeerScope`)
==========================  ===============  ===============================================

:meth:`KindContract.of` reads a class once, checks every member it finds
(types and signatures), and keeps what it found; the engine and the loader
then use the :class:`KindContract` (``registry.contract(rule)``) and never
probe a kind for members. The contract can grow: a new optional member comes
with a new :data:`CONTRACT_VERSION`, and a kind declares the version it was
written for, so kinds published for an older version keep working and a
kind written for a newer one is refused with a clear message. Contract 2
added the ``peers`` field; a kind declaring contract 1 keeps its own field of
that name, which the engine then never reads.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from rulelaw.errors import RegistrationError
from rulelaw.messages import LANGUAGES, Message
from rulelaw.model import Indicator, Measure, ObservedValue
from rulelaw.rules._protocol import BatchContext, Outcomes, PeerScope, RuleBase

__all__ = ["CONTRACT_VERSION", "KindContract"]

#: The version of the rule-kind contract this rulelaw implements.
CONTRACT_VERSION = 2

_NAME = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$")
_ZERO = Decimal(0)


def describe(cls: object) -> str:
    """A class as ``module.Qualname``, for messages."""
    return f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', repr(cls))}"


@attrs.frozen(kw_only=True)
class KindContract:
    """What a rule kind offers of the contract, as registration found and checked it.

    ``batches``, ``checks_values`` and ``checks_indicators`` say which optional
    methods the kind has; call them through :meth:`score_batch`,
    :meth:`check_value` and :meth:`check`.
    """

    kind: type[Any]
    name: str
    measures: frozenset[Measure]
    version: int
    needs_peers: bool
    indicator_fields: frozenset[str] | None
    batches: bool
    checks_values: bool
    checks_indicators: bool
    has_false_penalty: bool
    #: whether the rule's ``peers`` field says whose values are its peers (contract 2)
    has_peer_scope: bool = False
    #: the kind's own message templates (code → language → template), for its reasons
    messages: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    @classmethod
    def of(cls, kind: object) -> KindContract:
        """Read and check a rule kind class; raise :class:`RegistrationError` naming it."""
        who = describe(kind)

        def refuse(said: str, /, **params: object) -> RegistrationError:
            # (Message, not Message.of: a parameter may be named "code")
            return RegistrationError(Message(said, (("kind", who), *params.items())), kind=kind)

        if not isinstance(kind, type) or not attrs.has(kind):
            raise refuse("rule.not-attrs")
        if not attrs.inspect(kind).is_frozen:
            raise refuse("rule.not-frozen")
        name = getattr(kind, "name", None)
        if not isinstance(name, str) or not _NAME.match(name):
            raise refuse("rule.bad-name", got=repr(name))
        measures = getattr(kind, "measures", None)
        if (
            not isinstance(measures, frozenset)
            or not measures
            or not all(isinstance(m, Measure) for m in measures)
        ):
            raise refuse("rule.bad-measures", got=repr(measures))
        fields = attrs.fields_dict(kind)
        if "max" not in fields:
            raise refuse("rule.no-max")
        _method(kind, "score", ("self", "value", "context"), refuse, required=True)
        version = getattr(kind, "contract", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise refuse("rule.bad-contract", got=repr(version))
        if version > CONTRACT_VERSION:
            raise refuse("rule.newer-contract", version=version, implemented=CONTRACT_VERSION)
        needs_peers = getattr(kind, "needs_peers", False)
        if not isinstance(needs_peers, bool):
            raise refuse("rule.bad-needs-peers", got=repr(needs_peers))
        indicator_fields = getattr(kind, "indicator_fields", None)
        known = attrs.fields_dict(Indicator)
        if indicator_fields is not None and (
            not isinstance(indicator_fields, frozenset)
            or not all(isinstance(f, str) and f in known for f in indicator_fields)
        ):
            raise refuse(
                "rule.bad-indicator-fields", known=tuple(sorted(known)), got=repr(indicator_fields)
            )
        batches = _method(kind, "score_batch", ("self", "values", "context"), refuse)
        checks_values = _method(kind, "check_value", ("self", "value"), refuse)
        checks_indicators = _method(kind, "check", ("self", "indicator"), refuse)
        return cls(
            kind=kind,
            name=name,
            measures=measures,
            version=version,
            needs_peers=needs_peers,
            indicator_fields=indicator_fields,
            batches=batches,
            checks_values=checks_values,
            checks_indicators=checks_indicators,
            has_false_penalty="false_penalty" in fields,
            has_peer_scope=needs_peers and version >= 2 and "peers" in fields,
            messages=_messages(kind, name, refuse),
        )

    def score_batch(
        self, rule: object, values: Sequence[ObservedValue], context: BatchContext
    ) -> object:
        """``rule.score_batch(values, context)`` (what it returns is the engine's to check)."""
        batch: Callable[[Sequence[ObservedValue], BatchContext], Outcomes]
        batch = rule.score_batch  # type: ignore[attr-defined]  # present: ``batches``
        return batch(values, context)

    def check_value(self, rule: object, value: ObservedValue) -> None:
        """``rule.check_value(value)`` when the kind checks values; nothing otherwise."""
        if self.checks_values:
            rule.check_value(value)  # type: ignore[attr-defined]

    def check(self, rule: object, indicator: Indicator) -> None:
        """``rule.check(indicator)`` when the kind checks indicators; nothing otherwise."""
        if self.checks_indicators:
            rule.check(indicator)  # type: ignore[attr-defined]

    def peer_scope(self, rule: object) -> PeerScope:
        """Whose values are the rule's peers: its ``peers`` field (contract 2), else the category.

        Raises :class:`ValueError` for a ``peers`` that is not a :class:`PeerScope` value.
        """
        if not self.has_peer_scope:
            return PeerScope.CATEGORY
        return PeerScope(rule.peers)  # type: ignore[attr-defined]

    def false_penalty(self, rule: object) -> Decimal:
        """The rule's ``false_penalty`` parameter (0 for a kind without one)."""
        if not self.has_false_penalty:
            return _ZERO
        penalty: Decimal = rule.false_penalty  # type: ignore[attr-defined]
        return penalty


def _messages(
    kind: type[Any], name: str, refuse: Callable[..., RegistrationError]
) -> Mapping[str, Mapping[str, str]]:
    """A kind's ``messages``: templates of codes in its own namespace, in every language."""
    found = getattr(kind, "messages", None)
    if found is None:
        return {}
    namespace = name.split(".", 1)[0] + "."
    if not isinstance(found, Mapping) or not all(
        isinstance(code, str) and isinstance(by_lang, Mapping) for code, by_lang in found.items()
    ):
        raise refuse("rule.bad-messages", got=repr(found))
    for code, by_lang in found.items():
        if not code.startswith(namespace):
            raise refuse("rule.message-outside-namespace", code=code, namespace=namespace)
        missing = [lang for lang in LANGUAGES if not isinstance(by_lang.get(lang), str)]
        if missing:
            raise refuse("rule.message-without-language", code=code, languages=tuple(missing))
    return {code: dict(by_lang) for code, by_lang in found.items()}


def _method(
    kind: type[Any],
    name: str,
    params: tuple[str, ...],
    refuse: Callable[..., RegistrationError],
    *,
    required: bool = False,
) -> bool:
    """Whether ``kind`` has the method ``name`` (beyond RuleBase's default), with ``params``.

    ``None`` in its place is no method (a subclass opting out of an inherited one).
    """
    method = getattr(kind, name, None)
    if method is None or method is getattr(RuleBase, name, None):
        if required:
            raise refuse("rule.no-method", method=name, params=params)
        return False
    if not callable(method):
        raise refuse("rule.not-a-method", method=name, params=params, got=repr(method))
    found = tuple(inspect.signature(method).parameters)
    if found != params:
        raise refuse("rule.bad-signature", method=name, params=params, found=found)
    return True
