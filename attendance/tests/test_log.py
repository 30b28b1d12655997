"""Gate register, patrols, care logs, weekly class records and incidents (plans 3 and 7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from attendance.models import Alert, CareLog, GateEntry, Incident, Patrol, WeeklyClassRecord
from attendance.services import AttendanceError
from attendance.services_log import archive_weekly_records, report_incident, write_weekly_record
from attendance.tests.conftest import DAY, at
from notices.models import Notice
from people.actor import actor_for


def test_a_serious_incident_escalates_and_notifies_the_guardian(care, child_a, guardian_a, guardian_b):
    incident = report_incident(actor=actor_for(care["care_teacher"].user), kind="injury", severity="serious",
                               students=[child_a], description="课间摔倒，膝盖擦伤流血。",
                               actions="校医处理并送医。", now=at(17, 5))
    assert incident.escalated_at == at(17, 5)
    assert Alert.objects.get(kind="incident_escalated").student == child_a
    notice = Notice.objects.get(kind="attendance.incident")
    assert notice.guardian == guardian_a and "张小明" in notice.subject
    assert not Notice.objects.filter(guardian=guardian_b).exists()


def test_a_minor_incident_is_recorded_without_escalation(care, child_a, guardian_a):
    incident = report_incident(actor=actor_for(care["care_teacher"].user), kind="conflict", severity="minor",
                               students=[child_a], description="两人争抢图书，已调解。", now=at(17, 5))
    assert incident.escalated_at is None
    assert not Alert.objects.exists() and not Notice.objects.exists()


def test_incident_page_escalates_a_critical_incident(care, child_a, guardian_a, as_user):
    response = as_user(care["care_teacher"]).post(reverse("attendance:incidents"), {
        "kind": "illness", "severity": "critical", "student_numbers": child_a.student_number,
        "description": "高烧抽搐", "actions": "拨打120"})
    assert response.status_code == 302
    assert Incident.objects.get().escalated_at is not None
    assert Notice.objects.filter(guardian=guardian_a, kind="attendance.incident").exists()


def test_incident_page_names_an_unknown_child(care, as_user):
    response = as_user(care["care_teacher"]).post(reverse("attendance:incidents"), {
        "kind": "injury", "severity": "minor", "student_numbers": "99999999", "description": "x"})
    assert response.status_code == 200 and "99999999" in response.content.decode()
    assert not Incident.objects.exists()


def test_care_teacher_writes_the_days_care_log_once(care, as_user):
    client = as_user(care["care_teacher"])
    url = reverse("attendance:care_log", args=[care["group"].pk]) + f"?date={DAY.isoformat()}"
    client.post(url, {"date": DAY.isoformat(), "activities": "完成作业，阅读《草房子》"})
    client.post(url, {"date": DAY.isoformat(), "activities": "完成作业，阅读", "notes": "张小明提前完成"})
    log = CareLog.objects.get()
    assert (log.date, log.notes) == (DAY, "张小明提前完成")


def test_another_teacher_cannot_write_the_groups_care_log(care, as_user):
    response = as_user(care["last_period"]).post(
        reverse("attendance:care_log", args=[care["group"].pk]), {"activities": "x"})
    assert response.status_code == 403
    assert not CareLog.objects.exists()


def test_weekly_records_are_archived_at_term_end_and_then_frozen(care, class_a, principal):
    """Plan 3: 由班主任每周填写活动记录，期末上交学校存档."""
    teacher = actor_for(care["care_teacher"].user)
    record = write_weekly_record(actor=teacher, school_class=class_a, term=care["term"],
                                 week_start=dt.date(2026, 10, 14), content="主题班会：安全放学")
    assert record.week_start == dt.date(2026, 10, 12)  # the Monday of that week
    assert archive_weekly_records(actor=actor_for(principal.user), term=care["term"]) == 1
    assert WeeklyClassRecord.objects.get().archived
    with pytest.raises(AttendanceError):
        write_weekly_record(actor=teacher, school_class=class_a, term=care["term"],
                            week_start=dt.date(2026, 10, 12), content="改写")


def test_only_the_head_teacher_writes_the_weekly_record(care, class_a):
    with pytest.raises(AttendanceError):
        write_weekly_record(actor=actor_for(care["last_period"].user), school_class=class_a, term=care["term"],
                            week_start=dt.date(2026, 10, 12), content="x")


def test_guard_registers_a_late_pickup_in_and_out(care, as_user, guard, child_a):
    client = as_user(guard)
    client.post(reverse("attendance:gate"), {"name": "张爷爷", "purpose": "晚接", "student_number": child_a.student_number})
    entry = GateEntry.objects.get()
    assert entry.for_student == child_a and entry.time_out is None
    client.post(reverse("attendance:gate_out", args=[entry.pk]))
    assert GateEntry.objects.get().time_out is not None


def test_duty_leader_records_a_patrol_and_a_teacher_may_not(care, as_user):
    as_user(care["duty"]).post(reverse("attendance:patrol"), {"place": f"g{care['group'].pk}", "all_well": "on"})
    assert Patrol.objects.get().care_group == care["group"]
    assert as_user(care["last_period"]).get(reverse("attendance:patrol")).status_code == 403


def test_head_teacher_sees_and_resolves_an_alert_about_a_child_of_their_class(care, child_a, as_user):
    report_incident(actor=actor_for(care["duty"].user), kind="injury", severity="serious", students=[child_a],
                    description="摔倒", now=at(17, 5))
    alert = Alert.objects.get()
    alert.date = DAY
    alert.save(update_fields=["date"])
    client = as_user(care["care_teacher"])
    html = client.get(reverse("attendance:teacher_today") + f"?date={DAY.isoformat()}").content.decode()
    assert f"alert-{alert.pk}" in html
    client.post(reverse("attendance:alert_resolve", args=[alert.pk]))
    assert Alert.objects.get().resolved_at is not None
