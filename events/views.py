"""Showcase pages (结业汇报, plan 6), the events calendar and the guardian's invitations.
Rules stay in events.services; reads in events.selectors."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from events import selectors, services
from events.forms import CohortForm, ItemForm, MilestoneForm, RsvpForm, ShowcaseForm, UploadForm
from events.media import upload_media
from events.models import Invitation, Milestone
from events.pdf import programme_pdf
from events.services import EventError
from lib.pages import show_form_errors, show_problems
from people.actor import Actor
from people.roles import Capability
from plans.pdf import CJKFontMissing


def staff(request) -> Actor:
    """Any staff member of a school reads its events; guardians and the district do not."""
    actor = request.actor
    if not actor.is_staff_member or actor.school_id is None:
        raise PermissionDenied
    return actor


def manager(request) -> Actor:
    actor = staff(request)
    if not selectors.may_manage(actor):
        raise PermissionDenied
    return actor


@login_required
def home(request):
    actor = staff(request)
    return render(
        request,
        "events/home.html",
        {
            "title": _("Showcases and competitions"),
            "showcases": selectors.showcases_for(actor).order_by("-term__start", "-pk"),
            "competitions": selectors.competitions_for(actor).order_by("-start", "-pk"),
            "may_manage": selectors.may_manage(actor),
            "form": ShowcaseForm(school_id=actor.school_id),
        },
    )


@login_required
@require_POST
def showcase_create(request):
    actor = manager(request)
    form = ShowcaseForm(request.POST, school_id=actor.school_id)
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect("events:home")
    try:
        showcase = services.create_showcase(acting_user=request.user, **form.cleaned_data)
    except EventError as exc:
        show_problems(request, exc.problems)
        return redirect("events:home")
    return redirect("events:showcase", showcase.pk)


@login_required
def showcase(request, showcase_id: int):
    actor = staff(request)
    showcase = selectors.get_showcase(actor, showcase_id)
    may_manage = selectors.may_manage(actor)
    return render(
        request,
        "events/showcase.html",
        {
            "title": showcase.title,
            "showcase": showcase,
            **selectors.showcase_detail(showcase),
            "may_manage": may_manage,
            "cohort_form": CohortForm() if may_manage else None,
            "item_form": ItemForm(showcase=showcase) if may_manage else None,
            "milestone_form": MilestoneForm(school_id=actor.school_id) if may_manage else None,
            "today": timezone.localdate(),
        },
    )


def _post_to_showcase(request, showcase_id: int, form_class, action):
    actor = manager(request)
    showcase = selectors.get_showcase(actor, showcase_id)
    kwargs = (
        {"showcase": showcase}
        if form_class is ItemForm
        else {"school_id": actor.school_id}
        if form_class is MilestoneForm
        else {}
    )
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        try:
            action(showcase, form.cleaned_data)
        except EventError as exc:
            show_problems(request, exc.problems)
        else:
            messages.success(request, _("Saved."))
    return redirect("events:showcase", showcase.pk)


@login_required
@require_POST
def cohort_add(request, showcase_id: int):
    return _post_to_showcase(
        request,
        showcase_id,
        CohortForm,
        lambda s, d: services.add_cohort(showcase=s, acting_user=request.user, **d),
    )


@login_required
@require_POST
def item_add(request, showcase_id: int):
    return _post_to_showcase(
        request,
        showcase_id,
        ItemForm,
        lambda s, d: services.add_item(acting_user=request.user, **d),
    )


@login_required
@require_POST
def milestone_add(request, showcase_id: int):
    return _post_to_showcase(
        request,
        showcase_id,
        MilestoneForm,
        lambda s, d: services.add_milestone(showcase=s, acting_user=request.user, **d),
    )


@login_required
@require_POST
def milestone_done(request, milestone_id: int):
    actor = staff(request)
    try:
        milestone = Milestone.objects.get(pk=milestone_id, school_id=actor.school_id)
    except Milestone.DoesNotExist:
        raise Http404 from None
    if not (selectors.may_manage(actor) or milestone.owner_id == actor.staff_id):
        raise PermissionDenied
    services.mark_milestone_done(milestone=milestone, acting_user=request.user)
    return redirect("events:showcase", milestone.showcase_id)


@login_required
def programme(request, showcase_id: int):
    actor = staff(request)
    showcase = selectors.get_showcase(actor, showcase_id)
    return render(
        request,
        "events/programme.html",
        {
            "title": showcase.title,
            "showcase": showcase,
            **selectors.showcase_detail(showcase),
        },
    )


@login_required
def programme_pdf_view(request, showcase_id: int):
    actor = staff(request)
    showcase = selectors.get_showcase(actor, showcase_id)
    try:
        data = programme_pdf(showcase, selectors.showcase_detail(showcase)["cohorts"])
    except CJKFontMissing as exc:
        return render(
            request,
            "plans/pdf_unavailable.html",
            {"title": showcase.title, "problem": str(exc)},
            status=503,
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="programme-{showcase.pk}.pdf"'
    return response


@login_required
def item(request, item_id: int):
    actor = staff(request)
    item = selectors.get_item(actor, item_id)
    may_report = selectors.may_report(actor, item)
    return render(
        request,
        "events/item.html",
        {
            "title": item.offering.name,
            "item": item,
            # Guardians' and children's names: for the roster roles and the course's teachers.
            "invitations": item.invitations.select_related("guardian").order_by(
                "guardian__name", "pk"
            )
            if may_report or actor.may(Capability.VIEW_ROSTER)
            else [],
            "media": item.media.order_by("pk"),
            "may_manage": selectors.may_manage(actor),
            "may_report": may_report,
            "upload_form": UploadForm(students=selectors.placed_students([item.offering_id]))
            if may_report
            else None,
        },
    )


@login_required
@require_POST
def invite(request, item_id: int):
    actor = manager(request)
    item = selectors.get_item(actor, item_id)
    try:
        sent = services.send_invitations(item=item, acting_user=request.user)
    except EventError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("%(n)s invitations sent.") % {"n": sent})
    return redirect("events:item", item.pk)


@login_required
@require_POST
def summary(request, item_id: int):
    actor = staff(request)
    item = selectors.get_item(actor, item_id)
    if not selectors.may_report(actor, item):
        raise PermissionDenied
    try:
        services.write_summary(
            item=item, text=request.POST.get("summary", ""), acting_user=request.user
        )
    except EventError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("Summary saved."))
    return redirect("events:item", item.pk)


@login_required
@require_POST
def upload(request, item_id: int):
    actor = staff(request)
    item = selectors.get_item(actor, item_id)
    if not selectors.may_report(actor, item):
        raise PermissionDenied
    form = UploadForm(
        request.POST, request.FILES, students=selectors.placed_students([item.offering_id])
    )
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect("events:item", item.pk)
    try:
        upload_media(
            item=item,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            caption=form.cleaned_data["caption"],
            students=list(form.cleaned_data["students"]),
            acting_user=request.user,
        )
    except EventError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("Uploaded."))
    return redirect("events:item", item.pk)


@login_required
@never_cache
def media_file(request, media_id: int):
    media = selectors.get_media_for(request.actor, media_id)
    try:
        handle = media.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=media.content_type)
    response["Content-Disposition"] = f'inline; filename="{media.pk}.{media.extension}"'
    return response


@login_required
def calendar_view(request):
    actor = staff(request)
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        first = dt.date.fromisoformat(f"{raw}-01") if raw else today.replace(day=1)
    except ValueError:
        messages.error(
            request, _("“%(value)s” is not a month (write it as 2027-01).") % {"value": raw}
        )
        first = today.replace(day=1)
    if not 2000 <= first.year <= 2100:
        first = today.replace(day=1)
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "events/calendar.html",
        {
            "title": _("Events calendar"),
            "month": first,
            "prev": f"{prev_month:%Y-%m}",
            "next": f"{next_month:%Y-%m}",
            "weeks": selectors.month_grid(actor, first.year, first.month),
            "today": today,
        },
    )


# --- Guardians --------------------------------------------------------------------------


def _guardian(request) -> Actor:
    actor = request.actor
    if not actor.is_guardian:
        raise PermissionDenied
    return actor


@login_required
@never_cache
def invitations(request):
    actor = _guardian(request)
    return render(
        request,
        "events/invitations.html",
        {
            "title": _("Invitations"),
            "invitations": selectors.invitations_of_guardian(actor.guardian_id),
        },
    )


@login_required
@never_cache
def invitation(request, invitation_id: int):
    actor = request.actor
    invitation = selectors.get_invitation_for_guardian(actor, invitation_id)
    form = RsvpForm(
        request.POST or None,
        initial={
            "coming": "no" if invitation.answer == Invitation.Answer.NO else "yes",
            "people": invitation.people or 1,
        },
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_invitation(
                    invitation=invitation,
                    coming=form.cleaned_data["coming"],
                    people=form.cleaned_data["people"] or 0,
                )
            except EventError as exc:
                show_problems(request, exc.problems)
            else:
                messages.success(request, _("Thank you, your answer has been saved."))
                return redirect("events:invitation", invitation.pk)
        else:
            show_form_errors(request, form)
    return render(
        request,
        "events/invitation.html",
        {
            "title": _("Invitation"),
            "invitation": invitation,
            "item": invitation.item,
            "media": invitation.item.media.order_by("pk"),
            "form": form,
            "is_over": timezone.localdate() > invitation.item.cohort.date,
        },
    )
