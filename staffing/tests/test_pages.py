"""Staffing pages: the duty roster, my duties, teaching records (derive, correct, confirm), and
who may see or change what."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from lib import testing as make
from people.roles import Role
from programs.models import Offering, Session
from programs.services import add_slot, create_offering
from programs.sessions import generate_sessions
from programs.tests.conftest import term_with_plan
from staffing.models import DutyAssignment, DutyPattern, TeachingRecord, TeachingRecordChange

D = dt.date(2026, 10, 14)  # a Wednesday


@pytest.fixture
def term(school_a):
    """Plan 3, Mon 12 – Fri 16 Oct 2026: five school days."""
    return term_with_plan(school_a, "p3", start=dt.date(2026, 10, 12), end=dt.date(2026, 10, 16))


@pytest.fixture
def coach(school_a, term):
    """周老师 runs the choir on Wednesdays at 16:30: one session in the term, on the 14th."""
    coach = make.make_staff(school_a, Role.TEACHER, name="周老师")
    room = make.make_venue(school_a, name="音乐室", capacity=40)
    choir = create_offering(term=term, kind=Offering.Kind.CLUB, name="合唱社团", grades=[3], capacity=40,
                            content="合唱", activity_plan="第1周", acting_user=None)
    add_slot(offering=choir, weekday=2, start=dt.time(16, 30), end=dt.time(17, 30), venue=room, instructor=coach,
             acting_user=None)
    generate_sessions(term=term, acting_user=None)
    return coach


def test_it_builds_the_roster_from_a_pattern_edited_on_the_page(as_user, principal, guard, term):
    """A guard on Mondays and Wednesdays: 12 and 14 Oct → two duties, shown in the grid."""
    client = as_user(principal)
    for weekday in (0, 2):
        client.post("/staffing/pattern/", {"term": term.pk, "weekday": weekday, "post": "guard", "staff": guard.pk})
    assert DutyPattern.objects.filter(term=term).count() == 2
    client.post("/staffing/generate/", {"term": term.pk})
    assert sorted(DutyAssignment.objects.values_list("date", flat=True)) == [dt.date(2026, 10, 12), D]
    page = client.get(f"/staffing/?term={term.pk}")
    assert page.status_code == 200 and page.content.decode().count("赵保安") >= 3  # pattern ×2, grid ×2


def test_it_edits_one_days_duty_and_audits_it(as_user, principal, guard, teacher, term):
    client = as_user(principal)
    client.post(f"/staffing/day/{D.isoformat()}/?term={term.pk}", {"post": "duty_leader", "staff": [teacher.pk]})
    client.post(f"/staffing/day/{D.isoformat()}/?term={term.pk}", {"post": "guard", "staff": [guard.pk]})
    assert set(DutyAssignment.objects.values_list("post", "staff__name")) == {("duty_leader", "陈老师"), ("guard", "赵保安")}
    client.post(f"/staffing/day/{D.isoformat()}/?term={term.pk}", {"post": "guard"})  # nobody on the gate
    assert not DutyAssignment.objects.filter(post="guard").exists()
    assert AuditEvent.objects.filter(action="duty.edited").count() == 3


def test_my_duties_lists_only_ones_own(as_user, guard, teacher, term, school_a):
    DutyAssignment.objects.create(school=school_a, term=term, date=D, post="guard", staff=guard)
    DutyAssignment.objects.create(school=school_a, term=term, date=D, post="duty_leader", staff=teacher)
    body = as_user(guard).get(f"/staffing/mine/?term={term.pk}").content.decode()
    assert "Guard / security" in body or "保安" in body
    assert "Duty leader" not in body


def test_a_teacher_may_read_the_roster_but_not_change_it(as_user, teacher, guard, term):
    client = as_user(teacher)
    assert client.get(f"/staffing/?term={term.pk}").status_code == 200
    assert client.post("/staffing/generate/", {"term": term.pk}).status_code == 403
    assert client.post(f"/staffing/day/{D.isoformat()}/?term={term.pk}",
                       {"post": "guard", "staff": [guard.pk]}).status_code == 403
    assert not DutyAssignment.objects.exists()


def test_a_guardian_is_refused_every_staffing_page(as_user, guardian_a, term):
    client = as_user(guardian_a)
    for url in ("/staffing/", "/staffing/mine/", "/staffing/records/", "/staffing/leave/", "/staffing/events/",
                "/staffing/workload/", "/staffing/inspections/"):
        assert client.get(url).status_code == 403, url


def test_another_schools_term_and_records_answer_404(as_user, outsider, principal, term, coach):
    client = as_user(outsider)
    assert client.get(f"/staffing/?term={term.pk}").status_code == 404
    as_user(principal).post("/staffing/records/derive/", {"date": D.isoformat()})
    record = TeachingRecord.objects.get()
    assert client.post(f"/staffing/records/{record.pk}/correct/",
                       {"outcome": "delivered", "reason": "x"}).status_code == 404


def test_derive_then_correct_with_a_reason_keeps_the_history(as_user, principal, term, coach):
    """No roll call → 空堂; 教导处 corrects it to delivered (the roll call was on paper)."""
    client = as_user(principal)
    client.post("/staffing/records/derive/", {"date": D.isoformat()})
    record = TeachingRecord.objects.get()
    assert record.outcome == "missed"
    client.post(f"/staffing/records/{record.pk}/correct/", {"outcome": "delivered", "reason": ""})
    assert TeachingRecord.objects.get().outcome == "missed"  # a reason is required
    client.post(f"/staffing/records/{record.pk}/correct/", {"outcome": "delivered", "reason": "纸质点名表已核对"})
    assert TeachingRecord.objects.get().outcome == "delivered"
    change = TeachingRecordChange.objects.get()
    assert (change.old_outcome, change.new_outcome) == ("missed", "delivered")
    page = client.get(f"/staffing/records/?date={D.isoformat()}").content.decode()
    assert "纸质点名表已核对" in page and "周老师" in page


def test_a_teacher_confirms_their_own_record_but_not_anothers(as_user, principal, teacher, term, coach):
    as_user(principal).post("/staffing/records/derive/", {"date": D.isoformat()})
    record = TeachingRecord.objects.get()
    assert as_user(teacher).post(f"/staffing/records/{record.pk}/confirm/").status_code == 404
    assert as_user(teacher).post(f"/staffing/records/{record.pk}/correct/",
                                 {"outcome": "delivered", "reason": "x"}).status_code == 403
    as_user(coach).post(f"/staffing/records/{record.pk}/confirm/")
    assert TeachingRecord.objects.get().confirmed_at is not None


def test_a_teacher_sees_only_their_own_records(as_user, principal, teacher, term, coach):
    as_user(principal).post("/staffing/records/derive/", {"date": D.isoformat()})
    assert "合唱社团" not in as_user(teacher).get(f"/staffing/records/?date={D.isoformat()}").content.decode()
    assert "合唱社团" in as_user(coach).get(f"/staffing/records/?date={D.isoformat()}").content.decode()


def test_records_page_queries_do_not_grow_with_the_day(as_user, principal, term, coach, school_a,
                                                       django_assert_max_num_queries):
    """Ten more sessions on the same day, each corrected once: the page still costs the same."""
    session = Session.objects.get()
    client = as_user(principal)
    client.post("/staffing/records/derive/", {"date": D.isoformat()})
    for i in range(10):
        other = Session.objects.create(school=school_a, offering=session.offering, planned_date=D, date=D,
                                       start=dt.time(16, 30), end=dt.time(17, 30), venue=session.venue,
                                       instructor=make.make_staff(school_a, Role.TEACHER, name=f"老师{i}"))
        TeachingRecord.objects.create(school=school_a, date=D, session=other, teacher=other.instructor,
                                      outcome="delivered")
    for record in TeachingRecord.objects.all():
        client.post(f"/staffing/records/{record.pk}/correct/", {"outcome": "late_start", "reason": "抽查"})
    with django_assert_max_num_queries(12):
        assert client.get(f"/staffing/records/?date={D.isoformat()}").status_code == 200
