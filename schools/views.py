"""The term calendar page: every day, whether school runs, and whose word it is."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pages import show_form_errors
from people.roles import Capability
from schools import services
from schools.calendar import CalendarYearUnknown, term_calendar, unannounced_timetables
from schools.forms import CalendarEntryForm, HolidayYearForm
from schools.models import CalendarEntry, School
from schools.selectors import current_term, get_term_for, terms_for


@login_required
def calendar(request, term_id: int | None = None):
    actor = request.actor
    if not actor.is_staff_member:
        raise PermissionDenied
    term = get_term_for(actor, term_id) if term_id else current_term(actor.school_id)
    may_edit = actor.may(Capability.MANAGE_CALENDAR)
    context = {
        "title": _("School calendar"),
        "term": term,
        "terms": terms_for(actor).order_by("-start"),
        "may_edit": may_edit,
        "entry_form": CalendarEntryForm(),
        "year_form": HolidayYearForm(),
    }
    if term is not None:
        context["entries"] = CalendarEntry.objects.filter(
            school_id=term.school_id, date__range=(term.start, term.end)
        )
        try:
            days = term_calendar(term)
        except CalendarYearUnknown as exc:
            context["problem"] = exc.message
            context["year_form"] = HolidayYearForm(initial={"year": exc.years[0]})
        else:
            context["days"] = days
            context["school_day_count"] = sum(d.is_school_day for d in days)
            context["unannounced"] = unannounced_timetables(days)
    return render(request, "schools/calendar.html", context)


def _editor(request) -> School:
    actor = request.actor
    if not actor.is_staff_member or not actor.may(Capability.MANAGE_CALENDAR):
        raise PermissionDenied
    return School.objects.get(pk=actor.school_id)


def _back(request):
    return redirect(request.POST.get("next") or "schools:calendar")


@login_required
@require_POST
def add_entry(request):
    school = _editor(request)
    form = CalendarEntryForm(request.POST, instance=CalendarEntry(school=school))
    if not form.is_valid():
        show_form_errors(request, form)
        return _back(request)
    data = form.cleaned_data
    try:
        services.set_calendar_entry(school=school, acting_user=request.user, **data)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The calendar has been updated."))
    return _back(request)


@login_required
@require_POST
def remove_entry(request, entry_id: int):
    school = _editor(request)
    entry = CalendarEntry.objects.filter(school=school, pk=entry_id).first()
    if entry is None:
        raise Http404
    services.remove_calendar_entry(entry=entry, acting_user=request.user)
    messages.success(request, _("The calendar entry has been removed."))
    return _back(request)


@login_required
@require_POST
def declare_year(request):
    school = _editor(request)
    form = HolidayYearForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
        return _back(request)
    services.declare_holiday_year(school=school, acting_user=request.user, **form.cleaned_data)
    messages.success(request, _("The year is marked as entered by the school."))
    return _back(request)
