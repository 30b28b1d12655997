"""The district view: per school and in total, how the after-school service covers the district.

Figures follow the national monitoring of 课后服务 (plan 4: 全覆盖; POLICY.md): the share of
schools offering the service, of students taking part (and taking part all five days), of
teachers taking part, the number of outside staff and volunteers, and students served
against students who applied; per school also the plan, 5+2, fees and pay against the caps
in force, attendance and incidents.

Every figure is read for all schools at once: the page costs the same number of queries
for two schools or two hundred (pinned in ``tests/test_district.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from attendance.models import Mark
from attendance.models_log import Incident
from enrollment.models import ChildApplication, Choice
from payroll.models import PayRun
from people.models import StaffRole, Student
from people.roles import Role
from plans.checks import PlanFigures, facts_from_days, plan_figures
from plans.limits import limits_in_force
from plans.models import SchoolPlan
from plans.policy import PlanDocument, parse_document
from programs.models import CareGroup, Session
from reports.dashboard import ATTENDED, ENROLLED, LIVE, percent
from schools.calendar import CalendarYearUnknown, term_calendars
from schools.models import School, Term
from staffing.models import DutyAssignment

WEEKDAYS = frozenset(range(5))  # Monday to Friday: "all five days"
TEACHING = {Role.TEACHER, Role.HEAD_TEACHER}
# Which plan windows a child's application takes part in (enrollment.ChildApplication fields).
SERVICE_WINDOWS = {"wants_after_school": "after_school", "wants_noon_care": "noon_care"}


@dataclass
class SchoolRow:
    school: School
    term: Term | None = None
    plan_published: bool = False
    five_plus_two: bool | None = None  # None: no published plan to measure
    on_roll: int = 0
    applied: int = 0
    served: int = 0
    five_days: int = 0
    fee_per_term: Decimal | None = None
    fee_cap_per_term: Decimal | None = None
    fee_per_period: Decimal | None = None
    fee_cap_per_period: Decimal | None = None
    pay_per_period: Decimal | None = None  # committed pay runs' value per period, else the plan's
    pay_cap_per_period: Decimal | None = None
    marks: int = 0
    attended: int = 0
    incidents: int = 0
    teachers: int = 0
    teachers_taking_part: int = 0
    outside_staff: int = 0
    volunteers: int = 0
    calendar_problem: str = ""

    @property
    def share_served(self) -> str:
        return percent(self.served, self.on_roll)

    @property
    def share_five_days(self) -> str:
        return percent(self.five_days, self.on_roll)

    @property
    def attendance_rate(self) -> str:
        return percent(self.attended, self.marks)

    @property
    def fee_over_cap(self) -> bool:
        return _over(self.fee_per_term, self.fee_cap_per_term) or _over(self.fee_per_period, self.fee_cap_per_period)

    @property
    def pay_over_cap(self) -> bool:
        return _over(self.pay_per_period, self.pay_cap_per_period)


def _over(value: Decimal | None, cap: Decimal | None) -> bool:
    return value is not None and cap is not None and value > cap


@dataclass
class Coverage:
    """The district's totals, as the national monitoring counts them."""

    schools: int = 0
    schools_offering: int = 0
    students: int = 0
    students_taking_part: int = 0
    students_five_days: int = 0
    students_applied: int = 0
    teachers: int = 0
    teachers_taking_part: int = 0
    outside_staff: int = 0
    volunteers: int = 0

    def figures(self) -> list[tuple[str, str, str]]:
        """Return (label, figure, how it is counted) rows."""
        return [
            (_("Schools offering the service"), f"{self.schools_offering} / {self.schools}",
             percent(self.schools_offering, self.schools)),
            (_("Students taking part"), f"{self.students_taking_part} / {self.students}",
             percent(self.students_taking_part, self.students)),
            (_("Students taking part all five days"), f"{self.students_five_days} / {self.students}",
             percent(self.students_five_days, self.students)),
            (_("Teachers taking part"), f"{self.teachers_taking_part} / {self.teachers}",
             percent(self.teachers_taking_part, self.teachers)),
            (_("Outside staff (external instructors)"), str(self.outside_staff), ""),
            (_("Volunteers"), str(self.volunteers), ""),
            (_("Students served / students who applied"), f"{self.students_taking_part} / {self.students_applied}",
             percent(self.students_taking_part, self.students_applied)),
        ]


@dataclass
class DistrictView:
    rows: list[SchoolRow] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)
    charts: dict = field(default_factory=dict)


