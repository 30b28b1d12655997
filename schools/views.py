"""The term calendar page: every day, whether school runs, and whose word it is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from schools.calendar import CalendarYearUnknown, term_calendar, unannounced_timetables
from schools.selectors import current_term, get_term_for, terms_for


@login_required
def calendar(request, term_id: int | None = None):
    actor = request.actor
    if not actor.is_staff_member:
        raise PermissionDenied
    term = get_term_for(actor, term_id) if term_id else current_term(actor.school_id)
    context = {
        "title": _("School calendar"),
        "term": term,
        "terms": terms_for(actor).order_by("-start"),
    }
    if term is not None:
        try:
            days = term_calendar(term)
        except CalendarYearUnknown as exc:
            context["problem"] = exc.message
        else:
            context["days"] = days
            context["school_day_count"] = sum(d.is_school_day for d in days)
            context["unannounced"] = unannounced_timetables(days)
    return render(request, "schools/calendar.html", context)
