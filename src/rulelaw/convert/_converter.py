"""The one cattrs converter that turns file data into model values and back.

It is an instance, configured here once and passed where it is needed; no
global converter is touched. Structuring failures are translated into
:class:`~rulelaw.errors.InputError` values with key paths by
:func:`structure_errors`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from rulelaw.errors import DataError, InputError, SchemeError, ValidationError, key_part
from rulelaw.messages import Message
from rulelaw.model import (
    MAX_EXPONENT,
    CategoryWeights,
    Duty,
    DutyList,
    Level,
    PercentOfScale,
    RuleSpec,
    quoted,
    to_date,
    to_decimal,
)
from rulelaw.model.consequences import ConsequenceCondition
from rulelaw.model.default_duties import DEFAULT_DUTY_LISTS
from rulelaw.model.indicators import Tags
from rulelaw.model.people import PeoplePolicy
from rulelaw.model.reports import LAW_REPORT_SCALE, LawReportPolicy, ReportForm
from rulelaw.model.verification import VerificationCase, cell_text, evidence_cells

__all__ = ["make_converter", "structure", "structure_errors"]

T = TypeVar("T")

#: The codes of what a value of each type is called: *a whole number* (整数) …
_TYPE_WORDS: dict[object, str] = {
    int: "convert.a-whole-number",
    str: "convert.a-text",
    Decimal: "convert.a-number",
    bool: "convert.true-or-false",
    pendulum.Date: "date.expected",
}


def _structure_int(value: Any, _: type) -> int:
    """A whole number: an int, or a text of decimal digits with an optional leading ``-``.

    Thousands separators (``1,234``) are dropped as Excel writes them; digits
    may be any script's decimal digits (full-width ``３８``), not superscripts
    (``²``). At most 1,000 digits (:data:`~rulelaw.model._numbers.MAX_EXPONENT`).
    """
    if isinstance(value, bool):
        raise _not_whole(value)
    if isinstance(value, int):
        if abs(value) < _INT_LIMIT:
            return value
        raise _too_long(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")  # Excel's thousands separators, as for decimals
        digits = text.removeprefix("-")
        if digits.isdecimal():
            if len(digits) > MAX_EXPONENT:
                raise _too_long(value)
            return int(text)
    raise _not_whole(value)


_INT_LIMIT = 10**MAX_EXPONENT


def _not_whole(value: object) -> DataError:
    return DataError(
        Message.of("convert.not-a-whole-number"),
        expected=Message.of("convert.a-whole-number"),
        got=value,
    )


def _too_long(value: object) -> DataError:
    return DataError(
        Message.of("convert.whole-number-too-long", limit=MAX_EXPONENT),
        expected=Message.of("convert.whole-number-of-size", limit=MAX_EXPONENT),
        got=value,
    )


def _structure_enum(value: Any, type_: type[enum.Enum]) -> enum.Enum:
    for member in type_:
        if value == member.value:
            return member
    raise DataError(Message.of("convert.not-allowed"), expected=_expected(type_), got=value)


def _structure_bool(value: Any, _: type) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise DataError(
        Message.of("convert.not-true-or-false"),
        expected=Message.of("convert.true-or-false"),
        got=value,
    )


def _structure_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise DataError(
            Message.of("convert.not-a-text"), expected=Message.of("convert.a-text"), got=value
        )
    return value


def _structure_id_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise DataError(
            Message.of("convert.not-a-list"),
            expected=Message.of("convert.expected-id-list"),
            got=value,
        )
    return tuple(_structure_str(v, str) for v in value)


def _structure_frozenset_or_none(value: Any, _: type) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise DataError(
            Message.of("convert.not-a-list"), expected=Message.of("convert.expected-ids"), got=value
        )
    return frozenset(_structure_str(v, str) for v in value)


@functools.cache
def shared_converter() -> cattrs.Converter:
    """One :func:`make_converter` kept for the library's own use when none is given.

    cattrs writes the code that structures a class the first time it meets
    the class, so one converter kept saves loading and evaluating that work
    each time. Nothing registers hooks on it after it is made.
    """
    return make_converter()


def make_converter(*, forbid_extra_keys: bool = True) -> cattrs.Converter:
    """A new converter for every model value rulelaw reads or writes.

    Decimals and dates unstructure to :class:`~decimal.Decimal` and
    :class:`datetime.date` (what TOML writes natively); the CSV writer turns
    them into text.
    """
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys, detailed_validation=True)
    conv.register_structure_hook(Decimal, lambda v, _: to_decimal(v))
    conv.register_unstructure_hook(Decimal, lambda v: v)
    conv.register_structure_hook(pendulum.Date, lambda v, _: to_date(v))
    conv.register_unstructure_hook(pendulum.Date, lambda v: dt.date(v.year, v.month, v.day))
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(Level, lambda v, _: Level.parse(v))
    conv.register_structure_hook(ReportForm, lambda v, _: ReportForm.parse(v))
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum) and t not in (Level, ReportForm),
        _structure_enum,
    )
    conv.register_structure_hook_func(
        lambda t: t == tuple[str, ...], lambda v, _: _structure_id_list(v)
    )
    optional_ids = frozenset[str] | None
    conv.register_structure_hook_func(lambda t: t == optional_ids, _structure_frozenset_or_none)
    conv.register_unstructure_hook_func(
        lambda t: t == optional_ids, lambda v: None if v is None else sorted(v)
    )

    # A grade's threshold is a number or a percentage of the scale, written "90%".
    threshold = Decimal | PercentOfScale | None
    conv.register_structure_hook_func(lambda t: t == threshold, lambda v, _: v)  # Grade's own
    conv.register_unstructure_hook_func(
        lambda t: t == threshold, lambda v: str(v) if isinstance(v, PercentOfScale) else v
    )
    conv.register_unstructure_hook(PercentOfScale, str)

    # An indicator's tags are checked by Indicator itself (texts, not ids).
    conv.register_structure_hook(Tags, lambda v, _: v)
    conv.register_unstructure_hook(Tags, list)

    # A rule is written as an inline table: {kind = "...", param = ...}.
    def structure_rule(value: Any, _: type) -> RuleSpec:
        if not isinstance(value, Mapping):
            raise DataError(
                Message.of("convert.rule-not-a-table"), expected="{ kind = ..., ... }", got=value
            )
        params = dict(value)
        if "kind" not in params:
            raise KeyError("kind")
        kind = params.pop("kind")
        return RuleSpec(kind=_structure_str(kind, str), params=params)

    conv.register_structure_hook(RuleSpec, structure_rule)
    conv.register_unstructure_hook(RuleSpec, lambda r: {"kind": r.kind, **_plain(r.params)})

    # Weights are written per category: [weights.county] "1.1.1" = 5
    def structure_weights(value: Any, _: type) -> tuple[CategoryWeights, ...]:
        if not isinstance(value, Mapping):
            raise DataError(
                Message.of("scheme.weights-not-a-table"), expected="[weights.CATEGORY]", got=value
            )
        errors: list[Exception] = []
        result = []
        for category, points in value.items():
            try:
                result.append(CategoryWeights(category=category, points=points))
            except Exception as exc:
                exc.add_note(
                    cattrs.errors.IterableValidationNote(
                        f"Structuring weights @ key {category!r}", category, CategoryWeights
                    )
                )
                errors.append(exc)
        if errors:
            raise IterableValidationError("While structuring weights", errors, tuple)
        return tuple(result)

    weights_type = tuple[CategoryWeights, ...]
    conv.register_structure_hook_func(lambda t: t == weights_type, structure_weights)
    conv.register_unstructure_hook_func(
        lambda t: t == weights_type,
        lambda ws: {w.category: dict(w.points) for w in ws},
    )

    # Grading is written flat: [grading] peer_group = ... and [[grading.grades]].

    _register_duty_lists(conv)
    _register_verification(conv)
    # a consequence's conditions are read as written (a grade id or a list of them)
    conv.register_structure_hook(ConsequenceCondition, lambda v, _: ConsequenceCondition.of(v))
    _register_grading_defaults(
        conv, LawReportPolicy, "panel", conv.unstructure(LAW_REPORT_SCALE.grades)
    )
    _register_grading_defaults(conv, PeoplePolicy, "role")
    return conv


def _register_grading_defaults(
    conv: cattrs.Converter, policy: type[T], peer_group: str, grades: Any = None
) -> None:
    """A policy's ``grading`` table falls back to its own peer group and grade scale.

    Leaders are grouped by role and reports by panel (not by category, the
    units' default); reports take the 好/较好/一般/差 scale when no grades are
    written.
    """
    plain = conv.get_structure_hook(policy)

    def structure_policy(value: Any, _: type) -> T:
        if isinstance(value, Mapping) and isinstance(value.get("grading"), Mapping):
            grading = dict(value["grading"])
            grading.setdefault("peer_group", peer_group)
            if grades is not None:
                grading.setdefault("grades", grades)
            value = {**value, "grading": grading}
        built: T = plain(value, policy)
        return built

    conv.register_structure_hook(policy, structure_policy)


def _register_duty_lists(conv: cattrs.Converter) -> None:
    """A duty list may start from a built-in one: ``base = "default"``.

    ``duties`` then replaces or adds duties by id, and the tables
    ``indicators`` (duty id → indicator ids) and ``weights`` (duty id → per
    cent) apply to the resulting list. Written back, a duty list is always
    complete.
    """
    plain = conv.get_structure_hook(DutyList)

    def structure_duty_list(value: Any, _: type) -> DutyList:
        if not isinstance(value, Mapping) or "base" not in value:
            result: DutyList = plain(value, DutyList)
            return result
        data = dict(value)
        base = data.pop("base")
        if base != "default":
            raise SchemeError(
                Message.of("scheme.unknown-base-duty-list"),
                key_path="base",
                expected=quoted(["default"]),
                got=base,
            )
        role = data.get("role")
        start = DEFAULT_DUTY_LISTS.get(role) if isinstance(role, str) else None
        if start is None:
            raise SchemeError(
                Message.of("scheme.no-default-duty-list", role=role)
                if isinstance(role, str)
                else Message.of("scheme.no-default-duty-list-value", role=repr(role)),
                key_path="role",
                expected=Message.of("convert.one-of", ids=tuple(DEFAULT_DUTY_LISTS)),
            )
        links = data.pop("indicators", {})
        if not isinstance(links, Mapping):
            raise SchemeError(
                Message.of("scheme.duty-indicators-not-a-table"),
                key_path="indicators",
                expected=Message.of("scheme.expected-duty-indicators"),
                got=links,
            )
        weights = data.pop("weights", {})
        if not isinstance(weights, Mapping):
            raise SchemeError(
                Message.of("scheme.weights-not-a-table"),
                key_path="weights",
                expected=Message.of("scheme.expected-duty-percent"),
                got=weights,
            )
        duties = {d.id: d for d in start.duties}
        for duty in conv.structure(data.pop("duties", []), tuple[Duty, ...]):
            duties[duty.id] = duty  # replaced or added; the tables below apply to it too
        for key, table, field in (
            ("indicators", links, "indicators"),
            ("weights", weights, "weight"),
        ):
            for duty_id, given in table.items():
                if duty_id not in duties:
                    raise SchemeError(
                        Message.of("scheme.no-such-duty", duty=duty_id, role=role),
                        key_path=f"{key}.{duty_id}",
                        expected=Message.of("text.one-of", ids=quoted(duties)),
                    )
                duties[duty_id] = attrs.evolve(duties[duty_id], **{field: given})
        data["duties"] = [conv.unstructure(d) for d in duties.values()]
        built: DutyList = plain(data, DutyList)
        return built

    conv.register_structure_hook(DutyList, structure_duty_list)


def _register_verification(conv: cattrs.Converter) -> None:
    """A verification case's evidence is written as TOML values, read as the cells of a CSV row."""
    plain = conv.get_structure_hook(VerificationCase)

    def structure_case(value: Any, _: type) -> VerificationCase:
        if isinstance(value, Mapping):
            value = dict(value)
            if "evidence" in value:
                value["evidence"] = evidence_cells(value["evidence"])
            if isinstance(value.get("attributes"), Mapping):
                value["attributes"] = {str(k): cell_text(v) for k, v in value["attributes"].items()}
        built: VerificationCase = plain(value, VerificationCase)
        return built

    conv.register_structure_hook(VerificationCase, structure_case)


def _plain(value: Any) -> Any:
    """Read-only mappings and tuples back to dicts and lists, for writing."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _expected(type_: object) -> Message:
    """What a value of ``type_`` is called: ``a whole number``, ``one of 'a', 'b'``."""
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return Message.of("convert.one-of", ids=tuple(str(m.value) for m in type_))
    code = _TYPE_WORDS.get(type_)
    if code is not None:
        return Message.of(code)
    return Message.of("convert.a-type", name=str(getattr(type_, "__name__", type_)))


def structure_errors(exc: BaseException, path: str = "$") -> Iterator[InputError]:
    """Every problem inside a cattrs structuring failure, as errors at key paths."""
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            yield from _attribute_errors(sub, f"{path}.{note.name}", note.type)
        for sub in without:
            yield from structure_errors(sub, path)
    elif isinstance(exc, IterableValidationError):
        with_notes_i, without_i = exc.group_exceptions()
        for sub, inote in with_notes_i:
            index = inote.index
            where = f"{path}[{index}]" if isinstance(index, int) else f"{path}.{key_part(index)}"
            yield from _attribute_errors(sub, where, inote.type)
        for sub in without_i:
            yield from structure_errors(sub, path)
    elif isinstance(exc, ValidationError):
        for error in exc.errors:
            yield error.located(prefix=path)
    elif isinstance(exc, InputError):
        yield exc.located(prefix=path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield DataError(Message.of("convert.unknown-key", key=key), key_path=f"{path}.{key}")
    elif isinstance(exc, KeyError):
        yield DataError(Message.of("convert.missing-key"), key_path=path)
    else:
        yield DataError(Message.of("convert.invalid-value-because", reason=str(exc)), key_path=path)


def _attribute_errors(exc: BaseException, path: str, type_: object) -> Iterator[InputError]:
    if isinstance(exc, KeyError) and not isinstance(exc, InputError):
        name = path.rsplit(".", 1)[-1]
        yield DataError(
            Message.of("convert.missing-required-key", key=name),
            key_path=path,
            expected=_expected(type_),
        )
    elif isinstance(exc, ValueError | TypeError) and not isinstance(
        exc, InputError | ValidationError | ClassValidationError | IterableValidationError
    ):
        yield DataError(
            Message.of("convert.invalid-value"), key_path=path, expected=_expected(type_)
        )
    else:
        yield from structure_errors(exc, path)


def structure(converter: cattrs.Converter, data: Any, cls: type[T]) -> T:
    """Structure ``data`` into ``cls``; raise a ValidationError listing every problem."""
    try:
        return converter.structure(data, cls)
    except (ClassValidationError, IterableValidationError) as exc:
        # The class's own cross-checks failed after its fields were structured:
        # keep the built value for diagnostics (see ValidationError.partial).
        partial = next(
            (e.partial for e in exc.exceptions if isinstance(e, ValidationError) and e.partial),
            None,
        )
        raise ValidationError(list(structure_errors(exc)), partial=partial) from None
    except ValidationError as exc:
        raise ValidationError(list(structure_errors(exc)), partial=exc.partial) from None
    except (InputError, ForbiddenExtraKeysError, KeyError) as exc:
        raise ValidationError(list(structure_errors(exc))) from None
