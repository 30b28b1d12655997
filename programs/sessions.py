"""Dated sessions: generated from weekly slots over the term's school days; changes keep history.

An adjusted working Saturday (调休) holds the sessions of the weekday whose timetable it
follows, because :func:`schools.calendar.school_days` answers by timetable weekday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from people.models import Staff
from programs.models import Offering, Session, SessionChange, WeeklySlot
from programs.services import ProgramError, require_assignable
from schools.calendar import school_days
from schools.models import Term, Venue


@dataclass(frozen=True)
class GenerationResult:
    created: int
    cancelled: int  # untouched sessions whose day is no longer a school day


@transaction.atomic
def generate_sessions(*, term: Term, acting_user, offering: Offering | None = None) -> GenerationResult:
    """Create the dated sessions of every slot (or one offering's) for the term's school days.

    Re-runnable: existing sessions are kept (and their changes); a session whose planned day
    stopped being a school day (a closure entered later) is cancelled with a reason.
    """
    slots = WeeklySlot.objects.filter(offering__term=term).exclude(
        offering__status=Offering.Status.CLOSED
    )
    if offering is not None:
        slots = slots.filter(offering=offering)
    slots = list(slots.select_related("offering"))
    days_by_timetable: dict[int, list[dt.date]] = {}
    for day in school_days(term):
        if day.timetable_weekday is not None:
            days_by_timetable.setdefault(day.timetable_weekday, []).append(day.date)

    existing = set(
        Session.objects.filter(slot__in=slots).values_list("slot_id", "planned_date")
    )
    new = [
        Session(
            school_id=term.school_id,
            offering_id=slot.offering_id,
            slot=slot,
            planned_date=date,
            date=date,
            start=slot.start,
            end=slot.end,
            venue_id=slot.venue_id,
            instructor_id=slot.instructor_id,
        )
        for slot in slots
        for date in days_by_timetable.get(slot.weekday, [])
        if (slot.pk, date) not in existing
    ]
    Session.objects.bulk_create(new, batch_size=500)

    valid = {(slot.pk, date) for slot in slots for date in days_by_timetable.get(slot.weekday, [])}
    stale = [
        s
        for s in Session.objects.filter(slot__in=slots, status=Session.Status.SCHEDULED, changes__isnull=True)
        if (s.slot_id, s.planned_date) not in valid
    ]
    for session in stale:
        _change(
            session,
            kind=SessionChange.Kind.CANCELLED,
            new={"status": Session.Status.CANCELLED},
            reason=_("The day is no longer a school day."),
            acting_user=acting_user,
        )
    return GenerationResult(created=len(new), cancelled=len(stale))


def _values(session: Session, fields) -> dict:
    """Return the fields as JSON-ready values, keyed without the ``_id`` suffix."""
    out = {}
    for field in fields:
        value = getattr(session, field)
        out[field.removesuffix("_id")] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _change(session: Session, *, kind: str, new: dict, reason: str, acting_user) -> Session:
    if not reason.strip():
        raise ProgramError(_("Say why the session changes."))
    fields = list(new)
    old = _values(session, fields)
    for field, value in new.items():
        setattr(session, field, value)
    session.save(update_fields=list(new))
    SessionChange.objects.create(
        session=session,
        kind=kind,
        old_values=old,
        new_values=_values(session, fields),
        reason=reason,
        changed_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    return session


def session_clashes(
    *,
    school_id: int,
    date: dt.date,
    start: dt.time,
    end: dt.time,
    venue_id: int | None = None,
    instructor_id: int | None = None,
    exclude_id: int | None = None,
) -> list[str]:
    """Return messages for scheduled sessions that book the venue or instructor at once."""
    who = Q(pk__in=[])
    if venue_id:
        who |= Q(venue_id=venue_id)
    if instructor_id:
        who |= Q(instructor_id=instructor_id)
    clashes = (
        Session.objects.filter(school_id=school_id, date=date, status=Session.Status.SCHEDULED)
        .filter(start__lt=end, end__gt=start)
        .filter(who)
        .exclude(pk=exclude_id)
        .select_related("offering", "venue", "instructor")
    )
    return [
        _("%(who)s is already booked on %(date)s %(start)s–%(end)s for “%(offering)s”.")
        % {
            "who": c.venue.name if c.venue_id == venue_id else c.instructor.name,
            "date": c.date,
            "start": f"{c.start:%H:%M}",
            "end": f"{c.end:%H:%M}",
            "offering": c.offering.name,
        }
        for c in clashes
    ]


@transaction.atomic
def move_session(
    *,
    session: Session,
    date: dt.date,
    start: dt.time,
    end: dt.time,
    venue: Venue,
    reason: str,
    acting_user,
) -> Session:
    """Move one session to another time or room, refusing a clash."""
    if venue.school_id != session.school_id:
        raise ProgramError(_("%(thing)s belongs to another school.") % {"thing": venue})
    if end <= start:
        raise ProgramError(_("The session must end after it starts."))
    clashes = session_clashes(
        school_id=session.school_id,
        date=date,
        start=start,
        end=end,
        venue_id=venue.pk,
        instructor_id=session.instructor_id,
        exclude_id=session.pk,
    )
    if clashes:
        raise ProgramError(clashes)
    return _change(
        session,
        kind=SessionChange.Kind.MOVED,
        new={"date": date, "start": start, "end": end, "venue_id": venue.pk},
        reason=reason,
        acting_user=acting_user,
    )


@transaction.atomic
def cancel_session(*, session: Session, reason: str, acting_user) -> Session:
    """Cancel one session (not held by the school's decision); the history says why."""
    if session.status == Session.Status.CANCELLED:
        return session
    return _change(
        session,
        kind=SessionChange.Kind.CANCELLED,
        new={"status": Session.Status.CANCELLED},
        reason=reason,
        acting_user=acting_user,
    )


@transaction.atomic
def substitute_session(*, session: Session, substitute: Staff, reason: str, acting_user) -> Session:
    """Give one session to a substitute, who must be vetted and free at that time."""
    if substitute.school_id != session.school_id:
        raise ProgramError(_("%(thing)s belongs to another school.") % {"thing": substitute})
    require_assignable(substitute)
    clashes = session_clashes(
        school_id=session.school_id,
        date=session.date,
        start=session.start,
        end=session.end,
        instructor_id=substitute.pk,
        exclude_id=session.pk,
    )
    if clashes:
        raise ProgramError(clashes)
    original = session.substitute_for_id or session.instructor_id
    return _change(
        session,
        kind=SessionChange.Kind.SUBSTITUTED,
        new={"instructor_id": substitute.pk, "substitute_for_id": original},
        reason=reason,
        acting_user=acting_user,
    )
