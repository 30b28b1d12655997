"""The plans API (a django-ninja Router; mounted by api/main.py under /plans).

Thin over the same services and the one validator as the page and the admin: a published
plan answers 409 to any edit; an invalid document answers 422 with field errors.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.security import django_auth

from people.actor import actor_for
from plans import services
from plans.models import PublishedPlanIsFrozen, SchoolPlan
from plans.permissions import PlanCapability, may
from plans.policy import PlanInvalid
from plans.selectors import get_plan_for, public_plan

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: int
    school_id: int
    term_id: int
    version: int
    status: str
    preset_key: str
    document: dict[str, Any]


class FieldError(Schema):
    field: str
    message: str


class PlanProblems(Schema):
    """Named apart from enrollment's ``Problems``: one OpenAPI component per name."""

    detail: str
    errors: list[FieldError] = []


class DocumentIn(Schema):
    document: dict[str, Any]


def _out(plan: SchoolPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "school_id": plan.school_id,
        "term_id": plan.term_id,
        "version": plan.version,
        "status": plan.status,
        "preset_key": plan.preset_key,
        "document": plan.document,
    }


def _plan(request, plan_id: int, capability: PlanCapability) -> SchoolPlan:
    actor = actor_for(request.user)
    if not may(actor, capability):
        raise Http404
    return get_plan_for(actor, plan_id)


@router.get("/{plan_id}", response={200: PlanOut}, auth=django_auth)
def get_plan(request, plan_id: int):
    """Return one version of the school's plan (staff of the school)."""
    return _out(_plan(request, plan_id, PlanCapability.VIEW_PLANS))


@router.put(
    "/{plan_id}/document",
    response={200: PlanOut, 409: PlanProblems, 422: PlanProblems},
    auth=django_auth,
)
def put_document(request, plan_id: int, payload: DocumentIn):
    """Replace the document of a draft; a published plan never changes (409)."""
    plan = _plan(request, plan_id, PlanCapability.EDIT_PLAN)
    try:
        plan = services.update_draft(plan=plan, document=payload.document, acting_user=request.user)
    except PublishedPlanIsFrozen as exc:
        return Status(409, {"detail": str(exc)})
    except PlanInvalid as exc:
        errors = [{"field": path, "message": message} for path, message in exc.errors]
        return Status(422, {"detail": "invalid plan document", "errors": errors})
    return Status(200, _out(plan))


@router.post("/{plan_id}/publish", response={200: PlanOut, 409: PlanProblems}, auth=django_auth)
def publish_plan(request, plan_id: int):
    """Publish an approved plan; 409 lists the limits it breaks."""
    plan = _plan(request, plan_id, PlanCapability.PUBLISH_PLAN)
    try:
        plan = services.publish(plan=plan, acting_user=request.user)
    except services.PlanNotPublishable as exc:
        errors = [{"field": "", "message": p} for p in exc.problems]
        return Status(409, {"detail": "not publishable", "errors": errors})
    except services.PlanStateError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _out(plan))


@router.get("/public/{school_code}/{term_id}", response={200: PlanOut}, auth=None)
def public_notice(request, school_code: str, term_id: int):
    """Return the published plan of a term (the public notice; no personal data)."""
    return _out(public_plan(school_code=school_code, term_id=term_id))
