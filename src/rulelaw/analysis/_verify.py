"""Running a scheme's verification cases: what the scheme gives them against what it must."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from rulelaw.engine import Evaluation, UnitResult, evaluate
from rulelaw.errors import (
    DataError,
    InputError,
    LookupFailed,
    SchemeError,
    ValidationError,
    key_part,
)
from rulelaw.files import read_observation
from rulelaw.messages import Message
from rulelaw.model import Assessment, Evidence, Scheme, Unit, VerificationCase, decimal_text
from rulelaw.rules import Registry

__all__ = ["Mismatch", "VerificationReport", "verify"]


@attrs.frozen(kw_only=True)
class Mismatch:
    """One expectation of a case that the scheme does not meet.

    ``what`` is ``total``, ``grade``, ``rank``, ``points`` or ``reason``;
    ``node`` the indicator or dimension for points and reasons (else
    ``None``); ``expected`` and ``got`` as shown. Why the case came out as it
    did is in :meth:`VerificationReport.explain`.
    """

    case: str
    what: str
    node: str | None
    expected: str
    got: str

    @property
    def message(self) -> Message:
        """The mismatch as a message (code ``verify.mismatch`` or ``verify.mismatch.node``)."""
        what = Message.of(f"verify.what.{self.what}")
        if self.node is None:
            return Message.of(
                "verify.mismatch", case=self.case, what=what, expected=self.expected, got=self.got
            )
        return Message.of(
            "verify.mismatch.node",
            case=self.case,
            what=what,
            node=self.node,
            expected=self.expected,
            got=self.got,
        )

    def describe(self, lang: str = "en") -> str:
        """The mismatch in one line, in ``lang``."""
        return self.message.text(lang)


@attrs.frozen(kw_only=True)
class VerificationReport:
    """The cases a scheme carries, run: how many expectations were checked, what failed."""

    scheme: str
    cases: int
    checked: int
    mismatches: tuple[Mismatch, ...]
    result: Evaluation | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def ok(self) -> bool:
        """Whether every expectation was met."""
        return not self.mismatches

    def text(self, lang: str = "en") -> str:
        """The report: a summary line, then each mismatch with its case's explanation."""
        head = Message.of(
            "verify.summary.ok" if self.ok else "verify.summary.failed",
            scheme=self.scheme,
            cases=self.cases,
            checked=self.checked,
            failed=len(self.mismatches),
        ).text(lang)
        parts = [head]
        parts += ["- " + mismatch.describe(lang) for mismatch in self.mismatches]
        for case in dict.fromkeys(m.case for m in self.mismatches):
            parts += ["", self.explain(case).rstrip("\n")]
        return "\n".join(parts) + "\n"

    def data(self, lang: str = "en") -> dict[str, Any]:
        """As JSON-ready data: the counts, ``ok``, and each mismatch with its text in ``lang``."""
        return {
            "scheme": self.scheme,
            "cases": self.cases,
            "checked": self.checked,
            "ok": self.ok,
            "mismatches": [
                {
                    "case": m.case,
                    "what": m.what,
                    "node": m.node,
                    "expected": m.expected,
                    "got": m.got,
                    "code": m.message.code,
                    "text": m.describe(lang),
                }
                for m in self.mismatches
            ],
        }

    def to_json(self, lang: str = "en") -> str:
        """:meth:`data` as a JSON text (Chinese kept as is), ending in a newline."""
        return json.dumps(self.data(lang), ensure_ascii=False, indent=2) + "\n"

    def explain(self, case: str) -> str:
        """Why the scheme gives case ``case`` what it does: its unit's whole explanation."""
        if self.result is None or case not in {u.unit for u in self.result.units}:
            known = () if self.result is None else (u.unit for u in self.result.units)
            raise LookupFailed("verification case", case, known)
        return self.result.explain(case)


