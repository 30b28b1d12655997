from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("terms/<int:term_id>/calendar/", views.calendar, name="term_calendar"),
    path("calendar/entries/", views.add_entry, name="calendar_add_entry"),
    path("calendar/entries/<int:entry_id>/remove/", views.remove_entry, name="calendar_remove_entry"),
    path("calendar/years/", views.declare_year, name="calendar_declare_year"),
]
