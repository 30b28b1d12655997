"""A child's day as a timeline: for the school's staff and the child's own guardians only."""

from __future__ import annotations

from django.urls import reverse

from attendance.selectors import child_day
from attendance.services import (
    confirm_receipt,
    hand_over,
    release_to_guardian,
    report_leave,
    take_roll_call,
)
from attendance.tests.conftest import DAY, at
from people.actor import actor_for

Q = f"?date={DAY.isoformat()}"


def _day_of(care, child_a, child_b, guardian_a, guardian_b):
    report_leave(student=child_b, actor=actor_for(guardian_b.user), date=DAY, reason="发烧", now=at(8, 0))
    record = hand_over(actor=actor_for(care["last_period"].user), kind="to_care", date=DAY,
                       to_staff=care["care_teacher"], student_ids=[child_a.pk], on_leave_count=1, now=at(16, 25))
    confirm_receipt(actor=actor_for(care["care_teacher"].user), hand_over=record, received_count=1, now=at(16, 31))
    take_roll_call(actor=actor_for(care["care_teacher"].user), date=DAY, care_group=care["group"],
                   marks={child_a.pk: "present", child_b.pk: "leave"}, now=at(16, 35))
    release_to_guardian(actor=actor_for(care["care_teacher"].user), student=child_a, guardian=guardian_a,
                        date=DAY, guardian_user=guardian_a.user, now=at(18, 20))


def test_the_childs_day_is_in_time_order(care, child_a, child_b, guardian_a, guardian_b):
    _day_of(care, child_a, child_b, guardian_a, guardian_b)
    assert [e.kind for e in child_day(child_a, DAY)] == ["handed", "received", "mark", "pickup"]
    assert [e.kind for e in child_day(child_b, DAY)] == ["leave", "mark"]


def test_a_guardian_sees_their_own_childs_timeline(care, child_a, child_b, guardian_a, guardian_b, as_user):
    _day_of(care, child_a, child_b, guardian_a, guardian_b)
    response = as_user(guardian_a).get(reverse("attendance:timeline", args=[child_a.pk]) + Q)
    assert response.status_code == 200
    html = response.content.decode()
    assert "音乐刘老师" in html and "张妈妈" in html


def test_a_guardian_gets_404_for_another_child(care, child_a, child_b, guardian_a, guardian_b, as_user):
    _day_of(care, child_a, child_b, guardian_a, guardian_b)
    assert as_user(guardian_a).get(reverse("attendance:timeline", args=[child_b.pk]) + Q).status_code == 404


def test_staff_of_the_school_see_it_and_another_school_gets_404(care, child_a, principal, outsider, district, as_user):
    url = reverse("attendance:timeline", args=[child_a.pk]) + Q
    assert as_user(principal).get(url).status_code == 200
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(district).get(url).status_code == 404
