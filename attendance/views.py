"""The service day's front doors: "today" by role, the teacher's day, the guardian's day and
leave notes. Rules stay in attendance.services; reads in attendance.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from attendance import selectors
from attendance.forms import LeaveForm, ReceiptForm
from attendance.services import AttendanceError, cancel_leave, pickup_code, report_leave
from attendance.views_common import CARING_ROLES, DUTY_ROLES, GATE_ROLES, service_day, staff_actor
from people.models import Guardian
from people.roles import Role
from schools.models import SchoolClass


@login_required
def today(request):
    """Send each person to the page of their service day."""
    actor = request.actor
    if actor.is_staff_member:
        if actor.has_role(Role.TEACHER, Role.HEAD_TEACHER, Role.EXTERNAL_INSTRUCTOR, Role.VOLUNTEER):
            return redirect("attendance:teacher_today")
        if actor.has_role(*DUTY_ROLES):
            return redirect("attendance:duty")
        if actor.has_role(*GATE_ROLES):
            return redirect("attendance:gate")
        raise PermissionDenied
    if actor.is_guardian:
        return redirect("attendance:family")
    raise PermissionDenied


@login_required
@never_cache
def teacher_today(request):
    """The groups and sessions the teacher has today, hand-overs waiting, alerts of their classes."""
    actor = staff_actor(request, *CARING_ROLES)
    date = service_day(request)
    waiting = selectors.waiting_hand_overs(actor, date)
    names = selectors.hand_over_names(waiting)
    return render(request, "attendance/teacher_today.html", {
        "title": _("Today"),
        "date": date,
        "groups": selectors.groups_of_teacher(actor, date),
        "sessions": selectors.sessions_of_instructor(actor, date),
        "waiting": [(h, names.get(h.pk, []), ReceiptForm()) for h in waiting],
        "hand_overs": selectors.hand_overs_of_day(actor.school_id, date, staff_id=actor.staff_id),
        "alerts": selectors.alerts_for_head_teacher(actor, date),
        "heads_class": SchoolClass.objects.filter(head_teacher_id=actor.staff_id).exists(),
        "may_lead_duty": selectors.may_lead_duty(actor),
    })


@login_required
@never_cache
def family(request):
    """The guardian's day: today's pickup code, the children and their leave notes."""
    actor = request.actor
    if not actor.is_guardian:
        raise PermissionDenied
    today_ = timezone.localdate()
    guardian = Guardian.objects.get(pk=actor.guardian_id)
    children = selectors.children_of_guardian(actor)
    notes = selectors.leave_notes_of_guardian(actor, today_)
    form = LeaveForm(children=children, sessions=selectors.sessions_for_leave(children, today_))
    return render(request, "attendance/family.html", {
        "title": _("Today"),
        "date": today_,
        "code": pickup_code(guardian, today_),
        "children": children,
        "notes": [(n, n.cancelled_at is None and n.date > today_) for n in notes],
        "form": form,
    })


@login_required
@require_POST
def leave_new(request):
    """Report a leave note for one of the guardian's own children."""
    actor = request.actor
    if not actor.is_guardian:
        raise PermissionDenied
    children = selectors.children_of_guardian(actor)
    sessions = selectors.sessions_for_leave(children, timezone.localdate())
    form = LeaveForm(request.POST, children=children, sessions=sessions)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("attendance:family")
    data = form.cleaned_data
    student = next(c for c in children if c.pk == data["student"])
    session = sessions.filter(pk=data["session"]).first() if data["session"] else None
    try:
        report_leave(student=student, actor=actor, date=data["date"], reason=data["reason"], session=session)
    except AttendanceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Leave for %(name)s on %(date)s has been reported.") % {
            "name": student.name, "date": data["date"]})
    return redirect("attendance:family")


@login_required
@require_POST
def leave_cancel(request, pk: int):
    """Withdraw a leave note of the guardian's family before its day (404 for anyone else's)."""
    actor = request.actor
    notes = {n.pk: n for n in selectors.leave_notes_of_guardian(actor, timezone.localdate())}
    if pk not in notes:  # missing, past, or another family's: the same answer
        raise Http404
    try:
        cancel_leave(note=notes[pk], actor=actor)
    except AttendanceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The leave note has been cancelled."))
    return redirect("attendance:family")
