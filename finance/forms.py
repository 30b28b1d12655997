"""Forms of the finance desk; the rules themselves are in the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finance.desk import EXPENSE_ACCOUNTS
from finance.ledger import CHART

_DATE = forms.DateInput(attrs={"type": "date"})


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("statement (.xlsx or .csv)"))


class AssignForm(forms.Form):
    student_number = forms.CharField(label=_("student number (学号)"), max_length=32)


class ExpenseForm(forms.Form):
    account = forms.ChoiceField(label=_("category"), choices=[(c, CHART[c][1]) for c in EXPENSE_ACCOUNTS])
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    date = forms.DateField(label=_("date"), widget=_DATE)
    reference = forms.CharField(label=_("invoice or voucher number"), max_length=64)
    memo = forms.CharField(label=_("what for"), max_length=200)


class SettleForm(forms.Form):
    date = forms.DateField(label=_("settlement date"), widget=_DATE)


class MealsForm(forms.Form):
    month = forms.RegexField(label=_("month (YYYY-MM)"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7)
    on_working_day = forms.IntegerField(label=_("bill on working day no."), min_value=1, max_value=23, initial=1)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)
