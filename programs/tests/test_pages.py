"""Programs pages: who may read and edit, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lib import testing as make
from programs.models import Offering, Session, SessionChange, WeeklySlot
from programs.selectors import term_offerings_with_fixes
from programs.services import add_slot, create_offering, missing_fixes

T = dt.time


def _club(term, name="合唱社团", **kw):
    defaults = {
        "term": term,
        "kind": Offering.Kind.CLUB,
        "name": name,
        "grades": [3, 4],
        "capacity": 40,
        "content": "合唱基础训练",
        "activity_plan": "第1周 发声练习",
        "acting_user": None,
    }
    return create_offering(**(defaults | kw))


@pytest.fixture
def choir(term3, music_room, music_teacher):
    offering = _club(term3)
    add_slot(offering=offering, weekday=0, start=T(16, 30), end=T(17, 30), venue=music_room,
             instructor=music_teacher, acting_user=None)
    return offering


def _texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _pages(offering) -> list[str]:
    term = f"?term={offering.term_id}"
    return [
        reverse("programs:offering_list") + term,
        reverse("programs:offering_detail", args=[offering.pk]),
        reverse("programs:session_list", args=[offering.pk]),
        reverse("programs:timetable") + term,
        reverse("programs:timetable_xlsx") + term,
        reverse("programs:groups") + term,
    ]


def test_it_shows_every_page_to_staff(as_user, teacher, choir):
    client = as_user(teacher)
    for url in _pages(choir):
        assert client.get(url).status_code == 200, url


def test_it_refuses_a_guardian(as_user, guardian_a, choir):
    client = as_user(guardian_a)
    for url in _pages(choir):
        assert client.get(url).status_code == 403, url


def test_it_answers_404_for_another_schools_offering(as_user, outsider, choir):
    client = as_user(outsider)
    for url in _pages(choir):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("programs:open_offering", args=[choir.pk])).status_code == 404


def test_a_teacher_may_read_but_not_edit(as_user, teacher, choir):
    client = as_user(teacher)
    response = client.get(reverse("programs:offering_detail", args=[choir.pk]))
    assert response.context["slot_form"] is None
    assert client.post(reverse("programs:open_offering", args=[choir.pk])).status_code == 403
    assert client.post(reverse("programs:offering_create") + f"?term={choir.term_id}").status_code == 403
    choir.refresh_from_db()
    assert choir.status == Offering.Status.DRAFT


def test_the_list_shows_status_slots_and_what_is_missing(as_user, principal, term3, choir):
    _club(term3, name="乐器社团", content="")
    response = as_user(principal).get(reverse("programs:offering_list") + f"?term={term3.pk}")
    text = response.content.decode()
    assert "合唱社团" in text and "音乐室" in text
    rows = {r["offering"].name: r["missing"] for r in response.context["rows"]}
    assert rows["合唱社团"] == []
    assert any("定内容" in m for m in rows["乐器社团"])
    assert any("定时间" in m for m in rows["乐器社团"])


def test_the_list_reports_the_same_missing_fixes_as_the_service(term3, school_a, choir, art_room):
    """The list hands loaded rows to services.missing_fixes; the answer must not change."""
    from people.roles import Role

    coach = make.make_staff(school_a, Role.EXTERNAL_INSTRUCTOR, name="钱教练")
    band = _club(term3, name="乐器社团", activity_plan="", instructors=[])
    band.instructors.add(coach)  # unvetted, added behind the service's back
    _club(term3, name="书法社团", content="")
    listed = dict(term_offerings_with_fixes(term3))
    for offering in Offering.objects.all():
        assert listed[offering] == missing_fixes(offering), offering.name
    assert any("钱教练" in m for m in listed[band])


def test_the_list_costs_the_same_queries_for_more_offerings(as_user, principal, term3, school_a):
    client = as_user(principal)
    url = reverse("programs:offering_list") + f"?term={term3.pk}"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add_offerings(start: int, n: int) -> None:
        for i in range(start, start + n):
            offering = _club(term3, name=f"社团{i}")
            add_slot(offering=offering, weekday=i % 5, start=T(16, 30), end=T(17, 30),
                     venue=make.make_venue(school_a), instructor=make.make_staff(school_a, "teacher"),
                     acting_user=None)

    add_offerings(0, 2)
    few = count()
    add_offerings(2, 10)
    assert count() == few


def test_a_leader_creates_an_offering_through_the_page(as_user, principal, term3, music_teacher):
    response = as_user(principal).post(
        reverse("programs:offering_create"),
        {
            "term": term3.pk, "kind": "club", "name": "合唱社团", "grades": ["3", "4"],
            "capacity": "40", "content": "合唱", "activity_plan": "第1周 发声",
            "instructors": [music_teacher.pk],
        },
    )
    offering = Offering.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:offering_detail", args=[offering.pk])
    assert offering.grades == [3, 4] and list(offering.instructors.all()) == [music_teacher]


def test_the_plans_grade_rule_refuses_through_the_page(as_user, principal, term3):
    """Plan 3: interest groups start in grade 3, so 一年级面塑 is refused and nothing is created."""
    response = as_user(principal).post(
        reverse("programs:offering_create"),
        {"term": term3.pk, "kind": "interest_group", "name": "一年级面塑", "grades": ["1"],
         "capacity": "30"},
    )
    assert response.status_code == 200
    assert any("一年级" in m for m in _texts(response))
    assert not Offering.objects.exists()


def test_a_clash_posted_through_the_page_shows_the_message_and_creates_nothing(
    as_user, principal, term3, choir, music_room, art_teacher
):
    band = _club(term3, name="乐器社团")
    response = as_user(principal).post(
        reverse("programs:add_slot", args=[band.pk]),
        {"weekday": "0", "start": "17:00", "end": "18:00", "venue": music_room.pk,
         "instructor": art_teacher.pk},
        follow=True,
    )
    messages = _texts(response)
    assert any("音乐室" in m and "合唱社团" in m for m in messages)
    assert WeeklySlot.objects.filter(offering=band).count() == 0


def test_a_slot_ending_before_it_starts_is_refused(as_user, principal, term3, music_room, art_teacher):
    band = _club(term3, name="乐器社团")
    response = as_user(principal).post(
        reverse("programs:add_slot", args=[band.pk]),
        {"weekday": "1", "start": "17:00", "end": "16:00", "venue": music_room.pk,
         "instructor": art_teacher.pk},
        follow=True,
    )
    assert _texts(response) and not WeeklySlot.objects.exists()


def test_opening_without_the_five_fixes_lists_them_and_stays_a_draft(as_user, principal, term3):
    bare = _club(term3, name="乐器社团", content="", activity_plan="")
    response = as_user(principal).post(reverse("programs:open_offering", args=[bare.pk]), follow=True)
    text = " ".join(_texts(response))
    for fix in ("定计划", "定内容", "定时间", "定场所", "定指导教师"):
        assert fix in text
    bare.refresh_from_db()
    assert bare.status == Offering.Status.DRAFT


def test_a_leader_opens_closes_and_generates_sessions(as_user, principal, choir):
    """Term 28 Sep – 16 Oct 2026 (plan 3). Mondays: 28 Sep, 5 Oct (National Day week, out),
    12 Oct — so two sessions."""
    client = as_user(principal)
    client.post(reverse("programs:open_offering", args=[choir.pk]))
    choir.refresh_from_db()
    assert choir.status == Offering.Status.OPEN
    response = client.post(reverse("programs:generate_sessions", args=[choir.pk]), follow=True)
    assert Session.objects.filter(offering=choir).count() == 2
    assert any("2" in m for m in _texts(response))
    client.post(reverse("programs:close_offering", args=[choir.pk]))
    choir.refresh_from_db()
    assert choir.status == Offering.Status.CLOSED


@pytest.fixture
def session(choir):
    from programs.sessions import generate_sessions

    generate_sessions(term=choir.term, acting_user=None)
    return Session.objects.filter(offering=choir).order_by("date").first()


def test_a_session_is_moved_cancelled_and_substituted_with_history(
    as_user, principal, session, art_room, art_teacher
):
    client = as_user(principal)
    client.post(
        reverse("programs:move_session", args=[session.pk]),
        {"date": "2026-09-29", "start": "16:30", "end": "17:30", "venue": art_room.pk,
         "reason": "音乐室维修"},
    )
    client.post(
        reverse("programs:substitute_session", args=[session.pk]),
        {"substitute": art_teacher.pk, "reason": "周老师病假"},
    )
    client.post(reverse("programs:cancel_session", args=[session.pk]), {"reason": "秋季运动会"})
    session.refresh_from_db()
    assert session.date == dt.date(2026, 9, 29) and session.venue == art_room
    assert session.instructor == art_teacher and session.status == Session.Status.CANCELLED
    assert SessionChange.objects.filter(session=session).count() == 3
    page = client.get(reverse("programs:session_list", args=[session.offering_id])).content.decode()
    for text in ("音乐室维修", "周老师病假", "秋季运动会", "美术室"):
        assert text in page


def test_a_move_onto_a_booked_room_is_refused_and_keeps_the_session(
    as_user, principal, term3, session, art_room, art_teacher
):
    other = _club(term3, name="美术社团")
    add_slot(offering=other, weekday=1, start=T(16, 30), end=T(17, 30), venue=art_room,
             instructor=art_teacher, acting_user=None)
    from programs.sessions import generate_sessions

    generate_sessions(term=term3, acting_user=None)
    response = as_user(principal).post(
        reverse("programs:move_session", args=[session.pk]),
        {"date": "2026-09-29", "start": "17:00", "end": "18:00", "venue": art_room.pk,
         "reason": "调课"},
        follow=True,
    )
    assert any("美术室" in m for m in _texts(response))
    session.refresh_from_db()
    assert session.date == dt.date(2026, 9, 28) and not session.changes.exists()


def test_a_teacher_cannot_change_a_session(as_user, teacher, session):
    response = as_user(teacher).post(
        reverse("programs:cancel_session", args=[session.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
