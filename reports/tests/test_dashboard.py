"""The principal's dashboard: every figure equals a count over the rows behind it.

The school is seeded through the services (schools.demo + simulation.demo_term), then a few
roll calls, derived teaching records and an inspection are added the way staff add them.
The test counts the same things again with its own queries; no figure is typed in by hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from attendance.models import Mark
from attendance.services import take_roll_call
from enrollment.models import ChildApplication, Choice
from finance.ledger import balance
from lib import testing as make
from people.actor import actor_for
from people.models import Staff, Student
from people.roles import Role
from programs.models import CareGroup, CareGroupMember, Session
from reports.dashboard import school_dashboard
from schools.demo import seed_demo
from schools.models import School, Term
from simulation.demo_term import bring_term_to_life
from staffing.models import Inspection, TeachingRecord
from staffing.services import derive_day, record_inspection

MARKS = [Mark.Status.PRESENT, Mark.Status.PRESENT, Mark.Status.LATE, Mark.Status.ABSENT, Mark.Status.LEAVE]


def _figures(figures) -> dict[str, object]:
    return {str(f.label): f.value for f in figures}


@pytest.fixture
def seeded(db):
    seed_demo(schools=1, students=150, seed=7)
    school = School.objects.get()
    term = Term.objects.select_related("school").get(school=school)
    bring_term_to_life(school=school, term=term, seed=7)
    principal = Staff.objects.get(school=school, roles__role=Role.PRINCIPAL)
    leader = actor_for(principal.user)
    # Two care-group roll calls on the first two days that have sessions, marks in a fixed cycle.
    days = sorted(set(Session.objects.filter(school=school).values_list("date", flat=True)))[:2]
    for day in days:
        for group in CareGroup.objects.filter(run__term=term).order_by("pk")[:2]:
            members = list(CareGroupMember.objects.filter(group=group).order_by("student_id")
                           .values_list("student_id", flat=True))
            take_roll_call(actor=leader, date=day, care_group=group,
                           marks={sid: MARKS[i % len(MARKS)] for i, sid in enumerate(members)})
        derive_day(school_id=school.pk, date=day)
    teacher = Staff.objects.filter(school=school, roles__role=Role.TEACHER).order_by("pk").first()
    record_inspection(actor=leader, teacher=teacher, kind=Inspection.Kind.RANDOM,
                      at=dt.datetime(2026, 9, 10, 16, 45, tzinfo=dt.UTC), scores=(9, 8, 9))
    return school, term, principal, days[-1]


def test_dashboard_figures_equal_the_rows_behind_them(seeded):
    school, term, principal, last_day = seeded
    with translation.override("en"):  # figures are looked up by their English labels
        board = school_dashboard(term, today=last_day, show_flags=True, show_money=True)

    students = Student.objects.filter(school=school, is_active=True)
    children = ChildApplication.objects.filter(term=term)
    participation = _figures(board.participation)
    assert participation["students on roll"] == students.count()
    assert participation["children applied"] == children.exclude(status="withdrawn").values("student").distinct().count()
    enrolled = children.filter(status="approved").values("student").distinct().count()
    assert enrolled > 0
    assert participation["enrolled (approved)"] == enrolled
    assert participation["club places given"] == Choice.objects.filter(
        offering__term=term, status__in=["placed", "offered"]).count()
    assert sum(r.on_roll for r in board.by_class) == students.count()
    assert sum(r.enrolled for r in board.by_grade) == enrolled
    for row in board.by_grade:
        grade = int(row.url.rsplit("=", 1)[1])
        assert row.on_roll == students.filter(school_class__grade=grade).count()
    low_income = next(r for r in board.priority if r.label == "low-income families")
    assert low_income.on_roll == students.filter(is_low_income=True).count()
    assert low_income.enrolled == children.filter(status="approved", student__is_low_income=True).count()

    marks = Mark.objects.filter(roll_call__school=school)
    attendance = _figures(board.attendance)
    assert attendance["roll-call marks this term"] == marks.count() > 0
    there = marks.filter(status__in=["present", "late"]).count()
    assert attendance["attendance rate"] == f"{Decimal(there * 100) / marks.count():.1f}%"
    assert attendance["absent"] == marks.filter(status="absent").count() > 0
    assert attendance["on leave"] == marks.filter(status="leave").count()
    assert sum(w["marked"] for w in board.attendance_by_week) == marks.count()

    teaching = _figures(board.teaching)
    records = TeachingRecord.objects.filter(school=school)
    assert teaching["teaching records"] == records.count() > 0
    assert teaching["delivered as planned"] == records.filter(outcome__in=["delivered", "substitute"]).count()
    assert teaching["inspections"] == 1

    money = _figures(board.money)
    # Receivable and income accounts as the ledger holds them (signs as finance.selectors reads them).
    assert money["still owed by families"] == balance(school_id=school.pk, account="receivable:service")
    assert money["charged"] == -balance(school_id=school.pk, account="income:service_fees")
    assert money["charged"] > 0


def test_dashboard_hides_money_and_flags_from_those_without_the_capability(seeded):
    school, term, principal, last_day = seeded
    board = school_dashboard(term, today=last_day, show_flags=False, show_money=False)
    assert board.money == [] and board.priority == []
    assert "money" not in board.charts


def test_dashboard_page_links_each_number_and_draws_from_local_plotly(seeded, as_user):
    school, term, principal, _day = seeded
    response = as_user(principal.user).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/plotly.min.js" in html and "cdn" not in html.lower()
    assert 'data-chart="chart-participation"' in html
    assert reverse("enrollment:school_review") in html and reverse("finance:desk") in html


def test_dashboard_refused_to_teachers_and_other_schools_terms(seeded, as_user, school_b):
    school, term, principal, _day = seeded
    teacher = Staff.objects.filter(school=school, roles__role=Role.TEACHER, user__isnull=False).exclude(
        roles__role__in=[Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.MIDDLE_MANAGER]).first()
    assert as_user(teacher.user).get(reverse("reports:dashboard")).status_code == 403
    other = make.make_term(school_b)
    client = as_user(principal.user)
    assert client.get(reverse("reports:dashboard") + f"?term={other.pk}").status_code == 404
    assert client.get(reverse("reports:dashboard") + "?term=abc").status_code == 404


def _queries(term: Term, day: dt.date) -> int:
    with CaptureQueriesContext(connection) as ctx:
        school_dashboard(term, today=day, show_flags=True, show_money=True)
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_students(seeded):
    school, term, principal, last_day = seeded
    before = _queries(term, last_day)
    klass = school.classes.order_by("pk").first()
    for i in range(40):
        make.make_student(klass, name=f"新生{i}")
    assert _queries(term, last_day) == before
    assert Student.objects.filter(school=school).aggregate(n=Count("pk", filter=Q(is_active=True)))["n"] >= 190


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("reports:dashboard")).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_page_queries_do_not_grow_with_students(seeded, as_user):
    school, term, principal, _day = seeded
    client = as_user(principal.user)
    before = _page_queries(client)
    klass = school.classes.order_by("pk").first()
    for i in range(40):
        make.make_student(klass, name=f"新生{i}")
    assert _page_queries(client) == before
