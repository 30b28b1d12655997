from django.urls import path  # noqa: F401  (routes are added below as the reports grow)

app_name = "reports"
urlpatterns: list = []
