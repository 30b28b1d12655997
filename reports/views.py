"""The principal's dashboard and the district view (thin: figures come from dashboard/district)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from people.actor import Actor
from people.roles import Capability
from reports.dashboard import school_dashboard
from reports.district import district_view
from reports.exports import district_workbook
from schools.models import Term
from schools.selectors import current_term, get_term_for, terms_for


def leader_actor(request: HttpRequest) -> Actor:
    actor = request.actor
    if not actor.is_staff_member or actor.school_id is None or not actor.may(Capability.VIEW_DASHBOARD):
        raise PermissionDenied
    return actor


def chosen_term(request: HttpRequest, actor: Actor) -> Term | None:
    raw = request.GET.get("term", "")
    if raw:
        return get_term_for(actor, int(raw)) if raw.isdigit() else get_term_for(actor, -1)
    term = current_term(actor.school_id)
    return Term.objects.select_related("school").get(pk=term.pk) if term else None


@login_required
@never_cache
def dashboard(request: HttpRequest) -> HttpResponse:
    """The school's term at a glance; every number links to the rows behind it."""
    actor = leader_actor(request)
    term = chosen_term(request, actor)
    board = None
    if term is not None:
        board = school_dashboard(
            term,
            today=timezone.localdate(),
            show_flags=actor.may(Capability.VIEW_PRIORITY_FLAGS),
            show_money=actor.may(Capability.VIEW_FINANCE),
        )
    return render(request, "reports/dashboard.html", {
        "title": _("School dashboard"),
        "term": term,
        "terms": terms_for(actor).order_by("-start"),
        "board": board,
    })


def district_actor(request: HttpRequest) -> Actor:
    actor = request.actor
    if not actor.is_district or actor.district_id is None:
        raise PermissionDenied
    return actor


@login_required
@never_cache
def district(request: HttpRequest) -> HttpResponse:
    """Every school of the district against the national coverage figures and the caps."""
    actor = district_actor(request)
    view = district_view(actor.district_id, today=timezone.localdate())
    return render(request, "reports/district.html", {"title": _("District coverage"), "view": view})


@login_required
@never_cache
def district_xlsx(request: HttpRequest) -> HttpResponse:
    actor = district_actor(request)
    view = district_view(actor.district_id, today=timezone.localdate())
    response = HttpResponse(
        district_workbook(view),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="district-coverage.xlsx"'
    return response
