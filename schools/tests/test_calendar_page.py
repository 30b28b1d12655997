"""Leaders keep the school calendar from its page; others only read it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from audit.models import AuditEvent
from lib import testing as make
from schools.models import CalendarEntry, HolidayYear


def test_calendar_page_lists_days_with_sources(as_user, principal):
    make.make_term(principal.school, start=dt.date(2026, 9, 28), end=dt.date(2026, 10, 12))
    page = as_user(principal).get(reverse("schools:calendar")).content.decode()
    assert "2026-10-10" in page and "国务院安排" in page


def test_principal_adds_a_closure(as_user, principal):
    make.make_term(principal.school)
    response = as_user(principal).post(
        reverse("schools:calendar_add_entry"),
        {"date": "2026-11-11", "kind": "closure", "note": "校运会"},
    )
    assert response.status_code == 302
    assert CalendarEntry.objects.get(school=principal.school).kind == "closure"
    assert AuditEvent.objects.filter(action="calendar.entry_set").count() == 1


def test_invented_holiday_in_a_known_year_is_refused_with_a_message(as_user, principal):
    make.make_term(principal.school)
    client = as_user(principal)
    response = client.post(
        reverse("schools:calendar_add_entry"),
        {"date": "2026-11-02", "kind": "holiday", "note": "?"},
        follow=True,
    )
    assert "停课" in response.content.decode()  # "enter a school closure instead"
    assert not CalendarEntry.objects.exists()
    assert not AuditEvent.objects.exists()


def test_unknown_year_asks_the_school_to_enter_it(as_user, principal):
    make.make_term(principal.school, start=dt.date(2026, 12, 1), end=dt.date(2027, 1, 22))
    client = as_user(principal)
    page = client.get(reverse("schools:calendar")).content.decode()
    assert "2027" in page and "尚未收录" in page
    client.post(reverse("schools:calendar_add_entry"), {"date": "2027-01-01", "kind": "holiday", "note": "元旦"})
    client.post(reverse("schools:calendar_declare_year"), {"year": "2027", "source": "国办发明电〔2026〕"})
    assert HolidayYear.objects.filter(school=principal.school, year=2027).exists()
    response = client.get(reverse("schools:calendar"))
    assert response.context["school_day_count"] > 0
    assert not any(d.is_school_day for d in response.context["days"] if d.date == dt.date(2027, 1, 1))


def test_teacher_reads_but_cannot_edit(as_user, teacher):
    make.make_term(teacher.school)
    client = as_user(teacher)
    assert client.get(reverse("schools:calendar")).status_code == 200
    response = client.post(reverse("schools:calendar_add_entry"), {"date": "2026-11-11", "kind": "closure"})
    assert response.status_code == 403
    assert not CalendarEntry.objects.exists()


def test_another_school_cannot_remove_our_entry(as_user, principal, outsider):
    entry = CalendarEntry.objects.create(school=principal.school, date=dt.date(2026, 11, 11), kind="closure")
    response = as_user(outsider).post(reverse("schools:calendar_remove_entry", args=[entry.pk]))
    assert response.status_code == 404
    assert CalendarEntry.objects.filter(pk=entry.pk).exists()


def test_guardian_may_not_see_the_staff_calendar(as_user, guardian_a):
    assert as_user(guardian_a).get(reverse("schools:calendar")).status_code == 403
