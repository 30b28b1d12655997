"""Money actions on the fund: charge a term, take a payment, refund, settle (多退少补).

Every action posts through :func:`finance.ledger.post_entry` with a key derived from what
it is about, so running it twice posts nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from finance.fees import ChildFee, absence_refunds, service_days, term_fees
from finance.ledger import LedgerError, Line, post_entry
from finance.models import JournalLine, WaiverDecision
from lib.money import ZERO, fen
from people.models import Student
from plans.policy import PlanDocument, parse_document
from plans.selectors import published_plan_for
from schools.calendar import CalendarDay, term_calendar
from schools.models import Term

RECEIVABLE = "receivable:service"


def plan_of(term: Term) -> PlanDocument:
    plan = published_plan_for(term)
    if plan is None:
        raise LedgerError(_("The term has no published plan, so no fee can be charged."))
    return parse_document(plan.document)


def child_fees(
    *, term: Term, student: Student, services: set[str], doc: PlanDocument | None = None,
    days: list[CalendarDay] | None = None, enrolled_from: dt.date | None = None,
    enrolled_until: dt.date | None = None,
) -> list[ChildFee]:
    doc = doc or plan_of(term)
    days = days if days is not None else term_calendar(term)
    decisions = [
        d.percent for d in WaiverDecision.objects.filter(term=term, student=student)
    ]
    flags = {f: getattr(student, f) for f in Student.PRIORITY_FLAGS}
    return term_fees(
        doc, days=days, grade=student.school_class.grade, services=services,
        enrolled_from=enrolled_from or term.start, enrolled_until=enrolled_until or term.end,
        flags=flags, decisions=decisions,
    )


@transaction.atomic
def charge_term(*, term: Term, student: Student, services: set[str], acting_user, **kwargs) -> list[ChildFee]:
    """Post the child's term fees: the charge, the waiver and the allocation's share."""
    fees = child_fees(term=term, student=student, services=services, **kwargs)
    for fee in fees:
        key = f"charge:{term.pk}:{student.pk}:{fee.item}"
        lines = [Line(RECEIVABLE, fee.gross, student.pk), Line("income:service_fees", -fee.gross)]
        if fee.waived:
            lines += [Line("income:waivers", fee.waived), Line(RECEIVABLE, -fee.waived, student.pk)]
        if fee.allocation:
            lines += [Line("receivable:allocation", fee.allocation), Line(RECEIVABLE, -fee.allocation, student.pk)]
        post_entry(
            school=term.school, term=term, date=term.start, lines=lines,
            memo=_("%(item)s for %(name)s: %(working)s; waived %(percent)s%%; allocation %(allocation)s") % {
                "item": fee.item, "name": student.name, "working": "; ".join(fee.working),
                "percent": fee.waiver_percent, "allocation": fee.allocation},
            source_type="charge", source_id=f"{term.pk}:{student.pk}", idempotency_key=key,
            acting_user=acting_user,
        )
    return fees


def record_payment(
    *, term: Term, student: Student, amount: Decimal, date: dt.date, reference: str, acting_user,
    account: str = RECEIVABLE,
) -> None:
    """A family's payment arrives in the bank; the statement's reference keeps it unique."""
    if fen(amount) <= ZERO:
        raise LedgerError(_("A payment must be a positive amount."))
    post_entry(
        school=term.school, term=term, date=date,
        lines=[Line("bank", fen(amount)), Line(account, -fen(amount), student.pk)],
        memo=_("Payment for %(name)s, reference %(ref)s") % {"name": student.name, "ref": reference},
        source_type="payment", source_id=reference, idempotency_key=f"payment:{reference}",
        acting_user=acting_user,
    )


@transaction.atomic
def refund_absences(
    *, term: Term, student: Student, services: set[str], absent: set[dt.date], acting_user,
    enrolled_from: dt.date | None = None, doc: PlanDocument | None = None, days: list[CalendarDay] | None = None,
) -> list:
    """Refund the child's long absences as the plan's rule says; each refund shows its working.

    ``enrolled_from`` must be the day the child was charged from, so that the fee due per
    enrolled day is the one actually charged (a late joiner's prorated fee).
    """
    doc = doc or plan_of(term)
    days = days if days is not None else term_calendar(term)
    refunds = []
    for fee in child_fees(term=term, student=student, services=services, doc=doc, days=days,
                          enrolled_from=enrolled_from):
        item = next(i for i in doc.fees.items if i.name == fee.item)
        dates = service_days(doc, item, days, student.school_class.grade)
        for refund in absence_refunds(doc, fee, service_dates=dates, absent=absent):
            post_entry(
                school=term.school, term=term, date=refund.last_day,
                lines=[Line("income:refunds", refund.amount), Line(RECEIVABLE, -refund.amount, student.pk)],
                memo=_("Refund to %(name)s for %(days)d school days absent %(first)s–%(last)s: %(working)s") % {
                    "name": student.name, "days": refund.days, "first": refund.first_day,
                    "last": refund.last_day, "working": refund.working},
                source_type="absence_refund", source_id=f"{student.pk}:{refund.first_day}",
                idempotency_key=f"refund:{term.pk}:{student.pk}:{fee.item}:{refund.first_day}",
                acting_user=acting_user,
            )
            refunds.append(refund)
    return refunds


@dataclass(frozen=True)
class Settlement:
    student_id: int
    name: str
    balance: Decimal  # > 0 the family still owes; < 0 the school owes the family
    action: str  # "refund", "top_up", "forgive", "none"
    amount: Decimal


def settlement_preview(*, term: Term, students: list[Student]) -> list[Settlement]:
    """Return what settling the term would do for each child, without posting anything."""
    doc = plan_of(term)
    # One query for all the children, so a settlement run costs the same per child at any size.
    owed_by = dict(
        JournalLine.objects.filter(
            school_id=term.school_id, account__code=RECEIVABLE, entry__term_id=term.pk,
            student_id__in=[s.pk for s in students],
        ).values("student_id").annotate(s=Sum("amount")).values_list("student_id", "s")
    )
    rows = []
    for student in students:
        owed = fen(owed_by.get(student.pk) or ZERO)
        if owed < 0:
            action = "refund"
        elif owed > 0:
            action = "top_up" if doc.fees.settlement == "refund_and_top_up" else "forgive"
        else:
            action = "none"
        rows.append(Settlement(student.pk, student.name, owed, action, abs(owed)))
    return rows


@transaction.atomic
def settle_term(*, term: Term, students: list[Student], acting_user, date: dt.date) -> list[Settlement]:
    """Settle each child once: refund an excess, or (多退少不补) forgive a shortfall.

    A top-up (多退少补) is left on the child's account as the amount still owed; the notice
    tells the family. Re-running posts nothing new.
    """
    rows = settlement_preview(term=term, students=students)
    for row in rows:
        if row.action == "refund":
            lines = [Line(RECEIVABLE, row.amount, row.student_id), Line("bank", -row.amount)]
            memo = _("Term settlement: refund %(amount)s to %(name)s (多退)")
        elif row.action == "forgive":
            lines = [Line("income:waivers", row.amount), Line(RECEIVABLE, -row.amount, row.student_id)]
            memo = _("Term settlement: shortfall %(amount)s of %(name)s not collected (少不补)")
        else:
            continue
        post_entry(
            school=term.school, term=term, date=date, lines=lines,
            memo=memo % {"amount": row.amount, "name": row.name},
            source_type="settlement", source_id=f"{term.pk}:{row.student_id}",
            idempotency_key=f"settle:{term.pk}:{row.student_id}", acting_user=acting_user,
        )
    return rows
