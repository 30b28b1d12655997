"""Weekly report and monthly summary (plan 5 五 3: 对教师的出勤和服务质量情况，每周一通报，每月一小结，并进行一次公示).

One club, 合唱社团, meets on Mondays and Wednesdays 16:30–17:30 in a term of three weeks
(Mon 12 – Fri 30 Oct 2026). The week of 12 Oct gets a known set of events through the
apps' services; the week of 19 Oct gets others, which the first week's report must not show.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from attendance.models import Incident
from attendance.services import take_roll_call
from attendance.services_log import report_incident
from finance.ledger import Line, post_entry
from finance.services import record_payment
from lib import testing as make
from payroll.models import PayLine, PayRun
from people.actor import actor_for
from people.roles import Role
from programs.models import Offering, Session
from programs.services import add_slot, create_offering
from programs.sessions import generate_sessions
from programs.tests.conftest import term_with_plan
from reports.periodic import MONTH, TERM, WEEK, Counts, period_report
from staffing.models import Inspection
from staffing.services import derive_day, record_inspection

MON, WED, NEXT_MON = dt.date(2026, 10, 12), dt.date(2026, 10, 14), dt.date(2026, 10, 19)
ID_NUMBER, PHONE = re.compile(r"\d{17}[\dXx]"), re.compile(r"1\d{10}")


def pdf_text(data: bytes) -> str:
    """Return the PDF's text as pdftotext reads it (poppler-utils, installed with the CJK font)."""
    command = ["pdftotext", "-", "-"]
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()  # noqa: S603, S607


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def week(school_a, class_a, child_a, child_b, principal):
    term = term_with_plan(school_a, "p3", start=MON, end=dt.date(2026, 10, 30))
    coach = make.make_staff(school_a, Role.TEACHER, name="周老师")
    room = make.make_venue(school_a, name="音乐室", capacity=40)
    choir = create_offering(
        term=term,
        kind=Offering.Kind.CLUB,
        name="合唱社团",
        grades=[3],
        capacity=40,
        content="合唱",
        activity_plan="第1周",
        acting_user=None,
    )
    for weekday in (0, 2):
        add_slot(
            offering=choir,
            weekday=weekday,
            start=dt.time(16, 30),
            end=dt.time(17, 30),
            venue=room,
            instructor=coach,
            acting_user=None,
        )
    generate_sessions(term=term, acting_user=None)
    teacher, leader = actor_for(coach.user), actor_for(principal.user)
    session = {s.date: s for s in Session.objects.filter(school=school_a)}

    # Week of 12 Oct. Monday: roll call on time; child_b absent without a note (an alert).
    take_roll_call(
        actor=teacher,
        date=MON,
        session=session[MON],
        now=at(MON, 16, 31),
        marks={child_a.pk: "present", child_b.pk: "absent"},
    )
    # Wednesday: roll call 12 minutes late (a late start: plan 1's "late" breach), child_a late, child_b on leave.
    take_roll_call(
        actor=teacher,
        date=WED,
        session=session[WED],
        now=at(WED, 16, 42),
        marks={child_a.pk: "late", child_b.pk: "leave"},
    )
    for day in (MON, WED):
        derive_day(school_id=school_a.pk, date=day)
    record_inspection(
        actor=leader,
        teacher=coach,
        kind=Inspection.Kind.RANDOM,
        at=at(WED, 16, 50),
        scores=(8, 7, 9),
    )
    report_incident(
        actor=teacher,
        kind=Incident.Kind.INJURY,
        severity=Incident.Severity.MINOR,
        students=[child_a],
        description="张小明 grazed a knee; cleaned and plastered.",
        now=at(WED, 17, 10),
    )
    record_payment(
        term=term,
        student=child_a,
        amount=Decimal("350.00"),
        date=dt.date(2026, 10, 13),
        reference="BANK-0001",
        acting_user=None,
    )
    post_entry(
        school=school_a,
        term=term,
        date=dt.date(2026, 10, 15),
        lines=[
            Line("income:refunds", Decimal("20.00")),
            Line("receivable:service", Decimal("-20.00"), child_a.pk),
        ],
        memo="Refund to 张小明 for absent days",
        source_type="absence_refund",
        source_id=f"{child_a.pk}:2026-10-15",
        idempotency_key="refund-test-1",
        acting_user=None,
    )

    # Week of 19 Oct: events the first week must not include.
    take_roll_call(
        actor=teacher,
        date=NEXT_MON,
        session=session[NEXT_MON],
        now=at(NEXT_MON, 16, 30),
        marks={child_a.pk: "present", child_b.pk: "present"},
    )
    derive_day(school_id=school_a.pk, date=NEXT_MON)
    report_incident(
        actor=teacher,
        kind=Incident.Kind.CONFLICT,
        severity=Incident.Severity.SERIOUS,
        students=[child_b],
        description="刘小红 pushed in the queue.",
        now=at(dt.date(2026, 10, 20), 17, 0),
    )
    record_payment(
        term=term,
        student=child_b,
        amount=Decimal("100.00"),
        date=dt.date(2026, 10, 21),
        reference="BANK-0002",
        acting_user=None,
    )
    return {"term": term, "coach": coach}


