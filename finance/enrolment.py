"""Charges and refunds for the term's enrolled children, read from enrolment and attendance.

- Every APPROVED child application of the term is charged for the services it asked for,
  from the day it was approved (or the term's first day).
- Absences come from the attendance records: whole-day leave notes (请假) and roll-call
  marks "absent" or "on leave" on the child's care-group roll calls. Runs longer than the
  plan's threshold are refunded (plan 1 一(一): 缺席课后服务连续一周以上的 … 退还部分课后服务费).
- A withdrawal refunds the rest of the term: the service days after the withdrawal date
  times the fee due per enrolled day, with the working in the memo.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import LeaveNote, Mark
from enrollment.models import ChildApplication, Review
from finance.fees import service_days
from finance.ledger import LedgerError, Line, post_entry
from finance.models import JournalEntry
from finance.services import RECEIVABLE, charge_term, child_fees, plan_of, refund_absences
from lib.money import ZERO, fen
from schools.calendar import term_calendar
from schools.models import Term

Progress = Callable[[str, int, int], None]  # (stage, done, total)

ABSENT_MARKS = (Mark.Status.ABSENT, Mark.Status.LEAVE)


def services_of(child: ChildApplication) -> set[str]:
    """Return the fee-bearing services a child application asked for (meals are billed monthly)."""
    wanted = set()
    if child.wants_after_school:
        wanted.add("after_school")
    if child.wants_noon_care:
        wanted.add("noon_care")
    return wanted


def approved_children(term: Term) -> list[ChildApplication]:
    """Return the term's APPROVED applications with their students, classes and approval time."""
    return list(
        ChildApplication.objects.filter(term=term, status=ChildApplication.Status.APPROVED)
        .select_related("student__school_class", "application")
        .annotate(approved_at=Max("reviews__at", filter=Q(reviews__decision=Review.Decision.APPROVED)))
        .order_by("student__school_class__grade", "student__school_class__number", "student_id")
    )


def enrolled_from(child: ChildApplication, term: Term) -> dt.date:
    """Return the first day the child is enrolled: the approval date, not before the term starts.

    An application approved without a review chain is approved when it is submitted.
    """
    approved_at = getattr(child, "approved_at", None) or child.application.submitted_at
    return max(term.start, timezone.localdate(approved_at))


def absences(*, term: Term, student_ids: Iterable[int]) -> dict[int, set[dt.date]]:
    """Return each child's absent days in the term (two queries, whatever the number of children).

    Whole-day leave notes that were not cancelled, and care-group roll-call marks of
    "absent" or "on leave". Club-session leave or marks do not make a day absent: the
    child may still be in care.
    """
    ids = list(student_ids)
    absent: dict[int, set[dt.date]] = defaultdict(set)
    notes = LeaveNote.objects.filter(
        school_id=term.school_id, date__range=(term.start, term.end), session__isnull=True,
        cancelled_at__isnull=True, student_id__in=ids,
    ).values_list("student_id", "date")
    marks = Mark.objects.filter(
        roll_call__school_id=term.school_id, roll_call__date__range=(term.start, term.end),
        roll_call__care_group__isnull=False, status__in=ABSENT_MARKS, student_id__in=ids,
    ).values_list("student_id", "roll_call__date")
    for student_id, date in [*notes, *marks]:
        absent[student_id].add(date)
    return absent


def withdrawal_dates(term: Term) -> dict[int, dt.date]:
    """Return the withdrawal date of each child whose rest of term has been refunded."""
    return {
        int(student_id): dt.date.fromisoformat(date)
        for student_id, date in (
            e.source_id.split(":", 1)
            for e in JournalEntry.objects.filter(school_id=term.school_id, term=term, source_type="withdrawal")
        )
    }


@dataclass
class RunResult:
    children: int = 0
    charged: Decimal = ZERO
    refunded: Decimal = ZERO
    refunds: int = 0


