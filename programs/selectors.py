"""Reads of programs, scoped to who is asking."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from people.actor import Actor
from plans.policy import PlanDocument, parse_document
from programs.models import CareGroup, GroupFormingRun, Offering, Session, WeeklySlot
from schools.models import Term
from schools.selectors import school_ids_for


def plan_document_for(term: Term) -> PlanDocument | None:
    """Return the term's plan in force: the latest published version, else the latest draft.

    Offerings may be prepared while the plan is still a draft; publication later checks the
    limits. Returns None when the term has no plan at all.
    """
    from plans.models import SchoolPlan

    plans = SchoolPlan.objects.filter(term=term).order_by("-version")
    plan = plans.filter(status=SchoolPlan.Status.PUBLISHED).first() or plans.first()
    return parse_document(plan.document) if plan else None


def offerings_for(actor: Actor) -> QuerySet[Offering]:
    return Offering.objects.filter(school_ids_for(actor))


def get_offering_for(actor: Actor, offering_id: int) -> Offering:
    try:
        return offerings_for(actor).select_related("term", "venue", "school_class").get(pk=offering_id)
    except (Offering.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def slots_of_term(term: Term) -> QuerySet[WeeklySlot]:
    """Return the term's weekly slots of offerings not closed, with what a grid shows."""
    return (
        WeeklySlot.objects.filter(offering__term=term)
        .exclude(offering__status=Offering.Status.CLOSED)
        .select_related("offering", "offering__school_class", "venue", "instructor")
        .order_by("weekday", "start", "offering__name")
    )


def sessions_for(actor: Actor) -> QuerySet[Session]:
    return Session.objects.filter(school_ids_for(actor))


def latest_group_run(term: Term, service: str) -> GroupFormingRun | None:
    return GroupFormingRun.objects.filter(term=term, service=service).order_by("-created_at", "-id").first()


def groups_of_run(run: GroupFormingRun) -> list[CareGroup]:
    return list(
        run.groups.select_related("venue", "teacher")
        .prefetch_related("members__student", "members__school_class")
        .order_by("key")
    )
