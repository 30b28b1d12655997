"""Care logs (看管记录), weekly class records (班级活动记录), incidents, and a child's day."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from attendance import selectors
from attendance.forms import CareLogForm, IncidentForm, WeeklyRecordForm
from attendance.models import CareLog, Incident, WeeklyClassRecord
from attendance.services import AttendanceError
from attendance.services_log import (
    archive_weekly_records,
    report_incident,
    write_care_log,
    write_weekly_record,
)
from attendance.views_common import DUTY_ROLES, roster_actor, service_day, staff_actor
from people.models import Student
from people.roles import SCHOOL_LEADERS
from schools.models import SchoolClass
from schools.selectors import current_term


@login_required
@never_cache
def care_log(request, pk: int):
    """The care teacher's record of what the group did today (plan 7 八.3(5))."""
    actor = staff_actor(request)
    group = selectors.get_group_for(actor, pk)
    if group.teacher_id != actor.staff_id and not actor.has_role(*DUTY_ROLES):
        raise PermissionDenied
    date = service_day(request)
    existing = CareLog.objects.filter(care_group=group, date=date).first()
    initial = {"activities": existing.activities, "notes": existing.notes} if existing else None
    form = CareLogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            write_care_log(actor=actor, care_group=group, date=date, **form.cleaned_data)
        except AttendanceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Care log saved."))
            return redirect(f"{request.path}?date={date.isoformat()}")
    return render(request, "attendance/care_log.html", {
        "title": _("Care log"), "group": group, "date": date, "form": form, "log": existing})


@login_required
@never_cache
def weekly(request):
    """班级活动记录: head teachers write one per week; leaders see all and archive at term end."""
    actor = staff_actor(request)
    leader = actor.has_role(*SCHOOL_LEADERS)
    classes = list(SchoolClass.objects.filter(school_id=actor.school_id, head_teacher_id=actor.staff_id))
    if not classes and not leader:
        raise PermissionDenied
    term = current_term(actor.school_id)
    form = WeeklyRecordForm(request.POST or None, classes=classes)
    if request.method == "POST" and form.is_valid() and term is not None:
        data = form.cleaned_data
        school_class = next(c for c in classes if c.pk == data["school_class"])
        try:
            write_weekly_record(actor=actor, school_class=school_class, term=term,
                                week_start=data["week_start"], content=data["content"])
        except AttendanceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Weekly record saved."))
            return redirect("attendance:weekly")
    records = WeeklyClassRecord.objects.filter(term=term).select_related("school_class", "written_by")
    if not leader:
        records = records.filter(school_class__in=classes)
    return render(request, "attendance/weekly.html", {
        "title": _("Weekly class records"), "term": term, "form": form if classes else None,
        "records": records.order_by("-week_start", "school_class__grade", "school_class__number"),
        "may_archive": leader and term is not None,
    })


@login_required
@require_POST
def weekly_archive(request):
    """期末上交学校存档 (plan 3): archive every weekly record of the current term."""
    actor = staff_actor(request, *SCHOOL_LEADERS)
    term = current_term(actor.school_id)
    if term is not None:
        count = archive_weekly_records(actor=actor, term=term)
        messages.success(request, _("%(n)d weekly records archived.") % {"n": count})
    return redirect("attendance:weekly")


@login_required
@never_cache
def incidents(request):
    """Report an incident; see the recent ones of the school."""
    actor = roster_actor(request)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        numbers = form.numbers()
        students = list(Student.objects.filter(Q(student_number__in=numbers) | Q(name__in=numbers),
                                               school_id=actor.school_id))
        found = {s.student_number for s in students} | {s.name for s in students}
        unknown = [n for n in numbers if n not in found]
        if unknown:
            form.add_error("student_numbers", _("No child of this school is %(what)s.") % {"what": "、".join(unknown)})
        else:
            data = form.cleaned_data
            try:
                incident = report_incident(
                    actor=actor, kind=data["kind"], severity=data["severity"], students=students,
                    description=data["description"], actions=data["actions"],
                    guardian_notified_at=data["guardian_notified_at"], follow_up=data["follow_up"])
            except AttendanceError as exc:
                messages.error(request, exc.message)
            else:
                if incident.escalated_at:
                    messages.warning(request, _("Incident recorded and escalated to the principal; the guardians have been notified."))
                else:
                    messages.success(request, _("Incident recorded."))
                return redirect("attendance:incidents")
    recent = (Incident.objects.filter(school_id=actor.school_id, date__gte=timezone.localdate() - dt.timedelta(days=14))
              .prefetch_related("students"))
    return render(request, "attendance/incidents.html", {"title": _("Incidents"), "form": form, "incidents": recent})


@login_required
@never_cache
def timeline(request, pk: int):
    """A child's day in time order, for the school's staff and the child's own guardians."""
    student = selectors.get_timeline_student(request.actor, pk)
    date = service_day(request)
    return render(request, "attendance/timeline.html", {
        "title": _("%(name)s's day") % {"name": student.name}, "student": student, "date": date,
        "entries": selectors.child_day(student, date),
    })
