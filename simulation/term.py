"""Play a whole term under a seed plan, day by day, through the services a user's clicks call.

``simulate_term(preset="p1", students=60, seed=1, faults={"late_pickup": 0.05})`` builds a
school (people, classes, rooms: reference data, as an administrator would enter it), then
acts out the term: the plan from its preset (approval, publication), the enrollment window,
applications and the review chain the plan names, the allocation lottery, care groups, a
period-by-period offering per group (so teaching records and pay follow), the duty roster,
charges and payments, and then every school day: leave notes, the hand-over from the last
period teacher, the care teacher's roll call, session roll calls (pay and lateness), the
hand-over back to the duty teacher, pickups at the gate, teacher leave with substitutes,
inspections, incidents; at each month's end the meal bill and the pay run; at term end
long-absence refunds, the settlement and the public accounts.

Faults are injected at the given rates and recorded (kind, child, simulated time). The
custody checks run at the simulated moment a duty leader would look (15 minutes' grace
after the start and after the end of the window, ``attendance.custody.GRACE``), through the
same selectors the duty screen shows; what they surface is compared with what was injected.
Deterministic for a seed: one ``random.Random(seed)``, a fixed simulated clock passed as
``now`` to every service that takes it.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from unittest import mock

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from attendance.custody import GRACE, child_states
from attendance.models import Alert, HandOver, LeaveNote, Mark
from attendance.selectors import hand_overs_of_day
from attendance.services import (
    AttendanceError,
    confirm_receipt,
    hand_over,
    pickup_code,
    release_to_guardian,
    report_leave,
    take_roll_call,
)
from attendance.services_log import record_gate_entry, record_gate_exit, report_incident
from enrollment.allocation import allocate_term
from enrollment.models import ChildApplication, EnrollmentWindow, Review
from enrollment.services import ChildRequest, chain_of, review, submit_application
from finance.disclosure import disclosure
from finance.ledger import balances_by_account
from finance.meals import bill_meals, pay_meal_vendor
from finance.models import JournalLine
from finance.services import charge_term, plan_of, record_payment, refund_absences, settle_term
from lib.money import ZERO
from payroll.models import PayLine
from payroll.services import build_pay_run, commit_pay_run, period_value
from people.actor import Actor
from people.consent import give_consent_in_bulk
from people.models import Guardian, Staff, StaffRole, Student, StudentGuardian, User
from people.roles import Role
from plans.models import SchoolPlan
from plans.services import approve, create_draft_from_preset, publish
from programs.models import CareGroup, Session
from programs.rules import grade_rule_problems
from programs.services import add_slot, create_offering, open_offering
from programs.services_groups import form_care_groups
from programs.sessions import generate_sessions
from schools.calendar import school_days
from schools.models import District, School, SchoolClass, Term, Venue
from schools.services import set_calendar_entry
from staffing.models import PerformanceEvent
from staffing.services import (
    decide_leave,
    derive_day,
    generate_duty_roster,
    record_inspection,
    request_leave,
)
from staffing.services_duty import add_pattern

PRESETS = ("p1", "p2", "p3", "p4", "p5", "p6", "p7")
FAULT_KINDS = (
    "missed_handover",  # the care teacher never confirms receiving the group (to_care hand-over)
    "count_mismatch",  # the duty teacher counts one child fewer than were handed back (to_duty)
    "unauthorised_pickup",  # an adult not on the child's list tries to take the child at the gate
    "absent_without_note",  # the child does not come to care and no guardian reported leave
    "late_pickup",  # the guardian comes 40 minutes after the window ends
    "late_teacher",  # the teacher takes the session roll call 12 minutes after its start
)
CUSTODY_KINDS = FAULT_KINDS[:5]
TERM_START, TERM_END = dt.date(2026, 9, 1), dt.date(2026, 12, 31)


@dataclass(frozen=True)
class TermDates:
    name: str
    start: dt.date
    end: dt.date
    workdays: tuple[
        tuple[dt.date, int, str], ...
    ]  # adjusted working weekend days: date, timetable, note


AUTUMN_2026 = TermDates(
    "2026秋季学期",
    TERM_START,
    TERM_END,
    (
        (dt.date(2026, 9, 20), 0, "国庆节调休上班（周日），按周一课表"),
        (dt.date(2026, 10, 10), 3, "国庆节调休上班（周六），按周四课表"),
    ),
)
# Plan 7 is the spring 2022 plan of a school that counts noon care as its after-school
# service; from spring 2024 noon care no longer counts (national.json cn-counted-2024), so a
# plan-7 school is simulated in the plan's own term.
SPRING_2022 = TermDates(
    "2022春季学期",
    dt.date(2022, 2, 14),
    dt.date(2022, 7, 1),
    (
        (dt.date(2022, 4, 2), 0, "清明节调休上班（周六），按周一课表"),
        (dt.date(2022, 4, 24), 0, "劳动节调休上班（周日），按周一课表"),
        (dt.date(2022, 5, 7), 2, "劳动节调休上班（周六），按周三课表"),
    ),
)
TERM_OF_PRESET = {"p7": SPRING_2022}
OFFERING_KINDS = (
    "noon_care",
    "homework_help",
    "supervised_homework",
    "reading_room",
    "club",
    "sport",
    "interest_group",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "子涵欣怡梓轩浩然一诺雨桐宇轩思远可馨俊杰佳怡明哲若曦"


class SimulationError(Exception):
    pass


@dataclass(frozen=True)
class Fault:
    kind: str
    student_id: int | None
    at: dt.datetime
    ref: str = ""  # the hand-over, session or child the fault is about


@dataclass
class TermSummary:
    preset: str
    school_id: int
    term_id: int
    students: int
    seed: int
    days: int = 0
    finished: bool = False  # the whole term was played (settlement and public accounts done)
    last_day: str = ""
    applications: int = 0
    approved: int = 0
    care_groups: int = 0
    sessions: int = 0
    money: dict[str, str] = field(default_factory=dict)  # account → balance
    charged: str = "0.00"
    paid: str = "0.00"
    waived: str = "0.00"
    refunded: str = "0.00"
    outstanding: str = "0.00"
    meals_billed: str = "0.00"
    period_value: str = "0.00"
    pool: dict = field(default_factory=dict)
    pay_per_teacher: dict[str, str] = field(default_factory=dict)
    deductions_by_rule: dict[str, str] = field(default_factory=dict)
    refunds: list[dict] = field(default_factory=list)
    settlement: dict[str, int] = field(default_factory=dict)
    attendance: dict[str, int] = field(default_factory=dict)
    faults_injected: dict[str, int] = field(default_factory=dict)
    faults_detected: dict[str, int] = field(default_factory=dict)
    false_alarms: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    queries: dict[str, int] = field(default_factory=dict)
    incidents: int = 0
    inspections: int = 0
    teacher_leaves: int = 0
    public_accounts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def parse_faults(text: str | dict | None) -> dict[str, float]:
    """``"0.02"`` (every kind) or ``"missed_handover=0.02,late_pickup=0.05"``."""
    if not text:
        return {}
    if isinstance(text, dict):
        rates = dict(text)
    elif "=" not in text:
        rates = dict.fromkeys(FAULT_KINDS, float(text))
    else:
        rates = {}
        for part in text.split(","):
            kind, _sep, rate = part.partition("=")
            rates[kind.strip()] = float(rate)
    unknown = set(rates) - set(FAULT_KINDS)
    if unknown:
        raise SimulationError(
            f"Unknown fault kind(s): {', '.join(sorted(unknown))}; known: {', '.join(FAULT_KINDS)}"
        )
    if any(not 0 <= r <= 1 for r in rates.values()):
        raise SimulationError("Fault rates lie between 0 and 1.")
    return rates


@contextmanager
def sim_clock(at: dt.datetime):
    """Set the clock for one service call that has no ``now`` parameter (review, leave decision,
    pay-run commit), so its timestamps are simulated time. Only for the length of that call."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def aware(day: dt.date, clock: dt.time, minutes: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, clock)) + dt.timedelta(minutes=minutes)


