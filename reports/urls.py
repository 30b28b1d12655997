from django.urls import path

from reports import urls_periodic, views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("district/", views.district, name="district"),
    path("district/coverage.xlsx", views.district_xlsx, name="district_xlsx"),
    *urls_periodic.urlpatterns,
]
