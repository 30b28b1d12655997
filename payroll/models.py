"""Monthly pay runs: previewed, then committed once to the fund's ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PayRun(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        COMMITTED = "committed", _("Committed")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="pay_runs")
    month = models.DateField(_("month"))  # the first day of the month
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    period_value = models.DecimalField(_("pay per period"), max_digits=12, decimal_places=4)
    working = models.JSONField(_("how the rate was worked out"), default=dict)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pay run")
        verbose_name_plural = _("pay runs")
        constraints = [models.UniqueConstraint(fields=["school", "month"], name="one_pay_run_per_month")]

    def __str__(self) -> str:
        return f"{self.school} {self.month:%Y-%m}"


class PayLine(models.Model):
    """One person's month: periods and pay, subsidy, deductions (each naming its rule), net."""

    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="lines")
    staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="pay_lines")
    periods = models.PositiveIntegerField(_("periods"))
    teaching_pay = models.DecimalField(_("teaching pay"), max_digits=12, decimal_places=2)
    external_pay = models.DecimalField(_("external instructor pay"), max_digits=12, decimal_places=2, default=0)
    duty_days = models.PositiveIntegerField(_("duty days"), default=0)
    subsidy = models.DecimalField(_("management subsidy"), max_digits=12, decimal_places=2)
    deductions = models.JSONField(_("deductions"), default=list)  # [{rule, amount, events}]
    deducted = models.DecimalField(_("deducted"), max_digits=12, decimal_places=2)
    net = models.DecimalField(_("net"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("pay line")
        verbose_name_plural = _("pay lines")
        constraints = [models.UniqueConstraint(fields=["run", "staff"], name="one_line_per_person")]

    def __str__(self) -> str:
        return f"{self.staff} {self.net}"
