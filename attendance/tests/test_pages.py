"""The service-day pages: the teacher's day, roll call, hand-over with receipt, pickup, leave.

The day is Wednesday 14 Oct 2026 under plan 2 (after-school care 16:30–18:30); pages are
asked for it with ``?date=``.
"""

from __future__ import annotations

from django.urls import reverse

from attendance.models import Alert, HandOver, LeaveNote, Mark, Pickup
from attendance.services import hand_over, pickup_code, report_leave
from attendance.tests.conftest import DAY, at
from people.actor import actor_for

Q = f"?date={DAY.isoformat()}"


def _roll_url(care):
    return reverse("attendance:group_roll", args=[care["group"].pk]) + Q


def test_it_lists_the_teachers_care_groups_of_the_day(care, as_user):
    response = as_user(care["care_teacher"]).get(reverse("attendance:teacher_today") + Q)
    assert response.status_code == 200
    assert care["group"].name in response.content.decode()


def test_today_sends_each_role_to_its_page(care, as_user, guard, guardian_a):
    assert as_user(care["care_teacher"]).get(reverse("attendance:today")).url == reverse("attendance:teacher_today")
    assert as_user(guard).get(reverse("attendance:today")).url == reverse("attendance:gate")
    assert as_user(guardian_a).get(reverse("attendance:today")).url == reverse("attendance:family")


def test_roll_call_is_prefilled_from_leave_notes(care, as_user, child_b, guardian_b):
    report_leave(student=child_b, actor=actor_for(guardian_b.user), date=DAY, reason="发烧", now=at(8, 0))
    html = as_user(care["care_teacher"]).get(_roll_url(care)).content.decode()
    assert f'name="s{child_b.pk}" value="leave" checked' in html
    assert "发烧" in html


def test_saving_the_roll_call_records_the_marks(care, as_user, child_a, child_b):
    response = as_user(care["care_teacher"]).post(
        _roll_url(care), {"date": DAY.isoformat(), f"s{child_a.pk}": "late", "rest": "present"})
    assert response.status_code == 302
    assert dict(Mark.objects.values_list("student_id", "status")) == {child_a.pk: "late", child_b.pk: "present"}


def test_guard_cannot_take_roll_call_of_a_group(care, as_user, guard, child_a):
    client = as_user(guard)
    assert client.get(_roll_url(care)).status_code == 403
    assert client.post(_roll_url(care), {f"s{child_a.pk}": "present"}).status_code == 403
    assert not Mark.objects.exists()


def test_another_schools_user_gets_404(care, as_user, outsider):
    client = as_user(outsider)
    assert client.get(_roll_url(care)).status_code == 404
    assert client.get(reverse("attendance:hand_over", args=[care["group"].pk])).status_code == 404
    assert client.get(reverse("attendance:care_log", args=[care["group"].pk])).status_code == 404


def test_hand_over_page_records_the_ticked_children(care, as_user, child_a, child_b):
    response = as_user(care["last_period"]).post(
        reverse("attendance:hand_over", args=[care["group"].pk]) + Q,
        {"date": DAY.isoformat(), "kind": "to_care", "to_staff": care["care_teacher"].pk,
         "students": [child_a.pk], "on_leave_count": 1})
    assert response.status_code == 302
    record = HandOver.objects.get()
    assert (record.handed_count, record.on_leave_count, record.to_staff) == (1, 1, care["care_teacher"])


