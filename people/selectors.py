"""Reads of people, always scoped to who is asking (DESIGN.md §3 tenancy).

Every page and API endpoint gets students, guardians and staff through these helpers;
an out-of-scope row is answered with 404, the same as a missing one.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from people.actor import Actor
from people.models import Guardian, Staff, Student, StudentGuardian
from people.roles import Capability


def students_for(actor: Actor) -> QuerySet[Student]:
    """Return the students ``actor`` may see: a guardian their own children, staff their school."""
    if not actor.is_authenticated:
        return Student.objects.none()
    scope = Q(pk__in=[])
    if actor.school_id is not None and actor.may(Capability.VIEW_ROSTER):
        scope |= Q(school_id=actor.school_id)
    if actor.guardian_id is not None:
        scope |= Q(
            pk__in=StudentGuardian.objects.filter(guardian_id=actor.guardian_id).values(
                "student_id"
            )
        )
    if actor.district_id is not None:
        scope |= Q(school__district_id=actor.district_id)
    return Student.objects.filter(scope)


def get_student_for(actor: Actor, student_id: int) -> Student:
    """Return the student or raise 404 when it is missing or not the actor's to see."""
    try:
        return students_for(actor).select_related("school_class", "school").get(pk=student_id)
    except (Student.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def search_students(qs: QuerySet[Student], text: str) -> QuerySet[Student]:
    """Filter by name, pinyin (with or without spaces) or student number."""
    text = (text or "").strip().lower()
    if not text:
        return qs
    compact = text.replace(" ", "")
    return qs.filter(
        Q(name__contains=text)
        | Q(pinyin__startswith=text)
        | Q(pinyin__contains=" " + text)
        | Q(student_number=text)
        | Q(pinyin__contains=compact)
    )


def guardians_for(actor: Actor) -> QuerySet[Guardian]:
    """Return the guardians ``actor`` may see: themself, or those of the students in scope."""
    if not actor.is_authenticated:
        return Guardian.objects.none()
    scope = Q(pk__in=[])
    if actor.guardian_id is not None:
        scope |= Q(pk=actor.guardian_id)
    if actor.school_id is not None and actor.may(Capability.VIEW_ROSTER):
        scope |= Q(
            pk__in=StudentGuardian.objects.filter(school_id=actor.school_id).values("guardian_id")
        )
    if actor.district_id is not None:
        scope |= Q(
            pk__in=StudentGuardian.objects.filter(
                school__district_id=actor.district_id
            ).values("guardian_id")
        )
    return Guardian.objects.filter(scope)


def staff_for(actor: Actor) -> QuerySet[Staff]:
    """Return the staff of the actor's school (staff only; guardians see none)."""
    if not actor.is_authenticated:
        return Staff.objects.none()
    if actor.school_id is not None:
        return Staff.objects.filter(school_id=actor.school_id)
    if actor.district_id is not None:
        return Staff.objects.filter(school__district_id=actor.district_id)
    return Staff.objects.none()
