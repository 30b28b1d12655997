"""Performance events on each teacher's month (plan 1 绩效考核): breaches with their evidence,
the principal's override with a reason, and commendations for the term awards."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staffing.forms import CommendationForm, OverrideForm
from staffing.models import PerformanceEvent
from staffing.selectors import month_events
from staffing.services import StaffingError, add_commendation, override_event
from staffing.views_common import (
    chosen_month,
    is_leader,
    leader_actor,
    show_error,
    show_form_errors,
    staff_actor,
)


def _to_month(month) -> HttpResponse:
    return redirect(reverse("staffing:events") + f"?month={month:%Y-%m}")


@login_required
def events(request: HttpRequest) -> HttpResponse:
    """The month's events per person: everyone's for leaders, one's own for everyone else."""
    actor = staff_actor(request)
    month = chosen_month(request)
    leader = is_leader(actor)
    rows = month_events(school_id=actor.school_id, month=month, staff_id=None if leader else actor.staff_id)
    people = [(staff, list(items)) for staff, items in groupby(rows, key=lambda e: e.staff)]
    return render(request, "staffing/events.html", {
        "title": _("Performance events"), "month": month, "people": people, "leader": leader,
        "override_form": OverrideForm() if leader else None,
        "commend_form": CommendationForm(school_id=actor.school_id, initial={"date": month}) if leader else None,
    })


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    actor = leader_actor(request)
    event = get_object_or_404(PerformanceEvent, pk=pk, school_id=actor.school_id)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            override_event(event=event, reason=form.cleaned_data["reason"], actor=actor)
            messages.success(request, _("Event set aside."))
        except StaffingError as e:
            show_error(request, e)
    else:
        show_form_errors(request, form)
    return _to_month(event.date)


@login_required
@require_POST
def commend(request: HttpRequest) -> HttpResponse:
    actor = leader_actor(request)
    form = CommendationForm(request.POST, school_id=actor.school_id)
    if not form.is_valid():
        show_form_errors(request, form)
        return _to_month(chosen_month(request))
    try:
        add_commendation(actor=actor, **form.cleaned_data)
        messages.success(request, _("Commendation recorded."))
    except StaffingError as e:
        show_error(request, e)
    return _to_month(form.cleaned_data["date"])
