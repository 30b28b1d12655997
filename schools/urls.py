from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("terms/<int:term_id>/calendar/", views.calendar, name="term_calendar"),
]
