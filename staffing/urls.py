from __future__ import annotations

from django.urls import path

from staffing import (
    views_events,
    views_inspections,
    views_leave,
    views_records,
    views_roster,
    views_workload,
)

app_name = "staffing"

urlpatterns = [
    path("", views_roster.roster, name="roster"),
    path("day/<str:date>/", views_roster.duty_day, name="duty_day"),
    path("pattern/", views_roster.pattern_add, name="pattern_add"),
    path("pattern/<int:pk>/remove/", views_roster.pattern_remove, name="pattern_remove"),
    path("generate/", views_roster.generate, name="generate"),
    path("mine/", views_roster.my_duties, name="my_duties"),
    path("records/", views_records.records, name="records"),
    path("records/derive/", views_records.derive, name="derive"),
    path("records/<int:pk>/correct/", views_records.correct, name="record_correct"),
    path("records/<int:pk>/confirm/", views_records.confirm, name="record_confirm"),
    path("leave/", views_leave.leave, name="leave"),
    path("leave/<int:pk>/", views_leave.leave_decide, name="leave_decide"),
    path("inspections/", views_inspections.inspections, name="inspections"),
    path("inspections.xlsx", views_inspections.inspections_xlsx, name="inspections_xlsx"),
    path("events/", views_events.events, name="events"),
    path("events/<int:pk>/override/", views_events.override, name="event_override"),
    path("events/commend/", views_events.commend, name="commend"),
    path("workload/", views_workload.workload_page, name="workload"),
]
