"""Posting to the fund's ledger. Every money write in Kehou goes through :func:`post_entry`.

An entry is idempotent by its key (a retried import or request posts nothing new), its lines
sum to zero to the fen, an expense outside the plan's allowed categories is refused (专款专用,
plan 1 一(三)), and the audit log gets one row per entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.services import record_event
from finance.models import Account, JournalEntry, JournalLine
from lib.money import ZERO, fen
from schools.models import School, Term

# The chart of accounts every school's fund starts with (code: kind, name).
CHART: dict[str, tuple[str, str]] = {
    "bank": (Account.Kind.ASSET, "银行存款 / Bank"),
    "receivable:service": (Account.Kind.ASSET, "应收课后服务费 / Service fees receivable"),
    "receivable:meals": (Account.Kind.ASSET, "应收代收餐费 / Meal money receivable"),
    "receivable:allocation": (Account.Kind.ASSET, "应收财政拨款 / Allocation receivable"),
    "income:service_fees": (Account.Kind.INCOME, "课后服务费收入 / Service fees"),
    "income:allocation": (Account.Kind.INCOME, "财政拨款 / Government allocation"),
    "income:waivers": (Account.Kind.INCOME, "减免 / Waivers (contra)"),
    "income:refunds": (Account.Kind.INCOME, "退费 / Refunds (contra)"),
    "payable:meal_vendor": (Account.Kind.LIABILITY, "应付供餐单位（代收）/ Meal vendor payable"),
    "expense:staff_pay": (Account.Kind.EXPENSE, "教师劳务 / Teacher pay"),
    "expense:management_subsidies": (Account.Kind.EXPENSE, "管理服务补助 / Management subsidies"),
    "expense:external_staff_pay": (Account.Kind.EXPENSE, "校外人员劳务 / External staff"),
    "expense:consumables": (Account.Kind.EXPENSE, "消耗品 / Consumables"),
    "expense:upkeep": (Account.Kind.EXPENSE, "场地维护 / Venue upkeep"),
    "expense:utilities": (Account.Kind.EXPENSE, "水电 / Utilities"),
    "expense:cleaning": (Account.Kind.EXPENSE, "保洁 / Cleaning"),
    "expense:equipment": (Account.Kind.EXPENSE, "设备 / Equipment"),
    "expense:security": (Account.Kind.EXPENSE, "安防 / Security"),
}
# Management subsidies and teacher pay are both "staff pay" in a plan's allowed list.
EXPENSE_CATEGORY = {"expense:management_subsidies": "staff_pay"}


class LedgerError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Line:
    account: str
    amount: Decimal  # debit positive, credit negative
    student_id: int | None = None


def accounts_of(school: School) -> dict[str, Account]:
    """Return the school's accounts by code, creating the standard chart on first use."""
    existing = {a.code: a for a in Account.objects.filter(school=school)}
    missing = [Account(school=school, code=c, kind=k, name=n) for c, (k, n) in CHART.items() if c not in existing]
    if missing:
        Account.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {a.code: a for a in Account.objects.filter(school=school)}
    return existing


def _check_expenses(lines: list[Line], term: Term | None) -> None:
    expense_lines = [line for line in lines if line.account.startswith("expense:")]
    if not expense_lines:
        return
    from plans.policy import parse_document
    from plans.selectors import published_plan_for

    plan = published_plan_for(term) if term is not None else None
    if plan is None:
        raise LedgerError(_("An expense needs the term's published plan, which lists the allowed categories."))
    allowed = set(parse_document(plan.document).fees.allowed_expenses)
    for line in expense_lines:
        category = EXPENSE_CATEGORY.get(line.account, line.account.removeprefix("expense:"))
        if category not in allowed:
            raise LedgerError(
                _("“%(category)s” is not an expense the plan allows from the after-school fund (专款专用).")
                % {"category": CHART.get(line.account, ("", line.account))[1]}
            )


def post_entry(
    *,
    school: School,
    date: dt.date,
    lines: Iterable[Line],
    memo: str,
    source_type: str,
    source_id: str,
    idempotency_key: str,
    acting_user,
    term: Term | None = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry; posting the same key again returns the first entry unchanged."""
    lines = [line for line in lines if fen(line.amount) != ZERO]
    existing = JournalEntry.objects.filter(school=school, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if len(lines) < 2:
        raise LedgerError(_("An entry needs at least two lines."))
    for line in lines:
        if fen(line.amount) != line.amount:
            raise LedgerError(_("Amounts are in yuan with at most two decimal places."))
    if sum((line.amount for line in lines), ZERO) != ZERO:
        raise LedgerError(_("The entry does not balance: debits and credits differ."))
    if not memo.strip():
        raise LedgerError(_("Say why the money moves."))
    _check_expenses(lines, term)
    accounts = accounts_of(school)
    unknown = [line.account for line in lines if line.account not in accounts]
    if unknown:
        raise LedgerError(_("Unknown account: %(code)s") % {"code": ", ".join(unknown)})
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                school=school, term=term, date=date, memo=memo.strip(), source_type=source_type,
                source_id=str(source_id), idempotency_key=idempotency_key, reverses=reverses,
                created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
            )
            JournalLine.objects.bulk_create(
                JournalLine(entry=entry, school=school, account=accounts[line.account],
                            student_id=line.student_id, amount=line.amount)
                for line in lines
            )
            record_event(
                action="money.posted", subject=entry, actor=acting_user, school_id=school.pk,
                new={"memo": entry.memo, "lines": [[line.account, str(line.amount), line.student_id] for line in lines]},
            )
            return entry
    except IntegrityError:
        existing = JournalEntry.objects.filter(school=school, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing


def reverse_entry(*, entry: JournalEntry, memo: str, acting_user, date: dt.date | None = None) -> JournalEntry:
    """Correct a mistake: post the same lines with opposite signs, linked to the original."""
    if hasattr(entry, "reversed_by"):
        raise LedgerError(_("This entry has already been reversed."))
    lines = [Line(line.account.code, -line.amount, line.student_id) for line in entry.lines.select_related("account")]
    return post_entry(
        school=entry.school, term=entry.term, date=date or entry.date, lines=lines,
        memo=_("Reversal of #%(id)s: %(why)s") % {"id": entry.pk, "why": memo},
        source_type="reversal", source_id=str(entry.pk), idempotency_key=f"reverse:{entry.pk}",
        acting_user=acting_user, reverses=entry,
    )


def balance(*, school_id: int, account: str, student_id: int | None = None, term_id: int | None = None) -> Decimal:
    """Return the sum of an account's lines (debit positive), optionally for one child or term."""
    lines = JournalLine.objects.filter(school_id=school_id, account__code=account)
    if student_id is not None:
        lines = lines.filter(student_id=student_id)
    if term_id is not None:
        lines = lines.filter(entry__term_id=term_id)
    return fen(lines.aggregate(s=Sum("amount"))["s"] or ZERO)


def balances_by_account(*, school_id: int, term_id: int | None = None) -> dict[str, Decimal]:
    lines = JournalLine.objects.filter(school_id=school_id)
    if term_id is not None:
        lines = lines.filter(entry__term_id=term_id)
    return {row["account__code"]: fen(row["s"]) for row in lines.values("account__code").annotate(s=Sum("amount"))}
