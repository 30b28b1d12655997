"""The duty roster (值班): the term's grid by day and post, one day's edit, the weekly pattern
and generating from it, and each person's own duties."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schools.calendar import CalendarYearUnknown, school_days
from staffing.forms import WEEKDAY_CHOICES, DutyDayForm, PatternForm
from staffing.models import DutyAssignment, DutyPattern, Post
from staffing.selectors import roster_grid
from staffing.services import StaffingError, generate_duty_roster
from staffing.services_duty import add_pattern, remove_pattern, set_day_duties
from staffing.views_common import (
    chosen_term,
    is_leader,
    leader_actor,
    school_terms,
    show_error,
    show_form_errors,
    staff_actor,
)


def _to_roster(term) -> HttpResponse:
    return redirect(reverse("staffing:roster") + f"?term={term.pk}")


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    """The term's duties: a row per school day, a column per post."""
    actor = staff_actor(request)
    term = chosen_term(request, actor)
    rows, patterns, calendar_problem = [], [], ""
    if term is not None:
        try:
            days = [d.date for d in school_days(term)]
        except CalendarYearUnknown as e:
            days, calendar_problem = [], e.message
        rows = roster_grid(term=term, days=days)
        patterns = list(DutyPattern.objects.filter(term=term).select_related("staff").order_by("weekday", "post"))
    weekdays = dict(WEEKDAY_CHOICES)
    return render(request, "staffing/roster.html", {
        "title": _("Duty roster"), "term": term, "terms": school_terms(actor), "rows": rows,
        "posts": Post.choices, "patterns": [(weekdays[p.weekday], p) for p in patterns],
        "leader": is_leader(actor), "calendar_problem": calendar_problem,
        "pattern_form": PatternForm(school_id=actor.school_id) if is_leader(actor) else None,
    })


@login_required
def duty_day(request: HttpRequest, date: str) -> HttpResponse:
    """One day of the roster; leaders change who is on each post."""
    actor = staff_actor(request)
    term = chosen_term(request, actor)
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise Http404 from None
    if term is None or not term.start <= day <= term.end:
        raise Http404
    if request.method == "POST":
        leader_actor(request)
        form = DutyDayForm(request.POST, school_id=actor.school_id)
        if form.is_valid():
            try:
                set_day_duties(term=term, date=day, post=form.cleaned_data["post"],
                               staff=form.cleaned_data["staff"], actor=actor)
                messages.success(request, _("Duties of %(date)s saved.") % {"date": day.isoformat()})
            except StaffingError as e:
                show_error(request, e)
        else:
            show_form_errors(request, form)
        return redirect(reverse("staffing:duty_day", args=[day.isoformat()]) + f"?term={term.pk}")
    duties = DutyAssignment.objects.filter(term=term, date=day)
    on_post: dict[str, list[int]] = {}
    for post, staff_id in duties.values_list("post", "staff_id"):
        on_post.setdefault(post, []).append(staff_id)
    forms = [
        (label, DutyDayForm(initial={"post": value, "staff": on_post.get(value, [])}, school_id=actor.school_id))
        for value, label in Post.choices
    ] if is_leader(actor) else []
    return render(request, "staffing/duty_day.html", {
        "title": _("Duties on %(date)s") % {"date": day.isoformat()}, "term": term, "day": day,
        "duties": duties.select_related("staff").order_by("post", "staff__pinyin"), "forms": forms,
    })


@login_required
@require_POST
def pattern_add(request: HttpRequest) -> HttpResponse:
    actor = leader_actor(request)
    term = chosen_term(request, actor)
    if term is None:
        raise Http404
    form = PatternForm(request.POST, school_id=actor.school_id)
    if form.is_valid():
        try:
            add_pattern(term=term, actor=actor, **form.cleaned_data)
        except StaffingError as e:
            show_error(request, e)
    else:
        show_form_errors(request, form)
    return _to_roster(term)


@login_required
@require_POST
def pattern_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = leader_actor(request)
    pattern = get_object_or_404(DutyPattern.objects.select_related("term"), pk=pk, school_id=actor.school_id)
    remove_pattern(pattern=pattern, actor=actor)
    return _to_roster(pattern.term)


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    """Fill the term's school days from the weekly pattern (days already filled are kept)."""
    actor = leader_actor(request)
    term = chosen_term(request, actor)
    if term is None:
        raise Http404
    try:
        added = generate_duty_roster(term=term)
        messages.success(request, _("%(n)d duties added from the weekly pattern.") % {"n": added})
    except CalendarYearUnknown as e:
        show_error(request, e)
    return _to_roster(term)


@login_required
def my_duties(request: HttpRequest) -> HttpResponse:
    """The signed-in staff member's own duties this term."""
    actor = staff_actor(request)
    term = chosen_term(request, actor)
    duties = (DutyAssignment.objects.filter(term=term, staff_id=actor.staff_id).order_by("date", "post")
              if term else DutyAssignment.objects.none())
    return render(request, "staffing/my_duties.html", {
        "title": _("My duties"), "term": term, "terms": school_terms(actor), "duties": duties,
    })
