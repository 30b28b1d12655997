"""Enrollment through the API: a guardian applies for their children and follows each decision.

Thin over ``enrollment.services.submit_application``, the same action the pages call. Every
endpoint is the signed-in guardian's own: another family's application answers 404, like
one that does not exist.
"""

# No ``from __future__ import annotations`` here: ninja reads the parameter annotations of
# paginated views in its own module's namespace, where string annotations do not resolve.

import logging
from typing import Any

from django.db import OperationalError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from api.auth import actor
from api.common import DETAIL_ERRORS, LIST_ERRORS, id_or_404
from api.pagination import Pages
from api.schemas import Error
from enrollment.models import Application, ChildApplication, Choice
from enrollment.schemas import ApplicationIn, ApplicationOut, Problems
from enrollment.services import ChildRequest, EnrollmentError, submit_application
from people.actor import Actor
from programs.models import Offering
from schools.selectors import get_term_for

logger = logging.getLogger(__name__)

router = Router(tags=["enrollment"])


def _applications(who: Actor) -> QuerySet[Application]:
    """Return the actor's own applications (none for anyone who is not a guardian)."""
    if who.guardian_id is None:
        return Application.objects.none()
    return Application.objects.filter(guardian_id=who.guardian_id)


# One row per choice (or per child without choices): children and choices in one query.
CHILD_FIELDS = ("id", "application_id", "student_id", "student__name", "receipt", "status",
                "wants_after_school", "wants_noon_care", "wants_meals", "keep_with_siblings")
CHOICE_FIELDS = ("choices__offering_id", "choices__offering__name", "choices__rank",
                 "choices__status", "choices__waitlist_position", "choices__offer_expires_at",
                 "choices__why")


def present_applications(applications: list[Application]) -> list[dict[str, Any]]:
    """Return ``applications`` as their guardian sees them (one query for all their children
    and choices, whatever their number)."""
    children: dict[int, list[dict[str, Any]]] = {a.pk: [] for a in applications}
    rows = (
        ChildApplication.objects.filter(application__in=[a.pk for a in applications])
        .values(*CHILD_FIELDS, *CHOICE_FIELDS)
        .order_by("application_id", "pk", "choices__rank")
    )
    for row in rows:
        siblings = children[row["application_id"]]
        if not siblings or siblings[-1]["id"] != row["id"]:
            siblings.append({
                "id": row["id"],
                "student_id": row["student_id"],
                "student_name": row["student__name"],
                "receipt": row["receipt"],
                "status": row["status"],
                "status_label": str(ChildApplication.Status(row["status"]).label),
                "after_school": row["wants_after_school"],
                "noon_care": row["wants_noon_care"],
                "meals": row["wants_meals"],
                "keep_with_siblings": row["keep_with_siblings"],
                "choices": [],
            })
        if row["choices__offering_id"] is not None:
            siblings[-1]["choices"].append({
                "offering_id": row["choices__offering_id"],
                "offering_name": row["choices__offering__name"],
                "rank": row["choices__rank"],
                "status": row["choices__status"],
                "status_label": str(Choice.Status(row["choices__status"]).label),
                "waitlist_position": row["choices__waitlist_position"],
                "offer_expires_at": row["choices__offer_expires_at"],
                "why": row["choices__why"],
            })
    return [
        {
            "id": a.pk,
            "term_id": a.term_id,
            "school_id": a.school_id,
            "plan_version": a.plan_version,
            "submitted_at": a.submitted_at,
            "children": children[a.pk],
        }
        for a in applications
    ]