def term_run(
    *, term: Term, acting_user, charges: bool = True, refunds: bool = True, progress: Progress | None = None,
) -> RunResult:
    """Charge every approved child for the term and refund their long absences.

    Each child is one transaction; running it again posts nothing new (the ledger's keys).
    """
    doc = plan_of(term)
    days = term_calendar(term)
    children = approved_children(term)
    absent = absences(term=term, student_ids=[c.student_id for c in children]) if refunds else {}
    withdrawn = withdrawal_dates(term)
    result = RunResult(children=len(children))
    for done, child in enumerate(children, start=1):
        services = services_of(child)
        if not services:
            continue
        student = child.student
        start = enrolled_from(child, term)
        with transaction.atomic():
            if charges:
                fees = charge_term(term=term, student=student, services=services, acting_user=acting_user,
                                   doc=doc, days=days, enrolled_from=start)
                result.charged += sum((f.gross for f in fees), ZERO)
            if refunds and absent.get(student.pk):
                until = withdrawn.get(student.pk, term.end)
                made = refund_absences(term=term, student=student, services=services, acting_user=acting_user,
                                       absent={d for d in absent[student.pk] if start <= d <= until},
                                       enrolled_from=start, doc=doc, days=days)
                result.refunds += len(made)
                result.refunded += sum((r.amount for r in made), ZERO)
        if progress:
            progress("children", done, len(children))
    return result


@dataclass(frozen=True)
class WithdrawalRefund:
    item: str
    days_left: int
    amount: Decimal
    working: str


@transaction.atomic
def refund_withdrawal(*, child: ChildApplication, date: dt.date, acting_user) -> list[WithdrawalRefund]:
    """Refund the rest of the term to a child who leaves the service on ``date``.

    The refund is the fee due per enrolled day (after waiver and allocation) times the
    service days after ``date``; days already refunded for a long absence are not counted
    twice, because absence refunds stop at the withdrawal date.
    """
    term = child.term
    if not term.start <= date <= term.end:
        raise LedgerError(_("The withdrawal date must fall within the term."))
    doc = plan_of(term)
    days = term_calendar(term)
    start = enrolled_from(
        ChildApplication.objects.select_related("application", "student__school_class")
        .annotate(approved_at=Max("reviews__at", filter=Q(reviews__decision=Review.Decision.APPROVED)))
        .get(pk=child.pk),
        term,
    )
    student = child.student
    made = []
    for fee in child_fees(term=term, student=student, services=services_of(child), doc=doc, days=days,
                          enrolled_from=start):
        item = next(i for i in doc.fees.items if i.name == fee.item)
        enrolled = [d for d in service_days(doc, item, days, student.school_class.grade) if d >= start]
        left = [d for d in enrolled if d > date]
        if not left or not fee.enrolled_days:
            continue
        covered = _days_refunded_for_absence(term=term, student_id=student.pk, item=fee.item, dates=left)
        unpaid = [d for d in left if d not in covered]
        amount = fen(fee.due / fee.enrolled_days * len(unpaid))
        if amount <= ZERO:
            continue
        working = _("%(due)s ÷ %(enrolled)d enrolled days × %(left)d school days after %(date)s") % {
            "due": fee.due, "enrolled": fee.enrolled_days, "left": len(unpaid), "date": date}
        if covered:
            working += _(" (%(n)d more already refunded for absence)") % {"n": len(left) - len(unpaid)}
        working += f" = {amount}"
        post_entry(
            school=term.school, term=term, date=date,
            lines=[Line("income:refunds", amount), Line(RECEIVABLE, -amount, student.pk)],
            memo=_("Withdrawal of %(name)s on %(date)s, %(item)s: refund of the rest of the term, %(working)s") % {
                "name": student.name, "date": date, "item": fee.item, "working": working},
            source_type="withdrawal", source_id=f"{student.pk}:{date.isoformat()}",
            idempotency_key=f"withdraw:{term.pk}:{student.pk}:{fee.item}", acting_user=acting_user,
        )
        made.append(WithdrawalRefund(fee.item, len(unpaid), amount, working))
    return made


def _days_refunded_for_absence(*, term: Term, student_id: int, item: str, dates: list[dt.date]) -> set[dt.date]:
    """Return which of ``dates`` an absence refund already paid back (a run: first day → entry date)."""
    covered: set[dt.date] = set()
    for first, last in JournalEntry.objects.filter(
        school_id=term.school_id, term=term, source_type="absence_refund", reverses__isnull=True,
        reversed_by__isnull=True, idempotency_key__startswith=f"refund:{term.pk}:{student_id}:{item}:",
    ).values_list("idempotency_key", "date"):
        start = dt.date.fromisoformat(first.rsplit(":", 1)[1])
        covered |= {d for d in dates if start <= d <= last}
    return covered
