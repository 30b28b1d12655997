"""Reads of school plans: scoped lists, the published plan of a term, version differences."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from people.actor import Actor
from plans.messages import label_for
from plans.models import SchoolPlan
from plans.permissions import PlanCapability, may
from plans.policy import PlanDocument, parse_document
from schools.models import Term


def plans_for(actor: Actor) -> QuerySet[SchoolPlan]:
    """Return the plans (all versions) of the actor's own school, for staff who may see them."""
    if actor.school_id is None or not may(actor, PlanCapability.VIEW_PLANS):
        return SchoolPlan.objects.none()
    return SchoolPlan.objects.filter(school_id=actor.school_id)


def get_plan_for(actor: Actor, plan_id: int) -> SchoolPlan:
    """Return one plan of the actor's school, or 404 for both "missing" and "not yours"."""
    try:
        return plans_for(actor).select_related("term", "school").get(pk=plan_id)
    except (SchoolPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def published_plan_for(term: Term) -> SchoolPlan | None:
    """Return the plan in force for ``term``: its latest published version."""
    return (
        SchoolPlan.objects.filter(term=term, status=SchoolPlan.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )


def policy_for(term: Term) -> PlanDocument | None:
    """Return the rules in force for ``term`` (the published document, parsed), or None.

    Later features (fees, refunds, pay, deductions, group forming) read their rules here.
    """
    plan = published_plan_for(term)
    return parse_document(plan.document) if plan else None


def public_plan(*, school_code: str, term_id: int) -> SchoolPlan:
    """Return the published plan shown on the public notice, or 404."""
    plan = (
        SchoolPlan.objects.filter(
            school__code=school_code, term_id=term_id, status=SchoolPlan.Status.PUBLISHED
        )
        .select_related("school", "term")
        .order_by("-version")
        .first()
    )
    if plan is None:
        raise Http404
    return plan


@dataclass(frozen=True)
class Change:
    path: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return label_for(self.path)

    @property
    def old_text(self) -> str:
        return _text(self.old)

    @property
    def new_text(self) -> str:
        return _text(self.new)

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(_flatten(sub, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        out = {}
        for index, sub in enumerate(value):
            out.update(_flatten(sub, f"{prefix}.{index}"))
        return out
    return {prefix: value}


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Return the field-by-field changes from ``old`` to ``new`` in document order."""
    before, after = _flatten(old), _flatten(new)
    paths = list(before) + [p for p in after if p not in before]
    return [
        Change(path=p, old=before.get(p), new=after.get(p))
        for p in paths
        if before.get(p) != after.get(p)
    ]
