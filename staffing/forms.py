"""Forms of the staffing pages; querysets are scoped to the actor's school when built."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Staff
from programs.models import Session
from staffing.models import Inspection, Post, TeachingRecord

WEEKDAY_CHOICES = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]


class _StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _StaffMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class DutyDayForm(forms.Form):
    post = forms.ChoiceField(label=_("post"), choices=Post.choices)
    staff = _StaffMultiple(label=_("on duty"), queryset=Staff.objects.none(), required=False,
                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(school_id=school_id, is_active=True)


class PatternForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("weekday"), choices=WEEKDAY_CHOICES, coerce=int)
    post = forms.ChoiceField(label=_("post"), choices=Post.choices)
    staff = _StaffChoice(label=_("staff member"), queryset=Staff.objects.none())

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(school_id=school_id, is_active=True)


class CorrectForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=TeachingRecord.Outcome.choices)
    reason = forms.CharField(label=_("reason"), max_length=300)


class LeaveForm(forms.Form):
    sessions = forms.ModelMultipleChoiceField(label=_("sessions"), queryset=Session.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("decision"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Approve")), ("0", _("Refuse"))])
    substitute = _StaffChoice(label=_("substitute"), queryset=Staff.objects.none(), required=False)

    def __init__(self, *args, school_id: int, exclude: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = Staff.objects.filter(school_id=school_id, is_active=True).exclude(pk=exclude)


class InspectionForm(forms.Form):
    teacher = _StaffChoice(label=_("teacher"), queryset=Staff.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=Inspection.Kind.choices)
    at = forms.DateTimeField(label=_("time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    attendance_score = forms.IntegerField(label=_("attendance"), min_value=0, max_value=10)
    content_score = forms.IntegerField(label=_("content"), min_value=0, max_value=10)
    quality_score = forms.IntegerField(label=_("quality"), min_value=0, max_value=10)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = Staff.objects.filter(school_id=school_id, is_active=True)


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class CommendationForm(forms.Form):
    staff = _StaffChoice(label=_("staff member"), queryset=Staff.objects.none())
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label=_("what for"), max_length=300)

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(school_id=school_id, is_active=True)
