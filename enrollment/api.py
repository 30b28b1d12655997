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
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
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
from schools.selectors import get_term_for

logger = logging.getLogger(__name__)

router = Router(tags=["enrollment"])


def _children() -> Prefetch:
    choices = Choice.objects.select_related("offering").order_by("rank", "pk")
    return Prefetch(
        "children",
        queryset=ChildApplication.objects.select_related("student")
        .prefetch_related(Prefetch("choices", queryset=choices))
        .order_by("pk"),
    )


def _applications(who: Actor) -> QuerySet[Application]:
    """Return the actor's own applications (none for anyone who is not a guardian)."""
    if who.guardian_id is None:
        return Application.objects.none()
    return Application.objects.filter(guardian_id=who.guardian_id).prefetch_related(_children())


def present_application(application: Application, who: Actor | None = None) -> dict[str, Any]:
    """Return ``application`` as its guardian sees it; needs the ``_children()`` prefetch."""
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
                "status_label": child.get_status_display(),
                "after_school": child.wants_after_school,
                "noon_care": child.wants_noon_care,
                "meals": child.wants_meals,
                "keep_with_siblings": child.keep_with_siblings,
                "choices": [
                    {
                        "offering_id": choice.offering_id,
                        "offering_name": choice.offering.name,
                        "rank": choice.rank,
                        "status": choice.status,
                        "status_label": choice.get_status_display(),
                        "waitlist_position": choice.waitlist_position,
                        "offer_expires_at": choice.offer_expires_at,
                        "why": choice.why,
                    }
                    for choice in child.choices.all()
                ],
            }
            for child in application.children.all()
        ],
    }


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
    used before (a double click or a retried request creates nothing new). First-come clubs
    are decided at once: each choice answers placed or waitlisted, with the reason. 403 for
    anyone who is not a guardian; 404 for a term outside the guardian's schools; 422 with
    every reason when the application is refused (window closed, a club not for the grade,
    a child already applied for…); 503 when the database is too busy: send the same key again.
    """
    who = actor(request)
    if not who.is_guardian:
        return Status(403, {"detail": _("Only a guardian can apply for a child.")})
    term = get_term_for(who, id_or_404(payload.term_id))
    children = [ChildRequest(**child.dict()) for child in payload.children]
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
    prefetch_related_objects([application], _children())
    # An application stamped before this request began was made by an earlier request.
    created = application.submitted_at >= started
    return Status(201 if created else 200, present_application(application))


@router.get("/applications", response={200: list[ApplicationOut], **LIST_ERRORS})
@paginate(Pages, present=present_application)
def list_applications(request: HttpRequest) -> QuerySet[Application]:
    """List the signed-in guardian's own applications, latest first (none for others)."""
    return _applications(actor(request)).order_by("-submitted_at", "-pk")


@router.get("/applications/{int:application_id}", response={200: ApplicationOut, **DETAIL_ERRORS})
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    """One of the guardian's own applications; 404 when missing or another family's."""
    application = _applications(actor(request)).filter(pk=id_or_404(application_id)).first()
    if application is None:
        raise Http404
    return present_application(application)
