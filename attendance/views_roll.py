"""Roll call of a care group or a club session, and the hand-overs of the custody chain (交接)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from attendance import selectors
from attendance.forms import HandOverForm, ReceiptForm
from attendance.models import HandOver, Mark
from attendance.services import (
    AttendanceError,
    confirm_receipt,
    hand_over,
    may_take_roll,
    take_roll_call,
)
from attendance.views_common import CARING_ROLES, service_day, staff_actor


def _roll_call(request, *, care_group=None, session=None):
    actor = staff_actor(request)
    if not may_take_roll(actor, care_group=care_group, session=session):
        raise PermissionDenied
    date = session.date if session is not None else service_day(request)
    children = selectors.group_children(care_group) if care_group else selectors.session_children(session)
    school_id = actor.school_id
    if request.method == "POST":
        allowed = {s.pk for s, _label in children}
        marks = {}
        for student_id in allowed:
            status = request.POST.get(f"s{student_id}", "")
            if status in Mark.Status.values:
                marks[student_id] = status
            elif request.POST.get("rest") == "present":
                marks[student_id] = Mark.Status.PRESENT
        if not marks:
            messages.error(request, _("Tap a mark for at least one child."))
        else:
            try:
                take_roll_call(actor=actor, date=date, marks=marks, care_group=care_group, session=session)
            except AttendanceError as exc:
                messages.error(request, exc.message)
            else:
                counts = {label: sum(1 for v in marks.values() if v == value) for value, label in Mark.Status.choices}
                summary = "，".join(f"{label} {n}" for label, n in counts.items() if n)
                messages.success(request, _("Roll call saved: %(summary)s.") % {"summary": summary})
        return redirect(f"{request.path}?date={date.isoformat()}")
    rows = selectors.roll_sheet(children=children, date=date, school_id=school_id,
                                care_group=care_group, session=session)
    return render(request, "attendance/roll_call.html", {
        "title": _("Roll call"),
        "place": care_group.name if care_group else session.offering.name,
        "care_group": care_group,
        "session": session,
        "date": date,
        "rows": rows,
        "statuses": Mark.Status.choices,
        "marked": sum(1 for r in rows if r.status),
    })


@login_required
@never_cache
def group_roll(request, pk: int):
    """点名 of a care group: one row per child, prefilled from marks and leave notes."""
    actor = staff_actor(request)
    return _roll_call(request, care_group=selectors.get_group_for(actor, pk))


@login_required
@never_cache
def session_roll(request, pk: int):
    """点名 of a club session by its instructor."""
    actor = staff_actor(request)
    return _roll_call(request, session=selectors.get_session_for(actor, pk))


@login_required
@never_cache
def group_hand_over(request, pk: int):
    """The last-period teacher (or the care teacher at the end) hands the group's children on."""
    actor = staff_actor(request, *CARING_ROLES)
    group = selectors.get_group_for(actor, pk)
    date = service_day(request)
    rows = [r for r in selectors.roll_sheet(children=selectors.group_children(group), date=date,
                                            school_id=actor.school_id, care_group=group) if not r.picked_up]
    adults = [a for a in selectors.adults_of_school(actor.school_id) if a.pk != actor.staff_id]
    form = HandOverForm(request.POST or None, adults=adults, children=[r.student for r in rows])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to_staff = next(a for a in adults if a.pk == data["to_staff"])
        try:
            record = hand_over(actor=actor, kind=data["kind"], date=date, to_staff=to_staff,
                               student_ids=data["students"], care_group=group,
                               on_leave_count=data["on_leave_count"])
        except AttendanceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)d children handed to %(to)s; waiting for their confirmation.") % {
                "n": record.handed_count, "to": to_staff.name})
            return redirect(f"{reverse('attendance:teacher_today')}?date={date.isoformat()}")
    elif request.method != "POST":
        mine = group.teacher_id == actor.staff_id
        default_to = next((a.pk for a in adults if a.pk == group.teacher_id), None)
        form.initial.update({
            "kind": HandOver.Kind.TO_DUTY if mine else HandOver.Kind.TO_CARE,
            "to_staff": default_to,
            "on_leave_count": sum(1 for r in rows if r.status == Mark.Status.LEAVE),
        })
    ticked = set(form.data.getlist("students")) if form.is_bound else {
        str(r.student.pk) for r in rows if r.status not in (Mark.Status.LEAVE, Mark.Status.ABSENT)}
    return render(request, "attendance/hand_over.html", {
        "title": _("Hand-over"),
        "group": group,
        "date": date,
        "form": form,
        "rows": [(r, str(r.student.pk) in ticked) for r in rows],
        "ticked_count": len(ticked),
    })


@login_required
@require_POST
def receive(request, pk: int):
    """The receiving adult confirms the count; a mismatch is shown in red at once."""
    actor = staff_actor(request)
    record = HandOver.objects.select_related("from_staff", "to_staff", "care_group").filter(
        pk=pk, school_id=actor.school_id).first()
    if record is None or record.to_staff_id != actor.staff_id:
        raise Http404
    form = ReceiptForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            record = confirm_receipt(actor=actor, hand_over=record, received_count=form.cleaned_data["received_count"])
        except AttendanceError as exc:
            error = exc.message
    else:
        error = _("Enter the number of children you counted.")
    if request.htmx:
        return render(request, "attendance/_receipt.html", {
            "h": record, "names": selectors.hand_over_names([record]).get(record.pk, []),
            "form": form, "error": error})
    if error:
        messages.error(request, error)
    elif record.mismatch:
        messages.error(request, _("Count mismatch: %(handed)d handed, %(received)d counted. The duty leader has been alerted.")
                       % {"handed": record.handed_count, "received": record.received_count})
    else:
        messages.success(request, _("Receipt of %(n)d children confirmed.") % {"n": record.received_count})
    return redirect("attendance:teacher_today")
