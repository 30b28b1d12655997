"""The school's plan (一校一案) as one validated policy document.

Every rule a later feature applies (fees, refunds, pay, deductions, group forming, grade
rules, service windows) is read from this document; no seed plan is coded anywhere. The
document is plain JSON; :func:`parse_document` is the one validator the admin, the plan
page and the API call. Limits in force (caps, floors, 5+2) are a separate check,
:func:`plans.limits.check_limits`, run before publication.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from people.roles import Role
from plans.policy_types import Clock, Money, Percent, minutes_between

SCHEMA_VERSION = 1

WindowKind = Literal["after_school", "noon_care", "morning_care", "evening_study"]
# Student priority flags (people.models.Student) plus the plan-7 group "younger pupils".
PriorityGroup = Literal[
    "is_migrant_child",
    "is_single_parent",
    "is_left_behind",
    "is_low_income",
    "has_disability",
    "younger_grades",
]


def _role(value: str) -> str:
    if value not in Role.values:
        raise PydanticCustomError(
            "role",
            _("Unknown role: %(role)s.") % {"role": value},
        )
    return value


def _post(value: str) -> str:
    # Posts that earn a management subsidy: staff roles plus administrative duty (行政值班, plan 1).
    return value if value == "administrative_duty" else _role(value)


RoleName = Annotated[str, AfterValidator(_role)]
Post = Annotated[str, AfterValidator(_post)]
Grade = int


class Part(BaseModel):
    """A section of the document: unknown keys are refused so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


# --- Service windows -------------------------------------------------------------------


class ServiceWindow(Part):
    """A daily time window of service: after school, noon care (午托), morning, evening."""

    kind: WindowKind
    weekdays: list[int] = Field(min_length=1)  # 0 = Monday … 6 = Sunday (Python numbering)
    start: Clock
    end: Clock
    periods: int = Field(ge=1, le=8)  # how many 课时 the window counts as
    grades: list[Grade] = Field(default_factory=lambda: list(range(1, 10)))
    venue: str = ""

    @model_validator(mode="after")
    def _check(self) -> ServiceWindow:
        if any(d < 0 or d > 6 for d in self.weekdays):
            raise ValueError(_("Weekdays are numbered 0 (Monday) to 6 (Sunday)."))
        if len(set(self.weekdays)) != len(self.weekdays):
            raise ValueError(_("A weekday is listed twice."))
        if self.end <= self.start:
            raise ValueError(_("The window must end after it starts."))
        if any(g < 1 or g > 9 for g in self.grades):
            raise ValueError(_("Grades run from 1 to 9."))
        return self

    @property
    def minutes(self) -> int:
        return minutes_between(self.start, self.end)


# --- Content by grade ------------------------------------------------------------------


class GradeActivity(Part):
    grades: list[Grade] = Field(min_length=1)
    activity: str = Field(min_length=1)
    kind: Literal[
        "supervised_homework", "homework_help", "interest_group", "reading", "sports_arts"
    ]
    free: bool = False
    subjects: list[str] = Field(default_factory=list)


class WeeklySlot(Part):
    """A fixed weekly slot such as "周一至周四下午第三节课" (plan 3)."""

    name: str
    weekdays: list[int] = Field(min_length=1)
    period_of_day: str = ""


class Content(Part):
    by_grade: list[GradeActivity] = Field(default_factory=list)
    school_clubs: list[str] = Field(default_factory=list)
    weekly_slots: list[WeeklySlot] = Field(default_factory=list)
    forbidden: list[
        Literal["collective_teaching", "cramming", "new_lessons", "paid_partnerships"]
    ] = Field(default_factory=list)
    five_fixes: bool = False  # 五定: plan, content, time, venue, instructor (plan 4)
    activity_record: Literal["none", "weekly_by_head_teacher"] = "none"
    competitions: list[str] = Field(default_factory=list)
    yearly_events: list[str] = Field(default_factory=list)
    showcase: str = ""  # end-of-term showcase (结业汇报, plan 6)


# --- Selection -------------------------------------------------------------------------


