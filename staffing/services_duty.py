"""Editing the duty roster by hand: a day's post, and the weekly pattern it is generated from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from people.actor import Actor
from people.models import Staff
from schools.models import Term
from staffing.models import DutyAssignment, DutyPattern, Post
from staffing.services import StaffingError, _leader


def _own_staff(actor: Actor, staff: Iterable[Staff]) -> list[Staff]:
    staff = list(staff)
    if any(s.school_id != actor.school_id for s in staff):
        raise StaffingError(_("Choose staff of your own school."))
    return staff


@transaction.atomic
def set_day_duties(*, term: Term, date: dt.date, post: str, staff: Iterable[Staff], actor: Actor) -> list[DutyAssignment]:
    """Replace who is on ``post`` on ``date`` (a leader's edit of one cell of the roster)."""
    _leader(actor)
    if term.school_id != actor.school_id:
        raise StaffingError(_("Edit the roster of your own school."))
    if not term.start <= date <= term.end:
        raise StaffingError(_("%(date)s is outside the term.") % {"date": date.isoformat()})
    if post not in Post.values:
        raise StaffingError(_("Unknown post: %(post)s.") % {"post": post})
    people = _own_staff(actor, staff)
    current = DutyAssignment.objects.filter(term=term, date=date, post=post)
    before = sorted(current.values_list("staff_id", flat=True))
    current.exclude(staff__in=people).delete()
    keep = set(current.values_list("staff_id", flat=True))
    DutyAssignment.objects.bulk_create([
        DutyAssignment(school_id=term.school_id, term=term, date=date, post=post, staff=s)
        for s in people if s.pk not in keep
    ])
    after = sorted(s.pk for s in people)
    if before != after:
        record_event(action="duty.edited", subject=term, actor=actor.user, school_id=term.school_id,
                     old={"date": date.isoformat(), "post": post, "staff": before},
                     new={"date": date.isoformat(), "post": post, "staff": after})
    return list(DutyAssignment.objects.filter(term=term, date=date, post=post).select_related("staff"))


@transaction.atomic
def add_pattern(*, term: Term, weekday: int, post: str, staff: Staff, actor: Actor) -> DutyPattern:
    """Add one person on one post to the weekly pattern (0 = Monday)."""
    _leader(actor)
    _own_staff(actor, [staff])
    if term.school_id != actor.school_id:
        raise StaffingError(_("Edit the roster of your own school."))
    if not 0 <= weekday <= 6:
        raise StaffingError(_("Weekday runs from 0 (Monday) to 6 (Sunday)."))
    pattern, _created = DutyPattern.objects.get_or_create(
        term=term, weekday=weekday, post=post, staff=staff, defaults={"school_id": term.school_id})
    return pattern


@transaction.atomic
def remove_pattern(*, pattern: DutyPattern, actor: Actor) -> None:
    """Take one line out of the weekly pattern (duties already generated stay)."""
    _leader(actor)
    if pattern.school_id != actor.school_id:
        raise StaffingError(_("Edit the roster of your own school."))
    pattern.delete()
