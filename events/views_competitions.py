"""Competition pages (plan 4 六.2): entries by class, the schedule, results and rankings,
and the public results page (class names only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import selectors
from events import services_competitions as contests
from events.forms import CompetitionForm, EntryForm, FixtureForm
from events.models import Entry
from events.services import EventError
from events.views import manager, staff
from lib.pages import show_form_errors, show_problems
from schools.models import SchoolClass


def _enterable_classes(actor, competition):
    """Leaders may enter any class; a head teacher only the classes they head."""
    qs = SchoolClass.objects.filter(school_id=competition.school_id)
    if competition.grades:
        qs = qs.filter(grade__in=competition.grades)
    if not selectors.may_manage(actor):
        qs = qs.filter(pk__in=selectors.headed_class_ids(actor))
    return qs.order_by("grade", "number")


@login_required
def competition_create(request):
    actor = manager(request)
    form = CompetitionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                competition = contests.create_competition(
                    school_id=actor.school_id, acting_user=request.user, **form.cleaned_data
                )
            except EventError as exc:
                show_problems(request, exc.problems)
            else:
                return redirect("events:competition", competition.pk)
        else:
            show_form_errors(request, form)
    return render(
        request, "events/competition_form.html", {"title": _("New competition"), "form": form}
    )


@login_required
def competition(request, competition_id: int):
    actor = request.actor
    competition = selectors.get_competition(actor, competition_id)
    may_manage = selectors.may_manage(actor) and actor.school_id == competition.school_id
    classes = (
        _enterable_classes(actor, competition)
        if actor.is_staff_member
        else SchoolClass.objects.none()
    )
    detail = selectors.competition_detail(competition)
    return render(
        request,
        "events/competition.html",
        {
            "title": competition.name,
            "competition": competition,
            **detail,
            "may_manage": may_manage,
            "entry_form": EntryForm(classes=classes) if classes.exists() else None,
            "fixture_form": FixtureForm(competition=competition) if may_manage else None,
            "headed": selectors.headed_class_ids(actor),
            "entries_open": timezone.localdate() <= competition.entries_close,
        },
    )


@login_required
@require_POST
def entry_add(request, competition_id: int):
    actor = staff(request)
    competition = selectors.get_competition(actor, competition_id)
    form = EntryForm(request.POST, classes=_enterable_classes(actor, competition))
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        try:
            contests.enter_class(
                competition=competition,
                may_override=selectors.may_manage(actor),
                acting_user=request.user,
                **form.cleaned_data,
            )
        except EventError as exc:
            show_problems(request, exc.problems)
        else:
            messages.success(request, _("Entered."))
    return redirect("events:competition", competition.pk)


@login_required
@require_POST
def entry_withdraw(request, entry_id: int):
    actor = staff(request)
    try:
        entry = Entry.objects.select_related("competition").get(
            pk=entry_id, school_id=actor.school_id
        )
    except Entry.DoesNotExist:
        raise Http404 from None
    competition = entry.competition
    may_manage = selectors.may_manage(actor)
    if not may_manage and entry.school_class_id not in selectors.headed_class_ids(actor):
        raise PermissionDenied
    if not may_manage and timezone.localdate() > competition.entries_close:
        messages.error(
            request,
            _("Entries closed on %(date)s.") % {"date": competition.entries_close.isoformat()},
        )
    else:
        contests.withdraw_entry(entry=entry, acting_user=request.user)
        messages.success(request, _("The entry has been withdrawn."))
    return redirect("events:competition", competition.pk)


@login_required
@require_POST
def fixture_add(request, competition_id: int):
    actor = manager(request)
    competition = selectors.get_competition(actor, competition_id)
    form = FixtureForm(request.POST, competition=competition)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        try:
            contests.add_fixture(
                competition=competition,
                acting_user=request.user,
                round_name=form.cleaned_data["round_name"],
                starts_at=form.cleaned_data["starts_at"],
                venue=form.cleaned_data["venue"],
                entries=list(form.cleaned_data["entries"]),
            )
        except EventError as exc:
            show_problems(request, exc.problems)
        else:
            messages.success(request, _("Saved."))
    return redirect("events:competition", competition.pk)


@login_required
@require_POST
def results(request, competition_id: int):
    actor = manager(request)
    competition = selectors.get_competition(actor, competition_id)
    values = {
        int(key[len("result-") :]): value
        for key, value in request.POST.items()
        if key.startswith("result-") and key[len("result-") :].isdigit()
    }
    try:
        contests.record_results(competition=competition, results=values, acting_user=request.user)
    except EventError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("Results saved."))
    return redirect("events:competition", competition.pk)


@login_required
@require_POST
def publish(request, competition_id: int):
    actor = manager(request)
    competition = selectors.get_competition(actor, competition_id)
    contests.set_results_published(
        competition=competition,
        published=request.POST.get("published") == "1",
        acting_user=request.user,
    )
    return redirect("events:competition", competition.pk)


def public_results(request, school_code: str, competition_id: int):
    """No sign-in, on purpose: a results board names classes only, never a child."""
    competition = selectors.public_competition(
        school_code=school_code, competition_id=competition_id
    )
    detail = selectors.competition_detail(competition)
    return render(
        request,
        "events/public_results.html",
        {
            "title": competition.name,
            "competition": competition,
            "standings": detail["standings"],
            "fixtures": detail["fixtures"],
        },
    )