def verify(
    scheme: Scheme,
    *,
    cases: Sequence[VerificationCase] | None = None,
    registry: Registry | None = None,
    as_of: object = None,
) -> VerificationReport:
    """Score the scheme's verification cases (or ``cases``) and check each expectation.

    The cases are scored together, as one assessment of their invented
    units (a grade quota applies among them). Raises
    :class:`~rulelaw.errors.ValidationError` for a case whose category or
    evidence does not suit the scheme, at its key path
    (``$.verification[0].evidence."1.1".numerator``).
    """
    if cases is not None:  # checked against the scheme as its own cases are
        scheme = attrs.evolve(scheme, verification=tuple(cases))
    chosen = scheme.verification
    if not chosen:
        return VerificationReport(
            scheme=f"{scheme.id} v{scheme.version}", cases=0, checked=0, mismatches=()
        )
    source = f"scheme {scheme.id!r}, verification"
    # A case gives the evidence an indicator is scored on, derived or not: for
    # an indicator that takes its evidence from filings or law reports, the
    # value those would give. The rules are the scheme's own.
    given = {indicator for case in chosen for indicator in case.evidence}
    scored = attrs.evolve(
        scheme,
        indicators=tuple(
            attrs.evolve(i, evidence_from=None)
            if i.evidence_from is not None and i.id in given
            else i
            for i in scheme.indicators
        ),
    )
    units: list[Unit] = []
    observations = []
    origins: list[str] = []  # the key path of each observation's case and indicator
    problems: list[InputError] = []
    for index, case in enumerate(chosen):
        where = f"$.verification[{index}]"
        units.append(
            Unit(
                id=case.id,
                name=case.unit_name(),
                level=case.level,
                category=case.category,
                attributes=case.attributes,
            )
        )
        for indicator, cells in case.evidence.items():
            origin = f"{where}.evidence.{key_part(indicator)}"
            try:
                row = {"unit": case.id, "indicator": indicator, **cells}
                observations.append(read_observation(row, scored))
                origins.append(origin)
            except InputError as exc:
                problems.append(exc.located(prefix=origin, as_type=SchemeError))
    if problems:
        raise ValidationError(problems, source=source)
    try:
        assessment = Assessment(
            scheme=scored, units=units, evidence=Evidence(observations=observations)
        )
    except (ValidationError, DataError) as exc:
        errors = exc.errors if isinstance(exc, ValidationError) else (exc,)
        raise ValidationError([_placed(e, origins) for e in errors], source=source) from None
    result = evaluate(assessment, as_of=as_of, registry=registry)
    mismatches: list[Mismatch] = []
    checked = 0
    for case in chosen:
        unit = result.unit(case.id)
        found, count = _check(case, unit, result)
        mismatches += found
        checked += count
    return VerificationReport(
        scheme=f"{scheme.id} v{scheme.version}",
        cases=len(chosen),
        checked=checked,
        mismatches=tuple(mismatches),
        result=result,
    )


def _check(
    case: VerificationCase, unit: UnitResult, result: Evaluation
) -> tuple[list[Mismatch], int]:
    expect = case.expect
    found: list[Mismatch] = []
    count = 0

    def miss(what: str, node: str | None, expected: object, got: object) -> None:
        found.append(
            Mismatch(
                case=case.id,
                what=what,
                node=node,
                expected=_text(expected),
                got=_text(got),
            )
        )

    if expect.total is not None:
        count += 1
        if unit.total != expect.total:
            miss("total", None, expect.total, unit.total)
    if expect.grade is not None:
        count += 1
        if expect.grade not in (unit.grade, unit.grade_label):
            miss("grade", None, expect.grade, unit.grade_label or unit.grade)
    if expect.rank is not None:
        count += 1
        if unit.rank != expect.rank:
            miss("rank", None, expect.rank, unit.rank)
    points = {r.indicator: r.points for r in unit.indicators}
    points.update({d.dimension: d.points for d in unit.dimensions})
    for node, wanted in expect.points.items():
        count += 1
        got = points.get(node)
        if got != wanted:
            miss("points", node, wanted, got)
    reasons = {r.indicator: r.reason for r in unit.indicators}
    for node, reason in expect.reasons.items():
        count += 1
        if reasons.get(node) != reason:
            miss("reason", node, reason, reasons.get(node))
    return found, count


_ROW = re.compile(r"^\$\.(evidence|units)\[(\d+)\]\.?")


def _placed(error: InputError, origins: Sequence[str]) -> InputError:
    """An assessment's error about an evidence row or unit, at its case's key path."""
    found = _ROW.match(error.where or "")
    if found is None:
        return error.located(prefix="$.verification", as_type=SchemeError)
    table, index = found.group(1), int(found.group(2))
    prefix = origins[index] if table == "evidence" else f"$.verification[{index}]"
    rest = (error.where or "")[found.end() :]
    if rest in ("indicator", "unit"):  # already named by the case's key path
        rest = ""
    return SchemeError(
        error.problem,
        file=error.file,
        where=f"{prefix}.{rest}" if rest else prefix,
        expected=error.expected,
        got=error.got,
    )


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)