def test_a_count_mismatch_is_shown_in_red_at_once(care, as_user, child_a, child_b):
    record = hand_over(actor=actor_for(care["last_period"].user), kind="to_care", date=DAY,
                       to_staff=care["care_teacher"], student_ids=[child_a.pk, child_b.pk], now=at(16, 25))
    client = as_user(care["care_teacher"])
    assert "刘小红" in client.get(reverse("attendance:teacher_today") + Q).content.decode()
    response = client.post(reverse("attendance:receive", args=[record.pk]), {"received_count": 1},
                           headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "card mismatch" in html and 'role="alert"' in html
    assert Alert.objects.filter(kind="count_mismatch").exists()


def test_only_the_receiving_adult_may_confirm(care, as_user, child_a):
    record = hand_over(actor=actor_for(care["last_period"].user), kind="to_care", date=DAY,
                       to_staff=care["care_teacher"], student_ids=[child_a.pk], now=at(16, 25))
    response = as_user(care["duty"]).post(reverse("attendance:receive", args=[record.pk]), {"received_count": 1})
    assert response.status_code == 404
    assert HandOver.objects.get().received_at is None


def test_pickup_shows_guardians_masked_and_refuses_a_wrong_code(care, as_user, guard, child_a, guardian_a):
    client = as_user(guard)
    html = client.get(reverse("attendance:pickup"), {"q": "zhang"}).content.decode()
    assert "张妈妈" in html and guardian_a.phone not in html and guardian_a.masked_phone in html
    wrong = "000000" if pickup_code(guardian_a, DAY) != "000000" else "111111"
    url = reverse("attendance:release", args=[child_a.pk])
    prefix = f"p{child_a.pk}"
    response = client.post(url, {f"{prefix}-guardian": guardian_a.pk, f"{prefix}-code": wrong}, follow=True)
    assert "拒绝" in response.content.decode() or "refused" in response.content.decode()
    assert not Pickup.objects.exists()


def test_pickup_with_todays_code_releases_the_child(care, as_user, guard, child_a, guardian_a):
    from django.utils import timezone

    code = pickup_code(guardian_a, timezone.localdate())
    prefix = f"p{child_a.pk}"
    as_user(guard).post(reverse("attendance:release", args=[child_a.pk]),
                        {f"{prefix}-guardian": guardian_a.pk, f"{prefix}-code": code})
    assert Pickup.objects.get().guardian == guardian_a


def test_guardian_sees_todays_code_and_reports_and_cancels_leave(care, as_user, child_a, guardian_a):
    import datetime as dt

    from django.utils import timezone

    client = as_user(guardian_a)
    assert pickup_code(guardian_a, timezone.localdate()) in client.get(reverse("attendance:family")).content.decode()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.post(reverse("attendance:leave_new"), {"student": child_a.pk, "date": tomorrow.isoformat(), "reason": "看病"})
    note = LeaveNote.objects.get()
    client.post(reverse("attendance:leave_cancel", args=[note.pk]))
    assert LeaveNote.objects.get().cancelled_at is not None


def test_another_family_cannot_cancel_a_leave_note(care, as_user, child_a, guardian_a, guardian_b):
    import datetime as dt

    from django.utils import timezone

    note = report_leave(student=child_a, actor=actor_for(guardian_a.user),
                        date=timezone.localdate() + dt.timedelta(days=2), reason="看病")
    assert as_user(guardian_b).post(reverse("attendance:leave_cancel", args=[note.pk])).status_code == 404
    assert LeaveNote.objects.get().cancelled_at is None


def test_duty_screen_names_the_last_adult_of_an_unconfirmed_child(care, as_user, child_a):
    """Handed by the music teacher, never received: the duty leader sees who had the child last."""
    hand_over(actor=actor_for(care["last_period"].user), kind="to_care", date=DAY,
              to_staff=care["care_teacher"], student_ids=[child_a.pk], now=at(16, 25))
    client = as_user(care["duty"])
    html = client.get(reverse("attendance:duty_panel") + Q, headers={"HX-Request": "true"}).content.decode()
    assert "张小明" in html and "音乐刘老师" in html
    page = client.get(reverse("attendance:duty") + Q).content.decode()
    assert 'hx-trigger="every 45s"' in page
    assert as_user(care["last_period"]).get(reverse("attendance:duty")).status_code == 403


def test_instructor_takes_the_roll_call_of_a_club_session(care, as_user, school_a, class_a, child_a, child_b):
    import datetime as dt

    from programs.models import Offering, Session

    offering = Offering.objects.create(school=school_a, term=care["term"], kind="interest_group", name="面塑兴趣小组",
                                       grades=[3], school_class=class_a, capacity=30)
    session = Session.objects.create(school=school_a, offering=offering, planned_date=DAY, date=DAY,
                                     start=dt.time(16, 40), end=dt.time(17, 40), venue=care["group"].venue,
                                     instructor=care["last_period"])
    url = reverse("attendance:session_roll", args=[session.pk])
    client = as_user(care["last_period"])
    assert "刘小红" in client.get(url).content.decode()
    client.post(url, {f"s{child_a.pk}": "present", f"s{child_b.pk}": "late"})
    assert Mark.objects.filter(roll_call__session=session).count() == 2
    assert as_user(care["care_teacher"]).get(url).status_code == 403
