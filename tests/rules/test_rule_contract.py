"""The rule-kind contract: every optional member declared, checked at registration, versioned."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

import rulelaw
from rulelaw import (
    Count,
    EvaluationError,
    Measure,
    Outcome,
    RegistrationError,
    RuleBase,
    RuleContext,
)
from rulelaw.rules import CONTRACT_VERSION, KindContract, default_registry


@attrs.frozen(kw_only=True)
class Plain(RuleBase):
    """Full points for any count: only the required members."""

    name: ClassVar[str] = "test.plain"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: Any, context: RuleContext) -> Outcome:
        """Always full."""
        return self.full("always")


@attrs.frozen(kw_only=True)
class Minimal:
    """A kind not built on RuleBase: it gets the contract's defaults."""

    name: ClassVar[str] = "test.minimal"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})
    max: Decimal = Decimal(100)

    def score(self, value: Any, context: RuleContext) -> Outcome:
        """Always full."""
        return Outcome.scored(self.max, "always")


def test_the_defaults_of_every_optional_member() -> None:
    """A kind with only the required members offers the documented defaults."""
    for kind in (Plain, Minimal):
        contract = KindContract.of(kind)
        assert (
            contract.version,
            contract.needs_peers,
            contract.indicator_fields,
            contract.batches,
            contract.checks_values,
            contract.checks_indicators,
        ) == (1, False, None, False, False, False)
    assert KindContract.of(Plain).false_penalty(Plain(false_penalty=Decimal(3))) == Decimal(3)
    assert KindContract.of(Minimal).false_penalty(Minimal()) == Decimal(0)


def test_the_built_in_kinds_declare_what_they_offer() -> None:
    """Relative and normalised read peers (scoped: contract 2), every built-in kind batches."""
    registry = default_registry()
    contracts = {name: registry.contract(registry.get(name)) for name in registry}
    assert contracts["rulelaw.relative"].needs_peers
    assert contracts["rulelaw.rate-target"].indicator_fields == frozenset({"direction"})
    assert all(c.batches for c in contracts.values())
    assert contracts["rulelaw.given-score"].checks_values
    assert contracts["rulelaw.bands"].checks_indicators
    peer_kinds = {"rulelaw.relative", "rulelaw.normalised"}
    assert {n for n, c in contracts.items() if c.needs_peers} == peer_kinds
    assert {n for n, c in contracts.items() if c.has_peer_scope} == peer_kinds
    assert {n for n, c in contracts.items() if c.version == CONTRACT_VERSION} == peer_kinds
    assert {c.version for n, c in contracts.items() if n not in peer_kinds} == {1}


def test_a_kind_written_for_a_newer_contract_is_refused() -> None:
    """``contract = 3`` on this rulelaw (contract 2): refused, saying what to do."""

    @attrs.frozen(kw_only=True)
    class Future(Plain):
        name: ClassVar[str] = "test.future"
        contract: ClassVar[int] = 3

    with pytest.raises(RegistrationError) as caught:
        default_registry().register(Future)
    assert str(caught.value).endswith(
        "was written for rule-kind contract 3, but this rulelaw implements contract 2: "
        "upgrade rulelaw to use it"
    )
    assert caught.value.kind is Future


@pytest.mark.parametrize(
    ("member", "value", "message"),
    [
        ("contract", 0, "declares contract 0; expected a whole number from 1"),
        ("contract", True, "declares contract True; expected a whole number from 1"),
        ("needs_peers", "yes", "declares needs_peers = 'yes'; expected True or False"),
    ],
)
def test_optional_members_of_the_wrong_type_are_refused(
    member: str, value: object, message: str
) -> None:
    """Each optional member is type-checked when the kind registers."""
    kind = attrs.frozen(kw_only=True)(
        type("Odd", (Plain,), {"name": "test.odd", member: value, "__annotations__": {}})
    )
    with pytest.raises(RegistrationError, match=message):
        default_registry().register(kind)


def test_optional_methods_with_the_wrong_signature_are_refused() -> None:
    """``check_value(self)`` is refused at registration, naming the signature it needs."""

    @attrs.frozen(kw_only=True)
    class BadCheck(Plain):
        name: ClassVar[str] = "test.bad-check"

        def check_value(self) -> None:  # type: ignore[override]
            """Checks nothing, and takes no value."""

    with pytest.raises(
        RegistrationError,
        match=r"BadCheck: check_value must have the signature \(self, value\), got \(self\)",
    ):
        default_registry().register(BadCheck)


def test_contract_of_a_kind_the_registry_does_not_hold() -> None:
    """Asking for an unregistered kind's contract is a LookupFailed."""
    with pytest.raises(rulelaw.LookupFailed, match="no registered rule kind"):
        default_registry().contract(Plain)


def test_registration_error_carries_the_class_and_pickles() -> None:
    """``RegistrationError.kind`` is the class refused; it survives a pickle round trip."""

    @attrs.define(kw_only=True)
    class Loose:
        name: ClassVar[str] = "test.loose"
        measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})
        max: Decimal = Decimal(100)

        def score(self, value: Any, context: RuleContext) -> Outcome:
            return Outcome.scored(self.max, "always")

    with pytest.raises(RegistrationError) as caught:
        default_registry().register(Loose)
    assert caught.value.kind is Loose
    assert "must be frozen" in str(caught.value)
    again = pickle.loads(pickle.dumps(RegistrationError("refused", kind=int)))
    assert (again.kind, str(again)) == (int, "refused")


@attrs.frozen(kw_only=True)
class Refusing(RuleBase):
    """Raises its own EvaluationError for a count above 5, without saying where."""

    name: ClassVar[str] = "test.refusing"
    measures: ClassVar[frozenset[Measure]] = frozenset({Measure.COUNT})

    def score(self, value: Any, context: RuleContext) -> Outcome:
        """Full up to 5."""
        assert isinstance(value, Count)
        if value.value > 5:
            raise EvaluationError(f"{value.value} is too many")
        return self.full("few")


def test_evaluation_error_names_kind_unit_and_indicator(tmp_path: Path) -> None:
    """The engine fills in where a kind's own EvaluationError happened; the message stays."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "scheme.toml").write_text(
        'id = "s"\ntitle = "测试"\nversion = "1"\n'
        "period = { start = 2024-01-01, end = 2024-12-31 }\n"
        '[[categories]]\nid = "c"\nname = "类"\n'
        '[[dimensions]]\nid = "d"\ntitle = "维度"\n'
        '[[indicators]]\nid = "i1"\nparent = "d"\ntitle = "次数"\nmeasure = "count"\n'
        'rule = { kind = "test.refusing" }\n'
        '[weights.c]\n"d" = 100\n"i1" = 100\n',
        encoding="utf-8",
    )
    (folder / "units.csv").write_text("id,name,level,category\nu1,甲,city,c\n", encoding="utf-8")
    (folder / "evidence.csv").write_text("unit,indicator,value\nu1,i1,9\n", encoding="utf-8")
    registry = default_registry()
    registry.register(Refusing)
    with pytest.raises(EvaluationError) as caught:
        rulelaw.evaluate(rulelaw.load(folder, registry=registry), registry=registry)
    error = caught.value
    assert (str(error), error.kind, error.unit, error.indicator) == (
        "9 is too many",
        "test.refusing",
        "u1",
        "i1",
    )
    again = pickle.loads(pickle.dumps(error))
    assert (again.kind, again.unit, again.indicator) == ("test.refusing", "u1", "i1")
    assert again == error
