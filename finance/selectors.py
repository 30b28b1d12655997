"""Reads of the fund: term totals, the public income/expense statement, a child's account.

Every figure is a sum of ledger lines. Lines are grouped by account and by the kind of
entry they came from (a reversal counts as the kind it reverses, with the opposite
sign), in one query, so the pages cost the same whatever the number of children.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce

from finance.ledger import CHART
from finance.models import JournalEntry, JournalLine, StatementRow
from lib.money import ZERO, fen
from schools.models import Term

Figures = dict[tuple[str, str], Decimal]  # (account code, entry kind) → sum


def term_figures(term: Term) -> Figures:
    """Return the term's ledger summed by (account, kind of entry) — one query."""
    rows = (
        JournalLine.objects.filter(school_id=term.school_id, entry__term_id=term.pk)
        .annotate(kind=Coalesce("entry__reverses__source_type", "entry__source_type"))
        .values("account__code", "kind")
        .annotate(s=Sum("amount"))
    )
    figures: Figures = defaultdict(lambda: ZERO)
    for row in rows:
        figures[row["account__code"], row["kind"]] += fen(row["s"])
    return figures


def account_total(figures: Figures, code: str, *kinds: str) -> Decimal:
    return sum((v for (c, k), v in figures.items() if c == code and (not kinds or k in kinds)), ZERO)


@dataclass(frozen=True)
class TermTotals:
    """The finance desk's view of a term (service fees only; meals apart)."""

    charged: Decimal
    waived: Decimal
    allocation: Decimal
    paid: Decimal
    refunds: Decimal
    settled_out: Decimal
    outstanding: Decimal
    queued_payments: int

    @property
    def accounted(self) -> Decimal:
        """Charged = waived + allocation + paid − settled out + refunds + outstanding."""
        return self.waived + self.allocation + self.paid - self.settled_out + self.refunds + self.outstanding


def term_totals(term: Term) -> TermTotals:
    f = term_figures(term)
    return TermTotals(
        charged=-account_total(f, "income:service_fees"),
        waived=account_total(f, "income:waivers"),
        allocation=account_total(f, "receivable:allocation", "charge"),
        paid=-account_total(f, "receivable:service", "payment"),
        refunds=account_total(f, "income:refunds"),
        settled_out=account_total(f, "receivable:service", "settlement"),
        outstanding=account_total(f, "receivable:service"),
        queued_payments=StatementRow.objects.filter(school_id=term.school_id, status=StatementRow.Status.QUEUED).count(),
    )


@dataclass
class StatementLine:
    label: str
    amount: Decimal
    code: str = ""


@dataclass
class PublicStatement:
    """公示: the term's income by source, expense by category and balance; meals apart (代收代付)."""

    income: list[StatementLine] = field(default_factory=list)
    expenses: list[StatementLine] = field(default_factory=list)
    meals: list[StatementLine] = field(default_factory=list)

    @property
    def income_total(self) -> Decimal:
        return sum((line.amount for line in self.income), ZERO)

    @property
    def expense_total(self) -> Decimal:
        return sum((line.amount for line in self.expenses), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.income_total - self.expense_total


def public_statement(term: Term) -> PublicStatement:
    """Return the term's statement from the ledger; no child, guardian or staff appears in it.

    Income is what the service earned: the fees charged to families, net of waivers
    (including shortfalls not collected at settlement) and refunds, and the government
    allocation's share of them. Expenses are the plan's allowed categories.
    """
    f = term_figures(term)
    charged = -account_total(f, "income:service_fees")
    waived = account_total(f, "income:waivers")
    refunded = account_total(f, "income:refunds")
    allocation = account_total(f, "receivable:allocation", "charge")
    statement = PublicStatement()
    statement.income = [
        StatementLine("家长缴纳的课后服务费（扣除减免、退费）/ Parent fees net of waivers and refunds",
                      charged - waived - refunded - allocation, "parent_fees"),
        StatementLine("财政拨款 / Government allocation", allocation, "allocation"),
    ]
    codes = sorted({c for c, _k in f if c.startswith("expense:")}, key=list(CHART).index)
    statement.expenses = [StatementLine(CHART[c][1], account_total(f, c), c) for c in codes]
    billed = -account_total(f, "payable:meal_vendor", "meal_bill")
    paid_vendor = account_total(f, "payable:meal_vendor", "meal_vendor_payment")
    collected = -account_total(f, "receivable:meals", "payment")
    statement.meals = [
        StatementLine("代收餐费（应收）/ Meal money billed to families", billed, "billed"),
        StatementLine("已收餐费 / Meal money collected", collected, "collected"),
        StatementLine("已付供餐单位 / Paid to the meal vendor", paid_vendor, "paid_vendor"),
        StatementLine("应付供餐单位余额 / Still due to the vendor", billed - paid_vendor, "due_vendor"),
    ]
    return statement


def account_lines(*, term: Term | None, student_id: int) -> list[JournalLine]:
    """Return every ledger line on the child's account (with its entry's memo), oldest first."""
    lines = JournalLine.objects.filter(student_id=student_id).select_related("entry", "account")
    if term is not None:
        lines = lines.filter(entry__term_id=term.pk)
    return list(lines.order_by("entry__date", "entry_id", "id"))


def child_balances(lines: list[JournalLine]) -> dict[str, Decimal]:
    """Return the child's balance per account code (positive: still owed by the family)."""
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        out[line.account.code] += line.amount
    return dict(out)


def recent_entries(term: Term, limit: int = 30) -> list[JournalEntry]:
    return list(
        JournalEntry.objects.filter(school_id=term.school_id, term=term)
        .select_related("reversed_by", "created_by").order_by("-id")[:limit]
    )
