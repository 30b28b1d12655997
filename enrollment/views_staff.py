"""Staff pages: the head teacher's class review, the leaders' school and parent-committee
review with filters, the allocation run, and the class and instructor lists.

Who may take which review step is decided by enrollment.services.may_review; the lists
here only offer what the selectors let the actor see.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from enrollment import selectors, services
from enrollment.allocation import allocate_term
from enrollment.forms import AllocationForm, ReviewForm
from enrollment.models import ChildApplication, Review
from enrollment.services import WAITING_FOR, EnrollmentError
from lib.pages import show_form_errors
from people.actor import Actor
from people.roles import Capability
from schools.models import Grade, SchoolClass, Term
from schools.selectors import current_term

# The step a row waits for, by its status: what the page offers to record next.
STEP_FOR = {status: step for step, status in WAITING_FOR.items()}


def staff_actor(request: HttpRequest) -> Actor:
    """Return the actor if they are staff of a school, else 403."""
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_staff_member or actor.school_id is None:
        raise PermissionDenied
    return actor


def leader_actor(request: HttpRequest) -> Actor:
    """Return the actor if they manage enrollment (school leaders), else 403."""
    actor = staff_actor(request)
    if not actor.may(Capability.MANAGE_ENROLLMENT):
        raise PermissionDenied
    return actor


def _terms(actor: Actor):
    return Term.objects.filter(school_id=actor.school_id).order_by("-start")


def _term(request: HttpRequest, actor: Actor) -> Term | None:
    """Return the term named by ``?term=`` (404 unless the actor's school's), else the current one."""
    raw = request.POST.get("term") or request.GET.get("term") or ""
    if not raw:
        return current_term(actor.school_id)
    term = _terms(actor).filter(pk=int(raw)).first() if raw.isdigit() else None
    if term is None:
        raise Http404
    return term


def _rows(children) -> list[dict]:
    return [{"child": c, "step": STEP_FOR.get(c.status)} for c in children]


@login_required
@never_cache
def staff_home(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    term = _term(request, actor)
    may_manage = actor.may(Capability.MANAGE_ENROLLMENT)
    counts = selectors.status_counts(actor, term) if may_manage else {}
    return render(request, "enrollment/staff_home.html", {
        "title": _("Enrollment"),
        "term": term,
        "terms": _terms(actor),
        "class_waiting": selectors.class_queue(actor).count(),
        "may_manage": may_manage,
        "status_counts": [(value, label, counts.get(value, 0)) for value, label in ChildApplication.Status.choices],
        "classes": selectors.headed_classes(actor),
        "offerings": selectors.taught_offerings(actor, term),
    })


@login_required
@never_cache
def class_review(request: HttpRequest) -> HttpResponse:
    """The head teacher's queue: their classes' applications waiting for the class review."""
    actor = staff_actor(request)
    return render(request, "enrollment/review_class.html", {
        "title": _("Class review"),
        "rows": _rows(selectors.class_queue(actor)),
        "step": Review.Step.CLASS,
    })


@login_required
@never_cache
def school_review(request: HttpRequest) -> HttpResponse:
    """The leaders' list: waiting for the school or the parent committee, with filters."""
    actor = leader_actor(request)
    term = _term(request, actor)
    status = request.GET.get("status", ChildApplication.Status.CLASS_APPROVED)
    if status not in ChildApplication.Status.values:
        status = ""
    grade = request.GET.get("grade", "")
    class_id = request.GET.get("class", "")
    children = selectors.school_queue(
        actor, term=term, status=status,
        grade=int(grade) if grade.isdigit() else None,
        class_id=int(class_id) if class_id.isdigit() else None,
    )
    return render(request, "enrollment/review_school.html", {
        "title": _("Applications"),
        "term": term,
        "terms": _terms(actor),
        "rows": _rows(children),
        "bulk_step": STEP_FOR.get(status),
        "statuses": ChildApplication.Status.choices,
        "grades": [(str(value), label) for value, label in Grade.choices],
        "classes": SchoolClass.objects.filter(school_id=actor.school_id).order_by("grade", "number"),
        "filters": {"status": status, "grade": grade, "class": class_id},
        "counts": selectors.status_counts(actor, term),
    })


@login_required
@require_POST
def review_action(request: HttpRequest) -> HttpResponse:
    """Approve the picked applications, or return them with a reason, at one step."""
    actor = staff_actor(request)
    form = ReviewForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("enrollment:class_review")
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect(back)
    picked = selectors.picked_for_review(actor, form.cleaned_data["child"])
    approve = form.cleaned_data["decision"] == "approve"
    done = 0
    for child in picked:
        try:
            services.review(child=child, step=form.cleaned_data["step"], approve=approve,
                            reason=form.cleaned_data["reason"], actor=actor)
        except EnrollmentError as exc:
            for problem in exc.problems:
                messages.error(request, f"{child.student.name}: {problem}")
        else:
            done += 1
    if done:
        messages.success(request, (_("%(n)d application(s) approved.") if approve
                                   else _("%(n)d application(s) returned to the guardian.")) % {"n": done})
    return redirect(back)


@login_required
@never_cache
def allocation_page(request: HttpRequest) -> HttpResponse:
    """Run the allocation of the term (optionally with a seed the school announced) and show
    the report and the lottery draws."""
    actor = leader_actor(request)
    term = _term(request, actor)
    form = AllocationForm(request.POST or None)
    report = None
    if request.method == "POST" and term is not None and form.is_valid():
        try:
            report = allocate_term(term=term, acting_user=request.user, seed=form.cleaned_data["seed"] or None)
        except ValueError:
            messages.error(request, _("The term has no published plan, so nothing can be allocated."))
    return render(request, "enrollment/allocation.html", {
        "title": _("Allocation"),
        "term": term,
        "terms": _terms(actor),
        "form": form,
        "report": report,
        "draws": selectors.draws_of_term(term) if term else [],
        "counts": selectors.status_counts(actor, term),
    })


@login_required
@never_cache
def class_list(request: HttpRequest, class_id: int) -> HttpResponse:
    """The head teacher's list of the class: who applied for what, guardians' phones."""
    actor = staff_actor(request)
    term = _term(request, actor)
    school_class, rows = selectors.class_list(actor, class_id=class_id, term=term)
    return render(request, "enrollment/list_class.html", {
        "title": school_class.label, "term": term, "school_class": school_class, "rows": rows,
    })


@login_required
@never_cache
def offering_list(request: HttpRequest, offering_id: int) -> HttpResponse:
    """The instructor's list of an offering: the children placed, their class, guardians' phones."""
    actor = staff_actor(request)
    offering, rows = selectors.offering_list(actor, offering_id=offering_id)
    return render(request, "enrollment/list_offering.html", {
        "title": offering.name, "offering": offering, "rows": rows,
    })
