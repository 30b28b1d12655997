"""Dated sessions follow the term calendar; moves, cancellations and substitutes keep history."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import testing as make
from people.roles import Role
from programs.models import Offering, Session, SessionChange
from programs.services import ProgramError, add_slot, create_offering
from programs.sessions import cancel_session, generate_sessions, move_session, substitute_session
from schools.models import CalendarEntry

D, T = dt.date, dt.time


@pytest.fixture
def thursday_choir(term3, music_room, music_teacher):
    offering = create_offering(
        term=term3, kind=Offering.Kind.CLUB, name="合唱社团", grades=[3, 4], capacity=40,
        content="合唱", activity_plan="第1周 发声", acting_user=None,
    )
    add_slot(offering=offering, weekday=3, start=T(16, 30), end=T(17, 30), venue=music_room,
             instructor=music_teacher, acting_user=None)
    return offering


def _dates(offering):
    return list(
        Session.objects.filter(offering=offering, status="scheduled").order_by("date").values_list("date", flat=True)
    )


def test_thursday_sessions_skip_national_day_and_use_the_adjusted_saturday(term3, thursday_choir):
    """Term 28 Sep – 16 Oct 2026. Thursdays: 1 Oct (National Day, out), 8 Oct, 15 Oct.
    The school announced "10月10日按周四课表", so Saturday 10 Oct holds Thursday's session."""
    CalendarEntry.objects.create(school=term3.school, date=D(2026, 10, 10), kind="workday", follows_weekday=3)
    result = generate_sessions(term=term3, acting_user=None)
    assert result.created == 3
    assert _dates(thursday_choir) == [D(2026, 10, 8), D(2026, 10, 10), D(2026, 10, 15)]


def test_without_the_announcement_the_saturday_holds_nothing(term3, thursday_choir):
    generate_sessions(term=term3, acting_user=None)
    assert _dates(thursday_choir) == [D(2026, 10, 8), D(2026, 10, 15)]


def test_regenerating_adds_nothing_and_cancels_a_new_closure(term3, thursday_choir):
    generate_sessions(term=term3, acting_user=None)
    assert generate_sessions(term=term3, acting_user=None).created == 0
    CalendarEntry.objects.create(school=term3.school, date=D(2026, 10, 15), kind="closure", note="秋季运动会")
    result = generate_sessions(term=term3, acting_user=None)
    assert result.cancelled == 1
    assert _dates(thursday_choir) == [D(2026, 10, 8)]
    change = SessionChange.objects.get()
    assert change.kind == "cancelled" and change.old_values == {"status": "scheduled"}


@pytest.fixture
def session(term3, thursday_choir):
    generate_sessions(term=term3, acting_user=None)
    return Session.objects.get(offering=thursday_choir, date=D(2026, 10, 8))


def test_moving_a_session_keeps_its_history(session, art_room, principal):
    move_session(session=session, date=D(2026, 10, 9), start=T(16, 0), end=T(17, 0), venue=art_room,
                 reason="音乐室检修", acting_user=principal.user)
    session.refresh_from_db()
    assert (session.date, session.planned_date, session.venue) == (D(2026, 10, 9), D(2026, 10, 8), art_room)
    change = session.changes.get()
    assert change.kind == "moved" and change.reason == "音乐室检修"
    assert change.old_values["date"] == "2026-10-08" and change.new_values["date"] == "2026-10-09"
    assert change.changed_by == principal.user


def test_moving_into_a_booked_room_is_refused(term3, session, school_a, art_room, art_teacher):
    other = create_offering(term=term3, kind=Offering.Kind.CLUB, name="美术社团", grades=[3], capacity=30,
                            content="素描", activity_plan="第1周 线条", acting_user=None)
    add_slot(offering=other, weekday=4, start=T(16, 0), end=T(17, 0), venue=art_room, instructor=art_teacher,
             acting_user=None)
    generate_sessions(term=term3, acting_user=None)
    with pytest.raises(ProgramError) as exc:
        move_session(session=session, date=D(2026, 10, 9), start=T(16, 30), end=T(17, 30), venue=art_room,
                     reason="换教室", acting_user=None)
    assert "美术室" in exc.value.problems[0]
    session.refresh_from_db()
    assert session.date == D(2026, 10, 8)


def test_cancel_needs_a_reason_and_is_recorded(session):
    with pytest.raises(ProgramError):
        cancel_session(session=session, reason=" ", acting_user=None)
    cancel_session(session=session, reason="台风停课", acting_user=None)
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert session.changes.get().reason == "台风停课"


def test_substitute_takes_the_session_and_the_original_is_remembered(session, school_a, music_teacher):
    sub = make.make_staff(school_a, Role.TEACHER, name="郑老师")
    substitute_session(session=session, substitute=sub, reason="周老师病假", acting_user=None)
    session.refresh_from_db()
    assert session.instructor == sub and session.substitute_for == music_teacher


def test_unvetted_volunteer_cannot_substitute(session, school_a):
    volunteer = make.make_staff(school_a, Role.VOLUNTEER, name="家长志愿者")
    with pytest.raises(ProgramError):
        substitute_session(session=session, substitute=volunteer, reason="代课", acting_user=None)
    session.refresh_from_db()
    assert session.substitute_for is None