def pick_term(terms: list[Term], today: dt.date) -> Term | None:
    """The term running today, else the next to start, else the latest (schools.selectors.current_term)."""
    running = [t for t in terms if t.start <= today <= t.end]
    if running:
        return running[0]
    coming = sorted((t for t in terms if t.start > today), key=lambda t: t.start)
    if coming:
        return coming[0]
    return max(terms, key=lambda t: t.end, default=None)


def district_view(district_id: int, *, today: dt.date) -> DistrictView:
    """Return every school's row and the district's coverage (a fixed number of queries)."""
    schools = list(School.objects.filter(district_id=district_id).order_by("code"))
    rows = {s.pk: SchoolRow(school=s) for s in schools}
    terms_by_school: dict[int, list[Term]] = defaultdict(list)
    for term in Term.objects.filter(school__district_id=district_id):
        terms_by_school[term.school_id].append(term)
    terms: dict[int, Term] = {}
    for school_id, row in rows.items():
        row.term = pick_term(terms_by_school[school_id], today)
        if row.term is not None:
            terms[row.term.pk] = row.term
    row_of_term = {t.pk: rows[t.school_id] for t in terms.values()}

    documents = _plans(row_of_term, terms)
    _students(rows, row_of_term, district_id)
    _five_days(row_of_term, documents)
    _attendance(row_of_term, terms)
    _staff(rows, row_of_term, district_id)
    _pay(row_of_term)

    view = DistrictView(rows=list(rows.values()))
    c = view.coverage
    c.schools = len(view.rows)
    for row in view.rows:
        c.schools_offering += row.plan_published
        c.students += row.on_roll
        c.students_taking_part += row.served
        c.students_five_days += row.five_days
        c.students_applied += row.applied
        c.teachers += row.teachers
        c.teachers_taking_part += row.teachers_taking_part
        c.outside_staff += row.outside_staff
        c.volunteers += row.volunteers
    view.charts = _charts(view)
    return view


def _plans(row_of_term: dict[int, SchoolRow], terms: dict[int, Term]) -> dict[int, PlanDocument]:
    """Mark published plans; measure each against the limits in force (5+2, fee and pay caps)."""
    latest: dict[int, SchoolPlan] = {}
    for plan in SchoolPlan.objects.filter(term_id__in=terms, status=SchoolPlan.Status.PUBLISHED).order_by("version"):
        latest[plan.term_id] = plan
    calendars = term_calendars(t for t in terms.values() if t.pk in latest)
    documents: dict[int, PlanDocument] = {}
    for term_id, plan in latest.items():
        row = row_of_term[term_id]
        row.plan_published = True
        doc = parse_document(plan.document)
        documents[term_id] = doc
        days = calendars[term_id]
        if isinstance(days, CalendarYearUnknown):
            row.calendar_problem = days.message
            continue
        figures: PlanFigures = plan_figures(doc, facts_from_days(terms[term_id], days))
        row.five_plus_two = not figures.breached("five_plus_two")
        row.fee_per_term, row.fee_per_period = figures.fee_per_term, figures.fee_per_period
        row.pay_per_period = figures.pay_per_period
        for limit in limits_in_force(region=doc.region, stage=doc.school_stage, on=terms[term_id].start):
            amount = Decimal(str(limit.params.get("amount", "0")))
            if limit.rule == "fee_cap_per_term":
                row.fee_cap_per_term = amount
            elif limit.rule == "fee_cap_per_period":
                row.fee_cap_per_period = amount
            elif limit.rule == "pay_cap_per_period":
                row.pay_cap_per_period = amount
    return documents


def _students(rows: dict[int, SchoolRow], row_of_term: dict[int, SchoolRow], district_id: int) -> None:
    on_roll = (
        Student.objects.filter(school__district_id=district_id, is_active=True)
        .values("school_id").annotate(n=Count("pk"))
    )
    for r in on_roll:
        rows[r["school_id"]].on_roll = r["n"]
    applications = (
        ChildApplication.objects.filter(term_id__in=row_of_term)
        .values("term_id")
        .annotate(applied=Count("student", filter=LIVE, distinct=True),
                  served=Count("student", filter=ENROLLED, distinct=True))
    )
    for r in applications:
        row = row_of_term[r["term_id"]]
        row.applied, row.served = r["applied"], r["served"]


