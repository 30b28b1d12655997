"""Every events page renders for the people it is for, with a fixed number of queries, and
the planning forms go through the services (bad input: a message, nothing saved)."""

from __future__ import annotations

import datetime as dt

from conftest import client_for
from events import services
from events import services_competitions as contests
from events.models import Cohort, Competition, Item, Showcase
from events.tests.conftest import YEAR
from lib import testing as make


def test_the_planning_pages_render_for_the_principal(scene, principal):
    client = client_for(principal)
    services.send_invitations(item=scene.calligraphy, acting_user=principal.user)
    for url in (
        "/events/",
        f"/events/showcases/{scene.showcase.pk}/",
        f"/events/items/{scene.calligraphy.pk}/",
        f"/events/showcases/{scene.showcase.pk}/programme/",
        "/events/calendar/",
        "/events/competitions/new/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "书法兴趣小组" in response.content.decode() or url in (
            "/events/",
            "/events/calendar/",
            "/events/competitions/new/",
        ), url


def test_the_showcase_page_costs_the_same_with_more_courses_and_invitations(
    scene, principal, school_a, django_assert_max_num_queries
):
    client = client_for(principal)
    url = f"/events/showcases/{scene.showcase.pk}/"
    client.get(url)
    with django_assert_max_num_queries(19):
        assert client.get(url).status_code == 200
    for item in (scene.calligraphy, scene.basketball):
        services.send_invitations(item=item, acting_user=principal.user)
    services.add_milestone(
        showcase=scene.showcase,
        title="布置会",
        due=dt.date(YEAR - 1, 12, 28),
        owner=principal,
        acting_user=principal.user,
    )
    with django_assert_max_num_queries(19):
        assert client.get(url).status_code == 200


def test_the_calendar_costs_a_fixed_number_of_queries(
    scene, principal, django_assert_max_num_queries
):
    client = client_for(principal)
    with django_assert_max_num_queries(10):
        assert client.get(f"/events/calendar/?month={YEAR}-01").status_code == 200


def test_planning_from_the_page_and_bad_input_saves_nothing(scene, principal, school_a):
    client = client_for(principal)
    created = client.post("/events/showcases/new/", {"term": scene.term.pk, "title": "第二次汇报"})
    showcase = Showcase.objects.get(title="第二次汇报")
    assert created.status_code == 302

    bad = client.post(
        f"/events/showcases/{showcase.pk}/cohorts/",
        {"weekdays": [4], "date": f"{YEAR}-01-15", "start": "17:00", "end": "16:00"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The end time must be after the start time." in bad.content.decode()
    assert not Cohort.objects.filter(showcase=showcase).exists()

    client.post(
        f"/events/showcases/{showcase.pk}/cohorts/",
        {"weekdays": [0], "date": f"{YEAR}-01-11", "start": "15:30", "end": "17:30"},
    )
    cohort = Cohort.objects.get(showcase=showcase)
    data = {
        "cohort": cohort.pk,
        "offering": scene.calligraphy.offering_id,
        "form": "exhibition",
        "venue": scene.art.pk,
        "start": "15:30",
        "end": "16:30",
        "lead": principal.pk,
        "guardian_part": "whole",
    }
    assert client.post(f"/events/showcases/{showcase.pk}/items/", data).status_code == 302
    assert Item.objects.filter(showcase=showcase).count() == 1


def test_a_second_course_in_the_same_room_at_the_same_time_is_refused(scene, principal):
    from events.models import Form

    other = make.make_staff(scene.term.school, name="胡老师")
    offering = scene.basketball.offering
    scene.basketball.delete()
    try:
        services.add_item(
            cohort=scene.mon_wed,
            offering=offering,
            form=Form.FRIENDLY_MATCH,
            venue=scene.art,
            start=dt.time(16, 0),
            end=dt.time(17, 0),
            lead=other,
            teachers=[],
            acting_user=principal.user,
        )
    except services.EventError as exc:
        assert any("一楼阶梯教室" in p for p in exc.problems)
    else:
        raise AssertionError("a clash in 一楼阶梯教室 was accepted")


def test_a_head_teacher_sees_a_competition_and_the_guardian_their_invitations(
    scene, principal, teacher, guardian_a, school_a
):
    contest = contests.create_competition(
        school_id=school_a.pk,
        name="演讲比赛",
        kind=Competition.Kind.SPEECH,
        scoring="higher",
        start=dt.date(2026, 12, 20),
        end=dt.date(2026, 12, 20),
        entries_close=dt.date(2026, 12, 15),
        acting_user=principal.user,
    )
    assert (
        "演讲比赛"
        in client_for(teacher).get(f"/events/competitions/{contest.pk}/").content.decode()
    )
    services.send_invitations(item=scene.calligraphy, acting_user=principal.user)
    page = client_for(guardian_a).get("/events/invitations/").content.decode()
    assert "书法兴趣小组" in page and "篮球兴趣小组" not in page


def test_staff_outside_the_roster_roles_do_not_see_who_was_invited(scene, principal, school_a):
    from people.roles import Role

    services.send_invitations(item=scene.calligraphy, acting_user=principal.user)
    cleaner = make.make_staff(school_a, Role.CLEANER, name="保洁员")
    url = f"/events/items/{scene.calligraphy.pk}/"
    assert "张爸爸" in client_for(principal).get(url).content.decode()
    page = client_for(cleaner).get(url).content.decode()
    assert "书法兴趣小组" in page and "张爸爸" not in page and "张小明" not in page
