"""The principal's dashboard: participation, today, attendance, teaching and money for a term.

Every figure is a count or a sum over the rows behind it, read with a fixed number of
queries whatever the number of children (pinned in ``tests/test_dashboard.py``). Each
figure carries the link to the list behind it, so a principal can check any number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import Alert, Mark
from attendance.models_log import Incident
from attendance.selectors import unaccounted_now
from enrollment.models import ChildApplication, Choice
from finance.selectors import public_statement, term_totals
from people.models import Student
from programs.models import Session
from schools.models import SchoolClass, Term
from staffing.models import Inspection, PerformanceEvent, TeachingRecord

LIVE = ~Q(status=ChildApplication.Status.WITHDRAWN)
ENROLLED = Q(status=ChildApplication.Status.APPROVED)
# Marks that count a child as there (plan 5: attendance is taken at every session).
ATTENDED = (Mark.Status.PRESENT, Mark.Status.LATE)
FLAGS = ("is_low_income", "is_left_behind", "is_single_parent", "is_migrant_child", "has_disability")


@dataclass
class Figure:
    """One number on the dashboard and where its rows are listed."""

    label: str
    value: int | Decimal | str
    url: str = ""


@dataclass
class ParticipationRow:
    label: str
    on_roll: int
    applied: int
    enrolled: int
    url: str = ""

    @property
    def rate(self) -> str:
        return percent(self.enrolled, self.on_roll)


@dataclass
class Dashboard:
    term: Term
    today: dt.date
    participation: list[Figure] = field(default_factory=list)
    by_grade: list[ParticipationRow] = field(default_factory=list)
    by_class: list[ParticipationRow] = field(default_factory=list)
    priority: list[ParticipationRow] = field(default_factory=list)
    today_figures: list[Figure] = field(default_factory=list)
    attendance: list[Figure] = field(default_factory=list)
    attendance_by_week: list[dict] = field(default_factory=list)
    teaching: list[Figure] = field(default_factory=list)
    money: list[Figure] = field(default_factory=list)
    charts: dict = field(default_factory=dict)


def percent(part: int, whole: int) -> str:
    """Return ``part / whole`` as a percentage with one decimal, or an en dash for 0/0."""
    if not whole:
        return "–"
    return f"{Decimal(part * 100) / Decimal(whole):.1f}%"


def _participation(board: Dashboard, school_id: int, *, show_flags: bool) -> None:
    term = board.term
    review = reverse("enrollment:school_review") + f"?term={term.pk}"
    # On roll per class (one query) and applications per class (one query).
    classes = list(
        SchoolClass.objects.filter(school_id=school_id)
        .annotate(n=Count("students", filter=Q(students__is_active=True)))
        .order_by("grade", "number")
    )
    applied_rows = (
        ChildApplication.objects.filter(term_id=term.pk, school_id=school_id)
        .values("student__school_class_id")
        .annotate(
            applied=Count("student", filter=LIVE, distinct=True),
            enrolled=Count("student", filter=ENROLLED, distinct=True),
        )
    )
    applied = {r["student__school_class_id"]: r for r in applied_rows}
    grades: dict[int, ParticipationRow] = {}
    for klass in classes:
        a = applied.get(klass.pk, {"applied": 0, "enrolled": 0})
        board.by_class.append(
            ParticipationRow(str(klass), klass.n, a["applied"], a["enrolled"], f"{review}&status=&class={klass.pk}")
        )
        row = grades.setdefault(
            klass.grade,
            ParticipationRow(_("Grade %(grade)s") % {"grade": klass.grade}, 0, 0, 0,
                             f"{review}&status=&grade={klass.grade}"),
        )
        row.on_roll += klass.n
        row.applied += a["applied"]
        row.enrolled += a["enrolled"]
    board.by_grade = list(grades.values())
    on_roll = sum(r.on_roll for r in board.by_grade)
    n_applied = sum(r.applied for r in board.by_grade)
    n_enrolled = sum(r.enrolled for r in board.by_grade)
    places = Choice.objects.filter(offering__term_id=term.pk, school_id=school_id).aggregate(
        placed=Count("pk", filter=Q(status__in=Choice.HOLDS_PLACE)),
        waitlisted=Count("pk", filter=Q(status=Choice.Status.WAITLISTED)),
    )
    board.participation = [
        Figure(_("students on roll"), on_roll, reverse("people:student_list")),
        Figure(_("children applied"), n_applied, f"{review}&status="),
        Figure(_("enrolled (approved)"), n_enrolled, f"{review}&status={ChildApplication.Status.APPROVED}"),
        Figure(_("share of students enrolled"), percent(n_enrolled, on_roll)),
        Figure(_("club places given"), places["placed"], reverse("enrollment:allocation") + f"?term={term.pk}"),
        Figure(_("on waiting lists"), places["waitlisted"], reverse("enrollment:allocation") + f"?term={term.pk}"),
    ]
    if show_flags:
        _priority(board, school_id)


def _priority(board: Dashboard, school_id: int) -> None:
    """Priority groups on roll and enrolled: leaders and finance only (VIEW_PRIORITY_FLAGS)."""
    labels = {
        "is_low_income": _("low-income families"),
        "is_left_behind": _("left-behind children"),
        "is_single_parent": _("single-parent families"),
        "is_migrant_child": _("children of migrant workers"),
        "has_disability": _("children with disabilities"),
    }
    roll = Student.objects.filter(school_id=school_id, is_active=True).aggregate(
        **{f: Count("pk", filter=Q(**{f: True})) for f in FLAGS}
    )
    enrolled = (
        ChildApplication.objects.filter(ENROLLED, term_id=board.term.pk, school_id=school_id)
        .aggregate(**{f: Count("student", filter=Q(**{f"student__{f}": True}), distinct=True) for f in FLAGS})
    )
    board.priority = [ParticipationRow(str(labels[f]), roll[f], 0, enrolled[f]) for f in FLAGS]


def _today(board: Dashboard, school_id: int) -> None:
    today = board.today
    sessions = Session.objects.filter(school_id=school_id, date=today).aggregate(
        total=Count("pk"), cancelled=Count("pk", filter=Q(status=Session.Status.CANCELLED))
    )
    open_alerts = Alert.objects.filter(school_id=school_id, date=today, resolved_at__isnull=True).count()
    services = unaccounted_now(school_id, today, timezone.now())
    missing = sum(len(s.missing) for s in services)
    duty = reverse("attendance:duty")
    board.today_figures = [
        Figure(_("sessions today"), sessions["total"] - sessions["cancelled"], reverse("programs:timetable")),
        Figure(_("sessions cancelled today"), sessions["cancelled"], reverse("programs:timetable")),
        Figure(_("children not accounted for now"), missing, duty),
        Figure(_("open alerts"), open_alerts, duty),
    ]


def _attendance(board: Dashboard, school_id: int) -> None:
    term = board.term
    marks = Mark.objects.filter(
        roll_call__school_id=school_id, roll_call__date__range=(term.start, min(term.end, board.today))
    )
    rows = list(marks.values("roll_call__date", "status").annotate(n=Count("pk")))
    totals: dict[str, int] = defaultdict(int)
    weeks: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        totals[row["status"]] += row["n"]
        day = row["roll_call__date"]
        weeks[day - dt.timedelta(days=day.weekday())][row["status"]] += row["n"]
    marked = sum(totals.values())
    there = sum(totals[s] for s in ATTENDED)
    incidents = Incident.objects.filter(school_id=school_id, date__range=(term.start, term.end)).count()
    board.attendance = [
        Figure(_("roll-call marks this term"), marked),
        Figure(_("attendance rate"), percent(there, marked)),
        Figure(_("absent"), totals[Mark.Status.ABSENT]),
        Figure(_("on leave"), totals[Mark.Status.LEAVE]),
        Figure(_("late"), totals[Mark.Status.LATE]),
        Figure(_("incidents"), incidents, reverse("attendance:incidents")),
    ]
    for week in sorted(weeks):
        counts = weeks[week]
        total = sum(counts.values())
        board.attendance_by_week.append({
            "week": week,
            "marked": total,
            "attended": sum(counts[s] for s in ATTENDED),
            "rate": float(Decimal(sum(counts[s] for s in ATTENDED) * 100) / total) if total else 0.0,
        })


def _teaching(board: Dashboard, school_id: int) -> None:
    term = board.term
    span = (term.start, term.end)
    records = TeachingRecord.objects.filter(school_id=school_id, date__range=span).aggregate(
        total=Count("pk"),
        delivered=Count("pk", filter=Q(outcome__in=[TeachingRecord.Outcome.DELIVERED, TeachingRecord.Outcome.SUBSTITUTE])),
        missed=Count("pk", filter=Q(outcome=TeachingRecord.Outcome.MISSED)),
        late=Count("pk", filter=Q(outcome__in=[
            TeachingRecord.Outcome.LATE_START, TeachingRecord.Outcome.EARLY_FINISH,
            TeachingRecord.Outcome.UNAPPROVED_SWAP])),
    )
    inspections = Inspection.objects.filter(school_id=school_id, at__date__range=span).count()
    events = PerformanceEvent.objects.filter(school_id=school_id, date__range=span).exclude(
        kind=PerformanceEvent.Kind.COMMENDATION
    ).count()
    term_q = f"?term={term.pk}"
    board.teaching = [
        Figure(_("teaching records"), records["total"], reverse("staffing:records") + term_q),
        Figure(_("delivered as planned"), records["delivered"], reverse("staffing:records") + term_q),
        Figure(_("delivery rate"), percent(records["delivered"], records["total"])),
        Figure(_("missed without leave"), records["missed"], reverse("staffing:records") + term_q),
        Figure(_("late, early or swapped"), records["late"], reverse("staffing:records") + term_q),
        Figure(_("inspections"), inspections, reverse("staffing:inspections") + term_q),
        Figure(_("breaches recorded"), events, reverse("staffing:events")),
    ]


def _money(board: Dashboard, *, show_money: bool) -> None:
    if not show_money:
        return
    totals = term_totals(board.term)
    desk = reverse("finance:desk") + f"?term={board.term.pk}"
    board.money = [
        Figure(_("charged"), totals.charged, desk),
        Figure(_("paid"), totals.paid, desk),
        Figure(_("still owed by families"), totals.outstanding, desk),
        Figure(_("refunded"), totals.refunds, desk),
        Figure(_("waived"), totals.waived, desk),
        # 公示 balance: income earned less the expenses booked (finance.selectors.public_statement).
        Figure(_("fund balance (income less expenses)"), public_statement(board.term).balance,
               reverse("finance:public", args=[board.term.school.code, board.term.pk])),
    ]


def school_dashboard(term: Term, *, today: dt.date, show_flags: bool, show_money: bool) -> Dashboard:
    """Return the dashboard of ``term``'s school (the term is already scoped to the actor)."""
    board = Dashboard(term=term, today=today)
    _participation(board, term.school_id, show_flags=show_flags)
    _today(board, term.school_id)
    _attendance(board, term.school_id)
    _teaching(board, term.school_id)
    _money(board, show_money=show_money)
    board.charts = _charts(board)
    return board