def test_weekly_report_shows_exactly_the_weeks_events(week):
    c = period_report(week["term"], WEEK, "2026-10-12", show_money=True).counts
    # Two sessions (Mon 12, Wed 14), both held: one on time, one started 12 minutes late.
    assert (c.sessions_scheduled, c.records, c.held, c.missed, c.late_early_swap) == (2, 2, 2, 0, 1)
    # Four marks: present, absent (Mon); late, leave (Wed). Attended = present + late = 2 of 4.
    assert (c.marks, c.present, c.absent, c.late, c.leave) == (4, 1, 1, 1, 1)
    assert c.attendance_rate == "50.0%"
    assert c.breaches == 1 and c.breaches_by_kind == {"late_early_or_swap": 1}
    assert (c.inspections, c.inspection_average) == (1, "24.0")  # 8 + 7 + 9
    assert (c.incidents, c.incidents_serious, dict(c.incidents_by_kind)) == (1, 0, {"injury": 1})
    assert dict(c.alerts_by_kind) == {"absent_without_leave": 1}  # child_b on Monday
    assert (c.paid, c.refunds, c.bank_in, c.charged) == (
        Decimal("350.00"),
        Decimal("20.00"),
        Decimal("350.00"),
        0,
    )


def test_next_weeks_events_stay_in_the_next_week(week):
    c = period_report(week["term"], WEEK, "2026-10-19", show_money=True).counts
    assert (c.sessions_scheduled, c.held, c.marks, c.present, c.breaches, c.inspections) == (
        2,
        1,
        2,
        2,
        0,
        0,
    )
    # The serious incident escalates: one alert per child involved.
    assert (c.incidents, c.incidents_serious, dict(c.alerts_by_kind)) == (
        1,
        1,
        {"incident_escalated": 1},
    )
    assert (c.paid, c.refunds) == (Decimal("100.00"), 0)


def test_monthly_summary_is_the_sum_of_its_weeks(week):
    term = week["term"]
    month = period_report(term, MONTH, "2026-10", show_money=True)
    weeks = [
        period_report(term, WEEK, key, show_money=True).counts
        for key in ("2026-10-12", "2026-10-19", "2026-10-26")
    ]
    assert [(w.start, w.end) for w in month.weeks] == [
        (dt.date(2026, 10, 12), dt.date(2026, 10, 18)),
        (dt.date(2026, 10, 19), dt.date(2026, 10, 25)),
        (dt.date(2026, 10, 26), dt.date(2026, 10, 30)),
    ]
    assert month.counts == sum(weeks, Counts()) == sum((w.counts for w in month.weeks), Counts())
    # Six sessions in the month (Mon and Wed of three weeks); three held; 450.00 paid.
    assert (month.counts.sessions_scheduled, month.counts.held, month.counts.paid) == (
        6,
        3,
        Decimal("450.00"),
    )
    assert (
        period_report(term, TERM, show_money=True).counts == month.counts
    )  # the term is that one month


