from __future__ import annotations

from django.urls import path

from programs import views, views_groups, views_sessions, views_timetable

app_name = "programs"
urlpatterns = [
    path("", views.offering_list, name="offering_list"),
    path("offerings/new/", views.offering_create, name="offering_create"),
    path("offerings/<int:offering_id>/", views.offering_detail, name="offering_detail"),
    path("offerings/<int:offering_id>/slots/", views.add_slot, name="add_slot"),
    path("offerings/<int:offering_id>/open/", views.open_offering, name="open_offering"),
    path("offerings/<int:offering_id>/close/", views.close_offering, name="close_offering"),
    path("offerings/<int:offering_id>/generate/", views.generate, name="generate_sessions"),
    path("offerings/<int:offering_id>/sessions/", views_sessions.session_list, name="session_list"),
    path("sessions/<int:session_id>/", views_sessions.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/move/", views_sessions.move, name="move_session"),
    path("sessions/<int:session_id>/cancel/", views_sessions.cancel, name="cancel_session"),
    path(
        "sessions/<int:session_id>/substitute/",
        views_sessions.substitute,
        name="substitute_session",
    ),
    path("timetable/", views_timetable.timetable, name="timetable"),
    path("timetable/export.xlsx", views_timetable.timetable_xlsx, name="timetable_xlsx"),
    path("groups/", views_groups.group_report, name="groups"),
    path("groups/form/", views_groups.form_groups, name="form_groups"),
]
