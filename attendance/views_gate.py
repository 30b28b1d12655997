"""At the gate and the classroom door: pickup by an authorised guardian, the gate register."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from attendance import selectors
from attendance.forms import GateEntryForm, PickupForm
from attendance.models import GateEntry
from attendance.services import AttendanceError, release_to_guardian
from attendance.services_log import record_gate_entry, record_gate_exit
from attendance.views_common import GATE_ROLES, roster_actor, staff_actor
from lib.pages import show_form_errors
from people.models import Guardian, Student
from people.selectors import search_students

MAX_RESULTS = 20


@login_required
@never_cache
def pickup(request):
    """Find a child by name or pinyin and see who may collect them."""
    actor = roster_actor(request)
    query = request.GET.get("q", "").strip()
    students: list[Student] = []
    if query:
        qs = Student.objects.filter(school_id=actor.school_id, is_active=True).select_related("school_class")
        students = list(search_students(qs, query).order_by("pinyin")[:MAX_RESULTS])
    cards = selectors.pickup_cards(actor, students, timezone.localdate())
    return render(request, "attendance/pickup.html", {
        "title": _("Pickup"),
        "query": query,
        "cards": [(c, PickupForm(guardians=[g for g, _r, _p in c.guardians], prefix=f"p{c.student.pk}")) for c in cards],
    })


@login_required
@require_POST
def release(request, pk: int):
    """Release the child to the guardian whose 6-digit code matches; a refusal says why."""
    actor = roster_actor(request)
    student = Student.objects.filter(pk=pk, school_id=actor.school_id).first()
    if student is None:
        raise Http404
    form = PickupForm(request.POST, guardians=Guardian.objects.filter(student_links__student=student),
                      prefix=f"p{student.pk}")
    back = f"{reverse('attendance:pickup')}?{urlencode({'q': request.POST.get('q') or student.name})}"
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect(back)
    guardian = Guardian.objects.get(pk=form.cleaned_data["guardian"])
    try:
        release_to_guardian(actor=actor, student=student, guardian=guardian, date=timezone.localdate(),
                            code=form.cleaned_data["code"])
    except AttendanceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s has been released to %(who)s.") % {
            "name": student.name, "who": guardian.name})
    return redirect(back)


@login_required
@never_cache
def gate(request):
    """门卫登记: visitors and late pickups coming in and going out today."""
    actor = staff_actor(request, *GATE_ROLES)
    form = GateEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = None
        if data["student_number"]:
            student = Student.objects.filter(school_id=actor.school_id, student_number=data["student_number"]).first()
            if student is None:
                form.add_error("student_number", _("No child of this school has that number."))
        if not form.errors:
            try:
                entry = record_gate_entry(actor=actor, name=data["name"], purpose=data["purpose"], for_student=student)
            except AttendanceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(name)s came in at %(time)s.") % {
                    "name": entry.name, "time": timezone.localtime(entry.time_in).strftime("%H:%M")})
                return redirect("attendance:gate")
    entries = GateEntry.objects.filter(school_id=actor.school_id, date=timezone.localdate()).select_related(
        "for_student", "recorded_by")
    return render(request, "attendance/gate.html", {"title": _("Gate register"), "form": form, "entries": entries})


@login_required
@require_POST
def gate_out(request, pk: int):
    actor = staff_actor(request, *GATE_ROLES)
    entry = GateEntry.objects.filter(pk=pk, school_id=actor.school_id).first()
    if entry is None:
        raise Http404
    try:
        record_gate_exit(actor=actor, entry=entry)
    except AttendanceError as exc:
        messages.error(request, exc.message)
    return redirect("attendance:gate")
