from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from kehou import views
from people.forms import LoginForm
from people.views_accounts import activate
from people.views_password import PasswordChange

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("activate/", activate, name="activate"),
    path("account/password/", PasswordChange.as_view(), name="password_change"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("schools/", include("schools.urls")),
    path("people/", include("people.urls")),
    path("plans/", include("plans.urls")),
    path("programs/", include("programs.urls")),
    path("attendance/", include("attendance.urls")),
    path("staffing/", include("staffing.urls")),
    path("payroll/", include("payroll.urls")),
    path("finance/", include("finance.urls")),
    path("enrollment/", include("enrollment.urls")),
    path("events/", include("events.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "kehou.views.bad_request"
handler403 = "kehou.views.permission_denied"
handler404 = "kehou.views.page_not_found"
handler500 = "kehou.views.server_error"
