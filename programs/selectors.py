"""Reads of programs, scoped to who is asking."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from people.actor import Actor
from people.models import Staff, Student
from plans.policy import PlanDocument, parse_document
from programs.models import (
    CareGroup,
    CareGroupMember,
    GroupFormingRun,
    Offering,
    Session,
    WeeklySlot,
)
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
    """Return the run's groups with their members, students and classes: two queries.

    Members are joined to their students rather than prefetched by id: a prefetch of 3,000
    students is one ``OR`` term per id, past SQLite's expression depth limit of 1,000.
    """
    members = CareGroupMember.objects.select_related("student", "school_class")
    return list(
        run.groups.select_related("venue", "teacher")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("key")
    )


def school_offerings(actor: Actor) -> QuerySet[Offering]:
    """Return the offerings of the actor's own school (staff only; others get none).

    Stricter than :func:`offerings_for`: a staff member who is also a guardian elsewhere
    sees their own school's programs here, never the other school's.
    """
    if not actor.is_staff_member or actor.school_id is None:
        return Offering.objects.none()
    return Offering.objects.filter(school_id=actor.school_id)


def get_school_offering(actor: Actor, offering_id: int) -> Offering:
    """Return the offering of the actor's school, or raise 404 (missing and not yours alike)."""
    try:
        return (
            school_offerings(actor)
            .select_related("term", "venue", "school_class")
            .get(pk=offering_id)
        )
    except (Offering.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_school_session(actor: Actor, session_id: int) -> Session:
    """Return a session of the actor's school, or raise 404."""
    if not actor.is_staff_member or actor.school_id is None:
        raise Http404
    try:
        return Session.objects.select_related(
            "offering", "offering__term", "venue", "instructor", "substitute_for"
        ).get(pk=session_id, school_id=actor.school_id)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def term_offerings_with_fixes(term: Term) -> list[tuple[Offering, list[str]]]:
    """Return the term's offerings, each with what it lacks of the five fixes (五定).

    The rule stays in :func:`programs.services.missing_fixes`; it is handed rows loaded
    here in a fixed number of queries, so the list does not cost queries per offering.
    """
    from programs.services import missing_fixes

    staff = Staff.objects.select_related("vetting").prefetch_related("roles")
    offerings = list(
        Offering.objects.filter(term=term)
        .select_related("school_class", "venue")
        .prefetch_related(
            Prefetch(
                "slots",
                queryset=WeeklySlot.objects.select_related(
                    "venue", "instructor", "instructor__vetting"
                ).prefetch_related("instructor__roles"),
            ),
            Prefetch("instructors", queryset=staff),
        )
        .order_by("kind", "name")
    )
    return [(o, missing_fixes(cast(Offering, _Loaded.offering(o)))) for o in offerings]


class _Loaded(list):
    """Rows already loaded, answering the manager calls that ``missing_fixes`` makes."""

    def all(self) -> _Loaded:
        return self

    def select_related(self, *fields: str) -> _Loaded:
        return self

    @staticmethod
    def offering(offering: Offering) -> SimpleNamespace:
        return SimpleNamespace(
            pk=offering.pk,
            name=offering.name,
            activity_plan=offering.activity_plan,
            content=offering.content,
            slots=_Loaded(offering.slots.all()),
            instructors=_Loaded(offering.instructors.all()),
        )


def care_participants(term: Term, service: str) -> list[int]:
    """Return the ids of the students taking part in ``service`` (after_school / noon_care).

    For now every active student of the term's school: enrollment does not exist yet.
    The enrollment issue replaces this body with the approved participants of the service;
    the group forming page and the ``form_groups`` command both ask here.
    """
    return list(
        Student.objects.filter(school_id=term.school_id, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
