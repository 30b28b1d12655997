"""What the enrollment API reads and answers (``enrollment.api``).

Wire formats follow ``api.schemas``: dates ``YYYY-MM-DD``, date-times in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from api.common import ObjectId
from api.schemas import LocalDateTime

# A family applies for a handful of children, each with a handful of ranked clubs.
MAX_CHILDREN = 10
MAX_CHOICES = 10


class ChildIn(Schema):
    """What a guardian asks for one child."""

    student_id: ObjectId
    after_school: bool = Field(False, description="After-school care (课后服务).")
    noon_care: bool = Field(False, description="Noon care (午托), where the plan offers it.")
    meals: bool = Field(False, description="School lunch.")
    choices: list[ObjectId] = Field(
        default_factory=list,
        max_length=MAX_CHOICES,
        description="Offering ids of clubs and interest groups, most wanted first.",
    )
    keep_with_siblings: bool = Field(
        False, description="Keep with brothers and sisters in the lottery where places allow."
    )
    insurer: str = Field("", max_length=100, description="Where the plan requires insurance.")
    insurance_policy: str = Field("", max_length=64)
    insurance_start: dt.date | None = None
    insurance_end: dt.date | None = None


class ApplicationIn(Schema):
    """One guardian's application for their children in a term (家长书面委托申请)."""

    term_id: ObjectId
    idempotency_key: str = Field(
        min_length=8,
        max_length=64,
        pattern=r"^[\x21-\x7e]+$",
        description="Chosen by the client (e.g. a UUID) and sent again on a retry: the same "
        "key gives the same application, never a second one.",
    )
    agreement_accepted: bool = Field(description="The guardian accepted the service agreement.")
    children: list[ChildIn] = Field(min_length=1, max_length=MAX_CHILDREN)


class ChoiceOut(Schema):
    offering_id: int
    offering_name: str
    rank: int = Field(description="1 = most wanted.")
    status: str = Field(
        description="pending, placed, waitlisted, offered, refused, declined or withdrawn."
    )
    status_label: str
    waitlist_position: int | None = Field(description="Place on the waiting list, if on it.")
    offer_expires_at: LocalDateTime | None = Field(
        description="For an offered place: accept by then."
    )
    why: str = Field(description="Why the child did or did not get a place.")


class ChildApplicationOut(Schema):
    id: int
    student_id: int
    student_name: str
    receipt: str = Field(description="The public receipt to check published lottery results.")
    status: str = Field(
        description="submitted, class_approved, school_approved, approved, returned or withdrawn."
    )
    status_label: str
    after_school: bool
    noon_care: bool
    meals: bool
    keep_with_siblings: bool
    choices: list[ChoiceOut]


class ApplicationOut(Schema):
    id: int
    term_id: int
    school_id: int
    plan_version: int = Field(description="The version of the school's plan the guardian saw.")
    submitted_at: LocalDateTime
    children: list[ChildApplicationOut]


class Problems(Schema):
    detail: list[str | dict[str, Any]] = Field(
        description="Each reason the application was refused, in the language of the request "
        "(a message, or for malformed input an object with the field's ``loc`` and ``msg``)."
    )