def _five_days(row_of_term: dict[int, SchoolRow], documents: dict[int, PlanDocument]) -> None:
    """Count children whose services and clubs together cover Monday to Friday."""
    days: dict[tuple[int, int], set[int]] = defaultdict(set)
    enrolled = ChildApplication.objects.filter(ENROLLED, term_id__in=row_of_term).values_list(
        "term_id", "student_id", "student__school_class__grade", *SERVICE_WINDOWS
    )
    for term_id, student_id, grade, *wants in enrolled:
        doc = documents.get(term_id)
        kinds = {kind for wanted, kind in zip(wants, SERVICE_WINDOWS.values(), strict=True) if wanted}
        key = (term_id, student_id)
        days[key]  # every enrolled child has an entry, even with no weekday yet
        for window in doc.windows if doc else []:
            if window.kind in kinds and grade in window.grades:
                days[key].update(window.weekdays)
    clubs = Choice.objects.filter(
        offering__term_id__in=row_of_term, status__in=Choice.HOLDS_PLACE,
        child_application__status=ChildApplication.Status.APPROVED,
    ).values_list("offering__term_id", "child_application__student_id", "offering__slots__weekday")
    for term_id, student_id, weekday in clubs:
        if weekday is not None and (term_id, student_id) in days:
            days[term_id, student_id].add(weekday)
    for (term_id, _student), weekdays in days.items():
        if WEEKDAYS <= weekdays:
            row_of_term[term_id].five_days += 1


def _in_terms(terms: dict[int, Term], school_field: str, date_field: str) -> Q:
    clauses = [Q(**{school_field: t.school_id, f"{date_field}__range": (t.start, t.end)}) for t in terms.values()]
    return reduce(or_, clauses) if clauses else Q(pk__in=[])


def _attendance(row_of_term: dict[int, SchoolRow], terms: dict[int, Term]) -> None:
    by_school = {row.school.pk: row for row in row_of_term.values()}
    marks = (
        Mark.objects.filter(_in_terms(terms, "roll_call__school_id", "roll_call__date"))
        .values("roll_call__school_id")
        .annotate(n=Count("pk"), there=Count("pk", filter=Q(status__in=ATTENDED)))
    )
    for r in marks:
        row = by_school[r["roll_call__school_id"]]
        row.marks, row.attended = r["n"], r["there"]
    incidents = Incident.objects.filter(_in_terms(terms, "school_id", "date")).values("school_id").annotate(n=Count("pk"))
    for r in incidents:
        by_school[r["school_id"]].incidents = r["n"]


def _staff(rows: dict[int, SchoolRow], row_of_term: dict[int, SchoolRow], district_id: int) -> None:
    """Teachers: active staff who teach (teacher or head teacher roles), not outside staff.

    Taking part: teaching a session, caring for a group or on a duty post in the term.
    """
    roles: dict[int, set[str]] = defaultdict(set)
    school_of: dict[int, int] = {}
    for staff_id, school_id, role in StaffRole.objects.filter(
        staff__school__district_id=district_id, staff__is_active=True
    ).values_list("staff_id", "staff__school_id", "role"):
        roles[staff_id].add(role)
        school_of[staff_id] = school_id
    teachers = set()
    for staff_id, held in roles.items():
        row = rows[school_of[staff_id]]
        if Role.EXTERNAL_INSTRUCTOR in held:
            row.outside_staff += 1
        elif Role.VOLUNTEER in held:
            row.volunteers += 1
        elif held & TEACHING:
            row.teachers += 1
            teachers.add(staff_id)
    term_ids = list(row_of_term)
    taking_part = set(Session.objects.filter(offering__term_id__in=term_ids).values_list("instructor_id", flat=True))
    taking_part |= set(CareGroup.objects.filter(run__term_id__in=term_ids, teacher__isnull=False)
                       .values_list("teacher_id", flat=True))
    taking_part |= set(DutyAssignment.objects.filter(term_id__in=term_ids).values_list("staff_id", flat=True))
    for staff_id in taking_part & teachers:
        rows[school_of[staff_id]].teachers_taking_part += 1


def _pay(row_of_term: dict[int, SchoolRow]) -> None:
    """Committed pay runs replace the plan's figure with what was actually paid per period."""
    runs = (
        PayRun.objects.filter(term_id__in=row_of_term, status=PayRun.Status.COMMITTED)
        .values("term_id").annotate(top=Max("period_value"))
    )
    for r in runs:
        row_of_term[r["term_id"]].pay_per_period = Decimal(r["top"]).quantize(Decimal("0.01"))


def _charts(view: DistrictView) -> dict:
    names = [row.school.name for row in view.rows]

    def share(part: int, whole: int) -> float:
        return round(part * 100 / whole, 1) if whole else 0.0

    return {
        "coverage": {
            "data": [
                {"type": "bar", "name": str(_("taking part (%)")), "x": names,
                 "y": [share(r.served, r.on_roll) for r in view.rows]},
                {"type": "bar", "name": str(_("all five days (%)")), "x": names,
                 "y": [share(r.five_days, r.on_roll) for r in view.rows]},
            ],
            "layout": {"barmode": "group", "title": {"text": str(_("Students taking part, by school"))},
                       "yaxis": {"range": [0, 100]}},
        },
    }
