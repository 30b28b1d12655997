"""Forms of the programs pages. They check input only; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Staff
from programs.models import WEEKDAYS, GroupFormingRun, Offering
from schools.models import Grade, SchoolClass, Venue

_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def school_staff(school_id: int):
    return Staff.objects.filter(school_id=school_id, is_active=True).order_by("pinyin")


def school_venues(school_id: int):
    return Venue.objects.filter(school_id=school_id).order_by("kind", "name")


class OfferingForm(forms.ModelForm):
    """A new offering of the term; the view hands the cleaned data to ``create_offering``."""

    grades = forms.TypedMultipleChoiceField(
        label=_("eligible grades"),
        choices=Grade.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Offering
        fields = [
            "kind",
            "name",
            "subject",
            "grades",
            "school_class",
            "capacity",
            "is_charged",
            "venue",
            "instructors",
            "content",
            "activity_plan",
        ]
        widgets = {
            "instructors": forms.CheckboxSelectMultiple,
            "content": forms.Textarea(attrs={"rows": 3}),
            "activity_plan": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = SchoolClass.objects.filter(
            school_id=school_id
        ).order_by("grade", "number")
        self.fields["venue"].queryset = school_venues(school_id)
        self.fields["instructors"].queryset = school_staff(school_id)
        self.fields["instructors"].required = False


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("weekday"), choices=WEEKDAYS, coerce=int)
    start = forms.TimeField(label=_("start"), widget=_TIME)
    end = forms.TimeField(label=_("end"), widget=_TIME)
    venue = forms.ModelChoiceField(label=_("venue"), queryset=Venue.objects.none())
    instructor = forms.ModelChoiceField(label=_("instructor"), queryset=Staff.objects.none())

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = school_venues(school_id)
        self.fields["instructor"].queryset = school_staff(school_id)


class MoveForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=_DATE)
    start = forms.TimeField(label=_("start"), widget=_TIME)
    end = forms.TimeField(label=_("end"), widget=_TIME)
    venue = forms.ModelChoiceField(label=_("venue"), queryset=Venue.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = school_venues(school_id)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class SubstituteForm(forms.Form):
    substitute = forms.ModelChoiceField(label=_("substitute"), queryset=Staff.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = school_staff(school_id)


class ServiceForm(forms.Form):
    """Which class-based care service a group forming report is about."""

    service = forms.ChoiceField(label=_("service"), choices=GroupFormingRun.Service.choices)
