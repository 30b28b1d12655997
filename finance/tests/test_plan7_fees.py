"""Plan 7 (七 服务经费): noon care at 3 yuan per period, 11:10–13:30 counted as 3 periods,
government allocation first and the family pays the shortfall, settled 多退少补."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from finance.ledger import balance
from finance.services import charge_term, record_payment, settle_term, settlement_preview
from lib import testing as make
from plans.presets import load_preset
from plans.services import approve, create_draft, publish
from schools.models import CalendarEntry

D = Decimal


@pytest.fixture
def term7(school_a):
    """Autumn 2023 (plan 7 is a 2022 plan; from 2024 noon care is no longer 课后服务, so a
    2026 term could not publish it). The allocation is 300 yuan per student per term —
    plan 7 says only "上级拨款，不足部分向家长收取", so the figure is the test's own."""
    term = make.make_term(school_a, start=dt.date(2023, 9, 1), end=dt.date(2023, 12, 31))
    document = copy.deepcopy(load_preset("p7").document)
    document["governance"]["parent_committee_approval"] = None
    document["governance"]["complaint_phone"] = "0531-12345678"
    document["fees"]["government_allocation_per_student"] = "300.00"
    plan = create_draft(term=term, document=document, acting_user=None)
    approve(plan=plan, meeting_date=dt.date(2023, 8, 20), attendance=19, acting_user=None)
    publish(plan=plan, acting_user=None)
    # 2023-10-07 (Sat) and 2023-10-08 (Sun) were adjusted working days; the school followed
    # Friday's and Monday's timetables.
    CalendarEntry.objects.create(school=school_a, date=dt.date(2023, 10, 7), kind="workday", follows_weekday=4)
    CalendarEntry.objects.create(school=school_a, date=dt.date(2023, 10, 8), kind="workday", follows_weekday=0)
    return term


def test_noon_care_fee_allocation_and_settlement(term7, child_b):
    """Noon-care days 1 Sep – 31 Dec 2023: 86 weekdays − 6 holiday weekdays (29 Sep Mid-Autumn,
    2–6 Oct National Day) + 2 adjusted weekend days = 82 school days.
    Fee = 3.00 × 3 periods × 82 days = 738.00; the allocation pays 300.00; the family owes 438.00.
    They paid 500.00 in September → settlement refunds 62.00 (多退)."""
    [fee] = charge_term(term=term7, student=child_b, services={"noon_care"}, acting_user=None)
    assert (fee.service_days, fee.periods_per_day, fee.gross) == (82, 3, D("738.00"))
    assert (fee.allocation, fee.due) == (D("300.00"), D("438.00"))
    assert balance(school_id=term7.school_id, account="receivable:allocation") == D("300.00")
    record_payment(term=term7, student=child_b, amount=D("500.00"), date=dt.date(2023, 9, 8),
                   reference="ALIPAY-0908-1", acting_user=None)
    [row] = settlement_preview(term=term7, students=[child_b])
    assert (row.action, row.amount) == ("refund", D("62.00"))
    settle_term(term=term7, students=[child_b], acting_user=None, date=dt.date(2024, 1, 15))
    assert balance(school_id=term7.school_id, account="receivable:service", student_id=child_b.pk) == D("0.00")


def test_shortfall_is_topped_up_under_plan_7(term7, child_b):
    """Paid only 400.00 of 438.00: plan 7 settles 多退少补, so 38.00 stays owed (a top-up)."""
    charge_term(term=term7, student=child_b, services={"noon_care"}, acting_user=None)
    record_payment(term=term7, student=child_b, amount=D("400.00"), date=dt.date(2023, 9, 8),
                   reference="ALIPAY-0908-2", acting_user=None)
    [row] = settle_term(term=term7, students=[child_b], acting_user=None, date=dt.date(2024, 1, 15))
    assert (row.action, row.amount) == ("top_up", D("38.00"))
    assert balance(school_id=term7.school_id, account="receivable:service", student_id=child_b.pk) == D("38.00")
