"""Bank and payment-platform statements (银行流水 / 缴费平台对账单) and their rows.

A statement row is not money: the ledger entry it leads to is. The row keeps what the
statement said, which child it was matched to (or that a person must assign it), and the
entry posted, so the queue of unmatched payments and the import history can be shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementImport(models.Model):
    """One imported statement file: who, when, and what came of its rows."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    queued = models.PositiveIntegerField(_("waiting for a person"), default=0)
    already_imported = models.PositiveIntegerField(_("already imported"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.imported_at:%Y-%m-%d %H:%M}"


class StatementRow(models.Model):
    """One incoming payment on a statement (一笔流水), unique in the school by its 流水号."""

    class Status(models.TextChoices):
        MATCHED = "matched", _("Matched by reference")
        QUEUED = "queued", _("Waiting for a person to assign it")
        ASSIGNED = "assigned", _("Assigned by a person")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    statement_import = models.ForeignKey(StatementImport, on_delete=models.PROTECT, related_name="statement_rows")
    row_number = models.PositiveIntegerField(_("row in the file"))
    reference = models.CharField(_("transaction number (流水号)"), max_length=64)
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    payer = models.CharField(_("payer"), max_length=100, blank=True)
    memo = models.CharField(_("remark (备注/附言)"), max_length=300, blank=True)
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    why = models.CharField(_("why"), max_length=200, blank=True)
    entry = models.ForeignKey("finance.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement row")
        verbose_name_plural = _("statement rows")
        ordering = ["paid_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "reference"], name="statement_reference_unique_in_school"),
        ]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"
