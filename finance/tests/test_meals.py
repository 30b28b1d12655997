"""Plan 7 七 1(2): 在校午餐餐费每月结算一次，于当月初的五个工作日内…收费。每天每餐大约15元.
Lunch is 代收费 (collected for the vendor): billed per child per month, kept on its own accounts."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from attendance.models import LeaveNote
from enrollment.tests.conftest import published_term
from finance.ledger import LedgerError, balance
from finance.meals import bill_meals, billing_date, pay_meal_vendor
from finance.models import JournalEntry
from plans.presets import load_preset
from schools.models import CalendarEntry

D = Decimal
NOON = dt.datetime(2026, 11, 20, 4, 0, tzinfo=dt.UTC)


@pytest.fixture
def meal_term(school_a):
    """Plan 1's autumn 2026 term with plan 7's lunch rule: 15.00 a meal, billed within five working days."""

    def with_lunch(document):
        document["fees"]["meals"] = copy.deepcopy(load_preset("p7").document["fees"]["meals"])

    term = published_term(school_a, "p1", with_lunch)
    CalendarEntry.objects.create(school=school_a, date=dt.date(2026, 10, 10), kind="workday", follows_weekday=3)
    return term


def test_the_month_bill_is_meals_on_school_days_less_leave_days(meal_term, child_b, teacher, approved):
    """November 2026 has 21 weekdays and no holiday. A whole-day leave note on Wed 11 Nov takes
    one meal off; a leave note for one club session does not, nor does a cancelled note.
    20 meals × 15.00 = 300.00, dated Tue 1 Dec, the first working day of December."""
    approved(meal_term, child_b, meals=True)
    LeaveNote.objects.create(school=meal_term.school, student=child_b, date=dt.date(2026, 11, 11),
                             reason="病假", reported_by=teacher.user)
    LeaveNote.objects.create(school=meal_term.school, student=child_b, date=dt.date(2026, 11, 12),
                             reason="取消", reported_by=teacher.user, cancelled_at=NOON)
    [bill] = bill_meals(term=meal_term, year=2026, month=11, acting_user=None)
    assert (bill.school_days, bill.leave_days, bill.meals, bill.amount) == (21, 1, 20, D("300.00"))
    assert bill.date == dt.date(2026, 12, 1)
    assert balance(school_id=meal_term.school_id, account="receivable:meals", student_id=child_b.pk) == D("300.00")
    assert balance(school_id=meal_term.school_id, account="payable:meal_vendor") == D("-300.00")
    # Kept apart: the service fund's accounts are untouched.
    assert balance(school_id=meal_term.school_id, account="receivable:service") == D("0.00")
    # The memo is written in the default language (zh-hans): "15.00 × 20 meals (21 school days − 1 on leave) = 300.00"
    assert "15.00 × 20 餐（21 个上课日 − 请假 1 天）= 300.00" in JournalEntry.objects.get().memo


def test_a_month_is_billed_once_per_child(meal_term, child_b, approved):
    approved(meal_term, child_b, meals=True)
    bill_meals(term=meal_term, year=2026, month=11, acting_user=None)
    bill_meals(term=meal_term, year=2026, month=11, acting_user=None)
    assert JournalEntry.objects.filter(source_type="meal_bill").count() == 1


def test_children_without_lunch_are_not_billed(meal_term, child_b, approved):
    approved(meal_term, child_b, meals=False)
    assert bill_meals(term=meal_term, year=2026, month=11, acting_user=None) == []


def test_the_bill_goes_out_within_the_first_five_working_days_of_the_next_month(meal_term):
    """September 2026's bill goes out in October. 1–7 Oct are the National Day holiday (Thu 1 –
    Wed 7), so the working days are Thu 8, Fri 9, Sat 10 (调休), Mon 12, Tue 13 Oct: the first
    is 8 Oct, the fifth 13 Oct, and a sixth is outside plan 7's five."""
    school = meal_term.school_id
    assert billing_date(school_id=school, year=2026, month=9, nth=1) == dt.date(2026, 10, 8)
    assert billing_date(school_id=school, year=2026, month=9, nth=5) == dt.date(2026, 10, 13)
    with pytest.raises(LedgerError):
        bill_meals(term=meal_term, year=2026, month=9, acting_user=None, on_working_day=6)


def test_september_meals_skip_the_mid_autumn_holiday(meal_term, child_b, approved):
    """September 2026: 22 weekdays − Fri 25 Sep (中秋) + Sun 20 Sep (调休) = 22 school days → 330.00."""
    approved(meal_term, child_b, meals=True)
    [bill] = bill_meals(term=meal_term, year=2026, month=9, acting_user=None)
    assert (bill.meals, bill.amount, bill.date) == (22, D("330.00"), dt.date(2026, 10, 8))


def test_paying_the_vendor_clears_the_payable(meal_term, child_b, approved):
    """21 meals in November × 15.00 = 315.00 billed, then 315.00 paid to the vendor."""
    approved(meal_term, child_b, meals=True)
    bill_meals(term=meal_term, year=2026, month=11, acting_user=None)
    pay_meal_vendor(school=meal_term.school, term=meal_term, amount=D("315.00"), date=dt.date(2026, 12, 8),
                    reference="VENDOR-2026-11", acting_user=None)
    assert balance(school_id=meal_term.school_id, account="payable:meal_vendor") == D("0.00")
    assert balance(school_id=meal_term.school_id, account="bank") == D("-315.00")
