"""Each link of the custody chain of plan 7 (六(四)1–4) and the unaccounted-children screen."""

from __future__ import annotations

import pytest

from attendance.custody import child_states, unaccounted
from attendance.models import Alert, HandOver, Mark, MarkCorrection, Pickup, RefusedPickup
from attendance.services import (
    AttendanceError,
    confirm_receipt,
    hand_over,
    pickup_code,
    release_to_guardian,
    report_leave,
    take_roll_call,
)
from attendance.tests.conftest import DAY, at
from audit.models import AuditEvent
from lib import testing as make
from notices.models import Notice
from people.actor import actor_for


def _states(care, now):
    return {s.name: s for s in child_states(term=care["term"], service="after_school", date=DAY, now=now)}


def test_before_service_nobody_is_unaccounted(care):
    assert unaccounted(term=care["term"], service="after_school", date=DAY, now=at(16, 0)) == []


def test_nobody_confirmed_after_the_start_is_unaccounted(care, child_a):
    missing = unaccounted(term=care["term"], service="after_school", date=DAY, now=at(16, 50))
    assert {s.name for s in missing} == {"张小明", "刘小红"}


def test_handed_but_not_received_names_the_last_adult(care, child_a, child_b):
    """The music teacher hands both children to the care teacher, who never confirms."""
    hand_over(actor=actor_for(care["last_period"].user), kind=HandOver.Kind.TO_CARE, date=DAY,
              to_staff=care["care_teacher"], student_ids=[child_a.pk, child_b.pk], care_group=care["group"],
              now=at(16, 25))
    missing = {s.name: s for s in unaccounted(term=care["term"], service="after_school", date=DAY, now=at(16, 50))}
    assert set(missing) == {"张小明", "刘小红"}
    assert missing["张小明"].adult == "音乐刘老师"
    assert "音乐刘老师" in missing["张小明"].why
    assert AuditEvent.objects.filter(action="handover.handed").count() == 1


def test_received_children_are_accounted_and_a_count_mismatch_is_flagged(care, child_a, child_b):
    record = hand_over(actor=actor_for(care["last_period"].user), kind=HandOver.Kind.TO_CARE, date=DAY,
                       to_staff=care["care_teacher"], student_ids=[child_a.pk, child_b.pk], now=at(16, 25))
    record = confirm_receipt(actor=actor_for(care["care_teacher"].user), hand_over=record, received_count=1,
                             now=at(16, 31))
    assert record.mismatch
    alert = Alert.objects.get(kind="count_mismatch")
    assert "2" in alert.message and "1" in alert.message
    states = _states(care, at(16, 50))
    assert states["张小明"].state == "with_adult" and states["张小明"].adult == "陈老师"
    assert not states["张小明"].unaccounted


def test_only_the_receiving_adult_confirms(care, child_a):
    record = hand_over(actor=actor_for(care["last_period"].user), kind=HandOver.Kind.TO_CARE, date=DAY,
                       to_staff=care["care_teacher"], student_ids=[child_a.pk], now=at(16, 25))
    with pytest.raises(AttendanceError):
        confirm_receipt(actor=actor_for(care["duty"].user), hand_over=record, received_count=1)


def test_roll_call_marks_and_corrections_keep_history(care, child_a, child_b):
    actor = actor_for(care["care_teacher"].user)
    take_roll_call(actor=actor, date=DAY, care_group=care["group"], marks={child_a.pk: "present", child_b.pk: "late"},
                   now=at(16, 35))
    take_roll_call(actor=actor, date=DAY, care_group=care["group"], marks={child_b.pk: "present"}, now=at(16, 40))
    mark = Mark.objects.get(student=child_b)
    assert mark.status == "present"
    correction = MarkCorrection.objects.get()
    assert (correction.old_status, correction.new_status) == ("late", "present")
    assert not unaccounted(term=care["term"], service="after_school", date=DAY, now=at(17, 0))


def test_another_teacher_cannot_take_the_groups_roll_call(care, child_a, school_a):
    stranger = make.make_staff(school_a, "teacher", name="别的老师")
    with pytest.raises(AttendanceError):
        take_roll_call(actor=actor_for(stranger.user), date=DAY, care_group=care["group"], marks={child_a.pk: "present"})
    assert not Mark.objects.exists()