_ACTORS: dict[int, Actor] = {}


def _actor(staff: Staff) -> Actor:
    if staff.pk in _ACTORS:
        return _ACTORS[staff.pk]
    roles = frozenset(StaffRole.objects.filter(staff=staff).values_list("role", flat=True))
    _ACTORS[staff.pk] = Actor(
        user=staff.user, school_id=staff.school_id, staff_id=staff.pk, roles=roles
    )
    return _ACTORS[staff.pk]


class _Phases:
    """Seconds and SQL queries spent in each phase of the simulation."""

    def __init__(self):
        self.spent: dict[str, float] = defaultdict(float)
        self.queries: dict[str, int] = defaultdict(int)
        self.count = 0

    def _counter(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __call__(self, name: str):
        phases = self

        class _Timer:
            def __enter__(self):
                self.t, self.q = time.perf_counter(), phases.count
                self.wrapper = connection.execute_wrapper(phases._counter)
                self.wrapper.__enter__()

            def __exit__(self, *exc):
                self.wrapper.__exit__(*exc)
                phases.spent[name] += time.perf_counter() - self.t
                phases.queries[name] += phases.count - self.q

        return _Timer()


# --- The school -----------------------------------------------------------------------------


@dataclass
class _School:
    school: School
    term: Term
    principal: Staff
    finance: Staff
    duty: Staff
    guard: Staff
    teachers: list[Staff]
    spare: list[
        Staff
    ]  # teachers without a group of their own: substitutes and last-period teachers
    classes: list[SchoolClass]
    guardians: dict[int, Guardian]  # student id → primary guardian
    outsider: Guardian


def _user(username: str) -> User:
    return User.objects.create(username=username)  # no password: the simulation acts for them


def build_school(
    *,
    preset: str,
    students: int,
    seed: int,
    rng: random.Random,
    district: District | None = None,
    dates: TermDates = AUTUMN_2026,
) -> _School:
    """Reference data as the school's administrator enters it: people, classes, rooms, term."""
    tag = f"sim{seed}{preset}{School.objects.count() + 1}"
    district = district or District.objects.create(name=f"模拟区{tag}", code=f"SIM-{tag}")
    school = School.objects.create(
        district=district,
        name=f"模拟小学（{preset}）{tag}",
        code=tag.upper(),
        complaint_phone="0571-12345678",
    )
    term = Term.objects.create(school=school, name=dates.name, start=dates.start, end=dates.end)
    for date, weekday, note in dates.workdays:
        set_calendar_entry(
            school=school,
            date=date,
            kind="workday",
            follows_weekday=weekday,
            note=note,
            acting_user=None,
        )

    def staff(name: str, *roles: str) -> Staff:
        member = Staff.objects.create(
            school=school,
            name=name,
            user=_user(f"{tag}-{Staff.objects.count()}"),
            phone=f"139{school.pk % 10**4:04d}{Staff.objects.filter(school=school).count():04d}",
        )
        StaffRole.objects.bulk_create([StaffRole(staff=member, role=r) for r in roles])
        return member

    principal = staff("校长", Role.PRINCIPAL)
    finance = staff("会计", Role.FINANCE)
    duty = staff("值班领导", Role.DUTY_LEADER)
    guard = staff("保安", Role.GUARD)
    per_grade = [students // 6 + (1 if g < students % 6 else 0) for g in range(6)]
    classes, teachers = [], []
    for grade, count in enumerate(per_grade, start=1):
        n_classes = max(1, -(-count // 45))
        for number in range(1, n_classes + 1):
            head = staff(f"{grade}年级{number}班班主任", Role.TEACHER, Role.HEAD_TEACHER)
            room = Venue.objects.create(
                school=school, name=f"{grade}年级{number}班教室", kind="classroom", capacity=50
            )
            classes.append(
                SchoolClass.objects.create(
                    school=school, grade=grade, number=number, head_teacher=head, home_room=room
                )
            )
            teachers.append(head)
    spare = [staff(f"科任老师{i}", Role.TEACHER) for i in range(1, 4)]
    guardians: dict[int, Guardian] = {}
    serial = 0
    for grade, count in enumerate(per_grade, start=1):
        mine = [c for c in classes if c.grade == grade]
        for i in range(count):
            serial += 1
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
            flags = {
                "is_low_income": rng.random() < 0.05,
                "is_left_behind": rng.random() < 0.08,
                "is_migrant_child": rng.random() < 0.1,
            }
            student = Student.objects.create(
                school=school,
                school_class=mine[i % len(mine)],
                name=name,
                gender="MF"[serial % 2],
                birth_date=dt.date(2020 - grade, 1 + serial % 12, 1 + serial % 28),
                student_number=f"{tag}{serial:05d}",
                national_id="",
                **flags,
            )
            guardian = Guardian.objects.create(
                name=name[0] + "家长",
                phone=f"138{school.pk % 10**3:03d}{serial:05d}",
                user=_user(f"{tag}-g{serial}"),
            )
            StudentGuardian.objects.create(
                school=school,
                student=student,
                guardian=guardian,
                relation="mother",
                is_primary=True,
                may_pick_up=True,
            )
            guardians[student.pk] = guardian
    outsider = Guardian.objects.create(
        name="陌生人", phone=f"137{school.pk:08d}", user=_user(f"{tag}-x")
    )
    return _School(
        school, term, principal, finance, duty, guard, teachers, spare, classes, guardians, outsider
    )


# --- The engine -----------------------------------------------------------------------------


class _Term:
    def __init__(
        self, s: _School, *, preset: str, seed: int, rates: dict[str, float], rng: random.Random
    ):
        self.s, self.preset, self.seed, self.rates, self.rng = s, preset, seed, rates, rng
        self.term, self.school = s.term, s.school
        self.faults: list[Fault] = []
        self.detected: Counter = Counter()
        self.false_alarms: list[str] = []
        self.absent_days: dict[int, set[dt.date]] = defaultdict(set)
        self.attendance: Counter = Counter()
        self.lead = _actor(s.principal)
        self.duty = _actor(s.duty)
        self.guard = _actor(s.guard)
        self.counts = Counter()
        self.doc = None
        self.services: set[str] = set()
        self._students: dict[int, Student] = {}
        _ACTORS.clear()

    def student(self, pk: int) -> Student:
        if not self._students:
            self._students.update(Student.objects.filter(school=self.school).in_bulk())
        return self._students[pk]

    def roll(self, kind: str) -> bool:
        rate = self.rates.get(kind, 0.0)
        return rate > 0 and self.rng.random() < rate

    # -- before the term ------------------------------------------------------------------
    def plan(self) -> None:
        user = self.s.principal.user
        plan = create_draft_from_preset(term=self.term, preset_key=self.preset, acting_user=user)
        plan = approve(
            plan=plan,
            meeting_date=self.term.start - dt.timedelta(days=17),
            attendance=21,
            acting_user=user,
            note="家委会会议审议通过",
        )
        publish(plan=plan, acting_user=user)
        self.doc = plan_of(self.term)
        self.services = {w.kind for w in self.doc.windows} & {"after_school", "noon_care"}
        self.windows = {w.kind: w for w in self.doc.windows if w.kind in self.services}

    def enrollment(self) -> None:
        opens = aware(self.term.start - dt.timedelta(days=12), dt.time(8))
        applied = aware(self.term.start - dt.timedelta(days=7), dt.time(20))
        EnrollmentWindow.objects.create(
            term=self.term,
            school=self.school,
            opens_at=opens,
            closes_at=opens + dt.timedelta(days=10),
            offer_days=3,
        )
        links = StudentGuardian.objects.filter(school=self.school).select_related(
            "student__school_class"
        )
        grades = {g for w in self.windows.values() for g in w.grades}
        for link in links.order_by("pk"):
            if self.rng.random() > 0.9 or link.student.school_class.grade not in grades:
                continue
            give_consent_in_bulk(links=[link], now=applied)
            request = ChildRequest(
                student_id=link.student_id,
                after_school="after_school" in self.services,
                noon_care="noon_care" in self.services,
                meals="noon_care" in self.services and self.doc.fees.meals is not None,
                insurer="中国人寿" if self.doc.safety.insurance_required else "",
                insurance_policy=f"P{link.student_id:08d}"
                if self.doc.safety.insurance_required
                else "",
                insurance_start=self.term.start if self.doc.safety.insurance_required else None,
                insurance_end=self.term.end if self.doc.safety.insurance_required else None,
            )
            submit_application(
                guardian=link.guardian,
                term=self.term,
                children=[request],
                idempotency_key=f"sim-{link.pk}",
                agreement_accepted=True,
                now=applied,
            )
            self.counts["applications"] += 1
        steps = chain_of(self.doc)
        for child in (
            ChildApplication.objects.filter(application__term=self.term)
            .select_related("student__school_class__head_teacher")
            .order_by("pk")
        ):
            for step in steps:
                if step == Review.Step.CLASS:
                    actor = _actor(child.student.school_class.head_teacher)
                else:
                    actor = self.lead
                with sim_clock(
                    applied + dt.timedelta(days=1, hours=-5)
                ):  # reviewed the next afternoon
                    review(child=child, step=step, approve=True, reason="", actor=actor)
        allocate_term(
            term=self.term, acting_user=self.s.principal.user, seed=f"sim-{self.seed}", now=applied
        )
        self.approved = list(
            ChildApplication.objects.filter(
                application__term=self.term, status=ChildApplication.Status.APPROVED
            )
            .select_related("student__school_class")
            .order_by("pk")
        )
        self.counts["approved"] = len(self.approved)

    def groups(self) -> None:
        user = self.s.principal.user
        self.groups_by_service: dict[str, list[CareGroup]] = {}
        self.members: dict[int, list[int]] = {}
        busy = set()
        for service in sorted(self.services):
            wanted = [c.student_id for c in self.approved if getattr(c, f"wants_{service}", False)]
            if not wanted:
                continue
            run = form_care_groups(
                term=self.term, service=service, student_ids=wanted, acting_user=user
            )
            groups = list(
                CareGroup.objects.filter(run=run).select_related("teacher").order_by("pk")
            )
            for group in groups:
                self.members[group.pk] = sorted(group.members.values_list("student_id", flat=True))
                if group.teacher_id is None or group.teacher_id in busy:
                    raise SimulationError(f"Care group {group} has no teacher of its own.")
                busy.add(group.teacher_id)
            self.groups_by_service[service] = groups
        self.counts["care_groups"] = sum(len(g) for g in self.groups_by_service.values())
        # The care teacher's periods are a homework-help offering per group, one slot a period,
        # so that teaching records, pay and lateness follow from sessions (plan 1 按实际上课节数).
        for service, groups in self.groups_by_service.items():
            window = self.windows[service]
            minutes = window.minutes // window.periods
            for group in groups:
                grades = sorted(set(group.grades))
                kind = next(
                    k
                    for k in OFFERING_KINDS
                    if not grade_rule_problems(self.doc, kind=k, grades=grades)
                    and (k != "noon_care" or service == "noon_care")
                )
                offering = create_offering(
                    term=self.term,
                    kind=kind,
                    name=f"{group.name}看护",
                    grades=grades,
                    capacity=max(len(self.members[group.pk]), 1),
                    content="作业辅导、答疑",
                    activity_plan="每日看护",
                    acting_user=user,
                )
                for weekday in window.weekdays:
                    for p in range(window.periods):
                        start = aware(self.term.start, window.start, p * minutes).timetz()
                        end = aware(self.term.start, window.start, (p + 1) * minutes).timetz()
                        add_slot(
                            offering=offering,
                            weekday=weekday,
                            start=start.replace(tzinfo=None),
                            end=end.replace(tzinfo=None),
                            venue=group.venue,
                            instructor=group.teacher,
                            acting_user=user,
                        )
                open_offering(offering=offering, acting_user=user)
        self.counts["sessions"] = generate_sessions(term=self.term, acting_user=user).created
        for weekday in range(7):
            add_pattern(
                term=self.term, weekday=weekday, post="guard", staff=self.s.guard, actor=self.lead
            )
            add_pattern(
                term=self.term,
                weekday=weekday,
                post="duty_leader",
                staff=self.s.duty,
                actor=self.lead,
            )
        generate_duty_roster(term=self.term)

    def charges(self) -> None:
        user = self.s.finance.user
        self.charged_from: dict[int, dt.date] = {}
        for child in self.approved:
            services = {s for s in self.services if getattr(child, f"wants_{s}", False)}
            for fee in charge_term(
                term=self.term, student=child.student, services=services, acting_user=user
            ):
                if fee.due > 0:
                    record_payment(
                        term=self.term,
                        student=child.student,
                        amount=fee.due,
                        date=self.term.start + dt.timedelta(days=3),
                        reference=f"SIM-{self.school.pk}-{child.student_id}-{fee.item}",
                        acting_user=user,
                    )

    # -- one school day -------------------------------------------------------------------------
    def day(self, day: dt.date) -> None:
        self.leave(day)
        for service, groups in self.groups_by_service.items():
            window = self.windows[service]
            if day.weekday() not in window.weekdays and day.weekday() < 5:
                continue
            self.custody(day, service, window, groups)
        self.teaching(day)
        derive_day(school_id=self.school.pk, date=day)
        self.detect_teachers(day)
        if self.rng.random() < 0.05:
            self.incident(day)

    def leave(self, day: dt.date) -> None:
        """Guardians report leave the evening before: now and then a day, rarely a sick week."""
        evening = aware(day - dt.timedelta(days=1), dt.time(20))
        for students in self.members.values():
            for student_id in students:
                if self.rng.random() < 0.02 or self.sick.get(student_id, dt.date.min) >= day:
                    guardian = self.s.guardians[student_id]
                    report_leave(
                        student=Student(pk=student_id, school_id=self.school.pk),
                        actor=Actor(user=guardian.user, guardian_id=guardian.pk),
                        date=day,
                        reason="病假" if self.sick.get(student_id) else "家中有事",
                        now=evening,
                    )
                    self.absent_days[student_id].add(day)
                    self.attendance["on_leave"] += 1
                if student_id not in self.sick and self.rng.random() < 0.002:
                    self.sick[student_id] = day + dt.timedelta(
                        days=8
                    )  # more than a week away: refund

    def custody(self, day: dt.date, service: str, window, groups: list[CareGroup]) -> None:
        leave = set(
            LeaveNote.objects.filter(
                school=self.school, date=day, cancelled_at__isnull=True
            ).values_list("student_id", flat=True)
        )
        start, end = aware(day, window.start), aware(day, window.end)
        spare = self.s.spare
        present_by_group: dict[int, list[int]] = {}
        missed: list[tuple[HandOver, list[int]]] = []
        absent_no_note: set[int] = set()
        for i, group in enumerate(groups):
            expected = [s for s in self.members[group.pk] if s not in leave]
            absent = {s for s in expected if self.roll("absent_without_note")}
            for s in sorted(absent):
                self.faults.append(
                    Fault(
                        "absent_without_note",
                        s,
                        start + dt.timedelta(minutes=20),
                        f"group:{group.pk}",
                    )
                )
            absent_no_note |= absent
            present = [s for s in expected if s not in absent]
            present_by_group[group.pk] = present
            last_teacher = spare[i % len(spare)]
            record = hand_over(
                actor=_actor(last_teacher),
                kind=HandOver.Kind.TO_CARE,
                date=day,
                to_staff=group.teacher,
                student_ids=present,
                care_group=group,
                on_leave_count=len(expected) - len(present),
                now=start - dt.timedelta(minutes=2),
            )
            if present and self.roll("missed_handover"):
                missed.append((record, present))
                for s in present:
                    self.faults.append(Fault("missed_handover", s, start, f"handover:{record.pk}"))
            else:
                confirm_receipt(
                    actor=_actor(group.teacher),
                    hand_over=record,
                    received_count=len(present),
                    now=start,
                )
        # The duty leader looks at the unaccounted screen once the grace period has passed.
        check = start + GRACE + dt.timedelta(minutes=1)
        self.compare_unaccounted(
            day,
            service,
            check,
            expected_waiting=absent_no_note,
            expected_unconfirmed={s for _h, ids in missed for s in ids},
        )
        for group in groups:
            marks = dict.fromkeys(present_by_group[group.pk], Mark.Status.PRESENT)
            marks.update(
                {s: Mark.Status.ABSENT for s in self.members[group.pk] if s in absent_no_note}
            )
            marks.update({s: Mark.Status.LEAVE for s in self.members[group.pk] if s in leave})
            take_roll_call(
                actor=_actor(group.teacher),
                date=day,
                marks=marks,
                care_group=group,
                now=start + dt.timedelta(minutes=20),
            )
            self.attendance["present"] += len(present_by_group[group.pk])
        for s in absent_no_note:
            self.absent_days[s].add(day)
            self.attendance["absent_without_note"] += 1
        alerts = Counter(
            Alert.objects.filter(
                school=self.school, date=day, kind="absent_without_leave"
            ).values_list("student_id", flat=True)
        )
        self.detected["absent_without_note"] += sum(1 for s in absent_no_note if alerts.get(s))
        self.false_alarms += [
            f"{day} absent_without_leave alert for {s}" for s in alerts if s not in absent_no_note
        ]

        # At the end of the window each group goes back to the duty teacher, then home.
        mismatches = 0
        for group in groups:
            present = present_by_group[group.pk]
            if not present:
                continue
            record = hand_over(
                actor=_actor(group.teacher),
                kind=HandOver.Kind.TO_DUTY,
                date=day,
                to_staff=self.s.duty,
                student_ids=present,
                care_group=group,
                now=end,
            )
            counted = len(present)
            if self.roll("count_mismatch"):
                counted -= 1
                mismatches += 1
                self.faults.append(
                    Fault(
                        "count_mismatch",
                        None,
                        end + dt.timedelta(minutes=1),
                        f"handover:{record.pk}",
                    )
                )
            confirm_receipt(
                actor=self.duty,
                hand_over=record,
                received_count=counted,
                now=end + dt.timedelta(minutes=1),
            )
        found = Alert.objects.filter(school=self.school, date=day, kind="count_mismatch").count()
        self.detected["count_mismatch"] += min(found, mismatches)
        if found > mismatches:
            self.false_alarms.append(f"{day} {found - mismatches} count_mismatch alert(s) too many")
        late: set[int] = set()
        if service == "after_school":
            late = self.pickups(day, end, [s for g in groups for s in present_by_group[g.pk]])
        check = end + GRACE + dt.timedelta(minutes=1)
        self.compare_unaccounted(
            day, service, check, expected_waiting=set(), expected_unconfirmed=set()
        )
        states = {
            c.student_id: c
            for c in child_states(term=self.term, service=service, date=day, now=check)
        }
        waiting = {
            s for s, c in states.items() if c.state == "with_adult" and service == "after_school"
        }
        self.detected["late_pickup"] += len(late & waiting)
        self.false_alarms += [
            f"{day} {s} still at school at {check:%H:%M} but not late" for s in waiting - late
        ]
        for s in sorted(
            late
        ):  # the guardian arrives 40 minutes late; the guard registers them at the gate
            at = end + dt.timedelta(minutes=40)
            entry = record_gate_entry(
                actor=self.guard,
                name=self.s.guardians[s].name,
                purpose="迟接孩子",
                for_student=self.student(s),
                now=at,
            )
            self._pickup(day, s, at)
            record_gate_exit(actor=self.guard, entry=entry, now=at + dt.timedelta(minutes=3))

    def _pickup(self, day: dt.date, student_id: int, at: dt.datetime) -> None:
        guardian = self.s.guardians[student_id]
        release_to_guardian(
            actor=self.guard,
            student=self.student(student_id),
            guardian=guardian,
            date=day,
            code=pickup_code(guardian, day),
            now=at,
        )
        self.attendance["picked_up"] += 1

    def pickups(self, day: dt.date, end: dt.datetime, present: list[int]) -> set[int]:
        late = set()
        for student_id in present:
            if self.roll("unauthorised_pickup"):
                at = end + dt.timedelta(minutes=3)
                self.faults.append(
                    Fault("unauthorised_pickup", student_id, at, f"student:{student_id}")
                )
                try:
                    release_to_guardian(
                        actor=self.guard,
                        student=self.student(student_id),
                        guardian=self.s.outsider,
                        date=day,
                        code="000000",
                        now=at,
                    )
                except AttendanceError:
                    pass
                else:
                    raise SimulationError("An adult not on the list took a child home.")
            if self.roll("late_pickup"):
                late.add(student_id)
                self.faults.append(
                    Fault("late_pickup", student_id, end + GRACE, f"student:{student_id}")
                )
                continue
            self._pickup(day, student_id, end + dt.timedelta(minutes=2 + self.rng.randrange(12)))
        refused = set(
            Alert.objects.filter(school=self.school, date=day, kind="refused_pickup").values_list(
                "student_id", flat=True
            )
        )
        injected = {
            f.student_id
            for f in self.faults
            if f.kind == "unauthorised_pickup" and f.at.date() == day
        }
        self.detected["unauthorised_pickup"] += len(refused & injected)
        self.false_alarms += [
            f"{day} refused pickup of {s} not injected" for s in refused - injected
        ]
        return late

    def compare_unaccounted(
        self, day, service, now, *, expected_waiting: set[int], expected_unconfirmed: set[int]
    ):
        states = [
            c
            for c in child_states(term=self.term, service=service, date=day, now=now)
            if c.unaccounted
        ]
        waiting = {c.student_id for c in states if c.state in ("waiting", "absent")}
        unconfirmed = {c.student_id for c in states if c.state == "handed_unconfirmed"}
        if expected_unconfirmed:  # the duty screen also lists each such hand-over as not confirmed
            listed = {
                f"handover:{h.pk}"
                for h in hand_overs_of_day(self.school.pk, day)
                if h.received_at is None
            }
            on_list = {
                f.student_id
                for f in self.faults
                if f.kind == "missed_handover" and f.at.date() == day and f.ref in listed
            }
            self.detected["missed_handover"] += len(unconfirmed & expected_unconfirmed & on_list)
        other = (
            {c.student_id for c in states}
            - (waiting & expected_waiting)
            - (unconfirmed & expected_unconfirmed)
        )
        self.false_alarms += [
            f"{day} {now:%H:%M} {service}: child {s} unaccounted" for s in sorted(other)
        ]
        missing = expected_waiting - waiting
        self.false_alarms += [
            f"{day} {now:%H:%M} {service}: absent child {s} not on the screen" for s in missing
        ]

    def teaching(self, day: dt.date) -> None:
        """Each session's teacher takes its roll call (on time, or late when the fault says so)."""
        for session in (
            Session.objects.filter(school=self.school, date=day)
            .exclude(status=Session.Status.CANCELLED)
            .select_related("instructor__user")
            .order_by("start", "pk")
        ):
            start = aware(day, session.start)
            minutes = 2
            if self.roll("late_teacher"):
                minutes = 12
                self.faults.append(
                    Fault(
                        "late_teacher",
                        None,
                        start + dt.timedelta(minutes=12),
                        f"session:{session.pk}",
                    )
                )
            take_roll_call(
                actor=_actor(session.instructor),
                date=day,
                marks={},
                session=session,
                now=start + dt.timedelta(minutes=minutes),
            )

    def detect_teachers(self, day: dt.date) -> None:
        injected = {f.ref for f in self.faults if f.kind == "late_teacher" and f.at.date() == day}
        found = set(
            PerformanceEvent.objects.filter(
                school_id=self.school.pk,
                date=day,
                kind=PerformanceEvent.Kind.LATE_EARLY_OR_SWAP,
                source_key__startswith="session:",
            ).values_list("source_key", flat=True)
        )
        self.detected["late_teacher"] += len(found & injected)
        self.false_alarms += [f"{day} lateness {k} not injected" for k in found - injected]

    def teacher_leave(self, day: dt.date) -> None:
        """A care teacher asks for a day's leave ahead; the principal approves with a substitute."""
        sessions = list(
            Session.objects.filter(
                school=self.school, date=day, status=Session.Status.SCHEDULED
            ).order_by("instructor_id", "start")
        )
        if not sessions:
            return
        teacher_id = self.rng.choice(sorted({s.instructor_id for s in sessions}))
        mine = [s for s in sessions if s.instructor_id == teacher_id]
        teacher = Staff.objects.get(pk=teacher_id)
        leave = request_leave(teacher=teacher, sessions=mine, reason="外出培训")
        with sim_clock(aware(day, dt.time(7, 50))):
            decide_leave(leave=leave, approve=True, actor=self.lead, substitute=self.s.spare[-1])
        self.counts["teacher_leaves"] += 1

    def inspection(self, day: dt.date) -> None:
        session = Session.objects.filter(school=self.school, date=day).order_by("pk").first()
        if session is None:
            return
        record_inspection(
            actor=self.duty,
            teacher=session.instructor,
            kind="random",
            at=aware(day, session.start, 10),
            scores=(9, 8, 9),
            notes="秩序良好",
            session=session,
        )
        self.counts["inspections"] += 1

    def incident(self, day: dt.date) -> None:
        ids = [s for students in self.members.values() for s in students]
        if not ids:
            return
        student = Student.objects.get(pk=self.rng.choice(ids))
        report_incident(
            actor=self.duty,
            kind="injury",
            severity="minor",
            students=[student],
            description="课间奔跑擦伤膝盖，已消毒处理",
            actions="校医处理",
            now=aware(day, dt.time(17)),
        )
        self.counts["incidents"] += 1

    # -- month and term ends -----------------------------------------------------------------
    def month_end(self, month: dt.date, last_day: dt.date) -> None:
        if self.doc.fees.meals is not None:
            bills = bill_meals(
                term=self.term, year=month.year, month=month.month, acting_user=self.s.finance.user
            )
            for bill in bills:
                if bill.amount > 0:
                    record_payment(
                        term=self.term,
                        student=Student(pk=bill.student_id, school_id=self.school.pk),
                        amount=bill.amount,
                        date=bill.date,
                        account="receivable:meals",
                        reference=f"MEAL-{self.school.pk}-{bill.student_id}-{month:%Y%m}",
                        acting_user=self.s.finance.user,
                    )
            collected = sum((b.amount for b in bills), ZERO)
            if collected > 0:  # the money collected for the lunch provider goes on to it (代收费)
                pay_meal_vendor(
                    school=self.school,
                    term=self.term,
                    amount=collected,
                    date=last_day,
                    reference=f"VENDOR-{self.school.pk}-{month:%Y%m}",
                    acting_user=self.s.finance.user,
                )
        run = build_pay_run(term=self.term, month=month, acting_user=self.s.principal.user)
        with sim_clock(aware(last_day, dt.time(19))):
            commit_pay_run(run=run, acting_user=self.s.principal.user)

    def term_end(self) -> None:
        user = self.s.finance.user
        for child in self.approved:
            away = self.absent_days.get(child.student_id)
            if away:
                services = {s for s in self.services if getattr(child, f"wants_{s}", False)}
                refund_absences(
                    term=self.term,
                    student=child.student,
                    services=services,
                    absent=away,
                    acting_user=user,
                )
        settle_term(
            term=self.term,
            students=[c.student for c in self.approved],
            acting_user=user,
            date=self.term.end,
        )


def _phase_progress(progress: Callable | None, done: int, total: int, label: str) -> None:
    if progress is not None:
        progress(done, total, label)


def simulate_term(
    preset: str,
    students: int,
    seed: int,
    faults: str | dict | None = None,
    until: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    *,
    weeks: int | None = None,
    district: District | None = None,
    check: bool = True,
) -> TermSummary:
    """Simulate the term and return its summary; the invariants are checked at the end (raise)."""
    if preset not in PRESETS:
        raise SimulationError(f"Unknown preset {preset!r}; choose one of {', '.join(PRESETS)}.")
    if students < 6:
        raise SimulationError("Simulate at least 6 students (one a grade).")
    rates = parse_faults(faults)
    dates = TERM_OF_PRESET.get(preset, AUTUMN_2026)
    if weeks is not None:  # a short term (tests): the first ``weeks`` weeks, ending on a Friday
        end = dates.start + dt.timedelta(weeks=weeks) - dt.timedelta(days=dates.start.weekday() + 3)
        dates = TermDates(dates.name, dates.start, min(end, dates.end), dates.workdays)
    rng = random.Random(seed)  # noqa: S311 — simulation, not secrets
    phases = _Phases()
    with phases("school"), transaction.atomic():
        s = build_school(
            preset=preset,
            students=students,
            seed=seed,
            rng=rng,
            district=district,
            dates=dates,
        )
    sim = _Term(s, preset=preset, seed=seed, rates=rates, rng=rng)
    sim.sick = {}
    with transaction.atomic():
        with phases("plan"):
            sim.plan()
        with phases("enrollment"):
            sim.enrollment()
        with phases("groups_sessions"):
            sim.groups()
        with phases("charges_payments"):
            sim.charges()
    term_days = [d.date for d in school_days(s.term)]
    days = [d for d in term_days if until is None or d <= until]
    for n, day in enumerate(days, start=1):
        with transaction.atomic():
            if n % 10 == 3:  # now and then a care teacher is away; the principal names a substitute
                with phases("staffing"):
                    sim.teacher_leave(day)
            with phases("days"):
                sim.day(day)
            if n % 5 == 0:
                with phases("staffing"):
                    sim.inspection(day)
            next_day = term_days[n] if n < len(term_days) else None
            if next_day is None or next_day.month != day.month:  # the month's last school day
                with phases("pay_meals"):
                    sim.month_end(day.replace(day=1), day)
        _phase_progress(progress, n, len(days), f"{day}")
    finished = until is None or until >= s.term.end
    if finished:
        with phases("settlement"), transaction.atomic():
            sim.term_end()
    summary = _summarise(sim, days, phases, finished)
    if check:
        from simulation.invariants import check_invariants

        with phases("invariants"):
            check_invariants(sim, summary)
        summary.timings = {k: round(v, 3) for k, v in phases.spent.items()}
        summary.queries = dict(phases.queries)
    return summary


def _summarise(sim: _Term, days: list[dt.date], phases: _Phases, finished: bool) -> TermSummary:
    term = sim.term
    summary = TermSummary(
        preset=sim.preset,
        school_id=sim.school.pk,
        term_id=term.pk,
        students=Student.objects.filter(school=sim.school).count(),
        seed=sim.seed,
    )
    summary.days = len(days)
    summary.finished = finished
    summary.last_day = str(days[-1]) if days else ""
    summary.applications, summary.approved = sim.counts["applications"], sim.counts["approved"]
    summary.care_groups, summary.sessions = sim.counts["care_groups"], sim.counts["sessions"]
    summary.incidents, summary.inspections = sim.counts["incidents"], sim.counts["inspections"]
    summary.teacher_leaves = sim.counts["teacher_leaves"]
    summary.money = {
        k: str(v)
        for k, v in sorted(balances_by_account(school_id=sim.school.pk, term_id=term.pk).items())
    }

    lines = JournalLine.objects.filter(entry__term=term, account__code="receivable:service")
    charged = _sum(lines.filter(entry__source_type="charge", amount__gt=0))
    summary.charged = str(charged)
    summary.waived = str(-_sum(lines.filter(entry__source_type="charge", amount__lt=0)))
    summary.paid = str(-_sum(lines.filter(entry__source_type="payment")))
    summary.refunded = str(-_sum(lines.filter(entry__source_type="absence_refund")))
    summary.outstanding = str(_sum(lines))
    summary.meals_billed = str(
        _sum(
            JournalLine.objects.filter(
                entry__term=term, entry__source_type="meal_bill", account__code="receivable:meals"
            )
        )
    )
    value, working = period_value(term)
    summary.period_value, summary.pool = str(value.quantize(Decimal("0.0001"))), working
    pay: dict[str, Decimal] = defaultdict(lambda: ZERO)
    rules: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in PayLine.objects.filter(run__term=term).select_related("staff"):
        pay[line.staff.name] += line.net
        for d in line.deductions:
            rules[d["rule"]] += Decimal(d["amount"])
    summary.pay_per_teacher = {k: str(v) for k, v in sorted(pay.items())}
    summary.deductions_by_rule = {k: str(v) for k, v in sorted(rules.items())}
    summary.refunds = [
        {"student_id": line.student_id, "amount": str(-line.amount), "memo": line.entry.memo}
        for line in lines.filter(entry__source_type="absence_refund")
        .select_related("entry")
        .order_by("pk")
    ]
    summary.settlement = {
        "entries": JournalLine.objects.filter(
            entry__term=term, entry__source_type="settlement", account__code="receivable:service"
        ).count()
    }
    summary.attendance = dict(sim.attendance)
    summary.faults_injected = {k: sum(1 for f in sim.faults if f.kind == k) for k in FAULT_KINDS}
    summary.faults_detected = {k: sim.detected.get(k, 0) for k in FAULT_KINDS}
    summary.false_alarms = list(sim.false_alarms)
    if finished:
        plan = (
            SchoolPlan.objects.filter(term=term, status=SchoolPlan.Status.PUBLISHED)
            .order_by("-version")
            .first()
        )
        summary.public_accounts = [str(x) for x in disclosure(plan).notice]
    summary.timings = {k: round(v, 3) for k, v in phases.spent.items()}
    summary.queries = dict(phases.queries)
    return summary


def _sum(qs) -> Decimal:
    return qs.aggregate(s=Sum("amount"))["s"] or ZERO
