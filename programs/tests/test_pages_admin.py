"""The admin shows programs but writes only through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Offering, Session
from programs.services import add_slot, create_offering
from programs.services_groups import form_care_groups
from programs.sessions import generate_sessions


@pytest.fixture
def admin_client_(db):
    from people.models import User

    user = User.objects.create_superuser("root", password="kehou-Root-2026!")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def choir(term3, music_room, music_teacher):
    offering = create_offering(
        term=term3, kind=Offering.Kind.CLUB, name="合唱社团", grades=[3, 4], capacity=40,
        content="合唱", activity_plan="第1周 发声", acting_user=None,
    )
    add_slot(offering=offering, weekday=0, start=dt.time(16, 30), end=dt.time(17, 30),
             venue=music_room, instructor=music_teacher, acting_user=None)
    return offering


def test_it_shows_every_programs_record(admin_client_, choir, child_a):
    generate_sessions(term=choir.term, acting_user=None)
    child_a.school_class.home_room = choir.slots.get().venue
    child_a.school_class.save(update_fields=["home_room"])
    run = form_care_groups(term=choir.term, service="noon_care", student_ids=[child_a.pk],
                           acting_user=None)
    session = Session.objects.first()
    for url in [
        reverse("admin:programs_offering_changelist"),
        reverse("admin:programs_offering_change", args=[choir.pk]),
        reverse("admin:programs_session_change", args=[session.pk]),
        reverse("admin:programs_groupformingrun_change", args=[run.pk]),
        reverse("admin:programs_caregroup_change", args=[run.groups.get().pk]),
    ]:
        assert admin_client_.get(url).status_code == 200, url


def test_slots_and_sessions_cannot_be_added_in_the_admin(admin_client_, choir):
    assert admin_client_.get(reverse("admin:programs_offering_add")).status_code == 403
    page = admin_client_.get(reverse("admin:programs_offering_change", args=[choir.pk]))
    assert "音乐室" in page.content.decode()  # the slot is shown …
    assert b'name="slots-0-start"' not in page.content  # … but not editable
    assert admin_client_.get(reverse("admin:programs_session_add")).status_code == 403


def test_the_open_action_checks_the_five_fixes(admin_client_, term3):
    bare = create_offering(term=term3, kind=Offering.Kind.CLUB, name="乐器社团", grades=[3],
                           capacity=30, acting_user=None)
    response = admin_client_.post(
        reverse("admin:programs_offering_changelist"),
        {"action": "open_offerings", "_selected_action": [bare.pk]},
        follow=True,
    )
    assert any("定时间" in str(m) for m in response.context["messages"])
    bare.refresh_from_db()
    assert bare.status == Offering.Status.DRAFT
