"""Teaching records and performance events from the day's evidence (plan 1 绩效考核 2–4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from attendance.models import HandOver
from attendance.services import confirm_receipt, hand_over, take_roll_call
from audit.models import AuditEvent
from lib import testing as make
from people.actor import actor_for
from people.roles import Role
from programs.models import Offering, Session
from programs.services import add_slot, create_offering
from programs.sessions import generate_sessions
from programs.tests.conftest import term_with_plan
from staffing.models import DutyAssignment, DutyPattern, PerformanceEvent, TeachingRecord
from staffing.services import (
    StaffingError,
    decide_leave,
    derive_day,
    generate_duty_roster,
    override_event,
    request_leave,
)

D = dt.date(2026, 10, 14)  # a Wednesday


def at(h, m=0):
    return timezone.make_aware(dt.datetime.combine(D, dt.time(h, m)))


@pytest.fixture
def setup(school_a, class_a, child_a):
    term = term_with_plan(school_a, "p3", start=dt.date(2026, 10, 12), end=dt.date(2026, 10, 16))
    coach = make.make_staff(school_a, Role.TEACHER, name="周老师")
    room = make.make_venue(school_a, name="音乐室", capacity=40)
    choir = create_offering(term=term, kind=Offering.Kind.CLUB, name="合唱社团", grades=[3], capacity=40,
                            content="合唱", activity_plan="第1周", acting_user=None)
    add_slot(offering=choir, weekday=2, start=dt.time(16, 30), end=dt.time(17, 30), venue=room, instructor=coach,
             acting_user=None)
    generate_sessions(term=term, acting_user=None)
    return {"term": term, "coach": coach, "session": Session.objects.get(date=D), "child": child_a}


def test_no_roll_call_is_a_missed_session_and_an_unexcused_absence(setup):
    [record] = derive_day(school_id=setup["term"].school_id, date=D)
    assert record.outcome == TeachingRecord.Outcome.MISSED
    event = PerformanceEvent.objects.get()
    assert (event.staff, event.kind, event.periods) == (setup["coach"], "unexcused_absence", 1)
    derive_day(school_id=setup["term"].school_id, date=D)  # again: nothing new
    assert PerformanceEvent.objects.count() == 1


def test_a_roll_call_12_minutes_late_is_a_late_start(setup):
    take_roll_call(actor=actor_for(setup["coach"].user), date=D, session=setup["session"],
                   marks={setup["child"].pk: "present"}, now=at(16, 42))
    [record] = derive_day(school_id=setup["term"].school_id, date=D)
    assert (record.outcome, record.minutes_off) == ("late_start", 12)
    assert PerformanceEvent.objects.get().kind == "late_early_or_swap"


def test_on_time_roll_call_is_delivered_without_events(setup):
    take_roll_call(actor=actor_for(setup["coach"].user), date=D, session=setup["session"],
                   marks={setup["child"].pk: "present"}, now=at(16, 33))
    [record] = derive_day(school_id=setup["term"].school_id, date=D)
    assert record.outcome == "delivered" and not PerformanceEvent.objects.exists()


def test_approved_leave_credits_the_substitute_and_spares_the_absent_teacher(setup, school_a, principal):
    sub = make.make_staff(school_a, Role.TEACHER, name="郑老师")
    leave = request_leave(teacher=setup["coach"], sessions=[setup["session"]], reason="病假")
    decide_leave(leave=leave, approve=True, actor=actor_for(principal.user), substitute=sub)
    take_roll_call(actor=actor_for(sub.user), date=D, session=Session.objects.get(pk=setup["session"].pk),
                   marks={setup["child"].pk: "present"}, now=at(16, 31))
    [record] = derive_day(school_id=setup["term"].school_id, date=D)
    assert (record.teacher, record.outcome) == (sub, "substitute")
    assert not PerformanceEvent.objects.filter(staff=setup["coach"]).exists()


def test_a_substitute_with_a_clash_is_refused(setup, school_a, principal):
    busy = make.make_staff(school_a, Role.TEACHER, name="忙老师")
    other_room = make.make_venue(school_a, name="美术室", capacity=40)
    art = create_offering(term=setup["term"], kind=Offering.Kind.CLUB, name="美术社团", grades=[3], capacity=30,
                          content="素描", activity_plan="第1周", acting_user=None)
    add_slot(offering=art, weekday=2, start=dt.time(16, 0), end=dt.time(17, 0), venue=other_room, instructor=busy,
             acting_user=None)
    generate_sessions(term=setup["term"], acting_user=None)
    leave = request_leave(teacher=setup["coach"], sessions=[setup["session"]], reason="事假")
    with pytest.raises(StaffingError) as exc:
        decide_leave(leave=leave, approve=True, actor=actor_for(principal.user), substitute=busy)
    assert "忙老师" in exc.value.message
    leave.refresh_from_db()
    assert leave.status == "requested"
    assert Session.objects.get(pk=setup["session"].pk).instructor == setup["coach"]


def test_a_teacher_cannot_approve_leave(setup, teacher):
    leave = request_leave(teacher=setup["coach"], sessions=[setup["session"]], reason="事假")
    with pytest.raises(StaffingError):
        decide_leave(leave=leave, approve=False, actor=actor_for(teacher.user))


def test_override_by_the_principal_is_audited(setup, principal):
    derive_day(school_id=setup["term"].school_id, date=D)
    event = PerformanceEvent.objects.get()
    override_event(event=event, reason="系统停电，点名未能提交", actor=actor_for(principal.user))
    event.refresh_from_db()
    assert event.overridden
    audit = AuditEvent.objects.get(action="performance.overridden")
    assert audit.new_values["reason"] == "系统停电，点名未能提交"


def test_unconfirmed_or_mismatched_hand_over_is_a_breach_of_the_handing_teacher(setup, school_a, teacher, child_a, child_b):
    last = make.make_staff(school_a, Role.TEACHER, name="数学老师")
    h1 = hand_over(actor=actor_for(last.user), kind=HandOver.Kind.TO_CARE, date=D, to_staff=teacher,
                   student_ids=[child_a.pk, child_b.pk], now=at(16, 25))
    confirm_receipt(actor=actor_for(teacher.user), hand_over=h1, received_count=1, now=at(16, 30))
    derive_day(school_id=school_a.pk, date=D)
    assert PerformanceEvent.objects.filter(staff=last, kind="handover_breach").count() == 1


def test_duty_roster_from_the_weekly_pattern(setup, school_a):
    """Term Mon 12 – Fri 16 Oct 2026: a guard on Mondays and Wednesdays → 2 duties."""
    guard = make.make_staff(school_a, Role.GUARD, name="赵保安")
    for weekday in (0, 2):
        DutyPattern.objects.create(school=school_a, term=setup["term"], weekday=weekday, post="guard", staff=guard)
    assert generate_duty_roster(term=setup["term"]) == 2
    assert generate_duty_roster(term=setup["term"]) == 0
    assert list(DutyAssignment.objects.values_list("date", flat=True).order_by("date")) == [
        dt.date(2026, 10, 12), dt.date(2026, 10, 14)]
