"""What the API answers with, and the wire formats of dates, times and money.

The formats are documented to clients in ``api.main.DESCRIPTION``: dates ``YYYY-MM-DD``
(pydantic's default), date-times ISO 8601 in Asia/Shanghai with the offset, money a string
with two places. Endpoints declare fields with ``LocalDateTime`` and ``Money`` so no
endpoint can answer a UTC time or a float by accident.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema

FEN = Decimal("0.01")


def local_datetime_text(value: dt.datetime) -> str:
    """Return an aware datetime in Asia/Shanghai: 2026-09-01T16:30:00+08:00."""
    return timezone.localtime(value).isoformat()


def money_text(amount: Decimal) -> str:
    """Return yuan with two places: "350.00". Refuse to round: amounts arrive to the fen."""
    if amount != amount.quantize(FEN):
        raise ValueError(f"{amount} is not a whole number of fen")
    return f"{amount.quantize(FEN)}"


LocalDateTime = Annotated[
    dt.datetime,
    PlainSerializer(local_datetime_text, return_type=str),
    WithJsonSchema(
        {"type": "string", "format": "date-time", "examples": ["2026-09-01T16:30:00+08:00"]}
    ),
]
Money = Annotated[
    Decimal,
    PlainSerializer(money_text, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["350.00"]}),
]


class Error(Schema):
    detail: str = Field(description="What went wrong, in the language of the request.")


class ClassRef(Schema):
    id: int
    grade: int = Field(description="Grade 1–9.")
    number: int = Field(description="Class number within the grade.")
    label: str = Field(description="The class as the school writes it, e.g. 三年级2班.")


class PriorityFlags(Schema):
    """Priority groups (plan 7 三). Family hardship is sensitive: shown to few roles."""

    is_migrant_child: bool
    is_single_parent: bool
    is_left_behind: bool
    is_low_income: bool
    has_disability: bool


class StudentGuardianOut(Schema):
    id: int
    name: str
    relation: str = Field(description="father, mother, grandfather, grandmother or other.")
    relation_label: str
    phone: str = Field(description="Masked (139****0001) unless the role may see phones.")
    may_pick_up: bool
    is_primary: bool


class StudentOut(Schema):
    id: int
    name: str
    gender: str = Field(description="M or F.")
    birth_date: dt.date
    student_number: str
    school_id: int
    is_active: bool = Field(description="On roll.")
    class_: ClassRef = Field(alias="class")
    national_id_masked: str = Field(
        description="Always masked; the API never returns a full ID number."
    )
    priority_flags: PriorityFlags | None = Field(
        description="Null unless the role may see priority groups, or for one's own child."
    )
    guardians: list[StudentGuardianOut]


class GuardianChildOut(Schema):
    id: int
    name: str
    school_id: int
    relation: str
    may_pick_up: bool


class GuardianOut(Schema):
    id: int
    name: str
    phone: str = Field(description="Masked unless the role may see phones, or it is one's own.")
    children: list[GuardianChildOut] = Field(description="Only the children the caller may see.")


class ClassOut(Schema):
    id: int
    school_id: int
    grade: int
    number: int
    label: str
    head_teacher_name: str | None
    student_count: int = Field(description="Students on roll.")


class TermOut(Schema):
    id: int
    school_id: int
    name: str
    start: dt.date = Field(description="First day.")
    end: dt.date = Field(description="Last day.")


class SchoolDayOut(Schema):
    date: dt.date
    timetable_weekday: int | None = Field(
        description="Whose timetable runs: 0 = Monday … 4 = Friday; null when an adjusted "
        "working weekend has no announced timetable yet."
    )
    source: str = Field(description="official, school or closure.")
    reason: str