def present_fresh(application: Application) -> dict[str, Any]:
    """Return an application just written by ``submit_application`` as ``present_applications``
    would, from the rows in memory (``fresh_children``): no query for first-come choices,
    whose clubs were loaded to decide them; one for the clubs' names otherwise."""
    children = application.fresh_children  # type: ignore[attr-defined]
    choices = [c for child in children for c in child.fresh_choices]
    unnamed = {c.offering_id for c in choices if not Choice.offering.is_cached(c)}
    names = dict(Offering.objects.filter(pk__in=unnamed).values_list("pk", "name")) if unnamed else {}
    return {
        "id": application.pk,
        "term_id": application.term_id,
        "school_id": application.school_id,
        "plan_version": application.plan_version,
        "submitted_at": application.submitted_at,
        "children": [
            {
                "id": child.pk,
                "student_id": child.student_id,
                "student_name": child.student.name,
                "receipt": child.receipt,
                "status": child.status,
                "status_label": str(ChildApplication.Status(child.status).label),
                "after_school": child.wants_after_school,
                "noon_care": child.wants_noon_care,
                "meals": child.wants_meals,
                "keep_with_siblings": child.keep_with_siblings,
                "choices": [
                    {
                        "offering_id": c.offering_id,
                        "offering_name": names[c.offering_id] if c.offering_id in names else c.offering.name,
                        "rank": c.rank,
                        "status": c.status,
                        "status_label": str(Choice.Status(c.status).label),
                        "waitlist_position": c.waitlist_position,
                        "offer_expires_at": c.offer_expires_at,
                        "why": c.why,
                    }
                    for c in child.fresh_choices
                ],
            }
            for child in children
        ],
    }


class ApplicationPages(Pages):
    """The API's pagination, presenting the page's applications together (one query)."""

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = present_applications(list(page["items"]))
        return page


@router.post(
    "/applications",
    response={
        200: ApplicationOut,
        201: ApplicationOut,
        403: Error,
        422: Problems,
        503: Error,
        **DETAIL_ERRORS,
    },
)
def submit(request: HttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    """Apply for one or more of the guardian's children in a term, in one submission.

    201 with the new application; 200 with the same application when ``idempotency_key`` was
    used before (a double click or a retried request creates nothing new; a duplicate sent
    while the first is still being written may also answer 201, with the same id).
    First-come clubs are decided at once: each choice answers placed or waitlisted, with the
    reason. 403 for anyone who is not a guardian; 404 for a term outside the guardian's
    schools; 422 with every reason when the application is refused (window closed, a club
    not for the grade, a child already applied for…); 503 when the database is too busy:
    send the same key again.
    """
    who = actor(request)
    if not who.is_guardian:
        return Status(403, {"detail": _("Only a guardian can apply for a child.")})
    term = get_term_for(who, id_or_404(payload.term_id))
    children = [ChildRequest(**child.model_dump()) for child in payload.children]
    started = timezone.now()
    try:
        application = submit_application(
            guardian=who.user.guardian,
            term=term,
            children=children,
            idempotency_key=payload.idempotency_key,
            agreement_accepted=payload.agreement_accepted,
        )
    except EnrollmentError as exc:
        return Status(422, {"detail": exc.problems})
    except OperationalError:
        # e.g. SQLite's "database is locked" after its busy timeout: nothing was written
        # (the transaction rolled back), and the same key makes a retry safe.
        logger.warning("enrollment submission failed in the database", exc_info=True)
        return Status(503, {"detail": _("The service is busy. Send the same application again.")})
    # An application stamped before this request began was made by an earlier request.
    created = application.submitted_at >= started
    if created and hasattr(application, "fresh_children"):
        return Status(201, present_fresh(application))
    return Status(201 if created else 200, present_applications([application])[0])


@router.get("/applications", response={200: list[ApplicationOut], **LIST_ERRORS})
@paginate(ApplicationPages)
def list_applications(request: HttpRequest) -> QuerySet[Application]:
    """List the signed-in guardian's own applications, latest first (none for others)."""
    return _applications(actor(request)).order_by("-submitted_at", "-pk")


@router.get("/applications/{int:application_id}", response={200: ApplicationOut, **DETAIL_ERRORS})
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    """One of the guardian's own applications; 404 when missing or another family's."""
    application = _applications(actor(request)).filter(pk=id_or_404(application_id)).first()
    if application is None:
        raise Http404
    return present_applications([application])[0]
