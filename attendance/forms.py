"""Forms of the service-day pages. They check input; the rules stay in the services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import HandOver, Incident


class LeaveForm(forms.Form):
    """请假: a child, a day (or one session of that day), a reason."""

    student = forms.TypedChoiceField(label=_("Child"), coerce=int)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    session = forms.TypedChoiceField(label=_("Session"), coerce=int, required=False, empty_value=None,
                                     help_text=_("Leave empty for the whole day."))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, children=(), sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [(c.pk, c.name) for c in children]
        self.fields["session"].choices = [("", _("The whole day"))] + [
            (s.pk, f"{s.date:%m-%d} {s.start:%H:%M} {s.offering.name}") for s in sessions]
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class HandOverForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=HandOver.Kind.choices)
    to_staff = forms.TypedChoiceField(label=_("Hand to"), coerce=int)
    students = forms.TypedMultipleChoiceField(label=_("Children staying"), coerce=int, required=False)
    on_leave_count = forms.IntegerField(label=_("On leave"), min_value=0, max_value=500, initial=0)

    def __init__(self, *args, adults=(), children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_staff"].choices = [(a.pk, a.name) for a in adults]
        self.fields["students"].choices = [(c.pk, c.name) for c in children]

    def clean_students(self) -> list[int]:
        ids = self.cleaned_data["students"]
        if not ids:
            raise forms.ValidationError(_("Tick the children you hand over."))
        return ids


class ReceiptForm(forms.Form):
    received_count = forms.IntegerField(label=_("Children counted"), min_value=0, max_value=500)


class PickupForm(forms.Form):
    guardian = forms.TypedChoiceField(label=_("Guardian"), coerce=int)
    code = forms.RegexField(label=_("Pickup code"), regex=r"^\d{6}$", max_length=6,
                            error_messages={"invalid": _("The pickup code has six digits.")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def __init__(self, *args, guardians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].choices = [(g.pk, g.name) for g in guardians]


class GateEntryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    purpose = forms.CharField(label=_("Purpose"), max_length=200,
                              help_text=_("For example: late pickup, delivery, meeting a teacher."))
    student_number = forms.CharField(label=_("Came for (student number)"), max_length=32, required=False)


class PatrolForm(forms.Form):
    place = forms.ChoiceField(label=_("Group or session"))
    all_well = forms.BooleanField(label=_("All well"), required=False, initial=True)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args, groups=(), sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(f"g{g.pk}", g.name) for g in groups] + [
            (f"s{s.pk}", f"{s.start:%H:%M} {s.offering.name}") for s in sessions]


class CareLogForm(forms.Form):
    activities = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WeeklyRecordForm(forms.Form):
    school_class = forms.TypedChoiceField(label=_("Class"), coerce=int)
    week_start = forms.DateField(label=_("Week of"), widget=forms.DateInput(attrs={"type": "date"}))
    content = forms.CharField(label=_("Activities of the week"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].choices = [(c.pk, c.label) for c in classes]
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("week_start", today - dt.timedelta(days=today.weekday()))


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Incident.Severity.choices)
    student_numbers = forms.CharField(
        label=_("Children involved (student numbers)"), required=False,
        help_text=_("Separate several numbers with spaces or commas."))
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(label=_("Actions taken"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    guardian_notified_at = forms.DateTimeField(
        label=_("Guardian told at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def numbers(self) -> list[str]:
        raw = self.cleaned_data.get("student_numbers", "")
        return [n for n in raw.replace(",", " ").replace("，", " ").split() if n]
