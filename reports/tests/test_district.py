"""The district view, hand-checked on two schools, and its query count pinned.

城南小学 runs plan 2 (published): after-school care Monday–Friday 16:30–18:30, three
periods a day at 3.00 yuan a period, teachers paid 50.00 yuan a period. 城北小学 has a
term but no plan yet. Every expected figure below is counted by hand from what the test
creates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from attendance.services import take_roll_call
from enrollment.allocation import allocate_term
from enrollment.models import ChildApplication, Review
from enrollment.services import ChildRequest, review, submit_application
from enrollment.tests.conftest import OPEN_NOW, open_club, published_term
from lib import testing as make
from people.actor import actor_for
from people.roles import Role
from programs.models import Session
from programs.sessions import generate_sessions
from reports.district import district_view

TODAY = dt.date(2026, 10, 15)


@pytest.fixture
def two_schools(school_a, school_b, class_a, class_b, teacher, principal):
    term = published_term(school_a, "p2")
    club = open_club(term, capacity=2)  # Wednesdays 16:30–17:30, its coach a teacher
    generate_sessions(term=term, acting_user=None)
    students = [make.make_student(class_a, name=f"南{i}") for i in range(8)]
    leader, head = actor_for(principal.user), actor_for(teacher.user)
    children = []
    for i, student in enumerate(students[:6]):
        guardian = make.make_guardian(student, name=f"家长{i}")
        request = (ChildRequest(student_id=student.pk, choices=[club.pk]) if i == 5
                   else ChildRequest(student_id=student.pk, after_school=True))
        application = submit_application(guardian=guardian, term=term, children=[request],
                                          idempotency_key=f"k{i}", agreement_accepted=True, now=OPEN_NOW)
        children.append(application.children.get())
    for i, child in enumerate(children):
        if i == 4:  # the fifth is returned by the head teacher
            review(child=child, step=Review.Step.CLASS, approve=False, reason="请补充保险信息", actor=head)
            continue
        review(child=child, step=Review.Step.CLASS, approve=True, reason="", actor=head)
        review(child=child, step=Review.Step.SCHOOL, approve=True, reason="", actor=leader)
    allocate_term(term=term, acting_user=principal.user, seed="district-test", now=OPEN_NOW)
    # The club's first session: its coach takes the roll, the one placed child is there.
    session = Session.objects.filter(offering=club).order_by("date").first()
    take_roll_call(actor=actor_for(session.instructor.user), date=session.date, session=session,
                   marks={students[5].pk: "present"})
    make.make_staff(school_a, Role.EXTERNAL_INSTRUCTOR, name="外聘教练")
    for i in range(3):
        make.make_student(class_b, name=f"北{i}")
    make.make_term(school_b)
    make.make_staff(school_b, Role.VOLUNTEER, name="志愿者")
    return term


def test_district_figures_hand_checked_on_two_schools(two_schools, school_a, school_b):
    assert ChildApplication.objects.filter(status="approved").count() == 5
    view = district_view(school_a.district_id, today=TODAY)
    south, north = view.rows
    assert (south.school, north.school) == (school_a, school_b)

    assert south.plan_published and south.five_plus_two is True
    assert (south.on_roll, south.applied, south.served) == (8, 6, 5)
    # Four approved children take after-school care Monday–Friday; the fifth only the
    # Wednesday club, so four take part all five days.
    assert south.five_days == 4
    # 84 school days in 2026-09-01..12-31 (schools/tests/test_calendar.py), of which the two
    # adjusted weekends (Sun 20 Sep, Sat 10 Oct) run no weekday timetable until the school
    # announces one: 82 days × 3 periods × 3.00 yuan = 738.00.
    assert south.fee_per_term == Decimal("738.00")
    assert south.fee_per_period == Decimal("3.00")
    assert south.fee_cap_per_period == Decimal("3.50")  # 山东 cap (plans/limit_data/regional.json)
    assert south.fee_cap_per_term is None and not south.fee_over_cap
    assert south.pay_per_period == Decimal("50.00") and south.pay_cap_per_period is None
    assert (south.marks, south.attended, south.attendance_rate) == (1, 1, "100.0%")
    # Teachers: the head teacher and the club's coach; only the coach teaches this term.
    assert (south.teachers, south.teachers_taking_part) == (2, 1)
    assert (south.outside_staff, south.volunteers) == (1, 0)

    assert not north.plan_published and north.five_plus_two is None
    assert (north.on_roll, north.served, north.volunteers, north.teachers) == (3, 0, 1, 0)

    c = view.coverage
    assert (c.schools, c.schools_offering) == (2, 1)
    assert (c.students, c.students_taking_part, c.students_five_days, c.students_applied) == (11, 5, 4, 6)
    assert (c.teachers, c.teachers_taking_part, c.outside_staff, c.volunteers) == (2, 1, 1, 1)
    shares = {str(label): share for label, _figure, share in c.figures()}
    # Labels in the default language (zh-hans): "Students taking part", "… all five days",
    # "Students served / students who applied".
    assert shares["参加课后服务的学生"] == "45.5%"  # 5 / 11
    assert shares["每周五天均参加的学生"] == "36.4%"  # 4 / 11
    assert shares["已参加学生数／报名学生数"] == "83.3%"  # 5 / 6


def _queries(district_id: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        district_view(district_id, today=TODAY)
    return len(ctx.captured_queries)


def test_district_queries_do_not_grow_with_schools_or_students(two_schools, school_a, principal):
    before = _queries(school_a.district_id)
    for n in range(3):
        school = make.make_school(district=school_a.district, name=f"新校{n}")
        klass = make.make_class(school)
        for i in range(5):
            make.make_student(klass, name=f"新{n}{i}")
        published_term(school, "p2")
    assert _queries(school_a.district_id) == before


def test_district_page_and_export(two_schools, district, as_user, principal):
    client = as_user(district)
    response = client.get(reverse("reports:district"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "城南小学" in html and "城北小学" in html and 'data-chart="chart-coverage"' in html
    export = client.get(reverse("reports:district_xlsx"))
    assert export.status_code == 200
    import io

    sheet = load_workbook(io.BytesIO(export.content))["学校明细"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["城南小学"][4:8] == (8, 6, 5, "62.5%")
    assert as_user(principal).get(reverse("reports:district")).status_code == 403


def test_district_page_queries_do_not_grow_with_schools(two_schools, school_a, district, as_user):
    client = as_user(district)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reports:district")).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for n in range(3):
        school = make.make_school(district=school_a.district, name=f"又一校{n}")
        make.make_student(make.make_class(school), name=f"又{n}")
        published_term(school, "p2")
    assert count() == before
