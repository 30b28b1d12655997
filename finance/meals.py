"""School lunch, collected for the meal vendor (代收费) and kept apart from the service fund.

Plan 7 七 1(2): 在校午餐餐费每月结算一次，于当月初的五个工作日内…收费。每天每餐大约15元.
A child who asked for lunch (ChildApplication.wants_meals) orders one meal on each of
their school days in the month, except days on a whole-day leave note. The month's bill
is meals × the plan's price, posted Dr receivable:meals (the child) / Cr
payable:meal_vendor, dated on a working day within the first N working days of the next
month (N from the plan). Paying the vendor moves the payable to the bank.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from attendance.models import LeaveNote
from finance.enrolment import approved_children, enrolled_from
from finance.ledger import LedgerError, Line, post_entry
from finance.models import JournalEntry
from finance.services import plan_of
from lib.money import ZERO, fen
from schools.calendar import CalendarDay, Source, calendar_between
from schools.models import School, Term

MEALS_RECEIVABLE = "receivable:meals"
VENDOR = "payable:meal_vendor"


@dataclass(frozen=True)
class MealBill:
    student_id: int
    name: str
    school_days: int
    leave_days: int
    meals: int
    price: Decimal
    amount: Decimal
    date: dt.date
    working: str


def is_working_day(day: CalendarDay) -> bool:
    """A school closure is still a working day for the finance office."""
    return day.is_school_day or day.source == Source.CLOSURE


def billing_date(*, school_id: int, year: int, month: int, nth: int = 1) -> dt.date:
    """Return the ``nth`` working day of the month after ``year``-``month`` (the bill's date)."""
    first = dt.date(year + month // 12, month % 12 + 1, 1)
    days = calendar_between(school_id=school_id, start=first, end=month_range(first.year, first.month)[1])
    working = [d.date for d in days if is_working_day(d)]
    if nth < 1 or nth > len(working):
        raise LedgerError(_("There is no working day number %(n)d in that month.") % {"n": nth})
    return working[nth - 1]


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def meal_bills(*, term: Term, year: int, month: int, on_working_day: int = 1) -> list[MealBill]:
    """Return the month's bill for each child of ``term`` who asked for lunch (nothing posted)."""
    doc = plan_of(term)
    meals = doc.fees.meals
    if meals is None:
        return []
    if on_working_day > meals.billing_within_working_days:
        raise LedgerError(_("The plan says the bill goes out within the first %(n)d working days of the month.") % {
            "n": meals.billing_within_working_days})
    first, last = month_range(year, month)
    first, last = max(first, term.start), min(last, term.end)
    if first > last:
        return []
    school_days = [d.date for d in calendar_between(school_id=term.school_id, start=first, end=last) if d.is_school_day]
    date = billing_date(school_id=term.school_id, year=year, month=month, nth=on_working_day)
    children = [c for c in approved_children(term) if c.wants_meals]
    leave: dict[int, set[dt.date]] = defaultdict(set)
    for student_id, day in LeaveNote.objects.filter(
        school_id=term.school_id, date__range=(first, last), session__isnull=True, cancelled_at__isnull=True,
        student_id__in=[c.student_id for c in children],
    ).values_list("student_id", "date"):
        leave[student_id].add(day)
    price = Decimal(meals.price_per_meal)
    bills = []
    for child in children:
        start = enrolled_from(child, term)
        mine = [d for d in school_days if d >= start]
        away = [d for d in mine if d in leave[child.student_id]]
        count = len(mine) - len(away)
        amount = fen(price * count)
        working = _("%(price)s × %(meals)d meals (%(days)d school days − %(leave)d on leave) = %(amount)s") % {
            "price": price, "meals": count, "days": len(mine), "leave": len(away), "amount": amount}
        bills.append(MealBill(child.student_id, child.student.name, len(mine), len(away), count, price,
                              amount, date, working))
    return bills


def bill_meals(*, term: Term, year: int, month: int, acting_user, on_working_day: int = 1) -> list[MealBill]:
    """Post the month's lunch bills; once per child and month, however often it is run."""
    bills = meal_bills(term=term, year=year, month=month, on_working_day=on_working_day)
    for bill in bills:
        if bill.amount == ZERO:
            continue
        with transaction.atomic():
            post_entry(
                school=term.school, term=term, date=bill.date,
                lines=[Line(MEALS_RECEIVABLE, bill.amount, bill.student_id), Line(VENDOR, -bill.amount)],
                memo=_("Lunch for %(name)s, %(year)d-%(month)02d, collected for the vendor (代收费): %(working)s") % {
                    "name": bill.name, "year": year, "month": month, "working": bill.working},
                source_type="meal_bill", source_id=f"{bill.student_id}:{year}-{month:02d}",
                idempotency_key=f"meals:{bill.student_id}:{year}-{month:02d}", acting_user=acting_user,
            )
    return bills


def pay_meal_vendor(
    *, school: School, term: Term, amount: Decimal, date: dt.date, reference: str, acting_user,
) -> JournalEntry:
    """Pay the vendor the meal money collected for it (Dr payable:meal_vendor / Cr bank)."""
    amount = fen(amount)
    if amount <= ZERO:
        raise LedgerError(_("A payment must be a positive amount."))
    return post_entry(
        school=school, term=term, date=date, lines=[Line(VENDOR, amount), Line("bank", -amount)],
        memo=_("Meal money paid to the vendor, reference %(ref)s") % {"ref": reference},
        source_type="meal_vendor_payment", source_id=reference,
        idempotency_key=f"meal_vendor:{reference}", acting_user=acting_user,
    )
