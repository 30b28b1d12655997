"""Writes on school plans: draft from a preset, edit, record approval, publish, new draft.

Each action runs in one transaction; approval and publication write an audit row. The
document is validated by :func:`plans.policy.parse_document` on every write, and checked
against the limits in force (:func:`plans.checks.check_limits`) before publication.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from plans.models import PublishedPlanIsFrozen, SchoolPlan
from plans.policy import parse_document
from plans.presets import load_preset
from schools.models import Term


class PlanStateError(Exception):
    """The action does not fit the plan's place in its life cycle."""


class PlanNotPublishable(Exception):
    """The plan breaks a limit or lacks what a public notice needs; ``problems`` say what."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _next_version(term: Term) -> int:
    # Lock the term row so two drafts made at once cannot take the same number.
    Term.objects.select_for_update().filter(pk=term.pk).first()
    latest = SchoolPlan.objects.filter(term=term).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def _without_approval(document: dict[str, Any]) -> dict[str, Any]:
    """Return ``document`` with the parent committee record removed (it approved other text)."""
    document = copy.deepcopy(document)
    document.setdefault("governance", {})["parent_committee_approval"] = None
    return document


def _user(acting_user: Any) -> Any | None:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def create_draft(
    *,
    term: Term,
    document: dict[str, Any],
    acting_user: Any,
    preset_key: str = "",
    based_on: SchoolPlan | None = None,
) -> SchoolPlan:
    """Create the next draft version of the plan of ``term`` from ``document``."""
    stored = parse_document(document).dump()
    with transaction.atomic():
        return SchoolPlan.objects.create(
            school_id=term.school_id,
            term=term,
            version=_next_version(term),
            document=stored,
            preset_key=preset_key,
            based_on=based_on,
            created_by=_user(acting_user),
        )


def create_draft_from_preset(*, term: Term, preset_key: str, acting_user: Any) -> SchoolPlan:
    """Start a plan for ``term`` from a seed preset (p1 … p7).

    The preset's parent committee record belongs to the seed school, so it is dropped; the
    school's own complaint phone fills an empty one.
    """
    document = _without_approval(load_preset(preset_key).document)
    governance = document["governance"]
    if not governance.get("complaint_phone"):
        governance["complaint_phone"] = term.school.complaint_phone
    return create_draft(
        term=term, document=document, acting_user=acting_user, preset_key=preset_key
    )


def update_draft(*, plan: SchoolPlan, document: dict[str, Any], acting_user: Any) -> SchoolPlan:
    """Replace the document of an unpublished plan; an approved plan goes back to draft."""
    if plan.is_published:
        raise PublishedPlanIsFrozen(
            _("A published plan cannot be edited; make a new draft from it.")
        )
    stored = parse_document(document).dump()
    with transaction.atomic():
        plan = SchoolPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.is_published:
            raise PublishedPlanIsFrozen(
                _("A published plan cannot be edited; make a new draft from it.")
            )
        if plan.status == SchoolPlan.Status.APPROVED:
            stored = _without_approval(stored)
            plan.status = SchoolPlan.Status.DRAFT
            plan.approved_at = plan.approved_by = None
        plan.document = stored
        plan.save()
    return plan


def approve(
    *,
    plan: SchoolPlan,
    meeting_date: dt.date,
    attendance: int | None,
    acting_user: Any,
    note: str = "",
) -> SchoolPlan:
    """Record that the parent committee approved the plan (家委会审议通过)."""
    with transaction.atomic():
        plan = SchoolPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != SchoolPlan.Status.DRAFT:
            raise PlanStateError(_("Only a draft can be approved."))
        document = copy.deepcopy(plan.document)
        document["governance"]["parent_committee_approval"] = {
            "date": meeting_date.isoformat(),
            "attendance": attendance,
            "outcome": "approved",
            "note": note,
        }
        plan.document = parse_document(document).dump()
        plan.status = SchoolPlan.Status.APPROVED
        plan.approved_at = timezone.now()
        plan.approved_by = _user(acting_user)
        plan.save()
        record_event(
            action="plan.approved",
            subject=plan,
            actor=acting_user,
            new={"version": plan.version, "meeting_date": meeting_date.isoformat()},
        )
    return plan


def publication_problems(plan: SchoolPlan) -> list[str]:
    """Return why ``plan`` cannot be published (empty when it can), in the user's language."""
    from plans.checks import check_limits, facts_for_term
    from schools.calendar import CalendarYearUnknown

    doc = parse_document(plan.document)
    problems = []
    if plan.status != SchoolPlan.Status.APPROVED:
        problems.append(_("The parent committee's approval has not been recorded."))
    if doc.fees.items and not doc.governance.complaint_phone.strip():
        problems.append(_("A plan that charges fees must give a complaint phone (收费公示)."))
    try:
        facts = facts_for_term(plan.term)
    except CalendarYearUnknown as exc:
        problems.append(exc.message)
    else:
        problems.extend(b.message for b in check_limits(doc, facts))
    return problems


def publish(*, plan: SchoolPlan, acting_user: Any) -> SchoolPlan:
    """Publish an approved plan; from now on this version never changes."""
    with transaction.atomic():
        plan = SchoolPlan.objects.select_for_update().select_related("term").get(pk=plan.pk)
        if plan.is_published:
            raise PlanStateError(_("This version is already published."))
        problems = publication_problems(plan)
        if problems:
            raise PlanNotPublishable(problems)
        plan.status = SchoolPlan.Status.PUBLISHED
        plan.published_at = timezone.now()
        plan.published_by = _user(acting_user)
        plan.save()
        record_event(
            action="plan.published",
            subject=plan,
            actor=acting_user,
            new={"term": plan.term_id, "version": plan.version},
        )
    return plan


def new_draft_from(*, plan: SchoolPlan, acting_user: Any) -> SchoolPlan:
    """Start the next version from ``plan`` (the way to change a published plan)."""
    return create_draft(
        term=plan.term,
        document=_without_approval(plan.document),
        acting_user=acting_user,
        preset_key=plan.preset_key,
        based_on=plan,
    )
