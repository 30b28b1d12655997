"""Teaching records by day: derive them from the day's evidence, correct them (leaders, with a
reason, history kept), and confirm one's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staffing.forms import CorrectForm
from staffing.models import TeachingRecord, TeachingRecordChange
from staffing.services import StaffingError, confirm_record, correct_record, derive_day
from staffing.views_common import (
    chosen_date,
    is_leader,
    leader_actor,
    show_error,
    show_form_errors,
    staff_actor,
)


def _to_day(record_date) -> HttpResponse:
    return redirect(reverse("staffing:records") + f"?date={record_date.isoformat()}")


@login_required
def records(request: HttpRequest) -> HttpResponse:
    """The day's records: all of the school's for leaders, one's own for everyone else."""
    actor = staff_actor(request)
    day = chosen_date(request)
    leader = is_leader(actor)
    rows = TeachingRecord.objects.filter(school_id=actor.school_id, date=day)
    if not leader:
        rows = rows.filter(teacher_id=actor.staff_id)
    rows = rows.select_related("teacher", "session__offering", "session__substitute_for").prefetch_related(
        Prefetch("changes", queryset=TeachingRecordChange.objects.select_related("changed_by").order_by("changed_at"))
    ).order_by("session__start", "teacher__pinyin")
    outcomes = dict(TeachingRecord.Outcome.choices)
    return render(request, "staffing/records.html", {
        "title": _("Teaching records"), "day": day, "rows": rows, "leader": leader,
        "outcomes": outcomes, "correct_form": CorrectForm() if leader else None,
        "me": actor.staff_id,
    })


@login_required
@require_POST
def derive(request: HttpRequest) -> HttpResponse:
    """Fill the day's records and breach events from sessions, roll calls and hand-overs."""
    actor = leader_actor(request)
    day = chosen_date(request)
    made = derive_day(school_id=actor.school_id, date=day)
    messages.success(request, _("%(n)d records derived for %(date)s; confirmed or corrected records were kept.")
                     % {"n": len(made), "date": day.isoformat()})
    return _to_day(day)


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    actor = leader_actor(request)
    record = get_object_or_404(TeachingRecord, pk=pk, school_id=actor.school_id)
    form = CorrectForm(request.POST)
    if form.is_valid():
        try:
            correct_record(record=record, actor=actor, **form.cleaned_data)
            messages.success(request, _("Record corrected."))
        except StaffingError as e:
            show_error(request, e)
    else:
        show_form_errors(request, form)
    return _to_day(record.date)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A teacher confirms their own record (another's answers 404)."""
    actor = staff_actor(request)
    record = get_object_or_404(TeachingRecord, pk=pk, school_id=actor.school_id, teacher_id=actor.staff_id)
    try:
        confirm_record(record=record, actor=actor)
        messages.success(request, _("Record confirmed."))
    except StaffingError as e:
        show_error(request, e)
    return _to_day(record.date)
