"""The ring-fenced after-school fund of a school: an append-only double-entry ledger.

Balances are sums of lines; a mistake is corrected by a reversing entry, never an edit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """Ledger rows are never changed or deleted; post a reversing entry instead."""


class Account(models.Model):
    """One account of the fund's chart, e.g. ``receivable:service`` or ``expense:consumables``."""

    class Kind(models.TextChoices):
        ASSET = "asset", _("Asset")
        LIABILITY = "liability", _("Liability")
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="accounts")
    code = models.CharField(_("code"), max_length=48)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["school", "code"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="account_code_unique_in_school")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JournalEntry(models.Model):
    """One money event with its reason and source document; its lines sum to zero."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="journal_entries")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    date = models.DateField(_("date"))
    memo = models.CharField(_("why"), max_length=300)
    source_type = models.CharField(_("source document type"), max_length=48)
    source_id = models.CharField(_("source document"), max_length=64)
    idempotency_key = models.CharField(max_length=128)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "idempotency_key"], name="entry_idempotent"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.memo}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("journal entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("journal entries are append-only")


class JournalLine(models.Model):
    """A debit (positive) or credit (negative) on one account, optionally for one child."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_lines")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        indexes = [
            models.Index(fields=["school", "account"]),
            models.Index(fields=["student", "account"]),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("journal lines are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("journal lines are append-only")


class WaiverDecision(models.Model):
    """A one-off reduction for one child, decided by the school with a reason (减免)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="waiver_decisions")
    percent = models.DecimalField(_("percent waived"), max_digits=5, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("waiver decision")
        verbose_name_plural = _("waiver decisions")

    def __str__(self) -> str:
        return f"{self.student} {self.percent}%"


from finance.models_payments import StatementImport, StatementRow  # noqa: E402,F401 — split by topic
