"""Invitations reach exactly the guardians of the children placed in the course (plan 6
七(五)2: 提前制作邀请函通知家长), and only they may answer them."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import client_for
from events import services
from events.models import Invitation
from events.tests.conftest import YEAR
from notices.models import Notice


def invited(item) -> set[str]:
    return set(Invitation.objects.filter(item=item).values_list("guardian__name", flat=True))


def test_it_invites_exactly_the_guardians_of_the_children_placed_in_the_course(scene, principal):
    sent = services.send_invitations(item=scene.calligraphy, acting_user=principal.user)

    # 张小明's two guardians and 刘小红's one; not 王妈妈 (waitlisted), not 奶奶 (only the
    # sister's guardian, whose course is 篮球), not 陈妈妈 (no course).
    assert sent == 3
    assert invited(scene.calligraphy) == {"张妈妈", "张爸爸", "刘爸爸"}
    notices = Notice.objects.filter(kind="event_invitation")
    assert set(notices.values_list("guardian__name", flat=True)) == {"张妈妈", "张爸爸", "刘爸爸"}
    zhang = Invitation.objects.get(item=scene.calligraphy, guardian__name="张妈妈")
    assert zhang.children == "张小明"
    assert "书法兴趣小组" in zhang.notice.subject and f"{YEAR}-01-12" in zhang.notice.subject


def test_the_sisters_course_invites_her_guardians_only(scene, principal):
    services.send_invitations(item=scene.basketball, acting_user=principal.user)
    assert invited(scene.basketball) == {"张妈妈", "奶奶"}
    assert (
        Invitation.objects.get(item=scene.basketball, guardian__name="张妈妈").children == "张小丽"
    )


def test_sending_again_invites_no_one_twice(scene, principal):
    services.send_invitations(item=scene.calligraphy, acting_user=principal.user)
    assert services.send_invitations(item=scene.calligraphy, acting_user=principal.user) == 0
    assert Notice.objects.filter(kind="event_invitation").count() == 3


def test_a_course_with_no_children_placed_sends_nothing(scene, principal):
    assert services.send_invitations(item=scene.coding, acting_user=principal.user) == 0


def test_the_guardian_answers_on_their_phone_and_the_count_shows(scene, principal, guardian_a):
    services.send_invitations(item=scene.calligraphy, acting_user=principal.user)
    invitation = Invitation.objects.get(item=scene.calligraphy, guardian=guardian_a)
    client = client_for(guardian_a)

    page = client.get(f"/events/invitations/{invitation.pk}/")
    assert page.status_code == 200 and "书法兴趣小组" in page.content.decode()
    response = client.post(
        f"/events/invitations/{invitation.pk}/", {"coming": "yes", "people": "2"}
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.people) == (Invitation.Answer.YES, 2)
    listing = client_for(principal).get(
        f"/events/showcases/{scene.showcase.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "3 invited, 1 yes (2 people), 0 no" in listing.content.decode()


def test_answering_someone_elses_invitation_is_404_and_changes_nothing(
    scene, principal, guardian_b
):
    services.send_invitations(item=scene.calligraphy, acting_user=principal.user)
    theirs = Invitation.objects.get(item=scene.calligraphy, guardian__name="张爸爸")

    response = client_for(guardian_b).post(
        f"/events/invitations/{theirs.pk}/", {"coming": "yes", "people": "3"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.answer, theirs.people, theirs.answered_at) == (
        Invitation.Answer.PENDING,
        0,
        None,
    )
    # Staff are not guardians: the RSVP page is not theirs either.
    assert client_for(principal).get(f"/events/invitations/{theirs.pk}/").status_code == 404


def test_a_bad_count_is_refused_with_a_message(scene, principal, guardian_a):
    services.send_invitations(item=scene.calligraphy, acting_user=principal.user)
    invitation = Invitation.objects.get(item=scene.calligraphy, guardian=guardian_a)

    response = client_for(guardian_a).post(
        f"/events/invitations/{invitation.pk}/",
        {"coming": "yes", "people": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "Say how many people will come: 1 to 3." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.PENDING


def test_the_answer_cannot_change_after_the_day(scene, principal, guardian_a):
    services.send_invitations(item=scene.calligraphy, acting_user=principal.user)
    invitation = Invitation.objects.get(item=scene.calligraphy, guardian=guardian_a)
    after = dt.datetime(YEAR, 1, 13, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(services.EventError):
        services.answer_invitation(invitation=invitation, coming=True, people=1, now=after)
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.PENDING