def test_weekly_pdf_and_workbook_hold_the_figures(week, as_user, principal):
    client = as_user(principal.user)
    term = week["term"]
    pdf = client.get(reverse("reports:weekly_pdf", args=[term.pk, "2026-10-12"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "50.0%" in text and "350.00" in text and "20.00" in text and "24.0" in text
    assert "周老师" in text  # the internal report names the teacher with the late start

    xlsx = client.get(reverse("reports:weekly_xlsx", args=[term.pk, "2026-10-12"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [row[2].value for row in book["汇总"].iter_rows(min_row=3)]
    assert 350 in cells and 20 in cells and "50.0%" in cells and "24.0" in cells
    teachers = book.worksheets[1]
    assert [c.value for c in teachers[2]][:6] == ["周老师", 2, 2, 0, 1, 1]


def test_public_version_names_no_one(week, as_user, principal, child_a, child_b):
    client = as_user(principal.user)
    term = week["term"]
    page = client.get(
        reverse("reports:weekly_public", args=[term.pk, "2026-10-12"])
    ).content.decode()
    pdf = client.get(reverse("reports:weekly_public_pdf", args=[term.pk, "2026-10-12"])).content
    text = pdf_text(pdf)
    for body in (page, text):
        assert "50.0%" in body  # the totals are there
        for name in (child_a.name, child_b.name, "周老师"):
            assert name not in body
        assert not ID_NUMBER.search(body) and not PHONE.search(body)
        assert "350.00" not in body  # money is published in the public accounts, not here


def test_who_may_read_the_reports(
    week, as_user, principal, finance, teacher, guard, guardian_a, outsider, school_b
):
    term = week["term"]
    named = reverse("reports:weekly", args=[term.pk, "2026-10-12"])
    public = reverse("reports:weekly_public", args=[term.pk, "2026-10-12"])
    assert as_user(principal.user).get(named).status_code == 200
    assert as_user(finance.user).get(named).status_code == 200
    assert (
        as_user(teacher.user).get(named).status_code == 403
    )  # the head teacher: public version only
    assert as_user(teacher.user).get(public).status_code == 200
    assert as_user(guardian_a.user).get(public).status_code == 403
    assert as_user(outsider.user).get(named).status_code == 404  # another school's principal
    other = make.make_term(school_b)
    client = as_user(principal.user)
    assert client.get(reverse("reports:term", args=[other.pk])).status_code == 404
    for bad in (
        "2026-10-13",
        "2026-13-01",
        "nonsense",
        "2027-01-04",
    ):  # not a Monday, no date, outside the term
        assert client.get(reverse("reports:weekly", args=[term.pk, bad])).status_code == 404
    assert client.get(reverse("reports:monthly", args=[term.pk, "2026-11"])).status_code == 404
    index = client.get(reverse("reports:period_index", args=[term.pk])).content.decode()
    assert reverse("reports:weekly", args=[term.pk, "2026-10-26"]) in index
    assert reverse("reports:monthly", args=[term.pk, "2026-10"]) in index
    assert (
        reverse("reports:period_index", args=[term.pk])
        in client.get(reverse("home")).content.decode()
    )
    finance_home = as_user(finance.user).get(reverse("home")).content.decode()
    assert reverse("reports:period_index", args=[term.pk]) in finance_home


def _queries(term) -> int:
    with CaptureQueriesContext(connection) as ctx:
        period_report(term, TERM, show_money=True)
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_children_and_sessions(week, class_a, django_assert_num_queries):
    term = week["term"]
    before = _queries(term)
    leader = actor_for(week["coach"].user)
    children = [make.make_student(class_a, name=f"新生{i}") for i in range(30)]
    session = Session.objects.get(date=dt.date(2026, 10, 21))
    take_roll_call(
        actor=leader,
        date=session.date,
        session=session,
        now=at(session.date, 16, 30),
        marks={child.pk: "present" for child in children},
    )
    derive_day(school_id=term.school_id, date=session.date)
    with django_assert_num_queries(before):
        report = period_report(term, TERM, show_money=True)
    assert report.counts.marks == 6 + 30


def test_monthly_summary_shows_the_months_pay_deductions(week):
    """A committed pay run's deductions appear in the month's summary, never in the public notice."""
    term, coach = week["term"], week["coach"]
    run = PayRun.objects.create(
        school=term.school, term=term, month=dt.date(2026, 10, 1), period_value=Decimal("50")
    )
    # A pay line as payroll.services writes it; the amounts are set here (the ladder is payroll's test).
    PayLine.objects.create(
        run=run,
        staff=coach,
        periods=3,
        teaching_pay=Decimal("150.00"),
        subsidy=0,
        deducted=Decimal("50.00"),
        net=Decimal("100.00"),
    )
    month = period_report(term, MONTH, "2026-10", show_money=True)
    assert month.pay_deducted == Decimal("50.00")
    with translation.override("en"):
        assert (str(month.sections()[2].rows[-1][0]), month.sections()[2].rows[-1][1]) == (
            "deducted in the month's pay runs (yuan)",
            Decimal("50.00"),
        )
    public = period_report(term, MONTH, "2026-10", show_money=False, public=True)
    assert public.pay_deducted is None and public.listings == []


def _page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_report_page_queries_do_not_grow_with_children(week, class_a, as_user, principal):
    term = week["term"]
    client = as_user(principal.user)
    url = reverse("reports:monthly", args=[term.pk, "2026-10"])
    before = _page_queries(client, url)
    children = [make.make_student(class_a, name=f"新生{i}") for i in range(30)]
    session = Session.objects.get(date=dt.date(2026, 10, 26))
    take_roll_call(
        actor=actor_for(week["coach"].user),
        date=session.date,
        session=session,
        now=at(session.date, 16, 30),
        marks={child.pk: "present" for child in children},
    )
    derive_day(school_id=term.school_id, date=session.date)
    assert _page_queries(client, url) == before
