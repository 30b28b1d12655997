"""The service day's pages, mounted at /attendance/."""

from __future__ import annotations

from django.urls import path

from attendance import views, views_duty, views_gate, views_log, views_roll

app_name = "attendance"

urlpatterns = [
    path("", views.today, name="today"),
    path("teacher/", views.teacher_today, name="teacher_today"),
    path("family/", views.family, name="family"),
    path("leave/new/", views.leave_new, name="leave_new"),
    path("leave/<int:pk>/cancel/", views.leave_cancel, name="leave_cancel"),
    path("groups/<int:pk>/roll/", views_roll.group_roll, name="group_roll"),
    path("sessions/<int:pk>/roll/", views_roll.session_roll, name="session_roll"),
    path("groups/<int:pk>/hand-over/", views_roll.group_hand_over, name="hand_over"),
    path("hand-overs/<int:pk>/receive/", views_roll.receive, name="receive"),
    path("groups/<int:pk>/log/", views_log.care_log, name="care_log"),
    path("pickup/", views_gate.pickup, name="pickup"),
    path("pickup/<int:pk>/release/", views_gate.release, name="release"),
    path("gate/", views_gate.gate, name="gate"),
    path("gate/<int:pk>/out/", views_gate.gate_out, name="gate_out"),
    path("duty/", views_duty.duty, name="duty"),
    path("duty/panel/", views_duty.duty_panel, name="duty_panel"),
    path("alerts/<int:pk>/resolve/", views_duty.alert_resolve, name="alert_resolve"),
    path("patrol/", views_duty.patrol, name="patrol"),
    path("weekly/", views_log.weekly, name="weekly"),
    path("weekly/archive/", views_log.weekly_archive, name="weekly_archive"),
    path("incidents/", views_log.incidents, name="incidents"),
    path("students/<int:pk>/day/", views_log.timeline, name="timeline"),
]
