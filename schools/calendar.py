"""The term calendar: which days are school days, and whose word it is.

School days are the official working days within the term (chinese-calendar: public
holidays out, adjusted working weekends 调休 in), minus the school's own closures. For a
year the package does not know yet, the school enters that year's holidays and adjusted
days itself and declares the year entered (``HolidayYear``); until then the calendar
refuses to answer for that year instead of guessing that every weekday is a school day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import chinese_calendar
from django.utils.translation import gettext as _

from schools.models import CalendarEntry, HolidayYear, Term

ONE_DAY = dt.timedelta(days=1)


class Source:
    """Where a day's status comes from; shown on the calendar page."""

    OFFICIAL = "official"  # the State Council schedule as packaged in chinese-calendar
    SCHOOL = "school"  # entered by the school (unknown year, or a timetable announcement)
    CLOSURE = "closure"  # a school closure


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    is_school_day: bool
    # Which weekday's timetable runs (0 = Monday … 4 = Friday); None when no school or when
    # the school has not yet announced the timetable of an adjusted weekend day.
    timetable_weekday: int | None
    source: str
    reason: str = ""

    @property
    def is_adjusted_workday(self) -> bool:
        return self.is_school_day and self.date.weekday() >= 5


class CalendarYearUnknown(Exception):
    """The official schedule for a year is neither packaged nor entered by the school."""

    def __init__(self, years: Iterable[int]):
        self.years = sorted(set(years))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(
            "The official holidays of %(years)s are not known to Kehou yet. Enter that year's "
            "holidays and adjusted working days in the school calendar, then mark the year "
            "as entered."
        ) % {"years": ", ".join(str(y) for y in self.years)}


@cache
def official_year_known(year: int) -> bool:
    """Return whether chinese-calendar carries the State Council schedule for ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@cache  # a pure function of the date and the packaged schedule; every term asks again
def _official_day(date: dt.date) -> tuple[bool, str]:
    """Return (is working day, holiday name) from the packaged official schedule."""
    on_holiday, name = chinese_calendar.get_holiday_detail(date)
    working = chinese_calendar.is_workday(date)
    return working, (name or "") if on_holiday else ""


def term_calendar(term: Term) -> list[CalendarDay]:
    """Return every day of ``term`` with its status and source (two queries)."""
    return calendar_between(school_id=term.school_id, start=term.start, end=term.end)


def calendar_between(*, school_id: int, start: dt.date, end: dt.date) -> list[CalendarDay]:
    """Return every day from ``start`` to ``end`` inclusive for one school."""
    entries = {
        e.date: e
        for e in CalendarEntry.objects.filter(school_id=school_id, date__range=(start, end))
    }
    declared = set(
        HolidayYear.objects.filter(school_id=school_id).values_list("year", flat=True)
    )
    return _days(start, end, entries, declared)


def term_calendars(terms: Iterable[Term]) -> dict[int, list[CalendarDay] | CalendarYearUnknown]:
    """Return term id → every day of the term, for many schools in two queries (district views).

    A term whose calendar year is unknown maps to its :class:`CalendarYearUnknown`.
    """
    terms = list(terms)
    if not terms:
        return {}
    school_ids = {t.school_id for t in terms}
    span = (min(t.start for t in terms), max(t.end for t in terms))
    entries: dict[int, dict[dt.date, CalendarEntry]] = {sid: {} for sid in school_ids}
    for e in CalendarEntry.objects.filter(school_id__in=school_ids, date__range=span):
        entries[e.school_id][e.date] = e
    declared: dict[int, set[int]] = {sid: set() for sid in school_ids}
    for sid, year in HolidayYear.objects.filter(school_id__in=school_ids).values_list("school_id", "year"):
        declared[sid].add(year)
    out: dict[int, list[CalendarDay] | CalendarYearUnknown] = {}
    for term in terms:
        try:
            out[term.pk] = _days(term.start, term.end, entries[term.school_id], declared[term.school_id])
        except CalendarYearUnknown as exc:
            out[term.pk] = exc
    return out


def _days(
    start: dt.date, end: dt.date, entries: dict[dt.date, CalendarEntry], declared: set[int]
) -> list[CalendarDay]:
    unknown = {
        y
        for y in range(start.year, end.year + 1)
        if not official_year_known(y) and y not in declared
    }
    if unknown:
        raise CalendarYearUnknown(unknown)

    days = []
    date = start
    while date <= end:
        days.append(_classify(date, entries.get(date)))
        date += ONE_DAY
    return days


def _classify(date: dt.date, entry: CalendarEntry | None) -> CalendarDay:
    if official_year_known(date.year):
        working, holiday = _official_day(date)
        source = Source.OFFICIAL
        reason = holiday
    else:
        # A year the school entered itself: weekdays work unless it entered a holiday.
        working = date.weekday() < 5
        source, reason = Source.SCHOOL, ""
        if entry and entry.kind == CalendarEntry.Kind.HOLIDAY:
            working, reason = False, entry.note or _("Public holiday")
        elif entry and entry.kind == CalendarEntry.Kind.WORKDAY:
            working, reason = True, entry.note

    if not working:
        return CalendarDay(date, False, None, source, reason or _("Weekend"))
    if entry and entry.kind == CalendarEntry.Kind.CLOSURE:
        return CalendarDay(date, False, None, Source.CLOSURE, entry.note or _("School closure"))

    timetable: int | None = date.weekday()
    if date.weekday() >= 5:
        # An adjusted working weekend runs the weekday timetable the school announced.
        timetable = entry.follows_weekday if entry else None
        if entry and entry.kind == CalendarEntry.Kind.WORKDAY and source == Source.OFFICIAL:
            source = Source.SCHOOL if entry.follows_weekday is not None else source
        reason = reason or _("Adjusted working day")
    return CalendarDay(date, True, timetable, source, reason)


def school_days(term: Term, *, weekdays: Iterable[int] | None = None) -> list[CalendarDay]:
    """Return the school days of ``term``; with ``weekdays`` only those running those timetables.

    ``weekdays`` uses Python's numbering (0 = Monday). An adjusted weekend day counts for
    the weekday whose timetable it follows.
    """
    wanted = set(weekdays) if weekdays is not None else None
    return [
        day
        for day in term_calendar(term)
        if day.is_school_day and (wanted is None or day.timetable_weekday in wanted)
    ]


def unannounced_timetables(days: Iterable[CalendarDay]) -> list[CalendarDay]:
    """Return adjusted working days whose timetable the school has not announced yet."""
    return [d for d in days if d.is_school_day and d.timetable_weekday is None]


def entry_problem(*, date: dt.date, kind: str) -> str | None:
    """Return why a calendar entry contradicts the official schedule, or None.

    In a year chinese-calendar knows, the school may close on a working day or announce
    the timetable of an adjusted working weekend, but not invent holidays or working days.
    """
    if not official_year_known(date.year):
        return None
    working, _name = _official_day(date)
    if kind == CalendarEntry.Kind.HOLIDAY:
        return _("%(date)s: the official calendar of %(year)s is known; enter a school closure instead.") % {
            "date": date, "year": date.year}
    if kind == CalendarEntry.Kind.WORKDAY and not working:
        return _("%(date)s is not an official working day.") % {"date": date}
    if kind == CalendarEntry.Kind.CLOSURE and not working:
        return _("%(date)s is not a working day; there is nothing to close.") % {"date": date}
    return None