def _charts(board: Dashboard) -> dict:
    """Plotly figure specs (plain data; the page draws them with the local plotly.min.js)."""
    grades = [r.label for r in board.by_grade]
    charts = {
        "participation": {
            "data": [
                {"type": "bar", "name": str(_("on roll")), "x": grades, "y": [r.on_roll for r in board.by_grade]},
                {"type": "bar", "name": str(_("applied")), "x": grades, "y": [r.applied for r in board.by_grade]},
                {"type": "bar", "name": str(_("enrolled")), "x": grades, "y": [r.enrolled for r in board.by_grade]},
            ],
            "layout": {"barmode": "group", "title": {"text": str(_("Participation by grade"))}},
        },
    }
    if board.attendance_by_week:
        charts["attendance"] = {
            "data": [{
                "type": "scatter", "mode": "lines+markers", "name": str(_("attendance rate")),
                "x": [w["week"].isoformat() for w in board.attendance_by_week],
                "y": [round(w["rate"], 1) for w in board.attendance_by_week],
            }],
            "layout": {"title": {"text": str(_("Attendance rate by week (%)"))}, "yaxis": {"range": [0, 100]}},
        }
    if board.money:
        charts["money"] = {
            "data": [{
                "type": "bar", "x": [f.label for f in board.money[:5]],
                "y": [float(f.value) for f in board.money[:5]],
            }],
            "layout": {"title": {"text": str(_("The fund this term (yuan)"))}},
        }
    return charts
