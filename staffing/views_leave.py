"""Teachers' leave (请假): a teacher asks for their own sessions; the principal decides and
names a substitute, who is checked for clashes and vetting (plan 1 绩效考核 2)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Staff
from programs.models import Session
from staffing.forms import DecideForm, LeaveForm
from staffing.models import LeaveRequest
from staffing.services import StaffingError, decide_leave, request_leave
from staffing.views_common import is_leader, leader_actor, show_error, show_form_errors, staff_actor

# How far ahead a teacher may ask leave from this page.
AHEAD = dt.timedelta(days=60)


def _today() -> dt.date:
    return timezone.localdate()


def _own_sessions(staff_id: int):
    today = _today()
    return (Session.objects.filter(instructor_id=staff_id, status=Session.Status.SCHEDULED,
                                   date__range=(today, today + AHEAD))
            .select_related("offering").order_by("date", "start"))


@login_required
def leave(request: HttpRequest) -> HttpResponse:
    """Ask leave for one's own sessions; see one's requests; leaders see the school's open requests."""
    actor = staff_actor(request)
    form = LeaveForm(request.POST or None, sessions=_own_sessions(actor.staff_id))
    if request.method == "POST":
        if form.is_valid():
            teacher = Staff.objects.get(pk=actor.staff_id)
            try:
                request_leave(teacher=teacher, sessions=form.cleaned_data["sessions"], reason=form.cleaned_data["reason"])
                messages.success(request, _("Leave requested; the principal will decide and name a substitute."))
                return redirect("staffing:leave")
            except StaffingError as e:
                show_error(request, e)
        else:
            show_form_errors(request, form)
    mine = (LeaveRequest.objects.filter(teacher_id=actor.staff_id).select_related("substitute")
            .prefetch_related("sessions__offering").order_by("-created_at")[:30])
    pending = (LeaveRequest.objects.filter(school_id=actor.school_id, status=LeaveRequest.Status.REQUESTED)
               .select_related("teacher").prefetch_related("sessions__offering").order_by("created_at")
               if is_leader(actor) else [])
    return render(request, "staffing/leave.html", {
        "title": _("Leave and substitutes"), "form": form, "mine": mine, "pending": pending,
    })


@login_required
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The principal's decision: approve with a substitute, or refuse. Refusals of the check are shown."""
    actor = leader_actor(request)
    item = get_object_or_404(
        LeaveRequest.objects.select_related("teacher", "substitute"), pk=pk, school_id=actor.school_id)
    form = DecideForm(request.POST or None, school_id=actor.school_id, exclude=item.teacher_id)
    if request.method == "POST":
        if form.is_valid():
            try:
                decide_leave(leave=item, actor=actor, approve=form.cleaned_data["approve"],
                             substitute=form.cleaned_data["substitute"])
                messages.success(request, _("Leave decided."))
                return redirect(reverse("staffing:leave"))
            except StaffingError as e:
                show_error(request, e)
        else:
            show_form_errors(request, form)
    return render(request, "staffing/leave_decide.html", {
        "title": _("Decide leave"), "item": item, "form": form,
        "sessions": item.sessions.select_related("offering", "venue").order_by("date", "start"),
    })
