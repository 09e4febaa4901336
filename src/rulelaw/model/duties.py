"""Duty lists (职责清单) of first responsible persons."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

import attrs

from rulelaw.errors import SchemeError
from rulelaw.messages import Message
from rulelaw.model._base import (
    id_validator,
    optional_decimal,
    optional_id_validator,
    percent,
    quoted,
    text_validator,
    to_decimal,
    unique_ids,
)
from rulelaw.model._numbers import exact_sum

__all__ = ["Duty", "DutyList"]


def _id_list(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise SchemeError(
            Message.of("scheme.indicators-not-a-list"),
            key_path="indicators",
            expected=Message.of("scheme.expected-indicator-list"),
            got=value,
        )
    return tuple(value)


#: Equal duty shares (100 / n) to 28 digits, whatever the thread's decimal context.
_SHARE = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)


@attrs.frozen(kw_only=True)
class Duty:
    """One duty of a role, evidenced by indicators.

    ``group`` is the dimension of the duty list it belongs to (organising
    leadership, decision and deployment, pushing the work, supervision and
    inspection); ``weight`` is its share in duty fulfilment.
    """

    _scheme_value: ClassVar[bool] = True

    id: str = attrs.field(validator=id_validator)
    title: str = attrs.field(validator=text_validator)
    group: str | None = attrs.field(default=None, validator=optional_id_validator)
    indicators: tuple[str, ...] = attrs.field(default=(), converter=_id_list)
    weight: Decimal | None = attrs.field(default=None, converter=optional_decimal)


def _duties(value: Iterable[Duty]) -> tuple[Duty, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class DutyList:
    """The duties of one role (第一责任人职责清单).

    Duty weights are given for every duty or for none (then all weigh the
    same); given, they add up to 100. A duty whose fulfilment falls below
    ``flag_below`` per cent is flagged on the leader's sheet.

    >>> DutyList(role="party-head", duties=[Duty(id="D1", title="统筹谋划法治建设")]).ids
    ('D1',)
    """

    _scheme_value: ClassVar[bool] = True

    role: str = attrs.field(validator=id_validator)
    duties: tuple[Duty, ...] = attrs.field(converter=_duties)
    flag_below: Decimal = attrs.field(default=Decimal(60), converter=to_decimal, validator=percent)

    def __attrs_post_init__(self) -> None:
        for index, key in unique_ids(self.duties):
            raise SchemeError(
                Message.of("scheme.duplicate-duty", id=key), key_path=f"duties[{index}].id", got=key
            )
        weighed = [d for d in self.duties if d.weight is not None]
        if weighed and len(weighed) < len(self.duties):
            index = next(i for i, d in enumerate(self.duties) if d.weight is None)
            raise SchemeError(
                Message.of("scheme.duty-without-weight", duty=self.duties[index].id),
                key_path=f"duties[{index}].weight",
                expected=Message.of("scheme.expected-duty-weights"),
            )
        total = exact_sum(d.weight or Decimal(0) for d in weighed)
        if weighed and total != 100:
            raise SchemeError(
                Message.of(
                    "scheme.duty-weights-sum",
                    role=self.role,
                    total=total,
                    over=quoted(d.id for d in self.duties),
                ),
                key_path="duties",
            )

    def weight_of(self, duty: Duty) -> Decimal:
        """The duty's weight in per cent (equal shares when the list gives none)."""
        if duty.weight is not None:
            return duty.weight
        return _SHARE.divide(Decimal(100), Decimal(len(self.duties)))

    @property
    def ids(self) -> tuple[str, ...]:
        """The duty ids in declared order."""
        return tuple(d.id for d in self.duties)
