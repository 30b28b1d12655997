"""The monthly pay run (plan 1 二(三)): preview, then commit once to the ledger.

Teaching pay = the month's periods × the value of a period. Under the pool model that value
is the term's pool ÷ the term's planned periods, capped by the plan (计算公式 of plan 1, 按每月
实际上课节数计算，学期汇总); under the rate model it is the plan's rate, capped. Subsidies are
duty days × the post's daily rate; deductions run through the plan's ladder.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.ledger import LedgerError, Line, balance, post_entry
from finance.models import JournalLine
from finance.services import plan_of
from lib.money import ZERO, fen
from payroll.formula import Event, Pool, deductions, rate_pay
from payroll.models import PayLine, PayRun
from people.models import Staff, StaffRole
from people.roles import Role
from programs.models import Session
from schools.models import Term
from staffing.models import DutyAssignment, PerformanceEvent, TeachingRecord


def _month_range(term: Term, month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return max(first, term.start), min(last, term.end)


def _external_ids(school_id: int) -> set[int]:
    return set(
        StaffRole.objects.filter(staff__school_id=school_id, role=Role.EXTERNAL_INSTRUCTOR).values_list("staff_id", flat=True)
    )


def _subsidy_rates(doc) -> dict[str, Decimal]:
    return {s.post: Decimal(s.per_day) for s in doc.pay.subsidies}


def period_value(term: Term) -> tuple[Decimal, dict]:
    """Return the value of one teaching period this term and how it was worked out."""
    doc = plan_of(term)
    pay = doc.pay
    cap = Decimal(pay.cap_per_period) if pay.cap_per_period is not None else None
    if pay.model == "per_period_rate":
        value = Decimal(pay.rate_per_period or 0)
        value = min(value, cap) if cap is not None else value
        return value, {"model": "rate", "rate": str(value)}
    externals = _external_ids(term.school_id)
    rates = _subsidy_rates(doc)
    subsidies = fen(sum((rates.get(post, ZERO) for post in
                         DutyAssignment.objects.filter(term=term).values_list("post", flat=True)), ZERO))
    sessions = Session.objects.filter(offering__term=term).exclude(status=Session.Status.CANCELLED)
    external_periods = sessions.filter(instructor_id__in=externals).count()
    external = fen(Decimal(pay.external_rate_per_period or 0) * external_periods)
    fees = -fen(
        JournalLine.objects.filter(entry__term=term, entry__source_type="payment", account__code="receivable:service")
        .aggregate(s=Sum("amount"))["s"] or ZERO
    )
    upkeep = balance(school_id=term.school_id, account="expense:consumables", term_id=term.pk) + balance(
        school_id=term.school_id, account="expense:upkeep", term_id=term.pk)
    total_periods = sessions.exclude(instructor_id__in=externals).count()
    pool = Pool(fees, subsidies, external, upkeep, total_periods, cap)
    value = min(pool.uncapped_rate, cap) if cap is not None else pool.uncapped_rate
    return value, {
        "model": "pool", "fees": str(fees), "subsidies": str(subsidies), "external": str(external),
        "consumables_upkeep": str(upkeep), "pool": str(fen(pool.amount)), "periods": total_periods,
        "cap": str(cap) if cap is not None else None, "capped": pool.capped,
    }


@transaction.atomic
def build_pay_run(*, term: Term, month: dt.date, acting_user=None) -> PayRun:
    """Work out the month's pay for everyone (a preview; re-building replaces the preview)."""
    doc = plan_of(term)
    first, last = _month_range(term, month)
    existing = PayRun.objects.filter(school_id=term.school_id, month=month.replace(day=1)).first()
    if existing and existing.status == PayRun.Status.COMMITTED:
        raise LedgerError(_("This month's pay has already been committed."))
    value, working = period_value(term)
    run, _created = PayRun.objects.update_or_create(
        school_id=term.school_id, month=month.replace(day=1),
        defaults={"term": term, "period_value": value, "working": working, "status": PayRun.Status.PREVIEW},
    )
    run.lines.all().delete()
    externals = _external_ids(term.school_id)
    periods: dict[int, int] = defaultdict(int)
    for teacher_id, n in TeachingRecord.objects.filter(
        school_id=term.school_id, date__range=(first, last), outcome__in=TeachingRecord.PAID
    ).values_list("teacher_id", "periods"):
        periods[teacher_id] += n
    rates = _subsidy_rates(doc)
    duty_days: dict[int, int] = defaultdict(int)
    subsidy: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for staff_id, post in DutyAssignment.objects.filter(term=term, date__range=(first, last)).values_list("staff_id", "post"):
        duty_days[staff_id] += 1
        subsidy[staff_id] += rates.get(post, ZERO)
    events: dict[int, list[Event]] = defaultdict(list)
    for e in PerformanceEvent.objects.filter(school_id=term.school_id, date__range=(first, last), overridden=False).exclude(
        kind=PerformanceEvent.Kind.COMMENDATION
    ):
        events[e.staff_id].append(Event(e.kind, e.periods, e.percent, e.evidence))
    external_rate = Decimal(doc.pay.external_rate_per_period or 0)
    lines = []
    for staff_id in sorted(set(periods) | set(duty_days) | set(events)):
        is_external = staff_id in externals
        teaching = ZERO if is_external else fen(value * periods[staff_id])
        external_pay = fen(external_rate * periods[staff_id]) if is_external else ZERO
        if doc.pay.model == "per_period_rate" and not is_external:
            teaching = rate_pay(doc.pay, periods[staff_id])
        cut = deductions(doc.deductions, events[staff_id], month_pay=teaching, period_value=value)
        deducted = sum((d.amount for d in cut), ZERO)
        lines.append(PayLine(
            run=run, staff_id=staff_id, periods=periods[staff_id], teaching_pay=teaching, external_pay=external_pay,
            duty_days=duty_days[staff_id], subsidy=fen(subsidy[staff_id]),
            deductions=[{"rule": d.rule, "amount": str(d.amount), "events": [e.note for e in d.events]} for d in cut],
            deducted=deducted, net=teaching - deducted + fen(subsidy[staff_id]) + external_pay,
        ))
    PayLine.objects.bulk_create(lines)
    return run


