"""Offering pages: the term's list with the five fixes, a new offering, one offering's slots
and its life cycle (open, close, generate sessions). Rules stay in programs.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import services
from programs.forms import OfferingForm, SlotForm
from programs.models import Session
from programs.selectors import get_school_offering, term_offerings_with_fixes
from programs.services import ProgramError
from programs.sessions import generate_sessions
from programs.timetable import grades_label
from programs.views_common import (
    chosen_term,
    manager,
    may_manage,
    reader,
    school_terms,
    show_form_errors,
    show_problems,
)
from schools.calendar import CalendarYearUnknown


@login_required
def offering_list(request):
    actor = reader(request)
    term = chosen_term(request, actor)
    rows = [
        {
            "offering": offering,
            "missing": missing,
            "audience": offering.school_class.label
            if offering.school_class
            else grades_label(offering.grades),
        }
        for offering, missing in (term_offerings_with_fixes(term) if term else [])
    ]
    return render(
        request,
        "programs/offering_list.html",
        {
            "title": _("Programs"),
            "term": term,
            "terms": school_terms(actor),
            "rows": rows,
            "may_manage": may_manage(actor),
        },
    )


@login_required
def offering_create(request):
    actor = manager(request)
    term = chosen_term(request, actor)
    if term is None:
        messages.error(request, _("No term has been set up yet."))
        return redirect("programs:offering_list")
    form = OfferingForm(request.POST or None, school_id=actor.school_id)
    if request.method == "POST" and form.is_valid():
        try:
            offering = services.create_offering(
                term=term, acting_user=request.user, **form.cleaned_data
            )
        except ProgramError as exc:
            show_problems(request, exc.problems)
        except ValidationError as exc:
            show_problems(request, exc.messages)
        else:
            messages.success(
                request, _("“%(name)s” has been created as a draft.") % {"name": offering}
            )
            return redirect("programs:offering_detail", offering.pk)
    elif request.method == "POST":
        show_form_errors(request, form)
    return render(
        request,
        "programs/offering_form.html",
        {"title": _("New offering"), "term": term, "form": form},
    )


@login_required
def offering_detail(request, offering_id: int):
    actor = reader(request)
    offering = get_school_offering(actor, offering_id)
    manage = may_manage(actor)
    return render(
        request,
        "programs/offering_detail.html",
        {
            "title": offering.name,
            "offering": offering,
            "term": offering.term,
            "audience": grades_label(offering.grades),
            "slots": offering.slots.select_related("venue", "instructor").order_by(
                "weekday", "start"
            ),
            "instructors": offering.instructors.order_by("pinyin"),
            "missing": services.missing_fixes(offering),
            "session_count": Session.objects.filter(offering=offering).count(),
            "may_manage": manage,
            "slot_form": SlotForm(school_id=actor.school_id) if manage else None,
        },
    )


def _back(offering_id: int):
    return redirect(reverse("programs:offering_detail", args=[offering_id]))


@login_required
@require_POST
def add_slot(request, offering_id: int):
    actor = manager(request)
    offering = get_school_offering(actor, offering_id)
    form = SlotForm(request.POST, school_id=actor.school_id)
    if not form.is_valid():
        show_form_errors(request, form)
        return _back(offering.pk)
    try:
        slot = services.add_slot(offering=offering, acting_user=request.user, **form.cleaned_data)
    except ProgramError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("The slot %(slot)s has been added.") % {"slot": slot})
    return _back(offering.pk)


@login_required
@require_POST
def open_offering(request, offering_id: int):
    actor = manager(request)
    offering = get_school_offering(actor, offering_id)
    try:
        services.open_offering(offering=offering, acting_user=request.user)
    except ProgramError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("“%(name)s” is open for enrollment.") % {"name": offering})
    return _back(offering.pk)


@login_required
@require_POST
def close_offering(request, offering_id: int):
    actor = manager(request)
    offering = get_school_offering(actor, offering_id)
    try:
        services.close_offering(offering=offering, acting_user=request.user)
    except ProgramError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("“%(name)s” is closed.") % {"name": offering})
    return _back(offering.pk)


@login_required
@require_POST
def generate(request, offering_id: int):
    """Create the offering's dated sessions over the term's school days."""
    actor = manager(request)
    offering = get_school_offering(actor, offering_id)
    try:
        result = generate_sessions(term=offering.term, offering=offering, acting_user=request.user)
    except ProgramError as exc:
        show_problems(request, exc.problems)
    except CalendarYearUnknown as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Sessions generated: %(created)d created, %(cancelled)d cancelled.")
            % {"created": result.created, "cancelled": result.cancelled},
        )
    return _back(offering.pk)
