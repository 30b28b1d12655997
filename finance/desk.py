"""The finance desk's own money actions: spending from the fund and receiving the allocation.

Plan 1 一(三): 课后服务费必须专款专用 — an expense is refused unless the term's plan lists
its category (checked in :func:`finance.ledger.post_entry`). Plan 7 七 1(1): 课后服务经费
来源由上级拨款 — the allocation charged to the government is received into the bank here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from finance.ledger import CHART, LedgerError, Line, post_entry
from finance.models import JournalEntry
from lib.money import ZERO, fen
from schools.models import Term

EXPENSE_ACCOUNTS = [code for code in CHART if code.startswith("expense:")]


def record_expense(
    *, term: Term, account: str, amount: Decimal, date: dt.date, memo: str, reference: str, acting_user,
) -> JournalEntry:
    """Pay an expense of the service from the bank; the plan must allow its category (专款专用)."""
    if account not in EXPENSE_ACCOUNTS:
        raise LedgerError(_("Unknown account: %(code)s") % {"code": account})
    amount = fen(amount)
    if amount <= ZERO:
        raise LedgerError(_("An expense must be a positive amount."))
    if not reference.strip():
        raise LedgerError(_("Give the invoice or voucher number."))
    return post_entry(
        school=term.school, term=term, date=date, lines=[Line(account, amount), Line("bank", -amount)],
        memo=memo, source_type="expense", source_id=reference.strip(),
        idempotency_key=f"expense:{reference.strip()}", acting_user=acting_user,
    )


def receive_allocation(*, term: Term, amount: Decimal, date: dt.date, reference: str, acting_user) -> JournalEntry:
    """The government allocation arrives in the bank (Dr bank / Cr receivable:allocation)."""
    amount = fen(amount)
    if amount <= ZERO:
        raise LedgerError(_("A payment must be a positive amount."))
    return post_entry(
        school=term.school, term=term, date=date,
        lines=[Line("bank", amount), Line("receivable:allocation", -amount)],
        memo=_("Government allocation received, reference %(ref)s") % {"ref": reference},
        source_type="allocation", source_id=reference, idempotency_key=f"allocation:{reference}",
        acting_user=acting_user,
    )
