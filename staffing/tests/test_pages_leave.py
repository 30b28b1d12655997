"""Staffing pages: leave with a substitute, inspections with their summary and export,
performance events with overrides and commendations, and the derive_day command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from audit.models import AuditEvent
from lib import testing as make
from people.roles import Role
from programs.models import Offering, Session
from programs.services import add_slot, create_offering
from programs.sessions import generate_sessions
from staffing.models import Inspection, LeaveRequest, PerformanceEvent
from staffing.tests.test_pages import D, coach, term  # noqa: F401

pytestmark = pytest.mark.usefixtures("today_is_monday")


@pytest.fixture
def today_is_monday(monkeypatch):
    """The leave form offers sessions from today: pin today to Mon 12 Oct 2026."""
    monkeypatch.setattr("staffing.views_leave._today", lambda: dt.date(2026, 10, 12))


@pytest.fixture
def busy(school_a, term):  # noqa: F811
    """忙老师 teaches art 16:00–17:00 on Wednesdays: a clash with the choir at 16:30."""
    busy = make.make_staff(school_a, Role.TEACHER, name="忙老师")
    art = create_offering(term=term, kind=Offering.Kind.CLUB, name="美术社团", grades=[3], capacity=30,
                          content="素描", activity_plan="第1周", acting_user=None)
    add_slot(offering=art, weekday=2, start=dt.time(16, 0), end=dt.time(17, 0),
             venue=make.make_venue(school_a, name="美术室"), instructor=busy, acting_user=None)
    generate_sessions(term=term, acting_user=None)
    return busy


def test_leave_with_a_clashing_substitute_is_refused_then_approved_with_a_free_one(
        as_user, coach, busy, principal, teacher):  # noqa: F811
    choir = Session.objects.get(offering__name="合唱社团")
    as_user(coach).post("/staffing/leave/", {"sessions": [choir.pk], "reason": "病假"})
    leave = LeaveRequest.objects.get()
    client = as_user(principal)
    assert "病假" in client.get("/staffing/leave/").content.decode()
    page = client.post(f"/staffing/leave/{leave.pk}/", {"approve": "1", "substitute": busy.pk}, follow=True)
    assert "忙老师" in page.content.decode()  # the clash is named on the page
    assert LeaveRequest.objects.get().status == "requested"
    client.post(f"/staffing/leave/{leave.pk}/", {"approve": "1", "substitute": teacher.pk})
    leave.refresh_from_db()
    assert (leave.status, leave.substitute) == ("approved", teacher)
    assert Session.objects.get(pk=choir.pk).instructor == teacher


def test_a_teacher_cannot_ask_leave_for_anothers_session_nor_decide(as_user, coach, teacher):  # noqa: F811
    choir = Session.objects.get()
    as_user(teacher).post("/staffing/leave/", {"sessions": [choir.pk], "reason": "事假"})
    assert not LeaveRequest.objects.exists()
    as_user(coach).post("/staffing/leave/", {"sessions": [choir.pk], "reason": "事假"})
    assert as_user(teacher).get(f"/staffing/leave/{LeaveRequest.objects.get().pk}/").status_code == 403


def test_an_inspection_is_recorded_summarised_and_exported(as_user, principal, coach, term):  # noqa: F811
    """Two inspections of 周老师: attendance 10 and 8 → 9.0; content 7, 9 → 8.0; quality 6, 8 → 7.0."""
    client = as_user(principal)
    for at, scores in (("2026-10-14T16:40", (10, 7, 6)), ("2026-10-15T16:40", (8, 9, 8))):
        client.post(f"/staffing/inspections/?term={term.pk}", {
            "teacher": coach.pk, "kind": "random", "at": at, "attendance_score": scores[0],
            "content_score": scores[1], "quality_score": scores[2], "notes": "学生认真"})
    assert Inspection.objects.count() == 2
    client.post("/staffing/inspections/", {"teacher": coach.pk, "kind": "regular", "at": "2026-10-15T16:40",
                                           "attendance_score": 11, "content_score": 5, "quality_score": 5})
    assert Inspection.objects.count() == 2  # 11 is out of range
    response = client.get(f"/staffing/inspections.xlsx?term={term.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["姓名", "查堂次数", "出勤平均分", "内容平均分", "质量平均分", "总平均分"]
    assert [c.value for c in sheet[3]] == ["周老师", 2, 9, 8, 7, 24]


def test_inspections_are_for_leaders(as_user, teacher, guardian_a):
    assert as_user(teacher).get("/staffing/inspections/").status_code == 403
    assert as_user(guardian_a).get("/staffing/inspections.xlsx").status_code == 403


def test_the_principal_sets_an_event_aside_with_a_reason_and_it_is_audited(as_user, principal, coach, teacher):  # noqa: F811
    client = as_user(principal)
    client.post("/staffing/records/derive/", {"date": D.isoformat()})
    event = PerformanceEvent.objects.get()
    assert "周老师" in client.get("/staffing/events/?month=2026-10").content.decode()
    assert "周老师" in as_user(coach).get("/staffing/events/?month=2026-10").content.decode()  # their own
    assert "周老师" not in as_user(teacher).get("/staffing/events/?month=2026-10").content.decode()
    assert as_user(teacher).post(f"/staffing/events/{event.pk}/override/", {"reason": "x"}).status_code == 403
    client.post(f"/staffing/events/{event.pk}/override/", {"reason": "停电，点名未能提交"})
    event.refresh_from_db()
    assert event.overridden and event.override_reason == "停电，点名未能提交"
    assert AuditEvent.objects.filter(action="performance.overridden").exists()


def test_a_commendation_is_added_for_the_term_awards(as_user, principal, teacher, outsider):
    as_user(principal).post("/staffing/events/commend/", {"staff": teacher.pk, "date": "2026-10-14",
                                                          "evidence": "合唱比赛获一等奖"})
    event = PerformanceEvent.objects.get()
    assert (event.kind, event.staff, event.evidence) == ("commendation", teacher, "合唱比赛获一等奖")
    assert AuditEvent.objects.filter(action="performance.commended").exists()
    as_user(outsider).post("/staffing/events/commend/", {"staff": teacher.pk, "date": "2026-10-14", "evidence": "x"})
    assert PerformanceEvent.objects.count() == 1  # not a staff member of the outsider's school


def test_derive_day_command(school_a, coach):  # noqa: F811
    out = io.StringIO()
    call_command("derive_day", school=school_a.code, date=D.isoformat(), stdout=out)
    assert "1" in out.getvalue() and PerformanceEvent.objects.filter(staff=coach).count() == 1
