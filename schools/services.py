"""Writes to a school's calendar. Calendar changes move fees and pay, so each is audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from audit.services import record_event
from schools.models import CalendarEntry, HolidayYear, School


@transaction.atomic
def set_calendar_entry(
    *,
    school: School,
    date: dt.date,
    kind: str,
    follows_weekday: int | None = None,
    note: str = "",
    acting_user,
) -> CalendarEntry:
    """Create or replace the school's entry for ``date`` (validated by ``CalendarEntry.clean``)."""
    entry = CalendarEntry.objects.filter(school=school, date=date).first()
    old = (
        {"kind": entry.kind, "follows_weekday": entry.follows_weekday, "note": entry.note}
        if entry
        else {}
    )
    entry = entry or CalendarEntry(school=school, date=date)
    entry.kind, entry.follows_weekday, entry.note = kind, follows_weekday, note
    entry.full_clean()
    entry.save()
    record_event(
        action="calendar.entry_set",
        subject=entry,
        actor=acting_user,
        old=old,
        new={"date": date.isoformat(), "kind": kind, "follows_weekday": follows_weekday, "note": note},
    )
    return entry


@transaction.atomic
def remove_calendar_entry(*, entry: CalendarEntry, acting_user) -> None:
    record_event(
        action="calendar.entry_removed",
        subject=entry,
        actor=acting_user,
        old={"date": entry.date.isoformat(), "kind": entry.kind, "note": entry.note},
    )
    entry.delete()


@transaction.atomic
def declare_holiday_year(*, school: School, year: int, source: str, acting_user) -> HolidayYear:
    """Record that the school has entered ``year``'s official holidays and adjusted days."""
    declared, created = HolidayYear.objects.get_or_create(
        school=school, year=year, defaults={"source": source}
    )
    if created:
        record_event(
            action="calendar.year_declared",
            subject=declared,
            actor=acting_user,
            new={"year": year, "source": source},
        )
    return declared
