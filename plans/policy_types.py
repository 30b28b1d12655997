"""Value types of the policy document: money, percent, clock time, week days.

Money travels in the document as a string with two places ("120.00"), never as a float:
JSON floats cannot hold 0.1 exactly, and a plan's fee is quoted to the fen.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import BeforeValidator, PlainSerializer
from pydantic_core import PydanticCustomError

FEN = Decimal("0.01")


def to_money(value: Any) -> Decimal:
    """Return ``value`` as a Decimal with two places; refuse floats and a third place."""
    if isinstance(value, bool) or isinstance(value, float):
        raise PydanticCustomError(
            "money_type", _('Write money as text with two places, such as "120.00".')
        )
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise PydanticCustomError("money_parsing", _("Not an amount of money.")) from None
    if not amount.is_finite():
        raise PydanticCustomError("money_parsing", _("Not an amount of money."))
    if amount != amount.quantize(FEN):
        raise PydanticCustomError("money_places", _("Money has at most two decimal places (fen)."))
    if amount < 0:
        raise PydanticCustomError("money_negative", _("An amount cannot be negative."))
    return amount.quantize(FEN)


def money_text(amount: Decimal) -> str:
    """Return ``amount`` as the document writes it: "120.00"."""
    return f"{amount.quantize(FEN, rounding=ROUND_HALF_UP):.2f}"


def to_percent(value: Any) -> Decimal:
    """Return a percent 0–100 as a Decimal (text or whole number; never a float)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise PydanticCustomError("percent_type", _('Write a percent as text, such as "50".'))
    try:
        pct = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise PydanticCustomError("percent_parsing", _("Not a percent.")) from None
    if not pct.is_finite() or pct < 0 or pct > 100:
        raise PydanticCustomError("percent_range", _("A percent lies between 0 and 100."))
    return pct


def to_clock(value: Any) -> dt.time:
    """Return a clock time from "HH:MM"."""
    if isinstance(value, dt.time):
        return value
    try:
        return dt.datetime.strptime(str(value).strip(), "%H:%M").time()  # noqa: DTZ007
    except ValueError:
        raise PydanticCustomError(
            "clock_parsing", _("Write the time as HH:MM, such as 16:30.")
        ) from None


Money = Annotated[Decimal, BeforeValidator(to_money), PlainSerializer(money_text, return_type=str)]
Percent = Annotated[
    Decimal,
    BeforeValidator(to_percent),
    PlainSerializer(lambda p: format(p.normalize(), "f"), return_type=str),
]
Clock = Annotated[
    dt.time,
    BeforeValidator(to_clock),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
]


def minutes_between(start: dt.time, end: dt.time) -> int:
    """Return the minutes from ``start`` to ``end`` on the same day."""
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
