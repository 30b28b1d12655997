"""Guardian pages, made for a phone: apply once for all children, follow each child's
application, answer offers, resubmit or withdraw, download the signed agreement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from enrollment import allocation, selectors, services
from enrollment.forms import ApplicationForm, InsuranceForm
from enrollment.models import ChildApplication
from enrollment.pdf import agreement_clauses, agreement_pdf, fee_lines
from enrollment.services import EnrollmentError
from people.actor import Actor
from people.models import Guardian
from plans.notice import notice_sections
from plans.policy import parse_document
from plans.selectors import published_plan_for


def guardian_actor(request: HttpRequest) -> Actor:
    """Return the actor if they are a guardian, else 403."""
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_guardian:
        raise PermissionDenied
    return actor


@login_required
@never_cache
def apply_index(request: HttpRequest) -> HttpResponse:
    """Go straight to the one open term, or list the terms whose applications are open or coming."""
    actor = guardian_actor(request)
    now = timezone.now()
    windows = selectors.windows_for_guardian(actor.guardian_id, now=now)
    open_now = [w for w in windows if w.opens_at <= now]
    if len(open_now) == 1 and len(windows) == 1:
        return redirect("enrollment:apply", term_id=open_now[0].term_id)
    return render(request, "enrollment/apply_index.html", {
        "title": _("Apply for after-school service"), "windows": windows, "now": now,
    })


@login_required
@never_cache
def apply(request: HttpRequest, term_id: int) -> HttpResponse:
    """Show the published plan's key facts and one form for all the guardian's children."""
    actor = guardian_actor(request)
    term = selectors.get_term_for_guardian(actor.guardian_id, term_id)
    plan = published_plan_for(term)
    context = {"title": _("Apply for after-school service"), "term": term, "plan": plan}
    if plan is None:
        return render(request, "enrollment/apply.html", context)
    if request.method == "POST":
        # A double click or a retried request: the first one's application stands.
        done = selectors.application_by_key(actor.guardian_id, request.POST.get("idempotency_key", ""))
        if done is not None:
            messages.info(request, _("Your application has already been received."))
            return redirect("enrollment:mine")
    doc = parse_document(plan.document)
    options = selectors.apply_options(actor.guardian_id, term)
    form = ApplicationForm(request.POST or None, options=options, doc=doc)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_application(
                guardian=Guardian.objects.get(pk=actor.guardian_id),
                term=term,
                children=form.requests,
                idempotency_key=form.cleaned_data["idempotency_key"],
                agreement_accepted=form.cleaned_data["agreement_accepted"],
            )
        except EnrollmentError as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Your application has been received. Each child's receipt number is below."))
            return redirect("enrollment:mine")
    window = getattr(term, "enrollment_window", None)
    now = timezone.now()
    return render(request, "enrollment/apply.html", context | {
        "form": form,
        "window": window,
        "is_open": window is not None and window.opens_at <= now <= window.closes_at,
        "already": [o for o in options if o.applied is not None],
        "fee_lines": fee_lines(plan.document["fees"]),
        "clauses": agreement_clauses(plan.document),
        "sections": notice_sections(plan),
    })


@login_required
@never_cache
def my_applications(request: HttpRequest) -> HttpResponse:
    """Show each child's status, the review history with reasons, choices and receipts."""
    actor = guardian_actor(request)
    return render(request, "enrollment/mine.html", {
        "title": _("My applications"),
        "applications": selectors.applications_of_guardian(actor.guardian_id),
        "Status": ChildApplication.Status,
    })


@login_required
@require_POST
def withdraw(request: HttpRequest, child_id: int) -> HttpResponse:
    actor = guardian_actor(request)
    child = selectors.get_child_for_guardian(actor.guardian_id, child_id)
    try:
        services.withdraw(child=child, guardian=Guardian.objects.get(pk=actor.guardian_id))
    except EnrollmentError as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("The application of %(name)s has been withdrawn.") % {"name": child.student.name})
    return redirect("enrollment:mine")


@login_required
@require_POST
def answer_offer(request: HttpRequest, choice_id: int) -> HttpResponse:
    actor = guardian_actor(request)
    choice = selectors.get_choice_for_guardian(actor.guardian_id, choice_id)
    accept = request.POST.get("answer") == "accept"
    try:
        allocation.answer_offer(choice=choice, guardian_id=actor.guardian_id, accept=accept)
    except ValueError:
        messages.error(request, _("This offer is no longer open: it was answered or its deadline has passed."))
    else:
        messages.success(request, _("You accepted the place.") if accept else _("You declined the place."))
    return redirect("enrollment:mine")


@login_required
@never_cache
def resubmit(request: HttpRequest, child_id: int) -> HttpResponse:
    """Show why the application was returned; send it again, with corrected insurance."""
    actor = guardian_actor(request)
    child = selectors.get_child_for_guardian(actor.guardian_id, child_id)
    needs_insurance = parse_document(child.application.plan.document).safety.insurance_required
    form = InsuranceForm.for_child(request.POST or None, child) if needs_insurance else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.resubmit(
                child=child,
                guardian=Guardian.objects.get(pk=actor.guardian_id),
                changes=form.request(child) if form is not None else None,
            )
        except EnrollmentError as exc:
            for problem in exc.problems:
                messages.error(request, problem)
        else:
            messages.success(request, _("The application of %(name)s has been sent again.") % {"name": child.student.name})
            return redirect("enrollment:mine")
    return render(request, "enrollment/resubmit.html", {
        "title": _("Send the application again"),
        "child": child,
        "reviews": child.reviews.select_related("reviewer__staff").order_by("at", "pk"),
        "form": form,
    })


@login_required
def agreement(request: HttpRequest, child_id: int) -> HttpResponse:
    """The signed service agreement of one child, as a PDF (guardian, or leaders of the school)."""
    from plans.pdf import CJKFontMissing

    child = selectors.get_child_for_agreement(request.actor, child_id)  # type: ignore[attr-defined]
    try:
        data = agreement_pdf(child)
    except CJKFontMissing as exc:
        return render(request, "plans/pdf_unavailable.html",
                      {"title": _("Service agreement"), "problem": str(exc)}, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{child.receipt}.pdf"'
    return response