class Selection(Part):
    method: Literal["all_admitted", "first_come", "priority_then_lottery"]
    priority_order: list[PriorityGroup] = Field(default_factory=list)
    younger_grades_up_to: Grade | None = None
    application_steps: list[
        Literal[
            "publicity",
            "written_application",
            "class_review",
            "school_review",
            "parent_committee_review",
            "agreement",
            "roster_published",
        ]
    ] = Field(min_length=1)


# --- Fees ------------------------------------------------------------------------------


class FeeItem(Part):
    """One fee a family pays, e.g. the after-school service fee or the noon-care fee."""

    name: str = Field(min_length=1)
    covers: list[WindowKind] = Field(min_length=1)
    fee_kind: Literal["service", "collected_for_provider"]  # 服务性收费 / 代收费
    basis: Literal["term", "month", "period", "day"]
    amount: Money
    grades: list[Grade] = Field(default_factory=lambda: list(range(1, 10)))
    partial_month: Literal["by_day", "half_if_under_half", "full"] = "by_day"


class Waiver(Part):
    group: PriorityGroup
    percent: Percent  # share of the fee waived, 100 = free


class RefundRule(Part):
    """Refund after a continuous absence (plan 1: 连续一周以上 → 退还部分)."""

    basis: Literal["none", "school_day"]
    after_continuous_absent_days: int = Field(default=0, ge=0)
    refund: Literal["none", "absent_days", "all_missed_days"] = "absent_days"


class Meals(Part):
    price_per_meal: Money
    fee_kind: Literal["service", "collected_for_provider"]
    billed: Literal["monthly", "termly"] = "monthly"
    billing_within_working_days: int = Field(default=5, ge=1, le=23)
    collected_by: Literal["school", "provider"] = "provider"


class Fees(Part):
    funding: Literal["fees", "allocation", "allocation_plus_fees"] = "fees"
    items: list[FeeItem] = Field(default_factory=list)
    government_allocation_per_student: Money | None = None  # per term
    waivers: list[Waiver] = Field(default_factory=list)
    refund: RefundRule
    settlement: Literal["refund_and_top_up", "refund_only"]  # 多退少补 / 多退少不补
    meals: Meals | None = None
    separate_books: bool = True  # 专款专用 / 单独设账
    allowed_expenses: list[
        Literal[
            "staff_pay",
            "external_staff_pay",
            "consumables",
            "upkeep",
            "utilities",
            "cleaning",
            "equipment",
            "security",
        ]
    ] = Field(min_length=1)
    accounts_published: Literal["term_end", "monthly", "none"] = "term_end"


# --- Pay and deductions ----------------------------------------------------------------


class Subsidy(Part):
    """Management subsidy per person per day on duty (plan 1: 保安每人每天30元)."""

    post: Post
    per_day: Money


class Pay(Part):
    model: Literal["per_period_rate", "pool"]
    rate_per_period: Money | None = None
    cap_per_period: Money | None = None
    pool_deducts: list[Literal["management_subsidies", "external_staff", "consumables_upkeep"]] = (
        Field(default_factory=list)
    )
    counted: Literal["monthly", "termly"] = "monthly"
    subsidies: list[Subsidy] = Field(default_factory=list)
    external_rate_per_period: Money | None = None
    all_staff_take_part: bool = False

    @model_validator(mode="after")
    def _check(self) -> Pay:
        if self.model == "per_period_rate" and self.rate_per_period is None:
            raise ValueError(_("A per-period pay model needs the rate per period."))
        if self.model == "pool" and not self.pool_deducts:
            raise ValueError(_("The pool formula needs the items deducted before sharing."))
        if (
            self.rate_per_period is not None
            and self.cap_per_period is not None
            and self.rate_per_period > self.cap_per_period
        ):
            raise ValueError(_("The rate per period is above the plan's own cap per period."))
        return self


