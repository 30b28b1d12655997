"""Plan 1 (一(一) 收费办法): 350 yuan per student per term; low-income children waived; a child
absent more than a week in a row gets the absent days back. Figures worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from enrollment.tests.conftest import published_term
from finance.ledger import (
    LedgerError,
    Line,
    balance,
    balances_by_account,
    post_entry,
    reverse_entry,
)
from finance.models import AppendOnly, JournalEntry, JournalLine
from finance.services import (
    charge_term,
    record_payment,
    refund_absences,
    settle_term,
    settlement_preview,
)
from schools.models import CalendarEntry

D = Decimal


@pytest.fixture
def term1(school_a):
    """Plan 1 on 1 Sep – 31 Dec 2026, with both adjusted working weekend days announced, so
    the after-school service runs on all 84 school days (see schools/tests/test_calendar.py)."""
    term = published_term(school_a, "p1")
    CalendarEntry.objects.create(school=school_a, date=dt.date(2026, 9, 20), kind="workday", follows_weekday=0)
    CalendarEntry.objects.create(school=school_a, date=dt.date(2026, 10, 10), kind="workday", follows_weekday=3)
    return term


def test_full_term_is_350(term1, child_b):
    [fee] = charge_term(term=term1, student=child_b, services={"after_school"}, acting_user=None)
    assert (fee.gross, fee.waived, fee.due, fee.service_days) == (D("350.00"), D("0.00"), D("350.00"), 84)
    assert balance(school_id=term1.school_id, account="receivable:service", student_id=child_b.pk) == D("350.00")


def test_low_income_child_is_waived_in_full(term1, child_a):
    """child_a is flagged 家庭经济困难; plan 1: 对家庭经济困难学生参加课后服务的要减免费用 (preset: 100 %)."""
    [fee] = charge_term(term=term1, student=child_a, services={"after_school"}, acting_user=None)
    assert (fee.gross, fee.waived, fee.due) == (D("350.00"), D("350.00"), D("0.00"))
    assert balance(school_id=term1.school_id, account="receivable:service", student_id=child_a.pk) == D("0.00")


def test_joining_late_is_prorated_by_school_days(term1, child_b):
    """Enrolled from Mon 2 Nov: of the 84 service days, 2 Nov – 31 Dec holds 44
    (Nov: 21 weekdays, Dec: 23 weekdays, no holidays) → 350 × 44 / 84 = 183.333… → 183.33."""
    [fee] = charge_term(term=term1, student=child_b, services={"after_school"}, acting_user=None,
                        enrolled_from=dt.date(2026, 11, 2))
    assert fee.enrolled_days == 44
    assert fee.gross == D("183.33")


def test_eight_school_days_absent_in_a_row_are_refunded(term1, child_b):
    """Absent Mon 9 Nov – Wed 18 Nov: 8 school days in a row, more than the 5 of "一周".
    Refund = 350 ÷ 84 × 8 = 33.333… → 33.33."""
    charge_term(term=term1, student=child_b, services={"after_school"}, acting_user=None)
    absent = {dt.date(2026, 11, d) for d in (9, 10, 11, 12, 13, 16, 17, 18)}
    [refund] = refund_absences(term=term1, student=child_b, services={"after_school"}, absent=absent, acting_user=None)
    assert (refund.days, refund.amount) == (8, D("33.33"))
    assert balance(school_id=term1.school_id, account="receivable:service", student_id=child_b.pk) == D("316.67")
    # Running it again refunds nothing more.
    refund_absences(term=term1, student=child_b, services={"after_school"}, absent=absent, acting_user=None)
    assert balance(school_id=term1.school_id, account="income:refunds") == D("33.33")


def test_five_days_absent_is_not_more_than_a_week(term1, child_b):
    charge_term(term=term1, student=child_b, services={"after_school"}, acting_user=None)
    absent = {dt.date(2026, 11, d) for d in (9, 10, 11, 12, 13)}
    assert refund_absences(term=term1, student=child_b, services={"after_school"}, absent=absent, acting_user=None) == []


def test_settlement_refunds_the_excess_once(term1, child_b):
    """Paid 350, refunded 33.33 for absence → the school owes 33.33; plan 1 is 多退少不补."""
    charge_term(term=term1, student=child_b, services={"after_school"}, acting_user=None)
    record_payment(term=term1, student=child_b, amount=D("350.00"), date=dt.date(2026, 9, 5),
                   reference="WX20260905001", acting_user=None)
    absent = {dt.date(2026, 11, d) for d in (9, 10, 11, 12, 13, 16, 17, 18)}
    refund_absences(term=term1, student=child_b, services={"after_school"}, absent=absent, acting_user=None)
    [row] = settlement_preview(term=term1, students=[child_b])
    assert (row.action, row.amount) == ("refund", D("33.33"))
    settle_term(term=term1, students=[child_b], acting_user=None, date=dt.date(2027, 1, 20))
    settle_term(term=term1, students=[child_b], acting_user=None, date=dt.date(2027, 1, 20))
    assert balance(school_id=term1.school_id, account="receivable:service", student_id=child_b.pk) == D("0.00")
    assert balance(school_id=term1.school_id, account="bank") == D("316.67")


def test_the_same_payment_twice_posts_once(term1, child_b):
    for _ in range(2):
        record_payment(term=term1, student=child_b, amount=D("100.00"), date=dt.date(2026, 9, 5),
                       reference="BANK-7788", acting_user=None)
    assert JournalEntry.objects.filter(source_type="payment").count() == 1


def test_ledger_always_balances_and_is_append_only(term1, child_b):
    charge_term(term=term1, student=child_b, services={"after_school"}, acting_user=None)
    assert sum(balances_by_account(school_id=term1.school_id).values(), D(0)) == D("0.00")
    entry = JournalEntry.objects.get()
    with pytest.raises(AppendOnly):
        entry.memo = "改一下"
        entry.save()
    with pytest.raises(AppendOnly):
        JournalLine.objects.first().delete()


def test_a_correction_is_a_reversing_entry(term1, child_b):
    record_payment(term=term1, student=child_b, amount=D("35.00"), date=dt.date(2026, 9, 5),
                   reference="TYPO-1", acting_user=None)
    wrong = JournalEntry.objects.get(source_type="payment")
    reverse_entry(entry=wrong, memo="金额录错", acting_user=None)
    assert balance(school_id=term1.school_id, account="bank") == D("0.00")
    with pytest.raises(LedgerError):
        reverse_entry(entry=wrong, memo="again", acting_user=None)
    assert JournalEntry.objects.count() == 2


def test_an_expense_outside_the_plan_is_refused(term1):
    """Plan 1 allows staff pay, external staff, consumables and upkeep; not utilities."""
    with pytest.raises(LedgerError) as exc:
        post_entry(school=term1.school, term=term1, date=dt.date(2026, 10, 1),
                   lines=[Line("expense:utilities", D("120.00")), Line("bank", D("-120.00"))],
                   memo="电费", source_type="invoice", source_id="F-1", idempotency_key="f1", acting_user=None)
    assert "专款专用" in exc.value.message
    assert not JournalEntry.objects.exists()
    post_entry(school=term1.school, term=term1, date=dt.date(2026, 10, 1),
               lines=[Line("expense:consumables", D("80.50")), Line("bank", D("-80.50"))],
               memo="彩泥", source_type="invoice", source_id="F-2", idempotency_key="f2", acting_user=None)


def test_unbalanced_or_sub_fen_entries_are_refused(term1):
    for lines in (
        [Line("bank", D("10.00")), Line("income:service_fees", D("-9.99"))],
        [Line("bank", D("10.001")), Line("income:service_fees", D("-10.001"))],
    ):
        with pytest.raises(LedgerError):
            post_entry(school=term1.school, term=term1, date=dt.date(2026, 10, 1), lines=lines, memo="x",
                       source_type="t", source_id="1", idempotency_key=str(lines), acting_user=None)
    assert not JournalEntry.objects.exists()


def test_money_writes_are_audited_once_each(term1, child_b):
    from audit.models import AuditEvent

    charge_term(term=term1, student=child_b, services={"after_school"}, acting_user=None)
    charge_term(term=term1, student=child_b, services={"after_school"}, acting_user=None)
    assert AuditEvent.objects.filter(action="money.posted").count() == 1
