"""Workload (核算工作量, plan 5): the parts add up to the total and reconcile with the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import testing as make
from people.roles import Role
from staffing.models import DutyAssignment, TeachingRecord
from staffing.selectors import window, workload

OUTCOMES = list(TeachingRecord.Outcome.values)
START = dt.date(2026, 10, 12)  # a Monday


@pytest.fixture
def people(school_a):
    term = make.make_term(school_a, start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31))
    staff = [make.make_staff(school_a, Role.TEACHER, name=f"老师{i}", login=False) for i in range(3)]
    return {"school": school_a, "term": term, "staff": staff}


def test_a_week_with_a_substitute_session(people):
    """Mon–Fri: 老师0 delivers 2 (1 late), misses 1; 老师1 substitutes 1 of 2 periods and has 1 duty day
    (two posts the same day count once)."""
    school, (a, b, _c) = people["school"], people["staff"]
    for day, teacher, outcome, periods in ((0, a, "delivered", 1), (1, a, "late_start", 1), (2, a, "missed", 1),
                                           (3, b, "substitute", 2)):
        TeachingRecord.objects.create(school=school, date=START + dt.timedelta(days=day), teacher=teacher,
                                      outcome=outcome, periods=periods)
    for post in ("guard", "duty_leader"):
        DutyAssignment.objects.create(school=school, term=people["term"], date=START, post=post, staff=b)
    start, end = window("week", START + dt.timedelta(days=2), people["term"])
    rows = {w.name: w for w in workload(school_id=school.pk, start=start, end=end)}
    assert (rows["老师0"].delivered, rows["老师0"].own_periods, rows["老师0"].missed, rows["老师0"].sessions) == (2, 2, 1, 3)
    assert (rows["老师1"].substitute_periods, rows["老师1"].periods, rows["老师1"].duty_days) == (2, 2, 1)


records = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 40), st.sampled_from(OUTCOMES), st.integers(1, 3)), max_size=40)
duties = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 40), st.sampled_from(["guard", "cleaner"])), max_size=15)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=records, duties=duties, kind=st.sampled_from(["week", "month", "term"]), anchor=st.integers(0, 40))
def test_parts_add_up_to_the_total_and_reconcile_with_the_records(people, records, duties, kind, anchor):
    school, term, staff = people["school"], people["term"], people["staff"]
    TeachingRecord.objects.all().delete()
    DutyAssignment.objects.all().delete()
    TeachingRecord.objects.bulk_create([
        TeachingRecord(school=school, date=START + dt.timedelta(days=d), teacher=staff[i], outcome=o, periods=p)
        for i, d, o, p in records
    ])
    DutyAssignment.objects.bulk_create([
        DutyAssignment(school=school, term=term, date=START + dt.timedelta(days=d), post=post, staff=staff[i])
        for i, d, post in duties
    ], ignore_conflicts=True)
    start, end = window(kind, START + dt.timedelta(days=anchor), term)
    rows = workload(school_id=school.pk, start=start, end=end)
    in_window = TeachingRecord.objects.filter(school=school, date__range=(start, end))
    paid = in_window.filter(outcome__in=TeachingRecord.PAID)
    for w in rows:
        mine = in_window.filter(teacher_id=w.staff_id)
        assert w.sessions == mine.count()  # every outcome counted once
        assert w.own_periods + w.substitute_periods == w.periods
        assert w.periods == (paid.filter(teacher_id=w.staff_id).aggregate(s=Sum("periods"))["s"] or 0)
        assert w.substitute_periods == (mine.filter(outcome="substitute").aggregate(s=Sum("periods"))["s"] or 0)
        assert w.duty_days == len(set(DutyAssignment.objects.filter(
            staff_id=w.staff_id, date__range=(start, end)).values_list("date", flat=True)))
    assert sum(w.sessions for w in rows) == in_window.count()
    assert sum(w.delivered for w in rows) == paid.count()
    assert sum(w.periods for w in rows) == (paid.aggregate(s=Sum("periods"))["s"] or 0)


def test_the_workload_page_shows_everyone_to_leaders_and_oneself_to_a_teacher(as_user, principal, teacher, people):
    school, (a, _b, _c) = people["school"], people["staff"]
    for who in (a, teacher):
        TeachingRecord.objects.create(school=school, date=START, teacher=who, outcome="delivered")
    url = f"/staffing/workload/?term={people['term'].pk}&window=month&date={START.isoformat()}"
    leader_page = as_user(principal).get(url).content.decode()
    assert "老师0" in leader_page and "陈老师" in leader_page
    own_page = as_user(teacher).get(url).content.decode()
    assert "陈老师" in own_page and "老师0" not in own_page
