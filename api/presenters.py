"""Rows as the API shows them to one actor. The masking rules come from ``people.presenters``."""

from __future__ import annotations

from typing import Any

from people.actor import Actor
from people.models import Guardian, Student
from people.presenters import Visibility, shown_national_id, shown_phone
from schools.calendar import CalendarDay
from schools.models import SchoolClass

NOTHING_VISIBLE = Visibility(phones=False, priority_flags=False, national_id_on_request=False)


def visibility_at(actor: Actor, school_id: int) -> Visibility:
    """Return what ``actor`` may see unmasked about a child of ``school_id``.

    A role grants sight only in the actor's own school: a teacher who is also a guardian
    elsewhere sees that other school's data as any guardian would.
    """
    if actor.is_staff_member and actor.school_id == school_id:
        return Visibility.for_actor(actor)
    return NOTHING_VISIBLE


def class_ref(school_class: SchoolClass) -> dict[str, Any]:
    return {
        "id": school_class.pk,
        "grade": school_class.grade,
        "number": school_class.number,
        "label": school_class.label,
    }


def present_student(student: Student, actor: Actor) -> dict[str, Any]:
    """Return ``student`` for ``actor``; needs ``school_class`` and ``guardian_links__guardian``."""
    visibility = visibility_at(actor, student.school_id)
    links = list(student.guardian_links.all())
    own = actor.is_guardian and any(link.guardian_id == actor.guardian_id for link in links)
    # The rule of people.presenters.priority_labels; the API answers null rather than an
    # empty list so "may not see" stays distinct from "no flags set".
    flags_visible = visibility.priority_flags or own
    return {
        "id": student.pk,
        "name": student.name,
        "gender": student.gender,
        "birth_date": student.birth_date,
        "student_number": student.student_number,
        "school_id": student.school_id,
        "is_active": student.is_active,
        "class": class_ref(student.school_class),
        "national_id_masked": shown_national_id(student),
        "priority_flags": (
            {flag: getattr(student, flag) for flag in Student.PRIORITY_FLAGS}
            if flags_visible
            else None
        ),
        "guardians": [
            {
                "id": link.guardian_id,
                "name": link.guardian.name,
                "relation": link.relation,
                "relation_label": link.get_relation_display(),
                "phone": shown_phone(
                    link.guardian.phone, visibility, own=link.guardian_id == actor.guardian_id
                ),
                "may_pick_up": link.may_pick_up,
                "is_primary": link.is_primary,
            }
            for link in links
        ],
    }


def present_guardian(guardian: Guardian, actor: Actor) -> dict[str, Any]:
    """Return ``guardian`` for ``actor``; needs ``student_links`` prefetched within scope."""
    own = guardian.pk == actor.guardian_id
    links = list(guardian.student_links.all())
    # Staff see guardians only through their own school's children (people.selectors).
    visibility = Visibility.for_actor(actor) if actor.is_staff_member else NOTHING_VISIBLE
    return {
        "id": guardian.pk,
        "name": guardian.name,
        "phone": shown_phone(guardian.phone, visibility, own=own),
        "children": [
            {
                "id": link.student_id,
                "name": link.student.name,
                "school_id": link.school_id,
                "relation": link.relation,
                "may_pick_up": link.may_pick_up,
            }
            for link in links
        ],
    }


def present_class(school_class: SchoolClass, actor: Actor) -> dict[str, Any]:
    """Return a class; needs ``head_teacher`` selected and ``student_count`` annotated."""
    head = school_class.head_teacher
    return class_ref(school_class) | {
        "school_id": school_class.school_id,
        "head_teacher_name": head.name if head else None,
        "student_count": school_class.student_count,  # type: ignore[attr-defined]
    }


def present_school_day(day: CalendarDay) -> dict[str, Any]:
    return {
        "date": day.date,
        "timetable_weekday": day.timetable_weekday,
        "source": day.source,
        "reason": day.reason,
    }
