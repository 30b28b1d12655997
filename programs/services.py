"""Offerings and their weekly slots: create, check the plan and the five fixes, open.

Each function is one business action in one transaction. Errors carry messages for people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.services import record_event
from people.models import Staff
from people.services import NotAssignable, check_assignable
from programs.models import Offering, WeeklySlot
from programs.rules import grade_rule_problems
from programs.selectors import plan_document_for
from schools.models import SchoolClass, Term, Venue


class ProgramError(Exception):
    """A program action refused; ``problems`` are messages in the user's language."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def _same_school(term: Term, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.school_id != term.school_id:
            raise ProgramError(_("%(thing)s belongs to another school.") % {"thing": obj})


@transaction.atomic
def create_offering(
    *,
    term: Term,
    kind: str,
    name: str,
    grades: Iterable[int],
    capacity: int,
    acting_user,
    school_class: SchoolClass | None = None,
    venue: Venue | None = None,
    subject: str = "",
    content: str = "",
    activity_plan: str = "",
    is_charged: bool = False,
    instructors: Iterable[Staff] = (),
) -> Offering:
    """Create a draft offering after checking it against the grade rules of the term's plan."""
    grades = sorted(set(grades))
    instructors = list(instructors)
    _same_school(term, school_class, venue, *instructors)
    doc = plan_document_for(term)
    if doc is None:
        raise ProgramError(_("The term has no plan yet: set up the school's plan first."))
    problems = grade_rule_problems(doc, kind=kind, grades=grades)
    if problems:
        raise ProgramError(problems)
    offering = Offering(
        school_id=term.school_id,
        term=term,
        kind=kind,
        name=name,
        grades=grades,
        capacity=capacity,
        school_class=school_class,
        venue=venue,
        subject=subject,
        content=content,
        activity_plan=activity_plan,
        is_charged=is_charged,
    )
    offering.full_clean()
    offering.save()
    for staff in instructors:
        require_assignable(staff)
    offering.instructors.set(instructors)
    return offering


def require_assignable(staff: Staff) -> None:
    try:
        check_assignable(staff=staff)
    except NotAssignable as exc:
        raise ProgramError(exc.message) from None


def _overlaps(start: dt.time, end: dt.time) -> Q:
    return Q(start__lt=end, end__gt=start)


def slot_clashes(
    *,
    term: Term,
    weekday: int,
    start: dt.time,
    end: dt.time,
    venue: Venue,
    instructor: Staff,
    exclude_slot_id: int | None = None,
) -> list[str]:
    """Return messages for weekly slots of the term that book the venue or instructor at once."""
    clashes = (
        WeeklySlot.objects.filter(offering__term=term, weekday=weekday)
        .filter(_overlaps(start, end))
        .filter(Q(venue=venue) | Q(instructor=instructor))
        .exclude(offering__status=Offering.Status.CLOSED)
        .select_related("offering", "venue", "instructor")
    )
    if exclude_slot_id:
        clashes = clashes.exclude(pk=exclude_slot_id)
    messages = []
    for other in clashes:
        who = other.venue.name if other.venue_id == venue.pk else other.instructor.name
        messages.append(
            _("%(who)s is already booked %(when)s for “%(offering)s”.")
            % {"who": who, "when": str(other), "offering": other.offering.name}
        )
    return messages


@transaction.atomic
def add_slot(
    *,
    offering: Offering,
    weekday: int,
    start: dt.time,
    end: dt.time,
    venue: Venue,
    instructor: Staff,
    acting_user,
) -> WeeklySlot:
    """Add a weekly slot; refuse a clash of venue or instructor, or an unvetted instructor."""
    term = offering.term
    _same_school(term, venue, instructor)
    if end <= start:
        raise ProgramError(_("The slot must end after it starts."))
    require_assignable(instructor)
    # Lock the term's row so two simultaneous bookings cannot both pass the clash check.
    Term.objects.select_for_update().get(pk=term.pk)
    clashes = slot_clashes(
        term=term, weekday=weekday, start=start, end=end, venue=venue, instructor=instructor
    )
    if clashes:
        raise ProgramError(clashes)
    slot = WeeklySlot.objects.create(
        offering=offering, weekday=weekday, start=start, end=end, venue=venue, instructor=instructor
    )
    offering.instructors.add(instructor)
    return slot


def missing_fixes(offering: Offering) -> list[str]:
    """Return what the offering lacks of the five fixes (五定, plan 4), as messages."""
    missing = []
    if not offering.activity_plan.strip():
        missing.append(_("the activity plan (定计划)"))
    if not offering.content.strip():
        missing.append(_("the content (定内容)"))
    slots = list(offering.slots.select_related("instructor", "venue"))
    if not slots:
        missing.append(_("weekly time slots (定时间)"))
    if not slots or any(s.venue_id is None for s in slots):
        missing.append(_("a venue (定场所)"))
    instructors = {s.instructor for s in slots} | set(offering.instructors.all())
    if not instructors:
        missing.append(_("an instructor (定指导教师)"))
    for staff in sorted(instructors, key=lambda s: s.pk):
        try:
            check_assignable(staff=staff)
        except NotAssignable as exc:
            missing.append(exc.message)
    return missing


@transaction.atomic
def open_offering(*, offering: Offering, acting_user) -> Offering:
    """Open the offering for enrollment; refuse while any of the five fixes is missing."""
    missing = missing_fixes(offering)
    if missing:
        raise ProgramError(
            [_("“%(name)s” cannot open yet; it lacks:") % {"name": offering.name}, *missing]
        )
    old = offering.status
    offering.status = Offering.Status.OPEN
    offering.save(update_fields=["status"])
    record_event(
        action="offering.opened",
        subject=offering,
        actor=acting_user,
        old={"status": old},
        new={"status": offering.status},
    )
    return offering


@transaction.atomic
def close_offering(*, offering: Offering, acting_user) -> Offering:
    old = offering.status
    offering.status = Offering.Status.CLOSED
    offering.save(update_fields=["status"])
    record_event(
        action="offering.closed",
        subject=offering,
        actor=acting_user,
        old={"status": old},
        new={"status": offering.status},
    )
    return offering
