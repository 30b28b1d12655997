from django.urls import path

from people import views, views_consent, views_roster

app_name = "people"
urlpatterns = [
    path("students/", views.student_list, name="student_list"),
    path("students/<int:student_id>/", views.student_detail, name="student_detail"),
    path(
        "students/<int:student_id>/national-id/",
        views.reveal_national_id,
        name="reveal_national_id",
    ),
    path("consent/", views_consent.consent, name="consent"),
    path("roster/import/", views_roster.roster_import, name="roster_import"),
    path("roster/template.xlsx", views_roster.roster_template, name="roster_template"),
    path("roster/export.xlsx", views_roster.roster_export, name="roster_export"),
]
