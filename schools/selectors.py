"""Reads of schools, terms, classes and venues, scoped to who is asking."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from people.actor import Actor
from people.models import StudentGuardian
from schools.models import School, SchoolClass, Term, Venue


def school_ids_for(actor: Actor) -> Q:
    """Return a filter on ``school_id`` for the schools ``actor`` belongs to or oversees."""
    if not actor.is_authenticated:
        return Q(pk__in=[])
    scope = Q(school_id__in=[])
    if actor.school_id is not None:
        scope |= Q(school_id=actor.school_id)
    if actor.guardian_id is not None:
        scope |= Q(
            school_id__in=StudentGuardian.objects.filter(guardian_id=actor.guardian_id).values(
                "school_id"
            )
        )
    if actor.district_id is not None:
        scope |= Q(school__district_id=actor.district_id)
    return scope


def schools_for(actor: Actor) -> QuerySet[School]:
    if not actor.is_authenticated:
        return School.objects.none()
    scope = Q(pk__in=[])
    if actor.school_id is not None:
        scope |= Q(pk=actor.school_id)
    if actor.guardian_id is not None:
        scope |= Q(
            pk__in=StudentGuardian.objects.filter(guardian_id=actor.guardian_id).values(
                "school_id"
            )
        )
    if actor.district_id is not None:
        scope |= Q(district_id=actor.district_id)
    return School.objects.filter(scope)


def terms_for(actor: Actor) -> QuerySet[Term]:
    return Term.objects.filter(school_ids_for(actor))


def classes_for(actor: Actor) -> QuerySet[SchoolClass]:
    return SchoolClass.objects.filter(school_ids_for(actor))


def venues_for(actor: Actor) -> QuerySet[Venue]:
    return Venue.objects.filter(school_ids_for(actor))


def get_term_for(actor: Actor, term_id: int) -> Term:
    try:
        return terms_for(actor).select_related("school").get(pk=term_id)
    except (Term.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def current_term(school_id: int, *, today: dt.date | None = None) -> Term | None:
    """Return the term running today, else the next one to start, else the latest."""
    today = today or timezone.localdate()
    terms = Term.objects.filter(school_id=school_id)
    return (
        terms.filter(start__lte=today, end__gte=today).first()
        or terms.filter(start__gt=today).order_by("start").first()
        or terms.order_by("-end").first()
    )