@transaction.atomic
def commit_pay_run(*, run: PayRun, acting_user) -> PayRun:
    """Post the run's pay to the ledger, once: staff pay, subsidies, external pay."""
    run = PayRun.objects.select_for_update().get(pk=run.pk)
    if run.status == PayRun.Status.COMMITTED:
        raise LedgerError(_("This month's pay has already been committed."))
    parts = (("teaching", "expense:staff_pay"), ("subsidy", "expense:management_subsidies"),
             ("external", "expense:external_staff_pay"))
    for line in run.lines.select_related("staff"):
        amounts = {"teaching": line.teaching_pay - line.deducted, "subsidy": line.subsidy, "external": line.external_pay}
        for part, account in parts:
            amount = amounts[part]
            if amount <= 0:
                continue
            post_entry(
                school=run.term.school, term=run.term, date=run.month, acting_user=acting_user,
                lines=[Line(account, amount), Line("bank", -amount)],
                memo=_("%(month)s %(part)s for %(name)s") % {"month": f"{run.month:%Y-%m}", "part": part, "name": line.staff.name},
                source_type="pay_run", source_id=str(run.pk), idempotency_key=f"pay:{run.pk}:{line.staff_id}:{part}",
            )
    run.status, run.committed_at = PayRun.Status.COMMITTED, timezone.now()
    run.committed_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    run.save(update_fields=["status", "committed_at", "committed_by"])
    return run


def staff_names(ids) -> dict[int, str]:
    return dict(Staff.objects.filter(pk__in=ids).values_list("pk", "name"))