def test_absence_without_a_leave_note_notifies_the_guardian_at_once(care, child_a, child_b, guardian_a, guardian_b):
    report_leave(student=child_b, actor=actor_for(guardian_b.user), date=DAY, reason="发烧", now=at(8, 0))
    take_roll_call(actor=actor_for(care["care_teacher"].user), date=DAY, care_group=care["group"],
                   marks={child_a.pk: "absent", child_b.pk: "absent"}, now=at(16, 35))
    assert Notice.objects.filter(guardian=guardian_a, kind="attendance.absent").count() == 1
    assert not Notice.objects.filter(guardian=guardian_b).exists()  # on leave: no alarm
    assert Alert.objects.filter(kind="absent_without_leave", student=child_a).exists()
    states = _states(care, at(18, 50))
    assert states["刘小红"].state == "on_leave" and not states["刘小红"].unaccounted


def test_leave_must_come_before_and_from_the_childs_own_guardian(care, child_a, guardian_b):
    with pytest.raises(AttendanceError):
        report_leave(student=child_a, actor=actor_for(guardian_b.user), date=DAY, reason="?", now=at(8, 0))


def test_pickup_by_code_releases_the_child(care, child_a, guardian_a):
    take_roll_call(actor=actor_for(care["care_teacher"].user), date=DAY, care_group=care["group"],
                   marks={child_a.pk: "present"}, now=at(16, 35))
    release_to_guardian(actor=actor_for(care["care_teacher"].user), student=child_a, guardian=guardian_a, date=DAY,
                        code=pickup_code(guardian_a, DAY), now=at(18, 20))
    assert _states(care, at(19, 0))["张小明"].state == "picked_up"
    assert AuditEvent.objects.filter(action="handover.pickup").count() == 1


def test_pickup_by_an_unauthorised_person_is_refused_and_kept(care, child_a, guardian_b):
    """刘爸爸 is guardian of another child, not of 张小明 (安全管理办法 §31)."""
    with pytest.raises(AttendanceError):
        release_to_guardian(actor=actor_for(care["care_teacher"].user), student=child_a, guardian=guardian_b,
                            date=DAY, code=pickup_code(guardian_b, DAY), now=at(18, 20))
    assert not Pickup.objects.exists()
    assert RefusedPickup.objects.get().claimed_by == "刘爸爸"
    assert Alert.objects.filter(kind="refused_pickup", student=child_a).exists()


def test_wrong_code_is_refused(care, child_a, guardian_a):
    with pytest.raises(AttendanceError):
        release_to_guardian(actor=actor_for(care["care_teacher"].user), student=child_a, guardian=guardian_a,
                            date=DAY, code="000000" if pickup_code(guardian_a, DAY) != "000000" else "111111")
    assert not Pickup.objects.exists()


def test_not_picked_up_after_the_end_is_unaccounted(care, child_a, child_b, guardian_a):
    take_roll_call(actor=actor_for(care["care_teacher"].user), date=DAY, care_group=care["group"],
                   marks={child_a.pk: "present", child_b.pk: "present"}, now=at(16, 35))
    release_to_guardian(actor=actor_for(care["care_teacher"].user), student=child_a, guardian=guardian_a, date=DAY,
                        guardian_user=guardian_a.user, now=at(18, 25))
    late = unaccounted(term=care["term"], service="after_school", date=DAY, now=at(18, 50))
    assert [s.name for s in late] == ["刘小红"]
    assert late[0].adult == "陈老师"


def test_handed_back_to_the_duty_teacher_is_accounted(care, child_b):
    take_roll_call(actor=actor_for(care["care_teacher"].user), date=DAY, care_group=care["group"],
                   marks={child_b.pk: "present"}, now=at(16, 35))
    record = hand_over(actor=actor_for(care["care_teacher"].user), kind=HandOver.Kind.TO_DUTY, date=DAY,
                       to_staff=care["duty"], student_ids=[child_b.pk], now=at(18, 30))
    confirm_receipt(actor=actor_for(care["duty"].user), hand_over=record, received_count=1, now=at(18, 31))
    state = _states(care, at(18, 50))["刘小红"]
    assert state.state == "with_adult" and state.adult == "值班吴主任" and not state.unaccounted


def test_custody_queries_do_not_grow_with_children(care, class_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as few:
        child_states(term=care["term"], service="after_school", date=DAY, now=at(17, 0))
    from programs.services_groups import form_care_groups

    many = [make.make_student(class_a, name=f"学生{i}").pk for i in range(200)]
    form_care_groups(term=care["term"], service="after_school", student_ids=many, acting_user=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(child_states(term=care["term"], service="after_school", date=DAY, now=at(17, 0))) == 200
