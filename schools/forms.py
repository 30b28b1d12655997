from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.models import CalendarEntry


class CalendarEntryForm(forms.ModelForm):
    class Meta:
        model = CalendarEntry
        fields = ["date", "kind", "follows_weekday", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    source = forms.CharField(
        label=_("source"),
        max_length=200,
        help_text=_("For example: 国务院办公厅关于2027年部分节假日安排的通知"),
    )
