"""Project-level pages: the home dispatch by role, health check and friendly error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from people.roles import Role
from reports import homes


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Land each person on the home page of their role, with real counts."""
    actor = request.actor
    if actor.is_staff_member:
        if actor.has_role(Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.MIDDLE_MANAGER):
            return homes.principal_home(request)
        if actor.has_role(Role.FINANCE):
            return homes.finance_home(request)
        if actor.has_role(Role.TEACHER, Role.HEAD_TEACHER, Role.EXTERNAL_INSTRUCTOR, Role.VOLUNTEER):
            return homes.teacher_home(request)
        return homes.duty_home(request)
    if actor.is_district:
        return homes.district_home(request)
    if actor.is_guardian:
        return homes.guardian_home(request)
    return render(request, "home/no_role.html", status=403)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def _error(request, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, "errors/400.html", 400)


def permission_denied(request, exception=None):
    return _error(request, "errors/403.html", 403)


def page_not_found(request, exception=None):
    return _error(request, "errors/404.html", 404)


def server_error(request):
    # No context processors: the failure may be in one of them.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)
