"""The term calendar: official holidays out, 调休 Saturdays in, closures out, unknown years refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lib import testing as make
from schools.calendar import CalendarYearUnknown, Source, school_days, term_calendar
from schools.models import CalendarEntry, HolidayYear

D = dt.date


@pytest.fixture
def autumn_term(school_a):
    # 2026 autumn: 1 Sep – 31 Dec 2026 (a year chinese-calendar knows).
    return make.make_term(school_a, start=D(2026, 9, 1), end=D(2026, 12, 31))


def _dates(days):
    return {d.date for d in days}


def test_national_day_week_is_out(autumn_term):
    """2026 National Day: 1–7 Oct are holidays (State Council 2025 notice)."""
    dates = _dates(school_days(autumn_term))
    for day in range(1, 8):
        assert D(2026, 10, day) not in dates
    assert D(2026, 9, 30) in dates  # Wednesday before the holiday
    assert D(2026, 10, 9) in dates  # Friday after


def test_adjusted_saturday_is_a_school_day(autumn_term):
    """Saturday 10 Oct 2026 is an adjusted working day (调休) and so a school day."""
    days = {d.date: d for d in term_calendar(autumn_term)}
    assert days[D(2026, 10, 10)].is_school_day
    assert days[D(2026, 10, 10)].source == Source.OFFICIAL
    assert not days[D(2026, 10, 17)].is_school_day  # an ordinary Saturday


def test_adjusted_saturday_follows_the_announced_timetable(autumn_term):
    CalendarEntry.objects.create(
        school=autumn_term.school, date=D(2026, 10, 10), kind="workday", follows_weekday=3
    )
    thursdays = _dates(school_days(autumn_term, weekdays=[3]))
    assert D(2026, 10, 10) in thursdays
    assert D(2026, 10, 15) in thursdays
    assert D(2026, 10, 10) not in _dates(school_days(autumn_term, weekdays=[0]))


def test_unannounced_adjusted_day_runs_no_weekday_timetable(autumn_term):
    """Until the school says which timetable 10 Oct follows, no weekday filter claims it."""
    all_weekdays = _dates(school_days(autumn_term, weekdays=range(5)))
    assert D(2026, 10, 10) in _dates(school_days(autumn_term))
    assert D(2026, 10, 10) not in all_weekdays


def test_school_closure_is_out(autumn_term):
    CalendarEntry.objects.create(
        school=autumn_term.school, date=D(2026, 11, 11), kind="closure", note="运动会场地维修"
    )
    days = {d.date: d for d in term_calendar(autumn_term)}
    assert not days[D(2026, 11, 11)].is_school_day
    assert days[D(2026, 11, 11)].source == Source.CLOSURE
    assert days[D(2026, 11, 12)].is_school_day


def test_closure_of_one_school_does_not_close_another(autumn_term, school_b):
    CalendarEntry.objects.create(school=school_b, date=D(2026, 11, 11), kind="closure")
    assert D(2026, 11, 11) in _dates(school_days(autumn_term))


def test_counts_the_autumn_term(autumn_term):
    """1 Sep – 31 Dec 2026 has 88 weekdays. Out: Mid-Autumn Fri 25 Sep and the National Day
    weekdays Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 Oct (6 days). In: the adjusted working
    days Sun 20 Sep and Sat 10 Oct (2 days). 88 − 6 + 2 = 84 school days."""
    assert len(school_days(autumn_term)) == 84
    assert D(2026, 9, 20) in _dates(school_days(autumn_term))
    assert D(2026, 9, 25) not in _dates(school_days(autumn_term))


def test_unknown_year_is_refused_not_guessed(school_a):
    """A term into January 2027 needs the school to enter 2027's holidays first."""
    term = make.make_term(school_a, start=D(2026, 12, 1), end=D(2027, 1, 22))
    with pytest.raises(CalendarYearUnknown) as exc:
        school_days(term)
    assert exc.value.years == [2027]


def test_school_entered_year_uses_its_entries(school_a):
    term = make.make_term(school_a, start=D(2026, 12, 28), end=D(2027, 1, 10))
    HolidayYear.objects.create(school=school_a, year=2027, source="区教育局转发")
    CalendarEntry.objects.create(school=school_a, date=D(2027, 1, 1), kind="holiday", note="元旦")
    CalendarEntry.objects.create(
        school=school_a, date=D(2027, 1, 9), kind="workday", follows_weekday=4, note="调休"
    )
    days = {d.date: d for d in term_calendar(term)}
    assert not days[D(2027, 1, 1)].is_school_day
    assert days[D(2027, 1, 1)].source == Source.SCHOOL
    assert days[D(2027, 1, 4)].is_school_day and days[D(2027, 1, 4)].source == Source.SCHOOL
    assert days[D(2027, 1, 9)].is_school_day and days[D(2027, 1, 9)].timetable_weekday == 4
    assert days[D(2026, 12, 31)].source == Source.OFFICIAL


def test_entries_may_not_contradict_a_known_year(school_a):
    bad_holiday = CalendarEntry(school=school_a, date=D(2026, 11, 2), kind="holiday")
    with pytest.raises(ValidationError):
        bad_holiday.full_clean()
    bad_workday = CalendarEntry(
        school=school_a, date=D(2026, 10, 17), kind="workday", follows_weekday=0
    )
    with pytest.raises(ValidationError):
        bad_workday.full_clean()
    saturday_without_timetable = CalendarEntry(school=school_a, date=D(2026, 10, 10), kind="workday")
    with pytest.raises(ValidationError):
        saturday_without_timetable.full_clean()
