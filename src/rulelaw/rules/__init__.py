"""Rule kinds: the protocol, the registry, and the built-in kinds.

A rule kind is a frozen attrs class whose fields are its parameters and
whose ``score(value, context)`` returns an :class:`Outcome`; optionally its
``score_batch(values, context)`` scores many values at once, returning
:class:`Outcomes` (``context`` a :class:`BatchContext`). Kinds live on a
:class:`Registry` instance passed to the engine; :func:`default_registry`
returns a new one holding the built-in kinds.
"""

from rulelaw.rules._contract import CONTRACT_VERSION, KindContract
from rulelaw.rules._protocol import (
    NO_PEERS,
    BatchContext,
    Outcome,
    Outcomes,
    PeerGroup,
    PeerScope,
    RuleBase,
    RuleContext,
    RuleKind,
)
from rulelaw.rules.kinds import BUILTIN_KINDS as _BUILTIN_KINDS
from rulelaw.rules.registry import ENTRY_POINT_GROUP, Registry

__all__ = [
    "CONTRACT_VERSION",
    "ENTRY_POINT_GROUP",
    "NO_PEERS",
    "BatchContext",
    "KindContract",
    "Outcome",
    "Outcomes",
    "PeerGroup",
    "PeerScope",
    "Registry",
    "RuleBase",
    "RuleContext",
    "RuleKind",
    "default_registry",
]


def default_registry() -> Registry:
    """A new registry with the ten built-in kinds (a fresh instance each call)."""
    return Registry(_BUILTIN_KINDS)
