"""A month's pay run under plan 1, from payments, duties, teaching records and events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from finance.ledger import LedgerError, Line, balance, post_entry
from finance.services import record_payment
from finance.tests.test_plan1_fees import term1  # noqa: F401
from lib import testing as make
from payroll.models import PayLine
from payroll.services import build_pay_run, commit_pay_run, period_value
from people.roles import Role
from programs.models import Offering, Session
from programs.services import add_slot, create_offering
from programs.sessions import generate_sessions
from staffing.models import DutyAssignment, PerformanceEvent, TeachingRecord

D = Decimal
OCT = dt.date(2026, 10, 1)


@pytest.fixture
def school_month(term1, school_a, class_a):  # noqa: F811
    """Two teachers: 甲 every Monday, 乙 every Wednesday, 1 Sep – 31 Dec 2026.
    Mondays that are school days: Sep 4 + Oct 3 (12, 19, 26; 5 Oct is a holiday) + Nov 5 + Dec 4
    = 16 (Sunday 20 Sep runs Monday's timetable, announced in the fixture: +1 = 17).
    Wednesdays: Sep 5 + Oct 3 (7 Oct is a holiday) + Nov 4 + Dec 5 = 17. Planned periods: 34."""
    a = make.make_staff(school_a, Role.TEACHER, name="甲老师")
    b = make.make_staff(school_a, Role.TEACHER, name="乙老师")
    guard = make.make_staff(school_a, Role.GUARD, name="保安")
    room_a, room_b = make.make_venue(school_a, name="一室"), make.make_venue(school_a, name="二室")
    for teacher, weekday, room, name in ((a, 0, room_a, "语文答疑"), (b, 2, room_b, "数学答疑")):
        offering = create_offering(term=term1, kind=Offering.Kind.HOMEWORK_HELP, name=name, grades=[3], capacity=30,
                                   content="练习", activity_plan="第1周", acting_user=None)
        add_slot(offering=offering, weekday=weekday, start=dt.time(16, 30), end=dt.time(17, 30), venue=room,
                 instructor=teacher, acting_user=None)
    generate_sessions(term=term1, acting_user=None)
    for i, amount in enumerate(("800.00", "700.00")):
        record_payment(term=term1, student=make.make_student(class_a, name=f"付费{i}"), amount=D(amount),
                       date=dt.date(2026, 9, 5), reference=f"PAY-{i}", acting_user=None)
    post_entry(school=school_a, term=term1, date=dt.date(2026, 9, 30),
               lines=[Line("expense:consumables", D("100.00")), Line("bank", D("-100.00"))],
               memo="彩泥、宣纸", source_type="invoice", source_id="F-9", idempotency_key="inv-9", acting_user=None)
    for day in (12, 19, 26):
        DutyAssignment.objects.create(school=school_a, term=term1, date=dt.date(2026, 10, day), post="guard", staff=guard)
    for s in Session.objects.filter(date__month=10):
        TeachingRecord.objects.create(school=school_a, date=s.date, session=s, teacher=s.instructor,
                                      outcome="delivered", periods=1)
    late = Session.objects.get(date=dt.date(2026, 10, 21))
    PerformanceEvent.objects.create(school=school_a, staff=b, date=late.date, kind="late_early_or_swap",
                                    session=late, periods=1, evidence="迟到12分钟", source_key=f"session:{late.pk}")
    return {"a": a, "b": b, "guard": guard}


def test_period_value_from_the_pool(term1, school_month):  # noqa: F811
    """Fees collected 1,500.00 − guard 3 days × 30 = 90.00 − consumables 100.00 = 1,310.00
    over 34 planned periods = 38.529… a period (under the 60 cap)."""
    value, working = period_value(term1)
    assert working["pool"] == "1310.00" and working["periods"] == 34 and not working["capped"]
    assert value == D("1310.00") / 34


def test_october_pay_lines(term1, school_month):  # noqa: F811
    """October: 甲 3 Mondays → 3 × 38.529… = 115.59; 乙 3 Wednesdays → 115.59, minus one late
    period (38.53) → 77.06; the guard 3 duty days × 30 = 90.00."""
    run = build_pay_run(term=term1, month=OCT)
    lines = {line.staff.name: line for line in PayLine.objects.filter(run=run).select_related("staff")}
    assert (lines["甲老师"].periods, lines["甲老师"].teaching_pay, lines["甲老师"].net) == (3, D("115.59"), D("115.59"))
    assert (lines["乙老师"].deducted, lines["乙老师"].net) == (D("38.53"), D("77.06"))
    assert "late_early_or_swap" in lines["乙老师"].deductions[0]["rule"]
    assert (lines["保安"].subsidy, lines["保安"].net) == (D("90.00"), D("90.00"))


def test_commit_posts_once_to_the_ledger(term1, school_month, principal):  # noqa: F811
    run = build_pay_run(term=term1, month=OCT)
    commit_pay_run(run=run, acting_user=principal.user)
    with pytest.raises(LedgerError):
        commit_pay_run(run=run, acting_user=principal.user)
    with pytest.raises(LedgerError):
        build_pay_run(term=term1, month=OCT)
    assert balance(school_id=term1.school_id, account="expense:staff_pay") == D("192.65")  # 115.59 + 77.06
    assert balance(school_id=term1.school_id, account="expense:management_subsidies") == D("90.00")