class DeductionRule(Part):
    """One rung of the deduction ladder (plan 1 绩效考核)."""

    event: Literal[
        "unexcused_absence", "late_early_or_swap", "handover_breach", "neglect", "safety_accident"
    ]
    min_count_in_month: int = Field(default=1, ge=1)
    deduct: Literal["that_period", "month_percent"]
    per_occurrence: bool = False
    percent_min: Percent | None = None
    percent_max: Percent | None = None

    @model_validator(mode="after")
    def _check(self) -> DeductionRule:
        if self.deduct == "month_percent":
            if self.percent_min is None:
                raise ValueError(_("A deduction of the month's pay needs a percent."))
            if self.percent_max is not None and self.percent_max < self.percent_min:
                raise ValueError(_("The highest percent is below the lowest."))
        return self


class Assessment(Part):
    cycle: Literal["monthly", "termly"] = "monthly"
    leave_approved_by: RoleName | None = None
    substitute_required: bool = False
    term_awards: bool = False
    inspections: Literal["none", "regular", "regular_and_random"] = "none"
    inspection_feeds_yearly_review: bool = False
    leaders_check_groups_daily: bool = False
    workload_counted: bool = False
    reports: list[Literal["weekly_notice", "monthly_summary", "public_notice"]] = Field(
        default_factory=list
    )


# --- Group forming, safety, governance -------------------------------------------------


class Grouping(Part):
    min_from_one_class: int = Field(ge=1)  # 30 or more from one class stay as a class (plan 7)
    merge: Literal["adjacent_grades", "same_grade", "none"]
    room: Literal["own_classroom", "assigned_venue"] = "own_classroom"


class Safety(Part):
    insurance_required: bool
    handover_points: list[str] = Field(default_factory=list)
    patrol_by: list[RoleName] = Field(default_factory=list)
    gate_register: bool = False
    attendance_check: bool = True
    emergency_plan: bool = False
    volunteers_vetted: bool = False
    daily_care_record: bool = False


class CommitteeApproval(Part):
    """The parent committee meeting that approved the plan (plan 7: 经学校家委会…通过)."""

    date: dt.date
    attendance: int | None = Field(default=None, ge=0)
    outcome: Literal["approved", "rejected"]
    note: str = ""


class Governance(Part):
    leadership_group: list[str] = Field(default_factory=list)  # titles, never personal names
    supervision_group: list[str] = Field(default_factory=list)
    parent_committee_approval: CommitteeApproval | None = None
    complaint_phone: str = ""
    fee_basis: list[str] = Field(default_factory=list)
    helpers: list[Literal["parents", "volunteers", "older_students", "external_instructors"]] = (
        Field(default_factory=list)
    )


class PlanDocument(Part):
    """一校一案: the whole plan of one school for one term."""

    schema_version: Literal[1] = 1
    title: str = Field(min_length=1)
    region: str = Field(min_length=2, pattern=r"^CN(/[^/]+)*$")
    school_stage: Literal["primary", "junior", "nine_year"] = "primary"
    principles: list[str] = Field(default_factory=list)
    windows: list[ServiceWindow] = Field(min_length=1)
    content: Content
    selection: Selection
    fees: Fees
    pay: Pay
    deductions: list[DeductionRule] = Field(default_factory=list)
    assessment: Assessment
    grouping: Grouping
    safety: Safety
    governance: Governance

    def windows_of(self, *kinds: str) -> list[ServiceWindow]:
        return [w for w in self.windows if w.kind in kinds]

    def dump(self) -> dict[str, Any]:
        """Return the document as stored: JSON with money as text."""
        return self.model_dump(mode="json")


class PlanInvalid(Exception):
    """The document does not follow the schema; ``errors`` are (path, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{p}: {m}" for p, m in errors))


def parse_document(data: Any) -> PlanDocument:
    """Validate ``data`` and return the document; raise :class:`PlanInvalid` otherwise.

    This is the one validator: the admin form, the plan page and the API all call it.
    """
    from plans.messages import error_message

    try:
        return PlanDocument.model_validate(data)
    except ValidationError as exc:
        errors = [
            (".".join(str(p) for p in err["loc"]) or "document", error_message(err))
            for err in exc.errors()
        ]
        raise PlanInvalid(errors) from None


def normalise(data: Any) -> dict[str, Any]:
    """Return ``data`` validated and written back in its stored form."""
    return parse_document(data).dump()
